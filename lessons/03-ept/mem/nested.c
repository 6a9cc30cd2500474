/**
 * @file nested.c
 * @brief Shared by the EPT and NPT attaches: build the tables once per
 *        machine, and reach guest-virtual addresses through the guest's
 *        own page tables (mmio/guest_linear.h).
 */
#include "mem/nested.h"

#include "mmio/guest_linear.h"
#include "spectrum/console.h"
#include "spectrum/tsc.h"
#include "vcpu/guest_space.h"

bool nested_tables_ready(struct pc_machine *m, enum gpm_format format, unsigned large_ok)
{
    if (m->mem.root && m->mem.format == format)
        return true;
    if (!gpm_build_tables(&m->mem, format, large_ok)) {
        vm_stop(&m->vm, false, "nested tables: the host ran out of memory building them");
        return false;
    }
    const struct gpm_stats *s = &m->mem.stats;
    kprintf("%s: %s tables for %llu KiB: %llu table pages, leaves %llu x 4K, %llu x 2M, %llu x 1G, built in %llu us\n",
            m->vm.name, format == GPM_FORMAT_EPT ? "EPT" : "NPT", (unsigned long long)(m->mem.pages * 4),
            (unsigned long long)s->table_pages, (unsigned long long)s->leaf_4k, (unsigned long long)s->leaf_2m,
            (unsigned long long)s->leaf_1g, (unsigned long long)tsc_to_us(s->build_tsc));
    return true;
}

void *nested_translate(struct vcpu *v, uint64_t gva, size_t len)
{
    return pc_guest_space_ops.translate(v, gva, len);
}

