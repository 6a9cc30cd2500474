/**
 * @file npf_exit.c
 * @brief The nested-page-fault exit (VMX EPT violation, SDM Vol. 3C
 *        §29.3.3.2; SVM #NPF, APM Vol. 2 §15.25.6): what a guest-physical
 *        access that the nested tables refused means.
 *
 * The back ends deliver one neutral exit, vm_exit.npf: the GPA, the kind
 * of access (read, write or fetch) and whether a translation existed (a
 * permission fault) or not.  The memory map then says what the GPA is:
 *  - MMIO: a device register; the instruction is emulated
 *    (mmio/mmio_emul.h) and the guest continues after it;
 *  - RAM or ROM whose page is not mapped (yet): mapped now, the access
 *    is retried ("lazy" pages: a guest whose stack or IDT sits on such a
 *    page shows that an event interrupted by the exit is re-delivered,
 *    VMX IDT-vectoring information / SVM EXITINTINFO);
 *  - a write to ROM, or a fetch from a page mapped without execute: the
 *    VM is stopped, naming the GPA, the access and the RIP;
 *  - a hole (no region at all): the VM is stopped, naming the GPA and the
 *    RIP.  This is isolation at work: there is nothing behind the GPA, in
 *    particular not the host memory at the same address.
 */
#include "machine/pc_machine.h"
#include "mmio/mmio_emul.h"

#include "spectrum/exercise.h"
#include "vcpu/exit.h"

static const char *access_name(const struct vm_exit *e)
{
    return e->npf.exec ? "fetch" : e->npf.write ? "write" : "read";
}

static enum exit_action npf_exit(struct vcpu *v, const struct vm_exit *e)
{
    struct pc_machine *m = pc_machine_of(v->vm);
    uint64_t gpa = e->npf.gpa;
    if (!m) {
        vm_stop(v->vm, false, "nested page fault at GPA %#llx in a VM without guest-physical memory",
                (unsigned long long)gpa);
        return EXIT_ACTION_STOP;
    }
    /* EXERCISE 03.npf-route 10 "Route a nested page fault by what the memory map says the GPA is: a hole stops the VM naming GPA and RIP, MMIO goes to mmio_emulate(), an unmapped RAM/ROM page is mapped (gpm_map) and retried, anything else stops the VM naming the access (SDM Vol. 3C 29.3.3.2; APM Vol. 2 15.25.6)" */
    const struct gpm_region *r = gpm_find(&m->mem, gpa);
    if (!r) {
        vm_stop(v->vm, false, "guest %s at GPA %#llx (RIP %#llx): nothing is there (no RAM, ROM or device)",
                access_name(e), (unsigned long long)gpa, (unsigned long long)v->regs.rip);
        return EXIT_ACTION_STOP;
    }
    if (r->kind == GPM_MMIO)
        return mmio_emulate(v, gpa, e);
    uint64_t hpa;
    unsigned perm;
    if (!gpm_translate(&m->mem, gpa, &hpa, &perm)) {
        /* A RAM/ROM page not mapped yet: map it and retry the access. */
        if (!gpm_map(&m->mem, gpa & ~0xfffull, 0x1000) || !gpm_translate(&m->mem, gpa, &hpa, &perm)) {
            vm_stop(v->vm, false, "nested tables: cannot map GPA %#llx (RIP %#llx)", (unsigned long long)gpa,
                    (unsigned long long)v->regs.rip);
            return EXIT_ACTION_STOP;
        }
        m->lazy_maps++;
        return EXIT_ACTION_RESUME;
    }
    vm_stop(v->vm, false, "guest %s at GPA %#llx (RIP %#llx) refused: %s %s allows %s%s%s",
            access_name(e), (unsigned long long)gpa, (unsigned long long)v->regs.rip,
            r->kind == GPM_ROM ? "ROM" : "RAM", r->name, perm & GPM_R ? "r" : "-", perm & GPM_W ? "w" : "-",
            perm & GPM_X ? "x" : "-");
    return EXIT_ACTION_STOP;
    /* STUB
    EXERCISE_TODO();
    vm_stop(v->vm, false, "nested page fault at GPA %#llx (RIP %#llx): not routed yet", (unsigned long long)gpa,
            (unsigned long long)v->regs.rip);
    return EXIT_ACTION_STOP;
    STUB END */
    /* END EXERCISE 03.npf-route */
}
REGISTER_EXIT_HANDLER(nested_page_fault, EXIT_NESTED_PAGE_FAULT, npf_exit);
