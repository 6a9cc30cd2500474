/**
 * @file vmx_controls.h
 * @brief VMX capability MSRs and the bits of the five control fields.
 *
 * The controls decide what makes the guest exit and what VM entry/exit
 * load and save.  Which settings a CPU accepts is published in the
 * capability MSRs (SDM Vol. 3D Appendix A); vmx_caps.c derives every
 * control value from them, this file only names the bits.
 * Hosted-safe: constants only.
 */
#ifndef SPECTRUM_VMX_CONTROLS_H
#define SPECTRUM_VMX_CONTROLS_H

#include "spectrum/x86_bits.h"

/* ---- MSRs, SDM Vol. 4 Table 2-2 and Vol. 3D Appendix A ---- */
#define FEATURE_CONTROL_LOCK       (1ull << 0) /**< once set, WRMSR to it raises \#GP until reset */
#define FEATURE_CONTROL_VMX_SMX    (1ull << 1) /**< VMXON allowed inside SMX */
#define FEATURE_CONTROL_VMX        (1ull << 2) /**< VMXON allowed outside SMX */
#define MSR_IA32_VMX_BASIC         0x480u  /**< Appendix A.1 */
#define MSR_IA32_VMX_PINBASED      0x481u  /**< Appendix A.3.1 */
#define MSR_IA32_VMX_PROCBASED     0x482u  /**< Appendix A.3.2 */
#define MSR_IA32_VMX_EXIT          0x483u  /**< Appendix A.4 */
#define MSR_IA32_VMX_ENTRY         0x484u  /**< Appendix A.5 */
#define MSR_IA32_VMX_MISC          0x485u  /**< Appendix A.6 */
#define MSR_IA32_VMX_CR0_FIXED0    0x486u  /**< Appendix A.7: bits set here must be 1 in CR0 */
#define MSR_IA32_VMX_CR0_FIXED1    0x487u  /**< Appendix A.7: bits clear here must be 0 in CR0 */
#define MSR_IA32_VMX_CR4_FIXED0    0x488u  /**< Appendix A.8 */
#define MSR_IA32_VMX_CR4_FIXED1    0x489u  /**< Appendix A.8 */
#define MSR_IA32_VMX_PROCBASED2    0x48Bu  /**< Appendix A.3.3 (if primary bit 31 may be 1) */
#define MSR_IA32_VMX_EPT_VPID_CAP  0x48Cu  /**< Appendix A.10 */
#define MSR_IA32_VMX_TRUE_PINBASED 0x48Du  /**< Appendix A.3.1 (if BASIC bit 55) */
#define MSR_IA32_VMX_TRUE_PROCBASED 0x48Eu /**< Appendix A.3.2 (if BASIC bit 55) */
#define MSR_IA32_VMX_TRUE_EXIT     0x48Fu  /**< Appendix A.4 (if BASIC bit 55) */
#define MSR_IA32_VMX_TRUE_ENTRY    0x490u  /**< Appendix A.5 (if BASIC bit 55) */

/* ---- IA32_VMX_BASIC, Appendix A.1 ---- */
#define VMX_BASIC_REVISION_MASK    0x7fffffffull      /**< bits 30:0: VMCS revision identifier */
#define VMX_BASIC_SIZE_SHIFT       32                 /**< bits 44:32: VMXON/VMCS region size */
#define VMX_BASIC_SIZE_MASK        0x1fffull          /**< ... 13 bits */
#define VMX_BASIC_32BIT_ADDR       (1ull << 48)       /**< regions must lie below 4 GiB */
#define VMX_BASIC_MEMTYPE_SHIFT    50                 /**< bits 53:50: memory type for the VMCS */
#define VMX_BASIC_MEMTYPE_WB       6ull               /**< write-back, the only type Appendix A.1 lists besides UC */
#define VMX_BASIC_INOUT_INFO       (1ull << 54)       /**< INS/OUTS exits report instruction info */
#define VMX_BASIC_TRUE_CTLS        (1ull << 55)       /**< IA32_VMX_TRUE_* exist: default-1 bits may be 0 */
#define VMX_BASIC_ANY_ERRCODE      (1ull << 56)       /**< entry may inject any HW exception with or without error code */

/* ---- IA32_VMX_MISC, Appendix A.6 ---- */
#define VMX_MISC_ACT_HLT           (1ull << 6)        /**< activity state HLT supported */
#define VMX_MISC_ACT_SHUTDOWN      (1ull << 7)        /**< activity state shutdown supported */
#define VMX_MISC_ACT_SIPI          (1ull << 8)        /**< activity state wait-for-SIPI supported */
#define VMX_MISC_CR3_TARGETS_SHIFT 16                 /**< bits 24:16: number of CR3-target values */
#define VMX_MISC_CR3_TARGETS_MASK  0x1ffull           /**< ... 9 bits */
#define VMX_MISC_ZERO_LEN_INJECT   (1ull << 30)       /**< software events may be injected with length 0 */

