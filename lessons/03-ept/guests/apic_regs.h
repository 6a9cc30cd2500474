/**
 * @file apic_regs.h
 * @brief The xAPIC register page as a guest programs it: offsets, bits and
 *        32-bit MMIO accessors, for the lesson-03 platform test guests.
 *
 * Register offsets: Intel SDM Vol. 3A §11.4.1 Table 11-1 (local APIC
 * register address map); LVT layout §11.5.1 Figure 11-8; timer §11.5.4
 * (divide configuration Figure 11-10, TSC-deadline mode §11.5.4.1); TPR,
 * PPR §11.8.3; EOI §11.8.5; spurious-vector register §11.9 Figure 11-23;
 * ICR §11.6.1 Figure 11-12; ESR §11.5.3 Figure 11-9.  Software must use
 * aligned 32-bit loads and stores on the page (§11.4.1); the hostile
 * guest breaks that rule on purpose.
 *
 * Guest-side copy: the device model (branch "apic") keeps its own
 * definitions; the lead may fold the two into one shared header.
 */
#ifndef GUEST_APIC_REGS_H
#define GUEST_APIC_REGS_H

#include <stdint.h>

#include "spectrum/x86_bits.h"

#define LAPIC_BASE_GPA 0xFEE00000ul  /**< default base (IA32_APIC_BASE after reset) */

/* IA32_APIC_BASE (MSR 0x1B) bits, SDM Vol. 3A §11.4.4 Figure 11-5. */
#define APIC_BASE_BSP    (1u << 8)   /**< this is the bootstrap processor */
#define APIC_BASE_X2APIC (1u << 10)  /**< x2APIC mode */
#define APIC_BASE_ENABLE (1u << 11)  /**< APIC global enable */
#define APIC_BASE_ADDR_MASK 0xFFFFFF000ull  /**< base address bits (up to MAXPHYADDR) */

/* MSR_IA32_TSC_DEADLINE (0x6E0, §11.5.4.1) and MSR_IA32_APIC_BASE: spectrum/x86_bits.h. */

/* Register offsets (Table 11-1). */
#define LAPIC_ID      0x020  /**< local APIC ID (bits 31:24) */
#define LAPIC_VER     0x030  /**< version (7:0), max LVT entry (23:16): read only */
#define LAPIC_TPR     0x080  /**< task priority */
#define LAPIC_APR     0x090  /**< arbitration priority: read only */
#define LAPIC_PPR     0x0A0  /**< processor priority: read only */
#define LAPIC_EOI     0x0B0  /**< end of interrupt: write only */
#define LAPIC_RRD     0x0C0  /**< remote read: read only */
#define LAPIC_LDR     0x0D0  /**< logical destination */
#define LAPIC_DFR     0x0E0  /**< destination format */
#define LAPIC_SVR     0x0F0  /**< spurious-interrupt vector */
#define LAPIC_ISR0    0x100  /**< in-service, 8 registers 16 bytes apart: read only */
#define LAPIC_TMR0    0x180  /**< trigger mode: read only */
#define LAPIC_IRR0    0x200  /**< interrupt request: read only */
#define LAPIC_ESR     0x280  /**< error status */
#define LAPIC_LVT_CMCI 0x2F0 /**< LVT corrected machine-check interrupt */
#define LAPIC_ICR_LO  0x300  /**< interrupt command, low half (a write sends the IPI) */
#define LAPIC_ICR_HI  0x310  /**< interrupt command, destination (bits 31:24) */
#define LAPIC_LVT_TIMER 0x320 /**< LVT timer */
#define LAPIC_LVT_THERMAL 0x330 /**< LVT thermal sensor */
#define LAPIC_LVT_PMC 0x340  /**< LVT performance counter */
#define LAPIC_LVT_LINT0 0x350 /**< LVT LINT0 */
#define LAPIC_LVT_LINT1 0x360 /**< LVT LINT1 */
#define LAPIC_LVT_ERROR 0x370 /**< LVT error */
#define LAPIC_TIMER_ICR 0x380 /**< timer initial count */
#define LAPIC_TIMER_CCR 0x390 /**< timer current count: read only */
#define LAPIC_TIMER_DCR 0x3E0 /**< timer divide configuration */

