/**
 * @file match.c
 * @brief Judging one run: exit status, expected lines in order, rejected
 *        lines, with GOOD / BAD / MISSING details for the student.
 */
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grader.h"

#define CONTEXT_LINES 8

/** The serial log split into lines, '\r' removed. */
struct log_lines {
    char *text;
    char **line;
    int count;
};

static int load_log(const char *path, struct log_lines *l)
{
    memset(l, 0, sizeof *l);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 16, len = 0;
    l->text = malloc(cap + 1);
    size_t n;
    while ((n = fread(l->text + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            cap *= 2;
            l->text = realloc(l->text, cap + 1);
        }
    }
    fclose(f);
    l->text[len] = '\0';
    int lines_cap = 256;
    l->line = malloc(sizeof *l->line * (size_t)lines_cap);
    char *p = l->text;
    while (*p || p < l->text + len) {
        if (p >= l->text + len)
            break;
        char *nl = memchr(p, '\n', (size_t)(l->text + len - p));
        if (nl)
            *nl = '\0';
        for (char *q = p; *q; q++)  /* NULs or \r inside a line */
            if (*q == '\r')
                *q = ' ';
        size_t ll = strlen(p);
        while (ll && p[ll - 1] == ' ')
            p[--ll] = '\0';
        if (l->count == lines_cap) {
            lines_cap *= 2;
            l->line = realloc(l->line, sizeof *l->line * (size_t)lines_cap);
        }
        l->line[l->count++] = p;
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

static void free_log(struct log_lines *l)
{
    free(l->text);
    free(l->line);
}

/** Append to a bounded buffer. */
struct out {
    char *buf;
    size_t cap, len;
};

static void say(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct out *o, const char *fmt, ...)
{
    if (o->len + 1 >= o->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n < o->cap - o->len ? (size_t)n : o->cap - o->len - 1;
}

static bool line_matches(const char *re, const char *line)
{
    regex_t rx;
    if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB))
        return false;   /* validated when parsing; cannot happen */
    bool m = regexec(&rx, line, 0, NULL, 0) == 0;
    regfree(&rx);
    return m;
}

static void set_reason(struct result *r, const char *msg)
{
    if (r->outcome != OUT_FAIL) {
        r->outcome = OUT_FAIL;
        snprintf(r->reason, sizeof r->reason, "%s", msg);
    }
}

void match_judge(struct result *r, char *details, size_t cap)
{
    const struct test *t = r->test;
    struct out o = { details, cap, 0 };
    details[0] = '\0';
    r->outcome = OUT_PASS;

    /* spectrum-run: 0 pass, 1 fail/crash, 2 timeout, 3 unavailable, 4 usage */
    switch (r->run_status) {
    case 0:
        if (t->exit == WANT_FAIL)
            set_reason(r, "the machine exited with pass, the test expects fail");
        break;
    case 1:
        if (t->exit == WANT_PASS)
            set_reason(r, "the machine exited with fail (or crashed)");
        break;
    case 2:
        set_reason(r, "timed out");
        break;
    default: {
        char m[64];
        snprintf(m, sizeof m, "runner error (status %d)", r->run_status);
        set_reason(r, m);
    }
    }

    struct log_lines l;
    if (load_log(r->log, &l) != 0) {
        set_reason(r, "no serial log");
        say(&o, "    MISSING  the serial log %s\n", r->log);
        return;
    }

    /* Expected lines, in order. */
    int pos = 0, last_good = -1;
    for (int i = 0; i < t->expect_count; i++) {
        int found = -1;
        for (int k = pos; k < l.count; k++)
            if (line_matches(t->expect[i], l.line[k])) {
                found = k;
                break;
            }
        if (found >= 0) {
            say(&o, "    GOOD     %4d: %s\n", found + 1, l.line[found]);
            pos = found + 1;
            last_good = found;
        } else {
            say(&o, "    MISSING  /%s/ (after line %d)\n", t->expect[i], pos);
            set_reason(r, "an expected line is missing");
            /* An out-of-order match is worth telling apart from none. */
            for (int k = 0; k < pos; k++)
                if (line_matches(t->expect[i], l.line[k])) {
                    say(&o, "             (it appears earlier, at line %d: out of order)\n", k + 1);
                    break;
                }
        }
    }
    /* Rejected lines, anywhere. */
    for (int i = 0; i < t->reject_count; i++)
        for (int k = 0; k < l.count; k++)
            if (line_matches(t->reject[i], l.line[k])) {
                say(&o, "    BAD      %4d: %s   (matches /%s/)\n", k + 1, l.line[k], t->reject[i]);
                set_reason(r, "a rejected line appeared");
                break;
            }

    if (r->outcome == OUT_FAIL) {
        /* The lines after the last good match, or the log's tail. */
        int from = last_good + 1;
        if (l.count - from > CONTEXT_LINES || from >= l.count)
            from = l.count - CONTEXT_LINES;
        if (from < 0)
            from = 0;
        say(&o, "    context (lines %d-%d of %s):\n", from + 1, l.count, r->log);
        for (int k = from; k < l.count; k++)
            say(&o, "             %4d| %s\n", k + 1, l.line[k]);
    }
    free_log(&l);
}
