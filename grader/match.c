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

#define CONTEXT_LINES 8   /**< end of the log shown when nothing more precise is known */
#define BEFORE_LINES 2    /**< lines shown before where a missing line was expected */
#define AFTER_LINES 10    /**< ... and from there on */
#define TAIL_LINES 5      /**< end of the log shown after that window, if it ends further on */

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

static void show_lines(struct out *o, const struct log_lines *l, int from, int to)
{
    for (int k = from; k < to; k++)
        say(o, "             %4d| %s\n", k + 1, l->line[k]);
}

/* Log context for a failed run.  With a missing expected line: the lines
 * from just before where it was expected (@p missing_at, the line after
 * the GOOD match before it) on, then the end of the log if the machine
 * went on beyond that window.  Otherwise (a wrong exit, a rejected line
 * already shown): the lines after the last GOOD match, or the end of the
 * log. */
static void show_context(struct out *o, const struct log_lines *l, const char *path, int missing_at,
                         const char *missing_re, int last_good)
{
    if (l->count == 0) {
        say(o, "    context: %s is empty (the machine printed nothing)\n", path);
        return;
    }
    if (missing_at >= 0) {
        int from = missing_at - BEFORE_LINES, to = missing_at + AFTER_LINES;
        if (from < 0)
            from = 0;
        if (to > l->count)
            to = l->count;
        say(o, "    context where /%s/ was expected (lines %d-%d of %s):\n", missing_re, from + 1, to, path);
        show_lines(o, l, from, to);
        if (to == l->count) {
            say(o, "             (end of the log)\n");
            return;
        }
        int tail = l->count - TAIL_LINES;
        if (tail < to)
            tail = to;
        say(o, "    ... end of the log (lines %d-%d):\n", tail + 1, l->count);
        show_lines(o, l, tail, l->count);
        return;
    }
    int from = last_good + 1;
    if (l->count - from > CONTEXT_LINES || from >= l->count)
        from = l->count - CONTEXT_LINES;
    if (from < 0)
        from = 0;
    say(o, "    context (lines %d-%d of %s):\n", from + 1, l->count, path);
    show_lines(o, l, from, l->count);
}

static void set_reason(struct result *r, const char *msg)
{
    if (r->outcome != OUT_FAIL) {
        r->outcome = OUT_FAIL;
        snprintf(r->reason, sizeof r->reason, "%s", msg);
    }
}

#define FILE_VALUE_MAX 256   /**< bytes of a @{PATH} file's first line used */

/* @p re with every @{PATH} replaced by the first line of PATH, each ERE
 * special character escaped (spec.c's header); NULL if a file is missing
 * or empty, with its name in @p bad. */
static char *expand_files(const char *re, char *bad, size_t bad_cap)
{
    size_t cap = strlen(re) + 1, len = 0;
    char *out = malloc(cap);
    for (const char *p = re; *p; p++) {
        char value[FILE_VALUE_MAX + 1] = "";
        const char *v = NULL;
        if (p[0] == '@' && p[1] == '{' && strchr(p + 2, '}')) {
            const char *end = strchr(p + 2, '}');
            char path[512];
            snprintf(path, sizeof path, "%.*s", (int)(end - p - 2), p + 2);
            FILE *f = fopen(path, "r");
            if (!f || !fgets(value, sizeof value, f) || strcspn(value, "\r\n") == 0) {
                snprintf(bad, bad_cap, "%s", path);
                if (f)
                    fclose(f);
                free(out);
                return NULL;
            }
            fclose(f);
            value[strcspn(value, "\r\n")] = '\0';
            v = value;
            p = end;
        }
        size_t need = v ? 2 * strlen(v) : 1;
        if (len + need + 1 > cap) {
            cap = 2 * (len + need + 1);
            out = realloc(out, cap);
        }
        if (!v) {
            out[len++] = *p;
            continue;
        }
        for (; *v; v++) {
            if (strchr(".[]()*+?{}|^$\\", *v))
                out[len++] = '\\';
            out[len++] = *v;
        }
    }
    out[len] = '\0';
    return out;
}

/* The patterns of @p t with their files' values in; a missing file fails
 * the run, and its pattern then matches nothing (an empty set). */
static char **expand_all(char *const *re, int count, struct result *r, struct out *o)
{
    char **out = calloc((size_t)count + 1, sizeof *out);
    for (int i = 0; i < count; i++) {
        char bad[512];
        out[i] = expand_files(re[i], bad, sizeof bad);
        if (!out[i]) {
            char why[sizeof r->reason];
            snprintf(why, sizeof why, "expected-value file %s is missing or empty (make grade builds it)", bad);
            say(o, "    MISSING  file %s, named in /%s/\n", bad, re[i]);
            set_reason(r, why);
            out[i] = strdup("$.^");   /* never matches */
        }
    }
    return out;
}

