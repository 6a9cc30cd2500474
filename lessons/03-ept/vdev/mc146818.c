/**
 * @file mc146818.c
 * @brief The MC146818A's logic: index and NVRAM, status registers A-D,
 *        and a clock kept as seconds since 1970 that the time registers
 *        show in BCD or binary, 24- or 12-hour format, as status B says.
 *
 * The chip counts its time registers one second at a time; this model
 * keeps one number (seconds) and the caller's clock at which it was
 * right, and computes the registers on each read, like the PIT model
 * computes its counters.  Consequences worth knowing:
 *  - the update cycle never shows: status A's UIP bit always reads 0.  A
 *    guest that polls for UIP = 0 before reading (Linux does, tens of
 *    thousands of times while it waits for a second to pass) gets it at
 *    once, and consecutive reads are consistent unless a second boundary
 *    falls between them - exactly what a real chip promises after UIP = 0
 *    (data sheet "Update Cycle": at least 244 us of stable registers);
 *  - status B's SET bit stops the clock (data sheet "Register B": "SET ...
 *    the update cycle is inhibited"), and clearing it restarts it from
 *    what the guest wrote;
 *  - values the guest writes are decoded in the format status B has at
 *    that moment and brought into range (the data sheet leaves
 *    out-of-range values undefined: "the time, calendar, and alarm
 *    registers must be initialized ... in the correct format"), so a
 *    hostile guest can set any date but never an inconsistent one;
 *  - switching status B's formats re-encodes the time at once (the chip
 *    would show the old bytes until the next update);
 *  - the alarm and periodic interrupts (IRQ 8) and daylight saving are not
 *    modelled: status C reads 0 and the alarm bytes are plain RAM.
 */
#include "vdev/mc146818.h"

#include "spectrum/exercise.h"

#define SECONDS_PER_DAY 86400
#define YEAR_MIN 1               /* proleptic Gregorian years the clock can show */
#define YEAR_MAX 9999
#define EPOCH_YEAR 1970

static bool leap_year(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static uint8_t days_in_month(int64_t y, unsigned m)
{
    static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12)
        return 31;
    return (uint8_t)(days[m - 1] + (m == 2 && leap_year(y) ? 1 : 0));
}

/* Leap days in years 1 .. y-1 (y >= 1). */
static int64_t leap_days_before(int64_t y)
{
    int64_t p = y - 1;
    return p / 4 - p / 100 + p / 400;
}

/* Days from 1970-01-01 to January 1st of year y. */
static int64_t days_before_year(int64_t y)
{
    return 365 * (y - EPOCH_YEAR) + leap_days_before(y) - leap_days_before(EPOCH_YEAR);
}

static void clamp(struct rtc_time *t)
{
    if (t->year < YEAR_MIN)
        t->year = YEAR_MIN;
    if (t->year > YEAR_MAX)
        t->year = YEAR_MAX;
    if (t->month < 1 || t->month > 12)
        t->month = t->month < 1 ? 1 : 12;
    uint8_t dim = days_in_month(t->year, t->month);
    if (t->day < 1)
        t->day = 1;
    if (t->day > dim)
        t->day = dim;
    t->hour %= 24;
    t->minute %= 60;
    t->second %= 60;
}

int64_t rtc_to_seconds(const struct rtc_time *in)
{
    struct rtc_time t = *in;
    clamp(&t);
    int64_t days = days_before_year(t.year);
    for (unsigned m = 1; m < t.month; m++)
        days += days_in_month(t.year, m);
    days += t.day - 1;
    return days * SECONDS_PER_DAY + t.hour * 3600 + t.minute * 60 + t.second;
}

