/**
 * @file test_handout.c
 * @brief Check tests for the two handout programs, run as a student or
 *        grader/handout-check runs them: `handout` on a small reference
 *        repository (what is handed out, stubs, Markdown gates, the leak
 *        check, --force, the commit) and `results-check` on results.json
 *        files (which failures a handout must show, full marks after).
 *
 * HANDOUT_BIN and RESULTS_CHECK_BIN are the programs' paths (grader.mk).
 * git must be installed: the handout is made from what git tracks.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_files.h"

#ifndef HANDOUT_BIN
#define HANDOUT_BIN "build/host/handout"
#endif
#ifndef RESULTS_CHECK_BIN
#define RESULTS_CHECK_BIN "build/host/results-check"
#endif

static char tmp[] = "/tmp/spectrum-handout-XXXXXX";
static char ref[600], out[600], output[600];
static char bin_handout[4096], bin_results[4096];

/* Run a shell command (printf-style) with stdout and stderr into
 * `output`; its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(cmd, sizeof cmd - 700, fmt, ap);
    va_end(ap);
    ck_assert_int_lt(n, (int)sizeof cmd - 700);
    snprintf(cmd + n, sizeof cmd - (size_t)n, " >%s 2>&1", output);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A whole file as a string (static, overwritten by the next call); "" if missing. */
