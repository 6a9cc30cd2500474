/**
 * @file test_loader.h
 * @brief What the loaders' hosted tests and fuzzers share: a lesson-03
 *        machine whose guest-physical memory is a malloc'd buffer
 *        (test_loader_gpm.c implements the gpm_* functions the loaders
 *        call), laid out as machine/pc_machine.h describes.
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

/** @brief Zero the machine's memory again (reuse between fuzz inputs). */
void test_machine_clear(struct pc_machine *m);

/** @brief Free what test_machine_create() allocated. */
void test_machine_destroy(struct pc_machine *m);

/** @brief Host pointer to guest-physical @p gpa (RAM or ROM of a test machine), NULL elsewhere. */
uint8_t *test_guest_ptr(struct pc_machine *m, uint64_t gpa, uint64_t len);

/** @brief Number of gpm_load/gpm_write calls that were refused (the loaders must check first). */
extern unsigned long test_gpm_refused;

#endif
