/**
 * @file firmware.h
 * @brief The platform description a PC's firmware leaves for the OS, as
 *        tables in the BIOS ROM area: the MultiProcessor Specification 1.4
 *        table (mptable.c) and minimal ACPI tables (acpi.c).  Together
 *        they tell an OS that loaded without firmware that this machine
 *        has a local APIC, an I/O APIC and the ISA lines wired to it as
 *        apic/isa_wiring.c wires them, so it uses the LAPIC timer and
 *        IOAPIC-routed interrupts instead of falling back to the 8259.
 *
 * Why both: an OS reads whichever it was built to read.  The project's
 * own Linux (a tinyconfig kernel with X86_MPPARSE and no ACPI) knows only
 * the MP table; a distribution's stock kernel (Debian's cloud kernel) is
 * built without X86_MPPARSE and finds the I/O APIC only through ACPI's
 * MADT.  When both are present Linux prefers ACPI (acpi_boot_init() runs
 * before the MP table is looked at; "acpi=off" selects the MP table).
 *
 * Layout, in the "bios" ROM (PC_BIOS_BASE .. 1 MiB), where each OS
 * searches (MP 1.4 §4: the floating pointer in 0xF0000-0xFFFFF on a
 * 16-byte boundary; ACPI 6.5 §5.2.5.1: the RSDP in 0xE0000-0xFFFFF on a
 * 16-byte boundary):
 *
 *     FW_MP_GPA    MP floating pointer (16 bytes), configuration table after it
 *     FW_ACPI_GPA  RSDP, RSDT, XSDT, MADT, FADT, DSDT
 *
 * The tables are built into a host buffer, then written with gpm_load()
 * (the ROM is read-only for the guest).
 */
#ifndef SPECTRUM_FIRMWARE_H
#define SPECTRUM_FIRMWARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apic/ioapic.h"
#include "machine/pc_machine.h"

#define FW_MP_GPA   0xf0000ull  /**< the MP floating pointer */
#define FW_ACPI_GPA 0xf1000ull  /**< the ACPI RSDP */
#define FW_AREA_MAX 0x1000u     /**< bytes each set of tables may take */

#define FW_MPTABLE 1u           /**< fw_write_tables(): the MP table */
#define FW_ACPI    2u           /**< fw_write_tables(): the ACPI tables (MADT, FADT, FACS, DSDT) */
#define FW_MADT_ONLY 4u         /**< with FW_ACPI: only the MADT, no FADT/DSDT (Linux keeps the 8259/PIT path) */

#define FW_LAPIC_ID   0u        /**< the one vCPU's local APIC ID (apic/lapic.c resets it to 0) */
/* The I/O APIC's ID: the one its ID register holds after reset
 * (apic/ioapic.c).  MP 1.4 asks for IDs unique on the APIC bus, which
 * mattered for the 82489DX's serial bus; xAPIC delivers on the system
 * bus, and Linux x86-64 believes the register over the table anyway
 * (io_apic_unique_id()), so the tables say what the register says. */
#define FW_IOAPIC_ID  0u        /**< the I/O APIC's ID in both tables (see above) */
#define FW_ISA_IRQS   ISA_IRQS  /**< ISA IRQ0-15 (apic/ioapic.h) */
#define FW_SCI_IRQ    9u        /**< the ACPI SCI's conventional ISA IRQ (never asserted: no fixed event fires) */
#define FW_RESET_PORT 0x64u     /**< the FADT's RESET_REG: the 8042's command port (vdev/i8042.c) */
#define FW_RESET_VALUE 0xfeu    /**< ... and RESET_VALUE: "pulse output port bit 0" (CPU reset) */

/** @brief The interrupt controllers fw_write_tables() found in a machine's map. */
struct fw_platform {
    uint32_t lapic_base;    /**< GPA of the local APIC page */
    uint32_t ioapic_base;   /**< GPA of the I/O APIC page */
    unsigned ioapic_pins;   /**< its redirection entries */
};

/** @brief The I/O APIC input of ISA line @p irq (0-15), or -1 (IRQ2, the cascade, has none). */
int fw_isa_pin(unsigned irq);

/** @brief The byte that makes the @p len bytes at @p p sum to 0 when stored in their checksum field (which must hold 0). */
uint8_t fw_checksum(const void *p, size_t len);

/**
 * @brief Build the MP floating pointer and configuration table for @p pf
 *        into @p buf, to be placed at guest-physical @p gpa.
 * @return bytes used, 0 if @p cap is too small
 */
size_t mptable_build(const struct fw_platform *pf, uint32_t gpa, uint8_t *buf, size_t cap);

/**
 * @brief Build the ACPI tables (RSDP at the start) for @p pf into @p buf,
 *        to be placed at guest-physical @p gpa: RSDT, XSDT, MADT and,
 *        with @p with_fadt, a hardware-reduced FADT and an empty DSDT.
 * @return bytes used, 0 if @p cap is too small
 */
size_t acpi_build(const struct fw_platform *pf, uint32_t gpa, bool with_fadt, uint8_t *buf, size_t cap);

/**
 * @brief Parse the option "fwtables=" in @p cmdline, a comma list of
 *        "mp", "acpi", "madt" (ACPI with the MADT only) or "none", into
 *        FW_* bits (absent: FW_MPTABLE | FW_ACPI).
 * @return false with the reason in @p why if it names anything else
 */
bool fw_tables_option(const char *cmdline, unsigned *which, char *why, size_t why_len);

/**
 * @brief Write the tables @p which (FW_* bits) into @p m's ROM.  A machine
 *        without both a "lapic" and an "ioapic" MMIO region gets none
 *        (there is nothing to describe; the OS uses the 8259).  @p rsdp
 *        receives the RSDP's GPA (0 if no ACPI tables were written).
 * @return false with the reason in @p why if the ROM is not there
 */
bool fw_write_tables(struct pc_machine *m, unsigned which, uint64_t *rsdp, char *why, size_t why_len);

#endif
