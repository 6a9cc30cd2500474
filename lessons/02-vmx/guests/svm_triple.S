/*
 * svm_triple.S - a guest that triple-faults on purpose (64-bit).
 *
 * It starts with IDTR.limit = 0 (hvm_guest.h: no IDT), says so, and
 * executes UD2: #UD cannot be delivered through an empty IDT, which
 * raises #GP, which cannot be delivered either, so the CPU raises #DF
 * (SDM Vol. 3A §7.15 "Interrupt 8 - Double Fault Exception", Table 7-5);
 * #DF fails the same way and the CPU shuts down - a triple fault.  Under
 * SVM that is the SHUTDOWN intercept, under VMX exit reason 2; either way
 * only this VM ends.  If the guest ever got past UD2 it would report
 * status 1, which the scenario treats as a failure.
 */
    .code64
#define COM1 0x3f8
#define DEBUG_EXIT 0xf4

    .text
    .globl _start
_start:
    mov $msg, %esi
    mov $COM1, %dx
1:  lodsb
    test %al, %al
    jz 2f
    out %al, %dx
    jmp 1b
2:  ud2
    mov $1, %eax
    out %eax, $DEBUG_EXIT
    hlt

    .text               /* strings next to the code: one flat blob */
msg: .asciz "triple: executing UD2 with an empty IDT\n"

    .section .note.GNU-stack, "", @progbits
