/**
 * @file vmx_exit_info.h
 * @brief What the CPU tells us after a VM exit or a failed VMX instruction:
 *        exit reasons, exit qualifications, interruption information and
 *        VM-instruction error numbers, with their names.
 *
 * Hosted-safe: constants, the name functions of vmx_names.c and one
 * pure inline rule (vmx_exception_has_error()).
 */
#ifndef SPECTRUM_VMX_EXIT_INFO_H
#define SPECTRUM_VMX_EXIT_INFO_H

#include <stdbool.h>
#include <stdint.h>

#include "spectrum/x86_bits.h"

/* ---- Basic exit reasons, SDM Vol. 3D Appendix C Table C-1 ---- */
#define VMX_EXIT_EXCEPTION_NMI      0   /**< exception or NMI (exception bitmap / NMI exiting) */
#define VMX_EXIT_EXTERNAL_INTR      1   /**< external interrupt (pin-based bit 0) */
#define VMX_EXIT_TRIPLE_FAULT       2   /**< triple fault */
#define VMX_EXIT_INIT               3   /**< INIT signal */
#define VMX_EXIT_SIPI               4   /**< start-up IPI */
#define VMX_EXIT_INTR_WINDOW        7   /**< interrupt window */
#define VMX_EXIT_NMI_WINDOW         8   /**< NMI window */
#define VMX_EXIT_TASK_SWITCH        9   /**< task switch */
#define VMX_EXIT_CPUID              10  /**< CPUID (always exits) */
#define VMX_EXIT_GETSEC             11  /**< GETSEC (always exits) */
#define VMX_EXIT_HLT                12  /**< HLT */
#define VMX_EXIT_INVD               13  /**< INVD (always exits) */
#define VMX_EXIT_INVLPG             14  /**< INVLPG */
#define VMX_EXIT_RDPMC              15  /**< RDPMC */
#define VMX_EXIT_RDTSC              16  /**< RDTSC */
#define VMX_EXIT_VMCALL             18  /**< VMCALL (always exits) */
#define VMX_EXIT_CR_ACCESS          28  /**< MOV CR, CLTS, LMSW */
#define VMX_EXIT_DR_ACCESS          29  /**< MOV DR */
#define VMX_EXIT_IO                 30  /**< IN/OUT/INS/OUTS */
#define VMX_EXIT_RDMSR              31  /**< RDMSR */
#define VMX_EXIT_WRMSR              32  /**< WRMSR */
#define VMX_EXIT_INVALID_GUEST      33  /**< VM-entry failure: invalid guest state */
#define VMX_EXIT_MSR_LOADING        34  /**< VM-entry failure: MSR loading */
#define VMX_EXIT_MACHINE_CHECK      41  /**< VM-entry failure: machine-check event */
#define VMX_EXIT_MWAIT              36  /**< MWAIT */
#define VMX_EXIT_MONITOR            39  /**< MONITOR */
#define VMX_EXIT_EPT_VIOLATION      48  /**< EPT violation (lesson 03) */
#define VMX_EXIT_PREEMPTION_TIMER   52  /**< VMX-preemption timer expired */
#define VMX_EXIT_XSETBV             55  /**< XSETBV (always exits) */

/* ---- Exit-reason field, SDM Vol. 3C §25.9.1 Table 25-18 ---- */
#define VMX_EXIT_REASON_BASIC_MASK  0xffffu     /**< bits 15:0: basic exit reason */
#define VMX_EXIT_REASON_ENTRY_FAIL  (1u << 31)  /**< the exit is a VM-entry failure */

/* ---- Interruption information (VM-entry Table 25-17, VM-exit Table 25-19,
 *      IDT-vectoring Table 25-20: same layout) ---- */
#define VMX_INTR_VECTOR_MASK        0xffu       /**< bits 7:0: vector */
#define VMX_INTR_TYPE_SHIFT         8           /**< bits 10:8: interruption type */
#define VMX_INTR_TYPE_MASK          (7u << 8)   /**< ... */
#define VMX_INTR_TYPE_EXT_INTR      0u          /**< external interrupt */
#define VMX_INTR_TYPE_NMI           2u          /**< NMI */
#define VMX_INTR_TYPE_HW_EXCEPTION  3u          /**< hardware exception (fault/abort) */
#define VMX_INTR_TYPE_SOFT_INTR     4u          /**< software interrupt (INT n) */
#define VMX_INTR_TYPE_PRIV_SOFT_EXC 5u          /**< privileged software exception (INT1) */
#define VMX_INTR_TYPE_SOFT_EXC      6u          /**< software exception (INT3, INTO) */
#define VMX_INTR_TYPE_OTHER         7u          /**< other event (MTF) */
#define VMX_INTR_ERROR_CODE         (1u << 11)  /**< deliver / delivered an error code */
#define VMX_INTR_NMI_UNBLOCK_IRET   (1u << 12)  /**< exit info only: NMI unblocking due to IRET */
#define VMX_INTR_RESERVED           0x7ffff000u /**< entry info: bits 30:12 must be zero */
#define VMX_INTR_VALID              (1u << 31)  /**< the field is valid */