static const char *slurp(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *slurp(const char *fmt, ...)
{
    static char buf[65536];
    char path[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (f) {
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
    }
    return buf;
}

static void put(const char *rel, const char *text, int mode)
{
    test_put(ref, rel, text, mode);
}

static const char *solution = "    int answer = compute_the_answer(6, 7);\n";

/* A reference with a lesson-01 and a lesson-02 exercise, committed. */
static void make_reference(void)
{
    snprintf(ref, sizeof ref, "%s/ref", tmp);
    snprintf(out, sizeof out, "%s/out", tmp);
    /* each test starts from nothing */
    ck_assert_int_eq(sh("rm -rf %s/ref %s/out %s/out2 %s/precious && mkdir %s", tmp, tmp, tmp, tmp, ref), 0);
    char x[1024];
    snprintf(x, sizeof x,
             "int f(void)\n"
             "{\n"
             "    /* EXERCISE 01.answer 5 \"Compute it (Guide 4.2)\" */\n"
             "%s"
             "    /* STUB\n"
             "    EXERCISE_TODO();\n"
             "    int answer = 0;\n"
             "    STUB END */\n"
             "    /* END EXERCISE 01.answer */\n"
             "    return answer;\n"
             "}\n",
             solution);
    put("lessons/01-a/x.c", x, 0644);
    put("lessons/01-a/run.sh", "#!/bin/sh\necho run\n", 0755);
    put("lessons/02-b/y.c", "int later_lesson_only;\n", 0644);
    put("common/z.c",
        "/* EXERCISE 02.later 3 \"Later (Guide 9)\" */\n"
        "int later = the_later_solution_value();\n"
        "/* STUB\n"
        "int later = 0;\n"
        "STUB END */\n"
        "/* END EXERCISE 02.later */\n",
        0644);
    put("lessons/01-a/lesson.mk",
        "# EXERCISE 01.answer 5 \"Compute it (Guide 4.2)\"\n"
        "SRCS += lessons/01-a/real_solution.c\n"
        "# STUB\n"
        "# SRCS += lessons/01-a/stub.c\n"
        "# STUB END\n"
        "# END EXERCISE 01.answer\n",
        0644);
    put(".ci/run", "#!/bin/sh\nmake test\n", 0755);
    put("README.md", "| 01 | boot |\n| 02 | vmx | <!-- lesson 02 -->\n", 0644);
    put("notes.txt", "untracked: never handed out\n", 0644);
    ck_assert_int_eq(sh("cd %s && git init -q && git add lessons common .ci README.md && "
                        "git -c user.name=t -c user.email=t@t commit -qm ref",
                        ref),
                     0);
}

START_TEST(handout_makes_the_lessons_tree)
{
    make_reference();
    char manifest[700];
    snprintf(manifest, sizeof manifest, "%s/manifest", tmp);
    int rc = sh("%s --lesson 01 --root %s --out %s --manifest %s", bin_handout, ref, out, manifest);
    ck_assert_msg(rc == 0, "handout failed: %s", slurp("%s", output));

    /* the stub instead of the solution, markers kept, the TODO filled in */
    ck_assert_str_eq(slurp("%s/lessons/01-a/x.c", out),
                     "int f(void)\n"
                     "{\n"
                     "    /* EXERCISE 01.answer 5 \"Compute it (Guide 4.2)\" */\n"
                     "    EXERCISE_TODO(\"01.answer\", \"Compute it (Guide 4.2)\");\n"
                     "    int answer = 0;\n"
                     "    /* END EXERCISE 01.answer */\n"
                     "    return answer;\n"
                     "}\n");
    ck_assert_str_eq(slurp("%s/lessons/01-a/lesson.mk", out), "# EXERCISE 01.answer 5 \"Compute it (Guide 4.2)\"\n"
                                                              "SRCS += lessons/01-a/stub.c\n"
                                                              "# END EXERCISE 01.answer\n");
    /* a later lesson's region is handed out as it is */
    ck_assert_ptr_nonnull(strstr(slurp("%s/common/z.c", out), "the_later_solution_value"));
    ck_assert_str_eq(slurp("%s/README.md", out), "| 01 | boot |\n");
    /* later lessons, the CI and untracked files stay behind */
    char p[800];
    snprintf(p, sizeof p, "%s/lessons/02-b", out);
    ck_assert_int_ne(access(p, F_OK), 0);
    snprintf(p, sizeof p, "%s/.ci", out);
    ck_assert_int_ne(access(p, F_OK), 0);
    snprintf(p, sizeof p, "%s/notes.txt", out);
    ck_assert_int_ne(access(p, F_OK), 0);
    /* scripts stay executable */
    snprintf(p, sizeof p, "%s/lessons/01-a/run.sh", out);
    ck_assert_int_eq(access(p, X_OK), 0);
    snprintf(p, sizeof p, "%s/lessons/01-a/x.c", out);
    ck_assert_int_ne(access(p, X_OK), 0);
    /* one commit, every file in it */
    ck_assert_int_eq(sh("git -C %s log --format=%%s", out), 0);
    ck_assert_str_eq(slurp("%s", output), "Spectrum lesson 01 handout\n");
    ck_assert_int_eq(sh("git -C %s status --porcelain", out), 0);
    ck_assert_str_eq(slurp("%s", output), "");
    /* the manifest handout-check reads */
    snprintf(manifest, sizeof manifest, "%s/manifest", tmp);
    ck_assert_str_eq(slurp("%s", manifest), "stubbed\tlessons/01-a/lesson.mk\n"
                                            "stubbed\tlessons/01-a/x.c\n"
                                            "exercise\t01.answer\t5\tlessons/01-a/lesson.mk:1\n"
                                            "exercise\t01.answer\t5\tlessons/01-a/x.c:3\n");

    /* Lesson 02: lesson 01's solutions are handed out, 02's stubbed. */
    char out2[700];
    snprintf(out2, sizeof out2, "%s/out2", tmp);
    ck_assert_int_eq(sh("%s --lesson 2 --root %s --out %s", bin_handout, ref, out2), 0);
    ck_assert_ptr_nonnull(strstr(slurp("%s/lessons/01-a/x.c", out2), "compute_the_answer(6, 7)"));
    ck_assert_ptr_null(strstr(slurp("%s/common/z.c", out2), "the_later_solution_value"));
    ck_assert_str_eq(slurp("%s/README.md", out2), "| 01 | boot |\n| 02 | vmx |\n");
    ck_assert_str_eq(slurp("%s/lessons/02-b/y.c", out2), "int later_lesson_only;\n");
}
END_TEST

START_TEST(handout_refuses_to_overwrite)
{
    make_reference();
    ck_assert_int_eq(sh("%s --lesson 01 --root %s --out %s", bin_handout, ref, out), 0);
    ck_assert_int_eq(sh("%s --lesson 01 --root %s --out %s", bin_handout, ref, out), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "is not empty"));
    /* --force replaces an earlier handout, stale files included */
    ck_assert_int_eq(sh("touch %s/stale && %s --lesson 01 --root %s --out %s --force", out, bin_handout, ref, out), 0);
    char p[800];
    snprintf(p, sizeof p, "%s/stale", out);
    ck_assert_int_ne(access(p, F_OK), 0);
    /* but never a folder it did not make, nor the reference */
    char other[700];
    snprintf(other, sizeof other, "%s/precious", tmp);
    ck_assert_int_eq(sh("mkdir -p %s && touch %s/keep && %s --lesson 01 --root %s --out %s --force", other, other,
                        bin_handout, ref, other),
                     1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "no handout was made there"));
    snprintf(p, sizeof p, "%s/keep", other);
    ck_assert_int_eq(access(p, F_OK), 0);
    ck_assert_int_eq(sh("%s --lesson 01 --root %s --out %s --force", bin_handout, ref, ref), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "refusing to empty it"));
    /* a lesson that is not there, a bad number */
    ck_assert_int_eq(sh("%s --lesson 03 --root %s --out %s/o3", bin_handout, ref, tmp), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "no folder lessons/03-*"));
    ck_assert_int_eq(sh("%s --lesson 1x --root %s --out %s/o3", bin_handout, ref, tmp), 1);
    ck_assert_int_eq(sh("%s --root %s --out %s/o3", bin_handout, ref, tmp), 2);
}
END_TEST

