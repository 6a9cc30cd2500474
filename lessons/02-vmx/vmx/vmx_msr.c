/**
 * @file vmx_msr.c
 * @brief The guest MSRs no VMCS field holds: STAR, LSTAR, CSTAR, SFMASK
 *        (SYSCALL) and KernelGSBase (SWAPGS).
 *
 * VM entry and exit switch the SYSENTER MSRs, FS/GS bases, EFER, PAT and
 * DEBUGCTL through VMCS fields, but not these five (SDM Vol. 3C §27.3.2,
 * §28.5.1).  Spectrum never uses SYSCALL or SWAPGS itself, so instead of
 * MSR-load areas on every entry and exit (§25.7.2, §25.8.2) the CPU simply
 * keeps the running vCPU's values: vmx_msr_load() writes them before an
 * entry when another vCPU's are in the CPU, saving those first.  While a
 * vCPU owns the CPU's copies they are the truth - the guest's SWAPGS
 * changes KernelGSBase without an exit - so reads and writes go to the
 * MSRs themselves; otherwise to the vCPU's saved copy.  A new vCPU starts
 * with zeros (their reset value, SDM Vol. 4 Table 2-2), so nothing leaks
 * from one VM to the next.
 */
#include "vmx/vmx.h"

#include "spectrum/x86.h"
#include "spectrum/x86_bits.h"

static const uint32_t syscall_msr_index[VMX_SYSCALL_MSRS] = {
    MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK, MSR_KERNEL_GS_BASE,
};

void vmx_msr_load(struct vmx_vcpu *x)
{
    struct vmx_vcpu *old = vmx_cpu.msr_owner;
    if (old == x)
        return;
    for (unsigned i = 0; i < VMX_SYSCALL_MSRS; i++) {
        if (old)
            old->syscall_msr[i] = rdmsr(syscall_msr_index[i]);
        wrmsr(syscall_msr_index[i], x->syscall_msr[i]);
    }
    vmx_cpu.msr_owner = x;
}

void vmx_msr_release(struct vmx_vcpu *x)
{
    if (vmx_cpu.msr_owner != x)
        return;
    /* Leave nothing of the guest in the CPU. */
    for (unsigned i = 0; i < VMX_SYSCALL_MSRS; i++)
        wrmsr(syscall_msr_index[i], 0);
    vmx_cpu.msr_owner = 0;
}

uint64_t vmx_msr_get(struct vmx_vcpu *x, unsigned i)
{
    return vmx_cpu.msr_owner == x ? rdmsr(syscall_msr_index[i]) : x->syscall_msr[i];
}

void vmx_msr_set(struct vmx_vcpu *x, unsigned i, uint64_t value)
{
    x->syscall_msr[i] = value;
    if (vmx_cpu.msr_owner == x)
        wrmsr(syscall_msr_index[i], value);
}
