/**
 * @file test_grader.c
 * @brief Check tests for the autograder itself: the spec parser rejects
 *        malformed specs with file:line, and the judge fails runs that
 *        should fail (wrong exit, missing, out-of-order or rejected lines,
 *        timeouts) and passes the ones that should pass.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grader.h"

static char tmpdir[] = "/tmp/spectrum-grader-XXXXXX";

static const char *write_file(const char *name, const char *text)
{
    static char path[4][512];
    static int slot;
    char *p = path[slot++ % 4];
    snprintf(p, 512, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return p;
}

static int parse(const char *text, struct test **tests, int *n)
{
    *tests = NULL;
    *n = 0;
    return spec_parse(write_file("grade.spec", text), "01-boot", tests, n);
}

static const char *good_spec =
    "# comment\n"
    "test t1\n"
    "  part boot   # trailing comment\n"
    "  points 7\n"
    "  cmdline run=boot x=1\n"
    "  module a.bin:args\n"
    "  engines qemu-tcg bochs\n"
    "  requires virt\n"
    "  timeout 30\n"
    "  exit fail\n"
    "  expect ^hello [0-9]+$\n"
    "  expect ^bye$\n"
    "  reject PANIC\n"
    "end\n"
    "test t2\n"
    "  cmdline run=x\n"
    "  expect x\n"
    "end\n";

START_TEST(spec_parses_every_keyword)
{
    struct test *t;
    int n;
    ck_assert_int_eq(parse(good_spec, &t, &n), 0);
    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(t[0].name, "t1");
    ck_assert_str_eq(t[0].part, "boot");
    ck_assert_int_eq(t[0].points, 7);
    ck_assert_str_eq(t[0].cmdline, "run=boot x=1");
    ck_assert_int_eq(t[0].module_count, 1);
    ck_assert_str_eq(t[0].module[0], "a.bin:args");
    ck_assert_int_eq(t[0].engine_count, 2);
    ck_assert(test_wants_engine(&t[0], "bochs"));
    ck_assert(!test_wants_engine(&t[0], "qemu-kvm"));
    ck_assert_int_eq(t[0].requires, REQ_VIRT);
    ck_assert_int_eq(t[0].timeout, 30);
    ck_assert_int_eq(t[0].exit, WANT_FAIL);
    ck_assert_int_eq(t[0].expect_count, 2);
    ck_assert_int_eq(t[0].reject_count, 1);
    ck_assert_str_eq(t[0].stage, "01");
    /* Defaults. */
    ck_assert_int_eq(t[1].points, 1);
    ck_assert_int_eq(t[1].exit, WANT_PASS);
    ck_assert(test_wants_engine(&t[1], "qemu-kvm"));
}
END_TEST

START_TEST(spec_rejects_malformed)
{
    static const char *const bad[] = {
        "test a\n  cmdline x\n  expect y\n",                 /* no end */
        "test a\n  cmdline x\nend\n",                        /* no expect: could never fail */
        "test a\n  expect y\nend\n",                         /* no cmdline */
        "test a\n  cmdline x\n  expect (\nend\n",            /* bad regex */
        "test a\n  cmdline x\n  expect y\n  frobnicate\nend\n", /* unknown keyword */
        "test a\n  cmdline x\n  expect y\n  engines vmware\nend\n",
        "test a\n  cmdline x\n  expect y\n  points -3\nend\n",
        "test a\n  cmdline x\n  expect y\n  timeout 0\nend\n",
        "test a\n  cmdline x\n  expect y\n  exit maybe\nend\n",
        "test a\n  cmdline x\n  expect y\n  requires sse\nend\n",
        "  cmdline x\n",                                     /* outside a test */
        "test a\ntest b\nend\n",                             /* nested */
        "test\nend\n",                                       /* no name */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct test *t;
        int n;
        ck_assert_msg(parse(bad[i], &t, &n) != 0, "accepted bad spec %zu", i);
    }
}
END_TEST

static struct test judge_test;

