/**
 * @file test_cmos.c
 * @brief Unit tests of the MC146818A model (vdev/mc146818.c), hosted, with
 *        the Check framework.  The clock is the caller's seconds counter,
 *        so every expected register value follows from the data sheet.
 */
#include <check.h>
#include <stdlib.h>

#include "vdev/mc146818.h"

/* 2024-02-29 23:59:58, a Thursday. */
static const struct rtc_time leap_eve = { 2024, 2, 29, 23, 59, 58 };

static uint8_t rd(struct mc146818 *c, uint8_t reg, uint64_t now)
{
    mc146818_write_index(c, reg);
    return mc146818_read_data(c, now);
}

static void wr(struct mc146818 *c, uint8_t reg, uint8_t v, uint64_t now)
{
    mc146818_write_index(c, reg);
    mc146818_write_data(c, v, now);
}

START_TEST(power_on_status)
{
    struct mc146818 c;
    mc146818_reset(&c, &leap_eve, 100);
    ck_assert_uint_eq(rd(&c, RTC_STATUS_A, 100), 0x26);
    ck_assert_uint_eq(rd(&c, RTC_STATUS_B, 100), RTC_B_24H);   /* BCD, 24-hour */
    ck_assert_uint_eq(rd(&c, RTC_STATUS_C, 100), 0);
    ck_assert_uint_eq(rd(&c, RTC_STATUS_D, 100), RTC_D_VRT);  /* valid RAM and time */
}
END_TEST

START_TEST(bcd_time_and_date)
{
    struct mc146818 c;
    mc146818_reset(&c, &leap_eve, 100);
    ck_assert_uint_eq(rd(&c, RTC_SECONDS, 100), 0x58);
    ck_assert_uint_eq(rd(&c, RTC_MINUTES, 100), 0x59);
    ck_assert_uint_eq(rd(&c, RTC_HOURS, 100), 0x23);
    ck_assert_uint_eq(rd(&c, RTC_WEEKDAY, 100), 5);           /* Thursday, Sunday = 1 */
    ck_assert_uint_eq(rd(&c, RTC_DAY, 100), 0x29);
    ck_assert_uint_eq(rd(&c, RTC_MONTH, 100), 0x02);
    ck_assert_uint_eq(rd(&c, RTC_YEAR, 100), 0x24);
    ck_assert_uint_eq(rd(&c, CMOS_CENTURY, 100), 0x20);
}
END_TEST

START_TEST(clock_ticks_across_leap_day)
{
    struct mc146818 c;
    mc146818_reset(&c, &leap_eve, 100);
    /* Two seconds later it is March 1st, a Friday. */
    ck_assert_uint_eq(rd(&c, RTC_SECONDS, 102), 0x00);
    ck_assert_uint_eq(rd(&c, RTC_HOURS, 102), 0x00);
    ck_assert_uint_eq(rd(&c, RTC_DAY, 102), 0x01);
    ck_assert_uint_eq(rd(&c, RTC_MONTH, 102), 0x03);
    ck_assert_uint_eq(rd(&c, RTC_WEEKDAY, 102), 6);
    /* Two years on (730 days, no leap day between): 2026-03-01. */
    ck_assert_uint_eq(rd(&c, RTC_YEAR, 102 + 2 * 365 * 86400ull), 0x26);
}
END_TEST

START_TEST(binary_mode)
{
    struct mc146818 c;
    mc146818_reset(&c, &leap_eve, 0);
    wr(&c, RTC_STATUS_B, RTC_B_24H | RTC_B_DM, 0);
    ck_assert_uint_eq(rd(&c, RTC_SECONDS, 0), 58);
    ck_assert_uint_eq(rd(&c, RTC_HOURS, 0), 23);
    ck_assert_uint_eq(rd(&c, RTC_DAY, 0), 29);
    ck_assert_uint_eq(rd(&c, RTC_YEAR, 0), 24);
    ck_assert_uint_eq(rd(&c, CMOS_CENTURY, 0), 20);
}
END_TEST

