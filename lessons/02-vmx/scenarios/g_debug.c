/**
 * @file g_debug.c
 * @brief Scenario "g-debug": a debugger inside the guest keeps working
 *        (guests/debug.c): single-step traps after instructions the
 *        hypervisor emulated, and DR7 breakpoints that survive VM exits.
 */
#include "scenarios/guest_run.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

GUEST_IMAGE_DECLARE(debug);

static bool g_debug(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("g-debug"))
        return false;
    struct guest_outcome o;
    struct guest_image img = GUEST_IMAGE(debug, VCPU_MODE_LONG64);
    return guest_run("g-debug", &img, &o) && o.exit_code == 0;
}
REGISTER_SCENARIO(g_debug, "g-debug", "lesson 02: single-step over emulated instructions, DR7 across exits",
                  g_debug, 0);
