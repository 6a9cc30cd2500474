/**
 * @file ioapic_regs.h
 * @brief The I/O APIC as the lesson-03 platform test guests program it:
 *        the IOREGSEL/IOWIN accessors over the model's register map and
 *        bits (apic/ioapic.h), and the PC's wiring of its pins.
 *
 * Intel 82093AA I/O APIC datasheet (290566-001): §3.0 (IOREGSEL at base +
 * 0x00, IOWIN at base + 0x10, 32-bit accesses only), §3.2.4 IOREDTBL
 * (64-bit entries at indexes 0x10 + 2n / 0x11 + 2n).  The EOI register at
 * base + 0x40 came with I/O APIC version 0x20 (ICH and later): the
 * 82093AA modelled here has none, which the hostile guest tries.
 */
#ifndef GUEST_IOAPIC_REGS_H
#define GUEST_IOAPIC_REGS_H

#include <stdint.h>

#include "apic/ioapic.h"

#define IOAPIC_EOIR 0x40   /**< EOI register of version 0x20 parts (absent in the 82093AA) */

/** Index of the low half of redirection entry @p pin (+1: the high half). */
#define IOAPIC_REDIR_LO(pin) (IOAPIC_REG_REDIR + 2u * (pin))
/** Delivery-mode field of a redirection entry for @p dm (APIC_DM_*). */
#define IOREDIR_DM(dm) ((uint32_t)(dm) << IOREDIR_DM_SHIFT)

/* PC wiring (MP spec 1.4 §5.1 default configurations, as QEMU and every
 * ACPI MADT with the usual override do it): ISA IRQ0 on pin 2, other ISA
 * IRQs on the pin of the same number. */
#define IOAPIC_PIN_PIT  2   /**< ISA IRQ0, the PIT */
#define IOAPIC_PIN_COM1 4   /**< ISA IRQ4, COM1 */

/** @brief Read I/O APIC register @p index through IOREGSEL/IOWIN. */
static inline uint32_t guest_ioapic_read(uint32_t index)
{
    *(volatile uint32_t *)(uintptr_t)(IOAPIC_BASE_DEFAULT + IOAPIC_IOREGSEL) = index;
    return *(volatile uint32_t *)(uintptr_t)(IOAPIC_BASE_DEFAULT + IOAPIC_IOWIN);
}

/** @brief Write @p v to I/O APIC register @p index. */
static inline void guest_ioapic_write(uint32_t index, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)(IOAPIC_BASE_DEFAULT + IOAPIC_IOREGSEL) = index;
    *(volatile uint32_t *)(uintptr_t)(IOAPIC_BASE_DEFAULT + IOAPIC_IOWIN) = v;
}

/** @brief Program redirection entry @p pin (low half @p low, destination
 *         @p dest): high half first, so the entry is never live with a
 *         half-written destination. */
static inline void guest_ioapic_route(unsigned pin, uint32_t low, uint8_t dest)
{
    guest_ioapic_write(IOAPIC_REDIR_LO(pin) + 1, (uint32_t)dest << (IOREDIR_DEST_SHIFT - 32));
    guest_ioapic_write(IOAPIC_REDIR_LO(pin), low);
}

#endif
