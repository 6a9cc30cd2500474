/**
 * @file g_cr.c
 * @brief Scenario "g-cr": control-register writes the CR handler must get
 *        right on both vendors (guests/crs.c): refused CR4 bits, CLTS and
 *        LMSW, MOV to CR0 from compatibility mode.  Passes when the guest
 *        exited 0 and its CR writes exited (on SVM all of them do; on VMX
 *        the ones touching a bit the host owns).
 */
#include "scenarios/guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

GUEST_IMAGE_DECLARE(crs);

static bool g_cr(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("g-cr"))
        return false;
    struct guest_outcome o;
    struct guest_image img = GUEST_IMAGE(crs, VCPU_MODE_LONG64);
    bool ok = guest_run("g-cr", &img, &o) && o.exit_code == 0;
    kprintf("g-cr: %lu cr-access exits\n", (unsigned long)o.stats.count[EXIT_CR_ACCESS]);
    return ok && o.stats.count[EXIT_CR_ACCESS] > 0;
}
REGISTER_SCENARIO(g_cr, "g-cr", "lesson 02: refused CR4 bits, CLTS/LMSW, MOV CR0 in compatibility mode", g_cr, 0);
