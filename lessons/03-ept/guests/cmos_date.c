/**
 * @file cmos_date.c
 * @brief Guest "p-cmos": read the date and time from the real-time clock
 *        the way a PC kernel does at boot, check it is sane, and check
 *        the seconds advance over about 1.2 s of TSC time.
 *
 * MC146818A (registers in vdev/mc146818.h): wait for UIP to clear, read every register,
 * read them again and retry until two reads agree (an update may start
 * between the two reads - Linux's mach_get_cmos_time() does the same),
 * then decode with register B: BCD or binary, 12- or 24-hour.  The
 * century comes from index 0x32.  The result goes to the mailbox so the
 * scenario can compare it with the host's own clock.
 */
#include "vdev/mc146818.h"
#include "guest/guest.h"
#include "irq_guest.h"
#include "spectrum/exercise.h"

#define UIP_POLLS   100000u    /* never spin for ever on a stuck UIP */
#define READ_TRIES  10u
#define ADVANCE_MS  1200u

enum {
    FAIL_CALIBRATION = 1 << 0, FAIL_UIP = 1 << 1, FAIL_UNSTABLE = 1 << 2, FAIL_RANGE = 1 << 3,
    FAIL_YEAR = 1 << 4, FAIL_NO_ADVANCE = 1 << 5, FAIL_READ = 1 << 6,
};

/** One reading of the clock, decoded to binary 24-hour values. */
struct cmos_time {
    unsigned year, month, day, hour, minute, second;
};

static uint8_t cmos_get(uint8_t index)
{
    guest_outb(CMOS_PORT_INDEX, index);   /* bit 7 clear: NMI stays enabled */
    return guest_inb(CMOS_PORT_DATA);
}

static unsigned bcd(uint8_t v) { return (v >> 4) * 10u + (v & 0x0F); }

/* The raw clock registers, read once UIP is clear. */
struct rtc_raw {
    uint8_t sec, min, hour, day, mon, year, century;
};

static bool rtc_read_raw(struct rtc_raw *r)
{
    unsigned n = 0;
    while ((cmos_get(RTC_STATUS_A) & RTC_A_UIP) && n < UIP_POLLS)
        n++;
    if (n == UIP_POLLS)
        return false;
    r->sec = cmos_get(RTC_SECONDS);
    r->min = cmos_get(RTC_MINUTES);
    r->hour = cmos_get(RTC_HOURS);
    r->day = cmos_get(RTC_DAY);
    r->mon = cmos_get(RTC_MONTH);
    r->year = cmos_get(RTC_YEAR);
    r->century = cmos_get(CMOS_CENTURY);
    return true;
}

/* Read until two consecutive readings agree, then decode. */
static int rtc_read(struct cmos_time *t)
{
    /* EXERCISE 03.cmos-read 5 "Wait for UIP (register A bit 7) to clear, read until two readings agree, decode BCD unless register B bit 2 is set and 12-hour times unless bit 1 is set; century at index 0x32 (MC146818A data sheet)" */
    struct rtc_raw a, b;
    unsigned tries = 0;
    if (!rtc_read_raw(&a))
        return FAIL_UIP;
    do {
        b = a;
        if (!rtc_read_raw(&a))
            return FAIL_UIP;
    } while ((a.sec != b.sec || a.min != b.min || a.hour != b.hour || a.day != b.day || a.mon != b.mon ||
              a.year != b.year || a.century != b.century) && ++tries < READ_TRIES);
    if (tries == READ_TRIES)
        return FAIL_UNSTABLE;
    uint8_t status_b = cmos_get(RTC_STATUS_B);
    bool pm = !(status_b & RTC_B_24H) && (a.hour & RTC_HOURS_PM);
    uint8_t hour = (uint8_t)(a.hour & ~RTC_HOURS_PM);
    if (status_b & RTC_B_DM) {
        t->second = a.sec, t->minute = a.min, t->hour = hour;
        t->day = a.day, t->month = a.mon, t->year = a.century * 100u + a.year;
    } else {
        t->second = bcd(a.sec), t->minute = bcd(a.min), t->hour = bcd(hour);
        t->day = bcd(a.day), t->month = bcd(a.mon), t->year = bcd(a.century) * 100u + bcd(a.year);
    }
    if (!(status_b & RTC_B_24H))   /* 12 AM is 0 h, 12 PM is 12 h */
        t->hour = t->hour % 12 + (pm ? 12 : 0);
    return 0;
    /* STUB
    (void)t;
    (void)rtc_read_raw;
    (void)bcd;
    EXERCISE_TODO();
    return FAIL_READ;
    STUB END */
    /* END EXERCISE 03.cmos-read */
}