START_TEST(handout_leak_check_finds_the_solution)
{
    make_reference();
    ck_assert_int_eq(sh("%s --lesson 01 --root %s --out %s", bin_handout, ref, out), 0);
    ck_assert_int_eq(sh("%s --lesson 01 --root %s --out %s --check-only", bin_handout, ref, out), 0);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "leak check: 2 distinctive solution lines of lesson 01, none"));
    /* The solution line pasted into any file of the tree, deep inside a line. */
    char p[800];
    snprintf(p, sizeof p, "%s/docs", out);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/docs/notes.txt", out);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "old notes\n// was: %s", solution);
    fclose(f);
    ck_assert_int_eq(sh("%s --lesson 01 --root %s --out %s --check-only", bin_handout, ref, out), 1);
    const char *o = slurp("%s", output);
    ck_assert_msg(strstr(o, "LEAK: lessons/01-a/x.c:4 (exercise 01.answer) is in the handout at docs/notes.txt:2") !=
                      NULL,
                  "%s", o);
    ck_assert_ptr_nonnull(strstr(o, "it is NOT a handout"));
    /* the make fragment's solution line too, and nothing of lesson 02's */
    snprintf(p, sizeof p, "%s/lessons/01-a/lesson.mk", out);
    f = fopen(p, "a");
    fputs("SRCS += lessons/01-a/real_solution.c\nint later = the_later_solution_value();\n", f);
    fclose(f);
    ck_assert_int_eq(sh("%s --lesson 01 --root %s --out %s --check-only", bin_handout, ref, out), 1);
    o = slurp("%s", output);
    ck_assert_ptr_nonnull(strstr(o, "LEAK: lessons/01-a/lesson.mk:2 (exercise 01.answer) is in the handout at "
                                    "lessons/01-a/lesson.mk:4"));
    ck_assert_ptr_nonnull(strstr(o, "leaked into"));
    ck_assert_ptr_null(strstr(o, "02.later"));
}
END_TEST

/* --exercise: only the exercises named are stubbed, the others keep their
 * solutions (and the leak check looks only for the stubbed ones). */
