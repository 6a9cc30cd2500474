/**
 * @file vmx_caps.c
 * @brief Reading the VMX capability MSRs and deriving the control fields.
 *
 * SDM Vol. 3D Appendix A.2 "Reserved Controls and Default Settings": some
 * control bits are "default1" (they had to be 1 on the first VMX CPUs).
 * When IA32_VMX_BASIC bit 55 is 1, the IA32_VMX_TRUE_*_CTLS MSRs report
 * which of those may in fact be 0; software that reads the TRUE MSRs gets
 * the real constraints, e.g. it can leave CR3-store exiting off.
 */
#include "vmx/vmx_caps.h"

#include "spectrum/fmt.h"
#include "spectrum/x86.h"
#include "vmx/vmx_controls.h"

void vmx_caps_read(struct vmx_caps *c)
{
    c->basic = rdmsr(MSR_IA32_VMX_BASIC);
    bool true_ctls = c->basic & VMX_BASIC_TRUE_CTLS;
    c->ctl[VMX_CTL_PIN] = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED : MSR_IA32_VMX_PINBASED);
    c->ctl[VMX_CTL_PROC] = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED : MSR_IA32_VMX_PROCBASED);
    c->ctl[VMX_CTL_EXIT] = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_EXIT : MSR_IA32_VMX_EXIT);
    c->ctl[VMX_CTL_ENTRY] = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_ENTRY : MSR_IA32_VMX_ENTRY);
    /* A.3.3: IA32_VMX_PROCBASED_CTLS2 exists only if the primary controls
     * allow "activate secondary controls" to be 1 (reading it otherwise
     * would #GP).  The secondary controls have no default1 bits. */
    bool has_proc2 = vmx_ctl_may_be_one(c->ctl[VMX_CTL_PROC]) & PROC_SECONDARY_CONTROLS;
    c->ctl[VMX_CTL_PROC2] = has_proc2 ? rdmsr(MSR_IA32_VMX_PROCBASED2) : 0;
    c->misc = rdmsr(MSR_IA32_VMX_MISC);
    c->cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
    c->cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
    c->cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
    c->cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
    /* A.10: exists if EPT or VPID may be enabled. */
    uint32_t may2 = vmx_ctl_may_be_one(c->ctl[VMX_CTL_PROC2]);
    c->ept_vpid = (may2 & (PROC2_ENABLE_EPT | PROC2_ENABLE_VPID)) ? rdmsr(MSR_IA32_VMX_EPT_VPID_CAP) : 0;
    /* CPUID.80000008H:EAX (SDM Vol. 2A, CPUID): physical and linear widths. */
    if (cpuid(0x80000000, 0).eax >= 0x80000008) {
        uint32_t eax = cpuid(0x80000008, 0).eax;
        c->phys_addr_bits = (uint8_t)(eax & 0xff);
        c->linear_addr_bits = (uint8_t)((eax >> 8) & 0xff);
    } else {
        c->phys_addr_bits = 36;     /* Vol. 3A §4.1.4: the default without leaf 80000008H */
        c->linear_addr_bits = 48;
    }
}

bool vmx_caps_controls(const struct vmx_caps *c, const uint32_t wanted[VMX_CTL_KINDS],
                       const uint32_t optional[VMX_CTL_KINDS], uint32_t out[VMX_CTL_KINDS], char *why,
                       size_t why_len)
{
    uint32_t want[VMX_CTL_KINDS];
    for (int k = 0; k < VMX_CTL_KINDS; k++)
        want[k] = wanted[k];
    if (want[VMX_CTL_PROC2])
        want[VMX_CTL_PROC] |= PROC_SECONDARY_CONTROLS;

    for (int k = 0; k < VMX_CTL_KINDS; k++) {
        out[k] = vmx_ctl_adjust(want[k], c->ctl[k]);
        uint32_t lost = want[k] & ~out[k];
        if (lost) {
            unsigned bit = (unsigned)__builtin_ctz(lost);
            fmt_snprintf(why, why_len,
                         "%s control bit %u (%s) is not supported: allowed 1-settings %#x (SDM Vol. 3D Appendix A)",
                         vmx_ctl_kind_name((enum vmx_ctl_kind)k), bit,
                         vmx_ctl_bit_name((enum vmx_ctl_kind)k, bit), vmx_ctl_may_be_one(c->ctl[k]));
            return false;
        }
    }
    /* Optional bits: whatever of them the CPU allows to be 1 (a secondary
     * one only if the secondary controls are active anyway). */
    for (int k = 0; optional && k < VMX_CTL_KINDS; k++)
        out[k] |= optional[k] & vmx_ctl_may_be_one(c->ctl[k]);
    /* Without "activate secondary controls" the secondary field is
     * ignored (SDM Vol. 3C §25.6.2): write 0 so dumps do not mislead. */
    if (!(out[VMX_CTL_PROC] & PROC_SECONDARY_CONTROLS))
        out[VMX_CTL_PROC2] = 0;
    return true;
}

