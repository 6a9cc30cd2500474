/**
 * @file pic_ports.c
 * @brief The 8259A pair on a VM's port bus (0x20-0x21 master, 0xA0-0xA1
 *        slave) and the per-VM calls the timer and the interrupt
 *        injection use.
 *
 * The port bus gives each device type one port range, so the pair is two
 * types: "pic8259" owns the state of both chips (struct pic_pair) and the
 * master's ports, "pic8259-slave" has no state of its own and forwards
 * the slave's ports to it.
 */
#include "io/portbus.h"
#include "vdev/isa_irq.h"
#include "vdev/pic8259.h"
#include "vm/vm.h"

#define PIC_MASTER_BASE 0x20  /* IBM PC/AT Technical Reference, I/O address map */
#define PIC_SLAVE_BASE  0xA0
#define PIC_PORTS       2     /* A0 = 0 and A0 = 1 */

struct pic_pair *pic_of(struct vm *vm)
{
    return portbus_state(vm, "pic8259");
}

static void pic_init(struct vm *vm, void *st)
{
    (void)vm;
    pic_pair_reset(st);
}

/* A 16- or 32-bit access to an 8-bit ISA device becomes byte accesses at
 * consecutive ports (the bus splits it); bytes that fall past the chip's
 * two ports go nowhere. */
static uint32_t pic_read_bytes(struct pic_pair *p, unsigned chip, unsigned off, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        uint8_t b = off + i < PIC_PORTS ? pic_pair_read(p, chip, off + i) : 0xff;
        v |= (uint32_t)b << (8 * i);
    }
    return v;
}

static void pic_write_bytes(struct pic_pair *p, unsigned chip, unsigned off, unsigned size, uint32_t v)
{
    for (unsigned i = 0; i < size && off + i < PIC_PORTS; i++)
        pic_pair_write(p, chip, off + i, (uint8_t)(v >> (8 * i)));
}

static uint32_t master_read(struct vm *vm, void *st, uint16_t port, unsigned size)
{
    (void)vm;
    return pic_read_bytes(st, PIC_MASTER, port - PIC_MASTER_BASE, size);
}

static void master_write(struct vm *vm, void *st, uint16_t port, unsigned size, uint32_t value)
{
    (void)vm;
    pic_write_bytes(st, PIC_MASTER, port - PIC_MASTER_BASE, size, value);
}

static uint32_t slave_read(struct vm *vm, void *st, uint16_t port, unsigned size)
{
    (void)st;
    struct pic_pair *p = pic_of(vm);
    return p ? pic_read_bytes(p, PIC_SLAVE, port - PIC_SLAVE_BASE, size) : 0xffffffffu;
}

static void slave_write(struct vm *vm, void *st, uint16_t port, unsigned size, uint32_t value)
{
    (void)st;
    struct pic_pair *p = pic_of(vm);
    if (p)
        pic_write_bytes(p, PIC_SLAVE, port - PIC_SLAVE_BASE, size, value);
}

REGISTER_PORT_DEVICE(pic8259, {
    .name = "pic8259",
    .base = PIC_MASTER_BASE,
    .count = PIC_PORTS,
    .state_size = sizeof(struct pic_pair),
    .init = pic_init,
    .read = master_read,
    .write = master_write,
});

REGISTER_PORT_DEVICE(pic8259_slave, {
    .name = "pic8259-slave",
    .base = PIC_SLAVE_BASE,
    .count = PIC_PORTS,
    .state_size = 0,
    .read = slave_read,
    .write = slave_write,
});

/* Extension point (vdev/isa_irq.h): the line also reaches every
 * registered listener (lesson 03: the I/O APIC's pins); none in lesson 02. */
static void isa_irq_notify(struct vm *vm, unsigned irq, bool level)
{
    TABLE_FOREACH(struct isa_irq_listener, spectrum_isa_irq, l)
        l->changed(vm, irq, level);
}

void pic_raise_irq(struct vm *vm, unsigned irq)
{
    struct pic_pair *p = pic_of(vm);
    if (p)
        pic_pair_set_irq(p, irq, true);
    isa_irq_notify(vm, irq, true);
}

void pic_lower_irq(struct vm *vm, unsigned irq)
{
    struct pic_pair *p = pic_of(vm);
    if (p)
        pic_pair_set_irq(p, irq, false);
    isa_irq_notify(vm, irq, false);
}

void pic_pulse_irq(struct vm *vm, unsigned irq)
{
    struct pic_pair *p = pic_of(vm);
    if (p) {
        pic_pair_set_irq(p, irq, true);
        pic_pair_set_irq(p, irq, false);
    }
    isa_irq_notify(vm, irq, true);
    isa_irq_notify(vm, irq, false);
}

int pic_pending_vector(struct vm *vm)
{
    struct pic_pair *p = pic_of(vm);
    return p ? pic_pair_pending(p) : -1;
}

int pic_ack(struct vm *vm)
{
    struct pic_pair *p = pic_of(vm);
    return p ? pic_pair_ack(p) : -1;
}

bool pic_irq_unmasked(struct vm *vm, unsigned irq)
{
    struct pic_pair *p = pic_of(vm);
    return p && pic_pair_irq_unmasked(p, irq);
}
