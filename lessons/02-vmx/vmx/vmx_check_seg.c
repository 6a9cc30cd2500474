/**
 * @file vmx_check_seg.c
 * @brief VM-entry checks on the guest segment registers, SDM Vol. 3C
 *        §27.3.1.2 "Checks on Guest Segment Registers".
 *
 * The VMCS holds each segment register's hidden part (base, limit, access
 * rights) and VM entry loads it as is, without reading any descriptor, so
 * the CPU insists that the hidden parts describe segments a real segment
 * load could have produced.  Rule names are "guest-<reg>-<rule>", e.g.
 * "guest-tr-type" or "guest-cs-l-d".
 */
#include "vmx/vmx_check_impl.h"

#include "spectrum/fmt.h"

static const char *const seg_upper[VMX_SEG_COUNT] = { "ES", "CS", "SS", "DS", "FS", "GS", "LDTR", "TR" };

/* Report a violation of rule "guest-<reg>-<rule>" on field GUEST_<REG>_<part>. */
static void seg_fail(struct vmx_checker *ck, enum vmx_seg_reg r, const char *rule, const char *part,
                     uint64_t value, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void seg_fail(struct vmx_checker *ck, enum vmx_seg_reg r, const char *rule, const char *part,
                     uint64_t value, const char *fmt, ...)
{
    char rule_buf[32], field_buf[24];
    fmt_snprintf(rule_buf, sizeof rule_buf, "guest-%s-%s", vmx_seg_name(r), rule);
    fmt_snprintf(field_buf, sizeof field_buf, "GUEST_%s_%s", seg_upper[r], part);
    va_list ap;
    va_start(ap, fmt);
    vmx_check_vfail(ck, rule_buf, SDM_GUEST_SEG, field_buf, value, fmt, ap);
    va_end(ap);
}

static bool usable(const struct vmx_seg *g) { return !(g->ar & VMX_AR_UNUSABLE); }
static unsigned type_of(const struct vmx_seg *g) { return g->ar & VMX_AR_TYPE_MASK; }
static unsigned dpl_of(const struct vmx_seg *g) { return (g->ar >> VMX_AR_DPL_SHIFT) & 3; }
static unsigned rpl_of(const struct vmx_seg *g) { return g->sel & 3; }

/* The S, P, reserved-bit and limit/granularity bullets, shared by every
 * register; @p want_s is 1 for code/data segments, 0 for LDTR and TR. */
static void check_common(struct vmx_checker *ck, enum vmx_seg_reg r, unsigned want_s)
{
    const struct vmx_seg *g = &ck->s->guest_seg[r];
    if (!!(g->ar & VMX_AR_S) != want_s)
        seg_fail(ck, r, "s", "AR", g->ar, "the descriptor-type bit S must be %u", want_s);
    if (!(g->ar & VMX_AR_P))
        seg_fail(ck, r, "p", "AR", g->ar, "the segment must be present (P = 1)");
    if (g->ar & VMX_AR_RESERVED)
        seg_fail(ck, r, "reserved", "AR", g->ar, "access-rights bits 11:8 and 31:17 must be 0");
    if (((g->limit & 0xfff) != 0xfff && (g->ar & VMX_AR_G)) || ((g->limit >> 20) && !(g->ar & VMX_AR_G)))
        seg_fail(ck, r, "limit-g", "LIMIT", g->limit,
                 "G must be 0 if a limit bit in 11:0 is 0, and 1 if a limit bit in 31:20 is 1 (AR %#x)", g->ar);
}

static void check_cs(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    const struct vmx_seg *cs = &s->guest_seg[VMX_SEG_CS], *ss = &s->guest_seg[VMX_SEG_SS];
    unsigned t = type_of(cs);
    bool ug = vmx_unrestricted(s);
    if (!(t == 9 || t == 11 || t == 13 || t == 15 || (t == 3 && ug)))
        seg_fail(ck, VMX_SEG_CS, "type", "AR", cs->ar,
                 "CS type must be 9, 11, 13 or 15 (accessed code)%s, not %u", ug ? " or 3" : "", t);
    if (t == 3 && dpl_of(cs) != 0)
        seg_fail(ck, VMX_SEG_CS, "dpl", "AR", cs->ar, "a type-3 CS must have DPL 0");
    if ((t == 9 || t == 11) && dpl_of(cs) != dpl_of(ss))
        seg_fail(ck, VMX_SEG_CS, "dpl", "AR", cs->ar,
                 "a non-conforming CS must have DPL = SS.DPL (%u), not %u", dpl_of(ss), dpl_of(cs));
    if ((t == 13 || t == 15) && dpl_of(cs) > dpl_of(ss))
        seg_fail(ck, VMX_SEG_CS, "dpl", "AR", cs->ar,
                 "a conforming CS must have DPL <= SS.DPL (%u), not %u", dpl_of(ss), dpl_of(cs));
    check_common(ck, VMX_SEG_CS, 1);
    if (vmx_guest_ia32e(s) && (cs->ar & VMX_AR_L) && (cs->ar & VMX_AR_DB))
        seg_fail(ck, VMX_SEG_CS, "l-d", "AR", cs->ar,
                 "in an IA-32e mode guest a 64-bit CS (L = 1) must have D/B = 0");
}

static void check_ss(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    const struct vmx_seg *ss = &s->guest_seg[VMX_SEG_SS];
    bool ug = vmx_unrestricted(s);
    if (!ug && dpl_of(ss) != rpl_of(ss))
        seg_fail(ck, VMX_SEG_SS, "dpl", "AR", ss->ar,
                 "SS.DPL (%u) must equal the RPL of the SS selector (%u)", dpl_of(ss), rpl_of(ss));
    if ((type_of(&s->guest_seg[VMX_SEG_CS]) == 3 || !(s->guest_cr0 & CR0_PE)) && dpl_of(ss) != 0)
        seg_fail(ck, VMX_SEG_SS, "dpl", "AR", ss->ar, "with a type-3 CS or CR0.PE = 0, SS.DPL must be 0");
    if (!usable(ss))
        return;
    if (type_of(ss) != 3 && type_of(ss) != 7)
        seg_fail(ck, VMX_SEG_SS, "type", "AR", ss->ar,
                 "a usable SS must be a read/write accessed data segment (type 3 or 7), not %u", type_of(ss));
    check_common(ck, VMX_SEG_SS, 1);
}

static void check_data(struct vmx_checker *ck, enum vmx_seg_reg r)
{
    const struct vmx_seg *g = &ck->s->guest_seg[r];
    if (!usable(g))
        return;
    unsigned t = type_of(g);
    if (!(t & VMX_AR_TYPE_ACCESSED) || ((t & VMX_AR_TYPE_CODE) && !(t & VMX_AR_TYPE_RW)))
        seg_fail(ck, r, "type", "AR", g->ar,
                 "a usable data register must be accessed, and readable if it is code (type %u)", t);
    if (!vmx_unrestricted(ck->s) && t <= 11 && dpl_of(g) < rpl_of(g))
        seg_fail(ck, r, "dpl", "AR", g->ar, "DPL (%u) must not be less than the selector's RPL (%u)",
                 dpl_of(g), rpl_of(g));
    check_common(ck, r, 1);
}

static void check_tr_ldtr(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    const struct vmx_seg *tr = &s->guest_seg[VMX_SEG_TR], *ldtr = &s->guest_seg[VMX_SEG_LDTR];
    unsigned t = type_of(tr);
    if (vmx_guest_ia32e(s) ? t != X86_SEG_TYPE_TSS_BUSY : (t != X86_SEG_TYPE_TSS_BUSY && t != X86_SEG_TYPE_TSS16_BUSY))
        seg_fail(ck, VMX_SEG_TR, "type", "AR", tr->ar,
                 "TR must be a busy TSS: type 11%s, not %u", vmx_guest_ia32e(s) ? "" : " or 3", t);
    if (!usable(tr))
        seg_fail(ck, VMX_SEG_TR, "unusable", "AR", tr->ar, "TR must be usable (AR bit 16 = 0)");
    check_common(ck, VMX_SEG_TR, 0);
    if (!usable(ldtr))
        return;
    if (type_of(ldtr) != X86_SEG_TYPE_LDT)
        seg_fail(ck, VMX_SEG_LDTR, "type", "AR", ldtr->ar, "a usable LDTR must have type 2, not %u",
                 type_of(ldtr));
    check_common(ck, VMX_SEG_LDTR, 0);
}

/* Selector and base-address bullets. */
static void check_selectors_bases(struct vmx_checker *ck)
{
    const struct vmx_state *s = ck->s;
    const struct vmx_seg *seg = s->guest_seg;
    if (seg[VMX_SEG_TR].sel & 4)
        seg_fail(ck, VMX_SEG_TR, "ti", "SEL", seg[VMX_SEG_TR].sel, "the TR selector must have TI = 0 (GDT)");
    if (usable(&seg[VMX_SEG_LDTR]) && (seg[VMX_SEG_LDTR].sel & 4))
        seg_fail(ck, VMX_SEG_LDTR, "ti", "SEL", seg[VMX_SEG_LDTR].sel,
                 "a usable LDTR selector must have TI = 0 (GDT)");
    if (!vmx_unrestricted(s) && !(s->guest_rflags & RFLAGS_VM) && rpl_of(&seg[VMX_SEG_SS]) != rpl_of(&seg[VMX_SEG_CS]))
        seg_fail(ck, VMX_SEG_SS, "rpl", "SEL", seg[VMX_SEG_SS].sel,
                 "the SS selector's RPL must equal CS's (%u)", rpl_of(&seg[VMX_SEG_CS]));

    static const enum vmx_seg_reg canon[] = { VMX_SEG_TR, VMX_SEG_FS, VMX_SEG_GS, VMX_SEG_LDTR };
    for (unsigned i = 0; i < sizeof canon / sizeof canon[0]; i++) {
        enum vmx_seg_reg r = canon[i];
        if ((r != VMX_SEG_LDTR || usable(&seg[r])) && !vmx_canonical(ck->caps, seg[r].base))
            seg_fail(ck, r, "base", "BASE", seg[r].base, "the base address must be canonical");
    }
    static const enum vmx_seg_reg low[] = { VMX_SEG_CS, VMX_SEG_SS, VMX_SEG_DS, VMX_SEG_ES };
    for (unsigned i = 0; i < sizeof low / sizeof low[0]; i++) {
        enum vmx_seg_reg r = low[i];
        if ((r == VMX_SEG_CS || usable(&seg[r])) && (seg[r].base >> 32))
            seg_fail(ck, r, "base", "BASE", seg[r].base, "base address bits 63:32 must be 0");
    }
}

/* Virtual-8086 mode: every segment is "real-mode like" (base = selector *
 * 16, limit FFFFH, access rights F3H). */
static void check_v86(struct vmx_checker *ck)
{
    for (enum vmx_seg_reg r = VMX_SEG_ES; r <= VMX_SEG_GS; r++) {
        const struct vmx_seg *g = &ck->s->guest_seg[r];
        if (g->base != (uint64_t)g->sel << 4)
            seg_fail(ck, r, "v86-base", "BASE", g->base, "in virtual-8086 mode the base must be selector * 16");
        if (g->limit != 0xffff)
            seg_fail(ck, r, "v86-limit", "LIMIT", g->limit, "in virtual-8086 mode the limit must be FFFFH");
        if (g->ar != 0xf3)
            seg_fail(ck, r, "v86-ar", "AR", g->ar, "in virtual-8086 mode the access rights must be F3H");
    }
}

void vmx_check_guest_segs(struct vmx_checker *ck)
{
    check_selectors_bases(ck);
    if (ck->s->guest_rflags & RFLAGS_VM) {
        check_v86(ck);
    } else {
        check_cs(ck);
        check_ss(ck);
        check_data(ck, VMX_SEG_DS);
        check_data(ck, VMX_SEG_ES);
        check_data(ck, VMX_SEG_FS);
        check_data(ck, VMX_SEG_GS);
    }
    check_tr_ldtr(ck);
}
