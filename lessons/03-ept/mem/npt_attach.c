/**
 * @file npt_attach.c
 * @brief Lesson 03 plugs nested paging into the lesson-02 SVM back end
 *        (struct vcpu_nested_ext "svm").
 *
 * AMD's nested paging (APM Vol. 2 §15.25): with VMCB NP_ENABLE bit 0 set,
 * the guest's CR3 and page tables produce guest-physical addresses, and
 * the CPU translates each of them (table walks included) through the
 * nested tables whose root is VMCB N_CR3 (§15.25.3-5), in the long-mode
 * format (nested_tables.c).  A failed translation is a #VMEXIT(NPF) with
 * the GPA in EXITINFO2 and a page-fault style error code in EXITINFO1
 * (§15.25.6).  The guest then owns its paging: it may run in real mode or
 * with paging off (§15.19: "paged real mode" is only needed without
 * nested paging), so the CR handler lets CR0.PE/PG be 0
 * (vcpu.guest_owns_paging); CR0/CR4 writes stay intercepted so lesson
 * 02's checks and EFER.LMA bookkeeping still run.
 *
 * The guest's ASID is already per VM (lesson 02 hands them out round
 * robin and flushes the TLB on a vCPU's first VMRUN); when a live mapping
 * changes, gpm.flush asks for another flush at the next VMRUN (TLB_CONTROL,
 * §15.16.1) - the TLB may cache nested translations tagged with the ASID.
 * Host NX: the NX bit of a nested entry is only valid when the host runs
 * with EFER.NXE (else it is reserved, §15.25.5), so gpm.nx_ok follows it.
 */
#include "machine/pc_machine.h"
#include "machine/start_state.h"
#include "mem/nested.h"

#include "spectrum/x86.h"
#include "spectrum/x86_bits.h"
#include "svm/svm.h"
#include "vcpu/guest_space.h"

#define CPUID_PAGE1GB (1u << 26)   /* CPUID 8000_0001h EDX: 1 GiB pages (APM Vol. 3 Appendix E) */

static void npt_flush(void *ctx)
{
    struct svm_vcpu *s = ctx;
    s->flush_tlb = true;
}

static const struct guest_space_ops npt_space_ops = {
    .translate = nested_translate,
    .paging_changed = 0,
};

static void put_seg(struct vmcb_seg *d, const struct start_seg *s)
{
    d->selector = s->sel;
    d->base = s->base;
    d->limit = s->limit;
    d->attrib = s->unusable ? 0 : start_seg_svm_attrib(s->ar);
}

static bool npt_attach(struct vcpu *v, const struct vcpu_config *cfg)
{
    struct svm_vcpu *sv = svm_of(v);
    const struct pc_nested_config *nc = cfg->nested;
    struct pc_machine *m = nc->machine;
    if (!svm_cpu.npt) {
        vm_stop(v->vm, false, "npt: this CPU has SVM without nested paging (CPUID 8000_000Ah EDX[0] = 0)");
        return false;
    }
    m->mem.nx_ok = (rdmsr(MSR_EFER) & EFER_NXE) != 0;
    unsigned large = GPM_LARGE_2M;
    if (cpuid(0x80000000, 0).eax >= 0x80000001 && (cpuid(0x80000001, 0).edx & CPUID_PAGE1GB))
        large |= GPM_LARGE_1G;
    if (!nested_tables_ready(m, GPM_FORMAT_NPT, large))
        return false;
    m->mem.flush = npt_flush;
    m->mem.flush_ctx = sv;

    struct vmcb_control *c = &sv->vmcb->control;
    struct vmcb_save *g = &sv->vmcb->save;
    c->np_enable = 1;
    c->n_cr3 = m->mem.root;
    c->clean_bits = 0;

    struct start_state s;
    start_state_for(&nc->start, &s);
    g->cr0 = s.cr0;
    g->cr3 = s.cr3;
    g->cr4 = s.cr4;
    g->efer = s.efer | EFER_SVME;
    put_seg(&g->cs, &s.cs);
    put_seg(&g->ss, &s.ss);
    put_seg(&g->ds, &s.ds);
    put_seg(&g->es, &s.es);
    put_seg(&g->fs, &s.fs);
    put_seg(&g->gs, &s.gs);
    put_seg(&g->ldtr, &s.ldtr);
    put_seg(&g->tr, &s.tr);
    g->gdtr.base = s.gdt_base;
    g->gdtr.limit = s.gdt_limit;
    g->idtr.base = s.idt_base;
    g->idtr.limit = s.idt_limit;
    g->cpl = 0;
    g->rip = s.rip;
    g->rsp = s.rsp;
    for (unsigned i = 0; i < GPR_COUNT; i++)
        v->regs.gpr[i] = nc->start.gpr[i];
    v->regs.gpr[GPR_RSP] = s.rsp;
    v->regs.rip = s.rip;
    v->guest_owns_paging = true;
    v->space = &npt_space_ops;
    v->nested_state = m;
    sv->flush_tlb = true;
    return true;
}

static void npt_detach(struct vcpu *v)
{
    struct pc_machine *m = v->nested_state;
    if (m)
        m->mem.flush = 0;
    v->nested_state = 0;
    v->space = 0;
}

REGISTER_VCPU_NESTED(npt, "svm", npt_attach, npt_detach);
