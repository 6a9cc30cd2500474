/**
 * @file spec.c
 * @brief Parser for lessons/NN-x/grade.spec.
 *
 * The format is line based; '#' starts a comment (at the start of a line
 * or after blank space; a regex that needs '#' writes it as [#]):
 *
 *     test NAME
 *       part PART
 *       points N
 *       cmdline KERNEL OPTIONS...
 *       module PATH[:ARGS]          (repeatable)
 *       engines ENGINE...           (any of engine_names; none = every engine)
 *       requires none|virt|vmx|svm
 *       skip ENGINE REASON...       (repeatable: a known emulator limit;
 *                                    reported as SKIP with REASON)
 *       exercises ID...             (the exercises the test needs,
 *                                    docs/exercises.md; lesson <= the test's)
 *       timeout SECONDS
 *       exit pass|fail|any          (any: either, Spectrum's own end judged by expect lines)
 *       expect REGEX                (repeatable, matched in order)
 *       reject REGEX                (repeatable)
 *     end
 *
 * An expect or reject REGEX may name a file: @{PATH} (PATH relative to
 * the repository root, no '}' in it) stands for the first line of that
 * file, regex-escaped, read when the run is judged - a value computed on
 * the host by a make rule the lesson adds to GRADE_PREREQS_NN, e.g.
 *
 *       expect ^virtio-blk: linux: image [0-9]+ bytes, cksum @{build/linux/blk-linux.cksum},
 *
 * A missing or empty file fails the test and names the file.
 */
#include <ctype.h>
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grader.h"

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* Strip a comment: '#' at the start or preceded by blank space. */
static void strip_comment(char *s)
{
    for (char *p = s; *p; p++)
        if (*p == '#' && (p == s || isspace((unsigned char)p[-1]))) {
            *p = '\0';
            return;
        }
}

static int fail(const char *path, int line, const char *msg, const char *arg)
{
    fprintf(stderr, "%s:%d: %s%s%s\n", path, line, msg, arg ? ": " : "", arg ? arg : "");
    return -1;
}

static int copy(char *dst, size_t cap, const char *src, const char *path, int line)
{
    if (strlen(src) >= cap)
        return fail(path, line, "value too long", src);
    strcpy(dst, src);
    return 0;
}

/* @{PATH} references (spec_file_refs) checked, and replaced by a literal
 * for compiling: the file's value is only known when the run is judged. */
static int add_regex(char **list, int *count, const char *re, const char *path, int line)
{
    if (*count == MAX_PATTERNS)
        return fail(path, line, "too many patterns", NULL);
    char probe[1024];
    size_t n = 0;
    for (const char *p = re; *p; p++) {
        if (p[0] == '@' && p[1] == '{') {
            const char *end = strchr(p + 2, '}');
            if (!end || end == p + 2)
                return fail(path, line, "@{ needs a file name and a closing }", re);
            p = end;
            if (n < sizeof probe - 1)
                probe[n++] = 'x';
        } else if (n < sizeof probe - 1) {
            probe[n++] = *p;
        }
    }
    probe[n] = '\0';
    regex_t rx;
    int rc = regcomp(&rx, probe, REG_EXTENDED | REG_NOSUB);
    if (rc) {
        char msg[128];
        regerror(rc, &rx, msg, sizeof msg);
        fprintf(stderr, "%s:%d: bad regex '%s': %s\n", path, line, re, msg);
        return -1;
    }
    regfree(&rx);
    list[(*count)++] = strdup(re);
    return 0;
}

bool test_wants_engine(const struct test *t, const char *name)
{
    if (t->engine_count == 0)
        return true;
    for (int i = 0; i < t->engine_count; i++)
        if (strcmp(t->engines[i], name) == 0)
            return true;
    return false;
}

