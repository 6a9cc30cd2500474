/**
 * @file vmx_wanted.c
 * @brief The VM-execution, exit and entry controls Spectrum asks for
 *        (vmx_create.c explains what each one is for).  Pure, so the unit
 *        test can ask "would Spectrum run on this CPU?" for a given set of
 *        capability MSRs - e.g. one without "save IA32_EFER".
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
    optional[VMX_CTL_EXIT] = EXIT_SAVE_PAT | EXIT_LOAD_PAT;
    optional[VMX_CTL_ENTRY] = ENTRY_LOAD_PAT;
}
