/**
 * @file handlers_cpuid.c
 * @brief CPUID exits: the host's answers, edited to describe the virtual
 *        machine Spectrum actually provides.
 *
 * CPUID always exits under both vendors (VMX: unconditionally, SDM Vol. 3C
 * §26.1.2; SVM: Spectrum sets the CPUID intercept).  The guest sees the
 * host's values except:
 *  - CPUID.1:ECX[31] "hypervisor present" is set: the bit reserved for
 *    hypervisors (Linux Documentation/virt/kvm/x86/cpuid.rst, and every
 *    hypervisor's guest detection) - guests may then look at 0x40000000;
 *  - VMX (CPUID.1:ECX[5]) and SVM (CPUID.80000001h:ECX[2]) are hidden, and
 *    leaf 8000_000Ah (SVM features) reads as zeros: Spectrum does not
 *    virtualize virtualization;
 *  - the local APIC (CPUID.1:EDX[9], 80000001h:EDX[9]) and x2APIC
 *    (1:ECX[21]) are hidden: lesson 02 emulates the 8259 PIC, not an APIC;
 *  - MONITOR/MWAIT (1:ECX[3]) and AMD's MONITORX/MWAITX (80000001h:ECX[29],
 *    APM Vol. 3 Appendix E.4.2) are hidden: the instructions raise #UD
 *    (handlers_mwait.c; the SVM MONITOR and MWAIT intercepts also catch
 *    the X forms), a guest idles with HLT.  Linux uses MWAITX for udelay()
 *    whenever the bit is set (arch/x86/lib/delay.c), so a visible bit with
 *    #UD behind it kills the boot;
 *  - XSAVE/OSXSAVE (1:ECX[26,27]) and PCID (1:ECX[17]) are hidden: XCR0 is
 *    not switched between host and guest, and CR4.PCIDE is not among the
 *    CR4 bits the CR handler lets a guest set;
 *  - the hypervisor range: leaf 0x40000000 returns EAX = 0x40000000 (the
 *    highest hypervisor leaf) and the signature "SpectrumHV\0\0" in
 *    EBX, ECX, EDX ("Spec" "trum" "HV\0\0" as little-endian dwords, the
 *    convention of KVM's "KVMKVMKVM\0\0\0" and Xen's "XenVMMXenVMM");
 *    leaves 0x40000001-0x4FFFFFFF read as zeros.
 */
#include "spectrum/x86.h"
#include "vcpu/exit.h"
#include "vcpu/handler_ext.h"

#define CPUID_1_ECX_MONITOR    (1u << 3)
#define CPUID_1_ECX_VMX        (1u << 5)
#define CPUID_1_ECX_PCID       (1u << 17)
#define CPUID_1_ECX_X2APIC     (1u << 21)
#define CPUID_1_ECX_XSAVE      (1u << 26)
#define CPUID_1_ECX_OSXSAVE    (1u << 27)
#define CPUID_1_ECX_HYPERVISOR (1u << 31)
#define CPUID_1_EDX_APIC       (1u << 9)
#define CPUID_EXT1_ECX_SVM     (1u << 2)    /* APM Vol. 3 Appendix E.4.2 */
#define CPUID_EXT1_ECX_MONITORX (1u << 29)  /* same table: MONITORX/MWAITX */
#define CPUID_EXT1_EDX_APIC    (1u << 9)
#define CPUID_HV_BASE          0x40000000u
#define CPUID_HV_LAST          0x4fffffffu
#define CPUID_SVM_FEATURES     0x8000000au

/* "SpectrumHV\0\0" as three little-endian dwords. */
#define SIG_EBX 0x63657053u  /* "Spec" */
#define SIG_ECX 0x6d757274u  /* "trum" */
#define SIG_EDX 0x00005648u  /* "HV\0\0" */

static enum exit_action cpuid_exit(struct vcpu *v, const struct vm_exit *e)
{
    uint32_t leaf = (uint32_t)v->regs.gpr[GPR_RAX];
    uint32_t subleaf = (uint32_t)v->regs.gpr[GPR_RCX];
    struct cpuid_regs r;

    if (leaf >= CPUID_HV_BASE && leaf <= CPUID_HV_LAST) {
        r = (struct cpuid_regs){ 0, 0, 0, 0 };
        if (leaf == CPUID_HV_BASE)
            r = (struct cpuid_regs){ CPUID_HV_BASE, SIG_EBX, SIG_ECX, SIG_EDX };
    } else if (leaf == CPUID_SVM_FEATURES) {
        r = (struct cpuid_regs){ 0, 0, 0, 0 };
    } else {
        /* Executing CPUID for any guest-chosen leaf is harmless: unknown
         * leaves return the highest basic leaf's data or zeros. */
        r = cpuid(leaf, subleaf);
        if (leaf == 1) {
            r.ecx &= ~(CPUID_1_ECX_MONITOR | CPUID_1_ECX_VMX | CPUID_1_ECX_PCID | CPUID_1_ECX_X2APIC | CPUID_1_ECX_XSAVE |
                       CPUID_1_ECX_OSXSAVE);
            r.ecx |= CPUID_1_ECX_HYPERVISOR;
            r.edx &= ~CPUID_1_EDX_APIC;
        } else if (leaf == 0x80000001u) {
            r.ecx &= ~(CPUID_EXT1_ECX_SVM | CPUID_EXT1_ECX_MONITORX);
            r.edx &= ~CPUID_EXT1_EDX_APIC;
        }
    }
    /* Extension point (vcpu/handler_ext.h): later lessons' edits for the
     * VMs they serve (lesson 03: show the local APIC); none in lesson 02. */
    TABLE_FOREACH(struct cpuid_ext, spectrum_cpuid_ext, x)
        x->adjust(v, leaf, subleaf, &r);
    /* CPUID writes the 32-bit registers, which zero-extends in 64-bit mode. */
    v->regs.gpr[GPR_RAX] = r.eax;
    v->regs.gpr[GPR_RBX] = r.ebx;
    v->regs.gpr[GPR_RCX] = r.ecx;
    v->regs.gpr[GPR_RDX] = r.edx;
    vcpu_skip_insn(v, e);
    return EXIT_ACTION_RESUME;
}
REGISTER_EXIT_HANDLER(cpuid, EXIT_CPUID, cpuid_exit);
