/**
 * @file svm_diag.c
 * @brief ops->check and ops->dump: explain a VMCB to a human.
 *
 * check runs the pure VMRUN checker (svm_check.c) over this vCPU's VMCB
 * with this CPU's limits and prints one line per broken rule:
 *
 *     svm-check: <rule>: <field> = <value>: <what the APM says> (APM Vol. 2 §15.5.1)
 *
 * dump prints the fields that explain most failures and exits.
 */
#include "svm/svm.h"

#include "spectrum/console.h"
#include "spectrum/mem.h"

static void print_violation(void *ctx, const struct svm_check_violation *v)
{
    (void)ctx;
    kprintf("svm-check: %s: %s = %#lx: %s (APM Vol. 2 section 15.5.1)\n", v->rule, v->field, (unsigned long)v->value,
            v->what);
}

bool svm_check(struct vcpu *v)
{
    unsigned broken = svm_check_vmcb(svm_of(v)->vmcb, &svm_cpu.env, print_violation, 0);
    if (broken)
        kprintf("svm-check: %u of %u VMRUN rules broken\n", broken, svm_check_rule_count());
    return broken == 0;
}

static void dump_seg(const char *name, const struct vmcb_seg *s)
{
    kprintf("  %-4s sel %#06x attr %#05x limit %#010x base %#lx\n", name, s->selector, s->attrib, s->limit,
            (unsigned long)s->base);
}

void svm_dump(struct vcpu *v)
{
    const struct svm_vcpu *s = svm_of(v);
    const struct vmcb_control *c = &s->vmcb->control;
    const struct vmcb_save *g = &s->vmcb->save;
    kprintf("svm: VMCB at %#lx of %s (ASID %u)\n", (unsigned long)virt_to_phys(s->vmcb), v->vm->name,
            c->guest_asid);
    kprintf("  exitcode %#lx (%s) exitinfo1 %#lx exitinfo2 %#lx exitintinfo %#lx\n", (unsigned long)c->exitcode,
            svm_exit_name(c->exitcode), (unsigned long)c->exitinfo1, (unsigned long)c->exitinfo2,
            (unsigned long)c->exitintinfo);
    kprintf("  intercepts cr %#x exc %#x misc1 %#x misc2 %#x; iopm %#lx msrpm %#lx\n", c->intercept_cr,
            c->intercept_exc, c->intercept_misc1, c->intercept_misc2, (unsigned long)c->iopm_base_pa,
            (unsigned long)c->msrpm_base_pa);
    kprintf("  vintr %#lx int_state %#lx eventinj %#lx tlb_control %u\n", (unsigned long)c->vintr,
            (unsigned long)c->int_state, (unsigned long)c->eventinj, c->tlb_control);
    kprintf("  rip %#lx rsp %#lx rax %#lx rflags %#lx cpl %u\n", (unsigned long)g->rip, (unsigned long)g->rsp,
            (unsigned long)g->rax, (unsigned long)g->rflags, g->cpl);
    kprintf("  cr0 %#lx cr2 %#lx cr3 %#lx cr4 %#lx efer %#lx dr6 %#lx dr7 %#lx\n", (unsigned long)g->cr0,
            (unsigned long)g->cr2, (unsigned long)g->cr3, (unsigned long)g->cr4, (unsigned long)g->efer,
            (unsigned long)g->dr6, (unsigned long)g->dr7);
    dump_seg("cs", &g->cs);
    dump_seg("ss", &g->ss);
    dump_seg("ds", &g->ds);
    dump_seg("tr", &g->tr);
    kprintf("  gdtr base %#lx limit %#x, idtr base %#lx limit %#x\n", (unsigned long)g->gdtr.base, g->gdtr.limit,
            (unsigned long)g->idtr.base, g->idtr.limit);
}