static void judge(int status, const char *log, struct result *r, char *details, size_t cap)
{
    memset(r, 0, sizeof *r);
    r->test = &judge_test;
    r->run_status = status;
    snprintf(r->log, sizeof r->log, "%s", write_file("serial.log", log));
    match_judge(r, details, cap);
}

static void setup_judge(enum want_exit want)
{
    struct test *t;
    int n;
    ck_assert_int_eq(parse(good_spec, &t, &n), 0);
    judge_test = t[0];
    judge_test.exit = want;
}

START_TEST(judge_passes_good_run)
{
    char d[4096];
    struct result r;
    setup_judge(WANT_PASS);
    judge(0, "noise\r\nhello 42\r\nmore\nbye\n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_PASS);
    ck_assert_ptr_nonnull(strstr(d, "GOOD"));
}
END_TEST

START_TEST(judge_fails_wrong_exit)
{
    char d[4096];
    struct result r;
    setup_judge(WANT_PASS);
    judge(1, "hello 1\nbye\n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    setup_judge(WANT_FAIL);
    judge(0, "hello 1\nbye\n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    judge(1, "hello 1\nbye\n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_PASS);
    judge(2, "hello 1\nbye\n", &r, d, sizeof d);   /* a timeout never passes */
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    ck_assert_str_eq(r.reason, "timed out");
}
END_TEST

START_TEST(judge_reports_missing_and_out_of_order)
{
    char d[4096];
    struct result r;
    setup_judge(WANT_PASS);
    judge(0, "bye\nhello 3\n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    ck_assert_ptr_nonnull(strstr(d, "MISSING  /^bye$/"));
    ck_assert_ptr_nonnull(strstr(d, "out of order"));
    judge(0, "hello x\nbye\n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    ck_assert_ptr_nonnull(strstr(d, "MISSING  /^hello [0-9]+$/"));
}
END_TEST

START_TEST(judge_reports_rejected_lines)
{
    char d[4096];
    struct result r;
    setup_judge(WANT_PASS);
    judge(0, "hello 1\nPANIC: oops\nbye\n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    ck_assert_ptr_nonnull(strstr(d, "BAD"));
    ck_assert_ptr_nonnull(strstr(d, "PANIC: oops"));
}
END_TEST

START_TEST(judge_fails_without_log)
{
    char d[4096];
    struct result r;
    setup_judge(WANT_PASS);
    memset(&r, 0, sizeof r);
    r.test = &judge_test;
    snprintf(r.log, sizeof r.log, "%s/does-not-exist.log", tmpdir);
    match_judge(&r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
}
END_TEST

START_TEST(engine_requirements)
{
    struct test t;
    memset(&t, 0, sizeof t);
    struct engine kvm = { .name = "qemu-kvm", .available = true, .why = "cpu: GenuineIntel, vmx=no svm=no" };
    struct engine tcg = { .name = "qemu-tcg", .available = true, .svm = true };
    struct engine none = { .name = "bochs", .available = false, .why = "bochs is not installed" };
    char why[512];
    t.requires = REQ_NONE;
    ck_assert(engine_can_run(&kvm, &t, why, sizeof why));
    ck_assert(!engine_can_run(&none, &t, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "not installed"));
    t.requires = REQ_VIRT;
    ck_assert(!engine_can_run(&kvm, &t, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "does not nest"));
    ck_assert(engine_can_run(&tcg, &t, why, sizeof why));
    t.requires = REQ_VMX;
    ck_assert(!engine_can_run(&tcg, &t, why, sizeof why));
}
END_TEST

int main(void)
{
    if (!mkdtemp(tmpdir))
        return 2;
    Suite *s = suite_create("grader");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, spec_parses_every_keyword);
    tcase_add_test(tc, spec_rejects_malformed);
    tcase_add_test(tc, judge_passes_good_run);
    tcase_add_test(tc, judge_fails_wrong_exit);
    tcase_add_test(tc, judge_reports_missing_and_out_of_order);
    tcase_add_test(tc, judge_reports_rejected_lines);
    tcase_add_test(tc, judge_fails_without_log);
    tcase_add_test(tc, engine_requirements);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);   /* the tests share tmpdir files */
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return failed ? 1 : 0;
}
