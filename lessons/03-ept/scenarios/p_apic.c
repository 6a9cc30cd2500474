/**
 * @file p_apic.c
 * @brief Scenario "p-apic": the local-APIC guest (guests/apic_timer.c) -
 *        timer modes and divide values against the TSC, EOI, TPR/PPR,
 *        self-IPIs, ESR, software disable.  The host side checks that the
 *        guest's APIC really was the emulated one: the "lapic" MMIO device
 *        emulated its accesses through nested-page-fault exits, the guest
 *        halted waiting for timer interrupts, and nothing came through the
 *        8259 (whose inputs the guest masked).
 */
#include "scenarios/p_irq_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

PC_GUEST_IMAGE_DECLARE(apic_timer);

static bool p_apic(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("p-apic"))
        return false;
    struct plat_run r = { .vm_name = "p-apic", .image = PC_GUEST_IMAGE(apic_timer) };
    bool ok = plat_run(&r) && r.exit_code == 0;
    uint64_t reads = plat_mmio_count(&r, "lapic", false), writes = plat_mmio_count(&r, "lapic", true);
    kprintf("p-apic: lapic emulated %lu reads and %lu writes, %lu nested-page-fault exits, %lu hlt exits, "
            "%lu msr reads, %lu msr writes, %lu interrupts through the 8259\n",
            (unsigned long)reads, (unsigned long)writes, (unsigned long)r.stats.count[EXIT_NESTED_PAGE_FAULT],
            (unsigned long)r.stats.count[EXIT_HLT], (unsigned long)r.stats.count[EXIT_MSR_READ],
            (unsigned long)r.stats.count[EXIT_MSR_WRITE], (unsigned long)r.pic_acks);
    /* The guest made at least a hundred register accesses (the divide
     * loop alone makes 24 writes), each an MMIO exit. */
    bool host_ok = reads >= 50 && writes >= 50 && r.stats.count[EXIT_NESTED_PAGE_FAULT] >= reads + writes &&
                   r.stats.count[EXIT_HLT] > 0 && r.stats.count[EXIT_MSR_READ] > 0 && r.pic_acks == 0;
    kprintf("p-apic: host check %s\n", host_ok ? "passed" : "FAILED");
    return ok && host_ok;
}
REGISTER_SCENARIO(p_apic, "p-apic", "lesson 03: local APIC timer (one-shot, periodic, TSC deadline), TPR, IPIs, ESR",
                  p_apic, 0);
