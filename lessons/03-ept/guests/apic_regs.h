/**
 * @file apic_regs.h
 * @brief The local APIC as the lesson-03 platform test guests program it:
 *        32-bit MMIO accessors and field builders over the register map
 *        and bits of the model's header (apic/lapic.h, which holds every
 *        architectural constant once), plus the divide values the model
 *        does not name.
 *
 * SDM Vol. 3A: register map §11.4.1 Table 11-1 (software must use aligned
 * 32-bit loads and stores, which the hostile guest breaks on purpose);
 * LVT §11.5.1 Figure 11-8; timer §11.5.4 (divide configuration Figure
 * 11-10, TSC-deadline mode §11.5.4.1); ICR §11.6.1 Figure 11-12.
 */
#ifndef GUEST_APIC_REGS_H
#define GUEST_APIC_REGS_H

#include <stdint.h>

#include "apic/lapic.h"
#include "spectrum/x86_bits.h"

/* Divide configuration register values (Figure 11-10: bits 0, 1 and 3). */
#define LAPIC_DCR_DIV2   0x0u  /**< divide by 2 */
#define LAPIC_DCR_DIV4   0x1u  /**< divide by 4 */
#define LAPIC_DCR_DIV8   0x2u  /**< divide by 8 */
#define LAPIC_DCR_DIV16  0x3u  /**< divide by 16 */
#define LAPIC_DCR_DIV32  0x8u  /**< divide by 32 */
#define LAPIC_DCR_DIV64  0x9u  /**< divide by 64 */
#define LAPIC_DCR_DIV128 0xAu  /**< divide by 128 */
#define LAPIC_DCR_DIV1   0xBu  /**< divide by 1 (0b1011) */

/** LVT timer mode field for mode @p m (LVT_TIMER_ONESHOT, _PERIODIC, _DEADLINE). */
#define LVT_MODE(m) ((uint32_t)(m) << LVT_TIMER_MODE_SHIFT)
/** ICR delivery-mode field for @p dm (APIC_DM_*, apic/apic_msg.h; 3 is reserved). */
#define ICR_DM(dm) ((uint32_t)(dm) << LVT_DM_SHIFT)
/** ICR destination-shorthand field for @p sh (ICR_SH_NONE, _SELF, _ALL, _OTHERS). */
#define ICR_SH(sh) ((uint32_t)(sh) << ICR_SHORTHAND_SHIFT)

/** @brief Aligned 32-bit load from LAPIC register @p reg. */
static inline uint32_t guest_lapic_read(uint32_t reg)
{
    return *(volatile uint32_t *)(uintptr_t)(LAPIC_BASE_DEFAULT + reg);
}

/** @brief Aligned 32-bit store of @p v to LAPIC register @p reg. */
static inline void guest_lapic_write(uint32_t reg, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)(LAPIC_BASE_DEFAULT + reg) = v;
}

/** @brief Whether @p vector's bit is set in the 256-bit register array at
 *         @p base (LAPIC_ISR, LAPIC_TMR or LAPIC_IRR: bit v lives in
 *         register v/32, SDM Vol. 3A §11.8.4 Figure 11-20). */
static inline int guest_lapic_vector_bit(uint32_t base, unsigned vector)
{
    return (guest_lapic_read(base + (vector / 32) * 0x10) >> (vector % 32)) & 1;
}

#endif