int spec_parse(const char *path, const char *lesson, struct test **tests, int *count)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    char buf[1024];
    int line = 0, rc = 0;
    struct test *t = NULL;

    while (rc == 0 && fgets(buf, sizeof buf, f)) {
        line++;
        if (!strchr(buf, '\n') && !feof(f)) {
            rc = fail(path, line, "line too long", NULL);
            break;
        }
        strip_comment(buf);
        char *s = trim(buf);
        if (!*s)
            continue;
        char *arg = s;
        while (*arg && !isspace((unsigned char)*arg))
            arg++;
        if (*arg)
            *arg++ = '\0';
        arg = trim(arg);

        if (strcmp(s, "test") == 0) {
            if (t)
                rc = fail(path, line, "'test' inside a test (missing 'end')", NULL);
            else if (!*arg)
                rc = fail(path, line, "'test' needs a name", NULL);
            else {
                *tests = realloc(*tests, sizeof **tests * (size_t)(*count + 1));
                t = &(*tests)[*count];
                memset(t, 0, sizeof *t);
                rc = copy(t->name, sizeof t->name, arg, path, line);
                snprintf(t->lesson, sizeof t->lesson, "%s", lesson);
                snprintf(t->stage, sizeof t->stage, "%.2s", lesson);
                strcpy(t->part, "main");
                t->points = 1;
                t->timeout = 60;
                t->exit = WANT_PASS;
                t->file = path;
                t->line = line;
            }
            continue;
        }
        if (!t) {
            rc = fail(path, line, "keyword outside a test block", s);
            break;
        }
        if (strcmp(s, "end") == 0) {
            if (!t->cmdline[0])
                rc = fail(path, t->line, "test has no 'cmdline'", t->name);
            else if (t->expect_count == 0)
                rc = fail(path, t->line, "test has no 'expect': it could never fail on output", t->name);
            else
                (*count)++;
            t = NULL;
        } else if (strcmp(s, "part") == 0) {
            rc = copy(t->part, sizeof t->part, arg, path, line);
        } else if (strcmp(s, "points") == 0) {
            char *e;
            long v = strtol(arg, &e, 10);
            if (*e || v < 0 || v > 1000)
                rc = fail(path, line, "points must be 0..1000", arg);
            t->points = (int)v;
        } else if (strcmp(s, "timeout") == 0) {
            char *e;
            long v = strtol(arg, &e, 10);
            if (*e || v < 1 || v > 3600)
                rc = fail(path, line, "timeout must be 1..3600 seconds", arg);
            t->timeout = (int)v;
        } else if (strcmp(s, "cmdline") == 0) {
            rc = copy(t->cmdline, sizeof t->cmdline, arg, path, line);
        } else if (strcmp(s, "module") == 0) {
            if (t->module_count == MAX_MODULES)
                rc = fail(path, line, "too many modules", NULL);
            else
                rc = copy(t->module[t->module_count++], sizeof t->module[0], arg, path, line);
        } else if (strcmp(s, "engines") == 0) {
            for (char *w = strtok(arg, " \t"); w && rc == 0; w = strtok(NULL, " \t")) {
                if (!engine_known(w)) {
                    char known[128] = "";
                    for (int i = 0; engine_names[i]; i++)
                        snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? " " : "",
                                 engine_names[i]);
                    fprintf(stderr, "%s:%d: unknown engine: %s (known engines: %s)\n", path, line, w, known);
                    rc = -1;
                }
                else if (t->engine_count == MAX_ENGINES)
                    rc = fail(path, line, "too many engines", w);
                else
                    strcpy(t->engines[t->engine_count++], w);
            }
        } else if (strcmp(s, "exercises") == 0) {
            for (char *w = strtok(arg, " \t"); w && rc == 0; w = strtok(NULL, " \t")) {
                if (!exercise_id_valid(w))
                    rc = fail(path, line, "exercises: an id is NN.name, name of a-z 0-9 and -", w);
                else if (strncmp(w, t->stage, 2) > 0)
                    rc = fail(path, line, "exercises: a test cannot need an exercise of a later lesson", w);
                else if (t->exercise_count == MAX_EXERCISES)
                    rc = fail(path, line, "too many exercises", w);
                else
                    exercise_set_add(t->exercises, &t->exercise_count, w);
            }
        } else if (strcmp(s, "skip") == 0) {
            char *why = arg + strcspn(arg, " \t");
            if (*why)
                *why++ = '\0';
            while (*why == ' ' || *why == '\t')
                why++;
            if (!engine_known(arg))
                rc = fail(path, line, "skip: unknown engine", arg);
            else if (!*why)
                rc = fail(path, line, "skip needs a reason after the engine", arg);
            else if (t->skip_count == MAX_ENGINES)
                rc = fail(path, line, "too many skip lines", arg);
            else {
                snprintf(t->skip_engine[t->skip_count], sizeof t->skip_engine[0], "%s", arg);
                rc = copy(t->skip_why[t->skip_count], sizeof t->skip_why[0], why, path, line);
                t->skip_count++;
            }
        } else if (strcmp(s, "requires") == 0) {
            if (strcmp(arg, "none") == 0) t->requires = REQ_NONE;
            else if (strcmp(arg, "virt") == 0) t->requires = REQ_VIRT;
            else if (strcmp(arg, "vmx") == 0) t->requires = REQ_VMX;
            else if (strcmp(arg, "svm") == 0) t->requires = REQ_SVM;
            else rc = fail(path, line, "requires: none, virt, vmx or svm", arg);
        } else if (strcmp(s, "exit") == 0) {
            if (strcmp(arg, "pass") == 0) t->exit = WANT_PASS;
            else if (strcmp(arg, "fail") == 0) t->exit = WANT_FAIL;
            else if (strcmp(arg, "any") == 0) t->exit = WANT_ANY;
            else rc = fail(path, line, "exit: pass, fail or any", arg);
        } else if (strcmp(s, "expect") == 0) {
            rc = add_regex(t->expect, &t->expect_count, arg, path, line);
        } else if (strcmp(s, "reject") == 0) {
            rc = add_regex(t->reject, &t->reject_count, arg, path, line);
        } else {
            rc = fail(path, line, "unknown keyword", s);
        }
    }
    if (rc == 0 && t)
        rc = fail(path, t->line, "test not closed with 'end'", t->name);
    fclose(f);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int lessons_find(char ***out)
{
    DIR *d = opendir("lessons");
    if (!d)
        return 0;
    int n = 0;
    char **v = NULL;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *s = e->d_name;
        if (s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] == '-') {
            v = realloc(v, sizeof *v * (size_t)(n + 1));
            v[n++] = strdup(s);
        }
    }
    closedir(d);
    qsort(v, (size_t)n, sizeof *v, cmp_str);
    *out = v;
    return n;
}

