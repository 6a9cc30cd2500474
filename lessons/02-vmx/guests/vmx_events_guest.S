/*
 * vmx_events_guest.S - the guest of scenario "vmx-events" (vmx_events.c):
 * is an injected external interrupt delivered exactly when the guest can
 * take it?
 *
 * 64-bit flat code entered at GUEST_LOAD_GVA with CS = GUEST_SEL_CODE64
 * (vcpu/guest_space.h), interrupts disabled.  It
 *  1. builds a one-gate IDT: vector 0x40, an interrupt gate (SDM Vol. 3A
 *     §7.14.1 Figure 7-8: offset, selector, P=1 DPL=0 type 0xE) to
 *     "handler", and loads it;
 *  2. OUT to port 0x80 with interrupts still off: the host queues vector
 *     0x40, which cannot be delivered yet, so it asks for an interrupt
 *     window;
 *  3. spins a little with IF = 0, then STI; NOP: the window opens only
 *     after the instruction that follows STI (the STI shadow, SDM Vol. 2B
 *     "STI"), i.e. at label vmx_events_after_nop;
 *  4. the handler reports the RIP it interrupted on port 0x81, counts in
 *     R15, and IRETQs;
 *  5. writes R15 - 1 to port 0xF4: 0 ("passed") iff the handler ran once.
 */
#define SEL_CODE64  0x18      /* GUEST_SEL_CODE64 */
#define VECTOR      0x40

    .section .rodata
    .globl vmx_events_guest, vmx_events_guest_end, vmx_events_after_nop
    .code64
vmx_events_guest:
    xor %r15d, %r15d
    lea handler(%rip), %rbx
    lea idt(%rip), %rdi
    mov %bx, (%rdi)                     /* offset 15:0 */
    movw $SEL_CODE64, 2(%rdi)
    movw $0x8e00, 4(%rdi)               /* IST 0; P, DPL 0, 64-bit interrupt gate */
    shr $16, %rbx
    mov %bx, 6(%rdi)                    /* offset 31:16 */
    shr $16, %rbx
    mov %ebx, 8(%rdi)                   /* offset 63:32 */
    movl $0, 12(%rdi)
    sub $(VECTOR * 16), %rdi            /* IDT base: gate VECTOR sits at base + 16 * VECTOR */
    mov %rdi, idtr_base(%rip)
    lidt idtr(%rip)

    mov $1, %al
    out %al, $0x80                      /* "queue the interrupt now" */
    mov $50, %ecx
1:  loop 1b                             /* IF = 0: the interrupt must wait */
    sti
    nop                                 /* STI shadow */
vmx_events_after_nop:
    mov $100, %ecx
2:  loop 2b
    cli
    lea -1(%r15), %eax
    out %eax, $0xf4
3:  hlt
    jmp 3b

handler:
    mov (%rsp), %rax                    /* the interrupted RIP (SDM Vol. 3A §7.14.2) */
    out %eax, $0x81
    inc %r15
    iretq

    .balign 8
idtr:
    .word VECTOR * 16 + 15
idtr_base:
    .quad 0
    .balign 16
idt:                                    /* the one gate the IDT needs */
    .fill 16, 1, 0
vmx_events_guest_end:

    .section .note.GNU-stack, "", @progbits
