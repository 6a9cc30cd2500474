/**
 * @file kvm_cpuid.c
 * @brief CPUID in pvhvm mode: the hypervisor leaves say "KVM", so an
 *        unmodified Linux turns its KVM guest support on.
 *
 * Lesson 02 answers the hypervisor range 0x40000000-0x4FFFFFFF with
 * Spectrum's own signature "SpectrumHV" at 0x40000000 and zeros above
 * (vcpu/handlers_cpuid.c); no OS knows that name, so Linux treats the
 * machine as bare metal ("Booting paravirtualized kernel on bare
 * hardware").  In pvhvm mode (pv/pv_mode.h) this adjustment, applied after
 * lesson 02's, answers as KVM does (Documentation/virt/kvm/x86/cpuid.rst):
 *  - 0x40000000: EAX = 0x40000001, the highest KVM leaf; EBX, ECX, EDX =
 *    "KVMKVMKVM\0\0\0".  Linux looks for that signature at 0x40000000,
 *    0x40000100, ... (hypervisor_cpuid_base()), only when CPUID.1:ECX[31]
 *    says a hypervisor is there (lesson 02 sets it);
 *  - 0x40000001: EAX = exactly the features Spectrum implements
 *    (SPECTRUM_KVM_FEATURES, kvm_para.h), EDX = 0 (no hints: no
 *    KVM_HINTS_REALTIME, the vCPU is one task of a host that may preempt
 *    it), EBX = ECX = 0.
 * A guest that sees a feature bit uses the feature without asking again,
 * so a bit here for a feature Spectrum lacks is a guest crash later: the
 * MSRs behind these bits are pvhvm/kvmclock.c and pvhvm/pv_eoi_dev.c, and
 * they #GP in every other mode, as on a CPU without them.
 * And in pvhvm mode the invariant-TSC bit, CPUID.80000007H:EDX[8] (SDM
 * Vol. 2A CPUID; Linux's nonstop_tsc), is hidden, as QEMU/KVM hides it
 * unless asked (it would pin the VM to hosts with the same TSC rate).
 * Linux's kvmclock.c lowers kvm-clock's rating below the TSC's when the
 * TSC is constant and non-stop, so with the bit (Bochs's CPUs have it)
 * Linux would register kvm-clock and keep the TSC; without it, the guest
 * tells time by the hypervisor's clock - the point of PVHVM.
 * In the modes hvm and hvm+pv nothing changes: "SpectrumHV".
 */
#include "pv/pv_mode.h"
#include "pvhvm/kvm_para.h"
#include "spectrum/x86.h"
#include "vcpu/handler_ext.h"

#define CPUID_APM_INFO               0x80000007u  /**< advanced power management information */
#define CPUID_APM_EDX_INVARIANT_TSC  (1u << 8)     /**< the TSC runs at a constant rate in every state */

static void kvm_cpuid_adjust(struct vcpu *v, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
    (void)subleaf;
    if (leaf != KVM_CPUID_SIGNATURE && leaf != KVM_CPUID_FEATURES && leaf != CPUID_APM_INFO)
        return;
    if (!pv_mode_has(v->vm, PV_MODE_PVHVM))
        return;
    if (leaf == CPUID_APM_INFO)
        r->edx &= ~CPUID_APM_EDX_INVARIANT_TSC;
    else if (leaf == KVM_CPUID_SIGNATURE)
        *r = (struct cpuid_regs){ KVM_CPUID_FEATURES, KVM_SIG_EBX, KVM_SIG_ECX, KVM_SIG_EDX };
    else
        *r = (struct cpuid_regs){ SPECTRUM_KVM_FEATURES, 0, 0, 0 };
}

REGISTER_CPUID_ADJUST(kvm, kvm_cpuid_adjust);
