/**
 * @file acpi_pm.h
 * @brief The ACPI fixed hardware a full (not hardware-reduced) FADT
 *        names: the PM1a event block (PM1_STS, PM1_EN) and the PM1a
 *        control block (PM1_CNT), and what a write to them asks for.
 *
 * Why a lesson-03 PC has them: with a hardware-reduced FADT Linux drops
 * the legacy PIC (nr_legacy_irqs() = 0) and then never maps ISA IRQs to
 * I/O APIC pins, so the 8250 driver's request_irq(4) and rtc-cmos's
 * request_irq(8) fail (see firmware/acpi.c).  A full FADT must name these
 * two blocks (ACPI 6.5 §5.2.9 Table 5.9, "required"); with SMI_CMD = 0 the
 * machine is always in ACPI mode (§4.8.2.1), so SCI_EN reads 1 and no mode
 * switch exists.  No fixed event (timer, power or sleep button, RTC alarm)
 * ever fires here, so PM1_STS stays 0 and the SCI never asserts.  What a
 * guest gets from them: ACPI power-off, SLP_TYP = FW_S5_SLP_TYP (the
 * DSDT's \_S5 package) with SLP_EN (§4.8.3.2.1, §7.4.2.5 "System \_S5").
 *
 * The model is pure (no VM): tests/test_acpi_pm.c drives it;
 * acpi_pm_ports.c puts it on the port bus.  Register layout: ACPI 6.5
 * §4.8.3.1 (PM1 event grouping: status then enable, each PM1_EVT_LEN/2
 * bytes) and §4.8.3.2 (PM1 control).
 */
#ifndef SPECTRUM_VDEV_ACPI_PM_H
#define SPECTRUM_VDEV_ACPI_PM_H

#include <stdint.h>

#define ACPI_PM_BASE      0x1800u  /**< PM1a_EVT_BLK; PM1a_CNT_BLK follows (see acpi_pm_ports.c for why not 0x600) */
#define ACPI_PM1_EVT_LEN  4u       /**< PM1_STS (2 bytes) + PM1_EN (2 bytes) */
#define ACPI_PM1_CNT_LEN  2u       /**< PM1_CNT */
#define ACPI_PM_PORTS     (ACPI_PM1_EVT_LEN + ACPI_PM1_CNT_LEN) /**< ports the device claims */
#define ACPI_PM1_STS      0u       /**< offset of PM1_STS in the block */
#define ACPI_PM1_EN       2u       /**< offset of PM1_EN */
#define ACPI_PM1_CNT      4u       /**< offset of PM1_CNT (= PM1a_CNT_BLK - PM1a_EVT_BLK) */

#define ACPI_PM1_CNT_SCI_EN   0x0001u /**< §4.8.3.2.1 Table 4.16: SCI (not SMI) on power events; read-only 1 here */
#define ACPI_PM1_CNT_SLP_TYP  0x1c00u /**< bits 12:10: the sleep state to enter */
#define ACPI_PM1_CNT_SLP_SHIFT 10     /**< SLP_TYP's first bit */
#define ACPI_PM1_CNT_SLP_EN   0x2000u /**< write-only: enter the SLP_TYP state now */
#define ACPI_PM1_CNT_RW       0x1c06u /**< bits kept: BM_RLD, GBL_RLS (no effect), SLP_TYP */
#define ACPI_PM1_EN_MASK      0x4721u /**< Table 4.14: TMR_EN, GBL_EN, PWRBTN_EN, SLPBTN_EN, RTC_EN, PCIEXP_WAKE_DIS */

#define FW_S5_SLP_TYP 5u   /**< SLP_TYP of S5 (soft off): what the DSDT's \_S5 package says */

/** @brief One machine's PM1a registers. */
struct acpi_pm {
    uint16_t sts;            /**< PM1_STS (nothing ever sets a bit: no fixed event fires) */
    uint16_t en;             /**< PM1_EN as written (defined bits) */
    uint16_t cnt;            /**< PM1_CNT's read/write bits (SCI_EN is added on read) */
    uint64_t sleeps;         /**< SLP_EN writes */
};

/** @brief What a write asked the machine to do. */
enum acpi_pm_event {
    ACPI_PM_NONE = 0,        /**< nothing: a register changed */
    ACPI_PM_POWEROFF,        /**< SLP_EN with SLP_TYP = FW_S5_SLP_TYP: soft off */
    ACPI_PM_SLEEP_OTHER,     /**< SLP_EN with a SLP_TYP no \_Sx names: a guest error */
};

/** @brief Power-on state: all registers 0 (SCI_EN reads 1 regardless). */
void acpi_pm_reset(struct acpi_pm *pm);

/**
 * @brief A guest IN of @p size (1, 2 or 4) bytes at offset @p off of the
 *        block (0 .. ACPI_PM_PORTS - 1); bytes past the block read 0xFF.
 */
uint32_t acpi_pm_read(const struct acpi_pm *pm, unsigned off, unsigned size);

/**
 * @brief A guest OUT of @p size bytes of @p value at offset @p off.
 *        PM1_STS bits are cleared by writing 1 (§4.8.3.1.1), PM1_EN and
 *        PM1_CNT keep their defined bits; bytes past the block are dropped.
 * @return what the write asks for; *@p slp_typ gets SLP_TYP when it is
 *         not ACPI_PM_NONE.
 */
enum acpi_pm_event acpi_pm_write(struct acpi_pm *pm, unsigned off, unsigned size, uint32_t value,
                                 unsigned *slp_typ);

#endif
