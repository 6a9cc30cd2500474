/**
 * @file vmx_diag.c
 * @brief ops->check and ops->dump: explain a VMCS to a human.
 *
 * check snapshots the current VMCS (vmx_snapshot.c), runs the VM-entry
 * checker over it with this CPU's capability MSRs and prints one line per
 * broken rule:
 *
 *     vmx-check: <rule>: <field> = <value>: <what the SDM says> (SDM Vol. 3C §27.x.y)
 *
 * (The option "vcpu_nocheck" makes the exit loop skip the check before the
 * first entry, so the CPU's own verdict can be watched; after a failed
 * entry it runs anyway.)  dump prints the fields that explain most failures and exits.
 */
#include "vmx/vmx.h"

#include "spectrum/boot.h"
#include "spectrum/console.h"
#include "spectrum/machine.h"
#include "spectrum/mem.h"
#include "vmx/vmcs_fields.h"
#include "vmx/vmx_exit_info.h"

/** Where vmx_check_print() sends each violation besides the console. */
struct print_ctx {
    vmx_check_report_fn report;
    void *ctx;
};

static void print_violation(void *ctx, const struct vmx_check_violation *v)
{
    const struct print_ctx *p = ctx;
    kprintf("vmx-check: %s: %s = %#lx: %s (%s)\n", v->rule, v->field, (unsigned long)v->value, v->what, v->sdm);
    if (p->report)
        p->report(p->ctx, v);
}

unsigned vmx_check_print(struct vmx_vcpu *x, vmx_check_report_fn report, void *ctx)
{
    struct vmx_state s;
    struct print_ctx p = { report, ctx };
    vmx_prepare_entry(x);
    vmx_state_capture(&s);
    unsigned broken = vmx_check_state(&s, &vmx_cpu.caps, print_violation, &p);
    if (broken)
        kprintf("vmx-check: %u VM-entry rule(s) broken\n", broken);
    return broken;
}

bool vmx_check(struct vcpu *v)
{
    return vmx_check_print(vmx_of(v), 0, 0) == 0;
}

static void dump_seg(const struct vmx_state *s, enum vmx_seg_reg r)
{
    const struct vmx_seg *g = &s->guest_seg[r];
    kprintf("  %-4s sel %#06x ar %#07x limit %#010x base %#lx\n", vmx_seg_name(r), g->sel, g->ar, g->limit,
            (unsigned long)g->base);
}

void vmx_dump(struct vcpu *v)
{
    struct vmx_vcpu *x = vmx_of(v);
    vmx_vmcs_load(x);
    uint32_t reason = (uint32_t)vmcs_read(VMCS_EXIT_REASON);
    uint64_t qual = vmcs_read(VMCS_EXIT_QUALIFICATION);
    uint32_t intr = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO), idt = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO);
    struct vmx_state s;
    vmx_state_capture(&s);

    kprintf("vmx: VMCS at %#lx of %s (%s, %s)\n", (unsigned long)virt_to_phys(x->vmcs), v->vm->name,
            x->launched ? "launched" : "clear", x->mode == VCPU_MODE_LONG64 ? "64-bit" : "32-bit paged");
    kprintf("  exit reason %#x (%s) qualification %#lx intr-info %#x idt-vectoring %#x last insn error %u (%s)\n",
            reason, vmx_exit_reason_name(reason & VMX_EXIT_REASON_BASIC_MASK), (unsigned long)qual, intr, idt,
            x->last_insn_error, x->last_insn_error ? vmx_insn_error_name(x->last_insn_error) : "none");
    kprintf("  controls pin %#x proc %#x proc2 %#x exit %#x entry %#x exc-bitmap %#x entry-intr %#x\n", s.pin,
            s.proc, s.proc2, s.exit_ctls, s.entry_ctls, s.exception_bitmap, s.entry_intr_info);
    kprintf("  rip %#lx rsp %#lx rflags %#lx activity %u interruptibility %#x\n", (unsigned long)s.guest_rip,
            (unsigned long)s.guest_rsp, (unsigned long)s.guest_rflags, s.guest_activity, s.guest_interruptibility);
    kprintf("  cr0 %#lx (shadow %#lx mask %#lx) cr3 %#lx cr4 %#lx (shadow %#lx mask %#lx) efer %#lx\n",
            (unsigned long)s.guest_cr0, (unsigned long)s.cr0_shadow, (unsigned long)s.cr0_mask,
            (unsigned long)s.guest_cr3, (unsigned long)s.guest_cr4, (unsigned long)s.cr4_shadow,
            (unsigned long)s.cr4_mask, (unsigned long)s.guest_efer);
    dump_seg(&s, VMX_SEG_CS);
    dump_seg(&s, VMX_SEG_SS);
    dump_seg(&s, VMX_SEG_DS);
    dump_seg(&s, VMX_SEG_TR);
    dump_seg(&s, VMX_SEG_LDTR);
    kprintf("  gdtr base %#lx limit %#x, idtr base %#lx limit %#x, link %#lx\n", (unsigned long)s.guest_gdtr_base,
            s.guest_gdtr_limit, (unsigned long)s.guest_idtr_base, s.guest_idtr_limit, (unsigned long)s.link_pointer);
    kprintf("  host cr0 %#lx cr3 %#lx cr4 %#lx rip %#lx rsp %#lx efer %#lx\n", (unsigned long)s.host_cr0,
            (unsigned long)s.host_cr3, (unsigned long)s.host_cr4, (unsigned long)s.host_rip,
            (unsigned long)s.host_rsp, (unsigned long)s.host_efer);
}

void vmcs_access_failed(const char *insn, uint32_t encoding, int status)
{
    if (status == VMX_FAIL_VALID) {
        uint64_t err = 0;
        vmcs_try_read(VMCS_INSN_ERROR, &err);
        panic("vmx: %s %#x (%s) failed: VMfailValid, VM-instruction error %u (%s)", insn, encoding,
              vmcs_field_name(encoding), (unsigned)err, vmx_insn_error_name((uint32_t)err));
    }
    panic("vmx: %s %#x (%s) failed: VMfailInvalid (no current VMCS)", insn, encoding, vmcs_field_name(encoding));
}
