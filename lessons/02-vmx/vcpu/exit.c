/**
 * @file exit.c
 * @brief Names of the neutral exit reasons, completing the exiting
 *        instruction (RIP past it, and the single-step trap it owes), and
 *        raising an exception in the guest.
 */
#include "vcpu/exit.h"

#include "spectrum/x86_bits.h"
#include "vcpu/rip.h"

/* Indexed by enum vm_exit_reason; the names are what the statistics table
 * prints, so they are stable, lower case and free of blanks. */
static const char *const reason_names[EXIT_REASON_COUNT] = {
    [EXIT_NONE] = "none",
    [EXIT_CPUID] = "cpuid",
    [EXIT_HLT] = "hlt",
    [EXIT_IO] = "io",
    [EXIT_MSR_READ] = "msr-read",
    [EXIT_MSR_WRITE] = "msr-write",
    [EXIT_CR_ACCESS] = "cr-access",
    [EXIT_EXCEPTION] = "exception",
    [EXIT_TRIPLE_FAULT] = "triple-fault",
    [EXIT_INTR_WINDOW] = "intr-window",
    [EXIT_EXTERNAL_INTR] = "external-intr",
    [EXIT_NESTED_PAGE_FAULT] = "nested-page-fault",
    [EXIT_HYPERCALL] = "hypercall",
    [EXIT_PREEMPT] = "preempt",
    [EXIT_HOST_NMI] = "host-nmi",
    [EXIT_MWAIT] = "mwait",
    [EXIT_ENTRY_FAILED] = "entry-failed",
    [EXIT_UNKNOWN] = "unknown",
};

const char *exit_reason_name(enum vm_exit_reason reason)
{
    if ((unsigned)reason >= EXIT_REASON_COUNT || !reason_names[reason])
        return "invalid";
    return reason_names[reason];
}

void vcpu_skip_insn(struct vcpu *v, const struct vm_exit *e)
{
    /* The back end decoded the length (VMX: VM-exit instruction length;
     * SVM: NRIP, EXITINFO2 or its own decoding).  An STI or MOV SS shadow
     * covers only the one instruction after it (SDM Vol. 2B "STI"), so once
     * that instruction is skipped the shadow is over: back ends drop it
     * when they see RIP moved. */
    v->regs.rip = vcpu_rip_advance(v->regs.rip, e->insn_len, v->ops->code_bits(v));

    /* With RFLAGS.TF set, the CPU raises a single-step #DB after every
     * instruction it completes, with DR6.BS = 1 (SDM Vol. 3B §19.2.3,
     * §19.3.1.4; APM Vol. 2 §13.1.4).  The hypervisor just completed this
     * one in the CPU's place, so it owes the guest that trap - else a
     * debugger single-stepping through CPUID or an OUT would skip a step. */
    if (v->regs.rflags & RFLAGS_TF) {
        v->ops->set_ctl(v, CTL_DR6, v->ops->get_ctl(v, CTL_DR6) | DR6_BS);
        (void)vcpu_raise(v, EXC_DB, false, 0, "the single-step trap of the completed instruction");
    }
}

enum exit_action vcpu_raise(struct vcpu *v, unsigned vector, bool has_err, uint32_t err, const char *what)
{
    struct vcpu_event ev = { .type = EVENT_EXCEPTION, .vector = (uint8_t)vector, .has_error = has_err, .error = err };
    if (!v->ops->inject(v, &ev)) {
        vm_stop(v->vm, false, "cannot inject exception %u for %s at RIP %#lx", vector, what,
                (unsigned long)v->regs.rip);
        return EXIT_ACTION_STOP;
    }
    return EXIT_ACTION_RESUME;
}
