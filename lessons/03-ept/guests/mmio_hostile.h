/**
 * @file mmio_hostile.h
 * @brief The hostile-MMIO guest's cases (guests/mmio_hostile.c), chosen
 *        by the scenario through the parameter block at RT_PARAM_GPA.
 *
 * Each case touches the "mmio-test" device in a way the MMIO emulator
 * does not (or need not) support; the hypervisor must stop that VM with
 * a message naming the address and the instruction's bytes, and go on
 * with the next VM.  Before the touch the guest writes to the mailbox:
 * the GPA (low, high), the RIP (low, high) and the instruction's first
 * four bytes (little-endian in one word).
 */
#ifndef SPECTRUM_GUESTS_MMIO_HOSTILE_H
#define SPECTRUM_GUESTS_MMIO_HOSTILE_H

#include <stdint.h>

#define MMIO_HOSTILE_MAGIC 0x4c54534fu  /**< "OSTL" */

/** The cases. */
enum mmio_hostile_case {
    MMIO_HOSTILE_LOCK_ADD = 0,   /**< lock addl $1, (mmio): a locked read-modify-write */
    MMIO_HOSTILE_XADD = 1,       /**< xaddl %eax, (mmio) */
    MMIO_HOSTILE_MOVDQA = 2,     /**< movdqa (mmio), %xmm0: a 16-byte SSE load */
    MMIO_HOSTILE_SPLIT = 3,      /**< an 8-byte load, 4 bytes in RAM, 4 in the device (stop, or emulate it right) */
    MMIO_HOSTILE_FETCH = 4,      /**< an instruction whose last byte lies in the device page */
    MMIO_HOSTILE_CASES = 5,
};

/** @brief The block at RT_PARAM_GPA. */
struct mmio_hostile_params {
    uint32_t magic;   /**< MMIO_HOSTILE_MAGIC */
    uint32_t which;   /**< enum mmio_hostile_case */
} __attribute__((packed));

#endif