void rtc_from_seconds(int64_t s, struct rtc_time *out)
{
    int64_t lo = days_before_year(YEAR_MIN) * SECONDS_PER_DAY;
    int64_t hi = days_before_year(YEAR_MAX + 1) * SECONDS_PER_DAY - 1;
    if (s < lo)
        s = lo;
    if (s > hi)
        s = hi;
    int64_t days = s / SECONDS_PER_DAY, sod = s % SECONDS_PER_DAY;
    if (sod < 0) {               /* floor division for times before 1970 */
        sod += SECONDS_PER_DAY;
        days--;
    }
    /* A year of 365.2425 days: the estimate is off by at most one. */
    int64_t y = EPOCH_YEAR + (days * 400) / 146097;
    while (y > YEAR_MIN && days_before_year(y) > days)
        y--;
    while (y < YEAR_MAX && days_before_year(y + 1) <= days)
        y++;
    int64_t doy = days - days_before_year(y);
    unsigned m = 1;
    while (m < 12 && doy >= days_in_month(y, m))
        doy -= days_in_month(y, m++);
    out->year = (uint16_t)y;
    out->month = (uint8_t)m;
    out->day = (uint8_t)(doy + 1);
    out->hour = (uint8_t)(sod / 3600);
    out->minute = (uint8_t)(sod / 60 % 60);
    out->second = (uint8_t)(sod % 60);
}

uint8_t rtc_weekday(const struct rtc_time *t)
{
    int64_t s = rtc_to_seconds(t);
    int64_t days = s / SECONDS_PER_DAY;
    if (s % SECONDS_PER_DAY < 0)
        days--;                  /* floor division */
    /* 1970-01-01 was a Thursday: 5 with Sunday = 1. */
    return (uint8_t)(((days % 7 + 7) % 7 + 4) % 7 + 1);
}

uint8_t rtc_encode(uint8_t status_b, uint8_t v)
{
    /* EXERCISE 03.cmos-rtc 5 "Time registers in the format status register B selects: binary if DM (bit 2) is set, else BCD (two decimal digits, one per nibble); hours in 12-hour mode (bit 1 clear) are 1-12 with bit 7 = PM (MC146818A data sheet, Register B and Table 3)" */
    if (status_b & RTC_B_DM)
        return v;
    return (uint8_t)(((v / 10) % 10) << 4 | v % 10);
    /* STUB
    EXERCISE_TODO();
    (void)status_b;
    return v;
    STUB END */
    /* END EXERCISE 03.cmos-rtc */
}

uint8_t rtc_decode(uint8_t status_b, uint8_t raw)
{
    if (status_b & RTC_B_DM)
        return raw;
    return (uint8_t)(((raw >> 4) % 10) * 10 + (raw & 0xf) % 10);
}

uint8_t rtc_decode_hour(uint8_t status_b, uint8_t raw)
{
    if (status_b & RTC_B_24H)
        return rtc_decode(status_b, raw) % 24;
    uint8_t h = rtc_decode(status_b, raw & (uint8_t)~RTC_HOURS_PM) % 12;   /* 12 AM is hour 0 */
    return (uint8_t)(h + (raw & RTC_HOURS_PM ? 12 : 0));
}

static int64_t clock_now(const struct mc146818 *c, uint64_t now)
{
    if ((c->ram[RTC_STATUS_B] & RTC_B_SET) || now < c->base_at)
        return c->base;
    return c->base + (int64_t)(now - c->base_at);
}

void mc146818_time(const struct mc146818 *c, uint64_t now, struct rtc_time *out)
{
    rtc_from_seconds(clock_now(c, now), out);
}

void mc146818_reset(struct mc146818 *c, const struct rtc_time *t, uint64_t now)
{
    *c = (struct mc146818){ 0 };
    c->ram[RTC_STATUS_A] = RTC_A_DEFAULT;
    c->ram[RTC_STATUS_B] = RTC_B_DEFAULT;
    c->base = rtc_to_seconds(t);
    c->base_at = now;
}

void mc146818_write_index(struct mc146818 *c, uint8_t v)
{
    c->index_writes++;
    c->index = v & CMOS_INDEX_MASK;
    c->nmi_masked = (v & CMOS_NMI_MASK) != 0;
}

