/**
 * @file vmx_check_guest.c
 * @brief VM-entry checks on the guest's registers: SDM Vol. 3C §27.3.1.1
 *        (control registers, debug registers, MSRs), §27.3.1.3
 *        (descriptor-table registers) and §27.3.1.4 (RIP and RFLAGS).
 *
 * A violation in the guest-state area does not make VMLAUNCH fail with an
 * error number: the CPU starts the entry, then exits at once with exit
 * reason 33 "VM-entry failure due to invalid guest state" and bit 31 set
 * (SDM Vol. 3C §27.8 "VM-Entry Failures During or After Loading Guest
 * State").
 */
#include "vmx/vmx_check_impl.h"

/* IA32_DEBUGCTL is not checked: its reserved bits are model specific, and
 * Spectrum always gives the guest 0.  IA32_EFER's defined bits: SCE, LME,
 * LMA, NXE (SDM Vol. 4 Table 2-2); the others are reserved. */
#define EFER_DEFINED (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)
/* RFLAGS reserved bits: 63:22, 15, 5, 3 (and bit 1 must be 1), Vol. 1 §3.4.3. */
#define RFLAGS_RESERVED (~0x3fffffull | (1ull << 15) | (1ull << 5) | (1ull << 3))

static void check_control_regs(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    const struct vmx_caps *c = ck->caps;
    bool ia32e = vmx_guest_ia32e(s);

    /* With "unrestricted guest", PE and PG are exempt from FIXED0. */
    uint64_t fixed0 = c->cr0_fixed0;
    if (vmx_unrestricted(s))
        fixed0 &= ~(CR0_PE | CR0_PG);
    uint64_t bad0 = (fixed0 & ~s->guest_cr0) | (s->guest_cr0 & ~c->cr0_fixed1);
    if (bad0)
        vmx_check_fail(ck, "guest-cr0-fixed", SDM_GUEST_CR, "GUEST_CR0", s->guest_cr0,
                       "CR0 must respect IA32_VMX_CR0_FIXED0/FIXED1 (%#lx/%#lx): wrong bits %#lx",
                       (unsigned long)fixed0, (unsigned long)c->cr0_fixed1, (unsigned long)bad0);
    if ((s->guest_cr0 & CR0_PG) && !(s->guest_cr0 & CR0_PE))
        vmx_check_fail(ck, "guest-cr0-pg-pe", SDM_GUEST_CR, "GUEST_CR0", s->guest_cr0,
                       "CR0.PG = 1 needs CR0.PE = 1");
    uint64_t bad4 = (c->cr4_fixed0 & ~s->guest_cr4) | (s->guest_cr4 & ~c->cr4_fixed1);
    if (bad4)
        vmx_check_fail(ck, "guest-cr4-fixed", SDM_GUEST_CR, "GUEST_CR4", s->guest_cr4,
                       "CR4 must respect IA32_VMX_CR4_FIXED0/FIXED1 (%#lx/%#lx): wrong bits %#lx "
                       "(CR4.VMXE is fixed to 1)",
                       (unsigned long)c->cr4_fixed0, (unsigned long)c->cr4_fixed1, (unsigned long)bad4);
    if ((s->guest_cr4 & CR4_CET) && !(s->guest_cr0 & CR0_WP))
        vmx_check_fail(ck, "guest-cr4-cet", SDM_GUEST_CR, "GUEST_CR4", s->guest_cr4,
                       "CR4.CET = 1 needs CR0.WP = 1");
    if (ia32e && !(s->guest_cr0 & CR0_PG))
        vmx_check_fail(ck, "guest-ia32e-pg", SDM_GUEST_CR, "GUEST_CR0", s->guest_cr0,
                       "an IA-32e mode guest needs CR0.PG = 1");
    if (ia32e && !(s->guest_cr4 & CR4_PAE))
        vmx_check_fail(ck, "guest-ia32e-pae", SDM_GUEST_CR, "GUEST_CR4", s->guest_cr4,
                       "an IA-32e mode guest needs CR4.PAE = 1");
    if (!ia32e && (s->guest_cr4 & CR4_PCIDE))
        vmx_check_fail(ck, "guest-cr4-pcide", SDM_GUEST_CR, "GUEST_CR4", s->guest_cr4,
                       "outside IA-32e mode CR4.PCIDE must be 0");
    if (!vmx_phys_ok(c, s->guest_cr3))
        vmx_check_fail(ck, "guest-cr3-width", SDM_GUEST_CR, "GUEST_CR3", s->guest_cr3,
                       "CR3 must not set bits beyond MAXPHYADDR (%u)", c->phys_addr_bits);
    if ((s->entry_ctls & ENTRY_LOAD_DEBUG_CTLS) && (s->guest_dr7 >> 32))
        vmx_check_fail(ck, "guest-dr7-high", SDM_GUEST_CR, "GUEST_DR7", s->guest_dr7,
                       "with \"load debug controls\" DR7 bits 63:32 must be 0");
}

