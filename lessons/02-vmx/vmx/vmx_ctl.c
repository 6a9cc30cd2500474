/**
 * @file vmx_ctl.c
 * @brief Control registers and EFER of a VMX guest (ops->get_ctl/set_ctl).
 *
 * Where they live: CR0, CR3, CR4 and IA32_EFER in the guest-state area;
 * CR2 nowhere (VM entries and exits do not switch it: vmx_run.c swaps it
 * by hand); what the guest *reads* from CR0/CR4 is, bit by bit, the read
 * shadow where the guest/host mask is 1 and the real register where it is
 * 0 (SDM Vol. 3C §25.6.6).
 *
 * set_ctl(CTL_CR0 / CTL_CR4, value) takes what the guest wrote (vcpu.h):
 * the read shadow becomes that value and the real register that value
 * with the VMX fixed bits applied (IA32_VMX_CR0/CR4_FIXED0/1) and CR4.VMXE
 * set.  Refused (false): a fixed bit that cannot be faked - CR0.PE or PG
 * cleared (no unrestricted guest without EPT), a bit FIXED1 forbids, or
 * CR4.VMXE (Spectrum offers no nested VMX).  set_ctl(CTL_EFER) keeps
 * EFER.LMA = LME && CR0.PG and the "IA-32e mode guest" entry control equal
 * to LMA, as VM entry requires (§27.3.1.1); changing LME while paging is
 * on is refused, as WRMSR would #GP (SDM Vol. 3A §10.8.5).
 *
 * The MSR-like state: DR7, the SYSENTER MSRs and the FS/GS bases are VMCS
 * guest fields; PAT is one too when the CPU has "load IA32_PAT", else a
 * copy in struct vmx_vcpu that is never applied (the host's PAT stays in
 * force, which only affects caching); the SYSCALL MSRs and KernelGSBase
 * live in the CPU while the vCPU runs (vmx_msr.c); DR6 is not switched by
 * VMX at all (§27.3.2), and Spectrum never uses it, so the guest's DR6 is
 * simply the CPU's.
 */
#include "vmx/vmx.h"

#include "spectrum/x86.h"
#include "vcpu/rip.h"
#include "vmx/vmcs_fields.h"
#include "vmx/vmx_controls.h"

/* IA32_EFER bits a guest may hold (SDM Vol. 4 Table 2-2). */
#define EFER_GUEST_BITS (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)

/* The value the guest sees: shadow bits where the mask owns them. */
static uint64_t guest_view(uint32_t real_f, uint32_t mask_f, uint32_t shadow_f)
{
    uint64_t mask = vmcs_read(mask_f);
    return (vmcs_read(real_f) & ~mask) | (vmcs_read(shadow_f) & mask);
}

/* Index of @p which among the MSRs vmx_msr.c keeps, or -1. */
static int syscall_msr_slot(enum vcpu_ctl which)
{
    switch (which) {
    case CTL_STAR: return 0;
    case CTL_LSTAR: return 1;
    case CTL_CSTAR: return 2;
    case CTL_SFMASK: return 3;
    case CTL_KERNEL_GS_BASE: return 4;
    default: return -1;
    }
}

unsigned vmx_code_bits(struct vcpu *v)
{
    struct vmx_vcpu *x = vmx_of(v);
    vmx_vmcs_load(x);
    uint32_t ar = (uint32_t)vmcs_read(VMCS_GUEST_CS_AR);
    return vcpu_code_bits(vmcs_read(VMCS_GUEST_CR0) & CR0_PE, vmcs_read(VMCS_GUEST_EFER) & EFER_LMA,
                          ar & VMX_AR_L, ar & VMX_AR_DB);
}

