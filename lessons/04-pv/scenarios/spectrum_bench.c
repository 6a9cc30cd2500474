/**
 * @file spectrum_bench.c
 * @brief Scenario "spectrum": the spectrum benchmark's one Spectrum run.
 *        The guest given as Spectrum's first multiboot module (the
 *        project's Linux, with spectrum.bench=... on its command line) is
 *        booted three times, in a fresh machine each time, in
 *        mode=hvm, mode=hvm+pv and mode=pvhvm (pv/pv_mode.h), one after the
 *        other on the same engine.  Each run prints what scenario "guest"
 *        prints (the guest's own SPECTRUM-BENCH lines, the exit
 *        statistics); then one summary row per mode:
 *
 *     spectrum: row mode=hvm exits=23882 io=20312 ... guest_us=... handlers_us=... idle_us=... passed=1
 *
 * and the assertion the benchmark exists to show - each step along the
 * spectrum leaves the hypervisor fewer exits to handle:
 *
 *     spectrum: total exits hvm 23882 > hvm+pv 9000 (-62.3%) > pvhvm 8200 (-8.9%): ok
 *
 * bench/spectrum-bench reads these lines and makes the table and plot of
 * docs/spectrum-bench.md.  Passes when all three guests passed and the
 * ordering holds.
 */
#include "pv/pv_mode.h"
#include "scenarios/guest_module.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/tsc.h"
#include "vcpu/exit.h"

static uint64_t total_exits(const struct exit_stats *st)
{
    uint64_t n = 0;
    for (int r = EXIT_NONE + 1; r < EXIT_REASON_COUNT; r++)
        n += st->count[r];
    return n;
}

/* One row: every exit reason that happened in any mode, so the rows line up. */
static void print_row(enum pv_mode mode, const struct exit_stats *st, const struct exit_stats *all, bool passed)
{
    uint64_t handlers = 0;
    kprintf("spectrum: row mode=%s exits=%lu", pv_mode_name(mode), (unsigned long)total_exits(st));
    for (int r = EXIT_NONE + 1; r < EXIT_REASON_COUNT; r++) {
        handlers += st->tsc[r];
        bool any = false;
        for (int m = 0; m < PV_MODE_COUNT; m++)
            any |= all[m].count[r] != 0;
        if (any)
            kprintf(" %s=%lu", exit_reason_name((enum vm_exit_reason)r), (unsigned long)st->count[r]);
    }
    kprintf(" guest_us=%lu handlers_us=%lu idle_us=%lu passed=%d\n", (unsigned long)tsc_to_us(st->guest_tsc),
            (unsigned long)tsc_to_us(handlers), (unsigned long)tsc_to_us(st->idle_tsc), passed ? 1 : 0);
}

/* "-62.3%": the change from @p a to @p b, to a tenth of a percent. */
static void print_change(uint64_t a, uint64_t b)
{
    long long per_mille = a ? ((long long)b - (long long)a) * 1000 / (long long)a : 0;
    long long mag = per_mille < 0 ? -per_mille : per_mille;
    kprintf("%s%lld.%lld%%", per_mille < 0 ? "-" : "+", mag / 10, mag % 10);
}

static bool spectrum_bench_run(const struct cmdline *cl)
{
    if (cmdline_has(cl, "mode"))
        kprintf("spectrum: mode=%s ignored: the benchmark runs every mode\n", cmdline_get(cl, "mode"));
    static struct exit_stats st[PV_MODE_COUNT];
    bool passed[PV_MODE_COUNT], all_passed = true;
    for (int m = 0; m < PV_MODE_COUNT; m++) {
        kprintf("spectrum: --- mode %s ---\n", pv_mode_name((enum pv_mode)m));
        pv_mode_set_next((enum pv_mode)m);
        passed[m] = guest_module_boot(cl, &st[m]);
        all_passed &= passed[m];
    }
    for (int m = 0; m < PV_MODE_COUNT; m++)
        print_row((enum pv_mode)m, &st[m], st, passed[m]);

    uint64_t hvm = total_exits(&st[PV_MODE_HVM]), pv = total_exits(&st[PV_MODE_HVM_PV]),
             pvhvm = total_exits(&st[PV_MODE_PVHVM]);
    bool ordered = hvm > pv && pv > pvhvm;
    kprintf("spectrum: total exits hvm %lu %s hvm+pv %lu (", (unsigned long)hvm, hvm > pv ? ">" : "<=",
            (unsigned long)pv);
    print_change(hvm, pv);
    kprintf(") %s pvhvm %lu (", pv > pvhvm ? ">" : "<=", (unsigned long)pvhvm);
    print_change(pv, pvhvm);
    kprintf("): %s\n", ordered ? "ok" : "WRONG ORDER");
    if (!all_passed)
        kprintf("spectrum: a guest failed: the rows are not comparable\n");
    return ordered && all_passed;
}

REGISTER_SCENARIO(spectrum_bench, "spectrum",
                  "lesson 04: the spectrum benchmark - the guest module in mode hvm, hvm+pv and pvhvm, one row each",
                  spectrum_bench_run, 0);
