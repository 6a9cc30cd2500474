/**
 * @file g_dfgate.c
 * @brief Scenario "g-dfgate": a double fault delivered through an IDT gate
 *        that straddles a page boundary (guests/svm_dfgate.S).  The SVM
 *        back end checks an intercepted #DF's gate before reflecting it
 *        (svm_exit.c); that check must read the gate as the CPU does,
 *        across the boundary, or it turns a healthy guest's #DF into a
 *        triple fault.  Passes when the guest's #DF handler ran (exit 0).
 *
 * Hardware and Bochs take the #DF intercept here; QEMU's TCG decides the
 * #GP -> #NP -> #DF escalation after its intercept checks, so under TCG
 * the #DF never exits (0 exception exits) and the test only shows that
 * the guest is fine - the check itself is exercised on Bochs.
 */
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

extern const char svm_dfgate64_start[], svm_dfgate64_end[];

#define DFGATE_MEM (4u << 20)

static bool g_dfgate(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("g-dfgate"))
        return false;
    struct vm vm;
    struct exit_stats st = { 0 };
    vm_init(&vm, "g-dfgate", DFGATE_MEM);
    struct vcpu *v = hvm_guest_create(&vm, svm_dfgate64_start, (size_t)(svm_dfgate64_end - svm_dfgate64_start),
                                      VCPU_MODE_LONG64);
    bool ok = hvm_guest_run(&vm, v, &st) && vm.exit_code == 0;
    kprintf("g-dfgate: the guest's #DF handler %s (%lu exception exits)\n", ok ? "ran" : "did NOT run",
            (unsigned long)st.count[EXIT_EXCEPTION]);
    vm_destroy(&vm);
    return ok;
}
REGISTER_SCENARIO(g_dfgate, "g-dfgate", "lesson 02: a #DF through an IDT gate that straddles two pages", g_dfgate, 0);
