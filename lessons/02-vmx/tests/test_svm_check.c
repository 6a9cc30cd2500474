/**
 * @file test_svm_check.c
 * @brief Check tests for svm/svm_check.c, the VMRUN consistency checker.
 *
 * Builds the VMCB state Spectrum gives a 64-bit and a 32-bit paged guest
 * (the same values svm_vmcb.c writes), checks that both pass, then seeds
 * one mistake at a time and checks that exactly the rule for that mistake
 * is reported, by name, with the offending field and value.  Also checks
 * the boundaries of the rules that compare against limits (MAXPHYADDR for
 * CR3 and the permission maps, the event-injection vectors).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "svm/svm_check.h"

#include "check_main.h"
#include "spectrum/x86_bits.h"


static struct vmcb vmcb;
static struct svm_check_env env;

/* What the checker reported during the last run. */
static char seen[32][48];
static char seen_field[32][32];
static uint64_t seen_value[32];
static unsigned nseen;

static void collect(void *ctx, const struct svm_check_violation *v)
{
    (void)ctx;
    ck_assert_ptr_nonnull(v->rule);
    ck_assert_ptr_nonnull(v->field);
    ck_assert_ptr_nonnull(v->what);
    ck_assert(strlen(v->what) > 0);
    if (nseen < 32) {
        snprintf(seen[nseen], sizeof seen[nseen], "%s", v->rule);
        snprintf(seen_field[nseen], sizeof seen_field[nseen], "%s", v->field);
        seen_value[nseen] = v->value;
    }
    nseen++;
}

static unsigned run_check(void)
{
    nseen = 0;
    unsigned n = svm_check_vmcb(&vmcb, &env, collect, NULL);
    ck_assert_uint_eq(n, nseen);
    return n;
}

/* Exactly one violation, named @p rule, on @p field with @p value. */
static void expect_only(const char *rule, const char *field, uint64_t value)
{
    unsigned n = run_check();
    ck_assert_msg(n == 1, "expected only %s, got %u violation(s), first %s", rule, n, n ? seen[0] : "-");
    ck_assert_str_eq(seen[0], rule);
    ck_assert_str_eq(seen_field[0], field);
    ck_assert_uint_eq(seen_value[0], value);
}

static void set_env(void)
{
    memset(&env, 0, sizeof env);
    env.phys_addr_bits = 40;
    env.long_mode = true;
    env.nasid = 16;
    env.cr4_valid = 0x7ff | (1ull << 16) | (1ull << 18);   /* VME..OSXMMEXCPT, FSGSBASE, OSXSAVE */
    env.efer_valid = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | EFER_SVME;
}

static void set_seg(struct vmcb_seg *s, uint16_t sel, uint16_t attrib)
{
    s->selector = sel;
    s->attrib = attrib;
    s->limit = 0xffffffffu;
    s->base = 0;
}

/* A 64-bit guest as svm_vmcb.c builds it. */
static void valid_long64(void)
{
    memset(&vmcb, 0, sizeof vmcb);
    set_env();
    vmcb.control.intercept_misc1 = SVM_INTERCEPT_CPUID | SVM_INTERCEPT_HLT | SVM_INTERCEPT_IOIO_PROT |
                                   SVM_INTERCEPT_MSR_PROT | SVM_INTERCEPT_SHUTDOWN;
    vmcb.control.intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL;
    vmcb.control.iopm_base_pa = 0x200000;
    vmcb.control.msrpm_base_pa = 0x204000;
    vmcb.control.guest_asid = 1;
    vmcb.save.cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
    vmcb.save.cr3 = 0x300000;
    vmcb.save.cr4 = CR4_PAE;
    vmcb.save.efer = EFER_LME | EFER_LMA | EFER_SVME;
    vmcb.save.dr6 = 0xffff0ff0;
    vmcb.save.dr7 = 0x400;
    vmcb.save.rflags = 2;
    set_seg(&vmcb.save.cs, 0x18, 0x9b | SVM_SEG_L | SVM_SEG_G);
    set_seg(&vmcb.save.ds, 0x10, 0x93 | SVM_SEG_DB | SVM_SEG_G);
    vmcb.save.es = vmcb.save.ss = vmcb.save.ds;
}

/* A 32-bit paged guest. */
static void valid_prot32(void)
{
    valid_long64();
    vmcb.save.cr4 = CR4_PSE;
    vmcb.save.efer = EFER_SVME;
    set_seg(&vmcb.save.cs, 0x08, 0x9b | SVM_SEG_DB | SVM_SEG_G);
}

