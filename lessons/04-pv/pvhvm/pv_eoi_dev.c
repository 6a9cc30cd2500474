/**
 * @file pv_eoi_dev.c
 * @brief PV EOI on a pvhvm machine: MSR_KVM_PV_EOI_EN, the local-APIC
 *        hooks that run the protocol of pv_eoi.h, and the counters.
 *
 * The hooks (apic/lapic_hook.h, lesson 03's extension point) put the
 * protocol where KVM has it: the bit is offered when a vector is injected
 * (delivered) and looked at again before anything reads the APIC after an
 * exit - the delivery decision before the next entry, or a guest access to
 * the APIC page (sync).  In any other mode the MSR passes to lesson 02,
 * which raises #GP, and the hooks find PV EOI off.
 *
 * The counters end a run with
 *
 *     pv-eoi: VM: E eois: M by MMIO write, P done for the guest (PV EOI); offered O times, W withdrawn at an exit; not offered: L level-triggered, I with another vector waiting
 *
 * where E is the local APIC's count of EOIs, so the line shows how many
 * exits PV EOI saved (P) and how many it could not (M).
 */
#include "apic/apic.h"
#include "apic/lapic_hook.h"
#include "machine/pc_machine.h"
#include "pv/pv_mode.h"
#include "pvhvm/kvm_para.h"
#include "pvhvm/pv_eoi.h"
#include "spectrum/console.h"
#include "spectrum/x86.h"
#include "vcpu/handler_ext.h"

#define REFUSALS_SHOWN 8   /* per machine */

/** @brief One machine's PV EOI state and how many MSR writes it refused. */
struct pv_eoi_dev {
    struct pv_eoi p;     /**< the protocol's state */
    uint64_t refused;    /**< MSR writes refused (#GP) */
};

static struct pv_eoi_dev *pv_eoi_dev_of(struct vm *vm)
{
    return pc_machine_ext_state(vm, "pv-eoi");
}

static enum ext_result pv_eoi_msr_read(struct vcpu *v, uint64_t *value)
{
    struct pv_eoi_dev *d = pv_mode_has(v->vm, PV_MODE_PVHVM) ? pv_eoi_dev_of(v->vm) : 0;
    if (!d)
        return EXT_PASS;
    *value = d->p.msr;
    return EXT_DONE;
}

static enum ext_result pv_eoi_msr_write(struct vcpu *v, uint64_t value)
{
    struct pv_eoi_dev *d = pv_mode_has(v->vm, PV_MODE_PVHVM) ? pv_eoi_dev_of(v->vm) : 0;
    struct lapic *l = lapic_of(v->vm);
    if (!d || !l)
        return EXT_PASS;
    enum pv_area_fault f = pv_eoi_set_msr(&d->p, &pc_machine_of(v->vm)->mem, l, value, rdtsc());
    if (f == PV_AREA_OK)
        return EXT_DONE;
    if (d->refused++ < REFUSALS_SHOWN)
        kprintf("pv-eoi: %s: MSR_KVM_PV_EOI_EN := %#llx refused (#GP): the %u bytes at GPA %#llx %s\n",
                v->vm->name, (unsigned long long)value, KVM_PV_EOI_AREA,
                (unsigned long long)(value & ~KVM_MSR_ENABLED), pv_area_fault_name(f));
    return EXT_GP;
}

REGISTER_MSR_HANDLER(kvm_pv_eoi, MSR_KVM_PV_EOI_EN, pv_eoi_msr_read, pv_eoi_msr_write);

static void pv_eoi_hook_sync(struct vm *vm, struct lapic *l)
{
    struct pv_eoi_dev *d = pv_eoi_dev_of(vm);
    if (d && d->p.pending)
        pv_eoi_sync(&d->p, &pc_machine_of(vm)->mem, l, rdtsc());
}

static void pv_eoi_hook_delivered(struct vm *vm, struct lapic *l, uint8_t vector)
{
    struct pv_eoi_dev *d = pv_eoi_dev_of(vm);
    if (d && pv_eoi_enabled(&d->p))
        pv_eoi_delivered(&d->p, &pc_machine_of(vm)->mem, l, ioapic_of(vm), vector, rdtsc());
}

REGISTER_LAPIC_HOOK(pv_eoi, { .name = "pv-eoi", .sync = pv_eoi_hook_sync, .delivered = pv_eoi_hook_delivered });

static void pv_eoi_report(struct pc_machine *m, void *state)
{
    const struct pv_eoi_dev *d = state;
    const struct pv_eoi_stats *s = &d->p.stats;
    const struct lapic *l = lapic_of(&m->vm);
    if (!l || !pv_mode_has(&m->vm, PV_MODE_PVHVM) || !(d->p.msr || s->offered || d->refused))
        return;
    kprintf("pv-eoi: %s: %llu eois: %llu by MMIO write, %llu done for the guest (PV EOI); offered %llu times, "
            "%llu withdrawn at an exit; not offered: %llu level-triggered, %llu with another vector waiting\n",
            m->vm.name, (unsigned long long)l->stats.eois, (unsigned long long)(l->stats.eois - s->pv_eois),
            (unsigned long long)s->pv_eois, (unsigned long long)s->offered, (unsigned long long)s->withdrawn,
            (unsigned long long)s->level, (unsigned long long)s->irr);
    if (d->refused || s->lost)
        kprintf("pv-eoi: %s: %llu MSR writes refused, %llu areas lost\n", m->vm.name,
                (unsigned long long)d->refused, (unsigned long long)s->lost);
}
REGISTER_PC_MACHINE_EXT(pv_eoi, { "pv-eoi", sizeof(struct pv_eoi_dev), 0, pv_eoi_report });

const struct pv_eoi_stats *pv_eoi_stats_of(struct vm *vm)
{
    struct pv_eoi_dev *d = pv_eoi_dev_of(vm);
    return d ? &d->p.stats : 0;
}
