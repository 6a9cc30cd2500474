/**
 * @file fwcfg_ports.c
 * @brief fw_cfg (fwcfg.h) on the port bus at 0x510/0x511, for lesson-03
 *        machines only.
 *
 * A plain lesson-01/02 VM has no firmware configuration: for it these
 * ports behave as if nothing decoded them (reads all ones, writes
 * dropped, both counted as unclaimed), as lesson 02's guests saw them.
 * A machine's device learns its RAM size on the first access (the
 * machine is attached to its VM after the port bus is built).
 *
 * Access widths follow fw_cfg.rst's legacy interface: a 16-bit write to
 * 0x510 selects (a single byte there is half a key: ignored, and so is a
 * 32-bit write's upper half), one byte read from 0x511 returns the next
 * data byte.  The selector reads all ones (it is write-only) and wider
 * reads of 0x511 return one data byte then all ones, as the bytes past
 * the data port belong to no device.
 */
#include "io/portbus.h"
#include "machine/pc_machine.h"
#include "vdev/fwcfg.h"
#include "vdev/legacy.h"
#include "vm/vm.h"

/** Per-VM state. */
struct fwcfg_dev {
    struct fwcfg cfg;   /**< the device */
    bool ready;         /**< cfg was reset for this machine */
};

static struct fwcfg *machine_cfg(struct vm *vm, struct fwcfg_dev *d)
{
    struct pc_machine *m = pc_machine_of(vm);
    if (!m)
        return 0;
    if (!d->ready) {
        fwcfg_reset(&d->cfg, m->ram_bytes);
        d->ready = true;
    }
    return &d->cfg;
}

static uint32_t fwcfg_port_read(struct vm *vm, void *st, uint16_t port, unsigned size)
{
    struct fwcfg *f = machine_cfg(vm, st);
    if (!f) {
        vm->io.unclaimed_reads++;
        return 0xffffffffu;
    }
    uint32_t v = 0xffffffffu;
    if (port == FWCFG_PORT_DATA) {
        v <<= 8;
        v |= fwcfg_read(f);
    }
    (void)size;                           /* the bus masks v to the access size */
    return v;
}

static void fwcfg_port_write(struct vm *vm, void *st, uint16_t port, unsigned size, uint32_t value)
{
    struct fwcfg *f = machine_cfg(vm, st);
    if (!f) {
        vm->io.unclaimed_writes++;
        return;
    }
    if (port == FWCFG_PORT_SELECTOR && size >= 2)
        fwcfg_select(f, (uint16_t)value);
}

REGISTER_PORT_DEVICE(fwcfg, {
    .name = "fw_cfg",
    .base = FWCFG_PORT_SELECTOR,
    .count = 2,
    .state_size = sizeof(struct fwcfg_dev),
    .read = fwcfg_port_read,
    .write = fwcfg_port_write,
});

struct fwcfg *fwcfg_of(struct vm *vm)
{
    struct fwcfg_dev *d = portbus_state(vm, "fw_cfg");
    return d ? machine_cfg(vm, d) : 0;
}