START_TEST(test_valid_states_pass)
{
    valid_long64();
    ck_assert_uint_eq(run_check(), 0);
    valid_prot32();
    ck_assert_uint_eq(run_check(), 0);
    /* A NULL reporter only counts. */
    vmcb.control.guest_asid = 0;
    ck_assert_uint_eq(svm_check_vmcb(&vmcb, &env, NULL, NULL), 1);
    ck_assert_uint_ge(svm_check_rule_count(), 17);
}
END_TEST

START_TEST(test_efer_svme)
{
    valid_long64();
    vmcb.save.efer &= ~EFER_SVME;
    expect_only("efer-svme", "EFER", EFER_LME | EFER_LMA);
}
END_TEST

START_TEST(test_cr0_cd_nw)
{
    valid_long64();
    vmcb.save.cr0 |= CR0_NW;
    expect_only("cr0-cd-nw", "CR0", vmcb.save.cr0);
    /* CD=1 NW=1 is legal (no-fill cache mode) and CD=1 NW=0 too. */
    vmcb.save.cr0 |= CR0_CD;
    ck_assert_uint_eq(run_check(), 0);
    vmcb.save.cr0 &= ~CR0_NW;
    ck_assert_uint_eq(run_check(), 0);
}
END_TEST

START_TEST(test_cr0_high)
{
    valid_long64();
    vmcb.save.cr0 |= 1ull << 32;
    expect_only("cr0-high", "CR0", vmcb.save.cr0);
}
END_TEST

START_TEST(test_cr3_mbz)
{
    valid_long64();
    /* Highest legal bit in long mode: MAXPHYADDR - 1. */
    vmcb.save.cr3 = 1ull << 39;
    ck_assert_uint_eq(run_check(), 0);
    vmcb.save.cr3 = 1ull << 40;
    expect_only("cr3-mbz", "CR3", 1ull << 40);
    /* A 32-bit guest's CR3 is 32 bits wide. */
    valid_prot32();
    vmcb.save.cr3 = 0xfffff000;
    ck_assert_uint_eq(run_check(), 0);
    vmcb.save.cr3 = 1ull << 32;
    expect_only("cr3-mbz", "CR3", 1ull << 32);
}
END_TEST

START_TEST(test_cr4_mbz)
{
    valid_long64();
    vmcb.save.cr4 |= 1ull << 13;    /* VMXE: reserved on AMD */
    expect_only("cr4-mbz", "CR4", CR4_PAE | (1ull << 13));
}
END_TEST

START_TEST(test_dr6_dr7_high)
{
    valid_long64();
    vmcb.save.dr6 |= 1ull << 40;
    expect_only("dr6-high", "DR6", vmcb.save.dr6);
    valid_long64();
    vmcb.save.dr7 |= 1ull << 63;
    expect_only("dr7-high", "DR7", vmcb.save.dr7);
}
END_TEST

START_TEST(test_efer_mbz)
{
    valid_long64();
    vmcb.save.efer |= 1ull << 1;    /* reserved bit */
    expect_only("efer-mbz", "EFER", vmcb.save.efer);
}
END_TEST

START_TEST(test_efer_lm_unsupported)
{
    valid_long64();
    env.long_mode = false;
    expect_only("efer-lm-unsupported", "EFER", vmcb.save.efer);
}
END_TEST

START_TEST(test_lme_pg_no_pae)
{
    valid_long64();
    vmcb.save.cr4 = 0;
    expect_only("lme-pg-no-pae", "CR4", 0);
    /* LME without PG (long mode not yet active) needs no PAE. */
    vmcb.save.cr0 &= ~CR0_PG;
    vmcb.save.efer &= ~EFER_LMA;
    ck_assert_uint_eq(run_check(), 0);
}
END_TEST

START_TEST(test_lme_pg_no_pe)
{
    valid_long64();
    vmcb.save.cr0 &= ~CR0_PE;
    expect_only("lme-pg-no-pe", "CR0", vmcb.save.cr0);
}
END_TEST

START_TEST(test_long_cs_l_d)
{
    valid_long64();
    vmcb.save.cs.attrib |= SVM_SEG_DB;
    expect_only("long-cs-l-d", "CS.attrib", vmcb.save.cs.attrib);
    /* Outside long mode the rule does not apply. */
    valid_prot32();
    vmcb.save.cs.attrib |= SVM_SEG_L;
    ck_assert_uint_eq(run_check(), 0);
}
END_TEST

START_TEST(test_vmrun_intercept)
{
    valid_long64();
    vmcb.control.intercept_misc2 &= ~SVM_INTERCEPT_VMRUN;
    expect_only("vmrun-intercept", "intercept vector 4", SVM_INTERCEPT_VMMCALL);
}
END_TEST

