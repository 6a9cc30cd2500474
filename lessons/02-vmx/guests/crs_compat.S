/*
 * crs_compat.S - write CR0 from compatibility mode (guest "crs").
 *
 * void crs_compat_cr0_write(unsigned long value)   (value in RDI)
 *
 * Far-jumps to the 32-bit code segment of the GDT Spectrum builds for
 * lesson-02 guests (selector 08H, D = 1, L = 0: under EFER.LMA that is
 * compatibility mode, SDM Vol. 3A §5.2.1), executes MOV %eax, %cr0 there
 * with the value's upper half still in RAX[63:32], and far-jumps back to
 * the 64-bit segment (18H).  Selectors: vcpu/guest_space.h.
 */
#define SEL_CODE32 0x08
#define SEL_CODE64 0x18

    .code64
    .text
    .globl crs_compat_cr0_write
crs_compat_cr0_write:
    mov %rdi, %rax
    sub $8, %rsp
    movl $compat, (%rsp)        /* m16:32 far pointer: offset ... */
    movw $SEL_CODE32, 4(%rsp)   /* ... and selector */
    ljmpl *(%rsp)
    .code32
compat:
    mov %eax, %cr0              /* 0F 22 C0: the register's low 32 bits */
    ljmp $SEL_CODE64, $back
    .code64
back:
    add $8, %rsp
    ret

    .section .note.GNU-stack, "", @progbits
