/**
 * @file boot_layout.h
 * @brief Constants shared by boot.S and C: multiboot magics, boot segment
 *        selectors and the control-register bits the boot path sets.
 *
 * Only #defines live here so the assembler can include it too.
 */
#ifndef SPECTRUM_BOOT_LAYOUT_H
#define SPECTRUM_BOOT_LAYOUT_H

/* Multiboot 0.6.96 §3.1.1: header magic and our flags (page-align modules,
 * memory information, a.out-kludge load addresses valid). */
#define MB1_HEADER_MAGIC   0x1BADB002
#define MB1_HEADER_FLAGS   0x00010003
/* Multiboot 0.6.96 §3.2: EAX at entry from a multiboot1 loader. */
#define MB1_BOOT_MAGIC     0x2BADB002

/* Multiboot2 1.6 §3.1.1 / §3.2: header magic and EAX at entry. */
#define MB2_HEADER_MAGIC   0xE85250D6
#define MB2_BOOT_MAGIC     0x36D76289

/* Boot GDT selectors (boot.S); gdt.c keeps the same values. */
#define BOOT_CS64          0x08
#define BOOT_DS            0x10

#define BOOT_STACK_SIZE    (32 * 1024)

/* Page-table entry bits, SDM Vol. 3A §5.5 Table 5-18/5-20. */
#define PTE_P              0x001
#define PTE_W              0x002
#define PTE_U              0x004
#define PTE_PS             0x080

/* Control registers, SDM Vol. 3A §2.5. */
#define CR0_PE             0x00000001
#define CR0_NE             0x00000020
#define CR0_WP             0x00010000
#define CR0_PG             0x80000000
#define CR4_PAE            0x00000020

/* IA32_EFER, SDM Vol. 4 Table 2-2 (address C000_0080H). */
#define MSR_EFER           0xC0000080
#define EFER_LME           0x00000100

/** Size of the identity map boot.S builds: every physical address below this
 *  is usable as a pointer. */
#define BOOT_IDENTITY_LIMIT 0x100000000ULL

#endif
