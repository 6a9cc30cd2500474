/*
 * svm_spin.S - guests that never exit on their own (64-bit, no runtime).
 *
 * EDI = 0: CLI, then jump to itself for ever.  Nothing the guest does
 *          exits, and no interrupt can reach it: only the hypervisor's
 *          time slice brings the CPU back, and only its time budget can
 *          end the VM (vcpu/loop.h).
 * EDI = 1: spin until the TSC has advanced by RSI ticks (the scenario
 *          passes a few tens of milliseconds), then exit with status 0 -
 *          a computing guest that something may interrupt (a host NMI).
 */
    .code64
    .text
    .globl _start
_start:
    cli
    test %edi, %edi
    jnz 2f
1:  jmp 1b
2:  rdtsc
    shl $32, %rdx
    or %rdx, %rax
    lea (%rax, %rsi), %rcx      /* the end */
3:  rdtsc
    shl $32, %rdx
    or %rdx, %rax
    cmp %rcx, %rax
    jb 3b
    xor %eax, %eax
    out %eax, $0xf4
    hlt

    .section .note.GNU-stack, "", @progbits