START_TEST(test_permission_maps_limit)
{
    valid_long64();
    /* Last page-aligned base whose whole map still fits below 2^40. */
    vmcb.control.msrpm_base_pa = (1ull << 40) - SVM_MSRPM_SIZE;
    vmcb.control.iopm_base_pa = (1ull << 40) - SVM_IOPM_SIZE;
    ck_assert_uint_eq(run_check(), 0);
    vmcb.control.msrpm_base_pa += 0x1000;
    expect_only("msrpm-beyond-limit", "MSRPM_BASE_PA", (1ull << 40) - SVM_MSRPM_SIZE + 0x1000);
    valid_long64();
    vmcb.control.iopm_base_pa = 1ull << 45;
    expect_only("iopm-beyond-limit", "IOPM_BASE_PA", 1ull << 45);
}
END_TEST

START_TEST(test_asid)
{
    valid_long64();
    vmcb.control.guest_asid = 0;
    expect_only("asid-zero", "GUEST_ASID", 0);
    vmcb.control.guest_asid = 15;
    ck_assert_uint_eq(run_check(), 0);
    vmcb.control.guest_asid = 16;
    expect_only("asid-range", "GUEST_ASID", 16);
}
END_TEST

START_TEST(test_eventinj)
{
    valid_long64();
    uint64_t gp = SVM_EVENT_VALID | SVM_EVENT_EV | ((uint64_t)SVM_EVENT_TYPE_EXCEPTION << SVM_EVENT_TYPE_SHIFT) | 13;
    vmcb.control.eventinj = gp;
    ck_assert_uint_eq(run_check(), 0);
    uint64_t intr = SVM_EVENT_VALID | ((uint64_t)SVM_EVENT_TYPE_INTR << SVM_EVENT_TYPE_SHIFT) | 0x20;
    vmcb.control.eventinj = intr;
    ck_assert_uint_eq(run_check(), 0);
    /* Reserved types. */
    for (uint64_t t = 5; t <= 7; t++) {
        vmcb.control.eventinj = SVM_EVENT_VALID | (t << SVM_EVENT_TYPE_SHIFT) | 0x20;
        expect_only("eventinj-type", "EVENTINJ", vmcb.control.eventinj);
    }
    vmcb.control.eventinj = SVM_EVENT_VALID | (1ull << SVM_EVENT_TYPE_SHIFT);
    expect_only("eventinj-type", "EVENTINJ", vmcb.control.eventinj);
    /* Exceptions: vector 2 is NMI's, above 31 is not an exception. */
    uint64_t exc = SVM_EVENT_VALID | ((uint64_t)SVM_EVENT_TYPE_EXCEPTION << SVM_EVENT_TYPE_SHIFT);
    vmcb.control.eventinj = exc | 2;
    expect_only("eventinj-vector", "EVENTINJ", exc | 2);
    vmcb.control.eventinj = exc | 31;
    ck_assert_uint_eq(run_check(), 0);
    vmcb.control.eventinj = exc | 32;
    expect_only("eventinj-vector", "EVENTINJ", exc | 32);
    /* Not valid: ignored whatever it holds. */
    vmcb.control.eventinj = (7ull << SVM_EVENT_TYPE_SHIFT) | 2;
    ck_assert_uint_eq(run_check(), 0);
}
END_TEST

START_TEST(test_several_at_once)
{
    valid_long64();
    vmcb.control.guest_asid = 0;
    vmcb.save.efer &= ~EFER_SVME;
    vmcb.control.intercept_misc2 = 0;
    ck_assert_uint_eq(run_check(), 3);
    ck_assert_str_eq(seen[0], "efer-svme");
    ck_assert_str_eq(seen[1], "vmrun-intercept");
    ck_assert_str_eq(seen[2], "asid-zero");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("svm_check");
    TCase *tc = tcase_create("rules");
    tcase_add_test(tc, test_valid_states_pass);
    tcase_add_test(tc, test_efer_svme);
    tcase_add_test(tc, test_cr0_cd_nw);
    tcase_add_test(tc, test_cr0_high);
    tcase_add_test(tc, test_cr3_mbz);
    tcase_add_test(tc, test_cr4_mbz);
    tcase_add_test(tc, test_dr6_dr7_high);
    tcase_add_test(tc, test_efer_mbz);
    tcase_add_test(tc, test_efer_lm_unsupported);
    tcase_add_test(tc, test_lme_pg_no_pae);
    tcase_add_test(tc, test_lme_pg_no_pe);
    tcase_add_test(tc, test_long_cs_l_d);
    tcase_add_test(tc, test_vmrun_intercept);
    tcase_add_test(tc, test_permission_maps_limit);
    tcase_add_test(tc, test_asid);
    tcase_add_test(tc, test_eventinj);
    tcase_add_test(tc, test_several_at_once);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
