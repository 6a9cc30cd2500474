/**
 * @file vmcs_fields.h
 * @brief VMCS field encodings and the VMREAD/VMWRITE wrappers.
 *
 * The VMCS is opaque: its in-memory layout is implementation specific and
 * software may only touch it through VMREAD/VMWRITE with a 32-bit field
 * encoding (SDM Vol. 3C §25.11.2 "VMREAD, VMWRITE, and Encodings of VMCS
 * Fields").  An encoding packs the access type (bit 0: full/high), the index
 * (bits 9:1), the type (bits 11:10: control, read-only data, guest state,
 * host state) and the width (bits 14:13: 16-bit, 64-bit, 32-bit, natural).
 * Every value below is from SDM Vol. 3D Appendix B "Field Encoding in VMCS".
 *
 * The other architectural bits (controls, exit reasons, qualifications)
 * live in vmx_controls.h and vmx_exit_info.h.  This header is also compiled
 * hosted (the checker's unit test): the inline assembly is only emitted
 * when a kernel file calls the wrappers.
 */
#ifndef SPECTRUM_VMCS_FIELDS_H
#define SPECTRUM_VMCS_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

/* ---- 16-bit fields, Appendix B.1 ---- */
#define VMCS_VPID                        0x0000u /**< B.1.1 virtual-processor identifier */
#define VMCS_GUEST_ES_SEL                0x0800u /**< B.1.2 guest ES selector */
#define VMCS_GUEST_CS_SEL                0x0802u /**< B.1.2 guest CS selector */
#define VMCS_GUEST_SS_SEL                0x0804u /**< B.1.2 guest SS selector */
#define VMCS_GUEST_DS_SEL                0x0806u /**< B.1.2 guest DS selector */
#define VMCS_GUEST_FS_SEL                0x0808u /**< B.1.2 guest FS selector */
#define VMCS_GUEST_GS_SEL                0x080Au /**< B.1.2 guest GS selector */
#define VMCS_GUEST_LDTR_SEL              0x080Cu /**< B.1.2 guest LDTR selector */
#define VMCS_GUEST_TR_SEL                0x080Eu /**< B.1.2 guest TR selector */
#define VMCS_HOST_ES_SEL                 0x0C00u /**< B.1.3 host ES selector */
#define VMCS_HOST_CS_SEL                 0x0C02u /**< B.1.3 host CS selector */
#define VMCS_HOST_SS_SEL                 0x0C04u /**< B.1.3 host SS selector */
#define VMCS_HOST_DS_SEL                 0x0C06u /**< B.1.3 host DS selector */
#define VMCS_HOST_FS_SEL                 0x0C08u /**< B.1.3 host FS selector */
#define VMCS_HOST_GS_SEL                 0x0C0Au /**< B.1.3 host GS selector */
#define VMCS_HOST_TR_SEL                 0x0C0Cu /**< B.1.3 host TR selector */

/* ---- 64-bit fields, Appendix B.2 ---- */
#define VMCS_IO_BITMAP_A                 0x2000u /**< B.2.1 address of I/O bitmap A */
#define VMCS_IO_BITMAP_B                 0x2002u /**< B.2.1 address of I/O bitmap B */
#define VMCS_MSR_BITMAP                  0x2004u /**< B.2.1 address of the MSR bitmaps */
#define VMCS_EXIT_MSR_STORE_ADDR         0x2006u /**< B.2.1 VM-exit MSR-store address */
#define VMCS_EXIT_MSR_LOAD_ADDR          0x2008u /**< B.2.1 VM-exit MSR-load address */
#define VMCS_ENTRY_MSR_LOAD_ADDR         0x200Au /**< B.2.1 VM-entry MSR-load address */
#define VMCS_TSC_OFFSET                  0x2010u /**< B.2.1 TSC offset */
#define VMCS_VIRTUAL_APIC_ADDR           0x2012u /**< B.2.1 virtual-APIC address */
#define VMCS_APIC_ACCESS_ADDR            0x2014u /**< B.2.1 APIC-access address */
#define VMCS_EPT_POINTER                 0x201Au /**< B.2.1 EPT pointer */
#define VMCS_GUEST_PHYSICAL_ADDR         0x2400u /**< B.2.2 guest-physical address (read-only) */
#define VMCS_LINK_POINTER                0x2800u /**< B.2.3 VMCS link pointer */
#define VMCS_GUEST_DEBUGCTL              0x2802u /**< B.2.3 guest IA32_DEBUGCTL */
#define VMCS_GUEST_PAT                   0x2804u /**< B.2.3 guest IA32_PAT */
#define VMCS_GUEST_EFER                  0x2806u /**< B.2.3 guest IA32_EFER */
#define VMCS_GUEST_PDPTE0                0x280Au /**< B.2.3 guest PDPTE0 (PAE paging with EPT) */
#define VMCS_HOST_PAT                    0x2C00u /**< B.2.4 host IA32_PAT */
#define VMCS_HOST_EFER                   0x2C02u /**< B.2.4 host IA32_EFER */

