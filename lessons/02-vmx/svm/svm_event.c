/**
 * @file svm_event.c
 * @brief Getting events into the guest: EVENTINJ, the virtual interrupt
 *        window, and events interrupted by an exit.
 *
 *  - Injection (APM Vol. 2 §15.20): EVENTINJ = vector[7:0], TYPE[10:8]
 *    (0 INTR, 2 NMI, 3 exception, 4 software interrupt), EV[11] (push the
 *    error code in bits 63:32), V[31].  VMRUN delivers it through the
 *    guest's IDT as if it had just happened, before the first guest
 *    instruction.  An exception with vector 2 or above 31, or a reserved
 *    type, makes VMRUN fail, so inject() refuses those itself.
 *  - Interrupt window (§15.21.4): with V_IRQ=1, V_INTR_PRIO=15 and
 *    V_IGN_TPR=1 the CPU considers a virtual interrupt pending; with the
 *    VINTR intercept on, it exits (VMEXIT_VINTR) exactly when the guest
 *    could take it (RFLAGS.IF=1, no interrupt shadow).  The real interrupt
 *    is then injected through EVENTINJ; V_IRQ is only the alarm clock.
 *  - EXITINTINFO (§15.7.2): if an exit happened while an event was being
 *    delivered (e.g. an intercepted exception during delivery of an
 *    injected interrupt), the event was not delivered and the VMM must
 *    inject it again - unless the exit itself was an exception that the
 *    handler will reflect (it supersedes the interrupted event, as a
 *    fault during delivery does on bare metal) or a shutdown.  Events an
 *    instruction raised (INT n, INT3, INTO) are not injected again: the
 *    guest re-executes the instruction (lesson 03's p-events test, whose
 *    IDT and stack sit on pages mapped on first touch, found this).
 */
#include "svm/svm.h"
#include "spectrum/x86_bits.h"


bool svm_inject(struct vcpu *v, const struct vcpu_event *ev)
{
    struct vmcb_control *c = &svm_of(v)->vmcb->control;
    if (c->eventinj & SVM_EVENT_VALID)
        return false;
    uint64_t type, vector = ev->vector;
    switch (ev->type) {
    case EVENT_EXTINT:
        type = SVM_EVENT_TYPE_INTR;
        break;
    case EVENT_NMI:
        type = SVM_EVENT_TYPE_NMI;
        vector = 2;
        break;
    case EVENT_EXCEPTION:
        if (vector == 2 || vector > 31)
            return false;
        type = SVM_EVENT_TYPE_EXCEPTION;
        break;
    default:
        return false;
    }
    uint64_t inj = SVM_EVENT_VALID | (type << SVM_EVENT_TYPE_SHIFT) | vector;
    if (ev->type == EVENT_EXCEPTION && ev->has_error)
        inj |= SVM_EVENT_EV | ((uint64_t)ev->error << SVM_EVENT_ERROR_SHIFT);
    c->eventinj = inj;
    return true;
}

bool svm_intr_allowed(struct vcpu *v)
{
    const struct vmcb *vmcb = svm_of(v)->vmcb;
    const struct vmcb_control *c = &vmcb->control;
    /* A handler that moved RIP completed the instruction the STI/MOV SS
     * shadow covered, so the shadow is over - svm_run() clears the bit at
     * entry, but this question is asked before (as vmx_intr_allowed()
     * does).  Without it, "sti; hlt" woken by an interrupt resumed with a
     * stale shadow, the interrupt waited for a window, and a guest that
     * then ran "cli" never opened one (apic-smoke on Bochs's SVM). */
    bool shadow = (c->int_state & SVM_INT_SHADOW) && v->regs.rip == vmcb->save.rip;
    return (v->regs.rflags & RFLAGS_IF) && !shadow && !(c->eventinj & SVM_EVENT_VALID);
}

void svm_event_before_entry(struct svm_vcpu *s)
{
    struct vmcb_control *c = &s->vmcb->control;
    const uint64_t window = SVM_VINTR_V_IRQ | (0xfull << SVM_VINTR_PRIO_SHIFT) | SVM_VINTR_IGN_TPR;
    if (s->vcpu.want_intr_window) {
        c->vintr |= window;
        c->intercept_misc1 |= SVM_INTERCEPT_VINTR;
    } else {
        c->vintr &= ~window;
        c->intercept_misc1 &= ~SVM_INTERCEPT_VINTR;
    }
}

void svm_event_after_exit(struct svm_vcpu *s, const struct vm_exit *e)
{
    struct vmcb_control *c = &s->vmcb->control;
    /* Whatever was in EVENTINJ has been delivered or, if not, shows up in
     * EXITINTINFO: never inject it twice. */
    c->eventinj = 0;
    if (e->reason == EXIT_INTR_WINDOW)
        c->vintr &= ~SVM_VINTR_V_IRQ;
    if (!(c->exitintinfo & SVM_EVENT_VALID) || e->reason == EXIT_EXCEPTION || e->reason == EXIT_TRIPLE_FAULT)
        return;
    /* An event raised by an instruction - INT n, INT3, INTO - is not
     * re-injected: RIP still points at that instruction (delivery did not
     * finish), and EVENTINJ would push that RIP as the return address, so
     * the handler would return to the INT and run it twice.  The guest
     * simply executes it again, which raises the event again (APM Vol. 2
     * §15.7.2, §15.20; KVM does the same on CPUs without NRIPS). */
    unsigned type = (unsigned)((c->exitintinfo & SVM_EVENT_TYPE_MASK) >> SVM_EVENT_TYPE_SHIFT);
    unsigned vector = (unsigned)(c->exitintinfo & 0xff);
    bool soft = type == SVM_EVENT_TYPE_SOFT_INT || (type == SVM_EVENT_TYPE_EXCEPTION && (vector == 3 || vector == 4));
    if (!soft)
        c->eventinj = c->exitintinfo;
}
