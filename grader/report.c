/**
 * @file report.c
 * @brief Scores per lesson and per part, and the JSON results file.
 *
 * A run (one test on one stage image and one engine) earns the test's
 * points when it passes.  A lesson's score is what its runs earned out of
 * what its non-skipped runs could earn: a skipped run neither earns nor
 * costs points, and is listed as skipped with its reason.
 */
#include <stdio.h>
#include <string.h>

#include "grader.h"

struct tally {
    char key[160];
    int earned, possible, passed, failed, skipped;
};

static struct tally *find(struct tally *t, int *n, int max, const char *key)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(t[i].key, key) == 0)
            return &t[i];
    if (*n == max)
        return NULL;
    memset(&t[*n], 0, sizeof t[*n]);
    snprintf(t[*n].key, sizeof t[*n].key, "%s", key);
    return &t[(*n)++];
}

static void add(struct tally *t, const struct result *r)
{
    if (!t)
        return;
    if (r->outcome == OUT_SKIP) {
        t->skipped++;
        return;
    }
    t->possible += r->test->points;
    if (r->outcome == OUT_PASS) {
        t->earned += r->test->points;
        t->passed++;
    } else {
        t->failed++;
    }
}

static void print_tally(const struct tally *t, int n, const char *title)
{
    printf("%s\n", title);
    for (int i = 0; i < n; i++)
        printf("  %-44s %4d/%-4d points  (%d passed, %d failed, %d skipped)\n", t[i].key, t[i].earned,
               t[i].possible, t[i].passed, t[i].failed, t[i].skipped);
}

void report_scores(const struct result *res, int n)
{
    enum { MAX = 256 };
    static struct tally lessons[MAX], parts[MAX];
    int nl = 0, np = 0;
    for (int i = 0; i < n; i++) {
        char key[160];
        add(find(lessons, &nl, MAX, res[i].test->lesson), &res[i]);
        snprintf(key, sizeof key, "%s / %s", res[i].test->lesson, res[i].test->part);
        add(find(parts, &np, MAX, key), &res[i]);
    }
    print_tally(lessons, nl, "Score per lesson:");
    print_tally(parts, np, "Score per part:");
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

int report_json(const char *path, const struct result *res, int n)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return -1;
    }
    static const char *const names[] = { "pass", "fail", "skip" };
    fprintf(f, "{\n  \"results\": [\n");
    for (int i = 0; i < n; i++) {
        const struct result *r = &res[i];
        fprintf(f, "    {\"lesson\": ");
        json_string(f, r->test->lesson);
        fprintf(f, ", \"part\": ");
        json_string(f, r->test->part);
        fprintf(f, ", \"test\": ");
        json_string(f, r->test->name);
        fprintf(f, ", \"stage\": ");
        json_string(f, r->stage);
        fprintf(f, ", \"engine\": ");
        json_string(f, r->engine);
        fprintf(f, ", \"outcome\": \"%s\", \"points\": %d, \"earned\": %d, \"seconds\": %.2f, \"reason\": ",
                names[r->outcome], r->test->points, r->outcome == OUT_PASS ? r->test->points : 0,
                r->seconds);
        json_string(f, r->reason);
        fprintf(f, ", \"log\": ");
        json_string(f, r->log);
        fprintf(f, "}%s\n", i + 1 < n ? "," : "");
    }
    int p = 0, fl = 0, s = 0;
    for (int i = 0; i < n; i++)
        p += res[i].outcome == OUT_PASS, fl += res[i].outcome == OUT_FAIL, s += res[i].outcome == OUT_SKIP;
    fprintf(f, "  ],\n  \"passed\": %d, \"failed\": %d, \"skipped\": %d\n}\n", p, fl, s);
    fclose(f);
    return 0;
}
