/**
 * @file irq_guest.h
 * @brief What the lesson-03 platform test guests share: the mailbox
 *        (irq_mailbox.h), TSC time, bounded waits for interrupts, and the
 *        guest side of the exercise convention.
 *
 * Time: every guest measures its TSC rate against PIT channel 2 gated by
 * port 0x61 (lesson 02's pc_tsc_hz(), 10 ms), the one clock every engine
 * emulates from its own time base.  CPUID leaf 0x15 would give the TSC
 * rate directly (SDM Vol. 2A "CPUID", leaf 15H) but neither QEMU TCG nor
 * Bochs fills it, and fw_cfg does not carry it; irq_tsc_hz() says which
 * source it used.
 */
#ifndef GUEST_IRQ_GUEST_H
#define GUEST_IRQ_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "irq_mailbox.h"
#include "rt_guest.h"

/** @brief The mailbox at PLAT_MAILBOX_GPA (identity-mapped by the runtime). */
static inline volatile struct plat_mailbox *plat_mailbox(void)
{
    return (volatile struct plat_mailbox *)rt_phys(PLAT_MAILBOX_GPA);
}

/** @brief The case the host asked for, or 0 when the mailbox holds no request. */
uint32_t plat_request(void);

/** @brief Hand @p count (<= PLAT_MAILBOX_VALS) words to the host, then mark the report complete. */
void plat_report(const uint64_t *vals, unsigned count);

/**
 * @brief TSC ticks per second, from PIT channel 2 (see the file comment),
 *        the least of three 10 ms measurements; prints "WHO: TSC N kHz by
 *        PIT channel 2".  0 if the PIT is dead.
 */
uint64_t irq_tsc_hz(const char *who);

/** @brief TSC ticks in @p us microseconds at @p hz. */
static inline uint64_t irq_us_to_tsc(uint64_t hz, uint64_t us) { return hz / 1000 * us / 1000; }

/** @brief Microseconds in @p ticks TSC ticks at @p hz (0 if @p hz is 0). */
static inline uint64_t irq_tsc_to_us(uint64_t hz, uint64_t ticks) { return hz ? ticks * 1000 / (hz / 1000) : 0; }

/**
 * @brief With interrupts enabled, wait until *@p counter reaches
 *        @p target or @p timeout_tsc TSC ticks pass; interrupts are off
 *        again on return.  Spins (STI; PAUSE), never HLTs: a test that
 *        expects *no* interrupt must not halt with nothing to wake it.
 * @return whether the target was reached
 */
bool irq_wait_count(volatile unsigned *counter, unsigned target, uint64_t timeout_tsc);

/**
 * @brief Like irq_wait_count() but HLTs between checks, as an idle OS
 *        does, up to @p max_hlts times: for interrupts that must come.
 */
bool irq_hlt_count(volatile unsigned *counter, unsigned target, uint64_t timeout_tsc, unsigned max_hlts);

#endif
