/**
 * @file acpi_pm.c
 * @brief PM1a event and control registers (acpi_pm.h): byte-exact reads
 *        and writes of any width, write-1-to-clear status, and the sleep
 *        request a guest makes by setting SLP_EN (ACPI 6.5 §4.8.3).
 *
 * The block is six bytes: PM1_STS, PM1_EN, PM1_CNT, 16 bits each.  ACPICA
 * accesses each with one 16-bit IN/OUT, but a guest may use any width at
 * any offset, so every access is split into bytes here: a guest value
 * only ever selects bits of these three registers.
 */
#include "vdev/acpi_pm.h"

#include <stdbool.h>

#include "spectrum/exercise.h"

void acpi_pm_reset(struct acpi_pm *pm)
{
    *pm = (struct acpi_pm){ 0 };
}

/* The 16-bit register a guest reads at byte offset off & ~1. */
static uint16_t reg_read(const struct acpi_pm *pm, unsigned reg)
{
    switch (reg) {
    case ACPI_PM1_STS:
        return pm->sts;
    case ACPI_PM1_EN:
        return pm->en;
    default:
        /* SMI_CMD = 0 in the FADT: always in ACPI mode, SCI_EN reads 1
         * (§4.8.2.1 "Legacy/ACPI Select and the SCI Interrupt"). SLP_EN is
         * write-only and reads 0. */
        return (uint16_t)(pm->cnt | ACPI_PM1_CNT_SCI_EN);
    }
}

uint32_t acpi_pm_read(const struct acpi_pm *pm, unsigned off, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size && i < 4; i++) {
        unsigned at = off + i;
        uint8_t b = 0xff;                       /* past the block: nothing there */
        if (at < ACPI_PM_PORTS)
            b = (uint8_t)(reg_read(pm, at & ~1u) >> (8 * (at & 1)));
        v |= (uint32_t)b << (8 * i);
    }
    return v;
}

/* The request a PM1_CNT value (after a write) makes. */
static enum acpi_pm_event cnt_event(uint16_t cnt, unsigned *slp_typ)
{
    /* EXERCISE 03.acpi-s5 5 "SLP_EN set in PM1_CNT enters the sleep state SLP_TYP names: the value of the DSDT's _S5 package is soft off, any other is a state this machine does not have (ACPI 6.5 §4.8.3.2.1 Table 4.16, §7.4.2.5)" */
    if (!(cnt & ACPI_PM1_CNT_SLP_EN))
        return ACPI_PM_NONE;
    *slp_typ = (cnt & ACPI_PM1_CNT_SLP_TYP) >> ACPI_PM1_CNT_SLP_SHIFT;
    return *slp_typ == FW_S5_SLP_TYP ? ACPI_PM_POWEROFF : ACPI_PM_SLEEP_OTHER;
    /* STUB
    EXERCISE_TODO();
    *slp_typ = 0;
    return (cnt & ACPI_PM1_CNT_SLP_EN) ? ACPI_PM_SLEEP_OTHER : ACPI_PM_NONE;
    STUB END */
    /* END EXERCISE 03.acpi-s5 */
}

enum acpi_pm_event acpi_pm_write(struct acpi_pm *pm, unsigned off, unsigned size, uint32_t value,
                                 unsigned *slp_typ)
{
    uint16_t cnt_written = 0;
    bool cnt_touched = false;
    for (unsigned i = 0; i < size && i < 4; i++) {
        unsigned at = off + i;
        if (at >= ACPI_PM_PORTS)
            break;                              /* past the block: dropped */
        unsigned shift = 8 * (at & 1);
        uint16_t byte = (uint16_t)(((value >> (8 * i)) & 0xff) << shift);
        uint16_t lane = (uint16_t)(0xffu << shift);
        switch (at & ~1u) {
        case ACPI_PM1_STS:
            pm->sts &= (uint16_t)~byte;         /* §4.8.3.1.1: write 1 to clear */
            break;
        case ACPI_PM1_EN:
            pm->en = (uint16_t)((pm->en & ~lane) | (byte & ACPI_PM1_EN_MASK));
            break;
        default:
            pm->cnt = (uint16_t)((pm->cnt & ~lane) | (byte & ACPI_PM1_CNT_RW));
            cnt_written = (uint16_t)((cnt_written & ~lane) | byte);
            cnt_touched = true;
            break;
        }
    }
    if (!cnt_touched)
        return ACPI_PM_NONE;
    /* SLP_EN acts in the write that sets it, with the SLP_TYP now held. */
    uint16_t cnt = (uint16_t)(pm->cnt | (cnt_written & ACPI_PM1_CNT_SLP_EN));
    enum acpi_pm_event e = cnt_event(cnt, slp_typ);
    if (e != ACPI_PM_NONE)
        pm->sleeps++;
    return e;
}
