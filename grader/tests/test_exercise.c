/**
 * @file test_exercise.c
 * @brief Check tests for exercise regions (grader/exercise.c): the scanner
 *        accepts the convention of docs/exercises.md and rejects every
 *        malformed region with file:line; the transform writes exactly the
 *        handout text; Markdown gates drop later lessons; the leak check
 *        finds the solution lines a handout must not contain.
 *
 * Region texts are C string literals whose lines start with '"', so this
 * file is never mistaken for one with regions.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exercise.h"
#include "test_files.h"

static char err[1024];

static int scan(const char *text, const char *file, struct exercise_marker *m, int max)
{
    err[0] = '\0';
    return exercise_scan_text(text, strlen(text), file, m, max, err, sizeof err);
}

/* A text must be rejected, with a message starting "file:line: " and
 * containing what. */
static void rejected(const char *text, const char *file, int line, const char *what)
{
    struct exercise_marker m[4];
    ck_assert_msg(scan(text, file, m, 4) == -1, "accepted:\n%s", text);
    char want[300];
    snprintf(want, sizeof want, "%s:%d: ", file, line);
    ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "error '%s' does not start with '%s'", err, want);
    ck_assert_msg(strstr(err, what) != NULL, "error '%s' does not say '%s'", err, what);
}

/* The transform of a text, which must succeed. */
static char *transform(const char *text, const char *file, int lesson)
{
    char *out;
    size_t len;
    err[0] = '\0';
    int rc = exercise_transform(text, strlen(text), file, exercise_syntax_of(file), lesson, NULL, &out, &len, err,
                                sizeof err);
    ck_assert_msg(rc == 0, "transform failed: %s", err);
    ck_assert_uint_eq(strlen(out), len);
    return out;
}

static char *markdown(const char *text, int lesson)
{
    char *out;
    size_t len;
    err[0] = '\0';
    int rc = markdown_transform(text, strlen(text), "doc.md", lesson, &out, &len, err, sizeof err);
    ck_assert_msg(rc == 0, "markdown_transform failed: %s", err);
    ck_assert_uint_eq(strlen(out), len);
    return out;
}

static void markdown_rejected(const char *text, int line, const char *what)
{
    char *out;
    size_t len;
    ck_assert_msg(markdown_transform(text, strlen(text), "doc.md", 1, &out, &len, err, sizeof err) == -1,
                  "accepted:\n%s", text);
    char want[64];
    snprintf(want, sizeof want, "doc.md:%d: ", line);
    ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "error '%s' does not start with '%s'", err, want);
    ck_assert_msg(strstr(err, what) != NULL, "error '%s' does not say '%s'", err, what);
}

static const char *c_region =
    "int f(void)\n"
    "{\n"
    "    /* EXERCISE 02.msr-allow 10 \"Look the MSR up (SDM Vol. 2B RDMSR)\" */\n"
    "    return solution_of_msr_allow();\n"
    "    /* STUB\n"
    "    EXERCISE_TODO();\n"
    "    return -1;\n"
    "    STUB END */\n"
    "    /* END EXERCISE 02.msr-allow */\n"
    "}\n";

static const char *make_region =
    "X := 1\n"
    "# EXERCISE 01.example 5 \"add the source\"\n"
    "STAGE_SRCS_01 += lessons/01-boot/solution.c\n"
    "# STUB\n"
    "# STAGE_SRCS_01 += lessons/01-boot/stub.c\n"
    "#\t@echo tab kept\n"
    "#no-space\n"
    "\n"
    "# STUB END\n"
    "# END EXERCISE 01.example\n";

/* ------------------------------------------------------------------------ */

START_TEST(syntax_from_the_file_name)
{
    ck_assert_int_eq(exercise_syntax_of("a.c"), EXERCISE_SYNTAX_C);
    ck_assert_int_eq(exercise_syntax_of("dir/a.h"), EXERCISE_SYNTAX_C);
    ck_assert_int_eq(exercise_syntax_of("boot.S"), EXERCISE_SYNTAX_C);
    ck_assert_int_eq(exercise_syntax_of("lessons/01-boot/lesson.mk"), EXERCISE_SYNTAX_MAKE);
    ck_assert_int_eq(exercise_syntax_of("Makefile"), EXERCISE_SYNTAX_MAKE);
    ck_assert_int_eq(exercise_syntax_of("sub/Makefile"), EXERCISE_SYNTAX_MAKE);
    ck_assert_int_eq(exercise_syntax_of("README.md"), EXERCISE_SYNTAX_NONE);
    ck_assert_int_eq(exercise_syntax_of("a.s"), EXERCISE_SYNTAX_NONE);
    ck_assert_int_eq(exercise_syntax_of("a.c.orig"), EXERCISE_SYNTAX_NONE);
    ck_assert_int_eq(exercise_syntax_of("Makefile.in"), EXERCISE_SYNTAX_NONE);
    ck_assert_int_eq(exercise_syntax_of("grade.spec"), EXERCISE_SYNTAX_NONE);
    ck_assert_int_eq(exercise_syntax_of("dir.c/script"), EXERCISE_SYNTAX_NONE);
    ck_assert_int_eq(exercise_syntax_of(".c"), EXERCISE_SYNTAX_NONE);
}
END_TEST

