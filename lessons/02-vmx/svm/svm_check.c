/**
 * @file svm_check.c
 * @brief VMRUN's consistency checks (APM Vol. 2 §15.5.1), one rule each.
 *
 * The list follows the APM's bullet list "the following conditions are
 * considered illegal state combinations" in order, then the event-injection
 * rules of §15.20.  Each rule has a stable short name that the log and the
 * unit test use; the sentence says what the APM says.  Pure code: no I/O,
 * no globals, hosted-compilable.
 */
#include "svm/svm_check.h"
#include "spectrum/x86_bits.h"

/* Bits of the registers the rules look at (APM Vol. 2 §3.1.1 CR0,
 * §3.1.3 CR4, §3.1.7 EFER). */
#define HIGH32    0xffffffff00000000ull

/** Context of one run over the rules. */
struct check_run {
    svm_check_report_fn report;
    void *ctx;
    unsigned broken;
};

static void fail(struct check_run *r, const char *rule, const char *field, uint64_t value, const char *what)
{
    r->broken++;
    if (r->report) {
        struct svm_check_violation v = { rule, field, value, what };
        r->report(r->ctx, &v);
    }
}

/* Bits [63:n] set, for n in 0..64. */
static uint64_t bits_from(unsigned n)
{
    return n >= 64 ? 0 : ~0ull << n;
}

/* A permission map must lie entirely below the physical-address limit.
 * VMRUN ignores the low 12 bits of the base (the maps are page-aligned). */
static bool map_beyond_limit(uint64_t base, uint64_t size, unsigned phys_bits)
{
    if (phys_bits >= 64)
        return false;
    uint64_t limit = 1ull << phys_bits;
    uint64_t page = base & ~0xfffull;
    return page >= limit || size > limit - page;
}

#define RULE_COUNT 19u

unsigned svm_check_rule_count(void) { return RULE_COUNT; }

