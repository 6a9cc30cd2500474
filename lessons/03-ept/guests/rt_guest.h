/**
 * @file rt_guest.h
 * @brief What a lesson-03 guest's C code gets from the runtime beyond
 *        common/guest: control registers, its boot log, its parameter
 *        block, and page tables of its own (rt_paging.c).
 *
 * Compiles for every guest width (-m16 .code16gcc, -m32, -m64): values
 * that are 64 bits wide only in long mode are unsigned long.
 */
#ifndef SPECTRUM_GUESTS_RT_GUEST_H
#define SPECTRUM_GUESTS_RT_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "guest/guest.h"
#include "rt.h"

/** @brief Read CR0 (SDM Vol. 3A §2.5). */
static inline unsigned long rt_read_cr0(void)
{
    unsigned long v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

/** @brief Read CR2, the last page-fault linear address. */
static inline unsigned long rt_read_cr2(void)
{
    unsigned long v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

/** @brief Read CR3. */
static inline unsigned long rt_read_cr3(void)
{
    unsigned long v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

/** @brief Read CR4. */
static inline unsigned long rt_read_cr4(void)
{
    unsigned long v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

/** @brief Write CR0. */
static inline void rt_write_cr0(unsigned long v) { __asm__ volatile("mov %0, %%cr0" ::"r"(v) : "memory"); }
/** @brief Write CR3 (flushes non-global TLB entries). */
static inline void rt_write_cr3(unsigned long v) { __asm__ volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
/** @brief Write CR4. */
static inline void rt_write_cr4(unsigned long v) { __asm__ volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }

/** @brief INVLPG: drop the TLB entry of @p va (SDM Vol. 2A "INVLPG"). */
static inline void rt_invlpg(unsigned long va) { __asm__ volatile("invlpg (%0)" ::"r"(va) : "memory"); }

/**
 * @brief A pointer to guest-physical (= identity-mapped virtual) address
 *        @p addr.  The empty asm hides the constant from GCC, which would
 *        otherwise take a fixed low address for a null-pointer offset and
 *        warn (-Warray-bounds) on every access.
 */
static inline volatile void *rt_phys(unsigned long addr)
{
    volatile void *p;
    __asm__("" : "=r"(p) : "0"(addr));
    return p;
}

/** @brief What the prologue recorded (rt.h). */
static inline const volatile struct rt_bootlog *rt_bootlog(void)
{
    return (const volatile struct rt_bootlog *)rt_phys(RT_BOOTLOG_GPA);
}

/** @brief The parameter block the scenario wrote before start (rt.h). */
static inline const volatile void *rt_params(void)
{
    return rt_phys(RT_PARAM_GPA);
}

/** Paging modes rt_paging_set() can switch to (SDM Vol. 3A §5.1.1). */
enum rt_paging {
    RT_PAGING_OFF,    /**< 32-bit protected mode, CR0.PG = 0 */
    RT_PAGING_32,     /**< 32-bit paging: 4 KiB pages below 4 MiB, 4 MiB pages (PSE) above */
    RT_PAGING_PAE,    /**< PAE paging: 4 KiB pages below 2 MiB, 2 MiB pages above */
    RT_PAGING_4LEVEL, /**< 4-level paging, as the prologue set it up (64-bit images only) */
};

#if GUEST_BITS == 32
/**
 * @brief Switch a 32-bit image between no paging, 32-bit paging and PAE
 *        paging, each an identity map of 0 - 4 GiB plus the alias window
 *        RT_ALIAS_VA.  Paging goes off before CR4.PAE changes, as
 *        SDM Vol. 3A §5.1.2 requires.
 * @return false (paging left off) if the tables could not be built
 */
bool rt_paging_set(enum rt_paging mode);
#endif

#if GUEST_BITS == 32 || GUEST_BITS == 64
/**
 * @brief Map the 4 KiB page at @p va (inside [RT_ALIAS_VA,
 *        RT_ALIAS_VA + RT_ALIAS_SIZE)) to guest-physical @p pa in the
 *        paging mode now active (@p pa 0: unmap it).
 * @return false if @p va is outside the window, paging is off, or @p pa
 *         does not fit the mode (32-bit paging: below 4 GiB).
 */
bool rt_map_page(unsigned long va, uint64_t pa);

/** @brief The paging mode now active. */
enum rt_paging rt_paging_mode(void);

/** @brief "off", "32-bit", "PAE" or "4-level". */
const char *rt_paging_name(enum rt_paging mode);
#endif

#endif
