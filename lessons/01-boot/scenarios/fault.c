/**
 * @file fault.c
 * @brief Scenario "fault": raise an exception on purpose to show the
 *        fatal-exception report (vector, error code, RIP, CR2, registers,
 *        backtrace).  The machine then stops with a failing status, which
 *        is what the grader expects of this scenario.
 *
 * "fault=ud" (default), "fault=pf", "fault=null", "fault=de", "fault=gp",
 * "fault=bp".  Any other value is reported and the scenario fails without
 * raising anything.
 */
#include "spectrum/options.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"

REGISTER_OPTION(fault, "which exception the fault scenario raises: ud (default), pf, null, de, gp, bp");

/* Kept out of line so the backtrace shows a real call chain. */
__attribute__((noinline)) static void fault_raise(const char *kind)
{
    if (strcmp(kind, "pf") == 0) {
        /* Above the 4 GiB identity map: not present, so #PF with CR2 set. */
        volatile uint64_t *p = (volatile uint64_t *)0x0000100000000badull;
        *p = 1;
    } else if (strcmp(kind, "null") == 0) {
        /* Page 0 is not mapped (boot.S), so a NULL write is caught. */
        volatile uintptr_t null_field = 8;   /* a field of a NULL struct pointer */
        *(volatile uint64_t *)null_field = 1;
    } else if (strcmp(kind, "de") == 0) {
        volatile unsigned zero = 0;
        volatile unsigned r = 1 / zero;
        (void)r;
    } else if (strcmp(kind, "gp") == 0) {
        /* A non-canonical address raises #GP, not #PF (SDM Vol. 3A §4.5). */
        volatile uint64_t *p = (volatile uint64_t *)0x8000000000000000ull;
        *p = 1;
    } else if (strcmp(kind, "bp") == 0) {
        __asm__ volatile("int3");
    } else {
        __asm__ volatile("ud2");
    }
}

__attribute__((noinline)) static void fault_nested_call(const char *kind)
{
    fault_raise(kind);
    __asm__ volatile("" ::: "memory"); /* not a tail call: keep this frame */
}

static const char *const kinds[] = { "ud", "pf", "null", "de", "gp", "bp" };

static bool fault_run(const struct cmdline *cl)
{
    const char *kind = cmdline_get(cl, "fault");
    if (!kind || !*kind)
        kind = "ud";
    bool known = false;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        known |= strcmp(kind, kinds[i]) == 0;
    if (!known) {
        kprintf("fault: unknown fault=%s (known: ud, pf, null, de, gp, bp)\n", kind);
        return false;
    }
    kprintf("fault: raising '%s' on purpose\n", kind);
    fault_nested_call(kind);
    kprintf("fault: no exception was raised\n");
    return false;
}
REGISTER_SCENARIO(fault, "fault", "raise an exception (fault=ud|pf|null|de|gp|bp) to see the report", fault_run, 0);