bool test_needs_exercise(const struct test *t, const char *id)
{
    for (int i = 0; i < t->exercise_count; i++)
        if (strcmp(t->exercises[i], id) == 0)
            return true;
    return false;
}

void exercise_set_add(char set[][EXERCISE_ID_MAX], int *count, const char *id)
{
    for (int i = 0; i < *count; i++)
        if (strcmp(set[i], id) == 0)
            return;
    if (*count < MAX_EXERCISES)
        snprintf(set[(*count)++], EXERCISE_ID_MAX, "%s", id);
}

int spec_check_exercises(const struct test *tests, int ntests, const char *stage, const struct exercise_info *ex,
                         int nex)
{
    int rc = 0;
    for (int i = 0; i < ntests; i++) {
        const struct test *t = &tests[i];
        if (strcmp(t->stage, stage) > 0)
            continue;
        for (int k = 0; k < t->exercise_count; k++) {
            bool known = false;
            for (int e = 0; e < nex && !known; e++)
                known = strcmp(ex[e].id, t->exercises[k]) == 0;
            if (!known) {
                fprintf(stderr, "%s:%d: test %s needs exercise %s, but no source file has an EXERCISE %s marker\n",
                        t->file, t->line, t->name, t->exercises[k], t->exercises[k]);
                rc = -1;
            }
        }
    }
    for (int e = 0; e < nex; e++) {
        bool needed = false;
        for (int i = 0; i < ntests && !needed; i++)
            for (int k = 0; k < tests[i].exercise_count && !needed; k++)
                needed = strcmp(tests[i].exercises[k], ex[e].id) == 0;
        if (!needed) {
            fprintf(stderr, "%s: exercise %s: no test lists it in 'exercises', so nothing could say it is done\n",
                    ex[e].where, ex[e].id);
            rc = -1;
        }
    }
    return rc;
}
