/**
 * @file vcpu_triple.c
 * @brief Scenario "vcpu-triple": a guest triple-faults, Spectrum reports it
 *        and then runs another guest to completion.
 *
 * On bare metal a triple fault resets the machine; in a hardware VM it is
 * an exit (SVM SHUTDOWN, VMX reason 2) that ends only that VM.  The
 * scenario passes when the first VM was stopped for a triple fault (its
 * stop reason says so, handlers_fault.c) and the 64-bit smoke guest that
 * follows passes.
 */
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"
#include "vcpu/hvm_guest.h"

#define TRIPLE_MEM (2u << 20)
#define SMOKE_MEM (4u << 20)
#define TRIPLE_PREFIX "triple fault"

extern const char svm_triple64_start[], svm_triple64_end[];
extern const char svm_smoke64_start[], svm_smoke64_end[];

static bool vcpu_triple_run(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("vcpu-triple"))
        return false;
    struct vm bad;
    vm_init(&bad, "triple", TRIPLE_MEM);
    struct vcpu *v = hvm_guest_create(&bad, svm_triple64_start, (size_t)(svm_triple64_end - svm_triple64_start),
                                      VCPU_MODE_LONG64);
    bool passed = hvm_guest_run(&bad, v, NULL);
    bool reported = !passed && bad.state == VM_STOPPED &&
                    strncmp(bad.stop_reason, TRIPLE_PREFIX, sizeof TRIPLE_PREFIX - 1) == 0;
    kprintf("vcpu-triple: first guest %s\n", reported ? "triple-faulted and was stopped" : "did NOT triple-fault");
    vm_destroy(&bad);

    struct vm good;
    vm_init(&good, "after", SMOKE_MEM);
    v = hvm_guest_create(&good, svm_smoke64_start, (size_t)(svm_smoke64_end - svm_smoke64_start), VCPU_MODE_LONG64);
    if (v)
        v->regs.gpr[GPR_RDI] = 0;
    bool next_ok = hvm_guest_run(&good, v, NULL) && good.exit_code == 0;
    kprintf("vcpu-triple: next guest %s\n", next_ok ? "ran to completion" : "FAILED");
    vm_destroy(&good);
    return reported && next_ok;
}
REGISTER_SCENARIO(vcpu_triple, "vcpu-triple", "a guest triple-faults; Spectrum reports it and runs the next guest",
                  vcpu_triple_run, 0);
