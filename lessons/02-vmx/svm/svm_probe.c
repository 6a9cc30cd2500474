/**
 * @file svm_probe.c
 * @brief Is AMD-V there, and turning it on (APM Vol. 2 §15.4 "Enabling SVM").
 *
 * Probe, in the order the APM gives:
 *  1. CPUID 8000_0001h ECX[2] (SVM) says the CPU has SVM at all;
 *  2. VM_CR.SVMDIS (MSR C001_0114h bit 4) = 0, else firmware disabled it
 *     (with VM_CR.LOCK set it cannot be re-enabled without the key);
 *  3. CPUID 8000_000Ah describes the implementation: EBX = number of ASIDs,
 *     EDX[0] nested paging, EDX[3] NRIP save, EDX[7] decode assists.
 * Enable: set EFER.SVME (before that VMRUN & co. raise #UD) and point
 * VM_HSAVE_PA at a 4 KiB page where VMRUN saves the host state (§15.30.4).
 */
#include "svm/svm.h"

#include "spectrum/boot_layout.h"
#include "spectrum/console.h"
#include "spectrum/fmt.h"
#include "spectrum/mem.h"
#include "spectrum/x86.h"

#define CPUID_EXT_MAX       0x80000000u
#define CPUID_EXT_FEATURES  0x80000001u
#define CPUID_ADDR_SIZES    0x80000008u
#define CPUID_SVM_FEATURES  0x8000000au

struct svm_cpu svm_cpu;

bool svm_probe(char *why, size_t why_len)
{
    if (cpuid(CPUID_EXT_MAX, 0).eax < CPUID_SVM_FEATURES) {
        fmt_snprintf(why, why_len, "CPUID has no leaf 8000_000Ah (not an AMD-V CPU)");
        return false;
    }
    if (!(cpuid(CPUID_EXT_FEATURES, 0).ecx & (1u << 2))) {
        fmt_snprintf(why, why_len, "CPUID 8000_0001h:ECX.SVM[bit 2] is 0 (not an AMD-V CPU)");
        return false;
    }
    uint64_t vm_cr = rdmsr(MSR_VM_CR);
    if (vm_cr & VM_CR_SVMDIS) {
        fmt_snprintf(why, why_len, "SVM disabled by firmware (VM_CR.SVMDIS=1%s)",
                     (vm_cr & VM_CR_LOCK) ? ", locked" : "");
        return false;
    }
    struct cpuid_regs f = cpuid(CPUID_SVM_FEATURES, 0);
    if (f.ebx < 2) {
        fmt_snprintf(why, why_len, "CPUID 8000_000Ah reports %u ASIDs: none left for guests", f.ebx);
        return false;
    }
    svm_cpu.nasid = f.ebx;
    svm_cpu.npt = f.edx & (1u << 0);
    svm_cpu.nrips = f.edx & (1u << 3);
    svm_cpu.decode_assists = f.edx & (1u << 7);
    return true;
}

/* The CPU's limits for the VMRUN checker: which CR4 and EFER bits exist
 * (APM Vol. 2 §3.1.3, §3.1.7, each guarded by its CPUID bit, APM Vol. 3
 * Appendix E) and MAXPHYADDR. */
static void svm_fill_check_env(struct svm_check_env *env)
{
    struct cpuid_regs l1 = cpuid(1, 0);
    struct cpuid_regs ext = cpuid(CPUID_EXT_FEATURES, 0);
    struct cpuid_regs l7 = { 0, 0, 0, 0 };
    if (cpuid(0, 0).eax >= 7)
        l7 = cpuid(7, 0);

    env->phys_addr_bits = 36;   /* the architectural default without leaf 8000_0008h */
    if (cpuid(CPUID_EXT_MAX, 0).eax >= CPUID_ADDR_SIZES)
        env->phys_addr_bits = (uint8_t)(cpuid(CPUID_ADDR_SIZES, 0).eax & 0xff);
    env->long_mode = ext.edx & (1u << 29);
    env->nasid = svm_cpu.nasid;

    uint64_t cr4 = CR4_BASE;                       /* VME..OSXMMEXCPT, bits 0-10 */
    if (l7.ecx & (1u << 2)) cr4 |= CR4_UMIP;
    if (l7.ecx & (1u << 16)) cr4 |= CR4_LA57;
    if (l7.ebx & (1u << 0)) cr4 |= CR4_FSGSBASE;
    if (l1.ecx & (1u << 17)) cr4 |= CR4_PCIDE;
    if (l1.ecx & (1u << 26)) cr4 |= CR4_OSXSAVE;
    if (l7.ebx & (1u << 7)) cr4 |= CR4_SMEP;
    if (l7.ebx & (1u << 20)) cr4 |= CR4_SMAP;
    if (l7.ecx & (1u << 3)) cr4 |= CR4_PKE;
    if (l7.ecx & (1u << 7)) cr4 |= CR4_CET;
    env->cr4_valid = cr4;

    uint64_t efer = EFER_SVME;
    if (ext.edx & (1u << 11)) efer |= EFER_SCE;
    if (ext.edx & (1u << 29)) efer |= EFER_LME | EFER_LMA;
    if (ext.edx & (1u << 20)) efer |= EFER_NXE;
    if (ext.edx & (1u << 25)) efer |= EFER_FFXSR;
    if (ext.ecx & (1u << 17)) efer |= EFER_TCE;
    env->efer_valid = efer;
}

bool svm_enable(char *why, size_t why_len)
{
    if (svm_cpu.enabled)
        return true;
    svm_cpu.hsave = page_alloc(1, 1);
    svm_cpu.host_state = page_alloc(1, 1);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    if (!(rdmsr(MSR_EFER) & EFER_SVME)) {
        fmt_snprintf(why, why_len, "EFER.SVME does not stay set");
        return false;
    }
    wrmsr(MSR_VM_HSAVE_PA, virt_to_phys(svm_cpu.hsave));
    svm_fill_check_env(&svm_cpu.env);
    svm_cpu.next_asid = 1;
    svm_cpu.enabled = true;
    kprintf("svm: %u ASIDs, nrips=%s npt=%s decode-assists=%s, MAXPHYADDR %u\n", svm_cpu.nasid,
            svm_cpu.nrips ? "yes" : "no", svm_cpu.npt ? "yes" : "no", svm_cpu.decode_assists ? "yes" : "no",
            svm_cpu.env.phys_addr_bits);
    return true;
}
