/**
 * @file results-check.c
 * @brief results-check: judge the grader's results.json for the handout
 *        round trip (grader/handout-check).
 *
 *   results-check --lesson NN --handout [--exercises ID,ID...] RESULTS.json
 *   results-check --lesson NN --reference RESULTS.json
 *   results-check --lesson NN --only ID RESULTS.json
 *
 * --handout: graded in the lesson-NN handout, every test whose grade.spec
 * `exercises` line names an exercise of lesson NN must fail, and fail on
 * one of those stubs (its "missing_exercises", or its reason, names one);
 * every other test must earn its points or be skipped with a reason.
 * Every exercise given with --exercises must be named by some test, or
 * nothing would ever show that its stub is not the solution.
 *
 * --reference: every test earned, or skipped with a reason (full marks on
 * what could run).
 *
 * --only ID: graded (make grade EXERCISE=ID) in the reference with only
 * exercise ID stubbed (handout --exercise ID): every test graded needs ID
 * and fails naming ID itself, and ID scores "not done": its stub, alone,
 * is reached and says so.
 *
 * One line per problem, then a summary.  Exit status 0 (no problem),
 * 1 (problems), 2 (usage, or a results file that cannot be read: not
 * JSON, or without the fields the check needs).
 *
 * It reads JSON itself, with a small bounded reader, so that the check
 * needs nothing a fresh Debian lacks (no python3, no jq).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A results file bigger than this is not the grader's. */
#define JSON_MAX (64L << 20)
/* Nesting deeper than this is not the grader's either. */
#define JSON_DEPTH 64

/* ------------------------------------------------------------------------ */
/* A small JSON reader                                                      */
/* ------------------------------------------------------------------------ */

/** A JSON value. */
struct json {
    enum { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } type;
    char *str;          /* J_STRING: the decoded text */
    struct json *items; /* J_ARRAY, J_OBJECT: the elements, or the members' values */
    char **keys;        /* J_OBJECT: the members' names */
    int n;              /* elements or members */
};

struct reader {
    const char *p, *end;
    const char *error; /* the first error, with where in rd.at */
    const char *at;
};

static void skip_ws(struct reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static int bad(struct reader *r, const char *what)
{
    if (r->error == NULL) {
        r->error = what;
        r->at = r->p;
    }
    return -1;
}

static void put_utf8(char **o, unsigned c)
{
    if (c < 0x80) {
        *(*o)++ = (char)c;
    } else if (c < 0x800) {
        *(*o)++ = (char)(0xc0 | c >> 6);
        *(*o)++ = (char)(0x80 | (c & 0x3f));
    } else {
        *(*o)++ = (char)(0xe0 | c >> 12);
        *(*o)++ = (char)(0x80 | (c >> 6 & 0x3f));
        *(*o)++ = (char)(0x80 | (c & 0x3f));
    }
}

/* A string; the decoded text is never longer than the quoted one. */
static int read_string(struct reader *r, char **out)
{
    r->p++; /* the opening quote */
    const char *start = r->p;
    while (r->p < r->end && *r->p != '"')
        r->p += *r->p == '\\' ? 2 : 1;
    if (r->p >= r->end)
        return bad(r, "unterminated string");
    char *s = malloc((size_t)(r->p - start) + 1), *o = s;
    if (s == NULL)
        return bad(r, "out of memory");
    for (const char *q = start; q < r->p; q++) {
        if (*q != '\\') {
            *o++ = *q;
            continue;
        }
        q++;
        switch (*q) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'u': {
            unsigned c = 0;
            for (int i = 1; i <= 4; i++) {
                char h = q + i < r->p ? q[i] : 'x';
                int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                      : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                if (d < 0) {
                    free(s);
                    return bad(r, "bad \\u escape");
                }
                c = c * 16 + (unsigned)d;
            }
            q += 4;
            put_utf8(&o, c); /* at most 3 bytes for the 6 of "\uXXXX" */
            break;
        }
        default: *o++ = *q; break; /* \" \\ \/ */
        }
    }
    *o = '\0';
    r->p++; /* the closing quote */
    *out = s;
    return 0;
}

static int read_value(struct reader *r, struct json *v, int depth);

