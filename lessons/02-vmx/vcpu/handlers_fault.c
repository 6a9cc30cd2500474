/**
 * @file handlers_fault.c
 * @brief Intercepted exceptions and triple faults.
 *
 * Which exceptions a back end intercepts is its choice (SVM: the exception
 * intercept vector, APM Vol. 2 §15.12; VMX: the exception bitmap, SDM
 * Vol. 3C §26.2).  Lesson 02 intercepts #DF only: a double fault means the
 * guest's own exception handling just failed, which is worth a line in the
 * log before the guest (usually) dies.  The handler reports the exception
 * and reflects it into the guest unchanged, so the guest behaves as on
 * bare metal; the report is limited to a few lines per VM.
 *
 * A triple fault (SVM shutdown intercept, VMX exit reason 2) ends the VM
 * only: Spectrum reports where the guest was and goes on with the next
 * scenario, which is the point of running guests in hardware VMs.
 */
#include "spectrum/console.h"
#include "spectrum/cpu.h"
#include "spectrum/exercise.h"
#include "vcpu/exit.h"
#include "spectrum/x86_bits.h"

#define EXCEPTIONS_SHOWN 16   /* per VM */

static enum exit_action exception_exit(struct vcpu *v, const struct vm_exit *e)
{
    if (e->exc.vector > 31) {
        vm_stop(v->vm, false, "exception exit with vector %u", e->exc.vector);
        return EXIT_ACTION_STOP;
    }
    if (v->exceptions_reported < EXCEPTIONS_SHOWN) {
        kprintf("vcpu: %s: guest exception %s (vector %u", v->vm->name, trap_name(e->exc.vector), e->exc.vector);
        if (e->exc.has_error)
            kprintf(", error %#x", e->exc.error);
        if (e->exc.vector == EXC_PF)
            kprintf(", CR2 %#lx", (unsigned long)e->exc.cr2);
        kprintf(") at RIP %#lx, reflected to the guest\n", (unsigned long)v->regs.rip);
    }
    v->exceptions_reported++;
    return vcpu_raise(v, e->exc.vector, e->exc.has_error, e->exc.error, "the guest's own exception, reflected");
}
REGISTER_EXIT_HANDLER(exception, EXIT_EXCEPTION, exception_exit);

static enum exit_action triple_fault_exit(struct vcpu *v, const struct vm_exit *e)
{
    (void)e;
    /* EXERCISE 02.triple-fault 10 "A triple fault (VMX exit reason 2, SVM SHUTDOWN) ends only that VM: report RIP, RSP and the control registers and stop it; SVM checks an intercepted #DF gate first, read page by page (SDM Vol. 3A 7.15 Interrupt 8; APM Vol. 2 15.13)" */
    vm_stop(v->vm, false, "triple fault (shutdown) at RIP %#lx RSP %#lx, CR0 %#lx CR3 %#lx CR4 %#lx EFER %#lx",
            (unsigned long)v->regs.rip, (unsigned long)v->regs.gpr[GPR_RSP],
            (unsigned long)v->ops->get_ctl(v, CTL_CR0), (unsigned long)v->ops->get_ctl(v, CTL_CR3),
            (unsigned long)v->ops->get_ctl(v, CTL_CR4), (unsigned long)v->ops->get_ctl(v, CTL_EFER));
    /* STUB
    EXERCISE_TODO();
    vm_stop(v->vm, false, "the guest shut down; nothing reports it yet");
    STUB END */
    /* END EXERCISE 02.triple-fault */
    return EXIT_ACTION_STOP;
}
REGISTER_EXIT_HANDLER(triple_fault, EXIT_TRIPLE_FAULT, triple_fault_exit);
