/**
 * @file vmx_smoke.c
 * @brief Scenario "vmx-smoke": the VT-x bring-up test.  A tiny guest
 *        (vmx_smoke_guest.S) runs in 64-bit and in 32-bit paged mode,
 *        exits on CPUID and on every OUT, prints its hello through the
 *        emulated UART and reports success on port 0xF4.
 *
 * It runs on the shared exit loop (vcpu/loop.c) like every lesson-02
 * guest, so it also exercises the checker before the first entry; the
 * options "vmx_break=NAME" (vmx_break.c) and "vcpu_nocheck" turn it into a
 * demonstration of a refused VM entry.
 */
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"
#include "vmx/vmx.h"

extern const uint8_t vmx_smoke_guest64[], vmx_smoke_guest64_end[];
extern const uint8_t vmx_smoke_guest32[], vmx_smoke_guest32_end[];

#define SMOKE_MEM (4ull << 20)   /* the image goes at 1 MiB (guest_space.h) */

static bool smoke_one(const char *name, const uint8_t *start, const uint8_t *end, enum vcpu_mode mode)
{
    struct vm vm;
    vm_init(&vm, name, SMOKE_MEM);
    struct vcpu *v = hvm_guest_create(&vm, start, (size_t)(end - start), mode);
    bool ok = hvm_guest_run(&vm, v, NULL);
    kprintf("vmx-smoke: %s: %s (%s)\n", name, ok ? "pass" : "FAIL", vm.stop_reason);
    vm_destroy(&vm);
    return ok;
}

static bool vmx_smoke(const struct cmdline *cl)
{
    (void)cl;
    const struct vcpu_ops *ops = vcpu_backend();
    if (ops != &vmx_ops) {
        kprintf("vmx-smoke: needs the vmx back end, the vCPU back end is %s\n", ops ? ops->name : "none");
        return false;
    }
    bool ok64 = smoke_one("vmx-smoke64", vmx_smoke_guest64, vmx_smoke_guest64_end, VCPU_MODE_LONG64);
    bool ok32 = smoke_one("vmx-smoke32", vmx_smoke_guest32, vmx_smoke_guest32_end, VCPU_MODE_PROT32_PAGED);
    return ok64 && ok32;
}
REGISTER_SCENARIO(vmx_smoke, "vmx-smoke", "lesson 02: VT-x bring-up: a 64-bit and a 32-bit guest print hello",
                  vmx_smoke, 0);
