/**
 * @file pvpanic.h
 * @brief The pvpanic device: one I/O port through which a guest kernel
 *        tells the hypervisor it has panicked, so the VM stops saying so
 *        instead of rebooting or hanging silently.
 *
 * The interface is QEMU's (docs/specs/pvpanic.rst in QEMU's tree): an ISA
 * device, ACPI _HID "QEMU0001", at port 0x505; reading the port gives the
 * events the device supports, writing an event bit reports it.  Linux's
 * driver (drivers/misc/pvpanic/pvpanic-mmio.c, CONFIG_PVPANIC_MMIO) binds
 * to the DSDT device firmware/acpi.c describes, keeps the capability bits
 * it reads (pvpanic.c: capability &= ioread8(base)) and, from its panic
 * notifier, writes PVPANIC_PANICKED after the "Kernel panic - not
 * syncing" line is on the console.
 *
 * Only PVPANIC_PANICKED is offered: PVPANIC_CRASH_LOADED means "a kdump
 * kernel takes over now, keep running", and Spectrum has no kexec story
 * to tell.  A write of any other bit is counted and otherwise ignored.
 */
#ifndef SPECTRUM_VDEV_PVPANIC_H
#define SPECTRUM_VDEV_PVPANIC_H

#include <stdint.h>

#define PVPANIC_PORT         0x505u  /**< QEMU's default ioport for -device pvpanic */
#define PVPANIC_PANICKED     0x01u   /**< Linux include/uapi/misc/pvpanic.h: the guest panicked */
#define PVPANIC_CRASH_LOADED 0x02u   /**< ... a crash kernel is loaded and takes over (not offered) */
#define PVPANIC_CAPS         PVPANIC_PANICKED /**< what a read of the port says the device supports */

/** @brief The device's counters (the port device's state). */
struct pvpanic {
    uint32_t reads;   /**< capability reads (the driver's probe) */
    uint32_t ignored; /**< writes without PVPANIC_PANICKED */
};

#endif
