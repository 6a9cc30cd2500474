/**
 * @file irq_inject.c
 * @brief Interrupt delivery: before every VM entry, bring the PIT up to
 *        date and hand the PIC's pending vector to the guest when it can
 *        take it, else ask the back end for an interrupt-window exit.
 *
 * The vector comes from the first registered interrupt controller that
 * offers one (vdev/irq_controller.h): in lesson 02 only the 8259 pair,
 * registered at the end of this file; lesson 03 puts a local APIC in
 * front of it.
 *
 * This is the virtual INTR pin.  A real CPU samples INTR at instruction
 * boundaries when RFLAGS.IF=1 and no STI/MOV SS shadow blocks it, then
 * runs the INTA cycle that makes the 8259 give the vector (SDM Vol. 3A
 * §7.8.1, 8259A data sheet "Interrupt Sequence").  Here the same happens
 * at each VM entry:
 *   - ops->intr_allowed(v): may an external interrupt be injected now?
 *   - yes: ops->inject(EVENT_EXTINT, vector) (VMX VM-entry interruption
 *     information, SDM Vol. 3C §27.6; SVM EVENTINJ, APM Vol. 2 §15.20),
 *     then pic_ack() moves the request to in-service;
 *   - no: v->want_intr_window, so the back end exits as soon as the guest
 *     becomes interruptible (VMX "interrupt-window exiting", SDM Vol. 3C
 *     §26.7.5; SVM V_IRQ + VINTR intercept, APM Vol. 2 §15.21.4), and this
 *     hook runs again.
 * A vCPU parked by HLT is woken by the injection (v->halted cleared); the
 * exit loop idles it, calling this hook, until then (vcpu/loop.h).
 */
#include "spectrum/exercise.h"
#include "vcpu/loop.h"
#include "vdev/irq_controller.h"
#include "vdev/pic8259.h"
#include "vdev/pit8254.h"
#include "spectrum/x86_bits.h"

#define PIT_IRQ 0

bool irq_extint_blocked(struct vcpu *v)
{
    TABLE_FOREACH(struct irq_controller, spectrum_irq_controller, c)
        if (c->extint_blocked && c->extint_blocked(v))
            return true;
    return false;
}

/* The vector of the first controller (lowest order) that offers one, or
 * -1; *src is that controller. */
static int irq_pick(struct vcpu *v, const struct irq_controller **src)
{
    int best = -1;
    *src = 0;
    TABLE_FOREACH(struct irq_controller, spectrum_irq_controller, c) {
        if (*src && c->order >= (*src)->order)
            continue;
        int vector = c->pending(v);
        if (vector >= 0) {
            best = vector;
            *src = c;
        }
    }
    return best;
}

static void irq_inject_before_entry(struct vcpu *v)
{
    struct vm *vm = v->vm;
    TABLE_FOREACH(struct irq_controller, spectrum_irq_controller, c)
        if (c->update)
            c->update(v);
    const struct irq_controller *src;
    int vector = irq_pick(v, &src);
    if (vector < 0) {
        v->want_intr_window = false;  /* withdrawn (masked, or re-initialised) */
        return;
    }
    /* EXERCISE 02.intr-window 10 "Inject the pending vector if the guest can take it now (ops->intr_allowed, ops->inject, then the source's ack: pic_ack for the 8259); otherwise ask for an interrupt-window exit, and wake a halted vCPU (SDM Vol. 3C 26.7.5, 27.6; APM Vol. 2 15.20, 15.21.4)" */
    if (v->ops->intr_allowed(v)) {
        struct vcpu_event ev = { .type = EVENT_EXTINT, .vector = (uint8_t)vector };
        if (v->ops->inject(v, &ev)) {
            int acked = src->ack(v);
            if (acked != vector)
                vm_stop(vm, false, "irq: the %s acknowledged vector %#x, not the %#x injected", src->name,
                        (unsigned)acked, (unsigned)vector);
            v->want_intr_window = false;
            v->halted = false;        /* HLT ends when an interrupt is taken */
            return;
        }
    }
    /* Not now (IF=0, a shadow, or another event queued). */
    v->want_intr_window = true;
    if (v->halted && (v->regs.rflags & RFLAGS_IF)) {
        /* Halted with IF=1 but not injectable this instant (e.g. an event
         * is already queued): resume the guest past its HLT; the window
         * exit then delivers the interrupt an instruction later, which is
         * what the guest would see had the interrupt come just after HLT. */
        v->halted = false;
    }
    /* STUB
    EXERCISE_TODO();
    vm_stop(vm, false, "vector %#x is pending for the guest, but nothing delivers it yet", (unsigned)vector);
    STUB END */
    /* END EXERCISE 02.intr-window */
}

static bool irq_can_wake(struct vcpu *v)
{
    TABLE_FOREACH(struct irq_controller, spectrum_irq_controller, c)
        if (c->can_wake && c->can_wake(v))
            return true;
    return false;
}

static uint64_t irq_next_event(struct vcpu *v)
{
    uint64_t next = UINT64_MAX;
    TABLE_FOREACH(struct irq_controller, spectrum_irq_controller, c)
        if (c->next_event) {
            uint64_t t = c->next_event(v);
            if (t < next)
                next = t;
        }
    return next;
}

REGISTER_PRE_ENTRY_HOOK(irq_inject, irq_inject_before_entry, irq_can_wake, irq_next_event);

/* ---- The 8259 pair as the (lesson-02) interrupt controller ---- */

/* The PIT is the time-driven source behind the PIC: it catches up here,
 * pulsing IRQ0 for each period that ended. */
static void pic_update(struct vcpu *v)
{
    pit_update(v->vm);
}

/* The PIC's INT output reaches the CPU unless a controller in front of it
 * (lesson 03's local APIC) blocks it; in lesson 02 nothing does. */
static int pic_pending(struct vcpu *v)
{
    return irq_extint_blocked(v) ? -1 : pic_pending_vector(v->vm);
}

static int pic_ack_vcpu(struct vcpu *v)
{
    return pic_ack(v->vm);
}

/* A halted vCPU can still be woken if an interrupt is pending, or if the
 * PIT will raise IRQ0 and the PIC lets it through. */
static bool pic_can_wake(struct vcpu *v)
{
    struct vm *vm = v->vm;
    if (irq_extint_blocked(v))
        return false;
    if (pic_pending_vector(vm) >= 0)
        return true;
    return pit_next_irq_tsc(vm) != UINT64_MAX && pic_irq_unmasked(vm, PIT_IRQ);
}

/* When the PIT next raises IRQ0, if the PIC would pass it on: the loop
 * makes the guest exit by then, so the tick is delivered on time even to
 * a guest that computes without exits. */
static uint64_t pic_next_event(struct vcpu *v)
{
    struct vm *vm = v->vm;
    if (irq_extint_blocked(v))
        return UINT64_MAX;
    return pic_irq_unmasked(vm, PIT_IRQ) ? pit_next_irq_tsc(vm) : UINT64_MAX;
}

REGISTER_IRQ_CONTROLLER(pic8259, {
    .name = "PIC",
    .order = IRQ_ORDER_PIC,
    .update = pic_update,
    .pending = pic_pending,
    .ack = pic_ack_vcpu,
    .can_wake = pic_can_wake,
    .next_event = pic_next_event,
    .extint_blocked = 0,
});