uint64_t vmx_get_ctl(struct vcpu *v, enum vcpu_ctl which)
{
    struct vmx_vcpu *x = vmx_of(v);
    vmx_vmcs_load(x);
    switch (which) {
    case CTL_CR0: return vmcs_read(VMCS_GUEST_CR0);
    case CTL_CR2: return x->guest_cr2;
    case CTL_CR3: return vmcs_read(VMCS_GUEST_CR3);
    case CTL_CR4: return vmcs_read(VMCS_GUEST_CR4);
    case CTL_EFER: return vmcs_read(VMCS_GUEST_EFER);
    case CTL_CR0_SHADOW: return guest_view(VMCS_GUEST_CR0, VMCS_CR0_GUEST_HOST_MASK, VMCS_CR0_READ_SHADOW);
    case CTL_CR4_SHADOW: return guest_view(VMCS_GUEST_CR4, VMCS_CR4_GUEST_HOST_MASK, VMCS_CR4_READ_SHADOW);
    case CTL_DR6: return read_dr6();
    case CTL_DR7: return vmcs_read(VMCS_GUEST_DR7);
    case CTL_SYSENTER_CS: return vmcs_read(VMCS_GUEST_SYSENTER_CS);
    case CTL_SYSENTER_ESP: return vmcs_read(VMCS_GUEST_SYSENTER_ESP);
    case CTL_SYSENTER_EIP: return vmcs_read(VMCS_GUEST_SYSENTER_EIP);
    case CTL_FS_BASE: return vmcs_read(VMCS_GUEST_FS_BASE);
    case CTL_GS_BASE: return vmcs_read(VMCS_GUEST_GS_BASE);
    case CTL_PAT: return (x->ctl[VMX_CTL_ENTRY] & ENTRY_LOAD_PAT) ? vmcs_read(VMCS_GUEST_PAT) : x->pat;
    case CTL_CS_BASE: return vmcs_read(VMCS_GUEST_CS_BASE);
    case CTL_SS_BASE: return vmcs_read(VMCS_GUEST_SS_BASE);
    case CTL_DS_BASE: return vmcs_read(VMCS_GUEST_DS_BASE);
    case CTL_ES_BASE: return vmcs_read(VMCS_GUEST_ES_BASE);
    case CTL_CPL: return (vmcs_read(VMCS_GUEST_SS_AR) >> 5) & 3;   /* SS.DPL is the CPL (§25.4.1) */
    default: {
        int slot = syscall_msr_slot(which);
        return slot >= 0 ? vmx_msr_get(x, (unsigned)slot) : 0;
    }
    }
}

/* EFER.LMA and the "IA-32e mode guest" entry control follow LME && PG. */
static void set_efer_mode(struct vmx_vcpu *x, uint64_t efer, uint64_t cr0)
{
    bool lma = (efer & EFER_LME) && (cr0 & CR0_PG);
    efer = (efer & ~EFER_LMA) | (lma ? EFER_LMA : 0);
    vmcs_write(VMCS_GUEST_EFER, efer);
    uint32_t entry = x->ctl[VMX_CTL_ENTRY];
    entry = lma ? entry | ENTRY_IA32E_GUEST : entry & ~ENTRY_IA32E_GUEST;
    if (entry != x->ctl[VMX_CTL_ENTRY]) {
        x->ctl[VMX_CTL_ENTRY] = entry;
        vmcs_write(VMCS_ENTRY_CONTROLS, entry);
    }
}

static bool set_cr0(struct vmx_vcpu *x, uint64_t value)
{
    const struct vmx_caps *c = &vmx_cpu.caps;
    uint64_t fixed0 = c->cr0_fixed0;
    /* With "unrestricted guest" (set up by a nested attach, lesson 03) PE
     * and PG may be 0 (SDM Vol. 3C §24.8 / Appendix A.7); PG without PE
     * stays a #GP as on bare metal (Vol. 3A §2.5). */
    if (x->vcpu.guest_owns_paging) {
        fixed0 &= ~(uint64_t)(CR0_PE | CR0_PG);
        if ((value & CR0_PG) && !(value & CR0_PE))
            return false;
    }
    if ((value & ~c->cr0_fixed1) || (fixed0 & (CR0_PE | CR0_PG) & ~value))
        return false;
    vmcs_write(VMCS_GUEST_CR0, vmx_fixed_apply(value, fixed0, c->cr0_fixed1));
    vmcs_write(VMCS_CR0_READ_SHADOW, value);
    set_efer_mode(x, vmcs_read(VMCS_GUEST_EFER), value);
    return true;
}

