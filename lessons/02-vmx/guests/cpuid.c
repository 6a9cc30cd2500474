/**
 * @file cpuid.c
 * @brief Guest "cpuid": what a guest learns about its CPU, checked against
 *        what Spectrum promises (vcpu/handlers_cpuid.c):
 *  - CPUID.1:ECX[31], "hypervisor present", is set;
 *  - VMX (CPUID.1:ECX[5]) and SVM (CPUID.80000001h:ECX[2]) are hidden;
 *  - the local APIC (CPUID.1:EDX[9]) is hidden (there is none to program);
 *  - MONITOR/MWAIT (CPUID.1:ECX[3]) and MONITORX/MWAITX
 *    (CPUID.80000001h:ECX[29]) are hidden (they raise #UD here);
 *  - leaf 0x40000000 names the hypervisor: EBX:ECX:EDX = "SpectrumHV\0\0".
 * It also checks that CPUID behaves like an instruction should under a
 * hypervisor: the same leaf twice gives the same answer, and RBX (which
 * CPUID overwrites) is really written.  Exit status: a bit per failure.
 */
#include "guest/guest.h"
#include "spectrum/string.h"

#define CPUID_1_ECX_VMX        (1u << 5)
#define CPUID_1_ECX_HYPERVISOR (1u << 31)
#define CPUID_1_EDX_APIC       (1u << 9)
#define CPUID_EXT1_ECX_SVM     (1u << 2)
#define CPUID_1_ECX_MONITOR    (1u << 3)
#define CPUID_EXT1_ECX_MONITORX (1u << 29)
#define CPUID_HV_BASE          0x40000000u

enum {
    FAIL_HV_BIT = 1 << 0,
    FAIL_VMX_VISIBLE = 1 << 1,
    FAIL_SVM_VISIBLE = 1 << 2,
    FAIL_APIC_VISIBLE = 1 << 3,
    FAIL_SIGNATURE = 1 << 4,
    FAIL_UNSTABLE = 1 << 5,
    FAIL_MWAIT_VISIBLE = 1 << 6,
};

static void vendor_of(uint32_t leaf, char out[13], uint32_t regs[3])
{
    struct guest_cpuid r = guest_cpuid(leaf, 0);
    regs[0] = r.ebx;
    regs[1] = r.ecx;
    regs[2] = r.edx;
    memcpy(out, regs, 12);
    out[12] = '\0';
}

int guest_main(void)
{
    int failed = 0;
    struct guest_cpuid l0 = guest_cpuid(0, 0);
    struct guest_cpuid l1 = guest_cpuid(1, 0);
    struct guest_cpuid l1b = guest_cpuid(1, 0);
    if (l1.eax != l1b.eax || l1.ecx != l1b.ecx || l1.edx != l1b.edx)
        failed |= FAIL_UNSTABLE;

    bool hv = l1.ecx & CPUID_1_ECX_HYPERVISOR;
    bool vmx = l1.ecx & CPUID_1_ECX_VMX;
    bool apic = l1.edx & CPUID_1_EDX_APIC;
    bool monitor = l1.ecx & CPUID_1_ECX_MONITOR;
    bool svm = false, monitorx = false;
    if (guest_cpuid(0x80000000u, 0).eax >= 0x80000001u) {
        uint32_t ext1_ecx = guest_cpuid(0x80000001u, 0).ecx;
        svm = ext1_ecx & CPUID_EXT1_ECX_SVM;
        monitorx = ext1_ecx & CPUID_EXT1_ECX_MONITORX;
    }
    if (!hv)
        failed |= FAIL_HV_BIT;
    if (vmx)
        failed |= FAIL_VMX_VISIBLE;
    if (svm)
        failed |= FAIL_SVM_VISIBLE;
    if (apic)
        failed |= FAIL_APIC_VISIBLE;
    if (monitor || monitorx)
        failed |= FAIL_MWAIT_VISIBLE;

    char vendor[13], sig[13];
    uint32_t vregs[3], sregs[3];
    vendor_of(0, vendor, vregs);
    vendor_of(CPUID_HV_BASE, sig, sregs);
    /* CPUID 0's vendor is in EBX, EDX, ECX order. */
    memcpy(vendor + 4, &vregs[2], 4);
    memcpy(vendor + 8, &vregs[1], 4);
    uint32_t hv_max = guest_cpuid(CPUID_HV_BASE, 0).eax;
    if (memcmp(sregs, "SpectrumHV\0\0", 12) != 0 || hv_max < CPUID_HV_BASE)
        failed |= FAIL_SIGNATURE;

    guest_printf("cpuid: vendor %s, max leaf %#x, family/model/stepping %#x\n", vendor, l0.eax, l1.eax);
    guest_printf("cpuid: hypervisor bit %s, vmx %s, svm %s, apic %s\n", hv ? "set" : "clear",
                 vmx ? "visible" : "hidden", svm ? "visible" : "hidden", apic ? "visible" : "hidden");
    guest_printf("cpuid: monitor/mwait %s, monitorx/mwaitx %s\n", monitor ? "visible" : "hidden",
                 monitorx ? "visible" : "hidden");
    guest_printf("cpuid: leaf 0x40000000 max %#x signature '%s'\n", hv_max, sig);
    guest_printf("cpuid: checks %s\n", failed ? "FAILED" : "passed");
    return failed;
}
