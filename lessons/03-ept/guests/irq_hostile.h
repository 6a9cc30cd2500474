/**
 * @file irq_hostile.h
 * @brief What the hostile device guests share: a catch-all IDT (every
 *        interrupt vector counted and acknowledged, a real exception ends
 *        the guest with a message), step announcements, unaligned and
 *        8-byte MMIO accessors, and a window in which interrupts may land.
 *
 * A hostile guest announces each step before it takes it
 * ("hostile: CASE: STEP"), so when Spectrum stops the VM the log shows
 * the last thing the guest tried.
 */
#ifndef GUEST_IRQ_HOSTILE_H
#define GUEST_IRQ_HOSTILE_H

#include <stdbool.h>
#include <stdint.h>

/** Interrupts in one hostile_window() after which the handler masks every source. */
#define HOSTILE_WINDOW_IRQS 100

/** Exit status of a guest that took a real exception: this plus the vector. */
#define HOSTILE_EXIT_EXCEPTION 0x200

/** @brief Interrupts (vectors 2 and 16..47) taken so far, by the catch-all handler. */
extern volatile unsigned hostile_irqs;
/** @brief NMIs taken so far. */
extern volatile unsigned hostile_nmis;

/** @brief IDT with the catch-all handlers; PIC inputs masked; interrupts off. */
void hostile_init(void);

/** @brief Print "hostile: @p what: @p step". */
void hostile_step(const char *what, const char *step);

/** @brief Whether the interrupt handler also EOIs the local APIC (the
 *         APIC cases set it; the 8259 case leaves the APIC page alone). */
extern bool hostile_lapic;
/** @brief Whether a storm also masks every I/O APIC pin (the I/O APIC case). */
extern bool hostile_ioapic;

/** @brief IF=1 for about @p exits exits (reads of port 0x80), so pending interrupts arrive. */
void hostile_window(unsigned exits);

/** @brief A load of @p size (1, 2, 4 or 8) bytes at any (unaligned) address. */
uint64_t hostile_load(uintptr_t addr, unsigned size);

/** @brief A store of @p size (1, 2, 4 or 8) bytes at any (unaligned) address. */
void hostile_store(uintptr_t addr, unsigned size, uint64_t v);

#endif
