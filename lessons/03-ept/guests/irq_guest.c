/**
 * @file irq_guest.c
 * @brief The platform guests' shared helpers (irq_guest.h).  (The guest
 *        side of EXERCISE_TODO() is the runtime's, guests/rt_exercise.c.)
 */
#include "irq_guest.h"

#include "guest/guest.h"
#include "pc_timer.h"

uint32_t plat_request(void)
{
    volatile struct plat_mailbox *mb = plat_mailbox();
    return mb->magic == PLAT_MAILBOX_MAGIC ? mb->request : 0;
}

void plat_report(const uint64_t *vals, unsigned count)
{
    volatile struct plat_mailbox *mb = plat_mailbox();
    if (count > PLAT_MAILBOX_VALS)
        count = PLAT_MAILBOX_VALS;
    for (unsigned i = 0; i < count; i++)
        mb->val[i] = vals[i];
    mb->report_count = count;
    mb->report_magic = PLAT_REPORT_MAGIC;   /* last: the values are complete */
}

uint64_t irq_tsc_hz(const char *who)
{
    /* A stall of the engine while the guest polls port 0x61 makes the
     * 10 ms look longer, never shorter: the least of three is closest.
     * (On a loaded two-core host one calibration came out 1.6x high.) */
    uint64_t hz = 0;
    for (int i = 0; i < 3; i++) {
        uint64_t h = pc_tsc_hz();
        if (h && (!hz || h < hz))
            hz = h;
    }
    guest_printf("%s: TSC %llu kHz by PIT channel 2\n", who, (unsigned long long)(hz / 1000));
    return hz;
}

bool irq_wait_count(volatile unsigned *counter, unsigned target, uint64_t timeout_tsc)
{
    uint64_t t0 = guest_rdtsc();
    guest_sti();
    while (*counter < target && guest_rdtsc() - t0 < timeout_tsc)
        guest_pause();
    guest_cli();
    return *counter >= target;
}

bool irq_hlt_count(volatile unsigned *counter, unsigned target, uint64_t timeout_tsc, unsigned max_hlts)
{
    uint64_t t0 = guest_rdtsc();
    for (unsigned n = 0; *counter < target && n < max_hlts && guest_rdtsc() - t0 < timeout_tsc; n++)
        guest_sti_hlt();
    guest_cli();
    return *counter >= target;
}
