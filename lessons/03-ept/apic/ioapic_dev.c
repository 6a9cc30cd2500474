/**
 * @file ioapic_dev.c
 * @brief The I/O APIC as MMIO device "ioapic" at 0xFEC00000 (one page),
 *        one instance per lesson-03 machine, its messages going to the
 *        machine's local APIC.
 */
#include "apic/apic.h"
#include "mmio/mmio_bus.h"

struct ioapic *ioapic_of(struct vm *vm)
{
    return mmio_state(vm, "ioapic");
}

/* The APIC bus of a one-CPU PC: every message goes to the local APIC,
 * which accepts it if it is for it (lapic_receive()). */
static bool ioapic_to_lapic(void *ctx, const struct apic_msg *m)
{
    struct lapic *l = lapic_of(ctx);
    return l && lapic_receive(l, m);
}

static void ioapic_dev_init(struct vm *vm, void *state)
{
    struct ioapic *io = state;
    ioapic_reset(io);
    ioapic_set_sink(io, ioapic_to_lapic, vm);
}

static uint64_t ioapic_dev_read(struct vm *vm, void *state, uint64_t offset, unsigned size)
{
    (void)vm;
    return ioapic_read(state, offset < IOAPIC_MMIO_SIZE ? (uint32_t)offset : IOAPIC_MMIO_SIZE, size);
}

static void ioapic_dev_write(struct vm *vm, void *state, uint64_t offset, unsigned size, uint64_t value)
{
    (void)vm;
    ioapic_write(state, offset < IOAPIC_MMIO_SIZE ? (uint32_t)offset : IOAPIC_MMIO_SIZE, size, value);
}

REGISTER_MMIO_DEVICE(ioapic, {
    .name = "ioapic",
    .base = IOAPIC_BASE_DEFAULT,
    .size = IOAPIC_MMIO_SIZE,
    .state_size = sizeof(struct ioapic),
    .init = ioapic_dev_init,
    .read = ioapic_dev_read,
    .write = ioapic_dev_write,
});
