/**
 * @file ioapic.h
 * @brief The I/O APIC (Intel 82093AA I/O Advanced Programmable Interrupt
 *        Controller datasheet, order 290566-001): the pure model,
 *        hosted-testable.
 *
 * 24 input pins, each with a 64-bit redirection entry that turns an
 * assertion into an interrupt message to local APICs (apic/apic_msg.h).
 * Two registers in memory space: IOREGSEL (offset 0x00) selects an
 * internal register, IOWIN (0x10) reads or writes it (§3.0, §3.1).
 * Internal registers: 0x00 ID, 0x01 version, 0x02 arbitration ID,
 * 0x10-0x3F the redirection table (entry n: low half 0x10+2n, high half
 * 0x11+2n) (§3.2).
 *
 * Edge-triggered pins send one message per assertion edge; a masked edge
 * is lost.  Level-triggered pins send a message while asserted and set the
 * entry's remote IRR, which stays set - no further message - until the
 * local APIC's EOI for that vector comes back (ioapic_eoi(); the local APIC
 * broadcasts EOIs of level-triggered vectors, SDM Vol. 3A §11.8.5); a pin
 * still asserted then sends again.  Delivery is instant, so the delivery
 * status bit always reads 0.
 *
 * Guest accesses: IOREGSEL accepts 8- and 32-bit accesses, IOWIN aligned
 * 32-bit ones; anything else reads 0, is dropped and counted.  Indexes
 * with no register read all ones and drop writes; read-only and reserved
 * bits keep their values.
 */
#ifndef SPECTRUM_IOAPIC_H
#define SPECTRUM_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "apic/apic_msg.h"

#define IOAPIC_BASE_DEFAULT 0xfec00000ull  /**< the PC's I/O APIC (MP Specification §3.6.1) */
#define IOAPIC_MMIO_SIZE    0x1000u        /**< its page */
#define IOAPIC_PINS         24             /**< INTIN0-23 */
#define IOAPIC_VERSION      0x11u          /**< the 82093AA's version (§3.2.2) */

#define ISA_IRQS            16u            /**< ISA IRQ0-15 */
#define ISA_PIT_PIN         2u             /**< ISA IRQ0 (the PIT) arrives at INTIN2, as on a PC */

/**
 * @brief The I/O APIC pin ISA line @p irq is wired to on this machine, or
 *        -1: IRQ0 (the PIT) on INTIN2, IRQ2 (the 8259 cascade) nowhere, IRQ n
 *        on INTIN n (MP Specification 1.4 §5.1 Table 5-1).  The one place
 *        the wiring is written down: apic/isa_wiring.c follows it, and the
 *        firmware tables (firmware/) describe it to the guest.
 */
static inline int isa_irq_ioapic_pin(unsigned irq)
{
    if (irq >= ISA_IRQS || irq == 2)
        return -1;
    return irq == 0 ? (int)ISA_PIT_PIN : (int)irq;
}

/* ---- Memory-mapped registers (§3.1) ---- */
#define IOAPIC_IOREGSEL 0x00   /**< register select (bits 7:0) */
#define IOAPIC_IOWIN    0x10   /**< register window */

/* ---- Internal registers (§3.2) ---- */
#define IOAPIC_REG_ID     0x00 /**< ID in bits 27:24 */
#define IOAPIC_REG_VER    0x01 /**< version, max redirection entry in bits 23:16 */
#define IOAPIC_REG_ARB    0x02 /**< arbitration ID in bits 27:24 */
#define IOAPIC_REG_REDIR  0x10 /**< first redirection-table register */

/* ---- Redirection entry fields (§3.2.4) ---- */
#define IOREDIR_VECTOR     0xffull          /**< vector */
#define IOREDIR_DM_SHIFT   8                /**< delivery mode, bits 10:8 */
#define IOREDIR_DEST_LOGICAL (1ull << 11)   /**< destination mode */
#define IOREDIR_PENDING    (1ull << 12)     /**< delivery status (read only) */
#define IOREDIR_ACTIVE_LOW (1ull << 13)     /**< interrupt input pin polarity */
#define IOREDIR_REMOTE_IRR (1ull << 14)     /**< remote IRR (read only) */
#define IOREDIR_LEVEL      (1ull << 15)     /**< trigger mode */
#define IOREDIR_MASKED     (1ull << 16)     /**< interrupt mask */
#define IOREDIR_DEST_SHIFT 56               /**< destination field, bits 63:56 */
/** Bits a guest may write: 0-11, 13, 15, 16 and 63:56. */
#define IOREDIR_WRITABLE   (0xff00000000000000ull | 0x1afffull)

/** @brief Counters, for statistics and tests. */
struct ioapic_stats {
    uint64_t messages;       /**< interrupt messages sent */
    uint64_t refused;        /**< ... that no local APIC accepted */
    uint64_t masked_edges;   /**< assertion edges on masked edge-triggered pins (lost) */
    uint64_t eois;           /**< EOIs that cleared a remote IRR */
    uint64_t bad_accesses;   /**< unaligned or wrongly sized accesses */
    uint64_t bad_index;      /**< IOWIN accesses with no register behind IOREGSEL */
};

/** @brief Where messages go: returns whether a local APIC accepted @p m. */
typedef bool (*ioapic_deliver_fn)(void *ctx, const struct apic_msg *m);

/** @brief One I/O APIC. */
struct ioapic {
    uint32_t regsel;                 /**< IOREGSEL, bits 7:0 */
    uint32_t id;                     /**< ID register (bits 27:24) */
    uint64_t redir[IOAPIC_PINS];     /**< redirection table */
    uint32_t input;                  /**< input levels, bit n = pin n high (before polarity) */
    ioapic_deliver_fn deliver;       /**< may be NULL: messages are then refused */
    void *deliver_ctx;               /**< its argument */
    struct ioapic_stats stats;       /**< counters */
};

/** @brief Power-up state: ID 0, every entry masked (§3.2.4), inputs low.  Keeps the sink. */
void ioapic_reset(struct ioapic *io);

/** @brief Set where the interrupt messages go. */
void ioapic_set_sink(struct ioapic *io, ioapic_deliver_fn fn, void *ctx);

/** @brief A guest read of @p size bytes at offset @p offset of the register page. */
uint32_t ioapic_read(struct ioapic *io, uint32_t offset, unsigned size);

/** @brief A guest write of @p size bytes of @p value at offset @p offset. */
void ioapic_write(struct ioapic *io, uint32_t offset, unsigned size, uint64_t value);

/** @brief Drive input pin @p pin (0..23; others ignored) to @p level (true: high). */
void ioapic_set_pin(struct ioapic *io, unsigned pin, bool level);

/** @brief An EOI for @p vector came back from a local APIC: clear the
 *         remote IRR of the level-triggered entries with that vector, and
 *         send again for pins still asserted. */
void ioapic_eoi(struct ioapic *io, uint8_t vector);

/** @brief Redirection entry @p pin as the guest programmed it (0 for a bad pin). */
uint64_t ioapic_entry(const struct ioapic *io, unsigned pin);

/** @brief Whether pin @p pin's entry is unmasked. */
bool ioapic_pin_unmasked(const struct ioapic *io, unsigned pin);

#endif
