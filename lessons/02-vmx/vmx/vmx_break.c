/**
 * @file vmx_break.c
 * @brief The table of deliberate VMCS mistakes (see vmx_break.h).
 *
 * Each entry breaks one VM-entry rule of SDM Vol. 3C §27.2 or §27.3.1 and
 * names the checker rule that must catch it.  A broken control field makes
 * VMLAUNCH fail with VM-instruction error 7, a broken host-state field with
 * error 8, a broken guest-state field gives exit reason 33 "VM-entry
 * failure due to invalid guest state".  None of them lets the guest run,
 * and none leaves the host in a bad state: the CPU checks everything
 * before it loads anything (§27.1-27.3).
 */
#include "vmx/vmx_break.h"

#include "spectrum/string.h"
#include "vmx/vmcs_fields.h"
#include "vmx/vmx_controls.h"
#include "vmx/vmx_exit_info.h"

static void set_bits(uint32_t field, uint64_t set, uint64_t clear)
{
    vmcs_write(field, (vmcs_read(field) & ~clear) | set);
}

static void brk_tr(struct vmx_vcpu *x)
{
    (void)x;   /* an available (not busy) TSS */
    set_bits(VMCS_GUEST_TR_AR, X86_SEG_TYPE_TSS_AVAIL, VMX_AR_TYPE_MASK);
}
static void brk_tr_unusable(struct vmx_vcpu *x) { (void)x; set_bits(VMCS_GUEST_TR_AR, VMX_AR_UNUSABLE, 0); }
static void brk_pg_no_pe(struct vmx_vcpu *x) { (void)x; set_bits(VMCS_GUEST_CR0, 0, CR0_PE); }
static void brk_vmxe(struct vmx_vcpu *x) { (void)x; set_bits(VMCS_GUEST_CR4, 0, CR4_VMXE); }
static void brk_cs_l_d(struct vmx_vcpu *x) { (void)x; set_bits(VMCS_GUEST_CS_AR, VMX_AR_DB, 0); }
static void brk_cs_type(struct vmx_vcpu *x)
{
    (void)x;   /* a data segment in CS */
    set_bits(VMCS_GUEST_CS_AR, VMX_AR_TYPE_RW | VMX_AR_TYPE_ACCESSED, VMX_AR_TYPE_MASK);
}
static void brk_ss_dpl(struct vmx_vcpu *x) { (void)x; set_bits(VMCS_GUEST_SS_AR, 3u << VMX_AR_DPL_SHIFT, 0); }
static void brk_ldtr_ti(struct vmx_vcpu *x)
{
    (void)x;   /* a usable LDT whose selector points into an LDT */
    vmcs_write(VMCS_GUEST_LDTR_SEL, 0x4);
    vmcs_write(VMCS_GUEST_LDTR_AR, VMX_AR_P | X86_SEG_TYPE_LDT);
}
static void brk_rflags(struct vmx_vcpu *x) { x->vcpu.regs.rflags &= ~RFLAGS_FIXED; }
static void brk_efer_lma(struct vmx_vcpu *x) { (void)x; set_bits(VMCS_GUEST_EFER, 0, EFER_LMA); }
static void brk_link(struct vmx_vcpu *x) { (void)x; vmcs_write(VMCS_LINK_POINTER, 0); }
static void brk_activity(struct vmx_vcpu *x) { (void)x; vmcs_write(VMCS_GUEST_ACTIVITY_STATE, 7); }
static void brk_sti_if(struct vmx_vcpu *x)
{
    x->vcpu.regs.rflags &= ~RFLAGS_IF;
    vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, VMX_INTERRUPTIBILITY_STI);
}
static void brk_cr3_width(struct vmx_vcpu *x)
{
    (void)x;
    set_bits(VMCS_GUEST_CR3, 1ull << (vmx_cpu.caps.phys_addr_bits < 63 ? vmx_cpu.caps.phys_addr_bits : 62), 0);
}
static void brk_gdtr_limit(struct vmx_vcpu *x) { (void)x; vmcs_write(VMCS_GUEST_GDTR_LIMIT, 0x10000); }
static void brk_inject(struct vmx_vcpu *x)
{
    /* A "hardware exception" with vector 32: vmx_inject() would refuse it. */
    x->pending_info = VMX_INTR_VALID | (VMX_INTR_TYPE_HW_EXCEPTION << VMX_INTR_TYPE_SHIFT) | 32;
}
static void brk_ctl(struct vmx_vcpu *x)
{
    /* The lowest primary control bit this CPU does not allow to be 1; if
     * it allows every bit, clear the lowest bit it requires. */
    uint64_t allowed = vmx_cpu.caps.ctl[VMX_CTL_PROC];
    uint32_t no = ~vmx_ctl_may_be_one(allowed), must = vmx_ctl_must_be_one(allowed);
    if (no)
        x->ctl[VMX_CTL_PROC] |= 1u << __builtin_ctz(no);
    else if (must)
        x->ctl[VMX_CTL_PROC] &= ~(1u << __builtin_ctz(must));
    x->proc_now = x->ctl[VMX_CTL_PROC];
    vmcs_write(VMCS_PROC_CONTROLS, x->proc_now);
}
static void brk_host_pae(struct vmx_vcpu *x) { (void)x; set_bits(VMCS_HOST_CR4, 0, CR4_PAE); }
static void brk_host_rip(struct vmx_vcpu *x) { (void)x; vmcs_write(VMCS_HOST_RIP, 0x0000800000000000ull); }
static void brk_host_tr(struct vmx_vcpu *x) { (void)x; vmcs_write(VMCS_HOST_TR_SEL, 0); }

