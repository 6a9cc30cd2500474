/**
 * @file g_msr.c
 * @brief Scenario "g-msr": the guest reads IA32_TSC and EFER (allowed) and
 *        an MSR that does not exist (refused: #GP into the guest's own IDT
 *        handler, for RDMSR and WRMSR).  The scenario also checks that the
 *        accesses exited: at least 3 RDMSR and 1 WRMSR exits.
 */
#include "scenarios/guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

GUEST_IMAGE_DECLARE(msr);

static bool g_msr(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("g-msr"))
        return false;
    struct guest_outcome o;
    struct guest_image img = GUEST_IMAGE(msr, VCPU_MODE_LONG64);
    bool ok = guest_run("g-msr", &img, &o) && o.exit_code == 0;
    uint64_t rd = o.stats.count[EXIT_MSR_READ], wr = o.stats.count[EXIT_MSR_WRITE];
    kprintf("g-msr: %lu rdmsr exits, %lu wrmsr exits\n", (unsigned long)rd, (unsigned long)wr);
    return ok && rd >= 3 && wr >= 1;
}
REGISTER_SCENARIO(g_msr, "g-msr", "lesson 02: an allowed MSR and a refused one (#GP in the guest)", g_msr, 0);
