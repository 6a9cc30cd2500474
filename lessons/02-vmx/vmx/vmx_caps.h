/**
 * @file vmx_caps.h
 * @brief The CPU's VMX capabilities, and control values derived from them.
 *
 * A VM-execution/exit/entry control field is never written "as we like
 * it": each CPU publishes, per control field, which bits may be 0 and
 * which may be 1 (SDM Vol. 3D Appendix A.3-A.5, "allowed 0-settings" in
 * bits 31:0 of the capability MSR, "allowed 1-settings" in bits 63:32).
 * Spectrum states the bits it wants and lets vmx_ctl_adjust() add what
 * must be 1 and drop what may not be 1, then insists that every wanted
 * bit survived.
 *
 * The pure functions run hosted (the checker's unit test); only
 * vmx_caps_read() touches the CPU.
 */
#ifndef SPECTRUM_VMX_CAPS_H
#define SPECTRUM_VMX_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The five control fields whose settings the capability MSRs constrain. */
enum vmx_ctl_kind {
    VMX_CTL_PIN,    /**< pin-based VM-execution controls (A.3.1) */
    VMX_CTL_PROC,   /**< primary processor-based VM-execution controls (A.3.2) */
    VMX_CTL_PROC2,  /**< secondary processor-based VM-execution controls (A.3.3) */
    VMX_CTL_EXIT,   /**< VM-exit controls (A.4) */
    VMX_CTL_ENTRY,  /**< VM-entry controls (A.5) */
    VMX_CTL_KINDS
};

/** @brief A snapshot of the VMX capability MSRs and the CPUID limits. */
struct vmx_caps {
    uint64_t basic;          /**< IA32_VMX_BASIC (A.1) */
    /** Allowed settings per control field: the IA32_VMX_TRUE_* MSR when
     *  BASIC bit 55 says they exist, else the plain one; 0 for the
     *  secondary controls when the CPU has none (nothing may be 1). */
    uint64_t ctl[VMX_CTL_KINDS];
    uint64_t misc;           /**< IA32_VMX_MISC (A.6) */
    uint64_t cr0_fixed0;     /**< IA32_VMX_CR0_FIXED0: 1 = CR0 bit must be 1 (A.7) */
    uint64_t cr0_fixed1;     /**< IA32_VMX_CR0_FIXED1: 0 = CR0 bit must be 0 (A.7) */
    uint64_t cr4_fixed0;     /**< IA32_VMX_CR4_FIXED0 (A.8) */
    uint64_t cr4_fixed1;     /**< IA32_VMX_CR4_FIXED1 (A.8) */
    uint64_t ept_vpid;       /**< IA32_VMX_EPT_VPID_CAP (A.10), 0 if absent */
    uint8_t phys_addr_bits;  /**< MAXPHYADDR, CPUID.80000008H:EAX[7:0] */
    uint8_t linear_addr_bits; /**< linear-address width, CPUID.80000008H:EAX[15:8] */
};

/** @brief Bits the CPU forces to 1 in a control field (allowed 0-settings). */
static inline uint32_t vmx_ctl_must_be_one(uint64_t allowed) { return (uint32_t)allowed; }

/** @brief Bits the CPU lets be 1 in a control field (allowed 1-settings). */
static inline uint32_t vmx_ctl_may_be_one(uint64_t allowed) { return (uint32_t)(allowed >> 32); }

/** @brief (wanted | must-be-one) & may-be-one: the closest legal value. */
static inline uint32_t vmx_ctl_adjust(uint32_t wanted, uint64_t allowed)
{
    return (wanted | vmx_ctl_must_be_one(allowed)) & vmx_ctl_may_be_one(allowed);
}

/** @brief Whether @p value obeys the allowed settings @p allowed. */
static inline bool vmx_ctl_fits(uint32_t value, uint64_t allowed)
{
    return vmx_ctl_adjust(value, allowed) == value;
}

/** @brief A control register value with the VMX fixed bits applied. */
static inline uint64_t vmx_fixed_apply(uint64_t value, uint64_t fixed0, uint64_t fixed1)
{
    return (value | fixed0) & fixed1;
}

/** @brief Read the capability MSRs and CPUID limits of this CPU (VMX must exist). */
void vmx_caps_read(struct vmx_caps *c);

/**
 * @brief Derive all five control fields from the wanted bits.
 *
 * Sets "activate secondary controls" in the primary controls when any
 * secondary bit is wanted.
 * @param c        the CPU's capabilities
 * @param wanted   the bits Spectrum needs, per field
 * @param optional bits Spectrum uses when the CPU has them (may be NULL):
 *                 the caller checks @p out to see which it got
 * @param out      the values to write into the VMCS
 * @param why      on failure: which control of which field is unsupported
 * @param why_len  size of @p why
 * @return false if a wanted bit may not be 1 on this CPU
 */
bool vmx_caps_controls(const struct vmx_caps *c, const uint32_t wanted[VMX_CTL_KINDS],
                       const uint32_t optional[VMX_CTL_KINDS], uint32_t out[VMX_CTL_KINDS], char *why,
                       size_t why_len);

/** @brief The VMX-preemption timer counts down once every 2^rate TSC ticks
 *         (IA32_VMX_MISC[4:0], SDM Vol. 3C §26.5.1). */
static inline unsigned vmx_caps_preempt_rate(const struct vmx_caps *c)
{
    return (unsigned)(c->misc & 0x1f);
}

/** @brief "pin-based", "primary processor-based", ... */
const char *vmx_ctl_kind_name(enum vmx_ctl_kind k);

/** @brief Name of bit @p bit of control field @p k ("HLT exiting"), or "reserved". */
const char *vmx_ctl_bit_name(enum vmx_ctl_kind k, unsigned bit);

/** @brief Number of CR3-target values the CPU supports (IA32_VMX_MISC[24:16]). */
static inline unsigned vmx_caps_cr3_targets(const struct vmx_caps *c)
{
    return (unsigned)((c->misc >> 16) & 0x1ff);
}

#endif
