/**
 * @file vmx_enable.c
 * @brief Entering VMX root operation: IA32_FEATURE_CONTROL, the CR0/CR4
 *        fixed bits, CR4.VMXE, the VMXON region, VMXON.
 *
 * SDM Vol. 3C §24.7 "Enabling and Entering VMX Operation" and §24.8
 * "Restrictions on VMX Operation":
 *  - VMXON #GPs unless IA32_FEATURE_CONTROL is locked with bit 2 set;
 *  - in VMX operation CR0 and CR4 must keep the bits IA32_VMX_CR0_FIXED0 /
 *    CR4_FIXED0 report as 1 set and those FIXED1 reports as 0 clear
 *    (Appendix A.7/A.8); CR4.VMXE is among the CR4 fixed-1 bits, and on
 *    every CPU so far CR0.PE, CR0.NE and CR0.PG are among the CR0 ones;
 *  - the VMXON region is a 4-KByte aligned page whose first 31 bits hold
 *    the VMCS revision identifier of IA32_VMX_BASIC (§25.11.5).
 */
#include "vmx/vmx.h"

#include "spectrum/console.h"
#include "spectrum/fmt.h"
#include "spectrum/mem.h"
#include "spectrum/x86.h"
#include "vmx/vmx_controls.h"
#include "vmx/vmx_exit_info.h"
#include "vmx/vmx_insn.h"

/* Make IA32_FEATURE_CONTROL allow VMXON outside SMX; false if it cannot. */
static bool feature_control_ok(char *why, size_t why_len)
{
    uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
    if (!(fc & FEATURE_CONTROL_LOCK)) {
        /* Firmware left it open: enable VMX outside SMX and lock, as
         * firmware would (the lock stays until the next reset). */
        wrmsr(MSR_IA32_FEATURE_CONTROL, fc | FEATURE_CONTROL_VMX | FEATURE_CONTROL_LOCK);
        kprintf("vmx: IA32_FEATURE_CONTROL was unlocked (%#lx): set bit 2 (VMX outside SMX) and locked it\n",
                (unsigned long)fc);
        fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
    }
    if ((fc & (FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX)) != (FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX)) {
        fmt_snprintf(why, why_len, "IA32_FEATURE_CONTROL = %#lx: VMXON outside SMX is not allowed",
                     (unsigned long)fc);
        return false;
    }
    return true;
}

bool vmx_enable(char *why, size_t why_len)
{
    if (vmx_cpu.enabled)
        return true;
    if (!vmx_cpu.probed && !vmx_probe(why, why_len))
        return false;
    if (!feature_control_ok(why, why_len))
        return false;
    const struct vmx_caps *c = &vmx_cpu.caps;

    uint64_t cr0 = read_cr0(), cr0_vmx = vmx_fixed_apply(cr0, c->cr0_fixed0, c->cr0_fixed1);
    if ((cr0 ^ cr0_vmx) & (CR0_PE | CR0_PG)) {
        fmt_snprintf(why, why_len, "the CR0 fixed bits (%#lx/%#lx) would change CR0.PE/PG (CR0 %#lx)",
                     (unsigned long)c->cr0_fixed0, (unsigned long)c->cr0_fixed1, (unsigned long)cr0);
        return false;
    }
    uint64_t cr4 = read_cr4();
    uint64_t cr4_vmx = vmx_fixed_apply(cr4 | CR4_VMXE, c->cr4_fixed0, c->cr4_fixed1);
    if ((cr4 ^ cr4_vmx) & ~(CR4_VMXE | c->cr4_fixed0)) {
        fmt_snprintf(why, why_len, "the CR4 fixed bits (%#lx/%#lx) would clear bits Spectrum uses (CR4 %#lx)",
                     (unsigned long)c->cr4_fixed0, (unsigned long)c->cr4_fixed1, (unsigned long)cr4);
        return false;
    }
    if (cr0_vmx != cr0)
        write_cr0(cr0_vmx);
    write_cr4(cr4_vmx);

    uint32_t *region = page_alloc(1, 1);
    region[0] = vmx_cpu.revision;          /* bit 31 must be 0 */
    int st = vmx_vmxon(virt_to_phys(region));
    if (st != VMX_OK) {
        write_cr4(cr4);
        write_cr0(cr0);
        page_free(region, 1);
        if (st == VMX_FAIL_VALID)
            fmt_snprintf(why, why_len, "VMXON failed: VMfailValid, VM-instruction error 15 (%s)",
                         vmx_insn_error_name(15));
        else
            fmt_snprintf(why, why_len,
                         "VMXON failed: VMfailInvalid (bad region address or revision %#x, or CR0/CR4/"
                         "IA32_FEATURE_CONTROL refuse VMX; SDM Vol. 3C §31.3 VMXON)", vmx_cpu.revision);
        return false;
    }
    vmx_cpu.vmxon_region = region;
    vmx_cpu.enabled = true;
    kprintf("vmx: VMXON done: region %#lx, CR0 %#lx -> %#lx, CR4 %#lx -> %#lx\n",
            (unsigned long)virt_to_phys(region), (unsigned long)cr0, (unsigned long)cr0_vmx, (unsigned long)cr4,
            (unsigned long)cr4_vmx);
    return true;
}