/* ---- Pin-based VM-execution controls, SDM Vol. 3C §25.6.1 Table 25-5 ---- */
#define PIN_EXTINT_EXITING         (1u << 0)  /**< external interrupts cause VM exits */
#define PIN_NMI_EXITING            (1u << 3)  /**< NMIs cause VM exits */
#define PIN_VIRTUAL_NMIS           (1u << 5)  /**< NMI blocking is virtualised */
#define PIN_PREEMPTION_TIMER       (1u << 6)  /**< activate the VMX-preemption timer */
#define PIN_POSTED_INTERRUPTS      (1u << 7)  /**< process posted interrupts */

/* ---- Primary processor-based controls, SDM Vol. 3C §25.6.2 Table 25-6 ---- */
#define PROC_INTR_WINDOW_EXITING   (1u << 2)  /**< exit when RFLAGS.IF=1 and no blocking */
#define PROC_TSC_OFFSETTING        (1u << 3)  /**< add the TSC offset to RDTSC */
#define PROC_HLT_EXITING           (1u << 7)  /**< HLT exits */
#define PROC_INVLPG_EXITING        (1u << 9)  /**< INVLPG exits */
#define PROC_MWAIT_EXITING         (1u << 10) /**< MWAIT exits */
#define PROC_RDPMC_EXITING         (1u << 11) /**< RDPMC exits */
#define PROC_RDTSC_EXITING         (1u << 12) /**< RDTSC exits */
#define PROC_CR3_LOAD_EXITING      (1u << 15) /**< MOV to CR3 exits unless the value is a CR3 target */
#define PROC_CR3_STORE_EXITING     (1u << 16) /**< MOV from CR3 exits */
#define PROC_CR8_LOAD_EXITING      (1u << 19) /**< MOV to CR8 exits (64-bit guests) */
#define PROC_CR8_STORE_EXITING     (1u << 20) /**< MOV from CR8 exits */
#define PROC_TPR_SHADOW            (1u << 21) /**< use the TPR shadow (virtual-APIC page) */
#define PROC_NMI_WINDOW_EXITING    (1u << 22) /**< exit when there is no virtual-NMI blocking */
#define PROC_MOV_DR_EXITING        (1u << 23) /**< MOV DR exits */
#define PROC_UNCOND_IO_EXITING     (1u << 24) /**< every IN/OUT/INS/OUTS exits */
#define PROC_USE_IO_BITMAPS        (1u << 25) /**< the I/O bitmaps decide (overrides bit 24) */
#define PROC_MONITOR_TRAP_FLAG     (1u << 27) /**< exit after each guest instruction */
#define PROC_USE_MSR_BITMAPS       (1u << 28) /**< the MSR bitmaps decide; else every RDMSR/WRMSR exits */
#define PROC_MONITOR_EXITING       (1u << 29) /**< MONITOR exits */
#define PROC_PAUSE_EXITING         (1u << 30) /**< PAUSE exits */
#define PROC_SECONDARY_CONTROLS    (1u << 31) /**< use the secondary controls */

/* ---- Secondary processor-based controls, SDM Vol. 3C §25.6.2 Table 25-7 ---- */
#define PROC2_VIRTUALIZE_APIC      (1u << 0)  /**< virtualise APIC accesses */
#define PROC2_ENABLE_EPT           (1u << 1)  /**< extended page tables (lesson 03) */
#define PROC2_DESC_TABLE_EXITING   (1u << 2)  /**< LGDT/LIDT/... exit */
#define PROC2_ENABLE_RDTSCP        (1u << 3)  /**< RDTSCP does not raise \#UD */
#define PROC2_VIRTUALIZE_X2APIC    (1u << 4)  /**< virtualise x2APIC mode */
#define PROC2_ENABLE_VPID          (1u << 5)  /**< tag TLB entries with the VPID */
#define PROC2_WBINVD_EXITING       (1u << 6)  /**< WBINVD exits */
#define PROC2_UNRESTRICTED_GUEST   (1u << 7)  /**< real mode / unpaged guests (needs EPT) */
#define PROC2_APIC_REG_VIRT        (1u << 8)  /**< APIC-register virtualisation */
#define PROC2_VIRT_INTR_DELIVERY   (1u << 9)  /**< virtual-interrupt delivery */
#define PROC2_PAUSE_LOOP_EXITING   (1u << 10) /**< PAUSE-loop exiting */
#define PROC2_ENABLE_INVPCID       (1u << 12) /**< INVPCID does not raise \#UD */
#define PROC2_ENABLE_VMFUNC        (1u << 13) /**< VM functions */
#define PROC2_VMCS_SHADOWING       (1u << 14) /**< VMCS shadowing */
#define PROC2_ENABLE_PML           (1u << 17) /**< page-modification logging */
#define PROC2_ENABLE_XSAVES        (1u << 20) /**< XSAVES/XRSTORS do not raise \#UD */

