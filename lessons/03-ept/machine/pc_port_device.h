/**
 * @file pc_port_device.h
 * @brief Port-I/O devices only a lesson-03 PC machine has: the 8042's
 *        reset line, the ACPI PM1 blocks, pvpanic - hardware the machine's
 *        firmware tables describe, which a plain lesson-01/02 VM must not
 *        gain at stage 03 (its ports stay the empty bus: all ones).
 *
 * Same descriptor as lesson 01's REGISTER_PORT_DEVICE (io/portbus.h), a
 * table of its own: pc_machine_create() adds each entry to the machine's
 * port bus with portbus_add() once the VM is a PC machine, so the devices
 * need not ask "am I on a PC?" on every access.
 */
#ifndef SPECTRUM_MACHINE_PC_PORT_DEVICE_H
#define SPECTRUM_MACHINE_PC_PORT_DEVICE_H

#include "io/portbus.h"

TABLE_DECLARE(struct port_device, spectrum_pc_portdev);

/** Register a port device type that only lesson-03 PC machines get. */
#define REGISTER_PC_PORT_DEVICE(id, ...)                                      \
    static const struct port_device pc_portdev_##id TABLE_ENTRY(spectrum_pc_portdev) = __VA_ARGS__

#endif