const struct vmx_break vmx_breaks[] = {
    { "tr", "guest TR is an available TSS (type 9), not a busy one", "guest-tr-type", false, brk_tr },
    { "tr-unusable", "guest TR marked unusable", "guest-tr-unusable", false, brk_tr_unusable },
    { "pg-no-pe", "guest CR0.PG = 1 with CR0.PE = 0", "guest-cr0-pg-pe", false, brk_pg_no_pe },
    { "vmxe", "guest CR4.VMXE = 0", "guest-cr4-fixed", false, brk_vmxe },
    { "cs-l-d", "64-bit guest CS with L = 1 and D = 1", "guest-cs-l-d", true, brk_cs_l_d },
    { "cs-type", "guest CS is a data segment", "guest-cs-type", false, brk_cs_type },
    { "ss-dpl", "guest SS.DPL = 3 with an RPL-0 selector", "guest-ss-dpl", false, brk_ss_dpl },
    { "ldtr-ti", "guest LDTR usable with TI = 1", "guest-ldtr-ti", false, brk_ldtr_ti },
    { "rflags", "guest RFLAGS bit 1 = 0", "guest-rflags-bit1", false, brk_rflags },
    { "efer-lma", "IA-32e mode guest with EFER.LMA = 0", "guest-efer-lma", true, brk_efer_lma },
    { "link", "VMCS link pointer 0 instead of ~0", "guest-vmcs-link", false, brk_link },
    { "activity", "guest activity state 7", "guest-activity", false, brk_activity },
    { "sti-if", "blocking by STI with RFLAGS.IF = 0", "guest-intr-sti-if", false, brk_sti_if },
    { "cr3-width", "guest CR3 with a bit at MAXPHYADDR", "guest-cr3-width", false, brk_cr3_width },
    { "gdtr-limit", "guest GDTR limit 10000H", "guest-gdtr-limit", false, brk_gdtr_limit },
    { "inject", "injecting a hardware exception with vector 32", "ctl-entry-intr-vector", false, brk_inject },
    { "ctl", "a primary processor-based control outside its allowed settings", "ctl-proc-allowed", false,
      brk_ctl },
    { "host-pae", "host CR4.PAE = 0 with a 64-bit host", "host-cr4-pae", false, brk_host_pae },
    { "host-rip", "non-canonical host RIP", "host-rip-canonical", false, brk_host_rip },
    { "host-tr", "host TR selector 0", "host-tr-null", false, brk_host_tr },
};

const unsigned vmx_break_count = sizeof vmx_breaks / sizeof vmx_breaks[0];

bool vmx_break_apply(struct vmx_vcpu *x, const char *name)
{
    for (unsigned i = 0; i < vmx_break_count; i++) {
        if (strcmp(vmx_breaks[i].name, name) == 0) {
            vmx_vmcs_load(x);
            vmx_breaks[i].apply(x);
            return true;
        }
    }
    return false;
}
