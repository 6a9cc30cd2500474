/*
 * svm_hlt.S - a guest that halts with nothing to wake it (64-bit).
 *
 * EDI = 0: CLI; HLT - interrupts off, so only NMI/SMI/INIT could resume
 *          it (SDM Vol. 2A "HLT"); lesson 02 sends none.
 * EDI = 1: STI; HLT - interrupts on, but no timer was ever programmed.
 * Either way the guest waits for ever on bare metal; Spectrum must end the
 * VM with a message saying why (handlers_hlt.c, vcpu/loop.c).  If HLT ever
 * returned, the guest would report status 1.
 */
    .code64
    .text
    .globl _start
_start:
    test %edi, %edi
    jz 1f
    sti
    hlt
    jmp 2f
1:  cli
    hlt
2:  mov $1, %eax
    out %eax, $0xf4
    hlt

    .section .note.GNU-stack, "", @progbits
