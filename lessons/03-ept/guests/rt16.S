/**
 * @file rt16.S
 * @brief The first instructions of every lesson-03 guest image: from the
 *        16-bit real mode a PC starts in to the mode the image's C code
 *        was compiled for (guests/rt.h explains the three ways).
 *
 * Entered at CS:IP = 0x0800:0000 with the image at guest-physical 0x8000
 * (pc_guest_run.c).  The code here is linked at 0x8000 like the rest of
 * the image, so the first far jump reloads CS with 0: from then on an
 * offset is an address, as long as this file stays below 64 KiB (rt.ld
 * checks it; a real-mode offset is 16 bits, SDM Vol. 3A §21.1.1).
 *
 * Each step prints a line on COM1 (polled, no BIOS here) and records the
 * control registers in struct rt_bootlog; a step that did not take exits
 * through the debug-exit port with status RT_EXIT_PROLOGUE + step.
 */
#include "spectrum/boot_layout.h"

#include "rt.h"

#ifndef GUEST_BITS
#error "guest.mk passes -DGUEST_BITS=16|32|64"
#endif

#define COM1_DATA 0x3f8
#define COM1_LSR  0x3fd
#define LSR_THRE  0x20        /* PC16550D Table II: transmit holding register empty */
#define UART_POLLS 100000     /* as common/guest/console.c: never wait for ever */
#define DEBUG_EXIT_PORT 0xf4

/* One string out of COM1; \ptr is the pointer register of the mode
 * (%si in 16-bit code, %esi in 32-bit code).  Clobbers AL, BL, ECX, DX. */
.macro RT_PUTS ptr
.Lputs_next\@:
    movb (\ptr), %bl
    testb %bl, %bl
    jz .Lputs_done\@
    mov $COM1_LSR, %dx
    mov $UART_POLLS, %ecx
.Lputs_poll\@:
    inb %dx, %al
    testb $LSR_THRE, %al
    jnz .Lputs_send\@
    dec %ecx
    jnz .Lputs_poll\@
.Lputs_send\@:
    mov $COM1_DATA, %dx
    movb %bl, %al
    outb %al, %dx
    inc \ptr
    jmp .Lputs_next\@
.Lputs_done\@:
.endm

/* A step failed: report RT_EXIT_PROLOGUE + \step (a 32-bit OUT, as the
 * debug-exit device expects) and stay halted. */
.macro RT_FAIL step
    mov $(RT_EXIT_PROLOGUE + \step), %eax
    mov $DEBUG_EXIT_PORT, %dx
    outl %eax, %dx
    cli
.Lfail_halt\@:
    hlt
    jmp .Lfail_halt\@
.endm

    .section .text.rt16, "ax"
    .code16
    .globl rt_image_start
rt_image_start:
    jmp rt_entry16                  /* a short jump: the header follows */

    .balign RT_HEADER_OFFSET
    /* struct rt_header (rt.h) */
    .long RT_HEADER_MAGIC
    .long GUEST_BITS
    .long __guest_image_end
    .long __rt_lazy_start
    .long __rt_lazy_end
    .long 0

rt_entry16:
    cli
    mov %cs, %bx                    /* what the loader gave us, for the log */
    ljmp $0, $rt_real               /* CS base 0: offsets are addresses */
rt_real:
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $RT_STACK_TOP, %sp
    cld
    movl $RT_BOOTLOG_MAGIC, RT_BOOTLOG_GPA + RT_BL_MAGIC
    movzwl %bx, %ebx
    movl %ebx, RT_BOOTLOG_GPA + RT_BL_ENTRY_CS
    mov %cr0, %eax
    movl %eax, RT_BOOTLOG_GPA + RT_BL_REAL_CR0
    mov $rt_msg_real, %si
    RT_PUTS %si

    /* Protected mode: GDT, CR0.PE, a far jump to load CS (SDM Vol. 3A
     * §10.9.1 steps 3-5).  LGDT with a 32-bit operand takes all 32 bits
     * of the base. */
    lgdtl rt_gdt_ptr
    mov %cr0, %eax
    or $CR0_PE, %eax
    mov %eax, %cr0
    ljmpl $RT_SEL_CODE32, $rt_prot32

    .code32
rt_prot32:
    mov $RT_SEL_DATA, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %fs
    mov %ax, %gs
    mov %ax, %ss
    mov $RT_STACK_TOP, %esp
    mov %cr0, %eax
    mov %eax, RT_BOOTLOG_GPA + RT_BL_PROT_CR0
    test $CR0_PE, %eax
    jnz 1f
    RT_FAIL 1
1:  mov $rt_msg_prot, %esi
    RT_PUTS %esi

#if GUEST_BITS == 32
    /* 32-bit images: start.S from here (paging stays off). */
    jmp _start

#elif GUEST_BITS == 16
    /* 16-bit images: back to real mode (SDM Vol. 3A §10.9.2): load every
     * data segment with a 4 GiB, B=0 descriptor, jump to 16-bit code,
     * clear PE, jump to a real-mode CS.  The data limits stay 4 GiB. */
    mov $RT_SEL_DATA16, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %fs
    mov %ax, %gs
    mov %ax, %ss
    ljmp $RT_SEL_CODE16, $rt_prot16
    .code16