unsigned svm_check_vmcb(const struct vmcb *vmcb, const struct svm_check_env *env,
                        svm_check_report_fn report, void *ctx)
{
    struct check_run r = { report, ctx, 0 };
    const struct vmcb_save *s = &vmcb->save;
    const struct vmcb_control *c = &vmcb->control;
    bool lme_pg = (s->efer & EFER_LME) && (s->cr0 & CR0_PG);

    /* 1. "EFER.SVME is zero." */
    if (!(s->efer & EFER_SVME))
        fail(&r, "efer-svme", "EFER", s->efer, "EFER.SVME must be 1 in the guest state");
    /* 2. "CR0.CD is zero and CR0.NW is set." */
    if (!(s->cr0 & CR0_CD) && (s->cr0 & CR0_NW))
        fail(&r, "cr0-cd-nw", "CR0", s->cr0, "CR0.NW=1 with CR0.CD=0 is illegal");
    /* 3. "CR0[63:32] are not zero." */
    if (s->cr0 & HIGH32)
        fail(&r, "cr0-high", "CR0", s->cr0, "CR0 bits 63:32 must be zero");
    /* 4. "Any MBZ bit of CR3 is set": in long mode the bits at and above
     *    MAXPHYADDR (APM Vol. 2 §3.1.2 Figure 3-5), otherwise bits 63:32
     *    (a legacy-mode CR3 is 32 bits wide, Figures 3-3 and 3-4). */
    if (s->cr3 & (lme_pg ? bits_from(env->phys_addr_bits) : HIGH32))
        fail(&r, "cr3-mbz", "CR3", s->cr3, "a must-be-zero bit of CR3 is set");
    /* 5. "Any MBZ bit of CR4 is set." */
    if (s->cr4 & ~env->cr4_valid)
        fail(&r, "cr4-mbz", "CR4", s->cr4, "CR4 sets a bit this CPU does not implement");
    /* 6./7. "DR6[63:32] are not zero", "DR7[63:32] are not zero." */
    if (s->dr6 & HIGH32)
        fail(&r, "dr6-high", "DR6", s->dr6, "DR6 bits 63:32 must be zero");
    if (s->dr7 & HIGH32)
        fail(&r, "dr7-high", "DR7", s->dr7, "DR7 bits 63:32 must be zero");
    /* 8. "Any MBZ bit of EFER is set." */
    if (s->efer & ~env->efer_valid)
        fail(&r, "efer-mbz", "EFER", s->efer, "EFER sets a bit this CPU does not implement");
    /* 9. "EFER.LMA or EFER.LME is non-zero and this processor does not
     *    support long mode." */
    if ((s->efer & (EFER_LME | EFER_LMA)) && !env->long_mode)
        fail(&r, "efer-lm-unsupported", "EFER", s->efer, "long mode requested but CPUID says no LM");
    /* 10. "EFER.LME and CR0.PG are both set and CR4.PAE is zero." */
    if (lme_pg && !(s->cr4 & CR4_PAE))
        fail(&r, "lme-pg-no-pae", "CR4", s->cr4, "long mode (EFER.LME and CR0.PG) needs CR4.PAE");
    /* 11. "EFER.LME and CR0.PG are both non-zero and CR0.PE is zero." */
    if (lme_pg && !(s->cr0 & CR0_PE))
        fail(&r, "lme-pg-no-pe", "CR0", s->cr0, "long mode (EFER.LME and CR0.PG) needs CR0.PE");
    /* 12. "EFER.LME, CR0.PG, CR4.PAE, CS.L, and CS.D are all non-zero." */
    if (lme_pg && (s->cr4 & CR4_PAE) && (s->cs.attrib & SVM_SEG_L) && (s->cs.attrib & SVM_SEG_DB))
        fail(&r, "long-cs-l-d", "CS.attrib", s->cs.attrib, "64-bit code segment with CS.L=1 must have CS.D=0");
    /* 13. "The VMRUN intercept bit is clear." */
    if (!(c->intercept_misc2 & SVM_INTERCEPT_VMRUN))
        fail(&r, "vmrun-intercept", "intercept vector 4", c->intercept_misc2,
             "the VMRUN intercept bit must be set");
    /* 14./15. "The MSR or IOIO intercept tables extend to a physical
     *    address that is greater than or equal to the maximum supported
     *    physical address." */
    if (map_beyond_limit(c->msrpm_base_pa, SVM_MSRPM_SIZE, env->phys_addr_bits))
        fail(&r, "msrpm-beyond-limit", "MSRPM_BASE_PA", c->msrpm_base_pa,
             "the 8 KiB MSR permission map must end below MAXPHYADDR");
    if (map_beyond_limit(c->iopm_base_pa, SVM_IOPM_SIZE, env->phys_addr_bits))
        fail(&r, "iopm-beyond-limit", "IOPM_BASE_PA", c->iopm_base_pa,
             "the 12 KiB I/O permission map must end below MAXPHYADDR");
    /* 16. "ASID is equal to zero" (ASID 0 is the host's, §15.16). */
    if (c->guest_asid == 0)
        fail(&r, "asid-zero", "GUEST_ASID", c->guest_asid, "ASID 0 belongs to the host");
    /* 17./18. "Illegal event injection (see Section 15.20)": a reserved
     *    TYPE (1, 5, 6, 7), or an exception with vector 2 (NMI) or above 31. */
    if (c->eventinj & SVM_EVENT_VALID) {
        unsigned type = (unsigned)((c->eventinj & SVM_EVENT_TYPE_MASK) >> SVM_EVENT_TYPE_SHIFT);
        unsigned vector = (unsigned)(c->eventinj & SVM_EVENT_VECTOR_MASK);
        if (type != SVM_EVENT_TYPE_INTR && type != SVM_EVENT_TYPE_NMI && type != SVM_EVENT_TYPE_EXCEPTION &&
            type != SVM_EVENT_TYPE_SOFT_INT)
            fail(&r, "eventinj-type", "EVENTINJ", c->eventinj, "event type 1, 5, 6 and 7 are reserved");
        else if (type == SVM_EVENT_TYPE_EXCEPTION && (vector == 2 || vector > 31))
            fail(&r, "eventinj-vector", "EVENTINJ", c->eventinj,
                 "an injected exception must have a vector 0-31 other than 2 (NMI)");
    }
    /* Not a VMRUN failure but undefined behaviour: an ASID beyond the
     * number CPUID 8000_000Ah EBX reports (§15.16.1). */
    if (env->nasid && c->guest_asid >= env->nasid)
        fail(&r, "asid-range", "GUEST_ASID", c->guest_asid, "ASID beyond CPUID 8000_000Ah EBX (NASID)");
    return r.broken;
}
