/**
 * @file irq_inject.c
 * @brief Interrupt delivery: before every VM entry, bring the PIT up to
 *        date and hand the PIC's pending vector to the guest when it can
 *        take it, else ask the back end for an interrupt-window exit.
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
#include "vdev/pic8259.h"
#include "vdev/pit8254.h"
#include "spectrum/x86_bits.h"

#define PIT_IRQ 0

static void irq_inject_before_entry(struct vcpu *v)
{
    struct vm *vm = v->vm;
    pit_update(vm);
    int vector = pic_pending_vector(vm);
    if (vector < 0) {
        v->want_intr_window = false;  /* withdrawn (masked, or re-initialised) */
        return;
    }
    /* EXERCISE 02.intr-window 10 "Inject the pending vector if the guest can take it now (ops->intr_allowed, ops->inject, then pic_ack); otherwise ask for an interrupt-window exit, and wake a halted vCPU (SDM Vol. 3C 26.7.5, 27.6; APM Vol. 2 15.20, 15.21.4)" */
    if (v->ops->intr_allowed(v)) {
        struct vcpu_event ev = { .type = EVENT_EXTINT, .vector = (uint8_t)vector };
        if (v->ops->inject(v, &ev)) {
            int acked = pic_ack(vm);
            if (acked != vector)
                vm_stop(vm, false, "irq: the PIC acknowledged vector %#x, not the %#x injected", (unsigned)acked,
                        (unsigned)vector);
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

/* A halted vCPU can still be woken if an interrupt is pending, or if the
 * PIT will raise IRQ0 and the PIC lets it through. */
static bool irq_can_wake(struct vcpu *v)
{
    struct vm *vm = v->vm;
    if (pic_pending_vector(vm) >= 0)
        return true;
    return pit_next_irq_tsc(vm) != UINT64_MAX && pic_irq_unmasked(vm, PIT_IRQ);
}

/* When the PIT next raises IRQ0, if the PIC would pass it on: the loop
 * makes the guest exit by then, so the tick is delivered on time even to
 * a guest that computes without exits. */
static uint64_t irq_next_event(struct vcpu *v)
{
    struct vm *vm = v->vm;
    return pic_irq_unmasked(vm, PIT_IRQ) ? pit_next_irq_tsc(vm) : UINT64_MAX;
}

REGISTER_PRE_ENTRY_HOOK(irq_inject, irq_inject_before_entry, irq_can_wake, irq_next_event);
