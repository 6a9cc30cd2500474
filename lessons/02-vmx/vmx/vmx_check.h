/**
 * @file vmx_check.h
 * @brief The VM-entry checker: SDM Vol. 3C §27.2 "Checks on VMX Controls
 *        and Host-State Area" and §27.3.1 "Checks on the Guest State Area",
 *        as pure functions over a snapshot of the VMCS.
 *
 * A VM entry that breaks one of these rules fails with a bare number
 * (VM-instruction error 7 or 8, or exit reason 33) and real hardware never
 * says which rule broke.  This checker evaluates the rules on a plain
 * struct vmx_state (captured from the current VMCS by vmx_state_capture(),
 * or filled in by a unit test) plus the capability MSRs, and names every
 * broken rule: a stable rule name, the SDM section, the field and its
 * value.  Spectrum runs it before the first entry of every vCPU and again
 * after a failed entry.
 *
 * Scope: the rules that apply to a guest Spectrum can build (paged
 * protected mode or IA-32e mode, no virtual-8086 mode).  Rules about
 * features Spectrum never enables (SMM monitor, PML, VM functions, CET,
 * PKRS, BNDCFGS, RTIT, shadow VMCS) are not checked beyond the allowed
 * settings of the controls that would turn them on.
 */
#ifndef SPECTRUM_VMX_CHECK_H
#define SPECTRUM_VMX_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/vmx_caps.h"

/** Segment registers in VMCS encoding order (SDM Vol. 3D Appendix B.1.2). */
enum vmx_seg_reg {
    VMX_SEG_ES, VMX_SEG_CS, VMX_SEG_SS, VMX_SEG_DS, VMX_SEG_FS, VMX_SEG_GS,
    VMX_SEG_LDTR, VMX_SEG_TR, VMX_SEG_COUNT
};

/** Host selector fields in VMCS encoding order (Appendix B.1.3). */
enum vmx_host_sel {
    VMX_HSEL_ES, VMX_HSEL_CS, VMX_HSEL_SS, VMX_HSEL_DS, VMX_HSEL_FS, VMX_HSEL_GS,
    VMX_HSEL_TR, VMX_HSEL_COUNT
};

/** @brief One guest segment register as the VMCS holds it (SDM Vol. 3C §25.4.1). */
struct vmx_seg {
    uint16_t sel;     /**< selector */
    uint32_t limit;   /**< limit in bytes (already scaled by G) */
    uint32_t ar;      /**< access rights, Table 25-2 (VMX_AR_*) */
    uint64_t base;    /**< base address */
};

/** @brief The VMCS fields the checker reads, plus CPU state outside the VMCS. */
struct vmx_state {
    /* VM-execution, VM-exit and VM-entry control fields, §25.6-25.8 */
    uint32_t pin;                 /**< pin-based controls */
    uint32_t proc;                /**< primary processor-based controls */
    uint32_t proc2;               /**< secondary processor-based controls */
    uint32_t exit_ctls;           /**< VM-exit controls */
    uint32_t entry_ctls;          /**< VM-entry controls */
    uint32_t exception_bitmap;    /**< exception bitmap */
    uint32_t cr3_target_count;    /**< CR3-target count */
    uint32_t exit_msr_store_count; /**< VM-exit MSR-store count */
    uint32_t exit_msr_load_count; /**< VM-exit MSR-load count */
    uint32_t entry_msr_load_count; /**< VM-entry MSR-load count */
    uint32_t entry_intr_info;     /**< VM-entry interruption information */
    uint32_t entry_exc_error;     /**< VM-entry exception error code */
    uint32_t entry_insn_len;      /**< VM-entry instruction length */
    uint32_t tpr_threshold;       /**< TPR threshold */
    uint16_t vpid;                /**< VPID */
    uint64_t io_bitmap_a;         /**< I/O bitmap A address */
    uint64_t io_bitmap_b;         /**< I/O bitmap B address */
    uint64_t msr_bitmap;          /**< MSR bitmaps address */
    uint64_t exit_msr_store_addr; /**< VM-exit MSR-store address */
    uint64_t exit_msr_load_addr;  /**< VM-exit MSR-load address */
    uint64_t entry_msr_load_addr; /**< VM-entry MSR-load address */
    uint64_t virtual_apic_addr;   /**< virtual-APIC address */
    uint64_t apic_access_addr;    /**< APIC-access address */
    uint64_t eptp;                /**< EPT pointer */
    uint64_t cr0_mask;            /**< CR0 guest/host mask (no rule; for the dump) */
    uint64_t cr4_mask;            /**< CR4 guest/host mask */
    uint64_t cr0_shadow;          /**< CR0 read shadow */
    uint64_t cr4_shadow;          /**< CR4 read shadow */

