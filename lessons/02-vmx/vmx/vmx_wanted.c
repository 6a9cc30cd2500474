/**
 * @file vmx_wanted.c
 * @brief The VM-execution, exit and entry controls Spectrum asks for
 *        (vmx_create.c explains what each one is for), and the values it
 *        writes on a given CPU.  Pure, so the unit test can ask "would
 *        Spectrum run on this CPU?" for a given set of capability MSRs -
 *        e.g. one without "save IA32_EFER".
 */
#include "vmx/vmx.h"

#include "vmx/vmx_controls.h"

void vmx_wanted_controls(enum vcpu_mode mode, uint32_t wanted[VMX_CTL_KINDS], uint32_t optional[VMX_CTL_KINDS])
{
    wanted[VMX_CTL_PIN] = PIN_EXTINT_EXITING | PIN_NMI_EXITING;
    wanted[VMX_CTL_PROC] = PROC_INTR_WINDOW_EXITING | PROC_HLT_EXITING | PROC_CR8_LOAD_EXITING |
                           PROC_CR8_STORE_EXITING | PROC_UNCOND_IO_EXITING | PROC_MWAIT_EXITING |
                           PROC_MONITOR_EXITING;
    wanted[VMX_CTL_PROC2] = 0;  /* no EPT, VPID or unrestricted guest in lesson 02 */
    wanted[VMX_CTL_EXIT] = EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_EFER | EXIT_LOAD_EFER | EXIT_SAVE_DEBUG_CTLS;
    wanted[VMX_CTL_ENTRY] = ENTRY_LOAD_EFER | ENTRY_LOAD_DEBUG_CTLS | (mode == VCPU_MODE_LONG64 ? ENTRY_IA32E_GUEST : 0);
    optional[VMX_CTL_PIN] = PIN_PREEMPTION_TIMER;
    optional[VMX_CTL_PROC] = 0;
    optional[VMX_CTL_PROC2] = 0;
    optional[VMX_CTL_EXIT] = VMX_EXIT_PAT_CTLS;
    optional[VMX_CTL_ENTRY] = ENTRY_LOAD_PAT;
}

/* The PAT controls switch IA32_PAT only as a set: "load IA32_PAT" on
 * entry puts the guest's PAT in the CPU (SDM Vol. 3C §27.3.2.1), and only
 * "load IA32_PAT" on exit brings the host's back (§28.5.1) - a CPU that
 * granted the first alone would leave the guest's PAT in force in the
 * host after every exit; "save IA32_PAT" (§28.3.1) keeps the guest's own
 * writes.  So all three, or none, and then the vCPU keeps the guest's PAT
 * in software (vmx_ctl.c).  A bit the CPU forces to 1 stays, as it must. */
static void pat_all_or_none(const struct vmx_caps *c, uint32_t out[VMX_CTL_KINDS])
{
    if ((out[VMX_CTL_EXIT] & VMX_EXIT_PAT_CTLS) == VMX_EXIT_PAT_CTLS && (out[VMX_CTL_ENTRY] & ENTRY_LOAD_PAT))
        return;
    out[VMX_CTL_EXIT] &= ~(VMX_EXIT_PAT_CTLS & ~vmx_ctl_must_be_one(c->ctl[VMX_CTL_EXIT]));
    out[VMX_CTL_ENTRY] &= ~(ENTRY_LOAD_PAT & ~vmx_ctl_must_be_one(c->ctl[VMX_CTL_ENTRY]));
}

bool vmx_controls_choose(const struct vmx_caps *c, enum vcpu_mode mode, uint32_t out[VMX_CTL_KINDS], char *why,
                         size_t why_len)
{
    uint32_t wanted[VMX_CTL_KINDS], optional[VMX_CTL_KINDS];
    vmx_wanted_controls(mode, wanted, optional);
    if (!vmx_caps_controls(c, wanted, optional, out, why, why_len))
        return false;
    pat_all_or_none(c, out);
    return true;
}
