/**
 * @file vmx_event.c
 * @brief Getting events into the guest: VM-entry event injection, the
 *        interrupt window, and events an exit interrupted.
 *
 *  - Injection (SDM Vol. 3C §25.8.3, §27.6 "Event Injection"): the
 *    VM-entry interruption-information field (vector 7:0, type 10:8,
 *    deliver-error-code 11, valid 31) plus the exception error code and,
 *    for software events, the instruction length.  The CPU delivers the
 *    event through the guest's IDT as the first thing after the entry.
 *    inject() refuses what would make the entry fail (§27.2.1.3): an NMI
 *    vector other than 2, exception vectors above 31 or 2, an error code
 *    for a vector that has none (or none for one that has).
 *  - Interrupt window (§26.7.5): with "interrupt-window exiting" the CPU
 *    exits before the first instruction at which RFLAGS.IF = 1 and there
 *    is no STI/MOV-SS blocking - the moment an external interrupt can be
 *    injected.  It is on exactly while v->want_intr_window is set.
 *  - IDT-vectoring information (§28.2.4): if the exit happened while an
 *    event was being delivered, the event was not delivered; it is
 *    re-queued, unless the exit is an exception the handler reflects
 *    (it supersedes the event, as a fault during delivery does) or a
 *    triple fault.  Every VM exit clears the valid bit of the VM-entry
 *    interruption-information field (§25.8.3), so an injected event is
 *    never delivered twice.
 */
#include "vmx/vmx.h"

#include "vmx/vmcs_fields.h"
#include "vmx/vmx_controls.h"
#include "vmx/vmx_exit_info.h"
#include "spectrum/x86_bits.h"


bool vmx_inject(struct vcpu *v, const struct vcpu_event *ev)
{
    struct vmx_vcpu *x = vmx_of(v);
    if (x->pending_info & VMX_INTR_VALID)
        return false;
    uint32_t type, vector = ev->vector;
    bool error = false;
    switch (ev->type) {
    case EVENT_EXTINT:
        type = VMX_INTR_TYPE_EXT_INTR;
        break;
    case EVENT_NMI:
        type = VMX_INTR_TYPE_NMI;
        vector = EXC_NMI;
        break;
    case EVENT_EXCEPTION: {
        if (vector == EXC_NMI || vector > 31)
            return false;
        type = VMX_INTR_TYPE_HW_EXCEPTION;
        bool any = vmx_cpu.caps.basic & VMX_BASIC_ANY_ERRCODE;
        if (ev->has_error != vmx_exception_has_error(vector) && !(any && ev->has_error))
            return false;
        error = ev->has_error;
        break;
    }
    default:
        return false;
    }
    x->pending_info = VMX_INTR_VALID | (type << VMX_INTR_TYPE_SHIFT) | vector | (error ? VMX_INTR_ERROR_CODE : 0);
    x->pending_error = error ? ev->error : 0;
    x->pending_len = 0;
    return true;
}

bool vmx_intr_allowed(struct vcpu *v)
{
    struct vmx_vcpu *x = vmx_of(v);
    if (!(v->regs.rflags & RFLAGS_IF) || (x->pending_info & VMX_INTR_VALID))
        return false;
    /* A handler that moved RIP ended any STI/MOV-SS shadow (vmx_run.c). */
    if (x->launched && v->regs.rip != x->exit_rip)
        return true;
    vmx_vmcs_load(x);
    uint64_t in = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
    return !(in & (VMX_INTERRUPTIBILITY_STI | VMX_INTERRUPTIBILITY_MOV_SS));
}

void vmx_event_before_entry(struct vmx_vcpu *x)
{
    if (x->pending_info & VMX_INTR_VALID) {
        vmcs_write(VMCS_ENTRY_INTR_INFO, x->pending_info);
        vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR, x->pending_error);
        vmcs_write(VMCS_ENTRY_INSN_LEN, x->pending_len);
    }
    uint32_t proc = x->ctl[VMX_CTL_PROC] | (x->vcpu.want_intr_window ? PROC_INTR_WINDOW_EXITING : 0);
    if (proc != x->proc_now) {
        vmcs_write(VMCS_PROC_CONTROLS, proc);
        x->proc_now = proc;
    }
}

void vmx_event_after_exit(struct vmx_vcpu *x, const struct vm_exit *e)
{
    x->pending_info = 0;
    if (e->reason == EXIT_ENTRY_FAILED || e->reason == EXIT_EXCEPTION || e->reason == EXIT_TRIPLE_FAULT)
        return;
    uint32_t idt = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO);
    if (!(idt & VMX_INTR_VALID))
        return;
    uint32_t type = (idt & VMX_INTR_TYPE_MASK) >> VMX_INTR_TYPE_SHIFT;
    /* Bits 30:12 of the IDT-vectoring field are undefined: keep the
     * vector, type, error-code and valid bits. */
    x->pending_info = idt & (VMX_INTR_VALID | VMX_INTR_ERROR_CODE | VMX_INTR_TYPE_MASK | VMX_INTR_VECTOR_MASK);
    x->pending_error = (idt & VMX_INTR_ERROR_CODE) ? (uint32_t)vmcs_read(VMCS_IDT_VECTORING_ERROR) : 0;
    bool soft = type == VMX_INTR_TYPE_SOFT_INTR || type == VMX_INTR_TYPE_PRIV_SOFT_EXC ||
                type == VMX_INTR_TYPE_SOFT_EXC;
    x->pending_len = soft ? (uint32_t)vmcs_read(VMCS_EXIT_INSN_LEN) : 0;
}