static bool set_cr4(uint64_t value)
{
    const struct vmx_caps *c = &vmx_cpu.caps;
    if ((value & ~c->cr4_fixed1) || (value & CR4_VMXE))
        return false;
    vmcs_write(VMCS_GUEST_CR4, vmx_fixed_apply(value | CR4_VMXE, c->cr4_fixed0, c->cr4_fixed1));
    vmcs_write(VMCS_CR4_READ_SHADOW, value);
    return true;
}

static bool set_efer(struct vmx_vcpu *x, uint64_t value)
{
    uint64_t nx = (cpuid(0x80000000, 0).eax >= 0x80000001 && (cpuid(0x80000001, 0).edx & (1u << 20)))
                      ? EFER_NXE : 0;   /* CPUID.80000001H:EDX.NX[bit 20] */
    uint64_t allowed = (EFER_GUEST_BITS & ~EFER_NXE) | nx;
    uint64_t old = vmcs_read(VMCS_GUEST_EFER), cr0 = vmcs_read(VMCS_GUEST_CR0);
    if ((value & ~allowed) || (((value ^ old) & EFER_LME) && (cr0 & CR0_PG)))
        return false;
    set_efer_mode(x, value, cr0);
    return true;
}

bool vmx_set_ctl(struct vcpu *v, enum vcpu_ctl which, uint64_t value)
{
    struct vmx_vcpu *x = vmx_of(v);
    vmx_vmcs_load(x);
    switch (which) {
    case CTL_CR0: return set_cr0(x, value);
    case CTL_CR2: x->guest_cr2 = value; return true;
    case CTL_CR3:
        if (vmx_cpu.caps.phys_addr_bits < 64 && (value >> vmx_cpu.caps.phys_addr_bits))
            return false;
        vmcs_write(VMCS_GUEST_CR3, value);
        return true;
    case CTL_CR4: return set_cr4(value);
    case CTL_EFER: return set_efer(x, value);
    case CTL_CR0_SHADOW: vmcs_write(VMCS_CR0_READ_SHADOW, value); return true;
    case CTL_CR4_SHADOW: vmcs_write(VMCS_CR4_READ_SHADOW, value); return true;
    case CTL_DR6: write_dr6(value); return true;
    case CTL_DR7:
        if (value >> 32)          /* VM entry refuses it (§27.3.1.1) */
            return false;
        vmcs_write(VMCS_GUEST_DR7, value);
        return true;
    case CTL_SYSENTER_CS: vmcs_write(VMCS_GUEST_SYSENTER_CS, value); return true;
    case CTL_SYSENTER_ESP: vmcs_write(VMCS_GUEST_SYSENTER_ESP, value); return true;
    case CTL_SYSENTER_EIP: vmcs_write(VMCS_GUEST_SYSENTER_EIP, value); return true;
    case CTL_FS_BASE: vmcs_write(VMCS_GUEST_FS_BASE, value); return true;
    case CTL_GS_BASE: vmcs_write(VMCS_GUEST_GS_BASE, value); return true;
    case CTL_PAT:
        if (x->ctl[VMX_CTL_ENTRY] & ENTRY_LOAD_PAT)
            vmcs_write(VMCS_GUEST_PAT, value);
        else
            x->pat = value;
        return true;
    default: {
        int slot = syscall_msr_slot(which);
        if (slot < 0)
            return false;
        vmx_msr_set(x, (unsigned)slot, value);
        return true;
    }
    }
}
