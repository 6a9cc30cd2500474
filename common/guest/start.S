/**
 * @file start.S
 * @brief The guest's first instructions: a stack, a zeroed .bss, then
 *        guest_main(), whose return value goes to guest_exit().
 *
 * The image is flat (objcopy -O binary) and starts with this code: the
 * linker script puts .text.start first, so entry = load address.  The
 * hypervisor's loader only copies the file, so .bss (which the file does
 * not contain) is cleared here instead of trusting memory to be zero.
 * The stack lives in .bss too, so the guest does not depend on where the
 * loader points RSP.  GUEST_BITS (16, 32 or 64) comes from guest.mk.
 */

#ifndef GUEST_BITS
#error "guest.mk passes -DGUEST_BITS=16|32|64"
#endif

#define GUEST_STACK_SIZE 16384

    .section .bss
    .balign 16
guest_stack:
    .skip GUEST_STACK_SIZE
guest_stack_top:

    .section .text.start, "ax"
    .globl _start
#if GUEST_BITS == 64
    .code64
_start:
    cli
    lea guest_stack_top(%rip), %rsp
    xor %ebp, %ebp              /* end of the frame-pointer chain */
    lea __bss_start(%rip), %rdi
    lea __bss_end(%rip), %rcx
    sub %rdi, %rcx
    xor %eax, %eax
    cld                         /* string ops count upwards (SysV ABI §3.2.1) */
    rep stosb
    call guest_main
    mov %eax, %edi
    call guest_exit
#elif GUEST_BITS == 32
    .code32
_start:
    cli
    mov $guest_stack_top, %esp
    xor %ebp, %ebp
    mov $__bss_start, %edi
    mov $__bss_end, %ecx
    sub %edi, %ecx
    xor %eax, %eax
    cld
    rep stosb
    call guest_main
    push %eax
    call guest_exit
#elif GUEST_BITS == 16
    /* Real mode, for the lesson-01 interpreter.  GCC's -m16 output is
     * 32-bit code with operand/address-size prefixes (.code16gcc) that
     * expects flat segments based at 0, so the whole image must sit below
     * 64 KiB.  Only the plainest instructions here (no REP, no string
     * ops): an interpreter under construction decodes them first. */
    .code16
_start:
    cli
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $guest_stack_top, %esp
    xor %ebp, %ebp
    mov $__bss_start, %di
1:  cmp $__bss_end, %di
    jae 2f
    movb $0, (%di)
    inc %di
    jmp 1b
2:  calll guest_main            /* .code16gcc functions return with RETL */
    pushl %eax
    calll guest_exit
#else
#error "GUEST_BITS must be 16, 32 or 64"
#endif
    /* guest_exit() does not return; should it ever, stay stopped. */
3:  cli
    hlt
    jmp 3b

    /* No executable stack wanted (GNU ld warns about a missing note). */
    .section .note.GNU-stack, "", @progbits
