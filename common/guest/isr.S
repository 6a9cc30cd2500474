/**
 * @file isr.S
 * @brief The guest's interrupt stubs: one per vector, then a common path
 *        that saves the registers as struct guest_trap (guest/idt.h),
 *        calls guest_trap_dispatch() and returns with IRET.
 *
 * The CPU pushes an error code for some exceptions only (SDM Vol. 3A
 * §7.3 Table 7-1: #DF 8, #TS 10, #NP 11, #SS 12, #GP 13, #PF 14, #AC 17,
 * #CP 21; AMD APM Vol. 2 §8.2: #VC 29, #SX 30); the other stubs push a 0
 * so that every frame has the same layout.
 */

#ifndef GUEST_BITS
#error "guest.mk passes -DGUEST_BITS=32|64"
#endif

#if GUEST_BITS == 64
    .code64
#define PTR .quad
#else
    .code32
#define PTR .long
#endif

    .macro STUB vec
    .balign 16
guest_isr_stub_\vec:
    .if (\vec == 8) || ((\vec >= 10) && (\vec <= 14)) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
    .else
    push $0
    .endif
    push $\vec
    jmp guest_isr_common
    .endm

    .text
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    STUB \v
    .endr

guest_isr_common:
#if GUEST_BITS == 64
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, %rdi
    cld
    call guest_trap_dispatch
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
    add $16, %rsp               /* vector and error code */
    iretq
#else
    pusha
    mov %esp, %eax
    cld
    push %eax                   /* struct guest_trap * (cdecl) */
    call guest_trap_dispatch
    add $4, %esp
    popa
    add $8, %esp                /* vector and error code */
    iret
#endif

    .section .rodata
    .balign 8
    .globl guest_isr_table
guest_isr_table:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    PTR guest_isr_stub_\v
    .endr

    /* No executable stack wanted (GNU ld warns about a missing note). */
    .section .note.GNU-stack, "", @progbits
