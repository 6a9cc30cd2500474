/**
 * @file vmx_check_ctl.c
 * @brief VM-entry checks on the VMX control fields, SDM Vol. 3C §27.2.1.
 *
 * A violation here makes VMLAUNCH/VMRESUME fail with VMfailValid and
 * VM-instruction error 7, "VM entry with invalid control field(s)"
 * (SDM Vol. 3C §31.4); the guest never runs.
 */
#include "vmx/vmx_check_impl.h"

/* Field names as vmcs_field_name() spells them. */
static const char *const ctl_field[VMX_CTL_KINDS] = {
    "PIN_CONTROLS", "PROC_CONTROLS", "PROC2_CONTROLS", "EXIT_CONTROLS", "ENTRY_CONTROLS",
};
static const char *const ctl_rule[VMX_CTL_KINDS] = {
    "ctl-pin-allowed", "ctl-proc-allowed", "ctl-proc2-allowed", "ctl-exit-allowed", "ctl-entry-allowed",
};
static const char *const ctl_sdm[VMX_CTL_KINDS] = {
    SDM_CTL_EXEC, SDM_CTL_EXEC, SDM_CTL_EXEC, SDM_CTL_EXIT, SDM_CTL_ENTRY,
};

/* "Reserved bits ... must be set properly": every bit must lie within the
 * allowed 0- and 1-settings of its capability MSR (Appendix A.3-A.5). */
static void check_allowed(struct vmx_checker *ck, enum vmx_ctl_kind k, uint32_t value)
{
    uint64_t allowed = ck->caps->ctl[k];
    uint32_t must1 = vmx_ctl_must_be_one(allowed), may1 = vmx_ctl_may_be_one(allowed);
    for (unsigned bit = 0; bit < 32; bit++) {
        uint32_t m = 1u << bit;
        if ((value & m) && !(may1 & m))
            vmx_check_fail(ck, ctl_rule[k], ctl_sdm[k], ctl_field[k], value,
                           "%s control bit %u (%s) must be 0: it is not in the allowed 1-settings",
                           vmx_ctl_kind_name(k), bit, vmx_ctl_bit_name(k, bit));
        if (!(value & m) && (must1 & m))
            vmx_check_fail(ck, ctl_rule[k], ctl_sdm[k], ctl_field[k], value,
                           "%s control bit %u (%s) must be 1: its allowed 0-setting is 1",
                           vmx_ctl_kind_name(k), bit, vmx_ctl_bit_name(k, bit));
    }
}

/* A 4-KByte aligned physical address within MAXPHYADDR. */
static void check_page_addr(struct vmx_checker *ck, const char *rule, const char *field, uint64_t a,
                            const char *what)
{
    if ((a & 0xfff) || !vmx_phys_ok(ck->caps, a))
        vmx_check_fail(ck, rule, SDM_CTL_EXEC, field, a,
                       "%s must be 4-KByte aligned and below MAXPHYADDR (%u bits)", what,
                       ck->caps->phys_addr_bits);
}

/* MSR areas: 16-byte aligned, last byte within MAXPHYADDR (§27.2.1.2/3). */
static void check_msr_area(struct vmx_checker *ck, const char *rule, const char *sdm, const char *field,
                           uint64_t addr, uint32_t count)
{
    if (count == 0)
        return;
    uint64_t last = addr + (uint64_t)count * 16 - 1;
    if ((addr & 0xf) || !vmx_phys_ok(ck->caps, addr) || last < addr || !vmx_phys_ok(ck->caps, last))
        vmx_check_fail(ck, rule, sdm, field, addr,
                       "an MSR area of %u entries must be 16-byte aligned and end below MAXPHYADDR", count);
}

