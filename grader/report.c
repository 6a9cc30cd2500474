/**
 * @file report.c
 * @brief Scores per test, lesson and part, and the JSON results file.
 *
 * A test is worth its points once.  It runs on its lesson's stage image
 * and the newest one graded (--every-stage: every stage between them
 * too), on every engine it may use; it earns its
 * points when it ran at least once and passed every run.  So a lesson's
 * total is the sum of its tests' points, the same whichever engines
 * happen to work here: a test that was skipped everywhere earns nothing,
 * and the report says which and why, instead of the total shrinking (or,
 * with more engines, growing) to hide it.
 */
#include <stdio.h>
#include <string.h>

#include "grader.h"

/* Append "; text" (or "text") to @p buf unless it is already there. */
static void add_reason(char *buf, size_t cap, const char *text)
{
    if (strstr(buf, text))
        return;
    size_t len = strlen(buf);
    if (len + 1 < cap)
        snprintf(buf + len, cap - len, "%s%s", len ? "; " : "", text);
}

void score_tests(const struct test *const *tests, int ntests, const struct result *res, int n,
                 struct test_score *out)
{
    for (int i = 0; i < ntests; i++) {
        const struct test *t = tests[i];
        struct test_score *s = &out[i];
        memset(s, 0, sizeof *s);
        s->test = t;
        s->possible = t->points;
        char first_fail[sizeof s->reason] = "", skips[sizeof s->reason] = "";
        for (int k = 0; k < n; k++) {
            const struct result *r = &res[k];
            if (r->test != t)
                continue;
            switch (r->outcome) {
            case OUT_PASS:
                s->passed++;
                break;
            case OUT_FAIL:
                for (int m = 0; m < r->missing_count; m++)
                    exercise_set_add(s->missing, &s->missing_count, r->missing[m]);
                if (s->failed++ == 0)
                    snprintf(first_fail, sizeof first_fail, "failed on stage %s %s: %s", r->stage, r->engine,
                             r->reason);
                break;
            case OUT_SKIP:
                s->skipped++;
                add_reason(skips, sizeof skips, r->reason);
                break;
            }
        }
        if (s->failed) {
            s->verdict = TV_FAILED;
            snprintf(s->reason, sizeof s->reason, "%s", first_fail);
        } else if (s->passed) {
            s->verdict = TV_EARNED;
            s->earned = t->points;
        } else {
            s->verdict = TV_SKIPPED;
            if (s->skipped) {
                snprintf(s->reason, sizeof s->reason, "skipped everywhere: %s", skips);
            } else {
                /* Not a single run planned: the test lists engines and
                 * none of them was asked for (ENGINES=...). */
                char list[128] = "";
                for (int e = 0; e < t->engine_count; e++)
                    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", e ? " " : "", t->engines[e]);
                snprintf(s->reason, sizeof s->reason, "not run: it runs only on %s, none of them graded here", list);
            }
        }
    }
}

void score_sum(const struct test_score *s, int n, const char *lesson, const char *part, struct score_sum *sum)
{
    memset(sum, 0, sizeof *sum);
    for (int i = 0; i < n; i++) {
        if (strcmp(s[i].test->lesson, lesson) != 0 || (part && strcmp(s[i].test->part, part) != 0))
            continue;
        sum->tests++;
        sum->possible += s[i].possible;
        sum->earned += s[i].earned;
        sum->tests_earned += s[i].verdict == TV_EARNED;
        sum->tests_failed += s[i].verdict == TV_FAILED;
        sum->tests_skipped += s[i].verdict == TV_SKIPPED;
    }
}

static const char *const verdict_name[] = { "earned", "failed", "skipped" };

/* Whether s[i] is the first test of its lesson (and, with @p by_part, of
 * its part): the groups are printed in the order of the tests. */
static bool first_of_group(const struct test_score *s, int i, bool by_part)
{
    for (int k = 0; k < i; k++)
        if (strcmp(s[k].test->lesson, s[i].test->lesson) == 0 &&
            (!by_part || strcmp(s[k].test->part, s[i].test->part) == 0))
            return false;
    return true;
}

static void print_sum(const char *key, const struct score_sum *m)
{
    printf("  %-40s %4d/%-4d points  (%d tests: %d earned, %d failed, %d skipped)\n", key, m->earned,
           m->possible, m->tests, m->tests_earned, m->tests_failed, m->tests_skipped);
}