rt_prot16:
    mov %cr0, %eax
    and $~CR0_PE, %eax
    mov %eax, %cr0
    ljmp $0, $rt_unreal
rt_unreal:
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %fs
    mov %ax, %gs
    mov %ax, %ss
    mov $RT_STACK_TOP, %esp
    mov %cr0, %eax
    movl %eax, RT_BOOTLOG_GPA + RT_BL_UNREAL_CR0
    test $CR0_PE, %eax
    jz 1f
    RT_FAIL 2
1:  mov $rt_msg_unreal, %si
    RT_PUTS %si
    /* common/guest/start.S's 16-bit start expects a 64 KiB world; ours
     * is its own: clear .bss, keep the stack below the image, call the
     * .code16gcc guest_main() (it returns with RETL). */
    mov $__bss_start, %edi
    mov $__bss_end, %ecx
    sub %edi, %ecx
    xor %eax, %eax
    addr32 rep stosb
    xor %ebp, %ebp
    calll guest_main
    pushl %eax
    calll guest_exit
    RT_FAIL 3

#elif GUEST_BITS == 64
    /* 64-bit images: an identity map of 0 - 4 GiB in 2 MiB pages (so
     * the devices at 0xfec00000-0xfeefffff are reachable), then IA-32e
     * mode as SDM Vol. 3A §10.8.5 orders it: CR4.PAE, CR3, EFER.LME,
     * CR0.PG, a far jump to a 64-bit code segment. */
    mov $RT_PML4_GPA, %edi
    mov $((RT_STACK_TOP - 0x1000 - RT_PML4_GPA) / 4), %ecx
    xor %eax, %eax
    rep stosl
    movl $(RT_PDPT_GPA | PTE_P | PTE_W), RT_PML4_GPA
    mov $RT_PDPT_GPA, %edi
    mov $(RT_PD_GPA | PTE_P | PTE_W), %eax
    mov $RT_PD_COUNT, %ecx
2:  mov %eax, (%edi)
    add $8, %edi
    add $0x1000, %eax
    dec %ecx
    jnz 2b
    mov $RT_PD_GPA, %edi
    mov $(PTE_P | PTE_W | PTE_PS), %eax
    mov $(RT_PD_COUNT * 512), %ecx
3:  mov %eax, (%edi)
    add $8, %edi
    add $0x200000, %eax
    dec %ecx
    jnz 3b

    mov %cr4, %eax
    or $CR4_PAE, %eax
    mov %eax, %cr4
    mov %eax, RT_BOOTLOG_GPA + RT_BL_PAE_CR4
    mov $RT_PML4_GPA, %eax
    mov %eax, %cr3
    mov $MSR_EFER, %ecx
    rdmsr
    or $EFER_LME, %eax
    wrmsr
    rdmsr
    mov %eax, RT_BOOTLOG_GPA + RT_BL_LME_EFER
    test $EFER_LME, %eax
    jnz 4f
    RT_FAIL 4
4:  mov %cr0, %eax
    or $CR0_PG, %eax
    mov %eax, %cr0
    ljmp $RT_SEL_CODE64, $rt_long64

    .code64
rt_long64:
    mov $RT_SEL_DATA, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %fs
    mov %ax, %gs
    mov %ax, %ss
    mov $RT_STACK_TOP, %esp
    mov %cr0, %rax
    mov %eax, RT_BOOTLOG_GPA + RT_BL_LONG_CR0
    mov $MSR_EFER, %ecx
    rdmsr
    mov %eax, RT_BOOTLOG_GPA + RT_BL_LONG_EFER
    test $EFER_LMA, %eax
    jnz 5f
    RT_FAIL 5
5:  xor %ebp, %ebp
    call rt_long_mode_report        /* rt_boot.c: prints "long mode" */
    jmp _start                      /* common/guest/start.S, 64-bit */
#else
#error "GUEST_BITS must be 16, 32 or 64"
#endif

    /* The GDT (SDM Vol. 3A §3.4.5 descriptor format): flat 4 GiB code
     * and data, 64-bit code (L=1), and for the way back to real mode a
     * 16-bit code segment and a B=0 data segment. */
    .balign 8
rt_gdt:
    .quad 0                         /* null */
    .quad 0x00cf9a000000ffff        /* 0x08: code32, G=1 D=1, limit 4 GiB */
    .quad 0x00cf92000000ffff        /* 0x10: data, G=1 B=1, limit 4 GiB */
    .quad 0x00af9a000000ffff        /* 0x18: code64, L=1 D=0 */
    .quad 0x00009a000000ffff        /* 0x20: code16, limit 64 KiB */
    .quad 0x008f92000000ffff        /* 0x28: data, G=1 B=0, limit 4 GiB */
rt_gdt_end:
rt_gdt_ptr:
    .word rt_gdt_end - rt_gdt - 1
    .long rt_gdt

rt_msg_real:   .asciz "rt: real mode, CS:IP 0800:0000\n"
rt_msg_prot:   .asciz "rt: protected mode\n"
rt_msg_unreal: .asciz "rt: real mode again, 4 GiB data limits\n"
    .globl __rt16_end
__rt16_end:

    .section .note.GNU-stack, "", @progbits
