/**
 * @file test_grader.c
 * @brief Check tests for the autograder itself: the spec parser rejects
 *        malformed specs with file:line, and the judge fails runs that
 *        should fail (wrong exit, missing, out-of-order or rejected lines,
 *        timeouts) and passes the ones that should pass; its log context
 *        points at where the first missing line was expected; probe output
 *        decides what an engine can run; a test scores its points once;
 *        an exercise is "not done" when a failed run of a test that needs
 *        it said so, and earns its points only when all those tests pass.
 *
 * Marker texts below are C string literals whose lines start with '"', so
 * the exercise scanner never takes this file for one with regions.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "grader.h"
#include "test_files.h"

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

/* The contents of the file at @p path (a static buffer: one at a time). */
static const char *slurp(const char *path)
{
    static char text[16384];
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t len = fread(text, 1, sizeof text - 1, f);
    text[len] = '\0';
    fclose(f);
    return text;
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

START_TEST(spec_knows_every_engine)
{
    struct test *t;
    int n;
    ck_assert_int_eq(parse("test a\n  cmdline x\n  expect y\n  engines bochs-svm qemu-tcg bochs qemu-kvm\nend\n",
                           &t, &n), 0);
    ck_assert_int_eq(t[0].engine_count, 4);
    ck_assert(test_wants_engine(&t[0], "bochs-svm"));
    ck_assert(engine_known("bochs-svm"));
    ck_assert(engine_known("bochs"));
    ck_assert(!engine_known("bogus"));
    ck_assert(!engine_known(""));
    int count = 0;
    for (int i = 0; engine_names[i]; i++)
        count++;
    ck_assert_int_eq(count, 4);
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
        "test a\n  cmdline x\n  expect y\n  engines bochs-amd\nend\n",
        "test a\n  cmdline x\n  expect y\n  points -3\nend\n",
        "test a\n  cmdline x\n  expect y\n  timeout 0\nend\n",
        "test a\n  cmdline x\n  expect y\n  exit maybe\nend\n",
        "test a\n  cmdline x\n  expect y\n  requires sse\nend\n",
        "test a\n  cmdline x\n  expect y\n  skip bochs-svm\nend\n",            /* skip without a reason */
        "test a\n  cmdline x\n  expect y\n  skip vmware it is closed\nend\n", /* skip of an unknown engine */
        "  cmdline x\n",                                     /* outside a test */
        "test a\ntest b\nend\n",                             /* nested */
        "test\nend\n",                                       /* no name */
        "test a\n  cmdline x\n  expect ^@{build/x\nend\n",  /* @{ not closed */
        "test a\n  cmdline x\n  expect ^@{}$\nend\n",       /* @{} names no file */
        "test a\n  cmdline x\n  expect ( @{f}\nend\n",      /* bad regex around a file value */
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

/* exit any: pass and fail both do, a timeout never; the expect lines
 * still decide (lessons/03-ept/grade.spec, linux-hostile). */
START_TEST(judge_exit_any)
{
    char d[4096];
    struct result r;
    setup_judge(WANT_ANY);
    judge(0, "hello 1\nbye\n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_PASS);
    judge(1, "hello 1\nbye\n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_PASS);
    judge(1, "hello 1\n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    judge(2, "hello 1\nbye\n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    struct test *t;
    int n;
    ck_assert_int_eq(parse("test a\n  cmdline run=x\n  exit any\n  expect x\nend\n", &t, &n), 0);
    ck_assert_int_eq(t[0].exit, WANT_ANY);
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

/* Lines 1..n, "line K" each, as a serial log. */
static const char *numbered_log(int n)
{
    static char buf[8192];
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 1; i <= n; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "line %d\n", i);
    return buf;
}

static bool shows_line(const char *d, int k)
{
    char want[64];
    snprintf(want, sizeof want, "%4d| line %d\n", k, k);
    return strstr(d, want) != NULL;
}

START_TEST(judge_context_is_where_the_missing_line_was_expected)
{
    static char d[16384];
    struct result r;
    memset(&judge_test, 0, sizeof judge_test);
    judge_test.exit = WANT_PASS;
    judge_test.expect[0] = "^line 5$";
    judge_test.expect[1] = "^line 20$";
    judge_test.expect[2] = "^never printed$";
    judge_test.expect[3] = "^line 50$";   /* found after the missing one: not where it went wrong */
    judge_test.expect_count = 4;
    judge(0, numbered_log(80), &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    ck_assert_ptr_nonnull(strstr(d, "MISSING  /^never printed$/ (after line 20)"));
    ck_assert_ptr_nonnull(strstr(d, "context where /^never printed$/ was expected (lines 19-30"));
    /* Two lines before the position after the last GOOD match, ten from it. */
    ck_assert(!shows_line(d, 18));
    for (int k = 19; k <= 30; k++)
        ck_assert_msg(shows_line(d, k), "line %d not shown:\n%s", k, d);
    ck_assert(!shows_line(d, 31));
    ck_assert(!shows_line(d, 60));   /* not the old "tail" either */
    /* And the end of the log, where the machine stopped. */
    ck_assert_ptr_nonnull(strstr(d, "end of the log (lines 76-80)"));
    for (int k = 76; k <= 80; k++)
        ck_assert(shows_line(d, k));
    ck_assert(!shows_line(d, 75));
}
END_TEST

START_TEST(judge_context_at_the_end_of_the_log)
{
    static char d[16384];
    struct result r;
    memset(&judge_test, 0, sizeof judge_test);
    judge_test.exit = WANT_PASS;
    judge_test.expect[0] = "^line 12$";
    judge_test.expect[1] = "^never printed$";
    judge_test.expect_count = 2;
    /* The machine stopped 3 lines after the last GOOD match: one window,
     * no separate tail. */
    judge(0, numbered_log(15), &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    ck_assert_ptr_nonnull(strstr(d, "(lines 11-15"));
    ck_assert(!shows_line(d, 10));
    for (int k = 11; k <= 15; k++)
        ck_assert(shows_line(d, k));
    ck_assert_ptr_nonnull(strstr(d, "(end of the log)"));
    ck_assert_ptr_null(strstr(d, "... end of the log"));
    /* The first expectation missing: the window starts at the log's top. */
    judge_test.expect[0] = "^never printed$";
    judge_test.expect_count = 1;
    judge(0, numbered_log(40), &r, d, sizeof d);
    ck_assert_ptr_nonnull(strstr(d, "(lines 1-10"));
    ck_assert(shows_line(d, 1) && shows_line(d, 10) && !shows_line(d, 11));
    ck_assert(shows_line(d, 36) && shows_line(d, 40) && !shows_line(d, 35));
}
END_TEST

START_TEST(judge_context_without_missing_lines_is_the_tail)
{
    static char d[16384];
    struct result r;
    memset(&judge_test, 0, sizeof judge_test);
    judge_test.exit = WANT_PASS;
    judge_test.expect[0] = "^line 3$";
    judge_test.expect_count = 1;
    judge(1, numbered_log(40), &r, d, sizeof d);   /* wrong exit, every line there */
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    ck_assert(shows_line(d, 33) && shows_line(d, 40) && !shows_line(d, 32));
}
END_TEST

START_TEST(judge_runner_error_says_why)
{
    char d[4096];
    struct result r;
    setup_judge(WANT_PASS);
    write_file("serial.log.run", "spectrum-run: module file 'x.bin' does not exist or is not readable\n");
    judge(4, "", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    ck_assert_ptr_nonnull(strstr(r.reason, "runner error (status 4): spectrum-run: module file 'x.bin'"));
    unlink(write_file("serial.log.run", ""));
}
END_TEST

/* Exit status as pclose() reports it for a normal exit with @p code. */
static int exited(int code)
{
    return code << 8;   /* the encoding WIFEXITED/WEXITSTATUS decode */
}

START_TEST(probe_parse_cpu_and_vcpu_lines)
{
    struct engine e = { .name = "bochs" };
    /* exited() must agree with the macros the parser uses. */
    ck_assert(WIFEXITED(exited(3)) && WEXITSTATUS(exited(3)) == 3);

    engine_parse_probe(&e, "cpu: GenuineIntel, vmx=yes svm=no npt=no\r\nvcpu: using vmx (Intel VT-x)\r\n", exited(0));
    ck_assert(e.available);
    ck_assert(e.vmx && !e.svm);
    ck_assert(e.vcpu_known);
    ck_assert_str_eq(e.vcpu_backend, "vmx");
    ck_assert_str_eq(e.why, "cpu: GenuineIntel, vmx=yes svm=no npt=no");

    engine_parse_probe(&e,
                       "cpu: GenuineIntel, vmx=yes svm=no npt=no\n"
                       "vcpu: no hardware virtualization: vmx: the CPU cannot save IA32_EFER on VM exit\n",
                       exited(0));
    ck_assert(e.available && e.vmx);
    ck_assert(e.vcpu_known);
    ck_assert_str_eq(e.vcpu_backend, "");
    ck_assert_str_eq(e.vcpu_why, "vmx: the CPU cannot save IA32_EFER on VM exit");

    /* A stage-01 image: no vcpu line at all. */
    engine_parse_probe(&e, "cpu: AuthenticAMD, vmx=no svm=yes npt=yes\n", exited(0));
    ck_assert(e.available && e.svm && !e.vmx);
    ck_assert(!e.vcpu_known);

    /* Other "vcpu:" lines are not the verdict. */
    engine_parse_probe(&e, "cpu: AuthenticAMD, vmx=no svm=yes\nvcpu: exit hlt has two handlers\n", exited(0));
    ck_assert(!e.vcpu_known);

    /* The runner could not boot it: its reason, not the cpu line. */
    engine_parse_probe(&e, "engine qemu-kvm unavailable: no usable /dev/kvm on this host\n", exited(3));
    ck_assert(!e.available);
    ck_assert_str_eq(e.why, "no usable /dev/kvm on this host");
    engine_parse_probe(&e, "cpu: GenuineIntel, vmx=yes svm=no\nvcpu: using vmx (Intel VT-x)\n", exited(1));
    ck_assert(!e.available);
    ck_assert(!e.vcpu_known);
    engine_parse_probe(&e, "", exited(0));
    ck_assert(!e.available);
    ck_assert_str_eq(e.why, "it did not boot the image");
}
END_TEST

START_TEST(probe_vcpu_line_decides_virt_tests)
{
    struct test t;
    memset(&t, 0, sizeof t);
    char why[512];
    struct engine e = { .name = "bochs" };

    /* vmx=yes on the cpu line, but the kernel found it unusable. */
    engine_parse_probe(&e,
                       "cpu: GenuineIntel, vmx=yes svm=no npt=no\n"
                       "vcpu: no hardware virtualization: vmx: no \"save IA32_EFER\" exit control\n",
                       exited(0));
    for (enum requirement q = REQ_VIRT; q <= REQ_SVM; q++) {
        t.requires = q;
        ck_assert(!engine_can_run(&e, &t, why, sizeof why));
        ck_assert_str_eq(why, "engine bochs: no usable hardware virtualization: vmx: no \"save IA32_EFER\" exit control");
    }
    t.requires = REQ_NONE;
    ck_assert(engine_can_run(&e, &t, why, sizeof why));

    /* The back end in use decides vmx/svm tests, whatever CPUID says. */
    engine_parse_probe(&e, "cpu: AuthenticAMD, vmx=yes svm=yes\nvcpu: using svm (AMD-V)\n", exited(0));
    t.requires = REQ_VIRT;
    ck_assert(engine_can_run(&e, &t, why, sizeof why));
    t.requires = REQ_SVM;
    ck_assert(engine_can_run(&e, &t, why, sizeof why));
    t.requires = REQ_VMX;
    ck_assert(!engine_can_run(&e, &t, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "the kernel uses svm"));

    /* Stage 01 (no vcpu line): the cpu line, as before. */
    engine_parse_probe(&e, "cpu: GenuineIntel, vmx=yes svm=no npt=no\n", exited(0));
    t.requires = REQ_VIRT;
    ck_assert(engine_can_run(&e, &t, why, sizeof why));
    t.requires = REQ_VMX;
    ck_assert(engine_can_run(&e, &t, why, sizeof why));
    t.requires = REQ_SVM;
    ck_assert(!engine_can_run(&e, &t, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "the guest CPU has no SVM"));
}
END_TEST

/* "skip ENGINE REASON": a known limit of one engine is a SKIP with that
 * reason there, and changes nothing elsewhere. */
START_TEST(spec_skip_is_reported_with_its_reason)
{
    struct test *t;
    int n;
    ck_assert_int_eq(parse("test a\n  cmdline x\n  expect y\n  engines qemu-tcg bochs-svm\n"
                           "  skip bochs-svm  the emulator masks INTR by the guest's IF\nend\n",
                           &t, &n), 0);
    ck_assert_int_eq(t[0].skip_count, 1);
    ck_assert_str_eq(t[0].skip_engine[0], "bochs-svm");
    ck_assert_str_eq(t[0].skip_why[0], "the emulator masks INTR by the guest's IF");
    struct engine bsvm = { .name = "bochs-svm", .available = true, .svm = true };
    struct engine tcg = { .name = "qemu-tcg", .available = true, .svm = true };
    char why[512];
    ck_assert(!engine_can_run(&bsvm, &t[0], why, sizeof why));
    ck_assert_str_eq(why, "engine bochs-svm: the emulator masks INTR by the guest's IF");
    ck_assert(engine_can_run(&tcg, &t[0], why, sizeof why));
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

static struct result run_of(const struct test *t, const char *stage, const char *engine, enum outcome o,
                            const char *reason)
{
    struct result r;
    memset(&r, 0, sizeof r);
    r.test = t;
    snprintf(r.stage, sizeof r.stage, "%s", stage);
    r.engine = engine;
    r.outcome = o;
    snprintf(r.reason, sizeof r.reason, "%s", reason);
    return r;
}

START_TEST(score_counts_each_test_once)
{
    static struct test t[5];
    memset(t, 0, sizeof t);
    const char *names[] = { "many", "flaky", "skipped", "unlisted", "other" };
    const int points[] = { 10, 5, 7, 3, 4 };
    for (int i = 0; i < 5; i++) {
        snprintf(t[i].lesson, sizeof t[i].lesson, "%s", i < 4 ? "01-boot" : "02-vmx");
        snprintf(t[i].name, sizeof t[i].name, "%s", names[i]);
        snprintf(t[i].part, sizeof t[i].part, "%s", i < 2 ? "boot" : "emulate");
        t[i].points = points[i];
    }
    strcpy(t[3].engines[0], "bochs-svm");
    t[3].engine_count = 1;

    struct result res[16];
    int n = 0;
    /* "many" passes on 2 stages x 2 engines: worth 10, not 40. */
    res[n++] = run_of(&t[0], "01", "qemu-tcg", OUT_PASS, "");
    res[n++] = run_of(&t[0], "01", "bochs", OUT_PASS, "");
    res[n++] = run_of(&t[0], "02", "qemu-tcg", OUT_PASS, "");
    res[n++] = run_of(&t[0], "02", "bochs", OUT_PASS, "");
    res[n++] = run_of(&t[0], "02", "qemu-kvm", OUT_SKIP, "engine qemu-kvm unavailable");
    /* "flaky" fails once: nothing. */
    res[n++] = run_of(&t[1], "01", "qemu-tcg", OUT_PASS, "");
    res[n++] = run_of(&t[1], "02", "bochs", OUT_FAIL, "timed out");
    /* "skipped" never ran. */
    res[n++] = run_of(&t[2], "02", "qemu-tcg", OUT_SKIP, "engine qemu-tcg: no usable hardware virtualization: x");
    res[n++] = run_of(&t[2], "02", "qemu-kvm", OUT_SKIP, "engine qemu-kvm unavailable");
    /* "unlisted" had no run at all; "other" passes. */
    res[n++] = run_of(&t[4], "02", "qemu-tcg", OUT_PASS, "");

    const struct test *graded[5] = { &t[0], &t[1], &t[2], &t[3], &t[4] };
    struct test_score s[5];
    score_tests(graded, 5, res, n, s);

    ck_assert_int_eq(s[0].verdict, TV_EARNED);
    ck_assert_int_eq(s[0].earned, 10);
    ck_assert_int_eq(s[0].possible, 10);
    ck_assert_int_eq(s[0].passed, 4);
    ck_assert_int_eq(s[0].skipped, 1);

    ck_assert_int_eq(s[1].verdict, TV_FAILED);
    ck_assert_int_eq(s[1].earned, 0);
    ck_assert_str_eq(s[1].reason, "failed on stage 02 bochs: timed out");

    ck_assert_int_eq(s[2].verdict, TV_SKIPPED);
    ck_assert_int_eq(s[2].earned, 0);
    ck_assert_ptr_nonnull(strstr(s[2].reason, "skipped everywhere: "));
    ck_assert_ptr_nonnull(strstr(s[2].reason, "no usable hardware virtualization: x"));
    ck_assert_ptr_nonnull(strstr(s[2].reason, "engine qemu-kvm unavailable"));

    ck_assert_int_eq(s[3].verdict, TV_SKIPPED);
    ck_assert_ptr_nonnull(strstr(s[3].reason, "runs only on bochs-svm"));

    /* The lesson's total is the sum of its tests' points, fixed. */
    struct score_sum m;
    score_sum(s, 5, "01-boot", NULL, &m);
    ck_assert_int_eq(m.possible, 10 + 5 + 7 + 3);
    ck_assert_int_eq(m.earned, 10);
    ck_assert_int_eq(m.tests, 4);
    ck_assert_int_eq(m.tests_earned, 1);
    ck_assert_int_eq(m.tests_failed, 1);
    ck_assert_int_eq(m.tests_skipped, 2);
    score_sum(s, 5, "01-boot", "emulate", &m);
    ck_assert_int_eq(m.possible, 7 + 3);
    ck_assert_int_eq(m.earned, 0);
    score_sum(s, 5, "02-vmx", NULL, &m);
    ck_assert_int_eq(m.possible, 4);
    ck_assert_int_eq(m.earned, 4);

    /* More engines and stages do not change the total: drop every run
     * but one of "many"; still 10 of 10, lesson still out of 25. */
    score_tests(graded, 5, res + 3, n - 3, s);
    ck_assert_int_eq(s[0].earned, 10);
    score_sum(s, 5, "01-boot", NULL, &m);
    ck_assert_int_eq(m.possible, 25);

    /* The JSON carries each test's earned/possible. */
    score_tests(graded, 5, res, n, s);
    char path[512];
    snprintf(path, sizeof path, "%s/results.json", tmpdir);
    ck_assert_int_eq(report_json(path, res, n, s, 5, NULL, 0), 0);
    const char *json = slurp(path);
    ck_assert_ptr_nonnull(strstr(json, "\"test\": \"many\", \"earned\": 10, \"possible\": 10, \"verdict\": \"earned\""));
    ck_assert_ptr_nonnull(strstr(json, "\"test\": \"flaky\", \"earned\": 0, \"possible\": 5, \"verdict\": \"failed\""));
    ck_assert_ptr_nonnull(strstr(json, "\"test\": \"skipped\", \"earned\": 0, \"possible\": 7, \"verdict\": \"skipped\""));
    ck_assert_ptr_nonnull(strstr(json, "{\"lesson\": \"01-boot\", \"earned\": 10, \"possible\": 25"));
    ck_assert_ptr_nonnull(strstr(json, "\"earned\": 14, \"possible\": 29"));
}
END_TEST

START_TEST(spec_exercises_keyword)
{
    struct test *t;
    int n;
    ck_assert_int_eq(parse("test a\n  cmdline x\n  expect y\n  exercises 01.modrm-sib 01.alu-flags 01.modrm-sib\nend\n",
                           &t, &n), 0);
    ck_assert_int_eq(t[0].exercise_count, 2);   /* a repeated id counts once */
    ck_assert_str_eq(t[0].exercises[0], "01.modrm-sib");
    ck_assert_str_eq(t[0].exercises[1], "01.alu-flags");
    static const char *const bad[] = {
        "test a\n  cmdline x\n  expect y\n  exercises modrm\nend\n",        /* no lesson number */
        "test a\n  cmdline x\n  expect y\n  exercises 01.ModRM\nend\n",     /* upper case */
        "test a\n  cmdline x\n  expect y\n  exercises 01.\nend\n",          /* no name */
        "test a\n  cmdline x\n  expect y\n  exercises 02.later\nend\n",     /* a later lesson's exercise */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(parse(bad[i], &t, &n) != 0, "accepted bad spec %zu", i);
    ck_assert(exercise_id_valid("02.msr-allow"));
    ck_assert(!exercise_id_valid("2.msr"));
    ck_assert(!exercise_id_valid("02-msr"));
    ck_assert(!exercise_id_valid("02.msr allow"));
}
END_TEST

START_TEST(judge_names_the_exercise_not_done)
{
    char d[8192];
    struct result r;
    setup_judge(WANT_PASS);
    /* The stub's line, as spectrum/exercise.h prints it, with the serial
     * prefix the kernel puts before it. */
    judge(1, "hello 1\n[vcpu] EXERCISE 01.alu-flags: not done (set CF/OF per APM 3.1)\nEXERCISE 01.alu-flags: "
             "not done (again)\nEXERCISE 01.modrm-sib: not done (x)\n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    ck_assert_int_eq(r.missing_count, 2);
    ck_assert_str_eq(r.missing[0], "01.alu-flags");
    ck_assert_str_eq(r.missing[1], "01.modrm-sib");
    static const char want[] = "exercises 01.alu-flags, 01.modrm-sib not done (";
    ck_assert_msg(strncmp(r.reason, want, sizeof want - 1) == 0, "reason: %s", r.reason);
    ck_assert_ptr_nonnull(strstr(d, "EXERCISE"));
    /* A run that printed every expected line still fails when a stub ran
     * (a stub may return a safe failure and let the guest go on). */
    judge(0, "hello 1\nEXERCISE 01.alu-flags: not done (h)\nbye\n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    ck_assert_str_eq(r.reason, "exercise 01.alu-flags not done (a stub ran)");
    /* Lines that merely mention the word, or carry a malformed id, do not count. */
    judge(0, "hello 1\nNOEXERCISE 01.a: not done\nsee EXERCISE 01.Bad: not done\nthe EXERCISE 01.b is done\nbye\n",
          &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_PASS);
    ck_assert_int_eq(r.missing_count, 0);
    ck_assert_ptr_null(strstr(r.reason, "exercise"));
}
END_TEST

/* A test of lesson 01 worth @p points that needs the exercises @p ids. */
static struct test ex_test(const char *name, const char *ids)
{
    struct test t;
    memset(&t, 0, sizeof t);
    snprintf(t.lesson, sizeof t.lesson, "01-boot");
    snprintf(t.stage, sizeof t.stage, "01");
    snprintf(t.part, sizeof t.part, "p");
    snprintf(t.name, sizeof t.name, "%s", name);
    t.file = "grade.spec";
    t.points = 5;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", ids);
    for (char *w = strtok(buf, " "); w; w = strtok(NULL, " "))
        exercise_set_add(t.exercises, &t.exercise_count, w);
    return t;
}

START_TEST(score_exercises_verdicts)
{
    struct test t[4] = { ex_test("a", "01.x 01.y"), ex_test("b", "01.y 01.z"), ex_test("c", "01.w"),
                         ex_test("d", "01.v") };
    struct exercise_info ex[5] = { { .id = "01.v", .points = 1 }, { .id = "01.w", .points = 2 },
                                   { .id = "01.x", .points = 3 }, { .id = "01.y", .points = 4 },
                                   { .id = "01.z", .points = 5 } };
    struct test_score s[4];
    memset(s, 0, sizeof s);
    for (int i = 0; i < 4; i++)
        s[i].test = &t[i];
    /* a passed; b failed saying 01.z is not done; c failed for another
     * reason; d was skipped everywhere. */
    s[0].verdict = TV_EARNED;
    s[1].verdict = TV_FAILED;
    exercise_set_add(s[1].missing, &s[1].missing_count, "01.z");
    s[2].verdict = TV_FAILED;
    s[3].verdict = TV_SKIPPED;
    struct exercise_score e[5];
    score_exercises(ex, 5, s, 4, e);
    ck_assert_int_eq(e[0].verdict, EV_UNTESTED);   /* 01.v: only d, skipped */
    ck_assert_int_eq(e[0].earned, 0);
    ck_assert_int_eq(e[1].verdict, EV_FAILING);    /* 01.w: c failed, not a stub */
    ck_assert_int_eq(e[2].verdict, EV_EARNED);     /* 01.x: a passed */
    ck_assert_int_eq(e[2].earned, 3);
    ck_assert_int_eq(e[2].tests, 1);
    ck_assert_int_eq(e[2].tests_earned, 1);
    ck_assert_int_eq(e[3].verdict, EV_BLOCKED);    /* 01.y: a passed, b stopped on 01.z's stub */
    ck_assert_str_eq(e[3].blocked_by, "01.z");
    ck_assert_int_eq(e[3].earned, 0);
    ck_assert_int_eq(e[3].tests, 2);
    ck_assert_int_eq(e[3].tests_earned, 1);
    ck_assert_int_eq(e[4].verdict, EV_NOT_DONE);   /* 01.z: b said so */
    ck_assert_int_eq(e[4].earned, 0);

    /* The JSON lists each exercise and, per test, what it needs and what
     * its failed runs said was not done. */
    char path[512];
    snprintf(path, sizeof path, "%s/ex.json", tmpdir);
    ck_assert_int_eq(report_json(path, NULL, 0, s, 4, e, 5), 0);
    const char *json = slurp(path);
    ck_assert_ptr_nonnull(strstr(json, "\"exercises\": [\"01.y\", \"01.z\"], \"missing_exercises\": [\"01.z\"]"));
    ck_assert_ptr_nonnull(strstr(json, "{\"id\": \"01.x\", \"lesson\": \"01\", \"points\": 3, \"earned\": 3, "));
    ck_assert_ptr_nonnull(strstr(json, "\"verdict\": \"not done\""));
    ck_assert_ptr_nonnull(strstr(json, "\"verdict\": \"blocked\", \"tests\": 2, \"tests_earned\": 1, \"blocked_by\": \"01.z\""));

    /* Once a test of 01.y fails without naming any stub, 01.y is failing:
     * its own code may be at fault. */
    t[2] = ex_test("c", "01.w 01.y");
    score_exercises(ex, 5, s, 4, e);
    ck_assert_int_eq(e[3].verdict, EV_FAILING);    /* 01.y: c failed, no stub named */
}
END_TEST

static void put(const char *rel, const char *text)
{
    char root[600];
    snprintf(root, sizeof root, "%s/tree", tmpdir);
    mkdir(root, 0755);
    test_put(root, rel, text, 0644);
}

START_TEST(exercises_load_and_check)
{
    put("common/lib/a.c", "int a;\n"
                          "/* EXERCISE 01.alpha 5 \"do alpha\" */\n"
                          "int x;\n"
                          "/* END EXERCISE 01.alpha */\n");
    put("lessons/01-boot/b.c", "/* EXERCISE 01.beta 7 \"do beta\" */\n"
                               "int y;\n"
                               "/* END EXERCISE 01.beta */\n"
                               "/* EXERCISE 01.alpha 5 \"do alpha\" */\n"
                               "int z;\n"
                               "/* END EXERCISE 01.alpha */\n");
    put("lessons/02-vmx/c.c", "/* EXERCISE 02.gamma 9 \"do gamma\" */\n"
                              "int w;\n"
                              "/* END EXERCISE 02.gamma */\n");
    char old[PATH_MAX], dir[600];
    ck_assert_ptr_nonnull(getcwd(old, sizeof old));
    snprintf(dir, sizeof dir, "%s/tree", tmpdir);
    ck_assert_int_eq(chdir(dir), 0);

    /* Stage 01: common/ and lesson 01, one entry per exercise, sorted. */
    struct exercise_info *ex;
    int n = exercises_load("01", &ex);
    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(ex[0].id, "01.alpha");
    ck_assert_int_eq(ex[0].points, 5);
    ck_assert_str_eq(ex[0].hint, "do alpha");
    ck_assert_str_eq(ex[0].where, "common/lib/a.c:2");
    ck_assert_str_eq(ex[1].id, "01.beta");
    free(ex);
    n = exercises_load("02", &ex);
    ck_assert_int_eq(n, 3);
    ck_assert_str_eq(ex[2].id, "02.gamma");

    /* Every exercise a test needs has markers; every exercise is needed. */
    struct test t[2] = { ex_test("a", "01.alpha 01.beta"), ex_test("b", "01.alpha") };
    ck_assert_int_eq(spec_check_exercises(t, 2, "02", ex, 2), 0);
    ck_assert_int_eq(spec_check_exercises(t, 2, "02", ex, 3), -1);     /* 02.gamma: no test */
    struct test u[1] = { ex_test("c", "01.alpha 01.delta 01.beta") };
    ck_assert_int_eq(spec_check_exercises(u, 1, "02", ex, 2), -1);     /* 01.delta: no marker */
    free(ex);

    /* A malformed region stops the grader. */
    put("lessons/01-boot/d.c", "/* EXERCISE 01.beta 3 \"other points\" */\n"
                               "/* END EXERCISE 01.beta */\n");
    ck_assert_int_eq(exercises_load("01", &ex), -1);
    ck_assert_int_eq(chdir(old), 0);
}
END_TEST

/* expect/reject @{PATH}: the first line of PATH, regex-escaped, read when
 * the run is judged; a missing or empty file fails the run naming it. */
START_TEST(judge_file_values)
{
    char d[4096], spec[1024];
    struct result r;
    struct test *t;
    int n;
    write_file("cksum.txt", "3918152812 4194304\nsecond line\n");
    write_file("dots.txt", "a.b*\n");
    write_file("empty.txt", "");
    snprintf(spec, sizeof spec,
             "test a\n  cmdline x\n  expect ^sum @{%s/cksum.txt}, (done|end)$\n  reject ^bad @{%s/dots.txt}$\nend\n",
             tmpdir, tmpdir);
    ck_assert_int_eq(parse(spec, &t, &n), 0);
    ck_assert_ptr_nonnull(strstr(t[0].expect[0], "@{"));   /* kept: read when judged */
    judge_test = t[0];
    judge(0, "sum 3918152812 4194304, done\nbad axbb\n", &r, d, sizeof d);
    ck_assert_msg(r.outcome == OUT_PASS, "%s", d);          /* '.' and '*' of the file are literal */
    judge(0, "sum 3918152812 4194305, done\n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    ck_assert_ptr_nonnull(strstr(d, "MISSING  /^sum 3918152812 4194304, (done|end)$/"));
    judge(0, "sum 3918152812 4194304, end\nbad a.b*\n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    ck_assert_str_eq(r.reason, "a rejected line appeared");

    snprintf(spec, sizeof spec, "test a\n  cmdline x\n  expect ^sum @{%s/none.txt}$\nend\n", tmpdir);
    ck_assert_int_eq(parse(spec, &t, &n), 0);
    judge_test = t[0];
    judge(0, "sum 1\n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    ck_assert_ptr_nonnull(strstr(r.reason, "none.txt"));
    ck_assert_ptr_nonnull(strstr(d, "MISSING  file"));
    snprintf(spec, sizeof spec, "test a\n  cmdline x\n  expect ^sum @{%s/empty.txt}$\nend\n", tmpdir);
    ck_assert_int_eq(parse(spec, &t, &n), 0);
    judge_test = t[0];
    judge(0, "sum \n", &r, d, sizeof d);
    ck_assert_int_eq(r.outcome, OUT_FAIL);
    ck_assert_ptr_nonnull(strstr(r.reason, "empty.txt"));
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
    tcase_add_test(tc, judge_exit_any);
    tcase_add_test(tc, judge_reports_missing_and_out_of_order);
    tcase_add_test(tc, judge_reports_rejected_lines);
    tcase_add_test(tc, judge_fails_without_log);
    tcase_add_test(tc, engine_requirements);
    tcase_add_test(tc, spec_skip_is_reported_with_its_reason);
    tcase_add_test(tc, spec_knows_every_engine);
    tcase_add_test(tc, judge_context_is_where_the_missing_line_was_expected);
    tcase_add_test(tc, judge_context_at_the_end_of_the_log);
    tcase_add_test(tc, judge_context_without_missing_lines_is_the_tail);
    tcase_add_test(tc, judge_runner_error_says_why);
    tcase_add_test(tc, probe_parse_cpu_and_vcpu_lines);
    tcase_add_test(tc, probe_vcpu_line_decides_virt_tests);
    tcase_add_test(tc, score_counts_each_test_once);
    tcase_add_test(tc, spec_exercises_keyword);
    tcase_add_test(tc, judge_names_the_exercise_not_done);
    tcase_add_test(tc, score_exercises_verdicts);
    tcase_add_test(tc, exercises_load_and_check);
    tcase_add_test(tc, judge_file_values);
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
