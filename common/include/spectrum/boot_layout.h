/**
 * @file boot_layout.h
 * @brief Constants shared by boot.S and C: multiboot magics, boot segment
 *        selectors, page-table entry bits and the identity-map size.
 *
 * Only macros live here so the assembler can include it too.
 */
#ifndef SPECTRUM_BOOT_LAYOUT_H
#define SPECTRUM_BOOT_LAYOUT_H

#include "spectrum/x86_bits.h"

#define MB1_HEADER_MAGIC   0x1BADB002  /**< Multiboot 0.6.96 §3.1.1 header magic */
#define MB1_HEADER_FLAGS   0x00010003  /**< page-align modules, memory info, a.out-kludge addresses valid */
#define MB1_BOOT_MAGIC     0x2BADB002  /**< EAX at entry from a multiboot1 loader (§3.2) */
#define MB2_HEADER_MAGIC   0xE85250D6  /**< Multiboot2 1.6 §3.1.1 header magic */
#define MB2_BOOT_MAGIC     0x36D76289  /**< EAX at entry from a multiboot2 loader (§3.2) */

#define BOOT_CS64          0x08        /**< boot GDT: 64-bit code selector (gdt.c keeps it) */
#define BOOT_DS            0x10        /**< boot GDT: data selector (gdt.c keeps it) */
#define BOOT_STACK_SIZE    (32 * 1024) /**< bytes of the kernel stack */

#define PTE_P              0x001       /**< page-table entry: present (SDM Vol. 3A §5.5) */
#define PTE_W              0x002       /**< page-table entry: writable */
#define PTE_U              0x004       /**< page-table entry: user accessible */
#define PTE_PS             0x080       /**< page-directory entry: 2 MiB page */

/* The control-register and EFER bits boot.S sets (CR0_PG, CR4_PAE,
 * EFER_LME, MSR_EFER, ...) come from spectrum/x86_bits.h. */

/** Size of the identity map boot.S builds: every physical address below this
 *  is usable as a pointer. */
#define BOOT_IDENTITY_LIMIT 0x100000000ULL

#endif
