/**
 * @file irq_controller.h
 * @brief Extension point: the interrupt controllers that can hand the
 *        vCPU a vector, consulted in order by the one delivery path
 *        (vdev/irq_inject.c).
 *
 * A real CPU has one INTR input and asks whoever drives it for a vector
 * (SDM Vol. 3A §7.8.1; with a local APIC, §11.8.3: the APIC's highest
 * pending vector above its processor priority, or the 8259's through an
 * ExtINT LINT0 in "virtual wire" mode, §11.5.1 and MultiProcessor
 * Specification 1.4 §3.6.2.2).  Here each controller registers callbacks;
 * before every VM entry irq_inject.c
 *   1. calls every update() (timers catch up with the host TSC: the PIT
 *      raises IRQ0, a local APIC timer fires);
 *   2. asks pending() of each controller, lowest @c order first, and
 *      injects the first vector offered, then calls that controller's
 *      ack() (the INTA cycle: request -> in service);
 *   3. reports can_wake()/next_event() of all of them to the exit loop
 *      (vcpu/loop.h), so a halted vCPU wakes and a computing guest exits
 *      in time for the next timer interrupt.
 * Lesson 02 registers the 8259 pair (order IRQ_ORDER_PIC).  Lesson 03 adds
 * the local APIC before it, and closes the 8259's path through
 * extint_blocked() when the guest has programmed its APIC so that LINT0
 * no longer passes the 8259's INT output.  Callbacks decide themselves
 * whether the vCPU's VM is one they serve (pending() -1 otherwise).
 */
#ifndef SPECTRUM_VDEV_IRQ_CONTROLLER_H
#define SPECTRUM_VDEV_IRQ_CONTROLLER_H

#include <stdbool.h>
#include <stdint.h>

#include "spectrum/registry.h"

struct vcpu;

#define IRQ_ORDER_LAPIC 10   /**< a local APIC is asked first */
#define IRQ_ORDER_PIC   100  /**< the 8259 pair (lesson 02) */

/** @brief One interrupt controller in front of the vCPU. */
struct irq_controller {
    const char *name;                          /**< for messages */
    long order;                                /**< consulted lowest first */
    /** Optional: bring time-driven state up to date (called for every
     *  controller before any pending()). */
    void (*update)(struct vcpu *v);
    /** The vector it would deliver now, or -1. */
    int (*pending)(struct vcpu *v);
    /** The interrupt-acknowledge cycle: the vector pending() offered moves
     *  to in-service; returns the vector delivered. */
    int (*ack)(struct vcpu *v);
    /** Optional: a future event of this controller can still wake a
     *  halted @p v (a timer armed and unmasked). */
    bool (*can_wake)(struct vcpu *v);
    /** Optional: host TSC of its next event for @p v (UINT64_MAX: none). */
    uint64_t (*next_event)(struct vcpu *v);
    /** Optional: true while this controller keeps the 8259's INT output
     *  from reaching the CPU (a local APIC whose LINT0 is masked). */
    bool (*extint_blocked)(struct vcpu *v);
};

TABLE_DECLARE(struct irq_controller, spectrum_irq_controller);

/** Register an interrupt controller: REGISTER_IRQ_CONTROLLER(id, { .name = ..., ... }). */
#define REGISTER_IRQ_CONTROLLER(id, ...)                                                           \
    static const struct irq_controller irq_controller_##id TABLE_ENTRY(spectrum_irq_controller) = __VA_ARGS__

/** @brief Whether some controller blocks the 8259's INT output for @p v now. */
bool irq_extint_blocked(struct vcpu *v);

#endif
