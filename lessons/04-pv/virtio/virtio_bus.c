/**
 * @file virtio_bus.c
 * @brief The virtio-mmio devices on a lesson-03 machine: one MMIO range
 *        "virtio" of VIRTIO_SLOTS pages from VIRTIO_MMIO_BASE, each page
 *        the register file of the model registered for that slot
 *        (REGISTER_VIRTIO_DEVICE), its guest memory the machine's
 *        guest-physical map, its interrupt an ISA IRQ line (the 8259 and,
 *        through apic/isa_wiring.c, the I/O APIC pin of the same number).
 *
 * At the end of a run a line per device that the driver touched:
 *
 *     virtio: VM: NAME: status 0xS, N notifies, C chains, I interrupts, B bad accesses
 */
#include "virtio/virtio_bus.h"
#include "virtio/virtio_gpm.h"

#include "machine/pc_machine.h"
#include "mmio/mmio_bus.h"
#include "pv/pv_mode.h"
#include "spectrum/console.h"
#include "spectrum/string.h"
#include "vdev/pic8259.h"

/** @brief One machine's virtio devices. */
struct virtio_bus {
    struct vq_mem mem;                     /**< the machine's RAM */
    struct virtio_dev dev[VIRTIO_SLOTS];   /**< by slot; type NULL: empty */
};

static void virtio_irq(void *ctx, unsigned line, bool level)
{
    if (level)
        pic_raise_irq(ctx, line);
    else
        pic_lower_irq(ctx, line);
}

static void virtio_refused(void *ctx, struct virtio_dev *d, unsigned q, const struct vq_fault *f)
{
    struct vm *vm = ctx;
    kprintf("virtio: %s: %s: queue %u: %s at GPA %#llx: DEVICE_NEEDS_RESET\n", vm->name, d->type->name, q,
            vq_rule_name(f->rule), (unsigned long long)f->gpa);
}

static void virtio_bus_init(struct vm *vm, void *state)
{
    struct virtio_bus *b = state;
    struct pc_machine *m = pc_machine_of(vm);
    if (!m)
        return;
    virtio_gpm_mem(&b->mem, &m->mem);
    /* mode=hvm: the range stays, empty (every register reads 0, so a
     * driver that probes it finds magic 0 and no device). */
    if (pv_mode_next() < PV_MODE_HVM_PV)
        return;
    TABLE_FOREACH(struct virtio_device, spectrum_virtio, t) {
        /* A model that names a bad slot or queue count is a Spectrum bug:
         * it stays off the bus rather than indexing past the arrays. */
        if (t->slot >= VIRTIO_SLOTS || b->dev[t->slot].type || t->queues == 0 || t->queues > VIRTIO_MAX_QUEUES ||
            t->queue_max == 0 || t->queue_max > VQ_NUM_MAX || (t->queue_max & (t->queue_max - 1))) {
            kprintf("virtio: %s: model %s refused (slot %u)\n", vm->name, t->name, t->slot);
            continue;
        }
        struct virtio_dev *d = &b->dev[t->slot];
        d->mem = &b->mem;
        d->irq = virtio_irq;
        d->refused = virtio_refused;
        d->ctx = vm;
        virtio_dev_init(d, t);
        if (t->attach && !t->attach(d))
            memset(d, 0, sizeof *d);   /* nothing to offer here: the slot stays empty */
    }
}

static struct virtio_dev *slot_of(void *state, uint64_t offset)
{
    struct virtio_bus *b = state;
    return offset / VIRTIO_MMIO_SLOT < VIRTIO_SLOTS ? &b->dev[offset / VIRTIO_MMIO_SLOT] : 0;
}

static uint64_t virtio_bus_read(struct vm *vm, void *state, uint64_t offset, unsigned size)
{
    (void)vm;
    struct virtio_dev *d = slot_of(state, offset);
    /* An empty slot reads 0: Linux then sees magic 0 and leaves it. */
    return d && d->type ? virtio_mmio_read(d, offset % VIRTIO_MMIO_SLOT, size) : 0;
}

static void virtio_bus_write(struct vm *vm, void *state, uint64_t offset, unsigned size, uint64_t value)
{
    (void)vm;
    struct virtio_dev *d = slot_of(state, offset);
    if (d && d->type)
        virtio_mmio_write(d, offset % VIRTIO_MMIO_SLOT, size, value);
}

REGISTER_MMIO_DEVICE(virtio, {
    .name = "virtio",
    .base = VIRTIO_MMIO_BASE,
    .size = (uint64_t)VIRTIO_SLOTS * VIRTIO_MMIO_SLOT,
    .state_size = sizeof(struct virtio_bus),
    .init = virtio_bus_init,
    .read = virtio_bus_read,
    .write = virtio_bus_write,
});

struct virtio_dev *virtio_dev_of(struct vm *vm, unsigned slot)
{
    struct virtio_bus *b = mmio_state(vm, "virtio");
    return b && slot < VIRTIO_SLOTS && b->dev[slot].type ? &b->dev[slot] : 0;
}

static void virtio_report(struct pc_machine *m, void *state)
{
    (void)state;
    for (unsigned i = 0; i < VIRTIO_SLOTS; i++) {
        struct virtio_dev *d = virtio_dev_of(&m->vm, i);
        if (!d || (!d->status && !d->stats.notifies && !d->stats.bad_accesses))
            continue;
        if (d->type->report)
            d->type->report(d);
        kprintf("virtio: %s: %s: status 0x%x, %u notifies, %u chains, %u interrupts, %u bad accesses\n", m->vm.name,
                d->type->name, d->status, d->stats.notifies, d->stats.chains, d->stats.interrupts,
                d->stats.bad_accesses);
    }
}
REGISTER_PC_MACHINE_EXT(virtio, { "virtio", 0, 0, virtio_report });
