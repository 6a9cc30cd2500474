/**
 * @file apic_irq.c
 * @brief The local APIC as the interrupt controller in front of the 8259
 *        (vdev/irq_controller.h), for lesson-03 machines.
 *
 * One delivery path follows whichever controller the guest programmed:
 *  - the local APIC first: its highest IRR vector whose priority class is
 *    above the PPR (SDM Vol. 3A §11.8.3) - I/O APIC messages, the APIC
 *    timer, self-IPIs and LVT error interrupts all land in the IRR;
 *  - the 8259 (lesson 02's entry) when its INT output reaches the CPU:
 *    the APIC is globally or software disabled, or LINT0 is unmasked
 *    ExtINT ("virtual wire mode", §11.5.1), or the I/O APIC routes INTIN0
 *    unmasked as ExtINT (MP Specification §3.6.2.2).  Otherwise this entry
 *    blocks it (extint_blocked).
 * Timers: before each entry the APIC timer catches up with the TSC (update);
 * its next expiry and, when INTIN2 is unmasked, the PIT's next IRQ0 are
 * reported as next_event / can_wake, so a halted vCPU wakes and a guest
 * computing without exits is made to exit in time (vcpu/loop.h).
 * On SVM, V_TPR is brought in before and pushed out after (apic_tpr.c).
 * A later lesson's hooks (apic/lapic_hook.h) sync before the decision and
 * hear of each vector delivered.
 * Plain lesson-02 VMs have no local APIC: every callback is neutral.
 */
#include "apic/apic.h"
#include "apic/lapic_hook.h"
#include "spectrum/x86.h"
#include "vcpu/vcpu.h"
#include "vdev/irq_controller.h"
#include "vdev/pit8254.h"

#define IOAPIC_PIT_PIN    2   /* isa_wiring.c */
#define IOAPIC_EXTINT_PIN 0   /* the 8259's INTR on a PC */

static void apic_update(struct vcpu *v)
{
    struct lapic *l = lapic_of(v->vm);
    if (!l)
        return;
    apic_tpr_sync_in(v->vm);
    lapic_hooks_sync(v->vm, l);
    lapic_update(l, rdtsc());
    apic_tpr_push(v);
}

static int apic_pending(struct vcpu *v)
{
    struct lapic *l = lapic_of(v->vm);
    return l ? lapic_pending(l) : -1;
}

static int apic_ack(struct vcpu *v)
{
    struct lapic *l = lapic_of(v->vm);
    int vector = l ? lapic_ack(l) : -1;
    if (vector >= 0)
        lapic_hooks_delivered(v->vm, l, (uint8_t)vector);
    return vector;
}

/* The PIT's next IRQ0 if it would reach the APIC through INTIN2. */
static uint64_t pit_through_ioapic(struct vcpu *v, const struct lapic *l)
{
    struct ioapic *io = ioapic_of(v->vm);
    if (!io || !lapic_sw_enabled(l) || !ioapic_pin_unmasked(io, IOAPIC_PIT_PIN))
        return UINT64_MAX;
    return pit_next_irq_tsc(v->vm);
}

static uint64_t apic_next_event(struct vcpu *v)
{
    struct lapic *l = lapic_of(v->vm);
    if (!l)
        return UINT64_MAX;
    uint64_t t = lapic_timer_next(l), pit = pit_through_ioapic(v, l);
    return pit < t ? pit : t;
}

static bool apic_can_wake(struct vcpu *v)
{
    struct lapic *l = lapic_of(v->vm);
    return l && (lapic_pending(l) >= 0 || apic_next_event(v) != UINT64_MAX);
}

static bool apic_extint_blocked(struct vcpu *v)
{
    struct lapic *l = lapic_of(v->vm);
    if (!l || lapic_extint_passes(l))
        return false;
    struct ioapic *io = ioapic_of(v->vm);
    uint64_t pin0 = io ? ioapic_entry(io, IOAPIC_EXTINT_PIN) : IOREDIR_MASKED;
    bool via_ioapic = !(pin0 & IOREDIR_MASKED) && ((pin0 >> IOREDIR_DM_SHIFT) & 7) == APIC_DM_EXTINT;
    return !via_ioapic;
}

REGISTER_IRQ_CONTROLLER(lapic, {
    .name = "local APIC",
    .order = IRQ_ORDER_LAPIC,
    .update = apic_update,
    .pending = apic_pending,
    .ack = apic_ack,
    .can_wake = apic_can_wake,
    .next_event = apic_next_event,
    .extint_blocked = apic_extint_blocked,
});
