/**
 * @file isa_wiring.c
 * @brief The ISA IRQ lines of a lesson-03 PC on its I/O APIC's pins, as
 *        the MultiProcessor Specification 1.4's default configuration
 *        wires them (§5.1, Table 5-1; ACPI describes the same as an
 *        "interrupt source override" of IRQ0):
 *
 *     ISA IRQ0 (PIT)  -> INTIN2
 *     ISA IRQ2        -> (the 8259 cascade: no device drives it)
 *     ISA IRQn        -> INTINn   for the others (1, 3-15)
 *     8259 INTR       -> INTIN0   (ExtINT: apic_irq.c lets the 8259's
 *                                  vector through when INTIN0 is so routed)
 *
 * Lesson 02's devices drive the lines through pic_raise_irq() & co.,
 * which tell the listeners of vdev/isa_irq.h; the 8259 sees every line as
 * before.  Plain lesson-02 VMs have no I/O APIC: nothing happens.
 */
#include "apic/apic.h"
#include "vdev/isa_irq.h"


static void isa_to_ioapic(struct vm *vm, unsigned irq, bool level)
{
    struct ioapic *io = ioapic_of(vm);
    int pin = isa_irq_ioapic_pin(irq);
    if (io && pin >= 0)
        ioapic_set_pin(io, (unsigned)pin, level);
}

REGISTER_ISA_IRQ_LISTENER(ioapic_isa, isa_to_ioapic);