void report_scores(const struct test_score *s, int n)
{
    printf("Score per test (a test earns its points once: it ran and passed on every stage and engine):\n");
    for (int i = 0; i < n; i++) {
        char key[160];
        snprintf(key, sizeof key, "%s/%s", s[i].test->lesson, s[i].test->name);
        printf("  %-40s %4d/%-4d %-7s", key, s[i].earned, s[i].possible, verdict_name[s[i].verdict]);
        if (s[i].verdict == TV_EARNED)
            printf("  (%d run%s passed)\n", s[i].passed, s[i].passed == 1 ? "" : "s");
        else
            printf("  -- %s\n", s[i].reason);
    }
    printf("Score per lesson:\n");
    for (int i = 0; i < n; i++)
        if (first_of_group(s, i, false)) {
            struct score_sum m;
            score_sum(s, n, s[i].test->lesson, NULL, &m);
            print_sum(s[i].test->lesson, &m);
        }
    printf("Score per part:\n");
    for (int i = 0; i < n; i++)
        if (first_of_group(s, i, true)) {
            struct score_sum m;
            char key[160];
            score_sum(s, n, s[i].test->lesson, s[i].test->part, &m);
            snprintf(key, sizeof key, "%s / %s", s[i].test->lesson, s[i].test->part);
            print_sum(key, &m);
        }
}

void score_exercises(const struct exercise_info *ex, int nex, const struct test_score *s, int ns,
                     struct exercise_score *out)
{
    for (int e = 0; e < nex; e++) {
        struct exercise_score *o = &out[e];
        memset(o, 0, sizeof *o);
        o->ex = &ex[e];
        bool not_done = false, failing = false, blocked = false;
        for (int i = 0; i < ns; i++) {
            if (!test_needs_exercise(s[i].test, ex[e].id))
                continue;
            o->tests++;
            o->tests_earned += s[i].verdict == TV_EARNED;
            if (s[i].verdict != TV_FAILED)
                continue;
            /* A failed test that names this exercise's stub says it is not
             * done; one that names only other stubs never reached it (the
             * run stopped on them first); one that names none failed on
             * something else, maybe this exercise's code. */
            bool said = false;
            for (int m = 0; m < s[i].missing_count; m++)
                said |= strcmp(s[i].missing[m], ex[e].id) == 0;
            not_done |= said;
            failing |= s[i].missing_count == 0;
            if (!said && s[i].missing_count && !blocked) {
                blocked = true;
                snprintf(o->blocked_by, sizeof o->blocked_by, "%s", s[i].missing[0]);
            }
        }
        if (not_done)
            o->verdict = EV_NOT_DONE;
        else if (failing)
            o->verdict = EV_FAILING;
        else if (blocked)
            o->verdict = EV_BLOCKED;
        else if (o->tests_earned)
            o->verdict = EV_EARNED;
        else
            o->verdict = EV_UNTESTED;
        o->earned = o->verdict == EV_EARNED ? ex[e].points : 0;
    }
}

static const char *const exercise_verdict_name[] = { "earned", "not done", "failing", "blocked", "untested" };

