/**
 * @file vmx_check_nonreg.c
 * @brief VM-entry checks on the guest's non-register state, SDM Vol. 3C
 *        §27.3.1.5: activity state, interruptibility state, pending debug
 *        exceptions and the VMCS link pointer.
 *
 * §27.3.1.6 (PDPTEs) is not checked: it applies only to PAE paging outside
 * IA-32e mode, which Spectrum never gives a guest (32-bit guests run with
 * plain 32-bit paging, 64-bit guests with 4-level paging).
 */
#include "vmx/vmx_check_impl.h"

/* Pending debug exceptions, SDM Vol. 3C §25.4.2 Table 25-4: bits 3:0 B3-B0,
 * 12 enabled breakpoint, 14 BS, 16 RTM; the rest is reserved. */
#define PENDING_DBG_RESERVED (0xff0ull | (1ull << 13) | (1ull << 15) | ~0x1ffffull)
#define PENDING_DBG_BS       (1ull << 14)
#define DEBUGCTL_BTF         (1ull << 1)

static void check_activity(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    uint32_t act = s->guest_activity;
    static const uint64_t supported[4] = { ~0ull, VMX_MISC_ACT_HLT, VMX_MISC_ACT_SHUTDOWN, VMX_MISC_ACT_SIPI };
    if (act > VMX_ACTIVITY_WAIT_SIPI || !(ck->caps->misc & supported[act])) {
        vmx_check_fail(ck, "guest-activity", SDM_GUEST_NONREG, "GUEST_ACTIVITY_STATE", act,
                       "the activity state must be 0-3 and supported by IA32_VMX_MISC[8:6]");
        return;
    }
    unsigned ss_dpl = (s->guest_seg[VMX_SEG_SS].ar >> VMX_AR_DPL_SHIFT) & 3;
    if (act == VMX_ACTIVITY_HLT && ss_dpl != 0)
        vmx_check_fail(ck, "guest-activity-hlt-dpl", SDM_GUEST_NONREG, "GUEST_ACTIVITY_STATE", act,
                       "the HLT activity state needs SS.DPL = 0 (CPL 0), not %u", ss_dpl);
    if (act != VMX_ACTIVITY_ACTIVE &&
        (s->guest_interruptibility & (VMX_INTERRUPTIBILITY_STI | VMX_INTERRUPTIBILITY_MOV_SS)))
        vmx_check_fail(ck, "guest-activity-blocking", SDM_GUEST_NONREG, "GUEST_ACTIVITY_STATE", act,
                       "with blocking by STI or MOV SS the activity state must be active");

    /* Which events may be injected into a non-active vCPU. */
    uint32_t info = s->entry_intr_info;
    if (!(info & VMX_INTR_VALID) || act == VMX_ACTIVITY_ACTIVE)
        return;
    uint32_t type = (info & VMX_INTR_TYPE_MASK) >> VMX_INTR_TYPE_SHIFT, vec = info & VMX_INTR_VECTOR_MASK;
    bool ok;
    if (act == VMX_ACTIVITY_HLT)
        ok = type == VMX_INTR_TYPE_EXT_INTR || type == VMX_INTR_TYPE_NMI || type == VMX_INTR_TYPE_OTHER ||
             (type == VMX_INTR_TYPE_HW_EXCEPTION && (vec == 1 || vec == 18));
    else if (act == VMX_ACTIVITY_SHUTDOWN)
        ok = type == VMX_INTR_TYPE_NMI || (type == VMX_INTR_TYPE_HW_EXCEPTION && vec == 18);
    else
        ok = false;
    if (!ok)
        vmx_check_fail(ck, "guest-activity-inject", SDM_GUEST_NONREG, "ENTRY_INTR_INFO", info,
                       "a %s (vector %u) cannot be injected in activity state %u", vmx_intr_type_name(type),
                       vec, act);
}