const char *vmx_ctl_kind_name(enum vmx_ctl_kind k)
{
    switch (k) {
    case VMX_CTL_PIN: return "pin-based";
    case VMX_CTL_PROC: return "primary processor-based";
    case VMX_CTL_PROC2: return "secondary processor-based";
    case VMX_CTL_EXIT: return "VM-exit";
    case VMX_CTL_ENTRY: return "VM-entry";
    default: return "?";
    }
}

/* Bit names, SDM Vol. 3C Tables 25-5, 25-6, 25-7, 25-13, 25-15. */
static const char *const pin_names[32] = {
    [0] = "external-interrupt exiting", [3] = "NMI exiting", [5] = "virtual NMIs",
    [6] = "activate VMX-preemption timer", [7] = "process posted interrupts",
};
static const char *const proc_names[32] = {
    [2] = "interrupt-window exiting", [3] = "use TSC offsetting", [7] = "HLT exiting",
    [9] = "INVLPG exiting", [10] = "MWAIT exiting", [11] = "RDPMC exiting", [12] = "RDTSC exiting",
    [15] = "CR3-load exiting", [16] = "CR3-store exiting", [17] = "activate tertiary controls",
    [19] = "CR8-load exiting", [20] = "CR8-store exiting", [21] = "use TPR shadow",
    [22] = "NMI-window exiting", [23] = "MOV-DR exiting", [24] = "unconditional I/O exiting",
    [25] = "use I/O bitmaps", [27] = "monitor trap flag", [28] = "use MSR bitmaps",
    [29] = "MONITOR exiting", [30] = "PAUSE exiting", [31] = "activate secondary controls",
};
static const char *const proc2_names[32] = {
    [0] = "virtualize APIC accesses", [1] = "enable EPT", [2] = "descriptor-table exiting",
    [3] = "enable RDTSCP", [4] = "virtualize x2APIC mode", [5] = "enable VPID",
    [6] = "WBINVD exiting", [7] = "unrestricted guest", [8] = "APIC-register virtualization",
    [9] = "virtual-interrupt delivery", [10] = "PAUSE-loop exiting", [11] = "RDRAND exiting",
    [12] = "enable INVPCID", [13] = "enable VM functions", [14] = "VMCS shadowing",
    [15] = "enable ENCLS exiting", [16] = "RDSEED exiting", [17] = "enable PML",
    [18] = "EPT-violation #VE", [19] = "conceal VMX from PT", [20] = "enable XSAVES/XRSTORS",
    [22] = "mode-based execute control for EPT", [23] = "sub-page write permissions for EPT",
    [24] = "Intel PT uses guest physical addresses", [25] = "use TSC scaling",
    [26] = "enable user wait and pause", [28] = "enable ENCLV exiting",
};
static const char *const exit_names[32] = {
    [2] = "save debug controls", [9] = "host address-space size",
    [12] = "load IA32_PERF_GLOBAL_CTRL", [15] = "acknowledge interrupt on exit",
    [18] = "save IA32_PAT", [19] = "load IA32_PAT", [20] = "save IA32_EFER", [21] = "load IA32_EFER",
    [22] = "save VMX-preemption timer value", [23] = "clear IA32_BNDCFGS",
    [24] = "conceal VMX from PT", [25] = "clear IA32_RTIT_CTL", [28] = "load CET state",
    [29] = "load PKRS",
};
static const char *const entry_names[32] = {
    [2] = "load debug controls", [9] = "IA-32e mode guest", [10] = "entry to SMM",
    [11] = "deactivate dual-monitor treatment", [13] = "load IA32_PERF_GLOBAL_CTRL",
    [14] = "load IA32_PAT", [15] = "load IA32_EFER", [16] = "load IA32_BNDCFGS",
    [17] = "conceal VMX from PT", [18] = "load IA32_RTIT_CTL", [20] = "load CET state",
    [22] = "load PKRS",
};

const char *vmx_ctl_bit_name(enum vmx_ctl_kind k, unsigned bit)
{
    static const char *const *const tables[VMX_CTL_KINDS] = {
        pin_names, proc_names, proc2_names, exit_names, entry_names,
    };
    if ((unsigned)k >= VMX_CTL_KINDS || bit >= 32 || !tables[k][bit])
        return "reserved";
    return tables[k][bit];
}