static void check_execution(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    uint32_t proc2 = vmx_proc2(s);

    check_allowed(ck, VMX_CTL_PIN, s->pin);
    check_allowed(ck, VMX_CTL_PROC, s->proc);
    if (s->proc & PROC_SECONDARY_CONTROLS)
        check_allowed(ck, VMX_CTL_PROC2, s->proc2);

    if (s->cr3_target_count > vmx_caps_cr3_targets(ck->caps))
        vmx_check_fail(ck, "ctl-cr3-target-count", SDM_CTL_EXEC, "CR3_TARGET_COUNT", s->cr3_target_count,
                       "the CR3-target count must not exceed %u (IA32_VMX_MISC[24:16])",
                       vmx_caps_cr3_targets(ck->caps));
    if (s->proc & PROC_USE_IO_BITMAPS) {
        check_page_addr(ck, "ctl-io-bitmap-addr", "IO_BITMAP_A", s->io_bitmap_a, "I/O bitmap A");
        check_page_addr(ck, "ctl-io-bitmap-addr", "IO_BITMAP_B", s->io_bitmap_b, "I/O bitmap B");
    }
    if (s->proc & PROC_USE_MSR_BITMAPS)
        check_page_addr(ck, "ctl-msr-bitmap-addr", "MSR_BITMAP", s->msr_bitmap, "the MSR-bitmap address");

    if (s->proc & PROC_TPR_SHADOW) {
        check_page_addr(ck, "ctl-virtual-apic-addr", "VIRTUAL_APIC_ADDR", s->virtual_apic_addr,
                        "the virtual-APIC address");
        if (!(proc2 & PROC2_VIRT_INTR_DELIVERY) && (s->tpr_threshold & ~0xfu))
            vmx_check_fail(ck, "ctl-tpr-threshold", SDM_CTL_EXEC, "TPR_THRESHOLD", s->tpr_threshold,
                           "without virtual-interrupt delivery, TPR-threshold bits 31:4 must be 0");
    } else if (proc2 & (PROC2_VIRTUALIZE_X2APIC | PROC2_APIC_REG_VIRT | PROC2_VIRT_INTR_DELIVERY)) {
        vmx_check_fail(ck, "ctl-tpr-shadow-needed", SDM_CTL_EXEC, "PROC2_CONTROLS", s->proc2,
                       "virtualize x2APIC mode, APIC-register virtualization and virtual-interrupt "
                       "delivery need \"use TPR shadow\"");
    }
    if (!(s->pin & PIN_NMI_EXITING) && (s->pin & PIN_VIRTUAL_NMIS))
        vmx_check_fail(ck, "ctl-virtual-nmis", SDM_CTL_EXEC, "PIN_CONTROLS", s->pin,
                       "\"virtual NMIs\" needs \"NMI exiting\"");
    if (!(s->pin & PIN_VIRTUAL_NMIS) && (s->proc & PROC_NMI_WINDOW_EXITING))
        vmx_check_fail(ck, "ctl-nmi-window", SDM_CTL_EXEC, "PROC_CONTROLS", s->proc,
                       "\"NMI-window exiting\" needs \"virtual NMIs\"");
    if (proc2 & PROC2_VIRTUALIZE_APIC)
        check_page_addr(ck, "ctl-apic-access-addr", "APIC_ACCESS_ADDR", s->apic_access_addr,
                        "the APIC-access address");
    if ((proc2 & PROC2_VIRTUALIZE_X2APIC) && (proc2 & PROC2_VIRTUALIZE_APIC))
        vmx_check_fail(ck, "ctl-x2apic-and-apic", SDM_CTL_EXEC, "PROC2_CONTROLS", s->proc2,
                       "\"virtualize x2APIC mode\" and \"virtualize APIC accesses\" exclude each other");
    if ((proc2 & PROC2_VIRT_INTR_DELIVERY) && !(s->pin & PIN_EXTINT_EXITING))
        vmx_check_fail(ck, "ctl-vid-extint", SDM_CTL_EXEC, "PIN_CONTROLS", s->pin,
                       "virtual-interrupt delivery needs \"external-interrupt exiting\"");
    if ((s->pin & PIN_POSTED_INTERRUPTS) &&
        (!(proc2 & PROC2_VIRT_INTR_DELIVERY) || !(s->exit_ctls & EXIT_ACK_INTR_ON_EXIT)))
        vmx_check_fail(ck, "ctl-posted-intr", SDM_CTL_EXEC, "PIN_CONTROLS", s->pin,
                       "posted interrupts need virtual-interrupt delivery and \"acknowledge interrupt on exit\"");
    if ((proc2 & PROC2_ENABLE_VPID) && s->vpid == 0)
        vmx_check_fail(ck, "ctl-vpid-zero", SDM_CTL_EXEC, "VPID", s->vpid,
                       "with \"enable VPID\" the VPID must not be 0000H (the host's)");
    if (proc2 & PROC2_ENABLE_EPT) {
        /* §27.2.1.1 EPTP bullets, with the capabilities of Appendix A.10. */
        uint64_t e = s->eptp, type = e & 7, walk = (e >> 3) & 7;
        bool type_ok = (type == 0 && (ck->caps->ept_vpid & (1ull << 8))) ||
                       (type == 6 && (ck->caps->ept_vpid & (1ull << 14)));
        bool walk_ok = walk == 3 || (walk == 4 && (ck->caps->ept_vpid & (1ull << 7)));
        bool ad_ok = !(e & (1ull << 6)) || (ck->caps->ept_vpid & (1ull << 21));
        if (!type_ok || !walk_ok || !ad_ok || (e & 0xf80) || !vmx_phys_ok(ck->caps, e))
            vmx_check_fail(ck, "ctl-eptp", SDM_CTL_EXEC, "EPT_POINTER", e,
                           "the EPTP needs a supported memory type, a supported page-walk length - 1, "
                           "A/D only if supported, bits 11:7 clear and no bit beyond MAXPHYADDR");
    }
    if ((proc2 & PROC2_UNRESTRICTED_GUEST) && !(proc2 & PROC2_ENABLE_EPT))
        vmx_check_fail(ck, "ctl-ug-needs-ept", SDM_CTL_EXEC, "PROC2_CONTROLS", s->proc2,
                       "\"unrestricted guest\" needs \"enable EPT\"");
    if ((proc2 & PROC2_ENABLE_PML) && !(proc2 & PROC2_ENABLE_EPT))
        vmx_check_fail(ck, "ctl-pml-needs-ept", SDM_CTL_EXEC, "PROC2_CONTROLS", s->proc2,
                       "\"enable PML\" needs \"enable EPT\"");
}

