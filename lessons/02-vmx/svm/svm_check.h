/**
 * @file svm_check.h
 * @brief The VMRUN consistency checker: APM Vol. 2 §15.5.1 "VMRUN",
 *        "Canonicalization and Consistency Checks", as pure functions.
 *
 * VMRUN refuses an illegal guest state with EXITCODE VMEXIT_INVALID (-1)
 * and, on real hardware as in QEMU, says nothing about which rule broke.
 * This checker evaluates the same rules on a VMCB in memory and names each
 * broken one (rule, field, value), so Spectrum runs it before the first
 * VMRUN of every vCPU and again after a failed one.
 *
 * It reads only the struct vmcb and a description of the CPU
 * (struct svm_check_env), and reports through a callback, so the same code
 * runs in the kernel and in the hosted unit test (tests/test_svm_check.c).
 */
#ifndef SPECTRUM_SVM_CHECK_H
#define SPECTRUM_SVM_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "svm/vmcb.h"

/** @brief What the rules need to know about the CPU (from CPUID). */
struct svm_check_env {
    uint8_t phys_addr_bits;   /**< MAXPHYADDR, CPUID 8000_0008h EAX[7:0] */
    bool long_mode;           /**< CPUID 8000_0001h EDX[29] (LM) */
    uint32_t nasid;           /**< CPUID 8000_000Ah EBX: number of ASIDs (0: unknown, not checked) */
    uint64_t cr4_valid;       /**< CR4 bits this CPU implements; the others are MBZ */
    uint64_t efer_valid;      /**< EFER bits this CPU implements; the others are MBZ */
};

/** @brief One broken rule. */
struct svm_check_violation {
    const char *rule;         /**< stable short name, e.g. "efer-svme" */
    const char *field;        /**< the VMCB field, e.g. "EFER" */
    uint64_t value;           /**< the field's value */
    const char *what;         /**< one sentence: what the rule says */
};

/** @brief Receives each violation in rule order. */
typedef void (*svm_check_report_fn)(void *ctx, const struct svm_check_violation *v);

/**
 * @brief Evaluate every VMRUN consistency rule on @p vmcb.
 * @param vmcb   the VMCB to check (not modified)
 * @param env    the CPU's limits
 * @param report called once per broken rule (may be NULL)
 * @param ctx    passed to @p report
 * @return the number of broken rules (0: VMRUN should accept it)
 */
unsigned svm_check_vmcb(const struct vmcb *vmcb, const struct svm_check_env *env,
                        svm_check_report_fn report, void *ctx);

/** @brief Number of rules svm_check_vmcb() evaluates (for the log). */
unsigned svm_check_rule_count(void);

#endif
