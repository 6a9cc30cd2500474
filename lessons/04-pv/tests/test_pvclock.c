/**
 * @file test_pvclock.c
 * @brief Unit tests of kvmclock's TSC-to-nanoseconds factor
 *        (pvhvm/pvclock.c) against a 128-bit reference of msr.rst's
 *        formula and against what the rate should give.
 */
#include <check.h>
#include <stdint.h>

#include "check_main.h"
#include "pvhvm/pvclock.h"

static const uint64_t rates[] = {
    1000000ull,       /* the lowest */
    14318180ull,      /* 4 x the PIT's crystal */
    1000000000ull,    /* 1 GHz: ns per tick exactly 1 */
    1193182000ull,
    2611134000ull,    /* what QEMU TCG shows here */
    2999999999ull,
    3000000000ull,
    4748027000ull,
    10000000000ull,   /* the highest */
};
#define RATES (sizeof rates / sizeof rates[0])

/* msr.rst's formula with a 128-bit product. */
static uint64_t reference(uint64_t ticks, struct pvclock_scale s)
{
    ticks = s.shift >= 0 ? ticks << s.shift : ticks >> -s.shift;
    return (uint64_t)(((unsigned __int128)ticks * s.mul) >> 32);
}

static uint64_t absdiff(uint64_t a, uint64_t b) { return a > b ? a - b : b - a; }

START_TEST(multiplier_is_normalised)
{
    for (unsigned i = 0; i < RATES; i++) {
        struct pvclock_scale s = pvclock_scale_for(rates[i]);
        ck_assert_msg(s.mul >= 0x80000000u, "rate %lu: mul %#x below 2^31", (unsigned long)rates[i], s.mul);
        ck_assert(s.shift >= -8 && s.shift <= 12);
    }
}
END_TEST

START_TEST(one_second_is_a_second)
{
    for (unsigned i = 0; i < RATES; i++) {
        struct pvclock_scale s = pvclock_scale_for(rates[i]);
        /* mul is floor(x * 2^32) with its top bit set: relative error
         * below 2^-31, plus one for the final truncation. */
        uint64_t ns = pvclock_ticks_to_ns(rates[i], s);
        ck_assert_msg(absdiff(ns, 1000000000ull) <= 1, "rate %lu: 1 s of ticks is %lu ns", (unsigned long)rates[i],
                      (unsigned long)ns);
        uint64_t hour = pvclock_ticks_to_ns(rates[i] * 3600, s);
        ck_assert_msg(absdiff(hour, 3600000000000ull) <= 3600000000000ull / 0x80000000ull + 1,
                      "rate %lu: an hour is %lu ns", (unsigned long)rates[i], (unsigned long)hour);
    }
}
END_TEST

START_TEST(linux_gets_the_rate_back)
{
    /* kvm_get_tsc_khz() -> pvclock_tsc_khz(): what Linux then believes.
     * Its formula divides first and shifts left after, so with a negative
     * shift it loses that many low bits: the tolerance grows with it. */
    for (unsigned i = 0; i < RATES; i++) {
        struct pvclock_scale s = pvclock_scale_for(rates[i]);
        uint64_t khz = pvclock_scale_khz(s);
        uint64_t tolerance = (s.shift < 0 ? 1ull << -s.shift : 1) + 1;
        ck_assert_msg(absdiff(khz, rates[i] / 1000) <= tolerance, "rate %lu: Linux would see %lu kHz",
                      (unsigned long)rates[i], (unsigned long)khz);
    }
}
END_TEST

START_TEST(matches_the_formula_for_large_deltas)
{
    /* Deltas around the 2^32 boundary of the two-halves product, and up
     * to about a century of ticks. */
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (unsigned i = 0; i < RATES; i++) {
        struct pvclock_scale s = pvclock_scale_for(rates[i]);
        uint64_t fixed[] = { 0, 1, 0xffffffffull, 0x100000000ull, 0x1ffffffffull, 1ull << 52 };
        for (unsigned j = 0; j < sizeof fixed / sizeof fixed[0]; j++)
            ck_assert_uint_eq(pvclock_ticks_to_ns(fixed[j], s), reference(fixed[j], s));
        for (int j = 0; j < 10000; j++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            uint64_t t = x >> 12;   /* below 2^52: no shift overflows */
            ck_assert_uint_eq(pvclock_ticks_to_ns(t, s), reference(t, s));
        }
    }
}
END_TEST

START_TEST(monotonic)
{
    struct pvclock_scale s = pvclock_scale_for(2611134000ull);
    uint64_t last = 0;
    for (uint64_t t = 0xfffff000ull; t < 0x100001000ull; t += 3) {
        uint64_t ns = pvclock_ticks_to_ns(t, s);
        ck_assert(ns >= last);
        last = ns;
    }
}
END_TEST

START_TEST(rates_out_of_range_are_clamped)
{
    struct pvclock_scale lo = pvclock_scale_for(0), hi = pvclock_scale_for(UINT64_MAX);
    ck_assert(lo.mul >= 0x80000000u && hi.mul >= 0x80000000u);
    ck_assert_uint_eq(pvclock_scale_khz(lo), 1000);
    ck_assert_uint_eq(pvclock_scale_khz(hi), 10000000);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pvclock");
    TCase *t = tcase_create("scale");
    tcase_add_test(t, multiplier_is_normalised);
    tcase_add_test(t, one_second_is_a_second);
    tcase_add_test(t, linux_gets_the_rate_back);
    tcase_add_test(t, matches_the_formula_for_large_deltas);
    tcase_add_test(t, monotonic);
    tcase_add_test(t, rates_out_of_range_are_clamped);
    suite_add_tcase(s, t);
    return s;
}

CHECK_MAIN(suite)
