/**
 * @file cr4_policy.c
 * @brief The CR4 allow list (cr4_policy.h), from CPUID leaf 7.
 */
#include "vcpu/cr4_policy.h"

#include "spectrum/x86.h"
#include "spectrum/x86_bits.h"

/* CPUID.(EAX=7,ECX=0) feature bits, SDM Vol. 2A "CPUID" Table 3-8. */
#define CPUID7_EBX_FSGSBASE (1u << 0)
#define CPUID7_EBX_SMEP     (1u << 7)
#define CPUID7_EBX_SMAP     (1u << 20)
#define CPUID7_ECX_UMIP     (1u << 2)

uint64_t vcpu_cr4_guest_bits(void)
{
    uint64_t ok = CR4_BASE;
    if (cpuid(0, 0).eax >= 7) {
        struct cpuid_regs l7 = cpuid(7, 0);
        if (l7.ebx & CPUID7_EBX_FSGSBASE)
            ok |= CR4_FSGSBASE;
        if (l7.ebx & CPUID7_EBX_SMEP)
            ok |= CR4_SMEP;
        if (l7.ebx & CPUID7_EBX_SMAP)
            ok |= CR4_SMAP;
        if (l7.ecx & CPUID7_ECX_UMIP)
            ok |= CR4_UMIP;
    }
    return ok;
}
