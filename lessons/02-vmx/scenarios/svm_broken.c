/**
 * @file svm_broken.c
 * @brief Scenario "svm-broken": break one VMRUN rule in a valid VMCB on
 *        purpose and watch Spectrum refuse the guest, not crash.
 *
 *     run=svm-broken svm_break=asid|svme|cr0|vmrun|eventinj [vcpu_nocheck]
 *
 * By default the checker (svm_check.c) names the broken rule before the
 * first VMRUN and the VM is never entered.  With "vcpu_nocheck" the VMCB
 * goes to the CPU, VMRUN fails with VMEXIT_INVALID (which says nothing),
 * and the exit loop then runs the checker and dumps the VMCB to explain
 * it.  Either way the scenario passes when that VM was stopped as refused
 * and the machine is still running.
 */
#include "spectrum/options.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"
#include "svm/svm.h"
#include "vcpu/hvm_guest.h"

REGISTER_OPTION(svm_break, "the VMRUN rule svm-broken breaks: asid, svme, cr0, vmrun, eventinj");

#define BROKEN_MEM (4u << 20)

extern const char svm_smoke64_start[], svm_smoke64_end[];

/* Break the rule named @p what; false if the name is unknown. */
static bool break_rule(struct vmcb *vmcb, const char *what)
{
    if (strcmp(what, "asid") == 0)
        vmcb->control.guest_asid = 0;                          /* rule asid-zero */
    else if (strcmp(what, "svme") == 0)
        vmcb->save.efer &= ~EFER_SVME;                     /* rule efer-svme */
    else if (strcmp(what, "cr0") == 0)
        vmcb->save.cr0 |= 1ull << 29;                          /* rule cr0-cd-nw: NW without CD */
    else if (strcmp(what, "vmrun") == 0)
        vmcb->control.intercept_misc2 &= ~SVM_INTERCEPT_VMRUN; /* rule vmrun-intercept */
    else if (strcmp(what, "eventinj") == 0)                    /* rule eventinj-vector: "exception" 2 */
        vmcb->control.eventinj = SVM_EVENT_VALID | ((uint64_t)SVM_EVENT_TYPE_EXCEPTION << SVM_EVENT_TYPE_SHIFT) | 2;
    else
        return false;
    return true;
}

static bool svm_broken_run(const struct cmdline *cl)
{
    const char *what = cmdline_get(cl, "svm_break");
    if (!what || !*what)
        what = "asid";
    const struct vcpu_ops *ops = vcpu_backend();
    if (!ops || strcmp(ops->name, "svm") != 0) {
        kprintf("svm-broken: needs the svm back end (this machine: %s)\n", ops ? ops->name : "none");
        return false;
    }
    struct vm vm;
    vm_init(&vm, "broken", BROKEN_MEM);
    struct vcpu *v = hvm_guest_create(&vm, svm_smoke64_start, (size_t)(svm_smoke64_end - svm_smoke64_start),
                                      VCPU_MODE_LONG64);
    if (!v) {
        vm_destroy(&vm);
        return false;
    }
    if (!break_rule(svm_of(v)->vmcb, what)) {
        kprintf("svm-broken: unknown svm_break=%s (asid, svme, cr0, vmrun, eventinj)\n", what);
        v->ops->destroy(v);
        vm_destroy(&vm);
        return false;
    }
    kprintf("svm-broken: broke rule '%s', running the guest\n", what);
    bool passed = hvm_guest_run(&vm, v, NULL);
    bool refused = !passed && vm.state == VM_STOPPED &&
                   (strncmp(vm.stop_reason, "svm: the guest state breaks", 27) == 0 ||
                    strncmp(vm.stop_reason, "VM entry failed", 15) == 0);
    kprintf("svm-broken: the VM was %s\n", refused ? "refused, Spectrum goes on" : "NOT refused");
    vm_destroy(&vm);
    return refused;
}
REGISTER_SCENARIO(svm_broken, "svm-broken", "break a VMRUN rule on purpose (svm_break=asid|svme|cr0|vmrun|eventinj)",
                  svm_broken_run, 0);