/* Append a value (and, for objects, its key) to v. */
static int add_item(struct reader *r, struct json *v, char *key, int depth)
{
    struct json *items = realloc(v->items, (size_t)(v->n + 1) * sizeof *items);
    if (items == NULL)
        return free(key), bad(r, "out of memory");
    v->items = items;
    if (v->type == J_OBJECT) {
        char **keys = realloc(v->keys, (size_t)(v->n + 1) * sizeof *keys);
        if (keys == NULL)
            return free(key), bad(r, "out of memory");
        v->keys = keys;
        keys[v->n] = key;
    }
    memset(&items[v->n], 0, sizeof *items);
    v->n++;
    return read_value(r, &items[v->n - 1], depth + 1);
}

static int read_value(struct reader *r, struct json *v, int depth)
{
    memset(v, 0, sizeof *v);
    if (depth > JSON_DEPTH)
        return bad(r, "nested too deep");
    skip_ws(r);
    if (r->p >= r->end)
        return bad(r, "unexpected end");
    char c = *r->p;
    if (c == '"') {
        v->type = J_STRING;
        return read_string(r, &v->str);
    }
    if (c == '[' || c == '{') {
        v->type = c == '[' ? J_ARRAY : J_OBJECT;
        char close = c == '[' ? ']' : '}';
        r->p++;
        skip_ws(r);
        if (r->p < r->end && *r->p == close) {
            r->p++;
            return 0;
        }
        for (;;) {
            char *key = NULL;
            if (v->type == J_OBJECT) {
                skip_ws(r);
                if (r->p >= r->end || *r->p != '"')
                    return bad(r, "expected a member name");
                if (read_string(r, &key) < 0)
                    return -1;
                skip_ws(r);
                if (r->p >= r->end || *r->p != ':')
                    return free(key), bad(r, "expected ':'");
                r->p++;
            }
            if (add_item(r, v, key, depth) < 0)
                return -1;
            skip_ws(r);
            if (r->p < r->end && *r->p == ',') {
                r->p++;
                continue;
            }
            if (r->p < r->end && *r->p == close) {
                r->p++;
                return 0;
            }
            return bad(r, v->type == J_ARRAY ? "expected ',' or ']'" : "expected ',' or '}'");
        }
    }
    static const struct {
        const char *word;
        int type;
    } words[] = {{"true", J_BOOL}, {"false", J_BOOL}, {"null", J_NULL}};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        size_t n = strlen(words[i].word);
        if ((size_t)(r->end - r->p) >= n && memcmp(r->p, words[i].word, n) == 0) {
            v->type = words[i].type;
            r->p += n;
            return 0;
        }
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        v->type = J_NUMBER;
        while (r->p < r->end && strchr("+-0123456789.eE", *r->p))
            r->p++;
        return 0;
    }
    return bad(r, "unexpected character");
}