static bool rtc_sane(const struct cmos_time *t)
{
    static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return t->month >= 1 && t->month <= 12 && t->day >= 1 && t->day <= mdays[t->month - 1] && t->hour < 24 &&
           t->minute < 60 && t->second < 60;
}

int guest_main(void)
{
    int failed = 0;
    uint64_t hz = irq_tsc_hz("cmos");
    if (!hz)
        return FAIL_CALIBRATION;
    struct cmos_time t = { 0 }, u = { 0 };
    failed |= rtc_read(&t);
    if (failed) {
        guest_printf("cmos: checks FAILED (%#x)\n", (unsigned)failed);
        return failed;
    }
    uint8_t status_b = cmos_get(RTC_STATUS_B);
    guest_printf("cmos: date %04u-%02u-%02u %02u:%02u:%02u (status B %#x: %s, %s)\n", t.year, t.month, t.day,
                 t.hour, t.minute, t.second, (unsigned)status_b, (status_b & RTC_B_DM) ? "binary" : "BCD",
                 (status_b & RTC_B_24H) ? "24-hour" : "12-hour");
    /* The memory-size bytes a BIOS leaves in CMOS RAM (IBM PC/AT Technical
     * Reference, "CMOS RAM Address Map"; 0x34/0x35 as QEMU's and Bochs's
     * BIOSes use them): the grader compares them with the machine's RAM. */
    guest_printf("cmos: memory base %u KiB, extended %u KiB (again %u), above 16 MiB %u x 64 KiB\n",
                 cmos_get(0x15) | (unsigned)cmos_get(0x16) << 8, cmos_get(0x17) | (unsigned)cmos_get(0x18) << 8,
                 cmos_get(0x30) | (unsigned)cmos_get(0x31) << 8, cmos_get(0x34) | (unsigned)cmos_get(0x35) << 8);
    if (!rtc_sane(&t))
        failed |= FAIL_RANGE;
    if (t.year < 2024 || t.year > 2199)
        failed |= FAIL_YEAR;

    /* The clock ticks: over ADVANCE_MS of TSC time the seconds move on by
     * one or two (one if the first reading came late in its second). */
    uint64_t t0 = guest_rdtsc();
    while (guest_rdtsc() - t0 < irq_us_to_tsc(hz, ADVANCE_MS * 1000u))
        guest_pause();
    failed |= rtc_read(&u);
    unsigned s0 = t.hour * 3600 + t.minute * 60 + t.second, s1 = u.hour * 3600 + u.minute * 60 + u.second;
    unsigned delta = (s1 + 86400 - s0) % 86400;
    uint64_t ms = irq_tsc_to_us(hz, guest_rdtsc() - t0) / 1000;
    if (delta < 1 || delta > 3)
        failed |= FAIL_NO_ADVANCE;
    guest_printf("cmos: %u s later by the RTC after %llu ms by the TSC (%02u:%02u:%02u)\n", delta,
                 (unsigned long long)ms, u.hour, u.minute, u.second);

    uint64_t rep[CMOS_REP_COUNT] = { 0 };
    rep[CMOS_REP_YEAR] = u.year, rep[CMOS_REP_MONTH] = u.month, rep[CMOS_REP_DAY] = u.day;
    rep[CMOS_REP_HOUR] = u.hour, rep[CMOS_REP_MINUTE] = u.minute, rep[CMOS_REP_SECOND] = u.second;
    rep[CMOS_REP_ADVANCED_MS] = ms;
    plat_report(rep, CMOS_REP_COUNT);
    guest_printf("cmos: checks %s (%#x)\n", failed ? "FAILED" : "passed", (unsigned)failed);
    return failed;
}
