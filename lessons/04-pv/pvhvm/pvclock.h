/**
 * @file pvclock.h
 * @brief kvmclock's arithmetic, host side: the factor that turns TSC ticks
 *        into nanoseconds in the form struct pvclock_vcpu_time_info carries
 *        it (a shift and a 32.32 fixed-point multiplier), and the
 *        conversion itself.  Pure functions: tests/test_pvclock.c runs them
 *        hosted.
 *
 * Why a shift and a multiplier instead of a division: the guest converts
 * on every clock read, in user space too (the vDSO), and a 64-bit
 * multiply and a shift are a few cycles where a division is tens.  The
 * hypervisor does the one division, here, when it fills the structure.
 */
#ifndef SPECTRUM_PVCLOCK_H
#define SPECTRUM_PVCLOCK_H

#include <stdint.h>

/** @brief A TSC-to-nanoseconds factor: ns = ((ticks << shift) * mul) >> 32 (right shift if negative). */
struct pvclock_scale {
    uint32_t mul;   /**< tsc_to_system_mul: between 2^31 and 2^32 - 1, for the most precision */
    int8_t shift;   /**< tsc_shift */
};

/**
 * @brief The factor for a TSC of @p tsc_hz ticks per second (1 MHz to
 *        10 GHz; anything outside is clamped): relative error below 2^-31.
 */
struct pvclock_scale pvclock_scale_for(uint64_t tsc_hz);

/** @brief Nanoseconds in @p ticks TSC ticks, as the guest computes them (msr.rst's formula). */
uint64_t pvclock_ticks_to_ns(uint64_t ticks, struct pvclock_scale s);

/** @brief The TSC rate in kHz that Linux derives back from @p s
 *         (pvclock_tsc_khz(): 10^6 * 2^32 / mul, then the shift undone). */
uint64_t pvclock_scale_khz(struct pvclock_scale s);

#endif
