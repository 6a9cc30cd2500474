/**
 * @file vcpu_hlt.c
 * @brief Scenario "vcpu-hlt": guests that halt with nothing to wake them
 *        are ended with a reason, not waited on for ever.
 *
 * Runs guests/svm_hlt.S twice: CLI;HLT must end with "halted with
 * interrupts disabled", STI;HLT without a programmed timer with "nothing
 * can wake it".  Passes when both VMs stopped (as failures) with those
 * reasons and Spectrum carried on.
 */
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"
#include "vcpu/hvm_guest.h"

#define HLT_MEM (2u << 20)

extern const char svm_hlt64_start[], svm_hlt64_end[];

static bool hlt_case(const char *name, uint64_t sti, const char *expect)
{
    struct vm vm;
    vm_init(&vm, name, HLT_MEM);
    struct vcpu *v = hvm_guest_create(&vm, svm_hlt64_start, (size_t)(svm_hlt64_end - svm_hlt64_start),
                                      VCPU_MODE_LONG64);
    if (v)
        v->regs.gpr[GPR_RDI] = sti;
    bool passed = hvm_guest_run(&vm, v, NULL);
    bool ok = !passed && vm.state == VM_STOPPED && strstr(vm.stop_reason, expect);
    kprintf("vcpu-hlt: %s %s\n", name, ok ? "was ended as expected" : "did NOT end as expected");
    vm_destroy(&vm);
    return ok;
}

static bool vcpu_hlt_run(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("vcpu-hlt"))
        return false;
    bool cli = hlt_case("cli-hlt", 0, "halted with interrupts disabled");
    bool sti = hlt_case("sti-hlt", 1, "nothing can wake it");
    return cli && sti;
}
REGISTER_SCENARIO(vcpu_hlt, "vcpu-hlt", "guests halting with nothing to wake them are ended with a reason",
                  vcpu_hlt_run, 0);
