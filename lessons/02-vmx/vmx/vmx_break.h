/**
 * @file vmx_break.h
 * @brief Deliberate mistakes in a VMCS, for teaching and for testing the
 *        VM-entry checker against the CPU.
 *
 * "vmx_break=NAME" on the command line applies one to every vCPU the VMX
 * back end creates; scenario "vmx-breaks" applies each in turn and checks
 * that the checker names the rule and that the CPU refuses the entry.
 */
#ifndef SPECTRUM_VMX_BREAK_H
#define SPECTRUM_VMX_BREAK_H

#include <stdbool.h>

#include "vmx/vmx.h"

/** @brief One deliberate mistake. */
struct vmx_break {
    const char *name;    /**< what "vmx_break=" names */
    const char *what;    /**< the mistake, in words */
    const char *rule;    /**< the checker rule that must report it */
    bool long64_only;    /**< only a mistake for a 64-bit guest */
    void (*apply)(struct vmx_vcpu *x); /**< make the mistake (the VMCS is current) */
};

extern const struct vmx_break vmx_breaks[];  /**< every mistake */
extern const unsigned vmx_break_count;       /**< entries in vmx_breaks[] */

#endif
