/**
 * @file g_triple.c
 * @brief Scenario "g-triple": a guest that triple faults ends its own VM
 *        only.  The scenario passes when that VM stopped because of a
 *        triple fault (one triple-fault exit, the guest never reported
 *        success) and a hello guest run right after it passes.
 */
#include "scenarios/guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"
#include "spectrum/string.h"

GUEST_IMAGE_DECLARE(triple);
GUEST_IMAGE_DECLARE(hello64);

static bool g_triple(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("g-triple"))
        return false;
    struct guest_outcome t, h;
    struct guest_image timg = GUEST_IMAGE(triple, VCPU_MODE_PROT32_PAGED);
    struct guest_image himg = GUEST_IMAGE(hello64, VCPU_MODE_LONG64);
    guest_run("g-triple", &timg, &t);
    bool tripled = t.created && !t.passed && t.stats.count[EXIT_TRIPLE_FAULT] == 1 &&
                   strncmp(t.stop_reason, "triple fault", 12) == 0;
    kprintf("g-triple: the faulting guest %s\n", tripled ? "ended with a triple fault" : "did NOT triple fault");
    bool next = guest_run("g-hello64", &himg, &h) && h.exit_code == 0;
    kprintf("g-triple: the next guest %s\n", next ? "ran and passed" : "FAILED");
    return tripled && next;
}
REGISTER_SCENARIO(g_triple, "g-triple", "lesson 02: a triple-faulting guest, then a healthy one", g_triple, 0);
