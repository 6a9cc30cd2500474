/**
 * @file loop.c
 * @brief The exit loop: enter, count, time, dispatch; and the statistics.
 *
 * Timing uses the TSC (SDM Vol. 3B §18.17): "guest" time runs from just
 * before ops->run to just after it returns, so it includes the world
 * switch itself; "handler" time runs from the exit to the next entry and
 * is charged to the exit's reason; time a halted vCPU spends waiting for a
 * wake-up is kept apart as "idle".
 */
#include "vcpu/loop.h"
#include "spectrum/options.h"

#include "host/host_irq.h"
#include "spectrum/boot.h"
#include "spectrum/console.h"
#include "spectrum/exercise.h"
#include "spectrum/string.h"
#include "spectrum/tsc.h"
#include "spectrum/x86.h"
#include "spectrum/x86_bits.h"
#include "vcpu/fpu.h"

REGISTER_OPTION(hlt_timeout_ms, "ms a halted vCPU may wait for an interrupt (default 10000)");
REGISTER_OPTION(vm_slice_us, "longest time slice of a vCPU in us (default 10000)");
REGISTER_OPTION(vm_budget_ms, "ms of host time a VM may run (default 30000)");
REGISTER_OPTION(storm_limit, "identical exits without progress before the VM is stopped (default 1000)");
REGISTER_OPTION(vcpu_nocheck, "skip the VM-entry checker: let the CPU judge the guest state");

#define HLT_TIMEOUT_MS_DEFAULT 10000
#define SLICE_US_DEFAULT 10000      /* a scheduler tick's worth: 100 slices a second */
#define SLICE_US_MAX 10000000       /* 10 s: the loop must still look at the budget now and then */
#define BUDGET_MS_DEFAULT 30000
#define STORM_LIMIT_DEFAULT 1000
#define MS_MAX (24ull * 3600 * 1000)

/* The handler for each reason, looked up once per loop. */
struct dispatch {
    exit_handler_fn fn[EXIT_REASON_COUNT];
    const char *name[EXIT_REASON_COUNT];
};

/* The loop's limits, in TSC ticks, from the command line. */
struct limits {
    uint64_t hlt_timeout;
    uint64_t slice;
    uint64_t budget;
    uint64_t budget_ms;
    uint64_t storm;
};

/* The exit-storm watchdog: the run of identical exits seen last. */
struct storm {
    enum vm_exit_reason reason;
    uint64_t rip;          /* where the exits happen */
    uint64_t rip_after;    /* RIP when the last handler returned */
    uint64_t count;
};

static void dispatch_build(struct dispatch *d)
{
    memset(d, 0, sizeof *d);
    TABLE_FOREACH(struct exit_handler, spectrum_exit_handler, h) {
        if (h->reason <= EXIT_NONE || h->reason >= EXIT_REASON_COUNT) {
            kprintf("vcpu: exit handler %s has bad reason %ld, ignored\n", h->name, h->reason);
            continue;
        }
        if (d->fn[h->reason]) {
            kprintf("vcpu: exit %s has two handlers (%s, %s): keeping %s\n",
                    exit_reason_name((enum vm_exit_reason)h->reason), d->name[h->reason], h->name,
                    d->name[h->reason]);
            continue;
        }
        d->fn[h->reason] = h->fn;
        d->name[h->reason] = h->name;
    }
}

static uint64_t ms_to_ticks(uint64_t ms)
{
    if (ms > MS_MAX)
        ms = MS_MAX;       /* a day: far beyond any test, and no overflow in the product */
    return tsc_hz() / 1000 * ms;
}

static void limits_read(const struct vcpu *v, struct limits *l)
{
    const struct cmdline *cl = boot_cmdline_get();
    uint64_t hlt_ms = HLT_TIMEOUT_MS_DEFAULT, slice_us = SLICE_US_DEFAULT, budget_ms = BUDGET_MS_DEFAULT;
    uint64_t storm = STORM_LIMIT_DEFAULT;
    cmdline_get_u64(cl, "hlt_timeout_ms", &hlt_ms);
    cmdline_get_u64(cl, "vm_slice_us", &slice_us);
    cmdline_get_u64(cl, "vm_budget_ms", &budget_ms);
    cmdline_get_u64(cl, "storm_limit", &storm);
    if (v->budget_ms)
        budget_ms = v->budget_ms;
    if (slice_us == 0)
        slice_us = 1;
    if (slice_us > SLICE_US_MAX)
        slice_us = SLICE_US_MAX;
    l->hlt_timeout = ms_to_ticks(hlt_ms);
    l->slice = tsc_hz() / 1000000 * slice_us;
    l->budget_ms = budget_ms;
    l->budget = ms_to_ticks(budget_ms);
    l->storm = storm ? storm : 1;
}

static void run_pre_entry_hooks(struct vcpu *v)
{
    TABLE_FOREACH(struct pre_entry_hook, spectrum_pre_entry, h)
        if (h->fn)
            h->fn(v);
}

