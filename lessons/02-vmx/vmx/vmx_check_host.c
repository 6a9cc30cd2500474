/**
 * @file vmx_check_host.c
 * @brief VM-entry checks on the host-state area, SDM Vol. 3C §27.2.2
 *        (control registers and MSRs), §27.2.3 (segment and descriptor-table
 *        registers) and §27.2.4 (address-space size).
 *
 * A violation here makes VMLAUNCH/VMRESUME fail with VMfailValid and
 * VM-instruction error 8, "VM entry with invalid host-state field(s)".
 */
#include "vmx/vmx_check_impl.h"

static const char *const host_sel_field[VMX_HSEL_COUNT] = {
    "HOST_ES_SEL", "HOST_CS_SEL", "HOST_SS_SEL", "HOST_DS_SEL", "HOST_FS_SEL", "HOST_GS_SEL", "HOST_TR_SEL",
};

/* IA32_PAT: each of the 8 entries must be a valid memory type (0, 1, 4,
 * 5, 6 or 7; SDM Vol. 3A §13.12.2 Table 13-10). */
bool vmx_pat_valid(uint64_t pat)
{
    for (int i = 0; i < 8; i++) {
        unsigned t = (pat >> (8 * i)) & 0xff;
        if (t == 2 || t == 3 || t > 7)
            return false;
    }
    return true;
}

static void check_cr_msr(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    const struct vmx_caps *c = ck->caps;
    bool host64 = s->exit_ctls & EXIT_HOST_ADDR_SPACE_SIZE;

    uint64_t bad0 = (c->cr0_fixed0 & ~s->host_cr0) | (s->host_cr0 & ~c->cr0_fixed1);
    if (bad0)
        vmx_check_fail(ck, "host-cr0-fixed", SDM_HOST_CR, "HOST_CR0", s->host_cr0,
                       "CR0 must respect IA32_VMX_CR0_FIXED0/FIXED1 (%#lx/%#lx): wrong bits %#lx",
                       (unsigned long)c->cr0_fixed0, (unsigned long)c->cr0_fixed1, (unsigned long)bad0);
    uint64_t bad4 = (c->cr4_fixed0 & ~s->host_cr4) | (s->host_cr4 & ~c->cr4_fixed1);
    if (bad4)
        vmx_check_fail(ck, "host-cr4-fixed", SDM_HOST_CR, "HOST_CR4", s->host_cr4,
                       "CR4 must respect IA32_VMX_CR4_FIXED0/FIXED1 (%#lx/%#lx): wrong bits %#lx",
                       (unsigned long)c->cr4_fixed0, (unsigned long)c->cr4_fixed1, (unsigned long)bad4);
    if (!vmx_phys_ok(c, s->host_cr3))
        vmx_check_fail(ck, "host-cr3-width", SDM_HOST_CR, "HOST_CR3", s->host_cr3,
                       "CR3 must not set bits beyond MAXPHYADDR (%u)", c->phys_addr_bits);
    if (!vmx_canonical(c, s->host_sysenter_esp))
        vmx_check_fail(ck, "host-sysenter-canonical", SDM_HOST_CR, "HOST_SYSENTER_ESP", s->host_sysenter_esp,
                       "IA32_SYSENTER_ESP must be canonical");
    if (!vmx_canonical(c, s->host_sysenter_eip))
        vmx_check_fail(ck, "host-sysenter-canonical", SDM_HOST_CR, "HOST_SYSENTER_EIP", s->host_sysenter_eip,
                       "IA32_SYSENTER_EIP must be canonical");
    if ((s->exit_ctls & EXIT_LOAD_PAT) && !vmx_pat_valid(s->host_pat))
        vmx_check_fail(ck, "host-pat", SDM_HOST_CR, "HOST_PAT", s->host_pat,
                       "with \"load IA32_PAT\" every PAT entry must be 0, 1, 4, 5, 6 or 7");
    if (s->exit_ctls & EXIT_LOAD_EFER) {
        uint64_t efer = s->host_efer;
        if (efer & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE))
            vmx_check_fail(ck, "host-efer-reserved", SDM_HOST_CR, "HOST_EFER", efer,
                           "reserved IA32_EFER bits (7:1, 9, 63:12) must be 0");
        if (!!(efer & EFER_LMA) != host64 || !!(efer & EFER_LME) != host64)
            vmx_check_fail(ck, "host-efer-lma", SDM_HOST_CR, "HOST_EFER", efer,
                           "IA32_EFER.LMA and LME must equal \"host address-space size\" (%u)", host64);
    }
}

