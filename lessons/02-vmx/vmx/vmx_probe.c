/**
 * @file vmx_probe.c
 * @brief Does this CPU support what Spectrum needs from VT-x?
 *
 * Three layers must agree (SDM Vol. 3C §24.6 "Discovering Support for
 * VMX", §24.7 "Enabling and Entering VMX Operation", Appendix A):
 *  1. CPUID.1:ECX.VMX[bit 5] = 1: the CPU implements VMX;
 *  2. IA32_FEATURE_CONTROL: once its lock bit (0) is set, VMXON outside
 *     SMX works only if bit 2 is set too.  Firmware locks it; if it is
 *     still unlocked, vmx_enable() sets bit 2 and locks it;
 *  3. the capability MSRs: the VMCS revision, a region that fits a page,
 *     write-back memory, and every control bit Spectrum wants.
 * On failure @p why says exactly which of these is missing.
 */
#include "vmx/vmx.h"

#include "spectrum/console.h"
#include "spectrum/fmt.h"
#include "spectrum/pmm.h"
#include "spectrum/x86.h"
#include "vmx/vmx_controls.h"

struct vmx_cpu vmx_cpu;

bool vmx_probe(char *why, size_t why_len)
{
    if (!(cpuid(1, 0).ecx & (1u << 5))) {
        fmt_snprintf(why, why_len, "CPUID.1:ECX.VMX[bit 5] = 0: this CPU has no VT-x");
        return false;
    }
    uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
    if ((fc & FEATURE_CONTROL_LOCK) && !(fc & FEATURE_CONTROL_VMX)) {
        fmt_snprintf(why, why_len,
                     "IA32_FEATURE_CONTROL = %#lx is locked with bit 2 (VMX outside SMX) clear: "
                     "the firmware disabled VT-x", (unsigned long)fc);
        return false;
    }

    struct vmx_caps *c = &vmx_cpu.caps;
    vmx_caps_read(c);
    uint32_t revision = (uint32_t)(c->basic & VMX_BASIC_REVISION_MASK);
    unsigned size = (unsigned)((c->basic >> VMX_BASIC_SIZE_SHIFT) & VMX_BASIC_SIZE_MASK);
    unsigned memtype = (unsigned)((c->basic >> VMX_BASIC_MEMTYPE_SHIFT) & 0xf);
    if (size == 0 || size > PAGE_SIZE) {
        fmt_snprintf(why, why_len, "IA32_VMX_BASIC[44:32] says VMCS regions of %u bytes; Spectrum uses one page",
                     size);
        return false;
    }
    if (memtype != VMX_BASIC_MEMTYPE_WB) {
        fmt_snprintf(why, why_len,
                     "IA32_VMX_BASIC[53:50] = %u: the VMCS must be uncached, Spectrum maps it write-back", memtype);
        return false;
    }
    /* IA32_VMX_BASIC[48] (regions below 4 GiB) needs no check: page_alloc()
     * only hands out memory below MEM_LIMIT = 4 GiB (spectrum/mem.h). */
    /* The host keeps paging and protection on: FIXED1 must allow them. */
    if (read_cr0() & ~c->cr0_fixed1) {
        fmt_snprintf(why, why_len, "host CR0 %#lx has bits IA32_VMX_CR0_FIXED1 (%#lx) forbids in VMX operation",
                     (unsigned long)read_cr0(), (unsigned long)c->cr0_fixed1);
        return false;
    }
    if (!(c->cr4_fixed1 & CR4_VMXE)) {
        fmt_snprintf(why, why_len, "IA32_VMX_CR4_FIXED1 = %#lx does not allow CR4.VMXE", (unsigned long)c->cr4_fixed1);
        return false;
    }
    uint32_t out[VMX_CTL_KINDS];
    const enum vcpu_mode modes[] = { VCPU_MODE_PROT32_PAGED, VCPU_MODE_LONG64 };
    for (unsigned i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (!vmx_controls_choose(c, modes[i], out, why, why_len))
            return false;

    vmx_cpu.revision = revision;
    vmx_cpu.probed = true;
    kprintf("vmx: VMCS revision %#x, %u-byte regions, write-back, %s controls, %u CR3 targets, "
            "MAXPHYADDR %u\n", revision, size, (c->basic & VMX_BASIC_TRUE_CTLS) ? "TRUE_" : "default1",
            vmx_caps_cr3_targets(c), c->phys_addr_bits);
    kprintf("vmx: time slices by %s, guest PAT %s\n",
            (out[VMX_CTL_PIN] & PIN_PREEMPTION_TIMER) ? "the VMX-preemption timer" : "the host timer (no preemption timer)",
            (out[VMX_CTL_ENTRY] & ENTRY_LOAD_PAT) ? "switched by VM entry/exit" : "kept in software (not all three PAT controls)");
    return true;
}
