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
    default:
        return false;
    }
}