static bool something_can_wake(struct vcpu *v)
{
    TABLE_FOREACH(struct pre_entry_hook, spectrum_pre_entry, h)
        if (h->can_wake && h->can_wake(v))
            return true;
    return false;
}

/* The end of the next time slice: @p now + slice, or earlier if a device
 * has an event due, or the VM's budget ends first. */
static uint64_t slice_deadline(struct vcpu *v, uint64_t now, uint64_t budget_end, const struct limits *l)
{
    /* EXERCISE 02.time-slice 5 "The slice ends at now + slice, or earlier: at the VM's budget end, or when a pre-entry hook's next_event() is due (the PIT's next IRQ0), so timers fire on time in a guest that never exits (vcpu/loop.h)" */
    uint64_t deadline = now + l->slice;
    if (budget_end < deadline)
        deadline = budget_end;
    TABLE_FOREACH(struct pre_entry_hook, spectrum_pre_entry, h)
        if (h->next_event) {
            uint64_t t = h->next_event(v);
            if (t < deadline)
                deadline = t;
        }
    return deadline;
    /* STUB
    EXERCISE_TODO();
    (void)v;
    (void)budget_end;
    return now + l->slice;
    STUB END */
    /* END EXERCISE 02.time-slice */
}

/* A halted vCPU, idle since @p idle_since: decide whether to keep
 * waiting.  False = the VM was stopped because nothing will wake it. */
static bool idle_or_give_up(struct vcpu *v, uint64_t idle_since, uint64_t now, uint64_t timeout_ticks)
{
    if (!(v->regs.rflags & RFLAGS_IF)) {
        /* The HLT handler stops such a guest; this catches a vCPU that a
         * hook marked halted with interrupts off. */
        vm_stop(v->vm, false, "halted with interrupts disabled at RIP %#lx: nothing can wake it",
                (unsigned long)v->regs.rip);
        return false;
    }
    if (!something_can_wake(v)) {
        vm_stop(v->vm, false,
                "halted with interrupts enabled at RIP %#lx but nothing can wake it (no timer programmed)",
                (unsigned long)v->regs.rip);
        return false;
    }
    if (now - idle_since > timeout_ticks) {
        vm_stop(v->vm, false, "halted at RIP %#lx and not woken within hlt_timeout_ms", (unsigned long)v->regs.rip);
        return false;
    }
    /* Meanwhile the host takes its own pending interrupts (the slice
     * timer), so they do not end the next entry at once. */
    host_irq_window();
    cpu_pause();
    return true;
}

static const char *raw_name(const struct vcpu *v, uint64_t raw)
{
    const char *n = v->ops->exit_name ? v->ops->exit_name(raw) : 0;
    return n ? n : "?";
}

/* Exits that the guest's instruction did not cause: they land wherever
 * the guest happened to be, so a run of them at one RIP is no storm. */
static bool exit_is_async(enum vm_exit_reason r)
{
    return r == EXIT_PREEMPT || r == EXIT_EXTERNAL_INTR || r == EXIT_HOST_NMI || r == EXIT_INTR_WINDOW;
}

/* Count exit @p e at @p rip; true (and the VM stopped) when it makes a
 * storm: the limit reached with no progress in between. */
static bool storm_check(struct vcpu *v, struct storm *s, const struct vm_exit *e, uint64_t rip,
                        const struct dispatch *d, const struct limits *l)
{
    if (exit_is_async(e->reason))
        return false;
    if (e->reason == s->reason && rip == s->rip && s->rip_after == rip) {
        s->count++;
    } else {
        s->reason = e->reason;
        s->rip = rip;
        s->count = 1;
    }
    if (s->count < l->storm)
        return false;
    vm_stop(v->vm, false,
            "exit storm: %lu %s exits in a row at RIP %#lx, and the %s handler never moved RIP: the guest "
            "makes no progress (storm_limit=%lu)",
            (unsigned long)s->count, exit_reason_name(e->reason), (unsigned long)rip,
            d->name[e->reason] ? d->name[e->reason] : "(no)", (unsigned long)l->storm);
    return true;
}

struct vcpu *vcpu_current;

