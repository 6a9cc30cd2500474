/**
 * @file start_state.h
 * @brief The first register state of a lesson-03 vCPU, worked out once
 *        from struct hvm_start for both vendors.
 *
 * Segment access rights are kept in the VMX layout (SDM Vol. 3C §25.4.1
 * Table 25-2: type 3:0, S 4, DPL 6:5, P 7, AVL 12, L 13, D/B 14, G 15);
 * the SVM attach packs them into the VMCB's 12-bit attribute format (APM
 * Vol. 2 Appendix B, "VMCB Layout, State Save Area": bits 7:0 then 15:12
 * moved down to 11:8) with start_seg_svm_attrib().
 */
#ifndef SPECTRUM_START_STATE_H
#define SPECTRUM_START_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/pc_machine.h"

/** @brief One segment register, hidden part included. */
struct start_seg {
    uint16_t sel;       /**< selector */
    uint64_t base;      /**< base address */
    uint32_t limit;     /**< limit in bytes (already scaled by G) */
    uint32_t ar;        /**< access rights, VMX layout */
    bool unusable;      /**< VMX "unusable" (the LDTR we never give) */
};

/** @brief Everything attach() writes into the VMCS/VMCB. */
struct start_state {
    uint64_t cr0, cr3, cr4, efer;   /**< what the guest sees (hypervisor-owned bits added by the vendor) */
    struct start_seg cs, ss, ds, es, fs, gs, ldtr, tr; /**< segments */
    uint64_t gdt_base, idt_base;    /**< descriptor tables */
    uint16_t gdt_limit, idt_limit;  /**< their limits */
    uint64_t rip, rsp;              /**< entry and stack */
};

/** @brief Fill @p out for @p start (real mode, flat 32-bit or 64-bit). */
void start_state_for(const struct hvm_start *start, struct start_state *out);

/** @brief VMX access rights @p ar in the SVM VMCB attribute layout. */
static inline uint16_t start_seg_svm_attrib(uint32_t ar)
{
    return (uint16_t)((ar & 0xffu) | ((ar >> 4) & 0xf00u));
}

#endif