START_TEST(twelve_hour_mode)
{
    struct rtc_time t = { 2023, 7, 14, 0, 30, 0 };
    struct mc146818 c;
    mc146818_reset(&c, &t, 0);
    wr(&c, RTC_STATUS_B, 0, 0);                             /* BCD, 12-hour */
    ck_assert_uint_eq(rd(&c, RTC_HOURS, 0), 0x12);          /* 12 AM */
    ck_assert_uint_eq(rd(&c, RTC_HOURS, 13 * 3600), 0x80 | 0x01);  /* 1 PM */
    ck_assert_uint_eq(rd(&c, RTC_HOURS, 12 * 3600), 0x80 | 0x12);  /* 12 PM */
    wr(&c, RTC_STATUS_B, RTC_B_DM, 0);                      /* binary, 12-hour */
    ck_assert_uint_eq(rd(&c, RTC_HOURS, 23 * 3600), 0x80 | 11);    /* 11 PM */
    /* Writing 9 PM in this mode sets 21:xx. */
    wr(&c, RTC_HOURS, 0x80 | 9, 0);
    wr(&c, RTC_STATUS_B, RTC_B_DM | RTC_B_24H, 0);
    ck_assert_uint_eq(rd(&c, RTC_HOURS, 0), 21);
}
END_TEST

START_TEST(uip_reads_clear)
{
    struct mc146818 c;
    mc146818_reset(&c, &leap_eve, 0);
    wr(&c, RTC_STATUS_A, 0xa6, 0);                          /* the guest tries to set UIP */
    for (uint64_t t = 0; t < 5; t++)
        ck_assert_uint_eq(rd(&c, RTC_STATUS_A, t) & RTC_A_UIP, 0);
    ck_assert_uint_eq(rd(&c, RTC_STATUS_A, 0), 0x26);       /* the other bits are kept */
}
END_TEST

START_TEST(index_and_nmi_bit)
{
    struct mc146818 c;
    mc146818_reset(&c, &leap_eve, 0);
    mc146818_write_index(&c, 0x80 | 0x40);                  /* NMI masked, user RAM 0x40 */
    ck_assert(c.nmi_masked);
    ck_assert_uint_eq(c.index, 0x40);
    mc146818_write_data(&c, 0x5a, 0);
    mc146818_write_index(&c, 0x40);                         /* same byte, NMIs enabled */
    ck_assert(!c.nmi_masked);
    ck_assert_uint_eq(mc146818_read_data(&c, 0), 0x5a);
    mc146818_write_index(&c, 0xff);                         /* index 0x7f: the last byte */
    ck_assert_uint_eq(c.index, 0x7f);
    ck_assert_uint_eq(c.index_writes, 3);
}
END_TEST

START_TEST(set_bit_freezes_and_guest_sets_clock)
{
    struct mc146818 c;
    mc146818_reset(&c, &leap_eve, 0);
    wr(&c, RTC_STATUS_B, RTC_B_SET | RTC_B_24H | RTC_B_UIE, 10);
    ck_assert_uint_eq(rd(&c, RTC_STATUS_B, 10) & RTC_B_UIE, 0);   /* SET clears UIE */
    ck_assert_uint_eq(rd(&c, RTC_SECONDS, 50), 0x08);       /* frozen at 23:59:58 + 10 s */
    /* Linux's mc146818_set_time order: 1999-12-31 23:59:59. */
    wr(&c, RTC_SECONDS, 0x59, 60);
    wr(&c, RTC_MINUTES, 0x59, 60);
    wr(&c, RTC_HOURS, 0x23, 60);
    wr(&c, RTC_DAY, 0x31, 60);
    wr(&c, RTC_MONTH, 0x12, 60);
    wr(&c, RTC_YEAR, 0x99, 60);
    wr(&c, CMOS_CENTURY, 0x19, 60);
    ck_assert_uint_eq(rd(&c, RTC_SECONDS, 500), 0x59);      /* still frozen */
    wr(&c, RTC_STATUS_B, RTC_B_24H, 1000);                  /* runs again from here */
    ck_assert_uint_eq(rd(&c, RTC_SECONDS, 1001), 0x00);
    ck_assert_uint_eq(rd(&c, RTC_YEAR, 1001), 0x00);
    ck_assert_uint_eq(rd(&c, CMOS_CENTURY, 1001), 0x20);
    ck_assert_uint_eq(rd(&c, RTC_MONTH, 1001), 0x01);
    ck_assert_uint_eq(rd(&c, RTC_WEEKDAY, 1001), 7);        /* 2000-01-01 was a Saturday */
}
END_TEST

