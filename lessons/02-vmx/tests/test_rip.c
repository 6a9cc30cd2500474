/**
 * @file test_rip.c
 * @brief Check tests for completing an emulated instruction
 *        (vcpu/rip.h, vcpu_skip_insn() in vcpu/exit.c): the code's width
 *        from CR0.PE, EFER.LMA and CS.L/D, RIP wraps at that width, and
 *        RFLAGS.TF owes the guest a single-step #DB with DR6.BS.  The
 *        vCPU is a fake: its ops record what the code asks.
 */
#include <check.h>
#include <stdarg.h>
#include <string.h>

#include "spectrum/x86_bits.h"
#include "vcpu/exit.h"
#include "vcpu/rip.h"

#include "check_main.h"

/* ---- a fake vCPU ---- */
static unsigned fake_bits;
static uint64_t fake_dr6;
static struct vcpu_event injected;
static int injections;
static bool stopped;

static unsigned fake_code_bits(struct vcpu *v) { (void)v; return fake_bits; }
static uint64_t fake_get_ctl(struct vcpu *v, enum vcpu_ctl which)
{
    (void)v;
    return which == CTL_DR6 ? fake_dr6 : 0;
}
static bool fake_set_ctl(struct vcpu *v, enum vcpu_ctl which, uint64_t value)
{
    (void)v;
    if (which == CTL_DR6)
        fake_dr6 = value;
    return true;
}
static bool fake_inject(struct vcpu *v, const struct vcpu_event *ev)
{
    (void)v;
    injected = *ev;
    injections++;
    return true;
}

static const struct vcpu_ops fake_ops = {
    .name = "fake", .code_bits = fake_code_bits, .get_ctl = fake_get_ctl, .set_ctl = fake_set_ctl,
    .inject = fake_inject,
};

/* exit.c reports a failed injection through vm_stop(). */
void vm_stop(struct vm *vm, bool passed, const char *fmt, ...)
{
    (void)vm;
    (void)passed;
    (void)fmt;
    stopped = true;
}

static struct vm fake_vm;
static struct vcpu v;

static void setup(unsigned bits, uint64_t rip, uint64_t rflags)
{
    memset(&v, 0, sizeof v);
    v.ops = &fake_ops;
    v.vm = &fake_vm;
    v.regs.rip = rip;
    v.regs.rflags = rflags;
    fake_bits = bits;
    fake_dr6 = DR6_INIT;
    injections = 0;
    stopped = false;
}

START_TEST(test_advance_widths)
{
    ck_assert_uint_eq(vcpu_rip_advance(0x1000, 2, 64), 0x1002);
    ck_assert_uint_eq(vcpu_rip_advance(0xfffffffffffffffeull, 2, 64), 0);
    ck_assert_uint_eq(vcpu_rip_advance(0xfffffffeull, 2, 64), 0x100000000ull);
    /* 32-bit code: EIP wraps at 4 GiB (SDM Vol. 1 §3.6.1). */
    ck_assert_uint_eq(vcpu_rip_advance(0xfffffffeull, 3, 32), 1);
    ck_assert_uint_eq(vcpu_rip_advance(0x7ffffffeull, 3, 32), 0x80000001ull);
    /* 16-bit code: IP wraps at 64 KiB. */
    ck_assert_uint_eq(vcpu_rip_advance(0xfffe, 3, 16), 1);
    ck_assert_uint_eq(vcpu_rip_advance(0x1234, 1, 16), 0x1235);
}
END_TEST

/* The code-width rule both back ends ask (vcpu_code_bits(pe, lma, cs_l, cs_d)). */
START_TEST(test_code_bits)
{
    /* Real mode: 16-bit, whatever the hidden CS attributes hold. */
    ck_assert_uint_eq(vcpu_code_bits(false, false, false, false), 16);
    ck_assert_uint_eq(vcpu_code_bits(false, false, false, true), 16);
    /* Protected mode: CS.D picks 32 or 16; CS.L means nothing outside IA-32e mode. */
    ck_assert_uint_eq(vcpu_code_bits(true, false, false, true), 32);
    ck_assert_uint_eq(vcpu_code_bits(true, false, false, false), 16);
    ck_assert_uint_eq(vcpu_code_bits(true, false, true, false), 16);
    /* Compatibility mode (EFER.LMA, CS.L clear): CS.D again. */
    ck_assert_uint_eq(vcpu_code_bits(true, true, false, true), 32);
    ck_assert_uint_eq(vcpu_code_bits(true, true, false, false), 16);
    /* 64-bit mode: EFER.LMA and CS.L (CS.D = 1 with L = 1 is reserved; L wins). */
    ck_assert_uint_eq(vcpu_code_bits(true, true, true, false), 64);
    ck_assert_uint_eq(vcpu_code_bits(true, true, true, true), 64);
}
END_TEST

START_TEST(test_skip_wraps_by_mode)
{
    struct vm_exit e = { .insn_len = 2 };
    setup(32, 0xffffffffull, RFLAGS_FIXED);
    vcpu_skip_insn(&v, &e);
    ck_assert_uint_eq(v.regs.rip, 1);
    setup(64, 0xffffffffull, RFLAGS_FIXED);
    vcpu_skip_insn(&v, &e);
    ck_assert_uint_eq(v.regs.rip, 0x100000001ull);
    ck_assert_int_eq(injections, 0);
}
END_TEST

START_TEST(test_single_step_trap)
{
    struct vm_exit e = { .insn_len = 2 };
    setup(64, 0x100000, RFLAGS_FIXED | RFLAGS_TF);
    vcpu_skip_insn(&v, &e);
    ck_assert_uint_eq(v.regs.rip, 0x100002);
    ck_assert_int_eq(injections, 1);
    ck_assert_int_eq(injected.type, EVENT_EXCEPTION);
    ck_assert_uint_eq(injected.vector, EXC_DB);
    ck_assert(!injected.has_error);
    ck_assert(fake_dr6 & DR6_BS);
    ck_assert(!stopped);
    /* Without TF: no trap, DR6 untouched. */
    setup(64, 0x100000, RFLAGS_FIXED | RFLAGS_IF);
    vcpu_skip_insn(&v, &e);
    ck_assert_int_eq(injections, 0);
    ck_assert_uint_eq(fake_dr6, DR6_INIT);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("rip");
    TCase *t = tcase_create("core");
    tcase_add_test(t, test_advance_widths);
    tcase_add_test(t, test_code_bits);
    tcase_add_test(t, test_skip_wraps_by_mode);
    tcase_add_test(t, test_single_step_trap);
    suite_add_tcase(s, t);
    return s;
}

CHECK_MAIN(make_suite)
