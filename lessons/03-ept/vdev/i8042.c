/**
 * @file i8042.c
 * @brief The one thing of the PC keyboard controller (8042) a machine
 *        without a keyboard needs: its reset line, how PCs (and Linux's
 *        "reboot=k", the default when ACPI names no reset register) reboot.
 *
 * Ports 0x60 (data) and 0x64 (status/command), IBM PC/AT Technical
 * Reference, "Keyboard Controller".  Writing command 0xFE to port 0x64
 * pulses the CPU's reset line: here it stops the VM with a message saying
 * the guest rebooted - an orderly end, so the VM counts as passed (a test
 * that wants more, such as Linux's /init checks, looks at the guest's own
 * output).  The status register reads 0: output buffer empty, input buffer
 * empty, so a guest waiting for the controller to accept a command (Linux's
 * kb_wait()) does not poll 65536 times first.  There is no keyboard: data
 * reads return 0 and other commands are ignored (counted).
 *
 * Only lesson-03 machines have it (machine/pc_port_device.h): a plain
 * lesson-02 VM keeps the empty port bus there (all ones, writes dropped).
 */
#include "machine/pc_port_device.h"
#include "vm/vm.h"

#define I8042_DATA    0x60
#define I8042_STATUS  0x64      /* read: status; write: command */
#define I8042_CMD_RESET 0xfe    /* "pulse output port bit 0": the CPU's RESET line */

/** @brief Per-VM counters. */
struct i8042 {
    uint64_t commands;          /**< commands written to 0x64, reset excluded */
};

static uint32_t i8042_read(struct vm *vm, void *st, uint16_t port, unsigned size)
{
    (void)vm;
    (void)st;
    (void)port;
    (void)size;
    return 0;
}

static void i8042_write(struct vm *vm, void *st, uint16_t port, unsigned size, uint32_t value)
{
    (void)size;
    struct i8042 *k = st;
    if (port != I8042_STATUS)
        return;
    if ((value & 0xff) == I8042_CMD_RESET) {
        vm_stop(vm, true, "the guest rebooted (8042 reset command 0xFE on port 0x64)");
        return;
    }
    k->commands++;
}

/* Two devices of one port each: 0x61 between them is the PIT's port B
 * (lesson 02's pit_ports.c). */
REGISTER_PC_PORT_DEVICE(i8042_status, {
    .name = "i8042",
    .base = I8042_STATUS,
    .count = 1,
    .state_size = sizeof(struct i8042),
    .read = i8042_read,
    .write = i8042_write,
});

REGISTER_PC_PORT_DEVICE(i8042_data, {
    .name = "i8042-data",
    .base = I8042_DATA,
    .count = 1,
    .state_size = 8,
    .read = i8042_read,
    .write = i8042_write,
});
