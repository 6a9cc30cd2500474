/**
 * @file evt_scenario.c
 * @brief Scenario "p-events": events whose delivery exits (guests/evt.c).
 *        The guest's IDT and stack pages (its .rt_lazy section) are
 *        unmapped from the nested tables before it starts; the
 *        nested-page-fault handler maps each on first touch
 *        (mem/npf_exit.c), and the interrupted event must reach the guest
 *        anyway: VMX IDT-vectoring information / SVM EXITINTINFO turned
 *        back into an injection.  Passes when the guest saw every event
 *        exactly once and every lazy page was mapped by the hypervisor.
 */
#include "guests/evt.h"
#include "scenarios/pc_guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

PC_GUEST_IMAGE_DECLARE(evt);

static bool p_events(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("p-events"))
        return false;
    struct pc_guest_image img = PC_GUEST_IMAGE(evt);
    struct pc_guest_options opt = { .lazy = true };
    struct pc_guest_outcome o;
    bool ok = pc_guest_run("p-events", &img, &opt, &o) && o.exit_code == 0;
    unsigned delivered = o.result_words >= 1 ? o.results[0] : 0;
    uint64_t want = 2 * EVT_CASES;
    kprintf("p-events: %llu pages left unmapped, %llu mapped on first touch (%llu expected), %u of %u events "
            "delivered\n",
            (unsigned long long)o.lazy_unmapped, (unsigned long long)o.lazy_maps, (unsigned long long)want, delivered,
            EVT_CASES);
    return ok && o.lazy_unmapped == want && o.lazy_maps == want && delivered == EVT_CASES;
}
REGISTER_SCENARIO(p_events, "p-events",
                  "lesson 03: exceptions delivered through IDT and stack pages mapped on first touch", p_events, 0);
