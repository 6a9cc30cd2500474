/**
 * @file vmx_run.c
 * @brief One trip into the guest (ops->run): sync the registers the VMCS
 *        holds, enter, and turn what comes back into a struct vm_exit.
 *
 * Around vmx_enter() (vmx_run.S):
 *  - before: RIP, RSP and RFLAGS go from struct vcpu_regs into the VMCS;
 *    if a handler moved RIP past the exiting instruction, the STI/MOV-SS
 *    shadow it may have been in is over (SDM Vol. 2B "STI": the shadow
 *    covers one instruction), so blocking by STI/MOV SS is cleared - the
 *    CPU would refuse an entry with STI blocking and IF = 0 (§27.3.1.5);
 *    the queued event and the interrupt-window control are written; the
 *    guest's CR2 is put back (VM entries and exits do not switch CR2);
 *  - the entry is VMLAUNCH the first time and VMRESUME afterwards (§27.1:
 *    VMLAUNCH needs a "clear" VMCS, VMRESUME a "launched" one);
 *  - after: if VMLAUNCH/VMRESUME failed (VMfailInvalid/VMfailValid), the
 *    VM-instruction error is read at once (any later failing VMREAD would
 *    overwrite it) and reported by name; otherwise RIP/RSP/RFLAGS come
 *    back into struct vcpu_regs and the exit is decoded (vmx_exit.c).
 * Stopping the VM after a failed entry is the exit loop's job: it runs the
 * checker and the dump, then stops with the name from ops->exit_name.
 *
 * The time slice: v->deadline_tsc becomes the VMX-preemption timer value,
 * in units of 2^IA32_VMX_MISC[4:0] TSC ticks (SDM Vol. 3C §26.5.1: the
 * timer counts down from the value loaded at entry and exits at 0); a CPU
 * without the timer gets the host timer (host/host_irq.h) instead.  An NMI
 * that caused an exit was consumed by it, so the host's NMI handler is
 * run right after the exit (INT 2), as if the NMI had come to the host.
 */
#include "vmx/vmx.h"

#include "host/host_irq.h"

#include "spectrum/console.h"
#include "spectrum/string.h"
#include "spectrum/x86.h"
#include "vmx/vmcs_fields.h"
#include "vmx/vmx_controls.h"
#include "vmx/vmx_exit_info.h"

/* vmx_run.S hard-codes these (it cannot include C headers). */
_Static_assert(offsetof(struct vcpu_regs, gpr[GPR_RAX]) == 0 * 8, "vmx_run.S R_RAX");
_Static_assert(offsetof(struct vcpu_regs, gpr[GPR_RBP]) == 5 * 8, "vmx_run.S R_RBP");
_Static_assert(offsetof(struct vcpu_regs, gpr[GPR_RDI]) == 7 * 8, "vmx_run.S R_RDI");
_Static_assert(offsetof(struct vcpu_regs, gpr[GPR_R15]) == 15 * 8, "vmx_run.S R_R15");
_Static_assert(VMCS_HOST_RSP == 0x6C14, "vmx_run.S VMCS_HOST_RSP");
_Static_assert(VMX_OK == 0 && VMX_FAIL_INVALID == 1 && VMX_FAIL_VALID == 2, "vmx_run.S return values");

static void sync_to_vmcs(struct vmx_vcpu *x)
{
    const struct vcpu_regs *r = &x->vcpu.regs;
    vmcs_write(VMCS_GUEST_RIP, r->rip);
    vmcs_write(VMCS_GUEST_RSP, r->gpr[GPR_RSP]);
    vmcs_write(VMCS_GUEST_RFLAGS, r->rflags);
    if (x->launched && r->rip != x->exit_rip) {
        uint64_t in = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
        uint64_t shadow = VMX_INTERRUPTIBILITY_STI | VMX_INTERRUPTIBILITY_MOV_SS;
        if (in & shadow)
            vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, in & ~shadow);
    }
}

static void sync_from_vmcs(struct vmx_vcpu *x)
{
    struct vcpu_regs *r = &x->vcpu.regs;
    r->rip = vmcs_read(VMCS_GUEST_RIP);
    r->gpr[GPR_RSP] = vmcs_read(VMCS_GUEST_RSP);
    r->rflags = vmcs_read(VMCS_GUEST_RFLAGS);
    x->exit_rip = r->rip;
}

/* VMLAUNCH/VMRESUME fell through: the guest never ran (§31.2). */
static void entry_refused(struct vmx_vcpu *x, int st, struct vm_exit *e)
{
    const char *insn = x->launched ? "VMRESUME" : "VMLAUNCH";
    e->reason = EXIT_ENTRY_FAILED;
    if (st == VMX_FAIL_VALID) {
        uint32_t err = (uint32_t)vmcs_read(VMCS_INSN_ERROR);
        x->last_insn_error = err;
        e->raw = VMX_RAW_VMFAIL_VALID | err;
        kprintf("vmx: %s failed: VMfailValid, VM-instruction error %u (%s)\n", insn, err,
                vmx_insn_error_name(err));
    } else {
        e->raw = VMX_RAW_VMFAIL_INVALID;
        kprintf("vmx: %s failed: VMfailInvalid (no current VMCS)\n", insn);
    }
}

void vmx_prepare_entry(struct vmx_vcpu *x)
{
    vmx_vmcs_load(x);
    sync_to_vmcs(x);
    vmx_event_before_entry(x);
}

/* End the guest's run by @p deadline: the preemption timer, or the host timer. */
static void slice_arm(struct vmx_vcpu *x, uint64_t deadline)
{
    if (!(x->ctl[VMX_CTL_PIN] & PIN_PREEMPTION_TIMER)) {
        host_timer_arm(deadline);
        return;
    }
    uint64_t now = rdtsc();
    uint64_t units = deadline > now ? (deadline - now) >> vmx_caps_preempt_rate(&vmx_cpu.caps) : 0;
    vmcs_write(VMCS_PREEMPTION_TIMER_VALUE, units > 0xffffffffull ? 0xffffffffull : units);
}

void vmx_run(struct vcpu *v, struct vm_exit *e)
{
    struct vmx_vcpu *x = vmx_of(v);
    memset(e, 0, sizeof *e);
    vmx_prepare_entry(x);
    vmx_msr_load(x);
    slice_arm(x, v->deadline_tsc);
    if (read_cr2() != x->guest_cr2)
        write_cr2(x->guest_cr2);

    x->attempted = true;
    int st = vmx_enter(&v->regs, x->launched);
    if (st != VMX_OK) {
        entry_refused(x, st, e);
        return;
    }
    x->guest_cr2 = read_cr2();
    vmx_host_restore_tables();

    sync_from_vmcs(x);
    vmx_exit_decode(e);
    if (e->reason == EXIT_HOST_NMI)
        host_nmi_reflect();
    /* Only a real entry counts as a launch; after a VM-entry failure exit
     * (§27.8) the loop stops the VM anyway. */
    if (!(e->raw & VMX_EXIT_REASON_ENTRY_FAIL))
        x->launched = true;
    vmx_event_after_exit(x, e);
}
