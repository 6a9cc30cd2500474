/**
 * @file hcall_exit.c
 * @brief The hypercall exit: VMCALL (VMX basic exit reason 18, SDM Vol. 3C
 *        Appendix C) and VMMCALL (SVM exit code 0x81, APM Vol. 2 Appendix
 *        C), both EXIT_HYPERCALL after lesson 02's decoders, dispatched
 *        with KVM's convention (hypercall.h, hcall_abi.h).
 *
 * VMCALL exits unconditionally in VMX non-root operation (SDM Vol. 3C
 * §26.1.2); VMMCALL exits because lesson 02's VMCB sets its intercept (APM
 * Vol. 2 §15.9; without it the instruction raises \#UD).  Stages 02 and 03
 * register no handler for EXIT_HYPERCALL, so there a hypercall stops the
 * VM as an unhandled exit; from stage 04 on it is answered here.
 */
#include "hcall/hypercall.h"

#include "machine/pc_machine.h"
#include "spectrum/console.h"
#include "spectrum/exercise.h"
#include "vcpu/exit.h"

/* How many unknown numbers a VM gets told about on the console. */
#define UNKNOWN_REPORTED 3

static enum exit_action hypercall_exit(struct vcpu *v, const struct vm_exit *e)
{
    struct pc_machine *m = pc_machine_of(v->vm);
    struct hcall_stats *st = hcall_stats_of(v);
    struct hcall_stats none = { 0, 0, 0, 0, 0 };
    if (!st)
        st = &none;   /* a lesson-02 VM: counted nowhere */
    st->calls++;

    /* EXERCISE 04.hcall-dispatch 10 "KVM's convention: number in RAX, arguments in RBX, RCX, RDX, RSI, all cut to 32 bits outside 64-bit code; CPL > 0 gets -KVM_EPERM, an unknown number -KVM_ENOSYS (hcall_find); the result goes to RAX (32 bits outside 64-bit code) and RIP moves past the call (vcpu_skip_insn) - Linux Documentation/virt/kvm/x86/hypercalls.rst, SDM Vol. 2B VMCALL, APM Vol. 3 VMMCALL" */
    struct hcall_args a;
    a.v = v;
    a.mem = m ? &m->mem : 0;
    a.long64 = v->ops->code_bits(v) == 64;
    uint64_t width = a.long64 ? UINT64_MAX : UINT32_MAX;
    a.nr = v->regs.gpr[GPR_RAX] & width;
    a.arg[0] = v->regs.gpr[GPR_RBX] & width;
    a.arg[1] = v->regs.gpr[GPR_RCX] & width;
    a.arg[2] = v->regs.gpr[GPR_RDX] & width;
    a.arg[3] = v->regs.gpr[GPR_RSI] & width;

    int64_t ret;
    const struct hypercall *h;
    if (v->ops->get_ctl(v, CTL_CPL) != 0) {
        /* Checked before the number: a user program learns nothing, not
         * even which calls exist (KVM does the same). */
        ret = -KVM_EPERM;
        st->refused++;
    } else if (!(h = hcall_find(a.nr))) {
        ret = -KVM_ENOSYS;
        if (++st->unknown <= UNKNOWN_REPORTED)
            kprintf("hcall: %s: unknown hypercall %#llx at RIP %#llx: -KVM_ENOSYS\n", v->vm->name,
                    (unsigned long long)a.nr, (unsigned long long)v->regs.rip);
    } else {
        ret = h->fn(&a);
        if (ret < 0)
            st->errors++;
        else
            st->completed++;
    }
    v->regs.gpr[GPR_RAX] = (uint64_t)ret & width;
    vcpu_skip_insn(v, e);
    return EXIT_ACTION_RESUME;
    /* STUB
    EXERCISE_TODO();
    (void)e;
    (void)m;
    vm_stop(v->vm, false, "hypercall at RIP %#llx: not dispatched yet", (unsigned long long)v->regs.rip);
    return EXIT_ACTION_STOP;
    STUB END */
    /* END EXERCISE 04.hcall-dispatch */
}
REGISTER_EXIT_HANDLER(hypercall, EXIT_HYPERCALL, hypercall_exit);