START_TEST(handout_of_some_exercises)
{
    make_reference();
    put("lessons/01-a/w.c",
        "/* EXERCISE 01.other 2 \"Other (Guide 1)\" */\n"
        "int other = the_other_solution_value();\n"
        "/* STUB\n"
        "int other = 0;\n"
        "STUB END */\n"
        "/* END EXERCISE 01.other */\n",
        0644);
    ck_assert_int_eq(sh("cd %s && git add -A lessons && git -c user.name=t -c user.email=t@t commit -qm w", ref), 0);
    int rc = sh("%s --lesson 01 --root %s --out %s --exercise 01.other", bin_handout, ref, out);
    ck_assert_msg(rc == 0, "handout failed: %s", slurp("%s", output));
    ck_assert_ptr_nonnull(strstr(slurp("%s/lessons/01-a/w.c", out), "int other = 0;"));
    ck_assert_ptr_null(strstr(slurp("%s/lessons/01-a/w.c", out), "the_other_solution_value"));
    ck_assert_ptr_nonnull(strstr(slurp("%s/lessons/01-a/x.c", out), solution));   /* 01.answer kept */
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "exercises stubbed: 1, 2 points"));
    ck_assert_int_eq(sh("git -C %s log --format=%%s > %s", out, output), 0);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "handout (exercises 01.other)"));
    /* an id that is not an exercise of the lesson */
    ck_assert_int_eq(sh("%s --lesson 01 --root %s --out %s --force --exercise 02.later", bin_handout, ref, out), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "--exercise 02.later: not an exercise of lesson 01"));
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "  01.other (lessons/01-a/w.c:1)"));
}
END_TEST

START_TEST(handout_stops_on_a_malformed_region)
{
    make_reference();
    put("lessons/01-a/bad.c", "/* EXERCISE 01.bad 5 \"h\" */\n", 0644);
    ck_assert_int_eq(sh("cd %s && git add -A . && git -c user.name=t -c user.email=t@t commit -qm bad", ref), 0);
    ck_assert_int_eq(sh("%s --lesson 01 --root %s --out %s --force", bin_handout, ref, out), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "lessons/01-a/bad.c:1: region 01.bad is not closed"));
}
END_TEST

/* ------------------------------------------------------------------------ */

/* The "exercises" list results.json carries with the next tests. */
static const char *ex_json = "";

/* An entry of that list. */
static const char *xv(const char *id, const char *verdict)
{
    static char buf[8][200];
    static int slot;
    char *b = buf[slot++ % 8];
    snprintf(b, 200, "{\"id\": \"%s\", \"lesson\": \"%.2s\", \"points\": 5, \"verdict\": \"%s\"}", id, id,
             verdict);
    return b;
}

static const char *json_path(const char *json)
{
    static char path[700];
    snprintf(path, sizeof path, "%s/results.json", tmp);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "{\n  \"results\": [],\n  \"tests\": [\n%s\n  ],\n  \"exercises\": [%s],\n  \"earned\": 0\n}\n", json,
            ex_json);
    fclose(f);
    return path;
}

/* One test's entry of results.json (in one of 64 buffers: a test case
 * makes fewer entries than that, so none is reused under it). */
static const char *t(const char *name, const char *verdict, const char *reason, const char *ex, const char *missing)
{
    static char buf[64][600];
    static int slot;
    char *b = buf[slot++ % 64];
    snprintf(b, 600,
             "    {\"lesson\": \"01-a\", \"part\": \"p\", \"test\": \"%s\", \"earned\": 0, \"possible\": 5, "
             "\"verdict\": \"%s\", \"reason\": \"%s\", \"exercises\": [%s], \"missing_exercises\": [%s]}",
             name, verdict, reason, ex, missing);
    return b;
}

static int results(const char *mode, const char *extra, const char *json)
{
    char body[4096];
    snprintf(body, sizeof body, "%s", json);
    return sh("%s --lesson 01 %s %s %s", bin_results, mode, extra, json_path(body));
}

static char two[4096];

static const char *join2(const char *a, const char *b, const char *c)
{
    snprintf(two, sizeof two, "%s,\n%s%s%s", a, b, c ? ",\n" : "", c ? c : "");
    return two;
}

