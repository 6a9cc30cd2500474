/**
 * @file g_fpu.c
 * @brief Scenario "g-fpu": x87/SSE state does not leak between VMs.  The
 *        fpu guest (guests/fpu.c) checks that it starts with reset state
 *        and leaves a secret in every register; run twice, the second VM
 *        finds that secret only if the hypervisor did not keep each
 *        vCPU's state apart (vcpu/fpu.h).
 */
#include "scenarios/guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

GUEST_IMAGE_DECLARE(fpu);

static bool g_fpu(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("g-fpu"))
        return false;
    struct guest_outcome o1, o2;
    struct guest_image img = GUEST_IMAGE(fpu, VCPU_MODE_LONG64);
    bool first = guest_run("g-fpu1", &img, &o1) && o1.exit_code == 0;
    bool second = guest_run("g-fpu2", &img, &o2) && o2.exit_code == 0;
    kprintf("g-fpu: first VM %s, second VM %s\n", first ? "started clean" : "did NOT start clean",
            second ? "started clean" : "found the first one's state");
    return first && second;
}
REGISTER_SCENARIO(g_fpu, "g-fpu", "lesson 02: every VM starts with clean x87/SSE registers", g_fpu, 0);