/* ---- 32-bit fields, Appendix B.3 ---- */
#define VMCS_PIN_CONTROLS                0x4000u /**< B.3.1 pin-based VM-execution controls */
#define VMCS_PROC_CONTROLS               0x4002u /**< B.3.1 primary processor-based controls */
#define VMCS_EXCEPTION_BITMAP            0x4004u /**< B.3.1 exception bitmap */
#define VMCS_PF_ERROR_MASK               0x4006u /**< B.3.1 page-fault error-code mask */
#define VMCS_PF_ERROR_MATCH              0x4008u /**< B.3.1 page-fault error-code match */
#define VMCS_CR3_TARGET_COUNT            0x400Au /**< B.3.1 CR3-target count */
#define VMCS_EXIT_CONTROLS               0x400Cu /**< B.3.1 VM-exit controls */
#define VMCS_EXIT_MSR_STORE_COUNT        0x400Eu /**< B.3.1 VM-exit MSR-store count */
#define VMCS_EXIT_MSR_LOAD_COUNT         0x4010u /**< B.3.1 VM-exit MSR-load count */
#define VMCS_ENTRY_CONTROLS              0x4012u /**< B.3.1 VM-entry controls */
#define VMCS_ENTRY_MSR_LOAD_COUNT        0x4014u /**< B.3.1 VM-entry MSR-load count */
#define VMCS_ENTRY_INTR_INFO             0x4016u /**< B.3.1 VM-entry interruption information */
#define VMCS_ENTRY_EXCEPTION_ERROR       0x4018u /**< B.3.1 VM-entry exception error code */
#define VMCS_ENTRY_INSN_LEN              0x401Au /**< B.3.1 VM-entry instruction length */
#define VMCS_TPR_THRESHOLD               0x401Cu /**< B.3.1 TPR threshold */
#define VMCS_PROC2_CONTROLS              0x401Eu /**< B.3.1 secondary processor-based controls */
#define VMCS_INSN_ERROR                  0x4400u /**< B.3.2 VM-instruction error (read-only) */
#define VMCS_EXIT_REASON                 0x4402u /**< B.3.2 exit reason */
#define VMCS_EXIT_INTR_INFO              0x4404u /**< B.3.2 VM-exit interruption information */
#define VMCS_EXIT_INTR_ERROR             0x4406u /**< B.3.2 VM-exit interruption error code */
#define VMCS_IDT_VECTORING_INFO          0x4408u /**< B.3.2 IDT-vectoring information */
#define VMCS_IDT_VECTORING_ERROR         0x440Au /**< B.3.2 IDT-vectoring error code */
#define VMCS_EXIT_INSN_LEN               0x440Cu /**< B.3.2 VM-exit instruction length */
#define VMCS_EXIT_INSN_INFO              0x440Eu /**< B.3.2 VM-exit instruction information */
#define VMCS_GUEST_ES_LIMIT              0x4800u /**< B.3.3 guest ES limit */
#define VMCS_GUEST_CS_LIMIT              0x4802u /**< B.3.3 guest CS limit */
#define VMCS_GUEST_SS_LIMIT              0x4804u /**< B.3.3 guest SS limit */
#define VMCS_GUEST_DS_LIMIT              0x4806u /**< B.3.3 guest DS limit */
#define VMCS_GUEST_FS_LIMIT              0x4808u /**< B.3.3 guest FS limit */
#define VMCS_GUEST_GS_LIMIT              0x480Au /**< B.3.3 guest GS limit */
#define VMCS_GUEST_LDTR_LIMIT            0x480Cu /**< B.3.3 guest LDTR limit */
#define VMCS_GUEST_TR_LIMIT              0x480Eu /**< B.3.3 guest TR limit */
#define VMCS_GUEST_GDTR_LIMIT            0x4810u /**< B.3.3 guest GDTR limit */
#define VMCS_GUEST_IDTR_LIMIT            0x4812u /**< B.3.3 guest IDTR limit */
#define VMCS_GUEST_ES_AR                 0x4814u /**< B.3.3 guest ES access rights */
#define VMCS_GUEST_CS_AR                 0x4816u /**< B.3.3 guest CS access rights */
#define VMCS_GUEST_SS_AR                 0x4818u /**< B.3.3 guest SS access rights */
#define VMCS_GUEST_DS_AR                 0x481Au /**< B.3.3 guest DS access rights */
#define VMCS_GUEST_FS_AR                 0x481Cu /**< B.3.3 guest FS access rights */
#define VMCS_GUEST_GS_AR                 0x481Eu /**< B.3.3 guest GS access rights */
#define VMCS_GUEST_LDTR_AR               0x4820u /**< B.3.3 guest LDTR access rights */
#define VMCS_GUEST_TR_AR                 0x4822u /**< B.3.3 guest TR access rights */
#define VMCS_GUEST_INTERRUPTIBILITY      0x4824u /**< B.3.3 guest interruptibility state */
#define VMCS_GUEST_ACTIVITY_STATE        0x4826u /**< B.3.3 guest activity state */
#define VMCS_GUEST_SYSENTER_CS           0x482Au /**< B.3.3 guest IA32_SYSENTER_CS */
#define VMCS_PREEMPTION_TIMER_VALUE      0x482Eu /**< B.3.3 VMX-preemption timer value */
#define VMCS_HOST_SYSENTER_CS            0x4C00u /**< B.3.4 host IA32_SYSENTER_CS */