START_TEST(results_check_handout)
{
    const char *stubbed = t("a", "failed", "failed on stage 01", "\"01.x\", \"02.y\"", "\"01.x\"");
    const char *plain = t("b", "earned", "", "", "");
    const char *skip = t("c", "skipped", "not run: no bochs here", "", "");
    static char exs[600];
    snprintf(exs, sizeof exs, "%s, %s", xv("01.x", "not done"), xv("02.y", "failing"));
    ex_json = exs;
    ck_assert_int_eq(results("--handout", "--exercises 01.x", join2(stubbed, plain, skip)), 0);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "1 failed on their exercise stubs as they should, 1 earned"));

    /* a test that needs a stubbed exercise but passes */
    ck_assert_int_eq(results("--handout", "", join2(t("a", "earned", "", "\"01.x\"", ""), plain, NULL)), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "01-a/a: earned its points although it needs 01.x"));
    /* one that fails, but not on its stub */
    ck_assert_int_eq(results("--handout", "", join2(t("a", "failed", "timed out", "\"01.x\"", ""), plain, NULL)), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "failed, but not on the stub of 01.x: timed out"));
    /* ... unless its reason names the exercise (a whole id, not a prefix) */
    ck_assert_int_eq(
        results("--handout", "", join2(t("a", "failed", "EXERCISE 01.x: not done", "\"01.x\"", ""), plain, NULL)), 0);
    ck_assert_int_eq(
        results("--handout", "", join2(t("a", "failed", "EXERCISE 01.xy: not done", "\"01.x\"", ""), plain, NULL)),
        1);
    /* a test that needs no exercise of the lesson must pass */
    ck_assert_int_eq(results("--handout", "", join2(stubbed, t("b", "failed", "boom", "\"02.y\"", ""), NULL)), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "01-a/b: failed in the handout, and it needs no lesson-01"));
    /* a skip needs a reason */
    ck_assert_int_eq(results("--handout", "", join2(stubbed, t("b", "skipped", "", "", ""), NULL)), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "skipped without a reason"));
    /* every exercise of the lesson is needed by some test */
    ck_assert_int_eq(results("--handout", "--exercises 01.x,01.z", join2(stubbed, plain, NULL)), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "01.z: no graded test needs it"));
    /* tests that need the lesson's exercises must have run */
    ck_assert_int_eq(results("--handout", "", join2(t("a", "skipped", "no svm", "\"01.x\"", ""), plain, NULL)), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "none of the 1 tests that need a lesson-01 exercise ran"));

    /* each exercise of the lesson is scored "not done" or "blocked"
     * (its tests stopped on another stub first), never anything else */
    snprintf(exs, sizeof exs, "%s, %s", xv("01.x", "not done"), xv("01.w", "blocked"));
    ck_assert_int_eq(results("--handout", "", join2(stubbed, plain, NULL)), 0);
    snprintf(exs, sizeof exs, "%s, %s", xv("01.x", "not done"), xv("01.w", "failing"));
    ck_assert_int_eq(results("--handout", "", join2(stubbed, plain, NULL)), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "01.w: the handout's stub of it scored \"failing\""));
    ex_json = "";
}
END_TEST

/* One exercise's stub alone (handout --exercise, make grade EXERCISE=). */
START_TEST(results_check_one_stub)
{
    const char *a = t("a", "failed", "exercise 01.x not done (...)", "\"01.x\", \"01.w\"", "\"01.x\"");
    const char *c = t("c", "skipped", "not run: no bochs here", "\"01.x\"", "");
    ex_json = xv("01.x", "not done");
    ck_assert_int_eq(results("--only 01.x", "", join2(a, c, NULL)), 0);
    /* a test that fails on something else, or names another stub */
    ck_assert_int_eq(results("--only 01.x", "", join2(a, t("b", "failed", "timed out", "\"01.x\"", ""), NULL)), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "01-a/b: failed, but without naming 01.x, the only stub"));
    ck_assert_int_eq(results("--only 01.x", "", join2(a, t("b", "failed", "x", "\"01.x\"", "\"01.w\""), NULL)), 1);
    /* a test that passes although it needs the stub */
    ck_assert_int_eq(results("--only 01.x", "", join2(a, t("b", "earned", "", "\"01.x\"", ""), NULL)), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "earned its points although it needs 01.x"));
    /* a test graded that does not need it: not graded with EXERCISE= */
    ck_assert_int_eq(results("--only 01.x", "", join2(a, t("b", "earned", "", "", ""), NULL)), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "01-a/b: graded, but it does not need 01.x"));
    /* the exercise must score "not done", and be scored at all */
    ex_json = xv("01.x", "failing");
    ck_assert_int_eq(results("--only 01.x", "", join2(a, c, NULL)), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "01.x: its stub alone scored \"failing\""));
    ex_json = xv("01.w", "not done");
    ck_assert_int_eq(results("--only 01.x", "", join2(a, c, NULL)), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "01.x: not in the grader's exercise table"));
    ex_json = "";
    /* an exercise of another lesson, or with --exercises: usage */
    ck_assert_int_eq(results("--only 02.y", "", join2(a, c, NULL)), 2);
    ck_assert_int_eq(results("--only 01.x", "--exercises 01.x", join2(a, c, NULL)), 2);
}
END_TEST

