/**
 * @file vmx_check.c
 * @brief The VM-entry checker's entry point and report helper.
 *
 * The order of the calls follows the order in which the CPU performs the
 * checks (SDM Vol. 3C §27.1 "Basic VM-Entry Checks", then §27.2 controls
 * and host state, then §27.3.1 guest state), so the first violation
 * reported is the one a real VM entry would trip over first.
 */
#include "vmx/vmx_check.h"

#include <stdarg.h>

#include "spectrum/fmt.h"
#include "vmx/vmx_check_impl.h"

void vmx_check_vfail(struct vmx_checker *ck, const char *rule, const char *sdm, const char *field,
                     uint64_t value, const char *what_fmt, va_list ap)
{
    char what[192];
    fmt_vsnprintf(what, sizeof what, what_fmt, ap);
    ck->count++;
    if (ck->report) {
        struct vmx_check_violation v = { rule, sdm, field, value, what };
        ck->report(ck->ctx, &v);
    }
}

void vmx_check_fail(struct vmx_checker *ck, const char *rule, const char *sdm, const char *field,
                    uint64_t value, const char *what_fmt, ...)
{
    va_list ap;
    va_start(ap, what_fmt);
    vmx_check_vfail(ck, rule, sdm, field, value, what_fmt, ap);
    va_end(ap);
}

unsigned vmx_check_state(const struct vmx_state *s, const struct vmx_caps *caps,
                         vmx_check_report_fn report, void *ctx)
{
    struct vmx_checker ck = { s, caps, report, ctx, 0 };
    vmx_check_controls(&ck);
    vmx_check_host(&ck);
    vmx_check_guest_regs(&ck);
    vmx_check_guest_segs(&ck);
    vmx_check_guest_nonreg(&ck);
    return ck.count;
}

const char *vmx_seg_name(enum vmx_seg_reg r)
{
    static const char *const names[VMX_SEG_COUNT] = { "es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr" };
    return (unsigned)r < VMX_SEG_COUNT ? names[r] : "?";
}
