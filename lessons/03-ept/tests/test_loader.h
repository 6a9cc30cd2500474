/**
 * @file test_loader.h
 * @brief What the loaders' hosted tests and fuzzers share: a lesson-03
 *        machine with the real guest-physical memory map (mem/gpm.c on the
 *        hosted page allocator tests/host_pages.c), laid out as
 *        machine/pc_machine.h describes, without the VM and devices
 *        pc_machine_create() adds (the loaders only use the map).
 */
#ifndef SPECTRUM_TEST_LOADER_H
#define SPECTRUM_TEST_LOADER_H

#include <stdbool.h>
#include <stdint.h>

#include "loader/loader.h"
#include "machine/pc_machine.h"

#define TEST_IOAPIC_BASE 0xfec00000ull  /**< an MMIO region, as the IOAPIC's */
#define TEST_LAPIC_BASE  0xfee00000ull  /**< an MMIO region, as the local APIC's */

/**
 * @brief A machine with the PC layout: low RAM, the hole, the "bios" ROM,
 *        RAM from 1 MiB to @p ram_bytes, two MMIO pages; all zeroed.
 */
void test_machine_create(struct pc_machine *m, uint64_t ram_bytes);

/** @brief Zero the machine's RAM and ROM again (reuse between fuzz inputs). */
void test_machine_clear(struct pc_machine *m);

/** @brief Free what test_machine_create() allocated. */
void test_machine_destroy(struct pc_machine *m);

/** @brief A copy of guest bytes [gpa, gpa+len) (len <= 64 KiB; valid until the 4th next call), NULL if not all RAM/ROM. */
const uint8_t *test_guest_bytes(struct pc_machine *m, uint64_t gpa, uint64_t len);

/** @brief The NUL-terminated guest string at @p gpa (at most 4 KiB; same lifetime), NULL if unreadable. */
const char *test_guest_str(struct pc_machine *m, uint64_t gpa);

/** @brief Fill guest RAM [gpa, gpa+len) with @p byte (aborts if it is not RAM). */
void test_guest_fill(struct pc_machine *m, uint64_t gpa, uint8_t byte, uint64_t len);

/** @brief gpm_load/gpm_write calls from the loaders that gpm refused
 *  (-Wl,--wrap: the loaders must check a range before writing it). */
extern unsigned long test_gpm_refused;

#endif