START_TEST(scan_reads_a_c_region)
{
    struct exercise_marker m[2];
    ck_assert_int_eq(scan(c_region, "lessons/02-vmx/msr.c", m, 2), 1);
    ck_assert_str_eq(m[0].id, "02.msr-allow");
    ck_assert_int_eq(m[0].lesson, 2);
    ck_assert_int_eq(m[0].points, 10);
    ck_assert_str_eq(m[0].hint, "Look the MSR up (SDM Vol. 2B RDMSR)");
    ck_assert_str_eq(m[0].file, "lessons/02-vmx/msr.c");
    ck_assert_int_eq(m[0].line, 3);
}
END_TEST

START_TEST(scan_reads_make_regions)
{
    struct exercise_marker m[2];
    ck_assert_int_eq(scan(make_region, "lessons/01-boot/lesson.mk", m, 2), 1);
    ck_assert_str_eq(m[0].id, "01.example");
    ck_assert_int_eq(m[0].lesson, 1);
    ck_assert_int_eq(m[0].points, 5);
    ck_assert_str_eq(m[0].hint, "add the source");
    ck_assert_int_eq(m[0].line, 2);
    ck_assert_int_eq(scan(make_region, "Makefile", m, 2), 1);
    /* In a file without marker syntax nothing is a region. */
    ck_assert_int_eq(scan(make_region, "notes.txt", m, 2), 0);
    ck_assert_int_eq(scan(c_region, "README.md", m, 2), 0);
    /* C markers in a make fragment are text, and the other way round. */
    ck_assert_int_eq(scan(c_region, "a.mk", m, 2), 0);
    ck_assert_int_eq(scan(make_region, "a.c", m, 2), 0);
}
END_TEST

START_TEST(scan_counts_beyond_max)
{
    const char *two =
        "/* EXERCISE 01.a 3 \"h\" */\n/* STUB\nSTUB END */\n/* END EXERCISE 01.a */\n"
        "x\n"
        "/* EXERCISE 01.a 3 \"h\" */\n/* STUB\nSTUB END */\n/* END EXERCISE 01.a */\n"
        "/*EXERCISE 03.b 1 \"other\"*/\n/*STUB\nSTUB END*/\n/*END EXERCISE 03.b*/";
    struct exercise_marker m[3];
    memset(m, 0x55, sizeof m);
    ck_assert_int_eq(scan(two, "a.S", NULL, 0), 3);
    ck_assert_int_eq(scan(two, "a.S", m, 1), 3);
    ck_assert_str_eq(m[0].id, "01.a");
    ck_assert_int_eq(m[1].points, 0x55555555); /* untouched */
    ck_assert_int_eq(scan(two, "a.S", m, 3), 3);
    ck_assert_int_eq(m[1].line, 6);
    ck_assert_str_eq(m[2].id, "03.b");
    ck_assert_int_eq(m[2].lesson, 3);
}
END_TEST

START_TEST(scan_leaves_lookalikes_alone)
{
    const char *text =
        "    .irp v, 0,1,2\n"
        "    STUB \\v\n"              /* an assembler macro named STUB */
        "    .endr\n"
        "/* END of the table */\n"
        "/* EXERCISE_TODO() is a macro */\n"
        "/* STUBBORN */\n"
        "/** EXERCISE in a doc comment */\n"
        "EXERCISE_TODO();\n";
    ck_assert_int_eq(scan(text, "isr.S", NULL, 0), 0);
    ck_assert_int_eq(scan("# END of the list\n# EXERCISES below\n# STUBS\n", "a.mk", NULL, 0), 0);
}
END_TEST

START_TEST(scan_rejects_bad_structure)
{
    rejected("x\n/* EXERCISE 01.a 3 \"h\" */\n/* STUB\nSTUB END */\n", "a.c", 2, "not closed (END EXERCISE 01.a");
    rejected("/* EXERCISE 01.a 3 \"h\" */\n/* STUB\nSTUB END */\n/* END EXERCISE 01.b */\n", "a.c", 4,
             "END EXERCISE 01.b closes region 01.a");
    rejected("x\n/* END EXERCISE 01.a */\n", "a.c", 2, "outside any exercise region");
    rejected("/* STUB\nSTUB END */\n", "a.c", 1, "STUB outside an exercise region");
    rejected("x\nSTUB END */\n", "a.c", 2, "STUB END outside an exercise region");
    rejected("/* EXERCISE 01.a 3 \"h\" */\n/* EXERCISE 01.b 3 \"h\" */\n", "a.c", 2, "regions do not nest");
    rejected("/* EXERCISE 01.a 3 \"h\" */\n/* STUB\nx\n", "a.c", 2, "stub block of 01.a is not closed");
    rejected("/* EXERCISE 01.a 3 \"h\" */\n/* STUB\nx\n/* END EXERCISE 01.a */\n", "a.c", 4,
             "the stub block is not closed");
    rejected("/* EXERCISE 01.a 3 \"h\" */\n/* STUB\n/* EXERCISE 01.b 3 \"h\" */\n", "a.c", 3, "STUB END missing");
    rejected("/* EXERCISE 01.a 3 \"h\" */\n/* STUB\n/* STUB\n", "a.c", 3, "STUB inside the stub block");
    rejected("/* EXERCISE 01.a 3 \"h\" */\n/* STUB\nSTUB END */\n/* STUB\nSTUB END */\n/* END EXERCISE 01.a */\n",
             "a.c", 4, "second STUB block");
    rejected("/* EXERCISE 01.a 3 \"h\" */\nSTUB END */\n", "a.c", 2, "STUB END without STUB");
    rejected("/* EXERCISE 01.a 3 \"h\" */\n/* STUB\nx; /* no */\nSTUB END */\n/* END EXERCISE 01.a */\n", "a.c", 3,
             "ends its comment early");
    rejected("/* EXERCISE 01.a 3 \"h\" */\n/* STUB for later */\n", "a.c", 2, "malformed stub marker");
    rejected("/* EXERCISE 01.a 3 \"h\" */\n/* STUB\nSTUB END\n", "a.c", 3, "malformed stub marker");
    rejected("# EXERCISE 01.a 3 \"h\"\n# STUB\nlive := code\n# STUB END\n# END EXERCISE 01.a\n", "a.mk", 3,
             "stub line is not a comment");
    rejected("# EXERCISE 01.a 3 \"h\"\n# STUB please\n", "a.mk", 2, "malformed stub marker");
    rejected("# EXERCISE 01.a 3 \"h\"\n# STUB\n# STUB END\n", "Makefile", 1, "region 01.a is not closed");
}
END_TEST