void report_exercises(const struct exercise_score *e, int n)
{
    if (n == 0)
        return;
    int earned = 0, possible = 0;
    printf("Exercises (an exercise earns its points when every test that needs it passed):\n");
    for (int i = 0; i < n; i++) {
        printf("  %-22s %3d/%-3d %-9s %d of %d tests  %s\n", e[i].ex->id, e[i].earned, e[i].ex->points,
               exercise_verdict_name[e[i].verdict], e[i].tests_earned, e[i].tests, e[i].ex->where);
        if (e[i].verdict == EV_NOT_DONE)
            printf("  %-22s hint: %s\n", "", e[i].ex->hint);
        else if (e[i].verdict == EV_BLOCKED)
            printf("  %-22s its tests stopped first on the stub of %s\n", "", e[i].blocked_by);
        earned += e[i].earned;
        possible += e[i].ex->points;
    }
    printf("  %-22s %3d/%d\n", "exercises total", earned, possible);
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void json_field(FILE *f, const char *name, const char *value)
{
    fprintf(f, "\"%s\": ", name);
    json_string(f, value);
}

static void json_sum(FILE *f, const struct score_sum *m)
{
    fprintf(f, ", \"earned\": %d, \"possible\": %d, \"tests\": %d, \"tests_earned\": %d, \"tests_failed\": %d, "
               "\"tests_skipped\": %d}",
            m->earned, m->possible, m->tests, m->tests_earned, m->tests_failed, m->tests_skipped);
}

/* "name": ["a", "b"] */
static void json_ids(FILE *f, const char *name, char ids[][EXERCISE_ID_MAX], int n)
{
    fprintf(f, "\"%s\": [", name);
    for (int i = 0; i < n; i++) {
        fprintf(f, "%s", i ? ", " : "");
        json_string(f, ids[i]);
    }
    fprintf(f, "]");
}

int report_json(const char *path, const struct result *res, int n, const struct test_score *s, int ns,
                const struct exercise_score *e, int ne)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return -1;
    }
    static const char *const names[] = { "pass", "fail", "skip" };

    /* Every run: what happened, without points (a test's points are
     * decided over all its runs, in "tests"). */
    fprintf(f, "{\n  \"results\": [\n");
    for (int i = 0; i < n; i++) {
        const struct result *r = &res[i];
        fprintf(f, "    {");
        json_field(f, "lesson", r->test->lesson);
        fprintf(f, ", ");
        json_field(f, "part", r->test->part);
        fprintf(f, ", ");
        json_field(f, "test", r->test->name);
        fprintf(f, ", ");
        json_field(f, "stage", r->stage);
        fprintf(f, ", ");
        json_field(f, "engine", r->engine);
        fprintf(f, ", \"outcome\": \"%s\", \"seconds\": %.2f, ", names[r->outcome], r->seconds);
        json_field(f, "reason", r->reason);
        fprintf(f, ", ");
        json_field(f, "log", r->log);
        fprintf(f, "}%s\n", i + 1 < n ? "," : "");
    }

    fprintf(f, "  ],\n  \"tests\": [\n");
    int earned = 0, possible = 0;
    for (int i = 0; i < ns; i++) {
        fprintf(f, "    {");
        json_field(f, "lesson", s[i].test->lesson);
        fprintf(f, ", ");
        json_field(f, "part", s[i].test->part);
        fprintf(f, ", ");
        json_field(f, "test", s[i].test->name);
        fprintf(f, ", \"earned\": %d, \"possible\": %d, \"verdict\": \"%s\", \"runs_passed\": %d, "
                   "\"runs_failed\": %d, \"runs_skipped\": %d, ",
                s[i].earned, s[i].possible, verdict_name[s[i].verdict], s[i].passed, s[i].failed, s[i].skipped);
        json_field(f, "reason", s[i].reason);
        fprintf(f, ", ");
        json_ids(f, "exercises", (char (*)[EXERCISE_ID_MAX])s[i].test->exercises, s[i].test->exercise_count);
        fprintf(f, ", ");
        json_ids(f, "missing_exercises", (char (*)[EXERCISE_ID_MAX])s[i].missing, s[i].missing_count);
        fprintf(f, "}%s\n", i + 1 < ns ? "," : "");
        earned += s[i].earned;
        possible += s[i].possible;
    }

    fprintf(f, "  ],\n  \"lessons\": [\n");
    bool first = true;
    for (int i = 0; i < ns; i++)
        if (first_of_group(s, i, false)) {
            struct score_sum m;
            score_sum(s, ns, s[i].test->lesson, NULL, &m);
            fprintf(f, "%s    {", first ? "" : ",\n");
            json_field(f, "lesson", s[i].test->lesson);
            json_sum(f, &m);
            first = false;
        }
    fprintf(f, "%s  ],\n  \"parts\": [\n", first ? "" : "\n");
    first = true;
    for (int i = 0; i < ns; i++)
        if (first_of_group(s, i, true)) {
            struct score_sum m;
            score_sum(s, ns, s[i].test->lesson, s[i].test->part, &m);
            fprintf(f, "%s    {", first ? "" : ",\n");
            json_field(f, "lesson", s[i].test->lesson);
            fprintf(f, ", ");
            json_field(f, "part", s[i].test->part);
            json_sum(f, &m);
            first = false;
        }

    fprintf(f, "%s  ],\n  \"exercises\": [\n", first ? "" : "\n");
    for (int i = 0; i < ne; i++) {
        fprintf(f, "    {");
        json_field(f, "id", e[i].ex->id);
        fprintf(f, ", \"lesson\": \"%.2s\", \"points\": %d, \"earned\": %d, ", e[i].ex->id, e[i].ex->points,
                e[i].earned);
        json_field(f, "verdict", exercise_verdict_name[e[i].verdict]);
        fprintf(f, ", \"tests\": %d, \"tests_earned\": %d, ", e[i].tests, e[i].tests_earned);
        json_field(f, "blocked_by", e[i].blocked_by);
        fprintf(f, ", ");
        json_field(f, "hint", e[i].ex->hint);
        fprintf(f, ", ");
        json_field(f, "where", e[i].ex->where);
        fprintf(f, "}%s\n", i + 1 < ne ? "," : "");
    }

    int p = 0, fl = 0, sk = 0;
    for (int i = 0; i < n; i++)
        p += res[i].outcome == OUT_PASS, fl += res[i].outcome == OUT_FAIL, sk += res[i].outcome == OUT_SKIP;
    fprintf(f, "  ],\n  \"earned\": %d, \"possible\": %d,\n  \"passed\": %d, \"failed\": %d, \"skipped\": %d\n}\n",
            earned, possible, p, fl, sk);
    if (ferror(f) | fclose(f)) {
        fprintf(stderr, "grader: %s: write error\n", path);
        return -1;
    }
    return 0;
}
