/**
 * @file apic_msg.h
 * @brief An interrupt message on the APIC bus: what an I/O APIC
 *        redirection entry or a local APIC's ICR sends to local APICs.
 *
 * The fields are those of the message, with the encodings the ICR (SDM
 * Vol. 3A §11.6.1, Figure 11-12) and the 82093AA redirection entries
 * (82093AA I/O APIC datasheet §3.2.4) share: delivery mode 3 bits,
 * destination mode 1 bit, trigger mode 1 bit, an 8-bit destination.
 * Macros and one plain struct: the kernel and the hosted tests use it.
 */
#ifndef SPECTRUM_APIC_MSG_H
#define SPECTRUM_APIC_MSG_H

#include <stdbool.h>
#include <stdint.h>

/* ---- Delivery modes (ICR bits 10:8, redirection entry bits 10:8) ---- */
#define APIC_DM_FIXED   0  /**< the vector, to every destination */
#define APIC_DM_LOWEST  1  /**< the vector, to the lowest-priority destination */
#define APIC_DM_SMI     2  /**< system-management interrupt */
#define APIC_DM_NMI     4  /**< non-maskable interrupt (vector ignored) */
#define APIC_DM_INIT    5  /**< INIT */
#define APIC_DM_STARTUP 6  /**< start-up IPI (ICR only) */
#define APIC_DM_EXTINT  7  /**< the 8259 supplies the vector (INTA cycle) */

#define APIC_VECTOR_MIN 16          /**< vectors 0-15 are illegal in APIC messages (SDM §11.5.2) */
#define APIC_DEST_BROADCAST 0xffu   /**< physical destination "all" (xAPIC, SDM §11.6.2.1) */

/** @brief One interrupt message. */
struct apic_msg {
    uint8_t vector;     /**< vector (fixed, lowest priority) */
    uint8_t mode;       /**< APIC_DM_* */
    uint8_t dest;       /**< destination: APIC ID (physical) or MDA (logical) */
    bool logical;       /**< destination mode: logical (true) or physical */
    bool level;         /**< trigger mode: level (true) or edge */
};

#endif
