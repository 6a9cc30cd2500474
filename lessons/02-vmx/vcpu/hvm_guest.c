/**
 * @file hvm_guest.c
 * @brief Create and run a hardware-assisted guest from a flat image.
 */
#include "vcpu/hvm_guest.h"

#include "spectrum/console.h"
#include "vcpu/guest_space.h"
#include "vcpu/loop.h"

bool hvm_guest_available(const char *who)
{
    if (vcpu_backend())
        return true;
    kprintf("%s: needs hardware virtualization: %s\n", who, vcpu_backend_why());
    return false;
}

struct vcpu *hvm_guest_create(struct vm *vm, const void *image, size_t len, enum vcpu_mode mode)
{
    const struct vcpu_ops *ops = vcpu_backend();
    if (!ops) {
        vm_stop(vm, false, "needs hardware virtualization: %s", vcpu_backend_why());
        return 0;
    }
    struct vcpu_config cfg;
    if (!guest_space_build(vm, mode, &cfg) || !guest_space_load(vm, GUEST_LOAD_GVA, image, len))
        return 0;
    struct vcpu *v = ops->create(vm, &cfg);
    if (!v) {
        vm_stop(vm, false, "%s: could not create a vCPU", ops->name);
        return 0;
    }
    kprintf("hvm: %s: %s guest, %lu bytes at %#llx, %lu KiB of memory\n", vm->name,
            mode == VCPU_MODE_LONG64 ? "64-bit" : "32-bit paged", (unsigned long)len, GUEST_LOAD_GVA,
            (unsigned long)(vm->mem.size >> 10));
    return v;
}

bool hvm_guest_run(struct vm *vm, struct vcpu *v, struct exit_stats *out)
{
    if (!v)
        return false;
    struct exit_stats st = { 0 };
    vcpu_loop(v, &st);
    exit_stats_print(&st);
    v->ops->destroy(v);
    if (out)
        *out = st;
    return vm->passed;
}