/**
 * @brief Does a hardware exception with @p vector deliver an error code,
 *        by Intel's list?  VM entry checks "deliver error code" against
 *        8, 10-14, 17 and 21 (SDM Vol. 3C §27.2.1.3, Vol. 3A Table 7-1):
 *        x86_exception_has_error() less AMD's \#VC and \#SX (29, 30),
 *        which a VMX guest gets without one.
 */
static inline bool vmx_exception_has_error(unsigned vector)
{
    return vector < EXC_VC && x86_exception_has_error(vector);
}

/* ---- Guest interruptibility state, SDM Vol. 3C §25.4.2 Table 25-3 ---- */
#define VMX_INTERRUPTIBILITY_STI    (1u << 0)   /**< blocking by STI */
#define VMX_INTERRUPTIBILITY_MOV_SS (1u << 1)   /**< blocking by MOV SS / POP SS */
#define VMX_INTERRUPTIBILITY_SMI    (1u << 2)   /**< blocking by SMI */
#define VMX_INTERRUPTIBILITY_NMI    (1u << 3)   /**< blocking by NMI */
#define VMX_INTERRUPTIBILITY_RESERVED 0xffffffe0u /**< bits 31:5 reserved (bit 4: enclave) */

/* ---- Guest activity state, SDM Vol. 3C §25.4.2 ---- */
#define VMX_ACTIVITY_ACTIVE         0u  /**< executing instructions */
#define VMX_ACTIVITY_HLT            1u  /**< halted */
#define VMX_ACTIVITY_SHUTDOWN       2u  /**< after a triple fault */
#define VMX_ACTIVITY_WAIT_SIPI      3u  /**< waiting for a start-up IPI */

/* ---- Exit qualification for I/O instructions, SDM Vol. 3C §28.2.1 Table 28-5 ---- */
#define VMX_IOQ_SIZE_MASK           0x7u        /**< bits 2:0: size - 1 (0, 1 or 3) */
#define VMX_IOQ_IN                  (1u << 3)   /**< direction: 1 = IN */
#define VMX_IOQ_STRING              (1u << 4)   /**< INS/OUTS */
#define VMX_IOQ_REP                 (1u << 5)   /**< REP prefix */
#define VMX_IOQ_IMMEDIATE           (1u << 6)   /**< port given as an immediate (else DX) */
#define VMX_IOQ_PORT_SHIFT          16          /**< bits 31:16: port */

/* ---- Exit qualification for control-register accesses, Table 28-3 ---- */
#define VMX_CRQ_CR_MASK             0xfu        /**< bits 3:0: control register number */
#define VMX_CRQ_TYPE_SHIFT          4           /**< bits 5:4: access type */
#define VMX_CRQ_TYPE_MOV_TO_CR      0u          /**< MOV to CR */
#define VMX_CRQ_TYPE_MOV_FROM_CR    1u          /**< MOV from CR */
#define VMX_CRQ_TYPE_CLTS           2u          /**< CLTS */
#define VMX_CRQ_TYPE_LMSW           3u          /**< LMSW */
#define VMX_CRQ_GPR_SHIFT           8           /**< bits 11:8: general register (Table 28-3 order = x86 order) */
#define VMX_CRQ_LMSW_SRC_SHIFT      16          /**< bits 31:16: LMSW source data */

/* ---- VM-instruction error numbers, SDM Vol. 3C §31.4 Table 31-1 ---- */
#define VMX_ERR_ENTRY_INVALID_CTL   7   /**< VM entry with invalid control field(s) */
#define VMX_ERR_ENTRY_INVALID_HOST  8   /**< VM entry with invalid host-state field(s) */
#define VMX_ERR_UNSUPPORTED_FIELD   12  /**< VMREAD/VMWRITE from/to unsupported VMCS component */
#define VMX_ERR_ENTRY_MOV_SS        26  /**< VM entry with events blocked by MOV SS */

/** @brief Name of VM-instruction error @p n (SDM Vol. 3C §31.4), "reserved" if unassigned. */
const char *vmx_insn_error_name(uint32_t n);

/** @brief Name of basic exit reason @p reason (SDM Vol. 3D Appendix C), "unknown" if unassigned. */
const char *vmx_exit_reason_name(uint32_t reason);

/** @brief Name of interruption type @p type (bits 10:8 of an interruption-information field). */
const char *vmx_intr_type_name(uint32_t type);

#endif
