/**
 * @file pvpanic.c
 * @brief The pvpanic port (vdev/pvpanic.h) on a lesson-03 machine: a
 *        write of PVPANIC_PANICKED stops the VM as "the guest panicked".
 *
 * Why a device and not a look at the console: a panicking kernel does not
 * have to print anything Spectrum could recognise (quiet, another console,
 * a stock kernel's own wording), and with panic=-1 it reboots at once, so
 * without this port a panic reads as an ordinary reboot; with panic=0 (the
 * default) it spins until the VM's time budget runs out.  The port is the
 * guest's explicit word for it, as under QEMU and KVM.
 *
 * Only lesson-03 machines have it (machine/pc_port_device.h; their DSDT
 * announces it); elsewhere port 0x505 stays the empty bus: all ones.
 */
#include "machine/pc_port_device.h"
#include "vdev/pvpanic.h"
#include "vm/vm.h"

static uint32_t pvpanic_read(struct vm *vm, void *st, uint16_t port, unsigned size)
{
    (void)vm;
    (void)port;
    struct pvpanic *p = st;
    p->reads++;
    /* One-byte register; the bytes of a wider read past it read all ones. */
    return PVPANIC_CAPS | (portbus_all_ones(size) & ~0xffu);
}

static void pvpanic_write(struct vm *vm, void *st, uint16_t port, unsigned size, uint32_t value)
{
    (void)port;
    (void)size;
    struct pvpanic *p = st;
    if (value & PVPANIC_PANICKED & PVPANIC_CAPS)
        vm_stop(vm, false, "the guest panicked (pvpanic: PVPANIC_PANICKED written to port %#x)", PVPANIC_PORT);
    else
        p->ignored++;
}

REGISTER_PC_PORT_DEVICE(pvpanic, {
    .name = "pvpanic",
    .base = PVPANIC_PORT,
    .count = 1,
    .state_size = sizeof(struct pvpanic),
    .read = pvpanic_read,
    .write = pvpanic_write,
});
