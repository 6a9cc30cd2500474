/**
 * @file mmio_bus.c
 * @brief MMIO dispatch to the device instances of one machine: the
 *        memory-mapped twin of io/portbus.c.
 *
 * Every guest access to a GPM_MMIO region exits (EPT violation / nested
 * page fault, SDM Vol. 3C §29.3.3, APM Vol. 2 §15.25.6); mmio/mmio_emul.c
 * decodes the instruction and calls mmiobus_read()/mmiobus_write() with
 * the guest-physical address and size.  Everything here is guest-driven:
 * sizes other than 1, 2, 4, 8 and accesses that run past a device's end
 * are treated like accesses nobody claims (reads float high, writes are
 * dropped), never passed to a device that would index past its state.
 *
 * The first bytes of the arena hold the bus's own instruction counters
 * (struct mmio_emul_stats, mmio/mmio_emul.h): struct mmiobus, a shared
 * contract, has no field for them yet.
 */
#include "mmio/mmio_bus.h"

#include "machine/pc_machine.h"
#include "mmio/mmio_emul.h"
#include "spectrum/string.h"

/* Bytes of the arena the bus keeps for itself (16-byte multiples keep
 * every device state aligned as the arena is). */
#define MMIOBUS_OWN_BYTES ((sizeof(struct mmio_emul_stats) + 15u) & ~(size_t)15u)
_Static_assert(MMIOBUS_OWN_BYTES < MMIOBUS_ARENA_SIZE, "the counters leave room for devices");

bool mmiobus_init(struct mmiobus *bus, struct vm *vm)
{
    uint32_t used = MMIOBUS_OWN_BYTES;
    memset(bus->arena, 0, MMIOBUS_OWN_BYTES);
    memset(bus->reg_hits, 0, sizeof bus->reg_hits);
    bus->count = 0;
    bus->unclaimed = 0;
    TABLE_FOREACH(struct mmio_device, spectrum_mmiodev, d) {
        uint32_t need = (d->state_size + 15u) & ~15u;
        if (bus->count == MMIOBUS_MAX_DEVICES || need < d->state_size || need > MMIOBUS_ARENA_SIZE - used)
            return false;
        void *st = &bus->arena[used];
        memset(st, 0, need);
        used += need;
        bus->dev[bus->count] = d;
        bus->state[bus->count] = st;
        bus->reads[bus->count] = bus->writes[bus->count] = 0;
        bus->count++;
        if (d->init)
            d->init(vm, st);
    }
    return true;
}

int mmiobus_find(const struct mmiobus *bus, uint64_t gpa)
{
    for (int i = 0; i < bus->count; i++) {
        const struct mmio_device *d = bus->dev[i];
        if (gpa >= d->base && gpa - d->base < d->size)
            return i;
    }
    return -1;
}

static bool valid_size(unsigned size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

/* The device that holds all of [gpa, gpa+size), or -1: an access that
 * starts in a device and runs past its end is nobody's (overflow-safe:
 * offset + size is compared as a difference). */
static int claim(const struct mmiobus *bus, uint64_t gpa, unsigned size)
{
    int i = mmiobus_find(bus, gpa);
    if (i < 0 || !valid_size(size))
        return -1;
    uint64_t off = gpa - bus->dev[i]->base;
    return size <= bus->dev[i]->size - off ? i : -1;
}

uint64_t mmiobus_read(struct vm *vm, struct mmiobus *bus, uint64_t gpa, unsigned size)
{
    uint64_t mask = size_mask(size);
    int i = claim(bus, gpa, size);
    if (i < 0 || !bus->dev[i]->read) {
        bus->unclaimed++;
        return mask;            /* nothing drives the bus: all ones */
    }
    bus->reads[i]++;
    if (gpa - bus->dev[i]->base < 4096)
        bus->reg_hits[i][(gpa - bus->dev[i]->base) / 4]++;
    return bus->dev[i]->read(vm, bus->state[i], gpa - bus->dev[i]->base, size) & mask;
}

void mmiobus_write(struct vm *vm, struct mmiobus *bus, uint64_t gpa, unsigned size, uint64_t value)
{
    int i = claim(bus, gpa, size);
    if (i < 0 || !bus->dev[i]->write) {
        bus->unclaimed++;
        return;
    }
    bus->writes[i]++;
    if (gpa - bus->dev[i]->base < 4096)
        bus->reg_hits[i][(gpa - bus->dev[i]->base) / 4]++;
    bus->dev[i]->write(vm, bus->state[i], gpa - bus->dev[i]->base, size, value & size_mask(size));
}

void *mmio_state(struct vm *vm, const char *name)
{
    struct pc_machine *m = pc_machine_of(vm);
    if (!m || !name)
        return 0;
    for (int i = 0; i < m->mmio.count; i++)
        if (strcmp(m->mmio.dev[i]->name, name) == 0)
            return m->mmio.state[i];
    return 0;
}

struct mmio_emul_stats *mmio_emul_stats(struct mmiobus *bus)
{
    return (struct mmio_emul_stats *)(void *)bus->arena;
}