static void check_interruptibility(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    uint32_t in = s->guest_interruptibility;
    const uint32_t sti = VMX_INTERRUPTIBILITY_STI, movss = VMX_INTERRUPTIBILITY_MOV_SS;
    if (in & VMX_INTERRUPTIBILITY_RESERVED)
        vmx_check_fail(ck, "guest-intr-reserved", SDM_GUEST_NONREG, "GUEST_INTERRUPTIBILITY", in,
                       "interruptibility bits 31:5 must be 0");
    if ((in & sti) && (in & movss))
        vmx_check_fail(ck, "guest-intr-sti-movss", SDM_GUEST_NONREG, "GUEST_INTERRUPTIBILITY", in,
                       "blocking by STI and by MOV SS cannot both be 1");
    if ((in & sti) && !(s->guest_rflags & RFLAGS_IF))
        vmx_check_fail(ck, "guest-intr-sti-if", SDM_GUEST_NONREG, "GUEST_INTERRUPTIBILITY", in,
                       "blocking by STI needs RFLAGS.IF = 1");
    if (vmx_injects(s, VMX_INTR_TYPE_EXT_INTR) && (in & (sti | movss)))
        vmx_check_fail(ck, "guest-intr-inject-extint", SDM_GUEST_NONREG, "GUEST_INTERRUPTIBILITY", in,
                       "an external interrupt cannot be injected during blocking by STI or MOV SS");
    if (vmx_injects(s, VMX_INTR_TYPE_NMI) && (in & movss))
        vmx_check_fail(ck, "guest-intr-inject-nmi", SDM_GUEST_NONREG, "GUEST_INTERRUPTIBILITY", in,
                       "an NMI cannot be injected during blocking by MOV SS");
    if (in & VMX_INTERRUPTIBILITY_SMI)
        vmx_check_fail(ck, "guest-intr-smi", SDM_GUEST_NONREG, "GUEST_INTERRUPTIBILITY", in,
                       "blocking by SMI must be 0 outside SMM");
    if ((s->pin & PIN_VIRTUAL_NMIS) && vmx_injects(s, VMX_INTR_TYPE_NMI) && (in & VMX_INTERRUPTIBILITY_NMI))
        vmx_check_fail(ck, "guest-intr-vnmi", SDM_GUEST_NONREG, "GUEST_INTERRUPTIBILITY", in,
                       "with virtual NMIs, an NMI cannot be injected during blocking by NMI");
}

static void check_pending_debug(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    uint64_t p = s->guest_pending_dbg;
    if (p & PENDING_DBG_RESERVED)
        vmx_check_fail(ck, "guest-pending-dbg-reserved", SDM_GUEST_NONREG, "GUEST_PENDING_DBG", p,
                       "pending-debug-exception bits 11:4, 13, 15 and 63:17 must be 0");
    bool shadow = (s->guest_interruptibility & (VMX_INTERRUPTIBILITY_STI | VMX_INTERRUPTIBILITY_MOV_SS)) ||
                  s->guest_activity == VMX_ACTIVITY_HLT;
    if (!shadow)
        return;
    bool single_step = (s->guest_rflags & RFLAGS_TF) && !(s->guest_debugctl & DEBUGCTL_BTF);
    if (!!(p & PENDING_DBG_BS) != single_step)
        vmx_check_fail(ck, "guest-pending-dbg-bs", SDM_GUEST_NONREG, "GUEST_PENDING_DBG", p,
                       "during STI/MOV SS blocking or HLT, BS must be %u (RFLAGS.TF = 1 and DEBUGCTL.BTF = 0)",
                       single_step);
}

void vmx_check_guest_nonreg(struct vmx_checker *ck)
{
    check_activity(ck);
    check_interruptibility(ck);
    check_pending_debug(ck);
    /* Not ~0 means "the shadow VMCS / link VMCS lives here": the CPU then
     * checks its alignment, width and revision identifier.  Spectrum uses
     * no VMCS shadowing, so anything but ~0 is a mistake. */
    if (ck->s->link_pointer != ~0ull)
        vmx_check_fail(ck, "guest-vmcs-link", SDM_GUEST_NONREG, "LINK_POINTER", ck->s->link_pointer,
                       "the VMCS link pointer must be FFFFFFFF_FFFFFFFFH (no shadow VMCS)");
}