static void check_msrs(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    if (!vmx_canonical(ck->caps, s->guest_sysenter_esp))
        vmx_check_fail(ck, "guest-sysenter-canonical", SDM_GUEST_CR, "GUEST_SYSENTER_ESP",
                       s->guest_sysenter_esp, "IA32_SYSENTER_ESP must be canonical");
    if (!vmx_canonical(ck->caps, s->guest_sysenter_eip))
        vmx_check_fail(ck, "guest-sysenter-canonical", SDM_GUEST_CR, "GUEST_SYSENTER_EIP",
                       s->guest_sysenter_eip, "IA32_SYSENTER_EIP must be canonical");
    if ((s->entry_ctls & ENTRY_LOAD_PAT) && !vmx_pat_valid(s->guest_pat))
        vmx_check_fail(ck, "guest-pat", SDM_GUEST_CR, "GUEST_PAT", s->guest_pat,
                       "with \"load IA32_PAT\" every PAT entry must be 0, 1, 4, 5, 6 or 7");
    if (s->entry_ctls & ENTRY_LOAD_EFER) {
        uint64_t efer = s->guest_efer;
        bool ia32e = vmx_guest_ia32e(s);
        if (efer & ~EFER_DEFINED)
            vmx_check_fail(ck, "guest-efer-reserved", SDM_GUEST_CR, "GUEST_EFER", efer,
                           "reserved IA32_EFER bits (7:1, 9, 63:12) must be 0");
        if (!!(efer & EFER_LMA) != ia32e)
            vmx_check_fail(ck, "guest-efer-lma", SDM_GUEST_CR, "GUEST_EFER", efer,
                           "IA32_EFER.LMA must equal \"IA-32e mode guest\" (%u)", ia32e);
        if ((s->guest_cr0 & CR0_PG) && !!(efer & EFER_LME) != ia32e)
            vmx_check_fail(ck, "guest-efer-lme", SDM_GUEST_CR, "GUEST_EFER", efer,
                           "with CR0.PG = 1, IA32_EFER.LME must equal \"IA-32e mode guest\" (%u)", ia32e);
    }
}

static void check_descriptor_tables(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    if (!vmx_canonical(ck->caps, s->guest_gdtr_base))
        vmx_check_fail(ck, "guest-gdtr-base", SDM_GUEST_DT, "GUEST_GDTR_BASE", s->guest_gdtr_base,
                       "the GDTR base must be canonical");
    if (!vmx_canonical(ck->caps, s->guest_idtr_base))
        vmx_check_fail(ck, "guest-idtr-base", SDM_GUEST_DT, "GUEST_IDTR_BASE", s->guest_idtr_base,
                       "the IDTR base must be canonical");
    if (s->guest_gdtr_limit >> 16)
        vmx_check_fail(ck, "guest-gdtr-limit", SDM_GUEST_DT, "GUEST_GDTR_LIMIT", s->guest_gdtr_limit,
                       "GDTR limit bits 31:16 must be 0");
    if (s->guest_idtr_limit >> 16)
        vmx_check_fail(ck, "guest-idtr-limit", SDM_GUEST_DT, "GUEST_IDTR_LIMIT", s->guest_idtr_limit,
                       "IDTR limit bits 31:16 must be 0");
}

static void check_rip_rflags(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    bool ia32e = vmx_guest_ia32e(s);
    bool cs_l = s->guest_seg[VMX_SEG_CS].ar & VMX_AR_L;

    if ((!ia32e || !cs_l) && (s->guest_rip >> 32))
        vmx_check_fail(ck, "guest-rip-high", SDM_GUEST_RIP, "GUEST_RIP", s->guest_rip,
                       "outside 64-bit mode RIP bits 63:32 must be 0");
    if (ia32e && cs_l && !vmx_canonical(ck->caps, s->guest_rip))
        vmx_check_fail(ck, "guest-rip-canonical", SDM_GUEST_RIP, "GUEST_RIP", s->guest_rip,
                       "in 64-bit mode RIP must be canonical");
    if (s->guest_rflags & RFLAGS_RESERVED)
        vmx_check_fail(ck, "guest-rflags-reserved", SDM_GUEST_RIP, "GUEST_RFLAGS", s->guest_rflags,
                       "RFLAGS bits 63:22, 15, 5 and 3 must be 0");
    if (!(s->guest_rflags & RFLAGS_FIXED))
        vmx_check_fail(ck, "guest-rflags-bit1", SDM_GUEST_RIP, "GUEST_RFLAGS", s->guest_rflags,
                       "RFLAGS bit 1 must be 1");
    if ((s->guest_rflags & RFLAGS_VM) && (ia32e || !(s->guest_cr0 & CR0_PE)))
        vmx_check_fail(ck, "guest-rflags-vm", SDM_GUEST_RIP, "GUEST_RFLAGS", s->guest_rflags,
                       "RFLAGS.VM must be 0 in IA-32e mode or with CR0.PE = 0");
    if (vmx_injects(s, VMX_INTR_TYPE_EXT_INTR) && !(s->guest_rflags & RFLAGS_IF))
        vmx_check_fail(ck, "guest-rflags-if", SDM_GUEST_RIP, "GUEST_RFLAGS", s->guest_rflags,
                       "injecting an external interrupt needs RFLAGS.IF = 1");
}

void vmx_check_guest_regs(struct vmx_checker *ck)
{
    check_control_regs(ck);
    check_msrs(ck);
    check_descriptor_tables(ck);
    check_rip_rflags(ck);
}