START_TEST(results_check_reference_and_bad_files)
{
    const char *ok = t("a", "earned", "", "\"01.x\"", "");
    const char *skip = t("c", "skipped", "not run: no bochs here", "", "");
    ex_json = xv("01.x", "earned");
    ck_assert_int_eq(results("--reference", "", join2(ok, skip, NULL)), 0);
    ex_json = xv("01.x", "untested");       /* its tests skipped: a note, not a problem */
    ck_assert_int_eq(results("--reference", "", join2(ok, skip, NULL)), 0);
    ex_json = xv("01.x", "not done");
    ck_assert_int_eq(results("--reference", "", join2(ok, skip, NULL)), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "01.x: scored \"not done\" with the reference solution"));
    ex_json = "";
    ck_assert_int_eq(results("--reference", "", join2(ok, t("b", "failed", "boom", "", ""), NULL)), 1);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "01-a/b: failed with the reference solution laid back: boom"));

    /* What cannot be judged is exit 2, not a pass. */
    ck_assert_int_eq(results("--handout", "",
                             "    {\"lesson\": \"01-a\", \"test\": \"a\", \"verdict\": \"earned\", \"reason\": \"\"}"),
                     2);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "has no \"exercises\" list"));
    ck_assert_int_eq(results("--reference", "", ""), 2);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "\"tests\" is empty"));
    ck_assert_int_eq(results("--reference", "", "    {\"lesson\": \"01-a\", \"test\": \"a\" \"verdict\": 1}"), 2);
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "not JSON"));
    ck_assert_int_eq(results("--reference", "", t("a", "earned", "\\u00zz", "", "")), 2);   /* not hex */
    ck_assert_ptr_nonnull(strstr(slurp("%s", output), "bad \\u escape"));
    ck_assert_int_eq(results("--reference", "", t("a", "earned", "\\u00e9", "", "")), 0);   /* a real one */
    ck_assert_int_eq(sh("%s --lesson 01 --reference %s/none.json", bin_results, tmp), 2);
    ck_assert_int_eq(sh("%s --lesson 1 --reference x.json", bin_results), 2);
    ck_assert_int_eq(sh("%s --lesson 01 --reference --handout x.json", bin_results), 2);
}
END_TEST

int main(void)
{
    if (!mkdtemp(tmp))
        return 2;
    snprintf(output, sizeof output, "%s/output", tmp);
    /* the programs' paths, absolute: the tests change folders */
    if (!realpath(HANDOUT_BIN, bin_handout) || !realpath(RESULTS_CHECK_BIN, bin_results)) {
        fprintf(stderr, "test_handout: %s or %s is missing: build them first\n", HANDOUT_BIN, RESULTS_CHECK_BIN);
        return 2;
    }
    if (system("git --version >/dev/null 2>&1") != 0) {
        fprintf(stderr, "test_handout: git is not installed, and make handout needs it (apt-get install git)\n");
        return 2;
    }
    Suite *s = suite_create("handout");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, handout_makes_the_lessons_tree);
    tcase_add_test(tc, handout_refuses_to_overwrite);
    tcase_add_test(tc, handout_leak_check_finds_the_solution);
    tcase_add_test(tc, handout_stops_on_a_malformed_region);
    tcase_add_test(tc, results_check_handout);
    tcase_add_test(tc, handout_of_some_exercises);
    tcase_add_test(tc, results_check_one_stub);
    tcase_add_test(tc, results_check_reference_and_bad_files);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    return failed ? 1 : 0;
}
