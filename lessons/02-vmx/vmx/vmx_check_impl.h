/**
 * @file vmx_check_impl.h
 * @brief Internals shared by the VM-entry checker's files: the checker
 *        context, the report helper and address-width predicates.
 *
 * The rules are split by the SDM's own sections: vmx_check_ctl.c (§27.2.1),
 * vmx_check_host.c (§27.2.2-27.2.4), vmx_check_guest.c (§27.3.1.1,
 * 27.3.1.3, 27.3.1.4), vmx_check_seg.c (§27.3.1.2) and
 * vmx_check_nonreg.c (§27.3.1.5).
 */
#ifndef SPECTRUM_VMX_CHECK_IMPL_H
#define SPECTRUM_VMX_CHECK_IMPL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "vmx/vmx_check.h"
#include "vmx/vmx_controls.h"
#include "vmx/vmx_exit_info.h"

/* SDM section strings, so every rule cites the bullet list it comes from. */
#define SDM_CTL_EXEC   "SDM Vol. 3C §27.2.1.1"   /**< VM-execution control fields */
#define SDM_CTL_EXIT   "SDM Vol. 3C §27.2.1.2"   /**< VM-exit control fields */
#define SDM_CTL_ENTRY  "SDM Vol. 3C §27.2.1.3"   /**< VM-entry control fields */
#define SDM_HOST_CR    "SDM Vol. 3C §27.2.2"     /**< host control registers and MSRs */
#define SDM_HOST_SEG   "SDM Vol. 3C §27.2.3"     /**< host segment and descriptor-table registers */
#define SDM_HOST_SIZE  "SDM Vol. 3C §27.2.4"     /**< checks related to address-space size */
#define SDM_GUEST_CR   "SDM Vol. 3C §27.3.1.1"   /**< guest control registers, debug registers, MSRs */
#define SDM_GUEST_SEG  "SDM Vol. 3C §27.3.1.2"   /**< guest segment registers */
#define SDM_GUEST_DT   "SDM Vol. 3C §27.3.1.3"   /**< guest descriptor-table registers */
#define SDM_GUEST_RIP  "SDM Vol. 3C §27.3.1.4"   /**< guest RIP and RFLAGS */
#define SDM_GUEST_NONREG "SDM Vol. 3C §27.3.1.5" /**< guest non-register state */

/** @brief One run of the checker. */
struct vmx_checker {
    const struct vmx_state *s;     /**< what is checked */
    const struct vmx_caps *caps;   /**< against what */
    vmx_check_report_fn report;    /**< where violations go (may be NULL) */
    void *ctx;                     /**< for @c report */
    unsigned count;                /**< violations so far */
};

/** @brief Record one violation; @p what_fmt is printf-style. */
void vmx_check_fail(struct vmx_checker *ck, const char *rule, const char *sdm, const char *field,
                    uint64_t value, const char *what_fmt, ...) __attribute__((format(printf, 6, 7)));

/** @brief vmx_check_fail() with a va_list. */
void vmx_check_vfail(struct vmx_checker *ck, const char *rule, const char *sdm, const char *field,
                     uint64_t value, const char *what_fmt, va_list ap);

/** @brief Whether @p a is canonical for the CPU's linear-address width (Vol. 3A §3.3.7.1). */
static inline bool vmx_canonical(const struct vmx_caps *c, uint64_t a)
{
    unsigned w = c->linear_addr_bits ? c->linear_addr_bits : 48;
    int64_t sa = (int64_t)(a << (64 - w)) >> (64 - w);
    return (uint64_t)sa == a;
}

/** @brief Whether @p a sets no bit at or above MAXPHYADDR. */
static inline bool vmx_phys_ok(const struct vmx_caps *c, uint64_t a)
{
    unsigned w = c->phys_addr_bits ? c->phys_addr_bits : 36;
    return w >= 64 || (a >> w) == 0;
}

/** @brief Whether the VM entry injects an event of interruption type @p type. */
static inline bool vmx_injects(const struct vmx_state *s, uint32_t type)
{
    return (s->entry_intr_info & VMX_INTR_VALID) &&
           ((s->entry_intr_info & VMX_INTR_TYPE_MASK) >> VMX_INTR_TYPE_SHIFT) == type;
}

/** @brief The secondary controls in effect: 0 unless "activate secondary controls" is 1 (§25.6.2). */
static inline uint32_t vmx_proc2(const struct vmx_state *s)
{
    return (s->proc & PROC_SECONDARY_CONTROLS) ? s->proc2 : 0;
}

/** @brief Whether "unrestricted guest" is in effect (secondary controls active and bit 7). */
static inline bool vmx_unrestricted(const struct vmx_state *s)
{
    return vmx_proc2(s) & PROC2_UNRESTRICTED_GUEST;
}

/** @brief Whether the guest will be in IA-32e mode ("IA-32e mode guest" entry control). */
static inline bool vmx_guest_ia32e(const struct vmx_state *s)
{
    return s->entry_ctls & ENTRY_IA32E_GUEST;
}

/** @brief Whether every entry of IA32_PAT value @p pat is a valid memory type. */
bool vmx_pat_valid(uint64_t pat);

/** @brief §27.2.1: checks on the VM-execution, VM-exit and VM-entry controls. */
void vmx_check_controls(struct vmx_checker *ck);
/** @brief §27.2.2-27.2.4: checks on the host-state area. */
void vmx_check_host(struct vmx_checker *ck);
/** @brief §27.3.1.1, 27.3.1.3, 27.3.1.4: guest control registers, MSRs, descriptor tables, RIP, RFLAGS. */
void vmx_check_guest_regs(struct vmx_checker *ck);
/** @brief §27.3.1.2: guest segment registers. */
void vmx_check_guest_segs(struct vmx_checker *ck);
/** @brief §27.3.1.5: guest non-register state (activity, interruptibility, link pointer). */
void vmx_check_guest_nonreg(struct vmx_checker *ck);

#endif
