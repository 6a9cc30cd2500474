/**
 * @file vmx_fields.c
 * @brief The table of VMCS fields Spectrum knows: encoding, name, and
 *        where the field lives in struct vmx_state.
 *
 * One table serves three purposes: naming a field in an error message
 * (vmcs_field_name()), capturing a snapshot of the current VMCS for the
 * checker (vmx_snapshot.c), and the dump.  Pure data, hosted-safe.
 */
#include "vmx/vmx_fields.h"

#include <stddef.h>

#include "vmx/vmcs_fields.h"

/* A field stored in struct vmx_state. */
#define F(enc, name, member) \
    { enc, name, offsetof(struct vmx_state, member), sizeof(((struct vmx_state *)0)->member) }
/* A segment register's four fields. */
#define SEG(R)                                                                        \
    F(VMCS_GUEST_##R##_SEL, "GUEST_" #R "_SEL", guest_seg[VMX_SEG_##R].sel),         \
    F(VMCS_GUEST_##R##_BASE, "GUEST_" #R "_BASE", guest_seg[VMX_SEG_##R].base),      \
    F(VMCS_GUEST_##R##_LIMIT, "GUEST_" #R "_LIMIT", guest_seg[VMX_SEG_##R].limit),   \
    F(VMCS_GUEST_##R##_AR, "GUEST_" #R "_AR", guest_seg[VMX_SEG_##R].ar)
/* A field Spectrum names but does not snapshot (read-only exit information). */
#define N(enc, name) { enc, name, VMX_FIELD_NO_OFFSET, 0 }

const struct vmx_field vmx_fields[] = {
    /* Controls */
    F(VMCS_PIN_CONTROLS, "PIN_CONTROLS", pin),
    F(VMCS_PROC_CONTROLS, "PROC_CONTROLS", proc),
    F(VMCS_PROC2_CONTROLS, "PROC2_CONTROLS", proc2),
    F(VMCS_EXIT_CONTROLS, "EXIT_CONTROLS", exit_ctls),
    F(VMCS_ENTRY_CONTROLS, "ENTRY_CONTROLS", entry_ctls),
    F(VMCS_EXCEPTION_BITMAP, "EXCEPTION_BITMAP", exception_bitmap),
    F(VMCS_CR3_TARGET_COUNT, "CR3_TARGET_COUNT", cr3_target_count),
    F(VMCS_EXIT_MSR_STORE_COUNT, "EXIT_MSR_STORE_COUNT", exit_msr_store_count),
    F(VMCS_EXIT_MSR_LOAD_COUNT, "EXIT_MSR_LOAD_COUNT", exit_msr_load_count),
    F(VMCS_ENTRY_MSR_LOAD_COUNT, "ENTRY_MSR_LOAD_COUNT", entry_msr_load_count),
    F(VMCS_ENTRY_INTR_INFO, "ENTRY_INTR_INFO", entry_intr_info),
    F(VMCS_ENTRY_EXCEPTION_ERROR, "ENTRY_EXCEPTION_ERROR", entry_exc_error),
    F(VMCS_ENTRY_INSN_LEN, "ENTRY_INSN_LEN", entry_insn_len),
    F(VMCS_TPR_THRESHOLD, "TPR_THRESHOLD", tpr_threshold),
    F(VMCS_VPID, "VPID", vpid),
    F(VMCS_IO_BITMAP_A, "IO_BITMAP_A", io_bitmap_a),
    F(VMCS_IO_BITMAP_B, "IO_BITMAP_B", io_bitmap_b),
    F(VMCS_MSR_BITMAP, "MSR_BITMAP", msr_bitmap),
    F(VMCS_EXIT_MSR_STORE_ADDR, "EXIT_MSR_STORE_ADDR", exit_msr_store_addr),
    F(VMCS_EXIT_MSR_LOAD_ADDR, "EXIT_MSR_LOAD_ADDR", exit_msr_load_addr),
    F(VMCS_ENTRY_MSR_LOAD_ADDR, "ENTRY_MSR_LOAD_ADDR", entry_msr_load_addr),
    F(VMCS_VIRTUAL_APIC_ADDR, "VIRTUAL_APIC_ADDR", virtual_apic_addr),
    F(VMCS_APIC_ACCESS_ADDR, "APIC_ACCESS_ADDR", apic_access_addr),
    F(VMCS_EPT_POINTER, "EPT_POINTER", eptp),
    F(VMCS_CR0_GUEST_HOST_MASK, "CR0_GUEST_HOST_MASK", cr0_mask),
    F(VMCS_CR4_GUEST_HOST_MASK, "CR4_GUEST_HOST_MASK", cr4_mask),
    F(VMCS_CR0_READ_SHADOW, "CR0_READ_SHADOW", cr0_shadow),
    F(VMCS_CR4_READ_SHADOW, "CR4_READ_SHADOW", cr4_shadow),
    /* Host state */
    F(VMCS_HOST_CR0, "HOST_CR0", host_cr0),
    F(VMCS_HOST_CR3, "HOST_CR3", host_cr3),
    F(VMCS_HOST_CR4, "HOST_CR4", host_cr4),
    F(VMCS_HOST_RSP, "HOST_RSP", host_rsp),
    F(VMCS_HOST_RIP, "HOST_RIP", host_rip),
    F(VMCS_HOST_ES_SEL, "HOST_ES_SEL", host_sel[VMX_HSEL_ES]),
    F(VMCS_HOST_CS_SEL, "HOST_CS_SEL", host_sel[VMX_HSEL_CS]),
    F(VMCS_HOST_SS_SEL, "HOST_SS_SEL", host_sel[VMX_HSEL_SS]),
    F(VMCS_HOST_DS_SEL, "HOST_DS_SEL", host_sel[VMX_HSEL_DS]),
    F(VMCS_HOST_FS_SEL, "HOST_FS_SEL", host_sel[VMX_HSEL_FS]),
    F(VMCS_HOST_GS_SEL, "HOST_GS_SEL", host_sel[VMX_HSEL_GS]),
    F(VMCS_HOST_TR_SEL, "HOST_TR_SEL", host_sel[VMX_HSEL_TR]),
    F(VMCS_HOST_FS_BASE, "HOST_FS_BASE", host_fs_base),
    F(VMCS_HOST_GS_BASE, "HOST_GS_BASE", host_gs_base),
    F(VMCS_HOST_TR_BASE, "HOST_TR_BASE", host_tr_base),
    F(VMCS_HOST_GDTR_BASE, "HOST_GDTR_BASE", host_gdtr_base),
    F(VMCS_HOST_IDTR_BASE, "HOST_IDTR_BASE", host_idtr_base),
    F(VMCS_HOST_SYSENTER_CS, "HOST_SYSENTER_CS", host_sysenter_cs),
    F(VMCS_HOST_SYSENTER_ESP, "HOST_SYSENTER_ESP", host_sysenter_esp),
    F(VMCS_HOST_SYSENTER_EIP, "HOST_SYSENTER_EIP", host_sysenter_eip),
    F(VMCS_HOST_EFER, "HOST_EFER", host_efer),
    F(VMCS_HOST_PAT, "HOST_PAT", host_pat),
    /* Guest state */
    F(VMCS_GUEST_CR0, "GUEST_CR0", guest_cr0),
    F(VMCS_GUEST_CR3, "GUEST_CR3", guest_cr3),
    F(VMCS_GUEST_CR4, "GUEST_CR4", guest_cr4),
    F(VMCS_GUEST_DR7, "GUEST_DR7", guest_dr7),
    F(VMCS_GUEST_RSP, "GUEST_RSP", guest_rsp),
    F(VMCS_GUEST_RIP, "GUEST_RIP", guest_rip),
    F(VMCS_GUEST_RFLAGS, "GUEST_RFLAGS", guest_rflags),
    SEG(ES), SEG(CS), SEG(SS), SEG(DS), SEG(FS), SEG(GS), SEG(LDTR), SEG(TR),
    F(VMCS_GUEST_GDTR_BASE, "GUEST_GDTR_BASE", guest_gdtr_base),
    F(VMCS_GUEST_GDTR_LIMIT, "GUEST_GDTR_LIMIT", guest_gdtr_limit),
    F(VMCS_GUEST_IDTR_BASE, "GUEST_IDTR_BASE", guest_idtr_base),
    F(VMCS_GUEST_IDTR_LIMIT, "GUEST_IDTR_LIMIT", guest_idtr_limit),
    F(VMCS_GUEST_DEBUGCTL, "GUEST_DEBUGCTL", guest_debugctl),
    F(VMCS_GUEST_EFER, "GUEST_EFER", guest_efer),
    F(VMCS_GUEST_PAT, "GUEST_PAT", guest_pat),
    F(VMCS_GUEST_SYSENTER_CS, "GUEST_SYSENTER_CS", guest_sysenter_cs),
    F(VMCS_GUEST_SYSENTER_ESP, "GUEST_SYSENTER_ESP", guest_sysenter_esp),
    F(VMCS_GUEST_SYSENTER_EIP, "GUEST_SYSENTER_EIP", guest_sysenter_eip),
    F(VMCS_GUEST_PENDING_DBG, "GUEST_PENDING_DBG", guest_pending_dbg),
    F(VMCS_GUEST_INTERRUPTIBILITY, "GUEST_INTERRUPTIBILITY", guest_interruptibility),
    F(VMCS_GUEST_ACTIVITY_STATE, "GUEST_ACTIVITY_STATE", guest_activity),
    F(VMCS_LINK_POINTER, "LINK_POINTER", link_pointer),
    /* Exit information and other fields not in the snapshot */
    N(VMCS_PF_ERROR_MASK, "PF_ERROR_MASK"),
    N(VMCS_PF_ERROR_MATCH, "PF_ERROR_MATCH"),
    N(VMCS_CR3_TARGET_VALUE0, "CR3_TARGET_VALUE0"),
    N(VMCS_TSC_OFFSET, "TSC_OFFSET"),
    N(VMCS_GUEST_PDPTE0, "GUEST_PDPTE0"),
    N(VMCS_INSN_ERROR, "INSN_ERROR"),
    N(VMCS_EXIT_REASON, "EXIT_REASON"),
    N(VMCS_EXIT_QUALIFICATION, "EXIT_QUALIFICATION"),
    N(VMCS_EXIT_INTR_INFO, "EXIT_INTR_INFO"),
    N(VMCS_EXIT_INTR_ERROR, "EXIT_INTR_ERROR"),
    N(VMCS_IDT_VECTORING_INFO, "IDT_VECTORING_INFO"),
    N(VMCS_IDT_VECTORING_ERROR, "IDT_VECTORING_ERROR"),
    N(VMCS_EXIT_INSN_LEN, "EXIT_INSN_LEN"),
    N(VMCS_EXIT_INSN_INFO, "EXIT_INSN_INFO"),
    N(VMCS_GUEST_LINEAR_ADDR, "GUEST_LINEAR_ADDR"),
    N(VMCS_GUEST_PHYSICAL_ADDR, "GUEST_PHYSICAL_ADDR"),
};

const unsigned vmx_field_count = sizeof vmx_fields / sizeof vmx_fields[0];

const struct vmx_field *vmx_field_find(uint32_t encoding)
{
    for (unsigned i = 0; i < vmx_field_count; i++)
        if (vmx_fields[i].encoding == encoding)
            return &vmx_fields[i];
    return NULL;
}

const char *vmcs_field_name(uint32_t encoding)
{
    const struct vmx_field *f = vmx_field_find(encoding);
    return f ? f->name : "?";
}

uint64_t vmx_field_get(const struct vmx_state *s, const struct vmx_field *f)
{
    const unsigned char *p = (const unsigned char *)s + f->offset;
    switch (f->size) {
    case 2: return *(const uint16_t *)p;
    case 4: return *(const uint32_t *)p;
    case 8: return *(const uint64_t *)p;
    default: return 0;
    }
}

void vmx_field_set(struct vmx_state *s, const struct vmx_field *f, uint64_t value)
{
    unsigned char *p = (unsigned char *)s + f->offset;
    switch (f->size) {
    case 2: *(uint16_t *)p = (uint16_t)value; break;
    case 4: *(uint32_t *)p = (uint32_t)value; break;
    case 8: *(uint64_t *)p = value; break;
    default: break;
    }
}