    /* Host-state area, §25.5 */
    uint64_t host_cr0;            /**< host CR0 */
    uint64_t host_cr3;            /**< host CR3 */
    uint64_t host_cr4;            /**< host CR4 */
    uint64_t host_rsp;            /**< host RSP */
    uint64_t host_rip;            /**< host RIP */
    uint16_t host_sel[VMX_HSEL_COUNT]; /**< host ES, CS, SS, DS, FS, GS, TR selectors */
    uint64_t host_fs_base;        /**< host FS base */
    uint64_t host_gs_base;        /**< host GS base */
    uint64_t host_tr_base;        /**< host TR base */
    uint64_t host_gdtr_base;      /**< host GDTR base */
    uint64_t host_idtr_base;      /**< host IDTR base */
    uint32_t host_sysenter_cs;    /**< host IA32_SYSENTER_CS */
    uint64_t host_sysenter_esp;   /**< host IA32_SYSENTER_ESP */
    uint64_t host_sysenter_eip;   /**< host IA32_SYSENTER_EIP */
    uint64_t host_efer;           /**< host IA32_EFER (if "load IA32_EFER" on exit) */
    uint64_t host_pat;            /**< host IA32_PAT (if "load IA32_PAT" on exit) */

    /* Guest-state area, §25.4 */
    uint64_t guest_cr0;           /**< guest CR0 */
    uint64_t guest_cr3;           /**< guest CR3 */
    uint64_t guest_cr4;           /**< guest CR4 */
    uint64_t guest_dr7;           /**< guest DR7 */
    uint64_t guest_rsp;           /**< guest RSP */
    uint64_t guest_rip;           /**< guest RIP */
    uint64_t guest_rflags;        /**< guest RFLAGS */
    struct vmx_seg guest_seg[VMX_SEG_COUNT]; /**< ES, CS, SS, DS, FS, GS, LDTR, TR */
    uint64_t guest_gdtr_base;     /**< guest GDTR base */
    uint32_t guest_gdtr_limit;    /**< guest GDTR limit */
    uint64_t guest_idtr_base;     /**< guest IDTR base */
    uint32_t guest_idtr_limit;    /**< guest IDTR limit */
    uint64_t guest_debugctl;      /**< guest IA32_DEBUGCTL */
    uint64_t guest_efer;          /**< guest IA32_EFER */
    uint64_t guest_pat;           /**< guest IA32_PAT */
    uint32_t guest_sysenter_cs;   /**< guest IA32_SYSENTER_CS */
    uint64_t guest_sysenter_esp;  /**< guest IA32_SYSENTER_ESP */
    uint64_t guest_sysenter_eip;  /**< guest IA32_SYSENTER_EIP */
    uint64_t guest_pending_dbg;   /**< guest pending debug exceptions */
    uint32_t guest_interruptibility; /**< guest interruptibility state */
    uint32_t guest_activity;      /**< guest activity state */
    uint64_t link_pointer;        /**< VMCS link pointer */

    /* Not in the VMCS */
    bool cpu_ia32e;               /**< the CPU doing the VM entry is in IA-32e mode (its EFER.LMA) */
};

/** @brief One broken rule. */
struct vmx_check_violation {
    const char *rule;   /**< stable short name, e.g. "guest-tr-type" */
    const char *sdm;    /**< where the rule is, e.g. "SDM Vol. 3C §27.3.1.2" */
    const char *field;  /**< the VMCS field, e.g. "GUEST_TR_AR" */
    uint64_t value;     /**< the field's value */
    const char *what;   /**< one sentence: what the rule says */
};

/** @brief Receives each violation, in rule order. */
typedef void (*vmx_check_report_fn)(void *ctx, const struct vmx_check_violation *v);

/**
 * @brief Evaluate every VM-entry rule on @p s.
 * @param s      the VMCS snapshot (not modified)
 * @param caps   the CPU's capability MSRs and address widths
 * @param report called once per broken rule (may be NULL)
 * @param ctx    passed to @p report
 * @return the number of broken rules (0: the entry checks should pass)
 */
unsigned vmx_check_state(const struct vmx_state *s, const struct vmx_caps *caps,
                         vmx_check_report_fn report, void *ctx);

/** @brief Short name of guest segment register @p r ("cs", "tr", ...). */
const char *vmx_seg_name(enum vmx_seg_reg r);

#endif