START_TEST(scan_rejects_bad_markers)
{
    const char *tail = "\n/* STUB\nSTUB END */\n/* END EXERCISE 01.a */\n";
    static const struct {
        const char *marker;
        const char *what;
    } bad[] = {
        {"/* EXERCISE */", "malformed EXERCISE line"},
        {"/* EXERCISE 1.a 3 \"h\" */", "bad exercise id '1.a'"},
        {"/* EXERCISE 01.A 3 \"h\" */", "bad exercise id"},
        {"/* EXERCISE 01. 3 \"h\" */", "bad exercise id"},
        {"/* EXERCISE 00.a 3 \"h\" */", "bad exercise id"},
        {"/* EXERCISE 01-a 3 \"h\" */", "bad exercise id"},
        {"/* EXERCISE 01.a_b 3 \"h\" */", "bad exercise id"},
        {"/* EXERCISE 01.abcdefghijabcdefghijabcdefghijabcdefghijabcdefg 3 \"h\" */", "bad exercise id"},
        {"/* EXERCISE 01.a 0 \"h\" */", "bad points '0'"},
        {"/* EXERCISE 01.a -1 \"h\" */", "bad points"},
        {"/* EXERCISE 01.a 1001 \"h\" */", "bad points '1001'"},
        {"/* EXERCISE 01.a 05 \"h\" */", "bad points"},
        {"/* EXERCISE 01.a ten \"h\" */", "bad points"},
        {"/* EXERCISE 01.a \"h\" */", "bad points"},
        {"/* EXERCISE 01.a 3 h */", "in double quotes"},
        {"/* EXERCISE 01.a 3 */", "in double quotes"},
        {"/* EXERCISE 01.a 3 \"\" */", "hint of 01.a is empty"},
        {"/* EXERCISE 01.a 3 \"h */", "no closing"},
        {"/* EXERCISE 01.a 3 \"a\\nb\" */", "backslash"},
        {"/* EXERCISE 01.a 3 \"say \"hi\"\" */", "a '\"' inside the hint?"},
        {"/* EXERCISE 01.a 3 \"h\"", "malformed EXERCISE line for 01.a"},
        {"/* EXERCISE 01.a 3 \"h\" */ x", "text after the EXERCISE marker"},
    };
    char text[512];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(text, sizeof text, "x\n%s%s", bad[i].marker, tail);
        rejected(text, "a.c", 2, bad[i].what);
    }
    /* The longest hint that fits, and one more. */
    char hint[EXERCISE_HINT_MAX + 1];
    memset(hint, 'h', sizeof hint);
    hint[EXERCISE_HINT_MAX - 1] = '\0';
    static char big[EXERCISE_HINT_MAX + 200];
    snprintf(big, sizeof big, "/* EXERCISE 01.a 3 \"%s\" */%s", hint, tail);
    struct exercise_marker m;
    ck_assert_int_eq(scan(big, "a.c", &m, 1), 1);
    ck_assert_uint_eq(strlen(m.hint), EXERCISE_HINT_MAX - 1);
    hint[EXERCISE_HINT_MAX - 1] = 'h';
    hint[EXERCISE_HINT_MAX] = '\0';
    snprintf(big, sizeof big, "/* EXERCISE 01.a 3 \"%s\" */%s", hint, tail);
    char most[32];
    snprintf(most, sizeof most, "at most %d", EXERCISE_HINT_MAX - 1);
    rejected(big, "a.c", 1, most);
    /* END markers are checked too. */
    rejected("/* EXERCISE 01.a 3 \"h\" */\n/* STUB\nSTUB END */\n/* END EXERCISE 01.a\n", "a.c", 4,
             "malformed END EXERCISE line");
    rejected("/* EXERCISE 01.a 3 \"h\" */\n/* STUB\nSTUB END */\n/* END EXERCISE */\n", "a.c", 4,
             "malformed END EXERCISE line");
    rejected("# EXERCISE 01.a 3 \"h\"\n# STUB\n# STUB END\n# END EXERCISE 01.a extra\n", "a.mk", 4,
             "malformed END EXERCISE line");
    rejected("# EXERCISE 01.a 3 \"h\" */\n", "a.mk", 1, "text after the EXERCISE marker");
}
END_TEST

