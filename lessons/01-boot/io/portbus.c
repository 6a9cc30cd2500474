/**
 * @file portbus.c
 * @brief Port-I/O dispatch to the device instances of one VM.
 */
#include "io/portbus.h"

#include "spectrum/machine.h"
#include "spectrum/string.h"
#include "vm/vm.h"

bool portbus_add(struct portbus *bus, struct vm *vm, const struct port_device *d)
{
    uint32_t need = (d->state_size + 15u) & ~15u;
    if (bus->count == PORTBUS_MAX_DEVICES || need > PORTBUS_ARENA_SIZE - bus->arena_used)
        return false;
    void *st = &bus->arena[bus->arena_used];
    memset(st, 0, need);
    bus->arena_used += need;
    bus->dev[bus->count] = d;
    bus->state[bus->count] = st;
    bus->count++;
    if (d->init)
        d->init(vm, st);
    return true;
}

void portbus_init(struct portbus *bus, struct vm *vm)
{
    bus->count = 0;
    bus->arena_used = 0;
    bus->unclaimed_reads = bus->unclaimed_writes = 0;
    TABLE_FOREACH(struct port_device, spectrum_portdev, d) {
        if (!portbus_add(bus, vm, d))
            panic("portbus: no room for device %s (raise PORTBUS_MAX_DEVICES/ARENA_SIZE)", d->name);
    }
}

static int find(const struct portbus *bus, uint16_t port)
{
    for (int i = 0; i < bus->count; i++) {
        const struct port_device *d = bus->dev[i];
        if (port >= d->base && port - d->base < d->count)
            return i;
    }
    return -1;
}

uint32_t portbus_read(struct vm *vm, uint16_t port, unsigned size)
{
    struct portbus *bus = &vm->io;
    uint32_t mask = portbus_all_ones(size);
    if (bus->observe)
        bus->observe(vm, port, false);
    int i = find(bus, port);
    if (i < 0 || !bus->dev[i]->read) {
        bus->unclaimed_reads++;
        return mask;            /* an empty bus floats high */
    }
    return bus->dev[i]->read(vm, bus->state[i], port, size) & mask;
}

void portbus_write(struct vm *vm, uint16_t port, unsigned size, uint32_t value)
{
    struct portbus *bus = &vm->io;
    uint32_t mask = portbus_all_ones(size);
    if (bus->observe)
        bus->observe(vm, port, true);
    int i = find(bus, port);
    if (i < 0 || !bus->dev[i]->write) {
        bus->unclaimed_writes++;
        return;
    }
    bus->dev[i]->write(vm, bus->state[i], port, size, value & mask);
}

void *portbus_state(struct vm *vm, const char *name)
{
    for (int i = 0; i < vm->io.count; i++)
        if (strcmp(vm->io.dev[i]->name, name) == 0)
            return vm->io.state[i];
    return 0;
}
