/**
 * @file p_cmos.c
 * @brief Scenario "p-cmos": the guest reads the emulated RTC
 *        (guests/cmos_date.c) and leaves its reading in the mailbox; the
 *        host reads the machine's own RTC (the engine's, which follows the
 *        real date) the same way, and the two must agree to within a few
 *        seconds.
 */
#include "scenarios/p_cmos_calc.h"
#include "scenarios/p_irq_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/tsc.h"
#include "spectrum/x86.h"
#include "vcpu/hvm_guest.h"
#include "vdev/mc146818.h"

PC_GUEST_IMAGE_DECLARE(cmos_date);

#define HOST_UIP_POLLS 1000000u
#define MAX_SKEW_S 5u   /* the guest's reading is from the end of its run */

static uint8_t host_cmos(uint8_t index)
{
    outb(CMOS_PORT_INDEX, index);   /* bit 7 (CMOS_NMI_MASK) left clear */
    return inb(CMOS_PORT_DATA);
}

/* The host's RTC, read as the guest reads its own (UIP clear, twice). */
static bool host_rtc(struct cmos_date *d)
{
    struct cmos_raw a, b = { 0 };
    for (int tries = 0; tries < 10; tries++) {
        for (unsigned n = 0; (host_cmos(RTC_STATUS_A) & RTC_A_UIP) && n < HOST_UIP_POLLS; n++)
            cpu_pause();
        a = (struct cmos_raw){ host_cmos(RTC_SECONDS), host_cmos(RTC_MINUTES), host_cmos(RTC_HOURS),
                               host_cmos(RTC_DAY),     host_cmos(RTC_MONTH),   host_cmos(RTC_YEAR),
                               host_cmos(CMOS_CENTURY), host_cmos(RTC_STATUS_B) };
        if (tries && a.sec == b.sec && a.min == b.min && a.hour == b.hour && a.day == b.day && a.mon == b.mon &&
            a.year == b.year && a.century == b.century)
            return cmos_decode(&a, d);
        b = a;
    }
    return false;
}

static bool p_cmos(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("p-cmos"))
        return false;
    struct plat_run r = { .vm_name = "p-cmos", .image = PC_GUEST_IMAGE(cmos_date) };
    bool ok = plat_run(&r) && r.exit_code == 0;
    struct cmos_date host, guest = {
        plat_report_val(&r, CMOS_REP_YEAR),  plat_report_val(&r, CMOS_REP_MONTH),
        plat_report_val(&r, CMOS_REP_DAY),   plat_report_val(&r, CMOS_REP_HOUR),
        plat_report_val(&r, CMOS_REP_MINUTE), plat_report_val(&r, CMOS_REP_SECOND),
    };
    bool have_host = host_rtc(&host);
    bool have_guest = r.report && r.mailbox.report_count >= CMOS_REP_COUNT && cmos_date_valid(&guest);
    if (have_host)
        kprintf("p-cmos: host RTC %04lu-%02lu-%02lu %02lu:%02lu:%02lu\n", (unsigned long)host.year,
                (unsigned long)host.month, (unsigned long)host.day, (unsigned long)host.hour,
                (unsigned long)host.minute, (unsigned long)host.second);
    else
        kprintf("p-cmos: host RTC unreadable\n");
    if (!have_guest) {
        kprintf("p-cmos: the guest left no valid date in the mailbox\n");
        return false;
    }
    uint64_t hs = have_host ? cmos_epoch_seconds(&host) : 0, gs = cmos_epoch_seconds(&guest);
    uint64_t skew = hs > gs ? hs - gs : gs - hs;
    kprintf("p-cmos: guest RTC %04lu-%02lu-%02lu %02lu:%02lu:%02lu, %lu s from the host's; %lu io exits\n",
            (unsigned long)guest.year, (unsigned long)guest.month, (unsigned long)guest.day,
            (unsigned long)guest.hour, (unsigned long)guest.minute, (unsigned long)guest.second,
            (unsigned long)skew, (unsigned long)r.stats.count[EXIT_IO]);
    bool host_ok = have_host && skew <= MAX_SKEW_S + tsc_to_us(r.run_tsc) / 1000000u / 4;
    kprintf("p-cmos: host check %s\n", host_ok ? "passed" : "FAILED");
    return ok && host_ok;
}
REGISTER_SCENARIO(p_cmos, "p-cmos", "lesson 03: the guest reads the RTC; the date must match the host's", p_cmos, 0);