static void json_free(struct json *v)
{
    free(v->str);
    for (int i = 0; i < v->n; i++) {
        json_free(&v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
}

static const struct json *member(const struct json *o, const char *name)
{
    if (o->type != J_OBJECT)
        return NULL;
    for (int i = 0; i < o->n; i++)
        if (strcmp(o->keys[i], name) == 0)
            return &o->items[i];
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* The check                                                                */
/* ------------------------------------------------------------------------ */

static const char *results_path;

static void unusable(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The results cannot be judged at all: exit 2. */
static void unusable(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "results-check: %s: ", results_path);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static int problems;

static void problem(const char *test, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(const char *test, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("results-check: PROBLEM: %s: ", test);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
    problems++;
}

/* A string member that must be there. */
static const char *need_string(const struct json *t, const char *name, const char *test)
{
    const struct json *v = member(t, name);
    if (v == NULL || v->type != J_STRING)
        unusable("test %s has no string \"%s\"", test, name);
    return v->str;
}

/* An array-of-strings member that must be there. */
static const struct json *need_ids(const struct json *t, const char *name, const char *test)
{
    const struct json *v = member(t, name);
    if (v == NULL || v->type != J_ARRAY)
        unusable("test %s has no \"%s\" list (a grader from before exercise regions?)", test, name);
    for (int i = 0; i < v->n; i++)
        if (v->items[i].type != J_STRING)
            unusable("test %s: \"%s\" holds something other than strings", test, name);
    return v;
}

static bool has_id(const struct json *ids, const char *id)
{
    for (int i = 0; i < ids->n; i++)
        if (strcmp(ids->items[i].str, id) == 0)
            return true;
    return false;
}

/* Whether text names id as a whole word ("02.a" is not in "02.ab"). */
static bool names_id(const char *text, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = text; (p = strstr(p, id)) != NULL; p++) {
        char before = p > text ? p[-1] : ' ', after = p[n];
        bool word_before = (before >= 'a' && before <= 'z') || (before >= '0' && before <= '9') || before == '.' ||
                           before == '-';
        bool word_after = (after >= 'a' && after <= 'z') || (after >= '0' && after <= '9') || after == '-';
        if (!word_before && !word_after)
            return true;
    }
    return false;
}

/* The lesson number at the start of "02-vmx" or "02.msr-allow", or -1. */
static int lesson_of(const char *s)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return -1;
    return (s[0] - '0') * 10 + (s[1] - '0');
}

static void usage(void)
{
    fprintf(stderr, "usage: results-check --lesson NN --handout [--exercises ID,ID...] RESULTS.json\n"
                    "       results-check --lesson NN --reference RESULTS.json\n"
                    "       results-check --lesson NN --only ID RESULTS.json\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int lesson = -1;
    bool handout = false, reference = false;
    char *wanted = NULL;
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--handout") == 0)
            handout = true;
        else if (strcmp(argv[i], "--reference") == 0)
            reference = true;
        else if (i + 1 < argc && strcmp(argv[i], "--lesson") == 0)
            lesson = strlen(argv[++i]) == 2 ? lesson_of(argv[i]) : -1;
        else if (i + 1 < argc && strcmp(argv[i], "--exercises") == 0)
            wanted = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--only") == 0)
            only = argv[++i], handout = true;
        else if (argv[i][0] != '-' && results_path == NULL)
            results_path = argv[i];
        else
            usage();
    }
    if (lesson < 1 || handout == reference || results_path == NULL || (reference && wanted) ||
        (only && (wanted || lesson_of(only) != lesson)))
        usage();

    FILE *f = fopen(results_path, "rb");
    if (f == NULL)
        unusable("cannot open (did the grader finish?)");
    size_t cap = 1 << 16, len = 0, got;
    char *text = malloc(cap);
    while (text && (got = fread(text + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len > (size_t)JSON_MAX)
            unusable("bigger than %ld MiB", JSON_MAX >> 20);
        if (len == cap) {
            char *p = realloc(text, cap *= 2);
            if (p == NULL)
                free(text);
            text = p;
        }
    }
    if (text == NULL)
        unusable("out of memory");
    fclose(f);
    struct reader rd = {text, text + len, NULL, NULL};
    struct json root;
    if (read_value(&rd, &root, 0) == 0) {
        skip_ws(&rd);
        if (rd.p != rd.end)
            bad(&rd, "text after the JSON value");
    }
    if (rd.error)
        unusable("not JSON: %s at byte %ld", rd.error, (long)(rd.at - text));
    const struct json *tests = member(&root, "tests");
    if (tests == NULL || tests->type != J_ARRAY)
        unusable("no \"tests\" list");
    if (tests->n == 0)
        unusable("\"tests\" is empty: the grader graded nothing");

    int earned = 0, skipped = 0, failed_right = 0, expected = 0;
    for (int i = 0; i < tests->n; i++) {
        const struct json *t = &tests->items[i];
        if (t->type != J_OBJECT)
            unusable("an entry of \"tests\" is not an object");
        char name[200];
        const struct json *tn = member(t, "test");
        snprintf(name, sizeof name, "%s/%s", need_string(t, "lesson", "?"),
                 tn && tn->type == J_STRING ? tn->str : "?");
        const char *verdict = need_string(t, "verdict", name);
        const char *reason = need_string(t, "reason", name);
        bool is_earned = strcmp(verdict, "earned") == 0, is_skipped = strcmp(verdict, "skipped") == 0;
        if (!is_earned && !is_skipped && strcmp(verdict, "failed") != 0)
            unusable("test %s: unknown verdict \"%s\"", name, verdict);
        if (is_skipped && reason[0] == '\0')
            problem(name, "skipped without a reason");

        if (reference) {
            if (is_earned)
                earned++;
            else if (is_skipped)
                skipped++;
            else
                problem(name, "failed with the reference solution laid back: %s", reason);
            continue;
        }

        /* The lesson's exercises this test needs. */
        const struct json *ex = need_ids(t, "exercises", name);
        const struct json *missing = need_ids(t, "missing_exercises", name);
        char needs[512] = "";
        const char *named = NULL;
        for (int k = 0; k < ex->n; k++) {
            const char *id = ex->items[k].str;
            if (lesson_of(id) != lesson)
                continue;
            snprintf(needs + strlen(needs), sizeof needs - strlen(needs), "%s%s", needs[0] ? ", " : "", id);
            if (named == NULL && (has_id(missing, id) || names_id(reason, id)))
                named = id;
        }
        if (only && !has_id(ex, only)) {
            problem(name, "graded, but it does not need %s (was the grader run with EXERCISE=%s?)", only, only);
            continue;
        }
        if (only && !is_earned && !is_skipped && !has_id(missing, only) && !names_id(reason, only)) {
            problem(name, "failed, but without naming %s, the only stub: %s", only, reason);
            continue;
        }
        if (needs[0]) {
            expected++;
            if (is_earned)
                problem(name, "earned its points although it needs %s, which the handout leaves as a stub", needs);
            else if (is_skipped)
                skipped++, printf("results-check: note: %s needs %s but was skipped: %s\n", name, needs, reason);
            else if (named == NULL)
                problem(name, "failed, but not on the stub of %s: %s", needs, reason);
            else
                failed_right++;
        } else if (is_earned) {
            earned++;
        } else if (is_skipped) {
            skipped++;
        } else {
            problem(name, "failed in the handout, and it needs no lesson-%02d exercise: %s", lesson, reason);
        }
    }

    /* Every exercise of the lesson is needed by some test. */
    for (char *id = wanted ? strtok(wanted, ",") : NULL; id; id = strtok(NULL, ",")) {
        bool found = false;
        for (int i = 0; i < tests->n && !found; i++)
            found = has_id(member(&tests->items[i], "exercises"), id);
        if (!found)
            problem(id, "no graded test needs it (no grade.spec 'exercises' line names it): nothing shows its stub "
                        "is not the solution");
    }
    /* Each exercise of the lesson, as the grader scored it: in the handout
     * its stub announced itself ("not done"), or its tests stopped first on
     * another stub ("blocked"); with the solutions it is earned (or
     * untested where its tests were skipped). */
    const struct json *exs = member(&root, "exercises");
    if (exs == NULL || exs->type != J_ARRAY)
        unusable("no \"exercises\" list (a grader from before exercise regions?)");
    for (int i = 0; i < exs->n; i++) {
        const struct json *e = &exs->items[i];
        const char *id = need_string(e, "id", "exercises");
        if (lesson_of(id) != lesson)
            continue;
        const char *v = need_string(e, "verdict", id);
        if (only) {
            if (strcmp(id, only) == 0 && strcmp(v, "not done") != 0)
                problem(id, "its stub alone scored \"%s\", not \"not done\": is it reached, and does it call "
                            "EXERCISE_TODO()?", v);
            continue;
        }
        if (handout && strcmp(v, "not done") != 0 && strcmp(v, "blocked") != 0)
            problem(id, "the handout's stub of it scored \"%s\", not \"not done\": does the stub call "
                        "EXERCISE_TODO()?", v);
        if (reference && strcmp(v, "earned") != 0 && !(skipped && strcmp(v, "untested") == 0))
            problem(id, "scored \"%s\" with the reference solution laid back", v);
    }

    if (only) {
        bool scored = false;
        for (int i = 0; i < exs->n && !scored; i++)
            scored = strcmp(need_string(&exs->items[i], "id", "exercises"), only) == 0;
        if (!scored)
            problem(only, "not in the grader's exercise table (graded with EXERCISE=%s?)", only);
    }
    if (handout && expected > 0 && failed_right == 0)
        problem("handout", "none of the %d tests that need a lesson-%02d exercise ran", expected, lesson);

    if (reference)
        printf("results-check: lesson %02d reference: %d tests: %d earned, %d skipped; %d problems\n", lesson,
               tests->n, earned, skipped, problems);
    else
        printf("results-check: lesson %02d handout: %d tests: %d failed on their exercise stubs as they should, "
               "%d earned, %d skipped; %d problems\n",
               lesson, tests->n, failed_right, earned, skipped, problems);
    json_free(&root);
    free(text);
    return problems ? 1 : 0;
}