bool vcpu_loop(struct vcpu *v, struct exit_stats *st)
{
    const struct cmdline *cl = boot_cmdline_get();
    struct dispatch d;
    struct limits lim;
    dispatch_build(&d);
    limits_read(v, &lim);

    /* The checker before the first entry: a refused state is explained
     * rule by rule instead of by a bare "VMRUN failed". */
    if (cmdline_has(cl, "vcpu_nocheck"))
        kprintf("vcpu: checker skipped (vcpu_nocheck): the CPU will judge the guest state itself\n");
    else if (v->ops->check && !v->ops->check(v)) {
        vm_stop(v->vm, false, "%s: the guest state breaks the VM-entry rules listed above; not entering",
                v->ops->name);
        return false;
    }

    vcpu_current = v;
    fpu_enter(v);
    uint64_t idle_since = 0;                  /* 0: not idling */
    uint64_t mark = 0;                        /* start of the running handler period */
    uint64_t start = rdtsc(), budget_end = start + lim.budget;
    enum vm_exit_reason pending = EXIT_NONE;  /* the exit whose handler time runs since mark */
    struct storm storm = { EXIT_NONE, 0, 0, 0 };
    struct vm_exit e;
    while (vm_running(v->vm)) {
        run_pre_entry_hooks(v);
        if (!vm_running(v->vm))
            break;
        uint64_t now = rdtsc();
        if (now >= budget_end) {
            vm_stop(v->vm, false, "used up its time budget of %lu ms at RIP %#lx (vm_budget_ms=%lu)",
                    (unsigned long)lim.budget_ms, (unsigned long)v->regs.rip, (unsigned long)lim.budget_ms);
            break;
        }
        if (v->halted) {
            if (pending != EXIT_NONE) {
                st->tsc[pending] += now - mark;
                pending = EXIT_NONE;
            }
            if (!idle_since)
                idle_since = now;
            if (!idle_or_give_up(v, idle_since, now, lim.hlt_timeout))
                break;
            continue;
        }
        v->deadline_tsc = slice_deadline(v, now, budget_end, &lim);
        uint64_t t_entry = rdtsc();
        if (idle_since) {
            st->idle_tsc += t_entry - idle_since;
            idle_since = 0;
        }
        if (pending != EXIT_NONE)
            st->tsc[pending] += t_entry - mark;
        v->ops->run(v, &e);
        mark = rdtsc();
        st->guest_tsc += mark - t_entry;
        pending = EXIT_NONE;

        if (e.reason <= EXIT_NONE || e.reason >= EXIT_REASON_COUNT) {
            vm_stop(v->vm, false, "%s returned an invalid exit reason %d (raw %#lx)", v->ops->name, (int)e.reason,
                    (unsigned long)e.raw);
            break;
        }
        st->count[e.reason]++;
        pending = e.reason;
        if (!vm_running(v->vm))     /* the back end itself stopped it (e.g. an undecodable instruction) */
            break;

        if (e.reason == EXIT_ENTRY_FAILED) {
            kprintf("vcpu: VM entry failed (%s exit %#lx %s); the checker says:\n", v->ops->name,
                    (unsigned long)e.raw, raw_name(v, e.raw));
            if (v->ops->check)
                v->ops->check(v);
            if (v->ops->dump)
                v->ops->dump(v);
            vm_stop(v->vm, false, "VM entry failed (%s exit %#lx %s)", v->ops->name, (unsigned long)e.raw,
                    raw_name(v, e.raw));
            break;
        }
        exit_handler_fn fn = d.fn[e.reason];
        if (!fn) {
            vm_stop(v->vm, false, "unhandled exit %s (%s raw exit code %#lx %s) at RIP %#lx",
                    exit_reason_name(e.reason), v->ops->name, (unsigned long)e.raw, raw_name(v, e.raw),
                    (unsigned long)v->regs.rip);
            break;
        }
        uint64_t rip = v->regs.rip;
        if (storm_check(v, &storm, &e, rip, &d, &lim))
            break;
        if (fn(v, &e) == EXIT_ACTION_STOP && vm_running(v->vm)) {
            vm_stop(v->vm, false, "the %s handler stopped the VM without a reason", d.name[e.reason]);
            break;
        }
        if (!exit_is_async(e.reason))
            storm.rip_after = v->regs.rip;
    }
    fpu_leave(v);
    vcpu_current = 0;
    uint64_t end = rdtsc();
    if (pending != EXIT_NONE)
        st->tsc[pending] += end - mark;
    if (idle_since)
        st->idle_tsc += end - idle_since;
    return v->vm->passed;
}

void exit_stats_print(const struct exit_stats *st)
{
    uint64_t total = 0, handlers = 0;
    for (int r = EXIT_NONE + 1; r < EXIT_REASON_COUNT; r++) {
        if (!st->count[r])
            continue;
        total += st->count[r];
        handlers += st->tsc[r];
        kprintf("exits: %s %lu %lu %lu\n", exit_reason_name((enum vm_exit_reason)r), (unsigned long)st->count[r],
                (unsigned long)st->tsc[r], (unsigned long)(st->tsc[r] / st->count[r]));
    }
    kprintf("exits: total %lu\n", (unsigned long)total);
    uint64_t busy = st->guest_tsc + handlers;
    uint64_t busy_us = tsc_to_us(busy);
    kprintf("exits: time guest %lu us, handlers %lu us, idle %lu us, %lu exits/s\n",
            (unsigned long)tsc_to_us(st->guest_tsc), (unsigned long)tsc_to_us(handlers),
            (unsigned long)tsc_to_us(st->idle_tsc),
            (unsigned long)(busy_us ? total * 1000000ull / busy_us : 0));
}
