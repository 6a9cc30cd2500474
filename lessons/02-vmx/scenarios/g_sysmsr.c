/**
 * @file g_sysmsr.c
 * @brief Scenario "g-sysmsr": the MSRs a 64-bit OS sets up at boot
 *        (guests/sysmsr.c), twice in a row: each run must find them at
 *        their reset values, so the second proves that the first one's
 *        SYSCALL entry point, GS bases and PAT did not leak into a new VM.
 */
#include "scenarios/guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

GUEST_IMAGE_DECLARE(sysmsr);

static bool g_sysmsr(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("g-sysmsr"))
        return false;
    struct guest_outcome o1, o2;
    struct guest_image img = GUEST_IMAGE(sysmsr, VCPU_MODE_LONG64);
    bool first = guest_run("g-sysmsr1", &img, &o1) && o1.exit_code == 0;
    bool second = guest_run("g-sysmsr2", &img, &o2) && o2.exit_code == 0;
    kprintf("g-sysmsr: first VM %s, second VM %s\n", first ? "passed" : "FAILED", second ? "passed" : "FAILED");
    return first && second;
}
REGISTER_SCENARIO(g_sysmsr, "g-sysmsr", "lesson 02: SYSENTER/SYSCALL/FS/GS/PAT MSRs per VM, twice", g_sysmsr, 0);
