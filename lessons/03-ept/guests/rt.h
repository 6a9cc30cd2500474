/**
 * @file rt.h
 * @brief The lesson-03 guest runtime: how a guest that starts like a PC
 *        (16-bit real mode, no firmware) gets to the C runtime of
 *        common/guest, and the low-memory layout it uses on the way.
 *
 * A lesson-03 guest image is a flat binary loaded at guest-physical
 * RT_LOAD_GPA and entered at CS:IP = 0x0800:0000 (CS base 0x8000).  Its
 * first bytes are rt16.S: print a line in real mode, load a GDT, enter
 * protected mode, and then, by the image's width (guests/rt.mk):
 *
 *  - 64: build an identity map of the first 4 GiB (2 MiB pages) at
 *        RT_PML4_GPA.., enable PAE, EFER.LME, paging, far-jump to 64-bit
 *        code and run common/guest/start.S (stack, .bss, guest_main());
 *  - 32: run start.S in 32-bit protected mode, paging off (the guest may
 *        turn on 32-bit or PAE paging itself, rt_paging.c);
 *  - 16: go back to real mode with 4 GiB data-segment limits ("unreal"
 *        mode: loading a segment register in real mode changes only its
 *        selector and base, SDM Vol. 3A §21.1.1) and call a .code16gcc
 *        guest_main(), which may then address all 4 GiB with 32-bit
 *        offsets (MMIO at 0xfeb00000 included).  Through a register
 *        only: GNU as cuts a constant absolute address in .code16gcc to
 *        16 bits ("shortened to 0x0"), so such pointers come from
 *        rt_phys() (rt_guest.h), which hides the constant from GCC.
 *
 * The modes are the SDM's: Vol. 3A §10.9.1 (switching to protected mode),
 * §10.9.2 (back to real mode), §10.8.5 (initializing IA-32e mode).
 *
 * Low memory (below the image), the way a boot loader uses it:
 *
 *     0x0000 - 0x04ff  real-mode IVT and BIOS data area: untouched
 *     0x0500 - 0x05ff  struct rt_bootlog: CR0/CR4/EFER as each step saw them
 *     0x0600 - 0x0fff  a scenario's parameter block (written before start)
 *     0x1000 - 0x6fff  64-bit images: PML4, PDPT and four page directories
 *     0x7000 - 0x7fff  the prologue's stack (16-bit images: guest_main's too)
 *     0x8000 - ...     the image, its .bss (and, 32/64-bit, start.S's stack)
 *
 * Only macros and packed structures live here, so the prologue (assembly),
 * the guests (C, any width) and the scenarios (kernel) share it.
 */
#ifndef SPECTRUM_GUESTS_RT_H
#define SPECTRUM_GUESTS_RT_H

#define RT_LOAD_GPA    0x8000    /**< where the image is loaded (and linked) */
#define RT_START_CS    0x0800    /**< real-mode CS at entry: base RT_LOAD_GPA */
#define RT_BOOTLOG_GPA 0x0500    /**< struct rt_bootlog */
#define RT_PARAM_GPA   0x0600    /**< a scenario's parameter block */
#define RT_PARAM_MAX   0x0a00    /**< ... at most this many bytes */
#define RT_PML4_GPA    0x1000    /**< 64-bit images: the PML4 */
#define RT_PDPT_GPA    0x2000    /**< ... its first PDPT (0 - 512 GiB) */
#define RT_PD_GPA      0x3000    /**< ... four page directories, 0 - 4 GiB */
#define RT_PD_COUNT    4         /**< page directories (one per GiB) */
#define RT_STACK_TOP   0x8000    /**< the prologue's stack grows down from here */
#define RT_LOW_END     0xa0000   /**< end of conventional memory: the image must end below */

/** GDT selectors of the prologue (rt16.S), kept by the C runtime. */
#define RT_SEL_CODE32  0x08      /**< 32-bit flat code */
#define RT_SEL_DATA    0x10      /**< flat 4 GiB data (B=1) */
#define RT_SEL_CODE64  0x18      /**< 64-bit code */
#define RT_SEL_CODE16  0x20      /**< 16-bit code, base 0, 64 KiB: the way back to real mode */
#define RT_SEL_DATA16  0x28      /**< 4 GiB data with B=0: the limits unreal mode keeps */