static void check_exit(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    check_allowed(ck, VMX_CTL_EXIT, s->exit_ctls);
    if (!(s->pin & PIN_PREEMPTION_TIMER) && (s->exit_ctls & EXIT_SAVE_PREEMPT_TIMER))
        vmx_check_fail(ck, "ctl-exit-preempt-save", SDM_CTL_EXIT, "EXIT_CONTROLS", s->exit_ctls,
                       "\"save VMX-preemption timer value\" needs the preemption timer active");
    check_msr_area(ck, "ctl-exit-msr-store-addr", SDM_CTL_EXIT, "EXIT_MSR_STORE_ADDR",
                   s->exit_msr_store_addr, s->exit_msr_store_count);
    check_msr_area(ck, "ctl-exit-msr-load-addr", SDM_CTL_EXIT, "EXIT_MSR_LOAD_ADDR",
                   s->exit_msr_load_addr, s->exit_msr_load_count);
}

/* §27.2.1.3, "Event injection" bullets. */
static void check_injection(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    uint32_t info = s->entry_intr_info;
    if (!(info & VMX_INTR_VALID))
        return;
    uint32_t type = (info & VMX_INTR_TYPE_MASK) >> VMX_INTR_TYPE_SHIFT;
    uint32_t vector = info & VMX_INTR_VECTOR_MASK;
    bool mtf_ok = vmx_ctl_may_be_one(ck->caps->ctl[VMX_CTL_PROC]) & PROC_MONITOR_TRAP_FLAG;
    if (type == 1 || (type == VMX_INTR_TYPE_OTHER && !mtf_ok))
        vmx_check_fail(ck, "ctl-entry-intr-type", SDM_CTL_ENTRY, "ENTRY_INTR_INFO", info,
                       "interruption type %u is reserved on this CPU", type);
    if ((type == VMX_INTR_TYPE_NMI && vector != 2) || (type == VMX_INTR_TYPE_HW_EXCEPTION && vector > 31) ||
        (type == VMX_INTR_TYPE_OTHER && vector != 0))
        vmx_check_fail(ck, "ctl-entry-intr-vector", SDM_CTL_ENTRY, "ENTRY_INTR_INFO", info,
                       "vector %u does not fit type %s (NMI: 2, hardware exception: 0-31, other: 0)",
                       vector, vmx_intr_type_name(type));

    bool pe_rule = !vmx_unrestricted(s) || (s->guest_cr0 & CR0_PE);
    bool any_errcode = ck->caps->basic & VMX_BASIC_ANY_ERRCODE;
    bool deliver = info & VMX_INTR_ERROR_CODE;
    bool must = pe_rule && type == VMX_INTR_TYPE_HW_EXCEPTION && !any_errcode && vmx_exception_has_error(vector);
    bool may = pe_rule && type == VMX_INTR_TYPE_HW_EXCEPTION && (any_errcode || vmx_exception_has_error(vector));
    if (deliver != must && !(deliver && may))
        vmx_check_fail(ck, "ctl-entry-intr-errcode", SDM_CTL_ENTRY, "ENTRY_INTR_INFO", info,
                       "deliver-error-code must be %u for a %s with vector %u",
                       deliver ? 0u : 1u, vmx_intr_type_name(type), vector);
    if (info & VMX_INTR_RESERVED)
        vmx_check_fail(ck, "ctl-entry-intr-reserved", SDM_CTL_ENTRY, "ENTRY_INTR_INFO", info,
                       "bits 30:12 of the VM-entry interruption information must be 0");
    if (deliver && (s->entry_exc_error & 0xffff0000u))
        vmx_check_fail(ck, "ctl-entry-errcode-high", SDM_CTL_ENTRY, "ENTRY_EXCEPTION_ERROR", s->entry_exc_error,
                       "bits 31:16 of the VM-entry exception error code must be 0");
    if (type == VMX_INTR_TYPE_SOFT_INTR || type == VMX_INTR_TYPE_PRIV_SOFT_EXC || type == VMX_INTR_TYPE_SOFT_EXC) {
        bool zero_ok = ck->caps->misc & VMX_MISC_ZERO_LEN_INJECT;
        if (s->entry_insn_len > 15 || (s->entry_insn_len == 0 && !zero_ok))
            vmx_check_fail(ck, "ctl-entry-insn-len", SDM_CTL_ENTRY, "ENTRY_INSN_LEN", s->entry_insn_len,
                           "a software event needs an instruction length of %u to 15", zero_ok ? 0u : 1u);
    }
}

static void check_entry(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    check_allowed(ck, VMX_CTL_ENTRY, s->entry_ctls);
    check_injection(ck);
    check_msr_area(ck, "ctl-entry-msr-load-addr", SDM_CTL_ENTRY, "ENTRY_MSR_LOAD_ADDR",
                   s->entry_msr_load_addr, s->entry_msr_load_count);
    /* Spectrum is never the SMM monitor: outside SMM these must be 0. */
    if (s->entry_ctls & (ENTRY_TO_SMM | ENTRY_DEACT_DUAL_MONITOR))
        vmx_check_fail(ck, "ctl-entry-smm", SDM_CTL_ENTRY, "ENTRY_CONTROLS", s->entry_ctls,
                       "\"entry to SMM\" and \"deactivate dual-monitor treatment\" must be 0 outside SMM");
}

void vmx_check_controls(struct vmx_checker *ck)
{
    check_execution(ck);
    check_exit(ck);
    check_entry(ck);
}
