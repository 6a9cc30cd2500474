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
    uint64_t cr0;                   /**< CR0 as the guest sees it (hypervisor-owned bits added by the vendor) */
    uint64_t cr3;                   /**< CR3 (a GPA; 0 without paging) */
    uint64_t cr4;                   /**< CR4 as the guest sees it */
    uint64_t efer;                  /**< EFER (LME/LMA for 64-bit starts) */
    struct start_seg cs;            /**< code segment */
    struct start_seg ss;            /**< stack segment */
    struct start_seg ds;            /**< data segment */
    struct start_seg es;            /**< extra segment */
    struct start_seg fs;            /**< FS */
    struct start_seg gs;            /**< GS */
    struct start_seg ldtr;          /**< LDT register (unusable) */
    struct start_seg tr;            /**< task register (a busy TSS type) */
    uint64_t gdt_base;              /**< GDTR base (a GPA) */
    uint64_t idt_base;              /**< IDTR base */
    uint16_t gdt_limit;             /**< GDTR limit */
    uint16_t idt_limit;             /**< IDTR limit */
    uint64_t rip;                   /**< entry point */
    uint64_t rsp;                   /**< stack pointer */
};

/** @brief Fill @p out for @p start (real mode, flat 32-bit or 64-bit). */
void start_state_for(const struct hvm_start *start, struct start_state *out);

/** @brief VMX access rights @p ar in the SVM VMCB attribute layout. */
static inline uint16_t start_seg_svm_attrib(uint32_t ar)
{
    return (uint16_t)((ar & 0xffu) | ((ar >> 4) & 0xf00u));
}

#endif
