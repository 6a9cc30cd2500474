/*
 * boot.S - the multiboot header and 32-bit entry of mbkernel, a tiny
 * kernel written the way one writes a kernel for "qemu-system-x86_64
 * -kernel": it knows nothing about Spectrum.
 *
 * Multiboot Specification 0.6.96 §3.1.1: the header, 4-byte aligned in the
 * first 8 KiB of the file; flags bit 0 (modules page aligned) and bit 1
 * (memory information wanted); no a.out kludge, so the loader reads the
 * ELF program headers.  §3.2: we arrive in 32-bit protected mode, paging
 * off, interrupts off, EAX = 0x2BADB002, EBX = the information structure,
 * and ESP undefined: set up a stack before calling C.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003

    .section .multiboot, "a"
    .balign 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .section .text
    .code32
    .globl _start
_start:
    cli
    cld
    movl $stack_top, %esp
    xorl %ebp, %ebp            /* end of the frame chain for a debugger */
    pushl %ebx                 /* kmain(magic, info) */
    pushl %eax
    call kmain
1:  hlt                        /* kmain does not return; if it did, stay here */
    jmp 1b

    .section .bss
    .balign 16
stack:
    .skip 16384
stack_top:

    .section .note.GNU-stack, "", @progbits   /* no executable stack */
