/**
 * @file acpi_pm_ports.c
 * @brief The PM1a event and control blocks (vdev/acpi_pm.h) at ports
 *        ACPI_PM_BASE.. on a lesson-03 machine, where the FADT names them;
 *        ACPI soft off (S5) stops the VM as a power-off.
 *
 * Why 0x1800 and not 0x600 (where SeaBIOS puts PIIX4's PM block and
 * QEMU's q35/ICH9 has PMBASE): under QEMU TCG, a Linux guest's accesses
 * to 0x600-0x603 never reached Spectrum although the IOPM intercepts
 * them (checked at VM stop), while 0x604 did - an emulator effect not
 * yet understood.  0x1800 is used by neither emulator's chipset (Bochs
 * puts its PIIX4 PM block at 0xB000).
 *
 * Only lesson-03 machines have them (machine/pc_port_device.h): a plain
 * lesson-01/02 VM keeps the empty port bus there (all ones, writes dropped).
 */
#include "machine/pc_port_device.h"
#include "vdev/acpi_pm.h"
#include "vm/vm.h"

static uint32_t acpi_pm_port_read(struct vm *vm, void *st, uint16_t port, unsigned size)
{
    (void)vm;
    return acpi_pm_read(st, (unsigned)(port - ACPI_PM_BASE), size);
}

static void acpi_pm_port_write(struct vm *vm, void *st, uint16_t port, unsigned size, uint32_t value)
{
    unsigned typ = 0;
    switch (acpi_pm_write(st, (unsigned)(port - ACPI_PM_BASE), size, value, &typ)) {
    case ACPI_PM_POWEROFF:
        vm_stop(vm, true, "the guest powered off (ACPI S5: SLP_TYP %u with SLP_EN in PM1a_CNT at port %#x)", typ,
                ACPI_PM_BASE + ACPI_PM1_CNT);
        break;
    case ACPI_PM_SLEEP_OTHER:
        vm_stop(vm, false, "the guest asked for ACPI sleep type %u (SLP_EN in PM1a_CNT), a state this machine does "
                "not have (only S5, SLP_TYP %u)", typ, FW_S5_SLP_TYP);
        break;
    case ACPI_PM_NONE:
        break;
    }
}

REGISTER_PC_PORT_DEVICE(acpi_pm1, {
    .name = "acpi-pm1",
    .base = ACPI_PM_BASE,
    .count = ACPI_PM_PORTS,
    .state_size = sizeof(struct acpi_pm),
    .read = acpi_pm_port_read,
    .write = acpi_pm_port_write,
});