/* ---- VM-exit controls, SDM Vol. 3C §25.7.1 Table 25-13 ---- */
#define EXIT_SAVE_DEBUG_CTLS       (1u << 2)  /**< save DR7 and IA32_DEBUGCTL */
#define EXIT_HOST_ADDR_SPACE_SIZE  (1u << 9)  /**< the host runs in 64-bit mode after the exit */
#define EXIT_LOAD_PERF_GLOBAL      (1u << 12) /**< load IA32_PERF_GLOBAL_CTRL */
#define EXIT_ACK_INTR_ON_EXIT      (1u << 15) /**< acknowledge the interrupt controller on exit */
#define EXIT_SAVE_PAT              (1u << 18) /**< save guest IA32_PAT */
#define EXIT_LOAD_PAT              (1u << 19) /**< load host IA32_PAT */
#define EXIT_SAVE_EFER             (1u << 20) /**< save guest IA32_EFER */
#define EXIT_LOAD_EFER             (1u << 21) /**< load host IA32_EFER */
#define EXIT_SAVE_PREEMPT_TIMER    (1u << 22) /**< save the VMX-preemption timer value */
/** Both exit-side PAT controls (used together with ENTRY_LOAD_PAT, vmx_wanted.c). */
#define VMX_EXIT_PAT_CTLS          (EXIT_SAVE_PAT | EXIT_LOAD_PAT)

/* ---- VM-entry controls, SDM Vol. 3C §25.8.1 Table 25-15 ---- */
#define ENTRY_LOAD_DEBUG_CTLS      (1u << 2)  /**< load DR7 and IA32_DEBUGCTL */
#define ENTRY_IA32E_GUEST          (1u << 9)  /**< the guest is in IA-32e mode (EFER.LMA) */
#define ENTRY_TO_SMM               (1u << 10) /**< entry to SMM (only from the SMM monitor) */
#define ENTRY_DEACT_DUAL_MONITOR   (1u << 11) /**< deactivate dual-monitor treatment */
#define ENTRY_LOAD_PERF_GLOBAL     (1u << 13) /**< load IA32_PERF_GLOBAL_CTRL */
#define ENTRY_LOAD_PAT             (1u << 14) /**< load guest IA32_PAT */
#define ENTRY_LOAD_EFER            (1u << 15) /**< load guest IA32_EFER */

/* CR0/CR4/EFER/RFLAGS/DR7 bits and the architectural MSRs: spectrum/x86_bits.h. */

/* ---- Segment access rights as the VMCS holds them, SDM Vol. 3C §25.4.1
 *      Table 25-2: the descriptor's byte 5 in bits 7:0, bits 55:52 of the
 *      descriptor in bits 15:12, and bit 16 "segment unusable". ---- */
#define VMX_AR_TYPE_MASK    0xfu          /**< bits 3:0: segment type */
#define VMX_AR_TYPE_ACCESSED 0x1u         /**< type bit 0 (code/data) */
#define VMX_AR_TYPE_RW      0x2u          /**< type bit 1: data writable / code readable */
#define VMX_AR_TYPE_CONFORM 0x4u          /**< type bit 2 for code: conforming */
#define VMX_AR_TYPE_CODE    0x8u          /**< type bit 3: code segment */
#define VMX_AR_S            (1u << 4)     /**< descriptor type: 1 = code/data */
#define VMX_AR_DPL_SHIFT    5             /**< bits 6:5: DPL */
#define VMX_AR_P            (1u << 7)     /**< present */
#define VMX_AR_AVL          (1u << 12)    /**< available to software */
#define VMX_AR_L            (1u << 13)    /**< 64-bit code segment */
#define VMX_AR_DB           (1u << 14)    /**< default operation size */
#define VMX_AR_G            (1u << 15)    /**< granularity */
#define VMX_AR_UNUSABLE     (1u << 16)    /**< segment unusable (e.g. null selector) */
#define VMX_AR_RESERVED     0xfffe0f00u   /**< bits 11:8 and 31:17 must be zero */

/* System-segment types, SDM Vol. 3A §3.5 Table 3-2. */
#define X86_SEG_TYPE_LDT        0x2u  /**< LDT */
#define X86_SEG_TYPE_TSS16_BUSY 0x3u  /**< busy 16-bit TSS */
#define X86_SEG_TYPE_TSS_AVAIL  0x9u  /**< available 32/64-bit TSS */
#define X86_SEG_TYPE_TSS_BUSY   0xbu  /**< busy 32/64-bit TSS */

#endif
