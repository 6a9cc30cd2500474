/**
 * @file g_cpuid.c
 * @brief Scenario "g-cpuid": the guest checks the CPUID leaves Spectrum
 *        edits (hypervisor bit, VMX/SVM/APIC hidden, the "SpectrumHV"
 *        signature); the scenario also checks that every CPUID the guest
 *        executed exited to the hypervisor (at least the 7 the guest's
 *        checks execute).
 */
#include "scenarios/guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

GUEST_IMAGE_DECLARE(cpuid);

#define CPUIDS_IN_GUEST 7   /* leaves 0, 1, 1, 0x80000000, 0x80000001, 0x40000000 x2 */

static bool g_cpuid(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("g-cpuid"))
        return false;
    struct guest_outcome o;
    struct guest_image img = GUEST_IMAGE(cpuid, VCPU_MODE_PROT32_PAGED);
    bool ok = guest_run("g-cpuid", &img, &o) && o.exit_code == 0;
    kprintf("g-cpuid: %lu cpuid exits (guest executed at least %d)\n",
            (unsigned long)o.stats.count[EXIT_CPUID], CPUIDS_IN_GUEST);
    return ok && o.stats.count[EXIT_CPUID] >= CPUIDS_IN_GUEST;
}
REGISTER_SCENARIO(g_cpuid, "g-cpuid", "lesson 02: CPUID as a guest sees it (hypervisor bit, signature)", g_cpuid, 0);
