/**
 * @file vcpu_smoke.c
 * @brief Scenario "vcpu-smoke": the bring-up guest on the hardware vCPU,
 *        first in 32-bit paged mode, then in 64-bit mode.
 *
 * Each run creates a VM with 4 MiB of memory, loads guests/svm_smoke.S's
 * image for that mode (hvm_guest.h), and runs it to the end.  The guest
 * checks what it sees (UART, CPUID, RDMSR, CR writes) and reports through
 * the debug-exit port; the scenario passes when both guests exited with
 * status 0.  "iters=N" (default 1000) sets the length of the guest's
 * port-I/O loop, so the exit table measures the cost of an exit:
 *
 *     run=vcpu-smoke iters=100000
 */
#include "spectrum/options.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

REGISTER_OPTION(iters, "length of vcpu-smoke's port-I/O loop (default 1000)");

#define SMOKE_MEM (4u << 20)
#define SMOKE_ITERS_DEFAULT 1000

extern const char svm_smoke32_start[], svm_smoke32_end[];
extern const char svm_smoke64_start[], svm_smoke64_end[];

static bool smoke_one(const char *name, const char *start, const char *end, enum vcpu_mode mode, uint64_t iters)
{
    struct vm vm;
    vm_init(&vm, name, SMOKE_MEM);
    struct vcpu *v = hvm_guest_create(&vm, start, (size_t)(end - start), mode);
    if (v)
        v->regs.gpr[GPR_RDI] = iters;
    bool ok = hvm_guest_run(&vm, v, NULL) && vm.exit_code == 0;
    kprintf("vcpu-smoke: %s %s (%s)\n", name, ok ? "passed" : "FAILED", vm.stop_reason);
    vm_destroy(&vm);
    return ok;
}

static bool vcpu_smoke_run(const struct cmdline *cl)
{
    if (!hvm_guest_available("vcpu-smoke"))
        return false;
    uint64_t iters = SMOKE_ITERS_DEFAULT;
    cmdline_get_u64(cl, "iters", &iters);
    if (iters > 0xffffffffull) {
        kprintf("vcpu-smoke: iters=%lu does not fit the guest's 32-bit counter\n", (unsigned long)iters);
        return false;
    }
    bool ok32 = smoke_one("smoke32", svm_smoke32_start, svm_smoke32_end, VCPU_MODE_PROT32_PAGED, iters);
    bool ok64 = smoke_one("smoke64", svm_smoke64_start, svm_smoke64_end, VCPU_MODE_LONG64, iters);
    return ok32 && ok64;
}
REGISTER_SCENARIO(vcpu_smoke, "vcpu-smoke", "bring-up guest on the hardware vCPU, 32-bit then 64-bit (iters=N)",
                  vcpu_smoke_run, 0);
