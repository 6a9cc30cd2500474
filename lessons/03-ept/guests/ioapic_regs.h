/**
 * @file ioapic_regs.h
 * @brief The I/O APIC as a guest programs it: the two-register window,
 *        the register indexes and the redirection-entry bits, for the
 *        lesson-03 platform test guests.
 *
 * Intel 82093AA I/O APIC datasheet (290566-001): §3.0 "Register
 * description" (IOREGSEL at base + 0x00, IOWIN at base + 0x10, 32-bit
 * accesses only), §3.2.1 IOAPICID, §3.2.2 IOAPICVER, §3.2.4 IOREDTBL
 * (64-bit entries at indexes 0x10 + 2n / 0x11 + 2n).  The EOI register at
 * base + 0x40 came with I/O APIC version 0x20 (ICH and later, not in the
 * 82093AA).
 *
 * Guest-side copy: the device model (branch "apic") keeps its own.
 */
#ifndef GUEST_IOAPIC_REGS_H
#define GUEST_IOAPIC_REGS_H

#include <stdint.h>

#define IOAPIC_BASE_GPA 0xFEC00000ul   /**< the PC's default I/O APIC base */
#define IOAPIC_IOREGSEL 0x00           /**< register select (bits 7:0) */
#define IOAPIC_IOWIN    0x10           /**< data window */
#define IOAPIC_EOIR     0x40           /**< EOI register (version >= 0x20) */

#define IOAPIC_REG_ID   0x00           /**< ID in bits 27:24 */
#define IOAPIC_REG_VER  0x01           /**< version 7:0, max redirection entry 23:16 */
#define IOAPIC_REG_ARB  0x02           /**< arbitration ID */
#define IOAPIC_REG_REDTBL(pin) (0x10u + 2u * (pin))  /**< low half of entry @p pin; +1: high half */

/* Redirection entry, low half (datasheet §3.2.4). */
#define IOREDTBL_VECTOR_MASK 0xFFu
#define IOREDTBL_DM_FIXED   (0u << 8)
#define IOREDTBL_DM_LOWEST  (1u << 8)
#define IOREDTBL_DM_SMI     (2u << 8)
#define IOREDTBL_DM_NMI     (4u << 8)
#define IOREDTBL_DM_INIT    (5u << 8)
#define IOREDTBL_DM_EXTINT  (7u << 8)
#define IOREDTBL_DEST_LOGICAL (1u << 11)
#define IOREDTBL_DELIVS     (1u << 12)  /**< delivery status (read only) */
#define IOREDTBL_ACTIVE_LOW (1u << 13)  /**< input pin polarity */
#define IOREDTBL_REMOTE_IRR (1u << 14)  /**< level: accepted, no EOI yet (read only) */
#define IOREDTBL_LEVEL      (1u << 15)  /**< trigger mode: level */
#define IOREDTBL_MASKED     (1u << 16)  /**< interrupt mask */
#define IOREDTBL_DEST_SHIFT 24          /**< destination, high half bits 31:24 (63:56) */

/* PC wiring (MP spec 1.4 §5.1 default configurations, as QEMU and every
 * ACPI MADT with the usual override do it): ISA IRQ0 on pin 2, other ISA
 * IRQs on the pin of the same number. */
#define IOAPIC_PIN_PIT  2
#define IOAPIC_PIN_COM1 4

/** @brief Read I/O APIC register @p index through IOREGSEL/IOWIN. */
static inline uint32_t ioapic_read(uint32_t index)
{
    *(volatile uint32_t *)(IOAPIC_BASE_GPA + IOAPIC_IOREGSEL) = index;
    return *(volatile uint32_t *)(IOAPIC_BASE_GPA + IOAPIC_IOWIN);
}

/** @brief Write @p v to I/O APIC register @p index. */
static inline void ioapic_write(uint32_t index, uint32_t v)
{
    *(volatile uint32_t *)(IOAPIC_BASE_GPA + IOAPIC_IOREGSEL) = index;
    *(volatile uint32_t *)(IOAPIC_BASE_GPA + IOAPIC_IOWIN) = v;
}

/** @brief Program redirection entry @p pin: high half first, so the entry
 *         is never live with a half-written destination. */
static inline void ioapic_route(unsigned pin, uint32_t low, uint8_t dest)
{
    ioapic_write(IOAPIC_REG_REDTBL(pin) + 1, (uint32_t)dest << IOREDTBL_DEST_SHIFT);
    ioapic_write(IOAPIC_REG_REDTBL(pin), low);
}

#endif