/* LVT entries (Figure 11-8). */
#define LVT_VECTOR_MASK   0xFFu
#define LVT_DELIVS        (1u << 12)  /**< delivery status: send pending */
#define LVT_MASKED        (1u << 16)  /**< masked */
#define LVT_TIMER_ONESHOT (0u << 17)  /**< timer mode 00 */
#define LVT_TIMER_PERIODIC (1u << 17) /**< timer mode 01 */
#define LVT_TIMER_TSCDL   (2u << 17)  /**< timer mode 10: TSC deadline */

/* Divide configuration register values (Figure 11-10: bits 0, 1 and 3). */
#define LAPIC_DCR_DIV2   0x0u
#define LAPIC_DCR_DIV4   0x1u
#define LAPIC_DCR_DIV8   0x2u
#define LAPIC_DCR_DIV16  0x3u
#define LAPIC_DCR_DIV32  0x8u
#define LAPIC_DCR_DIV64  0x9u
#define LAPIC_DCR_DIV128 0xAu
#define LAPIC_DCR_DIV1   0xBu

/* Spurious-interrupt vector register (Figure 11-23). */
#define SVR_APIC_ENABLE (1u << 8)     /**< APIC software enable */

/* ICR low half (Figure 11-12). */
#define ICR_DM_FIXED   (0u << 8)      /**< delivery modes, bits 10:8 */
#define ICR_DM_LOWEST  (1u << 8)
#define ICR_DM_SMI     (2u << 8)
#define ICR_DM_RSVD3   (3u << 8)
#define ICR_DM_NMI     (4u << 8)
#define ICR_DM_INIT    (5u << 8)
#define ICR_DM_SIPI    (6u << 8)
#define ICR_DM_EXTINT  (7u << 8)      /**< reserved in the ICR */
#define ICR_DEST_LOGICAL (1u << 11)   /**< destination mode */
#define ICR_DELIVS     (1u << 12)     /**< delivery status: send pending */
#define ICR_ASSERT     (1u << 14)     /**< level: assert */
#define ICR_LEVEL_TRIG (1u << 15)     /**< trigger mode */
#define ICR_SH_NONE    (0u << 18)     /**< destination shorthands, bits 19:18 */
#define ICR_SH_SELF    (1u << 18)
#define ICR_SH_ALL     (2u << 18)     /**< all including self */
#define ICR_SH_OTHERS  (3u << 18)     /**< all excluding self */

/* Error status register bits (Figure 11-9). */
#define ESR_SEND_ILLEGAL_VECTOR (1u << 5)
#define ESR_RECV_ILLEGAL_VECTOR (1u << 6)
#define ESR_ILLEGAL_REG         (1u << 7)

/** @brief Aligned 32-bit load from LAPIC register @p reg. */
static inline uint32_t lapic_read(uint32_t reg)
{
    return *(volatile uint32_t *)(LAPIC_BASE_GPA + reg);
}

/** @brief Aligned 32-bit store of @p v to LAPIC register @p reg. */
static inline void lapic_write(uint32_t reg, uint32_t v)
{
    *(volatile uint32_t *)(LAPIC_BASE_GPA + reg) = v;
}

/** @brief Whether @p vector's bit is set in the 256-bit register array at
 *         @p base (ISR, TMR or IRR: bit v lives in register v/32, SDM
 *         Vol. 3A §11.8.4 Figure 11-20). */
static inline int lapic_vector_bit(uint32_t base, unsigned vector)
{
    return (lapic_read(base + (vector / 32) * 0x10) >> (vector % 32)) & 1;
}

#endif
