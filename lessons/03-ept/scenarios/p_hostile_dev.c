/**
 * @file p_hostile_dev.c
 * @brief Scenario "p-hostile-dev": hostile device guests one after the
 *        other - LAPIC abuse (register-page accesses of every width and
 *        alignment, read-only and reserved bits, timer extremes, every ICR
 *        delivery mode and shorthand), I/O APIC abuse (indexes out of
 *        range, reserved vectors, odd delivery modes, huge destinations),
 *        PIT/8259 nonsense and a sweep of every port - then an ordinary
 *        guest that must still pass.
 *
 * A hostile VM may end either way: its guest gets to the end ("survived",
 * exit 0) or Spectrum stops it with a reason.  What must hold: Spectrum
 * itself goes on (this scenario reaches its last VM, and pc_machine_run()
 * checks the hypervisor's memory canary after each VM), every stop comes
 * with a reason, and the last VM passes - no state leaked from one VM to
 * the next.
 */
#include "scenarios/p_irq_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/tsc.h"
#include "vcpu/hvm_guest.h"

PC_GUEST_IMAGE_DECLARE(apic_hostile);
PC_GUEST_IMAGE_DECLARE(ioapic_hostile);
PC_GUEST_IMAGE_DECLARE(irq_storm);
PC_GUEST_IMAGE_DECLARE(cmos_date);

/* One hostile VM: its name, the case asked for, the image that has it. */
#define HOSTILE_RUN(vm, c, img) { vm, c, #img, pc_guest_image_##img, pc_guest_image_##img##_end }

static const struct {
    const char *vm_name;
    enum hostile_case request;
    const char *image;
    const uint8_t *start, *end;
} hostile_runs[] = {
    HOSTILE_RUN("p-hostile-apic-mmio", HOSTILE_APIC_MMIO, apic_hostile),
    HOSTILE_RUN("p-hostile-apic-timer", HOSTILE_APIC_TIMER, apic_hostile),
    HOSTILE_RUN("p-hostile-apic-icr", HOSTILE_APIC_ICR, apic_hostile),
    HOSTILE_RUN("p-hostile-ioapic", HOSTILE_IOAPIC, ioapic_hostile),
    HOSTILE_RUN("p-hostile-pit-pic", HOSTILE_PIT_PIC, irq_storm),
    HOSTILE_RUN("p-hostile-ports", HOSTILE_PORTS, irq_storm),
};
#define HOSTILE_RUNS (sizeof hostile_runs / sizeof hostile_runs[0])

static bool p_hostile_dev(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("p-hostile-dev"))
        return false;
    bool ok = true;
    unsigned survived = 0, stopped = 0;
    for (unsigned i = 0; i < HOSTILE_RUNS; i++) {
        struct plat_run r = { .vm_name = hostile_runs[i].vm_name, .request = hostile_runs[i].request,
                              .image = { hostile_runs[i].image, hostile_runs[i].start, hostile_runs[i].end,
                                         RT_LOAD_GPA, RT_START_CS, 0 } };
        plat_run(&r);
        if (!r.created) {
            kprintf("p-hostile-dev: %s: no machine\n", r.vm_name);
            ok = false;
            continue;
        }
        if (r.passed)
            survived++;
        else
            stopped++;
        /* Every end is explained; a stop without a reason is a bug. */
        bool explained = r.stop_reason[0] != '\0';
        ok = ok && explained;
        kprintf("p-hostile-dev: %s: %s after %lu ms, %lu exits (%lu MMIO, %lu io): %s\n", r.vm_name,
                r.passed ? "guest survived" : "VM stopped", (unsigned long)(tsc_to_us(r.run_tsc) / 1000),
                (unsigned long)(r.stats.count[EXIT_NESTED_PAGE_FAULT] + r.stats.count[EXIT_IO] +
                                r.stats.count[EXIT_HLT] + r.stats.count[EXIT_MSR_READ] +
                                r.stats.count[EXIT_MSR_WRITE] + r.stats.count[EXIT_INTR_WINDOW]),
                (unsigned long)r.stats.count[EXIT_NESTED_PAGE_FAULT], (unsigned long)r.stats.count[EXIT_IO],
                explained ? r.stop_reason : "NO REASON GIVEN");
    }
    /* Spectrum is still here; an ordinary guest must still pass. */
    struct plat_run last = { .vm_name = "p-hostile-after", .image = PC_GUEST_IMAGE(cmos_date) };
    bool after = plat_run(&last) && last.exit_code == 0;
    kprintf("p-hostile-dev: %u hostile VMs: %u survived to the end, %u stopped; Spectrum still running; "
            "the next VM %s\n",
            (unsigned)HOSTILE_RUNS, survived, stopped, after ? "passed" : "FAILED");
    return ok && after;
}
REGISTER_SCENARIO(p_hostile_dev, "p-hostile-dev",
                  "lesson 03: hostile LAPIC/IOAPIC/PIT/PIC/port guests, then a guest that must pass", p_hostile_dev, 0);
