/**
 * @file guest_space_pc.c
 * @brief pc_guest_space_ops: lesson 02's guest_space_translate() (and so
 *        its page-by-page guest_space_fetch()) for a vCPU under nested
 *        paging, where the guest's page tables hold guest-physical addresses.
 *
 * The walk is guest_linear_walk() (guest_linear.c); its table reads and
 * the final access go through the machine's gpm (mem/gpm.h), which
 * checks every GPA against the memory map: a guest that points a table
 * entry at a hole, an MMIO range or beyond its RAM makes the walk fail,
 * and Spectrum never reads outside that guest.  SVM fetches every
 * exiting instruction through it when the CPU has no NRIPS (QEMU TCG), and
 * lesson 03's MMIO emulation the instruction that touched a device.
 */
#include "mmio/guest_linear.h"

#include "machine/pc_machine.h"
#include "mem/gpm.h"
#include "spectrum/pmm.h"
#include "vcpu/guest_space.h"

static bool read_entry(void *ctx, uint64_t gpa, unsigned size, uint64_t *out)
{
    const struct gpm *mem = ctx;
    if (size == 4) {
        uint32_t v;
        if (!gpm_read(mem, gpa, &v, sizeof v))
            return false;
        *out = v;
        return true;
    }
    return gpm_read(mem, gpa, out, sizeof *out);
}

void guest_paging_of(struct vcpu *v, struct guest_paging *pg)
{
    pg->cr0 = v->ops->get_ctl(v, CTL_CR0);
    pg->cr3 = v->ops->get_ctl(v, CTL_CR3);
    pg->cr4 = v->ops->get_ctl(v, CTL_CR4);
    pg->efer = v->ops->get_ctl(v, CTL_EFER);
}

bool pc_guest_linear(struct vcpu *v, uint64_t linear, struct guest_walk_result *out)
{
    struct pc_machine *m = pc_machine_of(v->vm);
    if (!m)
        return false;
    struct guest_paging pg;
    guest_paging_of(v, &pg);
    return guest_linear_walk(&pg, read_entry, &m->mem, linear, out);
}

static void *pc_translate(struct vcpu *v, uint64_t gva, size_t len)
{
    struct guest_walk_result w;
    /* Pages are at least 4 KiB and 4 KiB aligned in both spaces, so a range
     * inside one linear 4 KiB page is inside one guest-physical page. */
    if (len == 0 || len > PAGE_SIZE - (gva & (PAGE_SIZE - 1)))
        return 0;
    if (!pc_guest_linear(v, gva, &w))
        return 0;
    return gpm_ptr(&pc_machine_of(v->vm)->mem, w.gpa, len);
}

const struct guest_space_ops pc_guest_space_ops = {
    .translate = pc_translate,
    .paging_changed = 0,
};
