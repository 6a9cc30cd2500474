/**
 * @file guest_run.c
 * @brief guest_run(): create a VM, load an embedded guest, run it on the
 *        hardware vCPU, gather its outcome, destroy the VM.
 */
#include "scenarios/guest_run.h"

#include "spectrum/console.h"
#include "spectrum/string.h"
#include "spectrum/tsc.h"
#include "spectrum/x86.h"
#include "vcpu/hvm_guest.h"
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
        hvm_guest_run(vm, v, &out->stats);
        out->run_tsc = rdtsc() - t0;
    }
    out->end_tsc = rdtsc();
    struct pit_irq_stats pit;
    if (pit_irq_stats(vm, &pit)) {
        out->pit_irqs = pit.delivered;
        out->pit_lost = pit.lost;
        out->pit_first_tsc = pit.first_tsc;
        out->pit_last_tsc = pit.last_tsc;
    }
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

bool guest_ticks_on_time(const char *who, const struct guest_outcome *o, unsigned hz)
{
    if (!o->pit_first_tsc || o->pit_last_tsc <= o->pit_first_tsc) {
        kprintf("%s: host check: the PIT never raised IRQ0\n", who);
        return false;
    }
    uint64_t us = tsc_to_us(o->pit_last_tsc - o->pit_first_tsc);
    uint64_t expected = us * hz / 1000000u + 1;          /* the first pulse opens the interval */
    uint64_t counted = o->pit_irqs + o->pit_lost;
    uint64_t slack = 2 + expected / 50;                   /* 2%: the last period may be partial */
    bool rate_ok = counted + slack >= expected && counted <= expected + slack;
    /* Under an emulator the guest's clock is the host's, so every stall of
     * the emulator process merges periods: two QEMUs on two cores lose a
     * third of them, with two more busy processes seven in ten.  A guest
     * that only got the CPU back at the end of each 10 ms slice loses nine
     * in ten: allow up to four lost per pulse, a margin both ways. */
    bool lost_ok = o->pit_lost <= 4 * o->pit_irqs;
    kprintf("%s: host check: %lu IRQ0 pulses + %lu lost in %lu us since the first, %lu periods expected at "
            "%u Hz: %s\n",
            who, (unsigned long)o->pit_irqs, (unsigned long)o->pit_lost, (unsigned long)us,
            (unsigned long)expected, hz,
            !rate_ok ? "WRONG RATE" : !lost_ok ? "TOO MANY LOST" : "on time");
    return rate_ok && lost_ok;
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
