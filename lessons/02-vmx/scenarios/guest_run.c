/**
 * @file guest_run.c
 * @brief guest_run(): create a VM, load an embedded guest, run it on the
 *        hardware vCPU, gather its outcome, destroy the VM.
 */
#include "scenarios/guest_run.h"

#include "spectrum/console.h"
#include "spectrum/string.h"
#include "spectrum/x86.h"
#include "vcpu/hvm_guest.h"
#include "vcpu/loop.h"
#include "vdev/pic8259.h"
#include "vdev/pit8254.h"
#include "vm/vm.h"

bool guest_run_in(struct vm *vm, const struct guest_image *img, struct guest_outcome *out)
{
    memset(out, 0, sizeof *out);
    struct vcpu *v = hvm_guest_create(vm, img->start, (size_t)(img->end - img->start), img->mode);
    if (v) {
        out->created = true;
        uint64_t t0 = rdtsc();
        vcpu_loop(v, &out->stats);
        out->run_tsc = rdtsc() - t0;
        exit_stats_print(&out->stats);
        v->ops->destroy(v);
    }
    pit_irq_stats(vm, &out->pit_irqs, &out->pit_lost);
    struct pic_pair *pic = pic_of(vm);
    if (pic) {
        out->pic_acks = pic->acks;
        out->pic_spurious = pic->spurious;
    }
    out->passed = vm->passed;
    out->exit_code = vm->exit_code;
    memcpy(out->stop_reason, vm->stop_reason, sizeof out->stop_reason);
    out->stop_reason[sizeof out->stop_reason - 1] = '\0';
    kprintf("guest %s: exit status %u, %s: %s\n", vm->name, (unsigned)out->exit_code,
            out->passed ? "passed" : "failed", out->stop_reason);
    return out->passed;
}

/* One VM at a time: scenarios run one after the other. */
static struct vm guest_vm;

bool guest_run(const char *vm_name, const struct guest_image *img, struct guest_outcome *out)
{
    vm_init(&guest_vm, vm_name, GUEST_RUN_MEM);
    bool passed = guest_run_in(&guest_vm, img, out);
    vm_destroy(&guest_vm);
    return passed;
}
