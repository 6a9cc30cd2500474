/**
 * @file pv_area.h
 * @brief A guest area the hypervisor itself writes: the kvmclock
 *        structures and the PV EOI word, named by a guest-physical address
 *        in an MSR.
 *
 * The address comes straight from the guest's WRMSR: hostile.  Before
 * Spectrum ever writes there, the whole area must be
 *  - aligned as msr.rst asks (4 bytes for all three);
 *  - inside one 4 KiB page: what a guest OS allocates for these never
 *    crosses one (Linux: a page-aligned array of 32-byte entries, a
 *    per-CPU word), and an area that does is more likely a bug or an
 *    attack than a layout;
 *  - guest RAM, every byte: not a hole, not ROM (the guest could not have
 *    zeroed it, and the write would change "read-only" memory), not a
 *    device's MMIO page (a write there would reach the device model
 *    behind the guest's back: the local APIC!), not past the end of RAM.
 * A pure function of the machine's map (mem/gpm.h), so the unit tests
 * (tests/test_pv_eoi.c) run it hosted.
 */
#ifndef SPECTRUM_PV_AREA_H
#define SPECTRUM_PV_AREA_H

#include <stdint.h>

struct gpm;

/** @brief What is wrong with an area (PV_AREA_OK: nothing). */
enum pv_area_fault {
    PV_AREA_OK = 0,        /**< aligned, in one page, all RAM */
    PV_AREA_MISALIGNED,    /**< the address is not a multiple of the alignment */
    PV_AREA_CROSSES_PAGE,  /**< first and last byte in different 4 KiB pages (or past 2^64) */
    PV_AREA_NOT_RAM,       /**< some byte is a hole, ROM, MMIO or beyond RAM */
};

/**
 * @brief Check the @p len bytes at @p gpa (@p len 1 to 4096, @p align a
 *        power of two) against @p m.
 * @return PV_AREA_OK, or the first rule broken, in the order above
 */
enum pv_area_fault pv_area_check(const struct gpm *m, uint64_t gpa, uint64_t len, uint64_t align);

/** @brief "are misaligned", "cross a page boundary", ...: for messages
 *         that say "the N bytes at GPA X ...". */
const char *pv_area_fault_name(enum pv_area_fault f);

#endif
