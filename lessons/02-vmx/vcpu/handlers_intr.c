/**
 * @file handlers_intr.c
 * @brief Interrupt-related exits that need no work of their own.
 *
 *  - EXIT_INTR_WINDOW: the guest can now take an interrupt (SVM V_IRQ +
 *    VINTR intercept, APM Vol. 2 §15.21.4; VMX interrupt-window exiting,
 *    SDM Vol. 3C §26.7.5).  The request is satisfied, so the flag is
 *    cleared; the pre-entry hooks run next and inject what is pending (or
 *    ask for a window again).
 *  - EXIT_EXTERNAL_INTR: a host interrupt (or NMI) arrived while the guest
 *    ran.  It belongs to the host, which takes it once the back end
 *    re-enables interrupts (SVM: STGI); the guest simply resumes.
 */
#include "vcpu/exit.h"

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
    return EXIT_ACTION_RESUME;
}
REGISTER_EXIT_HANDLER(external_intr, EXIT_EXTERNAL_INTR, external_intr_exit);
