/**
 * @file hcall_stats.c
 * @brief Hypercall counters per lesson-03 machine (machine/machine_ext.h)
 *        and their line at the end of a run:
 *
 *     hcall: VM: N calls: C completed, E errors, U unknown (-KVM_ENOSYS), R refused at CPL > 0 (-KVM_EPERM)
 *
 * printed only for a machine whose guest made hypercalls.
 */
#include "hcall/hypercall.h"

#include "machine/pc_machine.h"
#include "spectrum/console.h"
#include "vcpu/vcpu.h"

static void hcall_report(struct pc_machine *m, void *state)
{
    const struct hcall_stats *s = state;
    if (!s->calls)
        return;
    kprintf("hcall: %s: %llu calls: %llu completed, %llu errors, %llu unknown (-KVM_ENOSYS), "
            "%llu refused at CPL > 0 (-KVM_EPERM)\n",
            m->vm.name, (unsigned long long)s->calls, (unsigned long long)s->completed,
            (unsigned long long)s->errors, (unsigned long long)s->unknown, (unsigned long long)s->refused);
}
REGISTER_PC_MACHINE_EXT(hcall, { "hcall", sizeof(struct hcall_stats), 0, hcall_report });

struct hcall_stats *hcall_stats_of(struct vcpu *v)
{
    return pc_machine_ext_state(v->vm, "hcall");
}