START_TEST(scan_rejects_disagreeing_regions_of_one_id)
{
    rejected("/* EXERCISE 01.a 3 \"h\" */\n/* STUB\nSTUB END */\n/* END EXERCISE 01.a */\n"
             "/* EXERCISE 01.a 4 \"h\" */\n/* STUB\nSTUB END */\n/* END EXERCISE 01.a */\n",
             "a.c", 5, "worth 4 points here but 3 at a.c:1");
    rejected("/* EXERCISE 01.a 3 \"h\" */\n/* STUB\nSTUB END */\n/* END EXERCISE 01.a */\n"
             "/* EXERCISE 01.a 3 \"g\" */\n/* STUB\nSTUB END */\n/* END EXERCISE 01.a */\n",
             "a.c", 5, "another hint here than at a.c:1");
    struct exercise_marker m[3] = {
        {.id = "01.a", .points = 3, .hint = "h", .file = "a.c", .line = 1},
        {.id = "01.b", .points = 9, .hint = "x", .file = "b.c", .line = 2},
        {.id = "01.a", .points = 3, .hint = "h", .file = "c.mk", .line = 7},
    };
    ck_assert_int_eq(exercise_check_agree(m, 3, err, sizeof err), 0);
    m[2].points = 5;
    ck_assert_int_eq(exercise_check_agree(m, 3, err, sizeof err), -1);
    ck_assert_str_eq(err, "c.mk:7: exercise 01.a is worth 5 points here but 3 at a.c:1");
    m[2].points = 3;
    strcpy(m[2].hint, "hh");
    ck_assert_int_eq(exercise_check_agree(m, 3, err, sizeof err), -1);
    ck_assert_str_eq(err, "c.mk:7: exercise 01.a has another hint here than at a.c:1");
}
END_TEST

/* ------------------------------------------------------------------------ */

static char treedir[] = "/tmp/spectrum-exercise-XXXXXX";

static void put(const char *rel, const char *text)
{
    test_put(treedir, rel, text, 0644);
}

