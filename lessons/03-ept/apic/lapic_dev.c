/**
 * @file lapic_dev.c
 * @brief The local APIC as MMIO device "lapic" at 0xFEE00000 (one page),
 *        one instance per lesson-03 machine.
 *
 * The model (lapic.c) does the register semantics; this file gives it the
 * host clock (rdtsc(), tsc_hz()), tells the I/O APIC about EOIs of
 * level-triggered vectors, and keeps the guest's CR8 writes (SVM V_TPR)
 * and whatever a later lesson's hooks keep (apic/lapic_hook.h) in step
 * before any register access.  While the guest has the APIC
 * globally disabled (IA32_APIC_BASE[11] = 0) the page no longer belongs to
 * it (SDM Vol. 3A §11.4.3): reads return all ones and writes are dropped,
 * as for MMIO space no device claims.
 */
#include "apic/apic.h"
#include "apic/lapic_dev.h"
#include "apic/lapic_hook.h"
#include "mmio/mmio_bus.h"
#include "spectrum/tsc.h"
#include "spectrum/x86.h"

struct lapic *lapic_of(struct vm *vm)
{
    struct lapic_dev *d = lapic_dev_of(vm);
    return d ? &d->l : 0;
}

struct lapic_dev *lapic_dev_of(struct vm *vm)
{
    return mmio_state(vm, "lapic");
}

/* A level-triggered vector's EOI goes to the I/O APIC (SDM §11.8.5). */
static void lapic_eoi_to_ioapic(void *ctx, uint8_t vector)
{
    struct ioapic *io = ioapic_of(ctx);
    if (io)
        ioapic_eoi(io, vector);
}

static void lapic_dev_init(struct vm *vm, void *state)
{
    struct lapic_dev *d = state;
    lapic_reset(&d->l, tsc_hz());
    lapic_set_eoi_hook(&d->l, lapic_eoi_to_ioapic, vm);
}

static uint32_t reg_offset(uint64_t offset)
{
    return offset < LAPIC_MMIO_SIZE ? (uint32_t)offset : LAPIC_MMIO_SIZE;   /* out of range: a bad access */
}

static uint64_t lapic_dev_read(struct vm *vm, void *state, uint64_t offset, unsigned size)
{
    struct lapic_dev *d = state;
    apic_tpr_sync_in(vm);
    lapic_hooks_sync(vm, &d->l);
    if (!lapic_enabled(&d->l)) {
        d->disabled_accesses++;
        return size >= 8 ? UINT64_MAX : (1ull << (8 * size)) - 1;
    }
    return lapic_read(&d->l, reg_offset(offset), size, rdtsc());
}

static void lapic_dev_write(struct vm *vm, void *state, uint64_t offset, unsigned size, uint64_t value)
{
    struct lapic_dev *d = state;
    apic_tpr_sync_in(vm);
    lapic_hooks_sync(vm, &d->l);
    if (!lapic_enabled(&d->l)) {
        d->disabled_accesses++;
        return;
    }
    lapic_write(&d->l, reg_offset(offset), size, value, rdtsc());
}

REGISTER_MMIO_DEVICE(lapic, {
    .name = "lapic",
    .base = LAPIC_BASE_DEFAULT,
    .size = LAPIC_MMIO_SIZE,
    .state_size = sizeof(struct lapic_dev),
    .init = lapic_dev_init,
    .read = lapic_dev_read,
    .write = lapic_dev_write,
});