/* ---- Natural-width fields, Appendix B.4 ---- */
#define VMCS_CR0_GUEST_HOST_MASK         0x6000u /**< B.4.1 CR0 guest/host mask */
#define VMCS_CR4_GUEST_HOST_MASK         0x6002u /**< B.4.1 CR4 guest/host mask */
#define VMCS_CR0_READ_SHADOW             0x6004u /**< B.4.1 CR0 read shadow */
#define VMCS_CR4_READ_SHADOW             0x6006u /**< B.4.1 CR4 read shadow */
#define VMCS_CR3_TARGET_VALUE0           0x6008u /**< B.4.1 CR3-target value 0 */
#define VMCS_EXIT_QUALIFICATION          0x6400u /**< B.4.2 exit qualification (read-only) */
#define VMCS_GUEST_LINEAR_ADDR           0x640Au /**< B.4.2 guest-linear address */
#define VMCS_GUEST_CR0                   0x6800u /**< B.4.3 guest CR0 */
#define VMCS_GUEST_CR3                   0x6802u /**< B.4.3 guest CR3 */
#define VMCS_GUEST_CR4                   0x6804u /**< B.4.3 guest CR4 */
#define VMCS_GUEST_ES_BASE               0x6806u /**< B.4.3 guest ES base */
#define VMCS_GUEST_CS_BASE               0x6808u /**< B.4.3 guest CS base */
#define VMCS_GUEST_SS_BASE               0x680Au /**< B.4.3 guest SS base */
#define VMCS_GUEST_DS_BASE               0x680Cu /**< B.4.3 guest DS base */
#define VMCS_GUEST_FS_BASE               0x680Eu /**< B.4.3 guest FS base */
#define VMCS_GUEST_GS_BASE               0x6810u /**< B.4.3 guest GS base */
#define VMCS_GUEST_LDTR_BASE             0x6812u /**< B.4.3 guest LDTR base */
#define VMCS_GUEST_TR_BASE               0x6814u /**< B.4.3 guest TR base */
#define VMCS_GUEST_GDTR_BASE             0x6816u /**< B.4.3 guest GDTR base */
#define VMCS_GUEST_IDTR_BASE             0x6818u /**< B.4.3 guest IDTR base */
#define VMCS_GUEST_DR7                   0x681Au /**< B.4.3 guest DR7 */
#define VMCS_GUEST_RSP                   0x681Cu /**< B.4.3 guest RSP */
#define VMCS_GUEST_RIP                   0x681Eu /**< B.4.3 guest RIP */
#define VMCS_GUEST_RFLAGS                0x6820u /**< B.4.3 guest RFLAGS */
#define VMCS_GUEST_PENDING_DBG           0x6822u /**< B.4.3 guest pending debug exceptions */
#define VMCS_GUEST_SYSENTER_ESP          0x6824u /**< B.4.3 guest IA32_SYSENTER_ESP */
#define VMCS_GUEST_SYSENTER_EIP          0x6826u /**< B.4.3 guest IA32_SYSENTER_EIP */
#define VMCS_HOST_CR0                    0x6C00u /**< B.4.4 host CR0 */
#define VMCS_HOST_CR3                    0x6C02u /**< B.4.4 host CR3 */
#define VMCS_HOST_CR4                    0x6C04u /**< B.4.4 host CR4 */
#define VMCS_HOST_FS_BASE                0x6C06u /**< B.4.4 host FS base */
#define VMCS_HOST_GS_BASE                0x6C08u /**< B.4.4 host GS base */
#define VMCS_HOST_TR_BASE                0x6C0Au /**< B.4.4 host TR base */
#define VMCS_HOST_GDTR_BASE              0x6C0Cu /**< B.4.4 host GDTR base */
#define VMCS_HOST_IDTR_BASE              0x6C0Eu /**< B.4.4 host IDTR base */
#define VMCS_HOST_SYSENTER_ESP           0x6C10u /**< B.4.4 host IA32_SYSENTER_ESP */
#define VMCS_HOST_SYSENTER_EIP           0x6C12u /**< B.4.4 host IA32_SYSENTER_EIP */
#define VMCS_HOST_RSP                    0x6C14u /**< B.4.4 host RSP */
#define VMCS_HOST_RIP                    0x6C16u /**< B.4.4 host RIP */

