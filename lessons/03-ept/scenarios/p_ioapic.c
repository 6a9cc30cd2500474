/**
 * @file p_ioapic.c
 * @brief Scenario "p-ioapic": the I/O APIC guest (guests/ioapic_route.c) -
 *        PIT ticks on pin 2 and COM1's level-triggered THR-empty interrupt
 *        on pin 4, with the 8259s masked.  The host side checks that the
 *        "ioapic" device was programmed, the PIT pulsed, and that no
 *        interrupt went through the 8259 pair.
 */
#include "scenarios/p_irq_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

PC_GUEST_IMAGE_DECLARE(ioapic_route);

#define IOAPIC_TICKS 20u   /* guests/ioapic_route.c TICKS */

static bool p_ioapic(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("p-ioapic"))
        return false;
    struct plat_run r = { .vm_name = "p-ioapic", .image = PC_GUEST_IMAGE(ioapic_route) };
    bool ok = plat_run(&r) && r.exit_code == 0;
    uint64_t io_w = plat_mmio_count(&r, "ioapic", true), io_r = plat_mmio_count(&r, "ioapic", false);
    uint64_t eois = plat_mmio_count(&r, "lapic", true);
    kprintf("p-ioapic: ioapic emulated %lu reads and %lu writes, lapic %lu writes, PIT pulsed IRQ0 %lu times, "
            "8259 delivered %lu, %lu hlt exits\n",
            (unsigned long)io_r, (unsigned long)io_w, (unsigned long)eois, (unsigned long)r.pit_irqs,
            (unsigned long)r.pic_acks, (unsigned long)r.stats.count[EXIT_HLT]);
    /* Masking 16+ pins is two writes each (IOREGSEL, IOWIN) per half. */
    bool host_ok = io_w >= 64 && io_r > 0 && eois >= IOAPIC_TICKS && r.pit_irqs >= IOAPIC_TICKS &&
                   r.pic_acks == 0 && r.stats.count[EXIT_HLT] > 0;
    kprintf("p-ioapic: host check %s\n", host_ok ? "passed" : "FAILED");
    return ok && host_ok;
}
REGISTER_SCENARIO(p_ioapic, "p-ioapic", "lesson 03: PIT and COM1 interrupts through the I/O APIC, 8259 masked",
                  p_ioapic, 0);
