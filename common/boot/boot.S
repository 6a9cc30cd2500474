/*
 * boot.S - from the boot loader's hand-off to the C entry, kmain().
 *
 * Both multiboot loaders (QEMU -kernel speaks multiboot1, GRUB speaks
 * multiboot2 here) enter at _start in 32-bit protected mode with paging off,
 * flat 4 GiB segments, EAX = the loader's magic and EBX = the physical
 * address of its information structure (Multiboot 0.6.96 §3.2,
 * Multiboot2 1.6 §3.3).  We then:
 *   1. zero the BSS (it holds our stack and page tables);
 *   2. check that the CPU has long mode (CPUID 0x80000001 EDX bit 29);
 *   3. build an identity map of the first 4 GiB with 2 MiB pages, except
 *      the first 2 MiB, mapped with 4 KiB pages so that page 0 can stay
 *      unmapped: a NULL pointer in Spectrum faults instead of silently
 *      reading or writing the real-mode IVT;
 *   4. turn on PAE, EFER.LME and CR0.PG, which activates IA-32e mode
 *      (Intel SDM Vol. 3A §10.8.5 "Initializing IA-32e Mode");
 *   5. far-jump into a 64-bit code segment and call kmain(magic, info).
 */
#include "spectrum/boot_layout.h"

/* ------------------------------------------------------------------ */
/* Multiboot headers                                                   */
/* ------------------------------------------------------------------ */
    .section .multiboot, "a"

    /* Multiboot1 header (Multiboot 0.6.96 §3.1.1).  Flag bit 0: align
     * modules to 4 KiB; bit 1: give us the memory map; bit 16: the load
     * addresses below are valid (the "a.out kludge" QEMU needs to load an
     * ELF64 file, see linker.ld). */
    .align 4
mb1_header:
    .long MB1_HEADER_MAGIC
    .long MB1_HEADER_FLAGS
    .long -(MB1_HEADER_MAGIC + MB1_HEADER_FLAGS)
    .long mb1_header        /* header_addr */
    .long _image_start      /* load_addr */
    .long _load_end         /* load_end_addr */
    .long _image_end        /* bss_end_addr */
    .long _start            /* entry_addr */

    /* Multiboot2 header (Multiboot2 1.6 §3.1.1): architecture 0 = i386
     * protected mode, then only the mandatory end tag.  GRUB loads our
     * ELF64 program headers itself and enters at the ELF entry point. */
    .align 8
mb2_header:
    .long MB2_HEADER_MAGIC
    .long 0
    .long mb2_header_end - mb2_header
    .long -(MB2_HEADER_MAGIC + 0 + (mb2_header_end - mb2_header))
    .word 0, 0              /* end tag: type 0, flags 0 */
    .long 8                 /* size 8 */
mb2_header_end:

/* ------------------------------------------------------------------ */
/* 32-bit entry                                                        */
/* ------------------------------------------------------------------ */
    .section .text.boot, "ax"
    .code32
    .global _start
_start:
    cli
    cld
    mov     %eax, %ebp              /* keep the loader's magic */
    mov     %ebx, %esi              /* and its info pointer (CPUID clobbers EBX) */

    /* 1. Zero the BSS: multiboot loaders should, but we rely on it. */
    mov     $_bss_start, %edi
    mov     $_image_end, %ecx
    sub     %edi, %ecx
    xor     %eax, %eax
    rep stosb

    mov     $boot_stack_top, %esp

    /* 2. Long mode available?  Ask for the extended leaf first. */
    mov     $0x80000000, %eax
    cpuid
    cmp     $0x80000001, %eax
    jb      no_long_mode
    mov     $0x80000001, %eax
    cpuid
    bt      $29, %edx
    jnc     no_long_mode

    /* 3. Identity map 0..4 GiB: PML4[0] -> PDPT, PDPT[0..3] -> 4 page
     * directories of 512 2-MiB pages (SDM Vol. 3A §5.5, Table 5-17/5-18:
     * bit 0 P, bit 1 R/W, bit 7 PS in a PDE = 2 MiB page). */
    mov     $boot_pdpt, %eax
    or      $(PTE_P | PTE_W), %eax
    mov     %eax, boot_pml4

    mov     $boot_pd, %eax
    or      $(PTE_P | PTE_W), %eax
    mov     $boot_pdpt, %edi
    mov     $4, %ecx