static void check_segments(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    const struct vmx_caps *c = ck->caps;
    bool host64 = s->exit_ctls & EXIT_HOST_ADDR_SPACE_SIZE;

    for (int i = 0; i < VMX_HSEL_COUNT; i++)
        if (s->host_sel[i] & 7)
            vmx_check_fail(ck, "host-sel-rpl-ti", SDM_HOST_SEG, host_sel_field[i], s->host_sel[i],
                           "host selectors must have RPL = 0 and TI = 0");
    if (s->host_sel[VMX_HSEL_CS] == 0)
        vmx_check_fail(ck, "host-cs-null", SDM_HOST_SEG, "HOST_CS_SEL", 0, "the host CS selector must not be 0000H");
    if (s->host_sel[VMX_HSEL_TR] == 0)
        vmx_check_fail(ck, "host-tr-null", SDM_HOST_SEG, "HOST_TR_SEL", 0, "the host TR selector must not be 0000H");
    if (!host64 && s->host_sel[VMX_HSEL_SS] == 0)
        vmx_check_fail(ck, "host-ss-null", SDM_HOST_SEG, "HOST_SS_SEL", 0,
                       "a 32-bit host needs a non-null SS selector");

    struct { const char *field; uint64_t v; } bases[] = {
        { "HOST_FS_BASE", s->host_fs_base }, { "HOST_GS_BASE", s->host_gs_base },
        { "HOST_GDTR_BASE", s->host_gdtr_base }, { "HOST_IDTR_BASE", s->host_idtr_base },
        { "HOST_TR_BASE", s->host_tr_base },
    };
    for (unsigned i = 0; i < sizeof bases / sizeof bases[0]; i++)
        if (!vmx_canonical(c, bases[i].v))
            vmx_check_fail(ck, "host-base-canonical", SDM_HOST_SEG, bases[i].field, bases[i].v,
                           "host FS, GS, GDTR, IDTR and TR bases must be canonical");
}

static void check_address_size(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    bool host64 = s->exit_ctls & EXIT_HOST_ADDR_SPACE_SIZE;

    if (s->cpu_ia32e != host64)
        vmx_check_fail(ck, "host-addr-size", SDM_HOST_SIZE, "EXIT_CONTROLS", s->exit_ctls,
                       "\"host address-space size\" must be %u: the CPU is %sin IA-32e mode", s->cpu_ia32e,
                       s->cpu_ia32e ? "" : "not ");
    if (host64) {
        if (!(s->host_cr4 & CR4_PAE))
            vmx_check_fail(ck, "host-cr4-pae", SDM_HOST_SIZE, "HOST_CR4", s->host_cr4,
                           "with \"host address-space size\" 1, host CR4.PAE must be 1");
        if (!vmx_canonical(ck->caps, s->host_rip))
            vmx_check_fail(ck, "host-rip-canonical", SDM_HOST_SIZE, "HOST_RIP", s->host_rip,
                           "with \"host address-space size\" 1, host RIP must be canonical");
    } else {
        if (vmx_guest_ia32e(s))
            vmx_check_fail(ck, "host-addr-size-guest", SDM_HOST_SIZE, "ENTRY_CONTROLS", s->entry_ctls,
                           "a 32-bit host cannot enter an IA-32e mode guest");
        if (s->host_cr4 & CR4_PCIDE)
            vmx_check_fail(ck, "host-cr4-pcide", SDM_HOST_SIZE, "HOST_CR4", s->host_cr4,
                           "a 32-bit host must have CR4.PCIDE = 0");
        if (s->host_rip >> 32)
            vmx_check_fail(ck, "host-rip-high", SDM_HOST_SIZE, "HOST_RIP", s->host_rip,
                           "a 32-bit host needs host RIP bits 63:32 = 0");
    }
}

void vmx_check_host(struct vmx_checker *ck)
{
    check_cr_msr(ck);
    check_segments(ck);
    check_address_size(ck);
}
