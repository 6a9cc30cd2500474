/**
 * @file host_rtc.c
 * @brief Reading the host's MC146818 once (host_rtc.h).
 *
 * The sequence is the one the data sheet recommends for software that
 * does not use the update-ended interrupt ("Update Cycle", method 2):
 * wait until status A's UIP bit is clear - the registers are then stable
 * for at least 244 us - and read them.  An emulator may run our code
 * slowly, so the whole set is read twice and taken only when both reads
 * agree.  The host's status B says whether its registers are BCD and
 * 12-hour.  Index writes keep bit 7 clear: NMIs stay enabled, as the BIOS
 * left them (IBM PC/AT Technical Reference, "NMI mask" on port 70H).
 */
#include "vdev/host_rtc.h"

#include "spectrum/console.h"
#include "spectrum/tsc.h"
#include "spectrum/x86.h"

#define UIP_SPIN_LIMIT  1000000  /* bounded: a missing chip reads 0xff (UIP "set") for ever */
#define READ_ATTEMPTS   5

static bool cached;
static int64_t cached_seconds;   /* host time at cached_tsc */
static uint64_t cached_tsc;

static uint8_t cmos_in(uint8_t reg)
{
    outb(CMOS_PORT_INDEX, reg);
    return inb(CMOS_PORT_DATA);
}

static bool wait_uip_clear(void)
{
    for (int i = 0; i < UIP_SPIN_LIMIT; i++) {
        if (!(cmos_in(RTC_STATUS_A) & RTC_A_UIP))
            return true;
        cpu_pause();
    }
    return false;
}

struct raw_clock {
    uint8_t sec, min, hour, day, mon, year, century;
};

static void read_raw(struct raw_clock *r)
{
    r->sec = cmos_in(RTC_SECONDS);
    r->min = cmos_in(RTC_MINUTES);
    r->hour = cmos_in(RTC_HOURS);
    r->day = cmos_in(RTC_DAY);
    r->mon = cmos_in(RTC_MONTH);
    r->year = cmos_in(RTC_YEAR);
    r->century = cmos_in(CMOS_CENTURY);
}

static bool same(const struct raw_clock *a, const struct raw_clock *b)
{
    return a->sec == b->sec && a->min == b->min && a->hour == b->hour && a->day == b->day && a->mon == b->mon &&
           a->year == b->year && a->century == b->century;
}

static bool read_host(int64_t *out)
{
    struct raw_clock a, b;
    for (int i = 0; i < READ_ATTEMPTS; i++) {
        if (!wait_uip_clear())
            return false;
        read_raw(&a);
        if (!wait_uip_clear())
            return false;
        read_raw(&b);
        if (same(&a, &b))
            break;
        if (i == READ_ATTEMPTS - 1)
            return false;
    }
    uint8_t sb = cmos_in(RTC_STATUS_B);
    struct rtc_time t;
    t.second = rtc_decode(sb, a.sec);
    t.minute = rtc_decode(sb, a.min);
    t.hour = rtc_decode_hour(sb, a.hour);
    t.day = rtc_decode(sb, a.day);
    t.month = rtc_decode(sb, a.mon);
    /* QEMU and Bochs keep the century at 0x32; 0 there (or 0xff: no
     * chip) means "not kept": take 20xx. */
    uint8_t century = rtc_decode(sb, a.century);
    if (century < 19 || century > 99)
        century = 20;
    t.year = (uint16_t)(century * 100 + rtc_decode(sb, a.year) % 100);
    *out = rtc_to_seconds(&t);
    return true;
}

bool host_rtc_now_ns(int64_t *sec, uint32_t *nsec)
{
    static bool ok;
    if (!cached) {
        ok = read_host(&cached_seconds);
        cached_tsc = rdtsc();
        if (!ok) {
            static const struct rtc_time y2k = { 2000, 1, 1, 0, 0, 0 };
            cached_seconds = rtc_to_seconds(&y2k);
            kprintf("cmos: the host's RTC could not be read; guests' clocks start at 2000-01-01\n");
        }
        cached = true;
    }
    uint64_t hz = tsc_hz(), d = rdtsc() - cached_tsc;
    if (!hz)
        hz = 1;
    *sec = cached_seconds + (int64_t)(d / hz);
    /* The remainder is below hz (a few 10^9), times 10^9 fits in 64 bits. */
    *nsec = (uint32_t)(d % hz * 1000000000ull / hz);
    return ok;
}

bool host_rtc_now(int64_t *out)
{
    uint32_t nsec;
    return host_rtc_now_ns(out, &nsec);
}
