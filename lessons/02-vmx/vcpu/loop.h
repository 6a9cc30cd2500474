/**
 * @file loop.h
 * @brief The exit loop, its "before each entry" extension point, and the
 *        exit-statistics table.
 *
 * vcpu_loop() is the heart of a hardware-assisted hypervisor:
 *
 *     while the VM runs:
 *         run every pre-entry hook       (devices inject interrupts here)
 *         if the vCPU is halted: idle    (until a hook wakes it)
 *         set the time slice's end       (v->deadline_tsc)
 *         enter the guest (ops->run)     -> one normalised struct vm_exit
 *         count and time the exit
 *         call the handler registered for its reason (exit.h)
 *
 * The guest never keeps the CPU: every entry carries a deadline, the end
 * of a time slice ("vm_slice_us=", default 10000) or the next event a
 * pre-entry hook announced (a PIT period), whichever comes first.  The
 * back end makes the guest exit by then (EXIT_PREEMPT: the VMX-preemption
 * timer, or a host timer interrupt, vcpu/host_timer.h), so an emulated
 * timer fires on time even while the guest computes with interrupts on,
 * and the loop regains control from a guest stuck in "cli; jmp .".  Two
 * guards end a VM that would otherwise run for ever, each with a message
 * naming the reason:
 *  - the time budget: "vm_budget_ms=" (default 30000) of host time per VM
 *    (struct vcpu.budget_ms overrides it for one vCPU);
 *  - the exit-storm watchdog: "storm_limit=" (default 1000) exits in a
 *    row with the same reason at the same RIP, none of which moved RIP
 *    (the handler neither completed the instruction nor did the guest get
 *    anywhere in between): a handler that forgets to skip an instruction,
 *    or a guest whose fault handler returns to the faulting instruction.
 *    Asynchronous exits (time slice, host interrupt or NMI, interrupt
 *    window) happen at whatever RIP the guest was at and are not counted.
 *
 * Device models never edit the loop: an interrupt controller registers a
 * pre-entry hook with REGISTER_PRE_ENTRY_HOOK.  The hook may
 *  - inject an event (ops->intr_allowed, then ops->inject) and clear
 *    v->halted, which wakes a vCPU parked by HLT;
 *  - set v->want_intr_window when an interrupt is pending but the guest
 *    cannot take it yet: the back end then exits (EXIT_INTR_WINDOW) as soon
 *    as it can, the loop clears the flag, and the hook runs again;
 *  - through its can_wake callback, tell the loop that a halted vCPU may
 *    still be woken (a timer is armed and unmasked).  When a vCPU halts
 *    with interrupts enabled and no hook can wake it, the loop stops the VM
 *    ("halted ... nothing can wake it") instead of idling forever; an idle
 *    wait also ends after "hlt_timeout_ms=" (default 10000) milliseconds.
 */
#ifndef SPECTRUM_VCPU_LOOP_H
#define SPECTRUM_VCPU_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "spectrum/registry.h"
#include "vcpu/exit.h"

/** @brief One "before each entry" hook. */
struct pre_entry_hook {
    const char *name;                       /**< for messages */
    /** Called before every entry (and while a halted vCPU idles). */
    void (*fn)(struct vcpu *v);
    /** Optional: true if a future event of this device can still wake the
     *  halted vCPU @p v (e.g. a PIT channel counting with IRQ0 unmasked). */
    bool (*can_wake)(struct vcpu *v);
    /** Optional: the host TSC at which this device next has something to
     *  do for @p v (UINT64_MAX: nothing planned).  The guest is made to
     *  exit by then, so the hook runs in time. */
    uint64_t (*next_event)(struct vcpu *v);
};

TABLE_DECLARE(struct pre_entry_hook, spectrum_pre_entry);

/** Register a pre-entry hook @p id: @p fn runs before each entry;
 *  @p can_wake and @p next_event may be NULL. */
#define REGISTER_PRE_ENTRY_HOOK(id, fn, can_wake, next_event)                                      \
    static const struct pre_entry_hook pre_entry_hook_##id TABLE_ENTRY(spectrum_pre_entry) = {     \
        #id, fn, can_wake, next_event}

/**
 * @brief The vCPU vcpu_loop() is running now (NULL outside the loop).
 *
 * For debuggers: grader/gdb/spectrum.gdb reads it to find the current
 * guest's memory and registers (docs/debugging.md).
 */
extern struct vcpu *vcpu_current;

/**
 * @brief Run @p v until its VM stops.
 *
 * Before the first entry the back end's checker runs (ops->check; the
 * option "vcpu_nocheck" skips it, to watch the hardware refuse a bad state
 * instead).  Exits are added to @p st (zero it first), which
 * exit_stats_print() prints.
 * @return whether the VM stopped with a pass (vm->passed)
 */
bool vcpu_loop(struct vcpu *v, struct exit_stats *st);

/**
 * @brief Print @p st, one line per exit reason that occurred:
 *
 *     exits: <reason> <count> <total tsc> <avg tsc>
 *     exits: total <N>
 *     exits: time guest <us> us, handlers <us> us, idle <us> us, <R> exits/s
 *
 * where tsc counts TSC ticks from the exit to the next entry.
 */
void exit_stats_print(const struct exit_stats *st);

#endif
