/**
 * @file svm_ctl.c
 * @brief Control registers and EFER of an SVM guest, in its VMCB.
 *
 * SVM keeps the guest's CR0/CR2/CR3/CR4/EFER in the state save area and
 * has no read shadows: a guest reads its registers directly (reads are not
 * intercepted), so CTL_CR0_SHADOW/CTL_CR4_SHADOW read CR0/CR4, and setting
 * them changes nothing.  The one hypervisor-owned bit is EFER.SVME, which
 * VMRUN requires in the guest's EFER (APM Vol. 2 §15.5.1); set_ctl adds it
 * and the MSR handler hides it.
 *
 * Writes keep what the CPU would keep by itself when the guest executes
 * MOV CR0 / WRMSR EFER (APM Vol. 2 §14.6 "Long-mode activation"):
 * EFER.LMA = EFER.LME && CR0.PG.  A write that changes CR0 or CR4, and
 * any write to CR3, flushes this ASID's TLB at the next VMRUN: the guest's
 * instruction was emulated, not executed, so the CPU did not flush for it.
 *
 * The MSR-like state (APM Vol. 2 Appendix B, Table B-2) lives in the VMCB
 * too: DR6/DR7 and the FS/GS bases, which VMRUN and #VMEXIT switch, and
 * STAR/LSTAR/CSTAR/SFMASK, KernelGSBase and the SYSENTER MSRs, which
 * svm_run.S moves with VMLOAD/VMSAVE (§15.5.2) - so reading the VMCB after
 * an exit gives the guest's current values.  G_PAT is the guest's PAT; the
 * CPU applies it only with nested paging (§15.25.8, lesson 03): until
 * then the host's PAT governs memory types, and G_PAT only remembers what
 * the guest wrote.
 */
#include "svm/svm.h"
#include "spectrum/x86_bits.h"

#define HIGH32   0xffffffff00000000ull

uint64_t svm_get_ctl(struct vcpu *v, enum vcpu_ctl which)
{
    const struct vmcb_save *s = &svm_of(v)->vmcb->save;
    switch (which) {
    case CTL_CR0:
    case CTL_CR0_SHADOW:
        return s->cr0;
    case CTL_CR2:
        return s->cr2;
    case CTL_CR3:
        return s->cr3;
    case CTL_CR4:
    case CTL_CR4_SHADOW:
        return s->cr4;
    case CTL_EFER:
        return s->efer;
    case CTL_DR6: return s->dr6;
    case CTL_DR7: return s->dr7;
    case CTL_SYSENTER_CS: return s->sysenter_cs;
    case CTL_SYSENTER_ESP: return s->sysenter_esp;
    case CTL_SYSENTER_EIP: return s->sysenter_eip;
    case CTL_STAR: return s->star;
    case CTL_LSTAR: return s->lstar;
    case CTL_CSTAR: return s->cstar;
    case CTL_SFMASK: return s->sfmask;
    case CTL_FS_BASE: return s->fs.base;
    case CTL_GS_BASE: return s->gs.base;
    case CTL_KERNEL_GS_BASE: return s->kernel_gs_base;
    case CTL_PAT: return s->g_pat;
    case CTL_CS_BASE: return s->cs.base;
    case CTL_SS_BASE: return s->ss.base;
    case CTL_DS_BASE: return s->ds.base;
    case CTL_ES_BASE: return s->es.base;
    case CTL_CPL: return s->cpl;
    default:
        return 0;
    }
}

static uint64_t lma_for(uint64_t efer, uint64_t cr0)
{
    return (efer & EFER_LME) && (cr0 & CR0_PG) ? EFER_LMA : 0;
}

bool svm_set_ctl(struct vcpu *v, enum vcpu_ctl which, uint64_t value)
{
    struct svm_vcpu *sv = svm_of(v);
    struct vmcb_save *s = &sv->vmcb->save;
    const struct svm_check_env *env = &svm_cpu.env;
    switch (which) {
    case CTL_CR0:
        /* What VMRUN would refuse (svm_check.c rules cr0-high, cr0-cd-nw). */
        if ((value & HIGH32) || ((value & CR0_NW) && !(value & CR0_CD)) || ((value & CR0_PG) && !(value & CR0_PE)))
            return false;
        sv->flush_tlb |= value != s->cr0;
        s->cr0 = value;
        s->efer = (s->efer & ~EFER_LMA) | lma_for(s->efer, value);
        return true;
    case CTL_CR2:
        s->cr2 = value;
        return true;
    case CTL_CR3:
        if (env->phys_addr_bits < 64 && (value & (~0ull << env->phys_addr_bits)))
            return false;
        s->cr3 = value;
        sv->flush_tlb = true;
        return true;
    case CTL_CR4:
        if (value & ~env->cr4_valid)
            return false;
        sv->flush_tlb |= value != s->cr4;
        s->cr4 = value;
        return true;
    case CTL_EFER:
        value = (value | EFER_SVME) & ~EFER_LMA;
        if (value & ~env->efer_valid)
            return false;
        s->efer = value | lma_for(value, s->cr0);
        return true;
    case CTL_CR0_SHADOW:
    case CTL_CR4_SHADOW:
        return true;    /* no read shadows on SVM */
    case CTL_DR6:
    case CTL_DR7:
        /* VMRUN refuses DR6/DR7 with bits 63:32 set (svm_check.c). */
        if (value >> 32)
            return false;
        *(which == CTL_DR6 ? &s->dr6 : &s->dr7) = value;
        return true;
    case CTL_SYSENTER_CS: s->sysenter_cs = value; return true;
    case CTL_SYSENTER_ESP: s->sysenter_esp = value; return true;
    case CTL_SYSENTER_EIP: s->sysenter_eip = value; return true;
    case CTL_STAR: s->star = value; return true;
    case CTL_LSTAR: s->lstar = value; return true;
    case CTL_CSTAR: s->cstar = value; return true;
    case CTL_SFMASK: s->sfmask = value; return true;
    case CTL_FS_BASE: s->fs.base = value; return true;
    case CTL_GS_BASE: s->gs.base = value; return true;
    case CTL_KERNEL_GS_BASE: s->kernel_gs_base = value; return true;
    case CTL_PAT: s->g_pat = value; return true;
    default:
        return false;
    }
}