START_TEST(scan_tree_walks_sources_only)
{
    ck_assert_ptr_nonnull(mkdtemp(treedir));
    put("t/a.c", c_region);
    put("t/sub/Makefile", make_region);
    put("t/sub/deeper/z.h", "/* EXERCISE 01.example 5 \"add the source\" */\n/* STUB\nSTUB END */\n"
                            "/* END EXERCISE 01.example */\n");
    put("t/notes.txt", "/* EXERCISE 01.bad */\n");    /* not a source: not read */
    put("t/build/out.c", "/* EXERCISE 01.bad */\n");  /* build output: skipped */
    put("t/.git/x.c", "/* EXERCISE 01.bad */\n");     /* history: skipped */
    put("u/b.S", "/* EXERCISE 03.other 1 \"o\" */\n/* STUB\nSTUB END */\n/* END EXERCISE 03.other */\n");
    char t[600], u[600], link[600];
    snprintf(t, sizeof t, "%s/t", treedir);
    snprintf(u, sizeof u, "%s/u", treedir);
    snprintf(link, sizeof link, "%s/t/loop", treedir);
    ck_assert_int_eq(symlink(t, link), 0);             /* followed, it would loop */
    const char *dirs[] = {t, u, NULL};
    struct exercise_marker *m;
    int n;
    int rc = exercise_scan_tree(dirs, &m, &n, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_int_eq(n, 4);
    char want[600];
    snprintf(want, sizeof want, "%s/a.c", t);
    ck_assert_str_eq(m[0].file, want);
    ck_assert_str_eq(m[0].id, "02.msr-allow");
    snprintf(want, sizeof want, "%s/sub/Makefile", t);
    ck_assert_str_eq(m[1].file, want);
    snprintf(want, sizeof want, "%s/sub/deeper/z.h", t);
    ck_assert_str_eq(m[2].file, want);
    ck_assert_str_eq(m[3].id, "03.other");
    free(m);

    /* Regions of one id in two files must agree. */
    put("u/c.c", "/* EXERCISE 01.example 6 \"add the source\" */\n/* STUB\nSTUB END */\n"
                 "/* END EXERCISE 01.example */\n");
    ck_assert_int_eq(exercise_scan_tree(dirs, &m, &n, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "/u/c.c:1: exercise 01.example is worth 6 points here but 5 at ") != NULL, "%s", err);
    ck_assert_int_eq(n, 0);
    /* A malformed region anywhere fails the scan, naming it. */
    put("u/c.c", "/* EXERCISE 01.example 5 \"add the source\" */\n");
    ck_assert_int_eq(exercise_scan_tree(dirs, &m, &n, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "/u/c.c:1: region 01.example is not closed") != NULL, "%s", err);
    /* A folder that is not there is an error, not an empty tree. */
    const char *missing[] = {"/nonexistent/spectrum", NULL};
    ck_assert_int_eq(exercise_scan_tree(missing, &m, &n, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "/nonexistent/spectrum: cannot list") != NULL, "%s", err);

}
END_TEST

/* ------------------------------------------------------------------------ */

START_TEST(transform_stubs_the_lessons_regions)
{
    char *out = transform(c_region, "msr.c", 2);
    ck_assert_str_eq(out, "int f(void)\n"
                          "{\n"
                          "    /* EXERCISE 02.msr-allow 10 \"Look the MSR up (SDM Vol. 2B RDMSR)\" */\n"
                          "    EXERCISE_TODO(\"02.msr-allow\", \"Look the MSR up (SDM Vol. 2B RDMSR)\");\n"
                          "    return -1;\n"
                          "    /* END EXERCISE 02.msr-allow */\n"
                          "}\n");
    free(out);
}
END_TEST

/* The grader scans handouts too: a handout's regions (no STUB block any
 * more) read as the same exercises as the reference's. */
START_TEST(transform_output_scans_as_the_same_exercises)
{
    const char *texts[] = {c_region, make_region};
    const char *names[] = {"msr.c", "lesson.mk"};
    for (int i = 0; i < 2; i++) {
        for (int lesson = 1; lesson <= 2; lesson++) {
            struct exercise_marker before, after;
            ck_assert_int_eq(scan(texts[i], names[i], &before, 1), 1);
            char *out = transform(texts[i], names[i], lesson);
            ck_assert_msg(scan(out, names[i], &after, 1) == 1, "%s", err);
            ck_assert_str_eq(after.id, before.id);
            ck_assert_int_eq(after.points, before.points);
            ck_assert_str_eq(after.hint, before.hint);
            ck_assert_int_eq(after.line, before.line);
            free(out);
        }
    }
}
END_TEST

START_TEST(transform_copies_other_lessons)
{
    char *out = transform(c_region, "msr.c", 1);
    ck_assert_str_eq(out, c_region);
    free(out);
    out = transform(c_region, "msr.c", 3);
    ck_assert_str_eq(out, c_region);
    free(out);
    /* Without syntax (or regions) every byte is kept, a missing last newline too. */
    out = transform("a\r\nb\n\nc", "x.txt", 2);
    ck_assert_str_eq(out, "a\r\nb\n\nc");
    free(out);
    out = transform("", "x.c", 2);
    ck_assert_str_eq(out, "");
    free(out);
}
END_TEST

START_TEST(transform_uncomments_make_stubs)
{
    char *out = transform(make_region, "lesson.mk", 1);
    ck_assert_str_eq(out, "X := 1\n"
                          "# EXERCISE 01.example 5 \"add the source\"\n"
                          "STAGE_SRCS_01 += lessons/01-boot/stub.c\n"
                          "\t@echo tab kept\n"
                          "no-space\n"
                          "\n"
                          "# END EXERCISE 01.example\n");
    free(out);
}
END_TEST

START_TEST(transform_fills_in_every_todo)
{
    const char *text = "/* EXERCISE 01.two 2 \"h (SDM 1.2)\" */\n"
                       "solution();\n"
                       "/* STUB\n"
                       "a(EXERCISE_TODO()); b(EXERCISE_TODO());\n"
                       "EXERCISE_TODO(x);\n" /* not the empty form: kept */
                       "STUB END */\n"
                       "/* END EXERCISE 01.two */";
    char *out = transform(text, "a.c", 1);
    ck_assert_str_eq(out, "/* EXERCISE 01.two 2 \"h (SDM 1.2)\" */\n"
                          "a(EXERCISE_TODO(\"01.two\", \"h (SDM 1.2)\")); b(EXERCISE_TODO(\"01.two\", \"h (SDM 1.2)\"));\n"
                          "EXERCISE_TODO(x);\n"
                          "/* END EXERCISE 01.two */");
    free(out);
}
END_TEST

START_TEST(transform_handles_long_lines)
{
    size_t n = 300000;
    char *text = malloc(n + 200);
    strcpy(text, "/* EXERCISE 01.long 1 \"h\" */\n/* STUB\n");
    size_t at = strlen(text);
    memset(text + at, 'x', n);
    strcpy(text + at + n, "\nSTUB END */\n/* END EXERCISE 01.long */\n");
    char *out = transform(text, "a.c", 1);
    ck_assert_uint_eq(strlen(out), strlen("/* EXERCISE 01.long 1 \"h\" */\n") + n + 1 +
                                       strlen("/* END EXERCISE 01.long */\n"));
    free(out);
    free(text);
}
END_TEST

START_TEST(transform_rejects_malformed_regions)
{
    char *out;
    size_t len;
    const char *text = "/* EXERCISE 01.a 3 \"h\" */\n/* STUB\nSTUB END */\n";
    ck_assert_int_eq(exercise_transform(text, strlen(text), "f.c", EXERCISE_SYNTAX_C, 1, NULL, &out, &len, err, sizeof err),
                     -1);
    ck_assert_str_eq(err, "f.c:1: region 01.a is not closed (END EXERCISE 01.a missing)");
    /* Even for another lesson: a broken region is broken in every handout. */
    ck_assert_int_eq(exercise_transform(text, strlen(text), "f.c", EXERCISE_SYNTAX_C, 2, NULL, &out, &len, err, sizeof err),
                     -1);
}
END_TEST

/* A region of the lesson without a STUB block (a handout's, whose stub is
 * plain code) would leave nothing in place of its solution. */
START_TEST(transform_wants_a_stub)
{
    char *out;
    size_t len;
    const char *text = "int f(void)\n"
                       "{\n"
                       "/* EXERCISE 01.a 3 \"h\" */\n"
                       "    return 1;\n"
                       "/* END EXERCISE 01.a */\n"
                       "}\n";
    ck_assert_int_eq(exercise_transform(text, strlen(text), "f.c", EXERCISE_SYNTAX_C, 1, NULL, &out, &len, err, sizeof err),
                     -1);
    ck_assert_msg(strstr(err, "f.c:3: region 01.a has no STUB block") == err, "%s", err);
    ck_assert_ptr_nonnull(strstr(err, "is this a handout already?"));
    /* Another lesson's region is copied as it is. */
    ck_assert_int_eq(exercise_transform(text, strlen(text), "f.c", EXERCISE_SYNTAX_C, 2, NULL, &out, &len, err, sizeof err),
                     0);
    ck_assert_str_eq(out, text);
    free(out);
}
END_TEST

/* ------------------------------------------------------------------------ */

static const char *md =
    "# Title\n"
    "| a | b |\n"
    "| lesson one | x | <!-- lesson 01 -->\n"
    "| lesson two | y |   <!-- lesson 02 -->\n"
    "<!-- lesson 02 -->\n"
    "About lesson two.\n"
    "<!-- /lesson -->\n"
    "<!-- lesson 01 -->\n"
    "About lesson one.\n"
    "<!-- /lesson -->\n"
    "```\n"
    "<!-- lesson 03 -->\n"
    "shown as it is, in a code block\n"
    "<!-- /lesson -->\n"
    "```\n"
    "A `<!-- lesson NN -->` in the text. <!-- lessons learnt -->\n"
    "end";

START_TEST(markdown_drops_later_lessons)
{
    char *out = markdown(md, 1);
    ck_assert_str_eq(out, "# Title\n"
                          "| a | b |\n"
                          "| lesson one | x |\n"
                          "About lesson one.\n"
                          "```\n"
                          "<!-- lesson 03 -->\n"
                          "shown as it is, in a code block\n"
                          "<!-- /lesson -->\n"
                          "```\n"
                          "A `<!-- lesson NN -->` in the text. <!-- lessons learnt -->\n"
                          "end");
    free(out);
    out = markdown(md, 2);
    ck_assert_str_eq(out, "# Title\n"
                          "| a | b |\n"
                          "| lesson one | x |\n"
                          "| lesson two | y |\n"
                          "About lesson two.\n"
                          "About lesson one.\n"
                          "```\n"
                          "<!-- lesson 03 -->\n"
                          "shown as it is, in a code block\n"
                          "<!-- /lesson -->\n"
                          "```\n"
                          "A `<!-- lesson NN -->` in the text. <!-- lessons learnt -->\n"
                          "end");
    free(out);
}
END_TEST

START_TEST(markdown_fences_inside_dropped_blocks)
{
    /* A fence inside a dropped block must not hide its close. */
    char *out = markdown("<!-- lesson 02 -->\n~~~\n<!-- /lesson -->\n~~~\n<!-- /lesson -->\nkept\n", 1);
    ck_assert_str_eq(out, "kept\n");
    free(out);
}
END_TEST

START_TEST(markdown_rejects_malformed_gates)
{
    markdown_rejected("a\n<!-- lesson 02 -->\nb\n<!-- lesson 03 -->\n", 4, "they do not nest");
    markdown_rejected("a\n<!-- lesson 02 -->\nb\n", 2, "not closed");
    markdown_rejected("a\n<!-- /lesson -->\n", 2, "without '<!-- lesson NN -->'");
    markdown_rejected("<!-- lesson 2 -->\n", 1, "malformed lesson marker");
    markdown_rejected("x <!-- lesson 002 -->\n", 1, "malformed lesson marker");
    markdown_rejected("x <!-- lesson02 -->\n", 1, "malformed lesson marker");
    markdown_rejected("<!-- lesson 00 -->\n<!-- /lesson -->\n", 1, "malformed lesson marker");
    markdown_rejected("<!-- lesson two -->\n", 1, "malformed lesson marker");
    markdown_rejected("<!-- /lesson 02 -->\n", 1, "malformed lesson marker");
    markdown_rejected("<!-- lesson 02 -->\nx <!-- /lesson -->\n", 2, "on a line of its own");
}
END_TEST

/* ------------------------------------------------------------------------ */

static struct exercise_line *lines;
static int nlines;

static void distinctive(const struct exercise_source *src, int n, int lesson)
{
    int rc = exercise_distinctive_lines(src, n, lesson, NULL, &lines, &nlines, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
}

static bool listed(const char *text)
{
    for (int i = 0; i < nlines; i++)
        if (strcmp(lines[i].text, text) == 0)
            return true;
    return false;
}

START_TEST(distinctive_lines_are_the_solutions_own)
{
    const char *a =
        "int shared_helper_call(void);\n"
        "/* EXERCISE 01.a 3 \"look it up\" */\n"
        "    x = solve_it_properly(x);   \n"   /* distinctive, trimmed */
        "    return 0;\n"                     /* too short */
        "    int shared_helper_call(void);\n" /* also outside the region */
        "    y = said_in_the_readme(y);\n"    /* also in README.md */
        "    z = also_in_the_stub(z);\n"      /* the stub keeps it */
        "    x = solve_it_properly(x);\n"     /* twice: listed once */
        "/* STUB\n"
        "    z = also_in_the_stub(z);\n"
        "    EXERCISE_TODO();\n"
        "STUB END */\n"
        "/* END EXERCISE 01.a */\n"
        "/* EXERCISE 02.b 3 \"later\" */\n"
        "    w = later_lessons_solution(w);\n" /* another lesson: copied, not listed */
        "    v = in_a_later_solution(v);\n"
        "/* STUB\n"
        "STUB END */\n"
        "/* END EXERCISE 02.b */\n";
    const char *mk =
        "# EXERCISE 01.m 2 \"make it\"\n"
        "SRCS += lessons/01-boot/real.c\n"
        "OBJS += kept_by_the_stub.o\n"
        "# STUB\n"
        "#OBJS += kept_by_the_stub.o\n"        /* written uncommented by the handout */
        "# STUB END\n"
        "# END EXERCISE 01.m\n";
    const char *c2 =
        "/* EXERCISE 01.c 1 \"third\" */\n"
        "    v = in_a_later_solution(v);\n"   /* the same line in 02.b's solution, which stays */
        "    q = second_file_line(q);\n"
        "/* STUB\n"
        "STUB END */\n"
        "/* END EXERCISE 01.c */\n";
    const char *readme = "Write `y = said_in_the_readme(y);` there.\n";
    struct exercise_source src[] = {
        {"lessons/01-boot/a.c", a, strlen(a)},
        {"README.md", readme, strlen(readme)},
        {"lessons/01-boot/lesson.mk", mk, strlen(mk)},
        {"common/c.c", c2, strlen(c2)},
    };
    distinctive(src, 4, 1);
    ck_assert_int_eq(nlines, 3);
    ck_assert_str_eq(lines[0].text, "x = solve_it_properly(x);");
    ck_assert_str_eq(lines[0].file, "lessons/01-boot/a.c");
    ck_assert_int_eq(lines[0].line, 3);
    ck_assert_str_eq(lines[0].id, "01.a");
    ck_assert(listed("SRCS += lessons/01-boot/real.c"));
    ck_assert(listed("q = second_file_line(q);"));
    ck_assert(!listed("OBJS += kept_by_the_stub.o"));
    ck_assert(!listed("v = in_a_later_solution(v);"));
    ck_assert_str_eq(lines[2].file, "common/c.c");
    ck_assert_int_eq(lines[2].line, 3);
    exercise_lines_free(lines, nlines);

    /* For lesson 02 the lesson-01 solutions stay in the handout. */
    distinctive(src, 4, 2);
    ck_assert_int_eq(nlines, 1);
    ck_assert_str_eq(lines[0].text, "w = later_lessons_solution(w);");
    ck_assert_str_eq(lines[0].id, "02.b");
    exercise_lines_free(lines, nlines);

    distinctive(src, 4, 3);
    ck_assert_int_eq(nlines, 0);
    exercise_lines_free(lines, nlines);

    /* A malformed region stops it. */
    struct exercise_source broken = {"b.c", "/* EXERCISE 01.a 3 \"h\" */\n", 26};
    ck_assert_int_eq(exercise_distinctive_lines(&broken, 1, 1, NULL, &lines, &nlines, err, sizeof err), -1);
    ck_assert_str_eq(err, "b.c:1: region 01.a is not closed (END EXERCISE 01.a missing)");
}
END_TEST

/* The length limit is EXERCISE_DISTINCT_MIN exactly. */
START_TEST(distinctive_lines_have_a_minimum_length)
{
    char text[256];
    snprintf(text, sizeof text,
             "/* EXERCISE 01.a 3 \"h\" */\n  %.*s\n  %.*s\n/* STUB\nSTUB END */\n/* END EXERCISE 01.a */\n",
             EXERCISE_DISTINCT_MIN, "abcdefghijklmnopqrstuvwxyz", EXERCISE_DISTINCT_MIN - 1, "zyxwvutsrqponmlkjih");
    struct exercise_source src = {"a.c", text, strlen(text)};
    distinctive(&src, 1, 1);
    ck_assert_int_eq(nlines, 1);
    ck_assert_uint_eq(strlen(lines[0].text), EXERCISE_DISTINCT_MIN);
    exercise_lines_free(lines, nlines);
}
END_TEST

/* A solution line the handout's stub writes, once its EXERCISE_TODO() is
 * filled in, is no leak. */
START_TEST(distinctive_lines_leave_out_filled_in_todos)
{
    const char *text = "/* EXERCISE 01.t 3 \"h\" */\n"
                       "    warn(EXERCISE_TODO(\"01.t\", \"h\"));\n"
                       "    really_the_solution();\n"
                       "/* STUB\n"
                       "    warn(EXERCISE_TODO());\n"
                       "STUB END */\n"
                       "/* END EXERCISE 01.t */\n";
    struct exercise_source src = {"a.c", text, strlen(text)};
    distinctive(&src, 1, 1);
    ck_assert_int_eq(nlines, 1);
    ck_assert_str_eq(lines[0].text, "really_the_solution();");
    exercise_lines_free(lines, nlines);
}
END_TEST

START_TEST(find_leak_finds_a_line_anywhere)
{
    struct exercise_line l[2] = {
        {.text = "x = solve_it_properly(x);", .file = "a.c", .line = 3},
        {.text = "SRCS += lessons/01-boot/real.c", .file = "a.mk", .line = 2},
    };
    const char *clean = "nothing here\nx = solve_it(x);\n";
    int at = 0;
    ck_assert_int_eq(exercise_find_leak(l, 2, 0, clean, strlen(clean), &at), -1);
    const char *leaky = "one\ntwo\n  /* x = solve_it_properly(x); */\nSRCS += lessons/01-boot/real.c";
    ck_assert_int_eq(exercise_find_leak(l, 2, 0, leaky, strlen(leaky), &at), 0);
    ck_assert_int_eq(at, 3);
    ck_assert_int_eq(exercise_find_leak(l, 2, 1, leaky, strlen(leaky), &at), 1);
    ck_assert_int_eq(at, 4);
    ck_assert_int_eq(exercise_find_leak(l, 2, 2, leaky, strlen(leaky), &at), -1);
    /* The length counts: a leak in the bytes after len is not there. */
    ck_assert_int_eq(exercise_find_leak(l, 2, 1, leaky, strlen(leaky) - 1, &at), -1);
}
END_TEST

/* A stub that repeats a solution line keeps it out of the leak list, and
 * the transform's output then has no listed line: the two agree. */
START_TEST(transform_output_has_no_distinctive_line)
{
    const char *texts[] = {c_region, make_region};
    const char *names[] = {"lessons/02-vmx/msr.c", "lessons/01-boot/lesson.mk"};
    for (int lesson = 1; lesson <= 2; lesson++) {
        struct exercise_source src[2];
        for (int i = 0; i < 2; i++)
            src[i] = (struct exercise_source){names[i], texts[i], strlen(texts[i])};
        distinctive(src, 2, lesson);
        ck_assert_int_eq(nlines, 1);
        for (int i = 0; i < 2; i++) {
            char *out = transform(texts[i], names[i], lesson);
            int at;
            ck_assert_int_eq(exercise_find_leak(lines, nlines, 0, out, strlen(out), &at), -1);
            free(out);
        }
        /* while the reference has it: lesson 2's region is in the C file */
        int home = lesson == 2 ? 0 : 1;
        int at;
        ck_assert_int_eq(exercise_find_leak(lines, nlines, 0, texts[home], strlen(texts[home]), &at), 0);
        exercise_lines_free(lines, nlines);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("exercise");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, syntax_from_the_file_name);
    tcase_add_test(tc, scan_reads_a_c_region);
    tcase_add_test(tc, scan_reads_make_regions);
    tcase_add_test(tc, scan_counts_beyond_max);
    tcase_add_test(tc, scan_leaves_lookalikes_alone);
    tcase_add_test(tc, scan_rejects_bad_structure);
    tcase_add_test(tc, scan_rejects_bad_markers);
    tcase_add_test(tc, scan_rejects_disagreeing_regions_of_one_id);
    tcase_add_test(tc, scan_tree_walks_sources_only);
    tcase_add_test(tc, transform_stubs_the_lessons_regions);
    tcase_add_test(tc, transform_copies_other_lessons);
    tcase_add_test(tc, transform_output_scans_as_the_same_exercises);
    tcase_add_test(tc, transform_uncomments_make_stubs);
    tcase_add_test(tc, transform_fills_in_every_todo);
    tcase_add_test(tc, transform_handles_long_lines);
    tcase_add_test(tc, transform_rejects_malformed_regions);
    tcase_add_test(tc, transform_wants_a_stub);
    tcase_add_test(tc, markdown_drops_later_lessons);
    tcase_add_test(tc, markdown_fences_inside_dropped_blocks);
    tcase_add_test(tc, markdown_rejects_malformed_gates);
    tcase_add_test(tc, distinctive_lines_are_the_solutions_own);
    tcase_add_test(tc, distinctive_lines_have_a_minimum_length);
    tcase_add_test(tc, distinctive_lines_leave_out_filled_in_todos);
    tcase_add_test(tc, find_leak_finds_a_line_anywhere);
    tcase_add_test(tc, transform_output_has_no_distinctive_line);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK); /* so that main sees treedir, and removes it even after a failure */
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (strstr(treedir, "XXXXXX") == NULL) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf %s", treedir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", treedir);
    }
    return failed ? 1 : 0;
}
