/**
 * @file p_cmos_test.c
 * @brief Unit tests of scenario p-cmos's date helpers (p_cmos_calc.c):
 *        BCD and binary decoding, 12-hour times, rejected garbage, and
 *        epoch seconds against known dates.
 */
#include <check.h>
#include <stdlib.h>

#include "scenarios/p_cmos_calc.h"

START_TEST(test_bcd_24h)
{
    struct cmos_raw raw = { 0x59, 0x07, 0x23, 0x29, 0x02, 0x24, 0x20, 0x02 };
    struct cmos_date d;
    ck_assert(cmos_decode(&raw, &d));
    ck_assert_uint_eq(d.year, 2024);
    ck_assert_uint_eq(d.month, 2);
    ck_assert_uint_eq(d.day, 29);
    ck_assert_uint_eq(d.hour, 23);
    ck_assert_uint_eq(d.minute, 7);
    ck_assert_uint_eq(d.second, 59);
}
END_TEST

START_TEST(test_binary_12h)
{
    /* 12 AM is 0 h, 12 PM is 12 h, 1 PM is 13 h. */
    struct cmos_raw raw = { 1, 2, 12, 31, 12, 26, 20, 0x04 };
    struct cmos_date d;
    ck_assert(cmos_decode(&raw, &d));
    ck_assert_uint_eq(d.hour, 0);
    raw.hour = 12 | 0x80;
    ck_assert(cmos_decode(&raw, &d));
    ck_assert_uint_eq(d.hour, 12);
    raw.hour = 1 | 0x80;
    ck_assert(cmos_decode(&raw, &d));
    ck_assert_uint_eq(d.hour, 13);
    ck_assert_uint_eq(d.year, 2026);
    raw.hour = 0;   /* hour 0 does not exist in 12-hour mode */
    ck_assert(!cmos_decode(&raw, &d));
}
END_TEST

START_TEST(test_garbage)
{
    struct cmos_date d;
    struct cmos_raw bad_digit = { 0x5A, 0, 0, 1, 1, 0x24, 0x20, 0x02 };
    ck_assert(!cmos_decode(&bad_digit, &d));
    /* 0x1A would pass the range check as day 20: the digit check must catch it. */
    struct cmos_raw bad_day = { 0, 0, 0, 0x1A, 1, 0x24, 0x20, 0x02 };
    ck_assert(!cmos_decode(&bad_day, &d));
    struct cmos_raw feb30 = { 0, 0, 0, 0x30, 0x02, 0x24, 0x20, 0x02 };
    ck_assert(!cmos_decode(&feb30, &d));
    struct cmos_raw feb29_2023 = { 0, 0, 0, 0x29, 0x02, 0x23, 0x20, 0x02 };
    ck_assert(!cmos_decode(&feb29_2023, &d));
    struct cmos_raw ones = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
    ck_assert(!cmos_decode(&ones, &d));
    struct cmos_raw month13 = { 0, 0, 0, 1, 13, 24, 20, 0x06 };
    ck_assert(!cmos_decode(&month13, &d));
}
END_TEST

START_TEST(test_epoch)
{
    struct cmos_date d0 = { 1970, 1, 1, 0, 0, 0 };
    ck_assert_uint_eq(cmos_epoch_seconds(&d0), 0);
    struct cmos_date d1 = { 2000, 3, 1, 0, 0, 0 };
    ck_assert_uint_eq(cmos_epoch_seconds(&d1), 951868800ull);
    struct cmos_date d2 = { 2024, 2, 29, 12, 34, 56 };
    ck_assert_uint_eq(cmos_epoch_seconds(&d2), 1709210096ull);
    struct cmos_date d3 = { 2026, 12, 31, 23, 59, 59 };
    struct cmos_date d4 = { 2027, 1, 1, 0, 0, 0 };
    ck_assert_uint_eq(cmos_epoch_seconds(&d4) - cmos_epoch_seconds(&d3), 1);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("p_cmos_calc");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_bcd_24h);
    tcase_add_test(tc, test_binary_12h);
    tcase_add_test(tc, test_garbage);
    tcase_add_test(tc, test_epoch);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