/* The byte a time register shows for @p t in status B's format. */
static uint8_t time_register(uint8_t b, unsigned reg, const struct rtc_time *t)
{
    /* EXERCISE 03.cmos-rtc 5 "Time registers in the format status register B selects: binary if DM (bit 2) is set, else BCD (two decimal digits, one per nibble); hours in 12-hour mode (bit 1 clear) are 1-12 with bit 7 = PM (MC146818A data sheet, Register B and Table 3)" */
    switch (reg) {
    case RTC_SECONDS: return rtc_encode(b, t->second);
    case RTC_MINUTES: return rtc_encode(b, t->minute);
    case RTC_HOURS:
        if (b & RTC_B_24H)
            return rtc_encode(b, t->hour);
        return (uint8_t)(rtc_encode(b, t->hour % 12 ? t->hour % 12 : 12) | (t->hour >= 12 ? RTC_HOURS_PM : 0));
    case RTC_WEEKDAY: return rtc_encode(b, rtc_weekday(t));
    case RTC_DAY: return rtc_encode(b, t->day);
    case RTC_MONTH: return rtc_encode(b, t->month);
    case RTC_YEAR: return rtc_encode(b, (uint8_t)(t->year % 100));
    default: return rtc_encode(b, (uint8_t)(t->year / 100));   /* CMOS_CENTURY */
    }
    /* STUB
    EXERCISE_TODO();
    (void)b;
    (void)reg;
    (void)t;
    return 0;
    STUB END */
    /* END EXERCISE 03.cmos-rtc */
}

static bool is_time_register(unsigned reg)
{
    return reg == RTC_SECONDS || reg == RTC_MINUTES || reg == RTC_HOURS || (reg >= RTC_WEEKDAY && reg <= RTC_YEAR) ||
           reg == CMOS_CENTURY;
}

uint8_t mc146818_read_data(struct mc146818 *c, uint64_t now)
{
    c->reads++;
    unsigned reg = c->index;
    if (is_time_register(reg)) {
        struct rtc_time t;
        mc146818_time(c, now, &t);
        return time_register(c->ram[RTC_STATUS_B], reg, &t);
    }
    switch (reg) {
    case RTC_STATUS_A:
        return c->ram[reg] & (uint8_t)~RTC_A_UIP;   /* never "update in progress" */
    case RTC_STATUS_C: {
        uint8_t v = c->ram[reg];
        c->ram[reg] = 0;                            /* "Register C": flags clear when read */
        return v;
    }
    case RTC_STATUS_D:
        return RTC_D_VRT;
    default:
        return c->ram[reg];
    }
}

/* The guest wrote @p raw to time register @p reg: change that field of the
 * clock, the others keep counting from where they are. */
static void set_time_register(struct mc146818 *c, unsigned reg, uint8_t raw, uint64_t now)
{
    uint8_t b = c->ram[RTC_STATUS_B];
    struct rtc_time t;
    mc146818_time(c, now, &t);
    uint8_t v = rtc_decode(b, raw);
    switch (reg) {
    case RTC_SECONDS: t.second = v; break;
    case RTC_MINUTES: t.minute = v; break;
    case RTC_HOURS: t.hour = rtc_decode_hour(b, raw); break;
    case RTC_WEEKDAY: return;                        /* computed from the date */
    case RTC_DAY: t.day = v; break;
    case RTC_MONTH: t.month = v; break;
    case RTC_YEAR: t.year = (uint16_t)(t.year / 100 * 100 + v % 100); break;
    default: t.year = (uint16_t)((v % 100) * 100 + t.year % 100); break;   /* CMOS_CENTURY */
    }
    c->base = rtc_to_seconds(&t);      /* clamps what the guest wrote into range */
    c->base_at = now;
}

void mc146818_write_data(struct mc146818 *c, uint8_t v, uint64_t now)
{
    c->writes++;
    unsigned reg = c->index;
    if (is_time_register(reg)) {
        set_time_register(c, reg, v, now);
        return;
    }
    switch (reg) {
    case RTC_STATUS_A:
        c->ram[reg] = v & (uint8_t)~RTC_A_UIP;      /* UIP is read-only */
        break;
    case RTC_STATUS_B: {
        bool was_set = c->ram[reg] & RTC_B_SET, set = v & RTC_B_SET;
        if (set && !was_set) {                      /* freeze the clock where it is */
            c->base = clock_now(c, now);
            c->base_at = now;
        } else if (!set && was_set) {
            c->base_at = now;                       /* restart from what was set */
        }
        if (set)
            v &= (uint8_t)~RTC_B_UIE;               /* "SET ... UIE is cleared" */
        c->ram[reg] = v;
        break;
    }
    case RTC_STATUS_C:
    case RTC_STATUS_D:
        break;                                      /* read-only */
    default:
        c->ram[reg] = v;                            /* alarms and user RAM */
        break;
    }
}
