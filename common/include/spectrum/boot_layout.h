/**
 * @file boot_layout.h
 * @brief Constants shared by boot.S and C: multiboot magics, boot segment
 *        selectors and the control-register bits the boot path sets.
 *
 * Only macros live here so the assembler can include it too.
 */
#ifndef SPECTRUM_BOOT_LAYOUT_H
#define SPECTRUM_BOOT_LAYOUT_H

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

#define CR0_PE             0x00000001  /**< CR0.PE: protected mode (SDM Vol. 3A §2.5) */
#define CR0_NE             0x00000020  /**< CR0.NE: native x87 errors; VMXON needs it */
#define CR0_WP             0x00010000  /**< CR0.WP: ring 0 honours read-only pages */
#define CR0_PG             0x80000000  /**< CR0.PG: paging */
#define CR4_PAE            0x00000020  /**< CR4.PAE: 64-bit page-table entries, needed for long mode */

#define MSR_EFER           0xC0000080  /**< IA32_EFER (SDM Vol. 4 Table 2-2) */
#define EFER_LME           0x00000100  /**< EFER.LME: enable long mode */

/** Size of the identity map boot.S builds: every physical address below this
 *  is usable as a pointer. */
#define BOOT_IDENTITY_LIMIT 0x100000000ULL

#endif
