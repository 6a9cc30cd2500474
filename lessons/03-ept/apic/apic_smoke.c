/**
 * @file apic_smoke.c
 * @brief Scenario "apic-smoke": one lesson-03 machine whose guest
 *        (apic_smoke_guest.S) uses a self-IPI with the TPR, the local APIC
 *        timer (one-shot and periodic) and the PIT through the I/O APIC -
 *        the whole interrupt path of apic/ end to end, on either vendor.
 *
 * Expected output: "[apic-smoke] itpok", the APIC counters line
 * (apic_print_stats()), and a pass.  It needs the spine and the MMIO
 * emulation of "movl $imm, mem" only.
 */
#include "apic/apic.h"
#include "machine/pc_machine.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

extern const uint8_t apic_smoke_start[], apic_smoke_end[];

#define APIC_SMOKE_LOAD 0x8000   /* where apic/apic.mk links the guest */

static struct pc_machine apic_machine;

static bool apic_smoke(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("apic-smoke"))
        return false;
    struct pc_machine *m = &apic_machine;
    bool ok = false;
    if (pc_machine_create(m, "apic-smoke", 4ull << 20) &&
        gpm_load(&m->mem, APIC_SMOKE_LOAD, apic_smoke_start, (uint64_t)(apic_smoke_end - apic_smoke_start))) {
        m->start = (struct hvm_start){ .mode = HVM_START_PROT32, .rip = APIC_SMOKE_LOAD, .rsp = 0x7000 };
        ok = pc_machine_run(m, 0);     /* prints the APIC counters too */
    }
    kprintf("guest apic-smoke: exit status %u, %s: %s\n", (unsigned)m->vm.exit_code, ok ? "passed" : "failed",
            m->vm.stop_reason);
    pc_machine_destroy(m);
    return ok;
}
REGISTER_SCENARIO(apic_smoke, "apic-smoke", "lesson 03: self-IPI, APIC timer and PIT via the I/O APIC", apic_smoke, 3);
