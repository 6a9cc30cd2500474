/*
 * svm_dfgate.S - a double fault delivered through an IDT gate that
 *                straddles a page boundary (64-bit, no runtime).
 *
 * The IDT starts 132 bytes below a page boundary, so gate 8 (#DF, bytes
 * 128-143) has its first 4 bytes (offset 15:0, selector) in one page and
 * the rest - the present bit included - in the next; even the gate's
 * first 8 bytes straddle the boundary.  Legal: the CPU reads descriptors
 * byte by byte through the paging structures.  Gate 13 (#GP) and every
 * other gate are not present.  Then a load from a non-canonical address
 * raises #GP; delivering it finds gate 13 not present, which raises #NP
 * during the delivery of a contributory exception: a double fault (SDM
 * Vol. 3A §7.15, Table 7-5).  The #DF gate works, so the handler runs and
 * exits with status 0.  Anything else - a triple fault - fails the test.
 */
#define SEL_CODE64 0x18         /* vcpu/guest_space.h */

    .code64
    .text
    .globl _start
_start:
    cli
    lea idt_pages+4096-132(%rip), %rbx      /* IDT base: gate 8 at +128 straddles */
    lea df_handler(%rip), %rax
    /* 64-bit interrupt gate, SDM Vol. 3A Figure 7-8. */
    mov %ax, 128(%rbx)                      /* offset 15:0 */
    movw $SEL_CODE64, 130(%rbx)             /* selector */
    movb $0, 132(%rbx)                      /* IST 0 */
    movb $0x8e, 133(%rbx)                   /* P, DPL 0, type 14 */
    shr $16, %rax
    mov %ax, 134(%rbx)                      /* offset 31:16 */
    shr $16, %rax
    mov %eax, 136(%rbx)                     /* offset 63:32 */
    movl $0, 140(%rbx)                      /* reserved */
    mov %rbx, idtr+2(%rip)
    lidt idtr(%rip)
    mov $0x8000000000000000, %rax
    mov (%rax), %rax                        /* #GP: not canonical */
    mov $1, %eax                            /* not reached */
    out %eax, $0xf4
    hlt

df_handler:
    xor %eax, %eax
    out %eax, $0xf4
    hlt

    .data
    .balign 16
idtr:
    .word 32 * 16 - 1
    .quad 0

    .bss
    .balign 4096
idt_pages:
    .skip 2 * 4096

    .section .note.GNU-stack, "", @progbits
