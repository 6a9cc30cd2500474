/**
 * @file pvclock.c
 * @brief The TSC-to-nanoseconds factor of kvmclock (pvclock.h).
 */
#include "pvhvm/pvclock.h"

#define NS_PER_S   1000000000ull
#define HZ_MIN     1000000ull       /* 1 MHz */
#define HZ_MAX     10000000000ull   /* 10 GHz */

struct pvclock_scale pvclock_scale_for(uint64_t tsc_hz)
{
    if (tsc_hz < HZ_MIN)
        tsc_hz = HZ_MIN;
    if (tsc_hz > HZ_MAX)
        tsc_hz = HZ_MAX;
    /* ns per tick is num/den = 10^9/hz.  Move powers of two into the shift
     * until 1/2 <= num/den < 1: then num/den as a 32-bit binary fraction
     * has its top bit set, the most precise multiplier there is.  num and
     * den stay below 2^35, so nothing overflows. */
    uint64_t num = NS_PER_S, den = tsc_hz;
    int shift = 0;
    while (num >= den) {
        den <<= 1;
        shift++;
    }
    while (2 * num < den) {
        num <<= 1;
        shift--;
    }
    /* mul = floor(num * 2^32 / den), one quotient bit at a time (num * 2^32
     * itself would not fit in 64 bits). */
    uint32_t mul = 0;
    uint64_t rem = num;
    for (int i = 0; i < 32; i++) {
        rem <<= 1;
        mul <<= 1;
        if (rem >= den) {
            rem -= den;
            mul |= 1;
        }
    }
    return (struct pvclock_scale){ mul, (int8_t)shift };
}

uint64_t pvclock_ticks_to_ns(uint64_t ticks, struct pvclock_scale s)
{
    if (s.shift >= 0)
        ticks <<= s.shift;
    else
        ticks >>= -s.shift;
    /* (ticks * mul) >> 32 with a 96-bit product, from two 64-bit halves. */
    uint64_t hi = (ticks >> 32) * s.mul;
    uint64_t lo = ((ticks & 0xffffffffull) * s.mul) >> 32;
    return hi + lo;
}

uint64_t pvclock_scale_khz(struct pvclock_scale s)
{
    if (!s.mul)
        return 0;
    uint64_t khz = (1000000ull << 32) / s.mul;
    return s.shift < 0 ? khz << -s.shift : khz >> s.shift;
}