static void free_all(char **re, int count)
{
    for (int i = 0; i < count; i++)
        free(re[i]);
    free(re);
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
        /* The runner refused or could not start the engine: what it said
         * (the last line of <log>.run) is the reason, e.g. a missing module. */
        char m[256], said[200] = "", path[sizeof r->log + 4];
        snprintf(path, sizeof path, "%s.run", r->log);
        FILE *f = fopen(path, "r");
        if (f) {
            char line[200];
            while (fgets(line, sizeof line, f))
                if (line[0] != '\n')
                    snprintf(said, sizeof said, "%s", line);
            fclose(f);
            said[strcspn(said, "\n")] = '\0';
        }
        snprintf(m, sizeof m, "runner error (status %d)%s%s", r->run_status, said[0] ? ": " : "", said);
        set_reason(r, m);
    }
    }

    struct log_lines l;
    if (load_log(r->log, &l) != 0) {
        set_reason(r, "no serial log");
        say(&o, "    MISSING  the serial log %s\n", r->log);
        return;
    }
    char **expect = expand_all(t->expect, t->expect_count, r, &o);
    char **reject = expand_all(t->reject, t->reject_count, r, &o);

    /* Expected lines, in order.  first_missing: the line index where the
     * first missing expectation should have been, just after the GOOD
     * match before it: that is where the run went wrong. */
    int pos = 0, last_good = -1, first_missing = -1;
    const char *first_missing_re = NULL;
    for (int i = 0; i < t->expect_count; i++) {
        int found = -1;
        for (int k = pos; k < l.count; k++)
            if (line_matches(expect[i], l.line[k])) {
                found = k;
                break;
            }
        if (found >= 0) {
            say(&o, "    GOOD     %4d: %s\n", found + 1, l.line[found]);
            pos = found + 1;
            last_good = found;
        } else {
            say(&o, "    MISSING  /%s/ (after line %d)\n", expect[i], pos);
            set_reason(r, "an expected line is missing");
            if (first_missing < 0) {
                first_missing = pos;
                first_missing_re = expect[i];
            }
            /* An out-of-order match is worth telling apart from none. */
            for (int k = 0; k < pos; k++)
                if (line_matches(expect[i], l.line[k])) {
                    say(&o, "             (it appears earlier, at line %d: out of order)\n", k + 1);
                    break;
                }
        }
    }
    /* Rejected lines, anywhere. */
    for (int i = 0; i < t->reject_count; i++)
        for (int k = 0; k < l.count; k++)
            if (line_matches(reject[i], l.line[k])) {
                say(&o, "    BAD      %4d: %s   (matches /%s/)\n", k + 1, l.line[k], reject[i]);
                set_reason(r, "a rejected line appeared");
                break;
            }

    /* Unfinished exercises say so ("EXERCISE ID: not done (hint)",
     * spectrum/exercise.h): that is the reason a student needs first. */
    static const char marker[] = "EXERCISE ";
    for (int k = 0; k < l.count; k++) {
        const char *p = strstr(l.line[k], marker);
        if (!p || (p != l.line[k] && p[-1] != ' ' && p[-1] != ']'))
            continue;
        p += sizeof marker - 1;
        size_t len = strcspn(p, ": ");
        if (len == 0 || len >= EXERCISE_ID_MAX || strncmp(p + len, ": not done", 10) != 0)
            continue;
        char id[EXERCISE_ID_MAX];
        snprintf(id, sizeof id, "%.*s", (int)len, p);
        if (!exercise_id_valid(id))
            continue;
        int before = r->missing_count;
        exercise_set_add(r->missing, &r->missing_count, id);
        if (r->missing_count > before)
            say(&o, "    EXERCISE %4d: %s\n", k + 1, l.line[k]);
    }
    /* A stub that ran means its exercise is not done, even where the run
     * went on and printed every line the test expects (a stub that
     * returns a safe failure instead of stopping the VM). */
    if (r->missing_count)
        set_reason(r, "a stub ran");
    if (r->outcome == OUT_FAIL && r->missing_count) {
        char why[sizeof r->reason];
        int n = snprintf(why, sizeof why, "exercise%s", r->missing_count > 1 ? "s" : "");
        for (int i = 0; i < r->missing_count && n > 0 && (size_t)n < sizeof why; i++)
            n += snprintf(why + n, sizeof why - (size_t)n, "%s %s", i ? "," : "", r->missing[i]);
        if (n > 0 && (size_t)n < sizeof why)
            snprintf(why + n, sizeof why - (size_t)n, " not done (%s)", r->reason);
        snprintf(r->reason, sizeof r->reason, "%s", why);
    }

    if (r->outcome == OUT_FAIL)
        show_context(&o, &l, r->log, first_missing, first_missing_re, last_good);
    free_all(expect, t->expect_count);
    free_all(reject, t->reject_count);
    free_log(&l);
}
