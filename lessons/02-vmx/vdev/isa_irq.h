/**
 * @file isa_irq.h
 * @brief Extension point: listeners of the ISA interrupt lines IRQ0-15.
 *
 * On a PC the ISA lines that the PIT, the UART and the other legacy
 * devices drive reach the 8259 pair - and, on a board with an I/O APIC,
 * its input pins as well (MultiProcessor Specification 1.4 §5.1, "ISA
 * interrupts", and the "interrupt source override" of IRQ0 to INTIN2).
 * Lesson 02's devices drive the lines through pic_raise_irq(),
 * pic_lower_irq() and pic_pulse_irq() (vdev/pic8259.h); those also tell
 * every listener registered here, after the PIC has seen the change.
 * Lesson 02 registers none; lesson 03 wires the lines to its I/O APIC.
 * A listener decides itself whether @p vm is a machine it serves.
 */
#ifndef SPECTRUM_VDEV_ISA_IRQ_H
#define SPECTRUM_VDEV_ISA_IRQ_H

#include <stdbool.h>

#include "spectrum/registry.h"

struct vm;

/** @brief One listener of the ISA IRQ lines. */
struct isa_irq_listener {
    const char *name;   /**< for messages */
    /** Line @p irq (0-15) of @p vm is now at @p level (true: asserted). */
    void (*changed)(struct vm *vm, unsigned irq, bool level);
};

TABLE_DECLARE(struct isa_irq_listener, spectrum_isa_irq);

/** Register @p changed_fn as a listener of every ISA IRQ line. */
#define REGISTER_ISA_IRQ_LISTENER(id, changed_fn)                                                  \
    static const struct isa_irq_listener isa_irq_listener_##id TABLE_ENTRY(spectrum_isa_irq) = {   \
        #id, changed_fn}

#endif
