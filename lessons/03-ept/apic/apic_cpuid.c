/**
 * @file apic_cpuid.c
 * @brief CPUID for a lesson-03 machine: the local APIC is there.
 *
 * Applied after lesson 02's edits (vcpu/handler_ext.h), only for VMs with
 * a local APIC:
 *  - CPUID.1:EDX[9] (APIC) while the APIC is globally enabled (it
 *    "reflects" IA32_APIC_BASE[11], SDM Vol. 3A §11.4.3), and the AMD
 *    mirror 80000001h:EDX[9] where the host has it;
 *  - CPUID.1:ECX[24] TSC-deadline (emulated whatever the host has);
 *  - CPUID.1:ECX[21] x2APIC stays hidden (lesson 02 hides it);
 *  - CPUID.1:EBX[31:24] initial APIC ID = 0 (the APIC's reset ID), and
 *    EBX[23:16] = 1 with EDX[28] (HTT) clear: one logical processor;
 *  - CPUID.6:EAX[2] ARAT: the APIC timer runs in every C-state (it is
 *    computed from the TSC).
 * Plain lesson-02 VMs keep lesson 02's answers.
 */
#include "apic/apic.h"
#include "spectrum/x86.h"
#include "vcpu/handler_ext.h"

#define CPUID_1_ECX_X2APIC       (1u << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID_1_EDX_APIC         (1u << 9)
#define CPUID_1_EDX_HTT          (1u << 28)
#define CPUID_EXT1_EDX_APIC      (1u << 9)
#define CPUID_6_EAX_ARAT         (1u << 2)

static void apic_cpuid_adjust(struct vcpu *v, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
    (void)subleaf;
    struct lapic *l = lapic_of(v->vm);
    if (!l)
        return;
    if (leaf == 1) {
        r->edx &= ~(CPUID_1_EDX_APIC | CPUID_1_EDX_HTT);
        if (lapic_enabled(l))
            r->edx |= CPUID_1_EDX_APIC;
        r->ecx = (r->ecx & ~CPUID_1_ECX_X2APIC) | CPUID_1_ECX_TSC_DEADLINE;
        r->ebx = (r->ebx & 0x0000ffffu) | (1u << 16);   /* APIC ID 0, one logical processor */
    } else if (leaf == 6) {
        r->eax |= CPUID_6_EAX_ARAT;
    } else if (leaf == 0x80000001u && lapic_enabled(l)) {
        r->edx |= cpuid(0x80000001u, 0).edx & CPUID_EXT1_EDX_APIC;
    }
}

REGISTER_CPUID_ADJUST(apic, apic_cpuid_adjust);
