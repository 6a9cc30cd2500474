/**
 * @file handlers_intr.c
 * @brief Exits that the guest's own instruction did not cause: the
 *        interrupt window, host interrupts and NMIs, the end of a slice.
 *
 *  - EXIT_INTR_WINDOW: the guest can now take an interrupt (SVM V_IRQ +
 *    VINTR intercept, APM Vol. 2 §15.21.4; VMX interrupt-window exiting,
 *    SDM Vol. 3C §26.7.5).  The request is satisfied, so the flag is
 *    cleared; the pre-entry hooks run next and inject what is pending (or
 *    ask for a window again).
 *  - EXIT_EXTERNAL_INTR: a host interrupt arrived while the guest ran -
 *    usually the host timer that ends a time slice (host/host_irq.h).  It
 *    belongs to the host and is still pending at the 8259 (VMX does not
 *    acknowledge it on exit; SVM held it while GIF was 0), so the host
 *    takes it here, in host_irq_window(), and its handler sends the EOI.
 *  - EXIT_PREEMPT: the VMX-preemption timer ran out (SDM Vol. 3C §26.5.1):
 *    the slice is over, nothing is pending anywhere.
 *  - EXIT_HOST_NMI: an NMI for the host arrived while the guest ran; the
 *    back end already ran the host's NMI handler (host/host_nmi.c).
 * After each of these the loop runs the pre-entry hooks, which is the
 * point: an emulated timer that came due while the guest computed is
 * delivered now, and the time budget is checked.
 */
#include "host/host_irq.h"
#include "spectrum/console.h"
#include "vcpu/exit.h"

#define HOST_NMIS_SHOWN 4

static enum exit_action intr_window_exit(struct vcpu *v, const struct vm_exit *e)
{
    (void)e;
    v->want_intr_window = false;
    return EXIT_ACTION_RESUME;
}
REGISTER_EXIT_HANDLER(intr_window, EXIT_INTR_WINDOW, intr_window_exit);

static enum exit_action external_intr_exit(struct vcpu *v, const struct vm_exit *e)
{
    (void)v;
    (void)e;
    host_irq_window();
    return EXIT_ACTION_RESUME;
}
REGISTER_EXIT_HANDLER(external_intr, EXIT_EXTERNAL_INTR, external_intr_exit);

static enum exit_action preempt_exit(struct vcpu *v, const struct vm_exit *e)
{
    (void)v;
    (void)e;
    return EXIT_ACTION_RESUME;
}
REGISTER_EXIT_HANDLER(preempt, EXIT_PREEMPT, preempt_exit);

static enum exit_action host_nmi_exit(struct vcpu *v, const struct vm_exit *e)
{
    (void)e;
    if (v->host_nmis++ < HOST_NMIS_SHOWN)
        kprintf("vcpu: %s: host NMI at guest RIP %#lx handled by the host (%lu since boot); the guest goes on\n",
                v->vm->name, (unsigned long)v->regs.rip, (unsigned long)host_nmi_count());
    return EXIT_ACTION_RESUME;
}
REGISTER_EXIT_HANDLER(host_nmi, EXIT_HOST_NMI, host_nmi_exit);