/* VMX instructions report failure in RFLAGS (SDM Vol. 3C §31.2
 * "Conventions"): VMfailInvalid sets CF (there is no current VMCS to hold
 * an error number), VMfailValid sets ZF and stores the error number in the
 * VM-instruction error field of the current VMCS. */
#define VMX_OK            0  /**< VMsucceed: CF = ZF = 0 */
#define VMX_FAIL_INVALID  1  /**< VMfailInvalid: CF = 1 */
#define VMX_FAIL_VALID    2  /**< VMfailValid: ZF = 1, error in VMCS_INSN_ERROR */

/** @brief Name of VMCS field @p encoding ("GUEST_CR0"), or "?" if unknown. */
const char *vmcs_field_name(uint32_t encoding);

/**
 * @brief Report a failed VMREAD/VMWRITE of @p encoding and stop Spectrum.
 *
 * Spectrum only touches fields that exist on the CPU it probed, on the
 * VMCS it made current, so a failure here is a Spectrum bug, never a
 * guest's doing: it panics with the field and the VM-instruction error.
 */
void vmcs_access_failed(const char *insn, uint32_t encoding, int status) __attribute__((noreturn));

/**
 * @brief VMREAD @p encoding of the current VMCS.
 * @param[out] value the field (zero-extended)
 * @return VMX_OK, VMX_FAIL_INVALID or VMX_FAIL_VALID
 */
static inline int vmcs_try_read(uint32_t encoding, uint64_t *value)
{
    uint64_t v = 0;
    uint8_t cf, zf;
    /* AT&T order: vmread <encoding register>, <destination>. */
    __asm__ volatile("vmread %[enc], %[val]\n\t"
                     "setc %[cf]\n\t"
                     "setz %[zf]"
                     : [val] "=rm"(v), [cf] "=qm"(cf), [zf] "=qm"(zf)
                     : [enc] "r"((uint64_t)encoding)
                     : "cc");
    *value = v;
    return cf ? VMX_FAIL_INVALID : zf ? VMX_FAIL_VALID : VMX_OK;
}

/**
 * @brief VMWRITE @p value to @p encoding of the current VMCS.
 * @return VMX_OK, VMX_FAIL_INVALID or VMX_FAIL_VALID
 */
static inline int vmcs_try_write(uint32_t encoding, uint64_t value)
{
    uint8_t cf, zf;
    /* AT&T order: vmwrite <source>, <encoding register>. */
    __asm__ volatile("vmwrite %[val], %[enc]\n\t"
                     "setc %[cf]\n\t"
                     "setz %[zf]"
                     : [cf] "=qm"(cf), [zf] "=qm"(zf)
                     : [val] "rm"(value), [enc] "r"((uint64_t)encoding)
                     : "cc", "memory");
    return cf ? VMX_FAIL_INVALID : zf ? VMX_FAIL_VALID : VMX_OK;
}

/** @brief VMREAD that must succeed (see vmcs_access_failed()). */
static inline uint64_t vmcs_read(uint32_t encoding)
{
    uint64_t v;
    int st = vmcs_try_read(encoding, &v);
    if (st != VMX_OK)
        vmcs_access_failed("VMREAD", encoding, st);
    return v;
}

/** @brief VMWRITE that must succeed (see vmcs_access_failed()). */
static inline void vmcs_write(uint32_t encoding, uint64_t value)
{
    int st = vmcs_try_write(encoding, value);
    if (st != VMX_OK)
        vmcs_access_failed("VMWRITE", encoding, st);
}

#endif
