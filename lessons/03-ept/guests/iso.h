/**
 * @file iso.h
 * @brief The isolation guest's parameter block (guests/iso.c), written by
 *        scenarios/iso_scenario.c at RT_PARAM_GPA before the guest starts.
 *
 * Three jobs, one VM each:
 *  - ISO_SECRET: write @c secret over every byte of RAM the guest does not
 *    occupy itself;
 *  - ISO_SEARCH: read all that RAM back (it must be zero: a fresh VM gets
 *    zeroed pages, whatever the previous VM left in the host's), and read
 *    the GPAs in @c addr (host-physical places of Spectrum's image, its
 *    page tables, the previous VM's pages) that fall inside it;
 *  - ISO_PROBE: touch @c addr[0] once (read, write or fetch): a GPA with
 *    nothing behind it, so the VM must be stopped there.  Before the touch
 *    the guest writes the GPA and the RIP of the touching instruction to
 *    the mailbox (four words: GPA low, high, RIP low, high), so the
 *    scenario can check that the stop message names both.
 */
#ifndef SPECTRUM_GUESTS_ISO_H
#define SPECTRUM_GUESTS_ISO_H

#include <stdint.h>

#define ISO_MAGIC     0x314f5349u  /**< "ISO1" */
#define ISO_MAX_ADDRS 12           /**< addresses in one block */

/** What the guest does. */
enum iso_job {
    ISO_SECRET = 1,   /**< fill free RAM with the secret */
    ISO_SEARCH = 2,   /**< search all free RAM: zeros only */
    ISO_PROBE = 3,    /**< touch addr[0] (a hole): the VM must stop */
};

/** How ISO_PROBE touches. */
enum iso_touch {
    ISO_READ = 0,     /**< mov (addr), reg */
    ISO_WRITE = 1,    /**< mov reg, (addr) */
    ISO_FETCH = 2,    /**< call addr */
    ISO_READ_TOP = 3, /**< read the last qword below 2^MAXPHYADDR (the guest asks CPUID) */
};

/** @brief The block at RT_PARAM_GPA. */
struct iso_params {
    uint32_t magic;              /**< ISO_MAGIC */
    uint32_t job;                /**< enum iso_job */
    uint32_t touch;              /**< enum iso_touch (ISO_PROBE) */
    uint32_t count;              /**< addresses in @c addr */
    uint64_t ram_top;            /**< one past the last RAM byte */
    uint64_t secret;             /**< the pattern (ISO_SECRET, ISO_SEARCH) */
    uint64_t addr[ISO_MAX_ADDRS]; /**< GPAs to look at (see above) */
} __attribute__((packed));
_Static_assert(sizeof(struct iso_params) == 32 + 8 * ISO_MAX_ADDRS, "no padding: both sides share it");

#endif
