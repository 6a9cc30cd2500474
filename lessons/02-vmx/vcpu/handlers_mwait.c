/**
 * @file handlers_mwait.c
 * @brief MONITOR and MWAIT: not offered, so they raise \#UD.
 *
 * MWAIT would let a guest sleep on the physical CPU until some memory
 * write or interrupt - host business, and on VMX without "MWAIT exiting"
 * the guest would really stop the CPU.  Spectrum hides the instructions
 * (CPUID.1:ECX.MONITOR[bit 3] = 0, handlers_cpuid.c), intercepts both on
 * both vendors (VMX "MONITOR/MWAIT exiting", SDM Vol. 3C §26.1.3; SVM
 * MONITOR/MWAIT intercepts, APM Vol. 2 §15.9) and answers as a CPU without
 * them does: \#UD (SDM Vol. 2B "MWAIT": "#UD If CPUID.01H:ECX.MONITOR
 * [bit 3] = 0").  AMD's MONITORX/MWAITX are hidden too (CPUID
 * 80000001h:ECX[29]) and reach this handler through the same SVM
 * intercepts (APM Vol. 3 "MONITORX", "MWAITX": checked by the MONITOR and
 * MWAIT intercepts).  A guest idles with HLT instead.
 */
#include "spectrum/x86_bits.h"
#include "vcpu/exit.h"

static enum exit_action mwait_exit(struct vcpu *v, const struct vm_exit *e)
{
    (void)e;
    return vcpu_raise(v, EXC_UD, false, 0, "MONITOR/MWAIT");
}
REGISTER_EXIT_HANDLER(mwait, EXIT_MWAIT, mwait_exit);