START_TEST(hostile_values_stay_in_range)
{
    struct mc146818 c;
    mc146818_reset(&c, &leap_eve, 0);
    wr(&c, RTC_SECONDS, 0xff, 0);                           /* not BCD: digits modulo 10 */
    ck_assert_uint_le(rd(&c, RTC_SECONDS, 0), 0x59);
    wr(&c, RTC_MONTH, 0x13, 0);
    ck_assert_uint_eq(rd(&c, RTC_MONTH, 0), 0x12);
    wr(&c, RTC_DAY, 0x00, 0);
    ck_assert_uint_eq(rd(&c, RTC_DAY, 0), 0x01);
    wr(&c, RTC_STATUS_B, RTC_B_24H | RTC_B_DM, 0);
    wr(&c, RTC_HOURS, 200, 0);
    ck_assert_uint_lt(rd(&c, RTC_HOURS, 0), 24);
    wr(&c, CMOS_CENTURY, 0, 0);                             /* year 24: odd, but a date */
    ck_assert_uint_eq(rd(&c, CMOS_CENTURY, 0), 0);
    ck_assert_uint_eq(rd(&c, RTC_STATUS_D, 0), RTC_D_VRT);
    wr(&c, RTC_STATUS_D, 0, 0);                             /* read-only */
    ck_assert_uint_eq(rd(&c, RTC_STATUS_D, 0), RTC_D_VRT);
}
END_TEST

START_TEST(nvram_and_alarms_are_ram)
{
    struct mc146818 c;
    mc146818_reset(&c, &leap_eve, 0);
    for (unsigned r = 0x0e; r < CMOS_SIZE; r++)
        if (r != CMOS_CENTURY)
            wr(&c, (uint8_t)r, (uint8_t)(r ^ 0xa5), 0);
    wr(&c, RTC_SECONDS_ALARM, 0x33, 0);
    for (unsigned r = 0x0e; r < CMOS_SIZE; r++)
        if (r != CMOS_CENTURY)
            ck_assert_uint_eq(rd(&c, (uint8_t)r, 0), r ^ 0xa5);
    ck_assert_uint_eq(rd(&c, RTC_SECONDS_ALARM, 0), 0x33);
    ck_assert_uint_eq(c.writes, CMOS_SIZE - 0x0e - 1 + 1);
}
END_TEST

START_TEST(calendar_round_trip)
{
    /* Every day from 1900 to 2100 converts to seconds and back. */
    struct rtc_time t = { 1900, 1, 1, 12, 0, 0 };
    int64_t s = rtc_to_seconds(&t);
    for (int d = 0; d < 201 * 366; d++, s += 86400) {
        struct rtc_time o;
        rtc_from_seconds(s, &o);
        ck_assert_int_eq(rtc_to_seconds(&o), s);
        ck_assert_uint_eq(o.hour, 12);
    }
    struct rtc_time epoch = { 1970, 1, 1, 0, 0, 0 };
    ck_assert_int_eq(rtc_to_seconds(&epoch), 0);
    struct rtc_time y2038 = { 2038, 1, 19, 3, 14, 8 };
    ck_assert_int_eq(rtc_to_seconds(&y2038), 2147483648ll);
    ck_assert_uint_eq(rtc_weekday(&epoch), 5);              /* a Thursday */
}
END_TEST

static Suite *cmos_suite(void)
{
    Suite *s = suite_create("mc146818");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, power_on_status);
    tcase_add_test(tc, bcd_time_and_date);
    tcase_add_test(tc, clock_ticks_across_leap_day);
    tcase_add_test(tc, binary_mode);
    tcase_add_test(tc, twelve_hour_mode);
    tcase_add_test(tc, uip_reads_clear);
    tcase_add_test(tc, index_and_nmi_bit);
    tcase_add_test(tc, set_bit_freezes_and_guest_sets_clock);
    tcase_add_test(tc, hostile_values_stay_in_range);
    tcase_add_test(tc, nvram_and_alarms_are_ram);
    tcase_add_test(tc, calendar_round_trip);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmos_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
