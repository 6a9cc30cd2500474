/*
 * isr.S - interrupt and exception entry stubs.
 *
 * The CPU pushes SS, RSP, RFLAGS, CS, RIP and, for some exceptions, an error
 * code (SDM Vol. 3A §7.14.2 and Table 7-1 "Protected-Mode Exceptions and
 * Interrupts": #DF(8), #TS(10), #NP(11), #SS(12), #GP(13), #PF(14),
 * #AC(17), #CP(21), #VC(29) and #SX(30) have one).  Each stub pushes a
 * dummy error code where the CPU did not, then its vector number, so that
 * trap_entry always sees the same struct trap_frame (cpu.h).
 */
    .code64
    .section .text

.macro ISR_STUB vec
isr_\vec:
    .if (\vec == 8) || (\vec == 10) || (\vec == 11) || (\vec == 12) || (\vec == 13) || (\vec == 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
    .else
    pushq   $0
    .endif
    pushq   $\vec
    jmp     trap_entry
.endm

    .altmacro
    .set vec, 0
    .rept 256
    ISR_STUB %vec
    .set vec, vec + 1
    .endr

trap_entry:
    pushq   %rax
    pushq   %rbx
    pushq   %rcx
    pushq   %rdx
    pushq   %rsi
    pushq   %rdi
    pushq   %rbp
    pushq   %r8
    pushq   %r9
    pushq   %r10
    pushq   %r11
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    cld                             /* the C ABI expects DF = 0 */
    mov     %rsp, %rdi              /* trap_dispatch(struct trap_frame *) */
    /* Make the interrupted code's frame the parent of ours so that a
     * backtrace walks through the fault into the code that faulted. */
    mov     15*8+16(%rsp), %rax     /* interrupted RIP */
    pushq   %rax
    pushq   %rbp
    mov     %rsp, %rbp
    call    trap_dispatch
    add     $16, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %r11
    popq    %r10
    popq    %r9
    popq    %r8
    popq    %rbp
    popq    %rdi
    popq    %rsi
    popq    %rdx
    popq    %rcx
    popq    %rbx
    popq    %rax
    add     $16, %rsp               /* vector and error code */
    iretq

/* Table of stub addresses, read by idt.c. */
    .section .rodata
    .align 8
    .global isr_stub_table
isr_stub_table:
.macro ISR_ADDR vec
    .quad isr_\vec
.endm
    .set vec, 0
    .rept 256
    ISR_ADDR %vec
    .set vec, vec + 1
    .endr

    .section .note.GNU-stack, "", @progbits