1:  mov     %eax, (%edi)
    add     $4096, %eax
    add     $8, %edi
    loop    1b

    mov     $boot_pd, %edi
    mov     $(PTE_P | PTE_W | PTE_PS), %eax
    xor     %edx, %edx              /* high half of the entry */
    mov     $(4 * 512), %ecx
2:  mov     %eax, (%edi)
    mov     %edx, 4(%edi)
    add     $0x200000, %eax
    adc     $0, %edx
    add     $8, %edi
    loop    2b

    /* The first 2 MiB again, with a page table (Table 5-20: PTEs of 4 KiB
     * pages) whose entry 0 stays zero - not present. */
    mov     $boot_pt0, %eax
    or      $(PTE_P | PTE_W), %eax
    mov     %eax, boot_pd           /* PD[0]: no PS bit, points to the table */
    mov     $(boot_pt0 + 8), %edi
    mov     $(0x1000 | PTE_P | PTE_W), %eax
    mov     $511, %ecx
6:  mov     %eax, (%edi)
    add     $0x1000, %eax
    add     $8, %edi
    loop    6b

    /* 4. PAE on, CR3 = PML4, EFER.LME on, then paging (SDM Vol. 3A
     * §10.8.5).  CR0.NE is required later by VMXON (SDM Vol. 3C §24.8)
     * and CR0.WP makes the kernel honour read-only pages. */
    mov     %cr4, %eax
    or      $CR4_PAE, %eax
    mov     %eax, %cr4

    mov     $boot_pml4, %eax
    mov     %eax, %cr3

    mov     $MSR_EFER, %ecx
    rdmsr
    or      $EFER_LME, %eax
    wrmsr

    mov     %cr0, %eax
    or      $(CR0_PG | CR0_PE | CR0_NE | CR0_WP), %eax
    mov     %eax, %cr0

    /* 5. Load a GDT with a 64-bit code segment and jump to it.  gdt.c
     * replaces this GDT with the final one (which adds the TSS). */
    lgdt    boot_gdt_ptr
    ljmp    $BOOT_CS64, $long_mode_entry

no_long_mode:
    /* No console yet: say it on the Bochs/QEMU debug port and stop. */
    mov     $no_lm_msg, %esi
3:  lodsb
    test    %al, %al
    jz      4f
    out     %al, $0xe9
    jmp     3b
4:  hlt
    jmp     4b

/* ------------------------------------------------------------------ */
/* 64-bit entry                                                        */
/* ------------------------------------------------------------------ */
    .code64
long_mode_entry:
    mov     $BOOT_DS, %ax
    mov     %ax, %ds
    mov     %ax, %es
    mov     %ax, %ss
    mov     %ax, %fs
    mov     %ax, %gs
    mov     $boot_stack_top, %rsp
    /* Upper halves of 64-bit registers are undefined after the switch
     * (SDM Vol. 1 §3.4.1.1): zero-extend the two arguments. */
    mov     %ebp, %edi              /* kmain(magic, */
    mov     %esi, %esi              /*       info)  */
    xor     %ebp, %ebp              /* end of the frame-pointer chain */
    call    kmain
5:  cli
    hlt
    jmp     5b

/* ------------------------------------------------------------------ */
/* Data                                                                */
/* ------------------------------------------------------------------ */
    .section .rodata
no_lm_msg:
    .asciz "spectrum: this CPU has no long mode (CPUID 0x80000001 EDX.LM=0)\n"

    .align 16
boot_gdt:
    .quad 0                         /* null */
    .quad 0x00af9a000000ffff        /* 0x08: 64-bit code, DPL 0 (L=1, D=0) */
    .quad 0x00cf92000000ffff        /* 0x10: data, 4 GiB, writable */
boot_gdt_end:
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .section .bss.pagetables, "aw", @nobits
    .align 4096
    .global boot_pml4
boot_pml4:  .skip 4096
boot_pdpt:  .skip 4096
boot_pd:    .skip 4 * 4096
boot_pt0:   .skip 4096

    .section .bss
    .align 16
    .global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
    .skip BOOT_STACK_SIZE
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