/** A 4 KiB window of guest-virtual space that rt_map_page() may point
 *  anywhere (32-bit paging, PAE and 4-level paging alike): 1 GiB, far
 *  above any guest RAM these tests give, so that an access which a
 *  hypervisor wrongly takes as guest-physical lands in a hole. */
#define RT_ALIAS_VA    0x40000000
/** Bytes of the alias window (one page table in every paging mode). */
#define RT_ALIAS_SIZE  0x200000

#define RT_HEADER_MAGIC 0x54525053  /**< "SPRT", little-endian */
#define RT_HEADER_OFFSET 8          /**< of struct rt_header in the image */
#define RT_BOOTLOG_MAGIC 0x474f4c42 /**< "BLOG" */

/** The status the prologue exits with when a step did not take. */
#define RT_EXIT_PROLOGUE 0x7700

#ifndef __ASSEMBLER__
#include <stdint.h>

/**
 * @brief What the image says about itself, at offset RT_HEADER_OFFSET
 *        (after the first jump): read by the scenarios (pc_guest_run.c),
 *        never trusted for more than the image's own bounds.
 */
struct rt_header {
    uint32_t magic;        /**< RT_HEADER_MAGIC */
    uint32_t width;        /**< 16, 32 or 64: the mode guest_main() runs in */
    uint32_t image_end;    /**< GPA one past the image's .bss */
    uint32_t lazy_start;   /**< GPA of the image's .rt_lazy pages (4 KiB aligned) */
    uint32_t lazy_end;     /**< one past them (== lazy_start: none) */
    uint32_t reserved;     /**< 0 */
} __attribute__((packed));
_Static_assert(sizeof(struct rt_header) == 24, "rt16.S writes six 32-bit words");

/**
 * @brief The control registers as the prologue saw them at each step
 *        (SDM Vol. 3A §2.5 CR0/CR4, §2.2.1 EFER), at RT_BOOTLOG_GPA.
 *        The boot guest checks them; 0 where a step did not happen.
 */
struct rt_bootlog {
    uint32_t magic;        /**< RT_BOOTLOG_MAGIC once the prologue ran */
    uint32_t entry_cs;     /**< CS at the first instruction */
    uint32_t real_cr0;     /**< CR0 in real mode, at entry */
    uint32_t prot_cr0;     /**< CR0 after setting PE */
    uint32_t pae_cr4;      /**< CR4 after setting PAE (64-bit images) */
    uint32_t lme_efer;     /**< EFER after setting LME, paging still off */
    uint32_t long_cr0;     /**< CR0 in 64-bit mode */
    uint32_t long_efer;    /**< EFER in 64-bit mode */
    uint32_t unreal_cr0;   /**< CR0 back in real mode (16-bit images) */
} __attribute__((packed));
_Static_assert(sizeof(struct rt_bootlog) == 36, "rt16.S stores nine 32-bit words");
#endif

/* Offsets for rt16.S, checked against the structure above. */
#define RT_BL_MAGIC      0 /**< offset of rt_bootlog.magic */
#define RT_BL_ENTRY_CS   4 /**< offset of rt_bootlog.entry_cs */
#define RT_BL_REAL_CR0   8 /**< offset of rt_bootlog.real_cr0 */
#define RT_BL_PROT_CR0   12 /**< offset of rt_bootlog.prot_cr0 */
#define RT_BL_PAE_CR4    16 /**< offset of rt_bootlog.pae_cr4 */
#define RT_BL_LME_EFER   20 /**< offset of rt_bootlog.lme_efer */
#define RT_BL_LONG_CR0   24 /**< offset of rt_bootlog.long_cr0 */
#define RT_BL_LONG_EFER  28 /**< offset of rt_bootlog.long_efer */
#define RT_BL_UNREAL_CR0 32 /**< offset of rt_bootlog.unreal_cr0 */

#ifndef __ASSEMBLER__
#include <stddef.h>
_Static_assert(offsetof(struct rt_bootlog, entry_cs) == RT_BL_ENTRY_CS, "bootlog layout");
_Static_assert(offsetof(struct rt_bootlog, pae_cr4) == RT_BL_PAE_CR4, "bootlog layout");
_Static_assert(offsetof(struct rt_bootlog, long_efer) == RT_BL_LONG_EFER, "bootlog layout");
_Static_assert(offsetof(struct rt_bootlog, unreal_cr0) == RT_BL_UNREAL_CR0, "bootlog layout");
_Static_assert(offsetof(struct rt_header, lazy_start) == 12, "header layout");
#endif

#endif
