/**
 * @file g_timer.c
 * @brief Scenario "g-timer": the guest programs the emulated PIC and PIT
 *        (IRQ0 at 1 kHz), halts between ticks and counts 100 of them, then
 *        checks the time they took against its own TSC calibration.  The
 *        scenario checks the hypervisor's side: the PIT raised IRQ0 and the
 *        PIC handed the CPU at least those 100 interrupts, and the guest
 *        really halted (HLT exits).
 */
#include "scenarios/guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

GUEST_IMAGE_DECLARE(timer);

#define TIMER_TICKS 100u   /* guests/timer.c TICKS */
#define TIMER_HZ 1000u     /* guests/timer.c TICK_HZ */

static bool g_timer(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("g-timer"))
        return false;
    struct guest_outcome o;
    struct guest_image img = GUEST_IMAGE(timer, VCPU_MODE_LONG64);
    bool ok = guest_run("g-timer", &img, &o) && o.exit_code == 0;
    kprintf("g-timer: PIT raised IRQ0 %lu times (%lu periods lost), PIC delivered %lu interrupts "
            "(%lu spurious), %lu hlt exits, %lu interrupt-window exits\n",
            (unsigned long)o.pit_irqs, (unsigned long)o.pit_lost, (unsigned long)o.pic_acks,
            (unsigned long)o.pic_spurious, (unsigned long)o.stats.count[EXIT_HLT],
            (unsigned long)o.stats.count[EXIT_INTR_WINDOW]);
    bool on_time = guest_ticks_on_time("g-timer", &o, TIMER_HZ);
    return ok && on_time && o.pit_irqs >= TIMER_TICKS && o.pic_acks >= TIMER_TICKS && o.pic_spurious == 0 &&
           o.stats.count[EXIT_HLT] > 0;
}
REGISTER_SCENARIO(g_timer, "g-timer", "lesson 02: PIT IRQ0 through the 8259 into a halted guest", g_timer, 0);
