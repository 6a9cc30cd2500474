/**
 * @file apic_msr.c
 * @brief The local APIC's MSRs for a lesson-03 machine, through lesson
 *        02's MSR extension point (vcpu/handler_ext.h):
 *  - IA32_APIC_BASE (0x1B, SDM Vol. 3A §11.4.4): BSP flag, global enable
 *    (bit 11), base.  Disabling and enabling again resets the APIC;
 *    x2APIC mode (bit 10) and reserved bits raise #GP(0) (CPUID hides
 *    x2APIC); moving the base is not supported: the APIC stays at
 *    0xFEE00000 and a message says so (a guest that then uses the new
 *    base touches a hole and is stopped with a message naming the GPA).
 *  - IA32_TSC_DEADLINE (0x6E0, §11.5.4.1): the TSC-deadline timer.  The
 *    guest's TSC is the host's (no TSC offset), so the deadline is a host
 *    TSC value.
 * For a plain lesson-02 VM both pass: IA32_APIC_BASE reads as lesson 02
 * reports it (disabled) and refuses writes, IA32_TSC_DEADLINE is #GP.
 */
#include "apic/apic.h"
#include "apic/lapic_dev.h"
#include "spectrum/console.h"
#include "spectrum/x86.h"
#include "spectrum/x86_bits.h"
#include "vcpu/handler_ext.h"

#define BASE_MOVES_SHOWN 4   /* a guest retrying must not flood the console */

static enum ext_result apic_base_read(struct vcpu *v, uint64_t *value)
{
    struct lapic *l = lapic_of(v->vm);
    if (!l)
        return EXT_PASS;
    *value = l->apic_base;
    return EXT_DONE;
}

static enum ext_result apic_base_write(struct vcpu *v, uint64_t value)
{
    struct lapic_dev *d = lapic_dev_of(v->vm);
    if (!d)
        return EXT_PASS;
    enum lapic_base_result r = lapic_set_base(&d->l, value);
    if (r == LAPIC_BASE_GP)
        return EXT_GP;
    if (r == LAPIC_BASE_MOVED && d->base_moves++ < BASE_MOVES_SHOWN)
        kprintf("apic: %s: IA32_APIC_BASE := %#llx at RIP %#llx: relocating the local APIC is not supported, "
                "it stays at %#llx\n", v->vm->name, (unsigned long long)value, (unsigned long long)v->regs.rip,
                (unsigned long long)LAPIC_BASE_DEFAULT);
    return EXT_DONE;
}

static enum ext_result tsc_deadline_read(struct vcpu *v, uint64_t *value)
{
    struct lapic *l = lapic_of(v->vm);
    if (!l)
        return EXT_PASS;
    *value = lapic_tsc_deadline(l);
    return EXT_DONE;
}

static enum ext_result tsc_deadline_write(struct vcpu *v, uint64_t value)
{
    struct lapic *l = lapic_of(v->vm);
    if (!l)
        return EXT_PASS;
    lapic_set_tsc_deadline(l, value, rdtsc());
    return EXT_DONE;
}

REGISTER_MSR_HANDLER(apic_base, MSR_IA32_APIC_BASE, apic_base_read, apic_base_write);
REGISTER_MSR_HANDLER(apic_tsc_deadline, MSR_IA32_TSC_DEADLINE, tsc_deadline_read, tsc_deadline_write);
