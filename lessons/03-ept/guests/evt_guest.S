/**
 * @file evt_guest.S
 * @brief The event guest's lazy pages and its handler (guests/evt.h).
 *
 * The IDTs are built here at link time, so the guest never writes them:
 * their first touch is the CPU's own read while delivering an event.
 * The image lies below 64 KiB, so a handler's address fits a gate's low
 * 16 offset bits (the linker checks it: R_X86_64_16); the other offset
 * bits are 0.  Gate format: SDM Vol. 3A §7.14.1 Figure 7-8.
 */
#include "evt.h"
#include "rt.h"

    .code64

    /* One stub per vector: push 0 where the CPU pushes no error code
     * (SDM Vol. 3A Table 7-1), then the vector. */
    .macro EVT_STUB vec
    .balign 16
evt_stub_\vec:
    .if (\vec == 8) || ((\vec >= 10) && (\vec <= 14)) || (\vec == 17) || (\vec == 21)
    .else
    push $0
    .endif
    push $\vec
    jmp evt_common
    .endm

    .text
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    EVT_STUB \v
    .endr
    .irp v, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48
    EVT_STUB \v
    .endr

    /* Record what arrived and where, then return to evt_resume with TF
     * clear.  Frame: vector, error, RIP, CS, RFLAGS, RSP, SS. */
evt_common:
    push %rax
    mov 8(%rsp), %rax
    mov %rax, evt_seen_vector(%rip)
    mov 16(%rsp), %rax
    mov %rax, evt_seen_error(%rip)
    mov 24(%rsp), %rax
    mov %rax, evt_seen_rip(%rip)
    mov %cr2, %rax
    mov %rax, evt_seen_cr2(%rip)
    mov %rsp, evt_seen_rsp(%rip)
    incq evt_seen_count(%rip)
    lea evt_resume(%rip), %rax
    mov %rax, 24(%rsp)
    andq $~0x100, 40(%rsp)
    pop %rax
    add $16, %rsp
    iretq

    /* void evt_raise(unsigned k): load case k's IDT, switch to its
     * stack, raise its event. */
    .globl evt_raise
evt_raise:
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, evt_saved_rsp(%rip)
    sidt evt_saved_idtr(%rip)
    movq $-1, evt_seen_vector(%rip)
    mov %edi, %eax
    shl $13, %rax                       /* two pages per case */
    lea evt_lazy(%rip), %rcx
    add %rcx, %rax
    movw $(EVT_VECTORS * 16 - 1), evt_idtr(%rip)
    mov %rax, evt_idtr + 2(%rip)
    lidt evt_idtr(%rip)
    lea 2 * EVT_PAGE(%rax), %rsp        /* the top of the case's stack page */
    cmp $EVT_BP, %edi
    je 1f
    cmp $EVT_DE, %edi
    je 2f
    cmp $EVT_UD, %edi
    je 3f
    cmp $EVT_PF, %edi
    je 4f
    cmp $EVT_DB, %edi
    je 5f
    .globl evt_insn_int
evt_insn_int:
    int $EVT_SOFT_VEC
    jmp evt_resume
    .globl evt_insn_bp
1:
evt_insn_bp:
    int3
    jmp evt_resume
2:  xor %ecx, %ecx
    mov $1, %eax
    xor %edx, %edx
    .globl evt_insn_de
evt_insn_de:
    div %ecx
    jmp evt_resume
3:
    .globl evt_insn_ud
evt_insn_ud:
    ud2
    jmp evt_resume
4:  movabs $EVT_PF_ADDR, %rax
    .globl evt_insn_pf
evt_insn_pf:
    movq $0, (%rax)
    jmp evt_resume
5:  pushf
    orq $0x100, (%rsp)
    popf
    .globl evt_insn_db
evt_insn_db:
    nop                                 /* the #DB trap follows this */
    jmp evt_resume
evt_resume:
    mov evt_saved_rsp(%rip), %rsp
    lidt evt_saved_idtr(%rip)
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    ret

    .section .rt_lazy, "aw"
    .balign EVT_PAGE
evt_lazy:
    .rept EVT_CASES
    /* the case's IDT page */
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48
    .word evt_stub_\v                   /* offset 15:0 */
    .word RT_SEL_CODE64                 /* selector */
    .byte 0                             /* IST 0 */
    .byte 0x8e                          /* present, DPL 0, 64-bit interrupt gate */
    .word 0                             /* offset 31:16 */
    .long 0                             /* offset 63:32 */
    .long 0                             /* reserved */
    .endr
    .balign EVT_PAGE
    /* the case's stack page */
    .skip EVT_PAGE
    .endr

    .data
    .balign 16
evt_idtr:         .word 0
                  .quad 0
    .balign 16
evt_saved_idtr:   .word 0
                  .quad 0
    .balign 8
    .globl evt_seen_vector, evt_seen_error, evt_seen_rip, evt_seen_cr2, evt_seen_rsp, evt_seen_count
evt_saved_rsp:    .quad 0
evt_seen_vector:  .quad 0
evt_seen_error:   .quad 0
evt_seen_rip:     .quad 0
evt_seen_cr2:     .quad 0
evt_seen_rsp:     .quad 0
evt_seen_count:   .quad 0
    .globl evt_lazy
    .section .note.GNU-stack, "", @progbits
