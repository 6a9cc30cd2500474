/**
 * @file vmx_insn.h
 * @brief VMXON, VMCLEAR and VMPTRLD as inline functions that return how
 *        they ended (VMX_OK, VMX_FAIL_INVALID, VMX_FAIL_VALID).
 *
 * All three take the physical address of a 4-KByte aligned region as a
 * 64-bit memory operand (SDM Vol. 3C §31.3 "VMX Instructions" and Vol. 2
 * "VMXON", "VMCLEAR", "VMPTRLD") and report failure in CF/ZF (§31.2).
 * VMREAD/VMWRITE are in vmcs_fields.h, VMLAUNCH/VMRESUME in vmx_run.S.
 */
#ifndef SPECTRUM_VMX_INSN_H
#define SPECTRUM_VMX_INSN_H

#include <stdint.h>

#include "vmx/vmcs_fields.h"

/** @brief VMXON: enter VMX root operation with the VMXON region at @p pa. */
static inline int vmx_vmxon(uint64_t pa)
{
    uint8_t cf, zf;
    __asm__ volatile("vmxon %[p]\n\tsetc %[c]\n\tsetz %[z]"
                     : [c] "=qm"(cf), [z] "=qm"(zf)
                     : [p] "m"(pa)
                     : "cc", "memory");
    return cf ? VMX_FAIL_INVALID : zf ? VMX_FAIL_VALID : VMX_OK;
}

/** @brief VMCLEAR: flush the VMCS at @p pa to memory, make it clear and not current. */
static inline int vmx_vmclear(uint64_t pa)
{
    uint8_t cf, zf;
    __asm__ volatile("vmclear %[p]\n\tsetc %[c]\n\tsetz %[z]"
                     : [c] "=qm"(cf), [z] "=qm"(zf)
                     : [p] "m"(pa)
                     : "cc", "memory");
    return cf ? VMX_FAIL_INVALID : zf ? VMX_FAIL_VALID : VMX_OK;
}

/** @brief VMPTRLD: make the VMCS at @p pa the current VMCS. */
static inline int vmx_vmptrld(uint64_t pa)
{
    uint8_t cf, zf;
    __asm__ volatile("vmptrld %[p]\n\tsetc %[c]\n\tsetz %[z]"
                     : [c] "=qm"(cf), [z] "=qm"(zf)
                     : [p] "m"(pa)
                     : "cc", "memory");
    return cf ? VMX_FAIL_INVALID : zf ? VMX_FAIL_VALID : VMX_OK;
}

#endif
