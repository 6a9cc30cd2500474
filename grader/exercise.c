/**
 * @file exercise.c
 * @brief Exercise regions: one line-by-line reader of the convention in
 *        docs/exercises.md, used to scan, to transform and to find the
 *        solution lines a handout must not contain; and the Markdown
 *        lesson gates.
 *
 * Everything works on (pointer, length) text with no length limit on a
 * line: files are read whole, lines are views into them, and output goes
 * to buffers that grow.  Only names and hints, which end up in fixed-size
 * fields of struct exercise_marker, are bounded, and a longer one is an
 * error rather than a silent truncation.
 */
#include "exercise.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A file bigger than this is not source code: refuse it rather than
 * reading it into memory. */
#define SCAN_FILE_MAX (64L << 20)
/* Deeper folders than this under a scanned directory mean a loop or a
 * mistake, not a lesson. */
#define SCAN_DEPTH_MAX 32

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */
/* ------------------------------------------------------------------------ */

static int fail(char *err, size_t errcap, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Write "file:line: message" (or "file: message" for line 0) into err. */
static int fail(char *err, size_t errcap, const char *file, int line, const char *fmt, ...)
{
    if (err == NULL || errcap == 0)
        return -1;
    int n = line > 0 ? snprintf(err, errcap, "%s:%d: ", file ? file : "?", line)
                     : snprintf(err, errcap, "%s: ", file ? file : "?");
    if (n >= 0 && (size_t)n < errcap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + n, errcap - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/** A byte buffer that grows; a failed allocation is remembered, not fatal. */
struct buf {
    char *p;
    size_t len, cap;
    bool nomem;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->nomem)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (p == NULL) {
            b->nomem = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

/* Hand the buffer's text to the caller (an empty text is still a string). */
static int buf_give(struct buf *b, char **out, size_t *outlen, const char *file, char *err, size_t errcap)
{
    buf_add(b, "", 0);
    if (b->nomem) {
        free(b->p);
        return fail(err, errcap, file, 0, "out of memory");
    }
    *out = b->p;
    *outlen = b->len;
    return 0;
}

/* memmem() is a GNU extension; this is the portable few lines of it. */
static const char *find_bytes(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    if (nlen == 0)
        return hay;
    const char *end = hay + hlen;
    for (const char *p = hay; (size_t)(end - p) >= nlen; p++) {
        p = memchr(p, needle[0], (size_t)(end - p) - nlen + 1);
        if (p == NULL)
            return NULL;
        if (memcmp(p, needle, nlen) == 0)
            return p;
    }
    return NULL;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/** One line of a text: its bytes without the '\n', and with it. */
struct line {
    const char *p;   /* first byte */
    size_t len;      /* bytes before the '\n' (or the end of the text) */
    size_t full;     /* len, plus one when a '\n' ends the line */
    int no;          /* line number, from 1 */
};

/* Step to the next line of text; false at the end. */
static bool next_line(const char *text, size_t len, size_t *pos, struct line *l)
{
    if (*pos >= len)
        return false;
    const char *p = text + *pos;
    const char *nl = memchr(p, '\n', len - *pos);
    l->p = p;
    l->len = nl ? (size_t)(nl - p) : len - *pos;
    l->full = l->len + (nl ? 1 : 0);
    l->no++;
    *pos += l->full;
    return true;
}

/* The line without leading and trailing blanks (and '\r'). */
static void trim(const char **p, size_t *n)
{
    while (*n > 0 && is_blank(**p))
        (*p)++, (*n)--;
    while (*n > 0 && is_blank((*p)[*n - 1]))
        (*n)--;
}

/** A cursor over one trimmed line, for reading a marker word by word. */
struct cur {
    const char *p, *end;
};

static size_t skip_blanks(struct cur *c)
{
    size_t n = 0;
    while (c->p < c->end && is_blank(*c->p))
        c->p++, n++;
    return n;
}

/* Consume word w if the line continues with it. */
static bool eat(struct cur *c, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
        return false;
    c->p += n;
    return true;
}

/* Consume keyword w when it is a whole word (followed by a blank or the end). */
static bool eat_word(struct cur *c, const char *w)
{
    struct cur save = *c;
    if (eat(c, w) && (c->p == c->end || is_blank(*c->p)))
        return true;
    *c = save;
    return false;
}

static bool at_end(struct cur *c)
{
    skip_blanks(c);
    return c->p == c->end;
}

/* The next run of non-blank bytes, up to a comment's end: an id or
 * points may touch the closing star-slash. */
static void token(struct cur *c, const char **t, size_t *n)
{
    *t = c->p;
    while (c->p < c->end && !is_blank(*c->p) && !(*c->p == '*' && c->p + 1 < c->end && c->p[1] == '/'))
        c->p++;
    *n = (size_t)(c->p - *t);
}

/* ------------------------------------------------------------------------ */
/* Markers                                                                  */
/* ------------------------------------------------------------------------ */

enum exercise_syntax exercise_syntax_of(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strcmp(base, "Makefile") == 0)
        return EXERCISE_SYNTAX_MAKE;
    const char *dot = strrchr(base, '.');
    if (dot == NULL || dot == base)
        return EXERCISE_SYNTAX_NONE;
    if (strcmp(dot, ".c") == 0 || strcmp(dot, ".h") == 0 || strcmp(dot, ".S") == 0)
        return EXERCISE_SYNTAX_C;
    if (strcmp(dot, ".mk") == 0)
        return EXERCISE_SYNTAX_MAKE;
    return EXERCISE_SYNTAX_NONE;
}

/** What a line is, as far as the convention goes. */
enum marker_kind { MK_NONE, MK_OPEN, MK_CLOSE, MK_STUB, MK_STUB_END };

/* The marker forms, for error messages. */
static const char *form_open(enum exercise_syntax s)
{
    return s == EXERCISE_SYNTAX_C ? "/* EXERCISE NN.name POINTS \"HINT\" */" : "# EXERCISE NN.name POINTS \"HINT\"";
}

static const char *form_close(enum exercise_syntax s)
{
    return s == EXERCISE_SYNTAX_C ? "/* END EXERCISE NN.name */" : "# END EXERCISE NN.name";
}

/*
 * Recognise a marker line by its first words, loosely enough that a
 * mistyped marker is reported instead of silently being treated as code:
 * C comments opening with EXERCISE, END EXERCISE or STUB, a line opening
 * with STUB END, and the same words after '#' in make syntax.  On a
 * marker, *c is left just after its keywords.  A STUB or STUB END line
 * with anything else on it is an error (-1).
 */
static int classify(enum exercise_syntax syn, const struct line *l, struct cur *c, const char *file, char *err,
                    size_t errcap)
{
    const char *p = l->p;
    size_t n = l->len;
    trim(&p, &n);
    c->p = p;
    c->end = p + n;
    const char *stub = syn == EXERCISE_SYNTAX_C ? "/* STUB" : "# STUB";
    const char *stub_end = syn == EXERCISE_SYNTAX_C ? "STUB END */" : "# STUB END";

    if (syn == EXERCISE_SYNTAX_C) {
        /* the line that ends a stub block; not an assembler macro called STUB */
        struct cur save = *c;
        if (eat_word(c, "STUB") && skip_blanks(c) && eat(c, "END") &&
            (c->p == c->end || is_blank(*c->p) || *c->p == '*')) {
            skip_blanks(c);
            if (eat(c, "*/") && at_end(c))
                return MK_STUB_END;
            return fail(err, errcap, file, l->no, "malformed stub marker: the stub block ends with a line '%s'",
                        stub_end);
        }
        *c = save;
    }
    if (!eat(c, syn == EXERCISE_SYNTAX_C ? "/*" : "#"))
        return MK_NONE;
    skip_blanks(c);
    if (eat_word(c, "EXERCISE"))
        return MK_OPEN;
    struct cur save = *c;
    if (eat_word(c, "END")) {
        skip_blanks(c);
        if (eat_word(c, "EXERCISE"))
            return MK_CLOSE;
        *c = save;
        return MK_NONE; /* "# END of the list": an ordinary comment */
    }
    if (eat_word(c, "STUB")) {
        if (at_end(c))
            return MK_STUB;
        if (syn == EXERCISE_SYNTAX_MAKE && eat_word(c, "END") && at_end(c))
            return MK_STUB_END;
        return fail(err, errcap, file, l->no, "malformed stub marker: want a line '%s' alone, and '%s' to end it",
                    stub, stub_end);
    }
    return MK_NONE;
}

/* NN.name: two digits (not 00), a dot, then a-z 0-9 and '-'. */
static bool valid_id(const char *t, size_t n)
{
    if (n < 4 || n >= EXERCISE_ID_MAX)
        return false;
    if (t[0] < '0' || t[0] > '9' || t[1] < '0' || t[1] > '9' || t[2] != '.')
        return false;
    if (t[0] == '0' && t[1] == '0')
        return false;
    for (size_t i = 3; i < n; i++)
        if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' && t[i] <= '9') || t[i] == '-'))
            return false;
    return true;
}

bool exercise_id_valid(const char *id)
{
    return valid_id(id, strlen(id));
}

static int bad_id(const char *t, size_t n, const char *file, int line, char *err, size_t errcap)
{
    return fail(err, errcap, file, line,
                "bad exercise id '%.*s': want NN.name, NN the lesson's two digits, name of a-z 0-9 '-', "
                "at most %d characters",
                (int)(n > 60 ? 60 : n), t, EXERCISE_ID_MAX - 1);
}

/* Read the rest of an opening marker: ID POINTS "HINT" [*\/]. */
static int parse_open(enum exercise_syntax syn, struct cur *c, const char *file, int line, struct exercise_marker *m,
                      char *err, size_t errcap)
{
    const char *t;
    size_t n;
    memset(m, 0, sizeof *m);
    if (strlen(file) >= sizeof m->file)
        return fail(err, errcap, file, line, "file name longer than %d characters", EXERCISE_FILE_MAX - 1);
    strcpy(m->file, file);
    m->line = line;

    skip_blanks(c);
    token(c, &t, &n);
    if (n == 0)
        return fail(err, errcap, file, line, "malformed EXERCISE line: want %s", form_open(syn));
    if (!valid_id(t, n))
        return bad_id(t, n, file, line, err, errcap);
    memcpy(m->id, t, n);
    m->lesson = (t[0] - '0') * 10 + (t[1] - '0');

    skip_blanks(c);
    token(c, &t, &n);
    int points = 0;
    bool digits = n > 0 && n <= 4 && t[0] != '0';
    for (size_t i = 0; digits && i < n; i++) {
        digits = t[i] >= '0' && t[i] <= '9';
        points = points * 10 + (t[i] - '0');
    }
    if (!digits || points < 1 || points > EXERCISE_POINTS_MAX)
        return fail(err, errcap, file, line, "bad points '%.*s' for %s: want a whole number from 1 to %d",
                    (int)(n > 20 ? 20 : n), t, m->id, EXERCISE_POINTS_MAX);
    m->points = points;

    skip_blanks(c);
    if (!eat(c, "\""))
        return fail(err, errcap, file, line, "the hint of %s must follow its points, in double quotes: %s", m->id,
                    form_open(syn));
    const char *h = c->p;
    const char *q = memchr(h, '"', (size_t)(c->end - h));
    if (q == NULL)
        return fail(err, errcap, file, line, "the hint of %s has no closing '\"' on this line", m->id);
    size_t hn = (size_t)(q - h);
    if (hn == 0)
        return fail(err, errcap, file, line, "the hint of %s is empty: name what to do and the manual section",
                    m->id);
    if (hn >= sizeof m->hint)
        return fail(err, errcap, file, line, "the hint of %s is %zu characters long; at most %d", m->id, hn,
                    EXERCISE_HINT_MAX - 1);
    /* The handout pastes the hint into a C string literal. */
    if (memchr(h, '\\', hn))
        return fail(err, errcap, file, line, "the hint of %s contains a backslash (it becomes a C string)", m->id);
    memcpy(m->hint, h, hn);
    c->p = q + 1;
    skip_blanks(c);
    if (syn == EXERCISE_SYNTAX_C && !eat(c, "*/"))
        return fail(err, errcap, file, line, "malformed EXERCISE line for %s: want %s (a '\"' inside the hint?)",
                    m->id, form_open(syn));
    if (!at_end(c))
        return fail(err, errcap, file, line, "text after the EXERCISE marker of %s: want %s", m->id,
                    form_open(syn));
    return 0;
}

/* Read the rest of a closing marker: ID [*\/]. */
static int parse_close(enum exercise_syntax syn, struct cur *c, const char *file, int line, char *id, char *err,
                       size_t errcap)
{
    const char *t;
    size_t n;
    skip_blanks(c);
    token(c, &t, &n);
    if (n == 0)
        return fail(err, errcap, file, line, "malformed END EXERCISE line: want %s", form_close(syn));
    if (!valid_id(t, n))
        return bad_id(t, n, file, line, err, errcap);
    memcpy(id, t, n);
    id[n] = '\0';
    skip_blanks(c);
    if ((syn == EXERCISE_SYNTAX_C && !eat(c, "*/")) || !at_end(c))
        return fail(err, errcap, file, line, "malformed END EXERCISE line for %s: want %s", id, form_close(syn));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The reader: one pass over a file, one call per line                      */
/* ------------------------------------------------------------------------ */

/** What a line is within the convention. */
enum line_kind {
    LK_TEXT,       /* outside every region */
    LK_OPEN,       /* EXERCISE marker */
    LK_SOLUTION,   /* inside a region, outside its stub */
    LK_STUB_OPEN,  /* STUB */
    LK_STUB,       /* a stub line */
    LK_STUB_CLOSE, /* STUB END */
    LK_CLOSE,      /* END EXERCISE marker */
};

/* Called for every line; region is the enclosing region (NULL for LK_TEXT).
 * Returns 0, -1 when out of memory, or -2 after writing err. */
typedef int (*line_fn)(void *arg, enum line_kind kind, const struct exercise_marker *region, const struct line *l);

/** A growing array of markers. */
struct mvec {
    struct exercise_marker *m;
    int n, cap;
};

static int mvec_push(struct mvec *v, const struct exercise_marker *m)
{
    if (v->n == v->cap) {
        int cap = v->cap ? v->cap * 2 : 16;
        struct exercise_marker *p = realloc(v->m, (size_t)cap * sizeof *p);
        if (p == NULL)
            return -1;
        v->m = p;
        v->cap = cap;
    }
    v->m[v->n++] = *m;
    return 0;
}

static int agree(const struct exercise_marker *a, const struct exercise_marker *b, char *err, size_t errcap)
{
    if (strcmp(a->id, b->id) != 0)
        return 0;
    if (a->points != b->points)
        return fail(err, errcap, b->file, b->line, "exercise %s is worth %d points here but %d at %s:%d", b->id,
                    b->points, a->points, a->file, a->line);
    if (strcmp(a->hint, b->hint) != 0)
        return fail(err, errcap, b->file, b->line, "exercise %s has another hint here than at %s:%d", b->id,
                    a->file, a->line);
    return 0;
}

int exercise_check_agree(const struct exercise_marker *m, int n, char *err, size_t errcap)
{
    for (int j = 1; j < n; j++)
        for (int i = 0; i < j; i++)
            if (agree(&m[i], &m[j], err, errcap) < 0)
                return -1;
    return 0;
}

/* A stub line as the reference writes it must be one the handout can
 * uncomment: in C nothing may end the comment early; in make every
 * non-blank line must be a comment. */
static int check_stub_line(enum exercise_syntax syn, const struct line *l, int stub_at, const char *file,
                           char *err, size_t errcap)
{
    if (syn == EXERCISE_SYNTAX_C) {
        if (find_bytes(l->p, l->len, "*/", 2))
            return fail(err, errcap, file, l->no, "'*/' in the stub block opened at line %d ends its comment early",
                        stub_at);
        return 0;
    }
    const char *p = l->p;
    size_t n = l->len;
    trim(&p, &n);
    if (n > 0 && p[0] != '#')
        return fail(err, errcap, file, l->no,
                    "stub line is not a comment: in a make fragment every stub line starts with '#'");
    return 0;
}

/*
 * Read one file: check every rule of the convention, collect the regions'
 * opening markers into *mv, and call fn for each line (fn may be NULL).
 */
static int read_regions(const char *text, size_t len, const char *file, enum exercise_syntax syn, line_fn fn,
                        void *arg, struct mvec *mv, char *err, size_t errcap)
{
    struct line l = {0};
    size_t pos = 0;
    bool in_region = false, in_stub = false;
    int stubs = 0, stub_at = 0;
    struct exercise_marker cur = {0};
    char id[EXERCISE_ID_MAX];

    while (next_line(text, len, &pos, &l)) {
        enum line_kind kind;
        struct cur c;
        int mk = syn == EXERCISE_SYNTAX_NONE ? MK_NONE : classify(syn, &l, &c, file, err, errcap);
        if (mk < 0)
            return -1;
        if (in_stub) {
            switch (mk) {
            case MK_STUB_END:
                in_stub = false;
                kind = LK_STUB_CLOSE;
                break;
            case MK_OPEN:
                return fail(err, errcap, file, l.no, "EXERCISE inside the stub block opened at line %d: STUB END missing",
                            stub_at);
            case MK_CLOSE:
                return fail(err, errcap, file, l.no,
                            "END EXERCISE inside the stub block opened at line %d: the stub block is not closed (STUB END)",
                            stub_at);
            case MK_STUB:
                return fail(err, errcap, file, l.no, "STUB inside the stub block opened at line %d", stub_at);
            default:
                if (check_stub_line(syn, &l, stub_at, file, err, errcap) < 0)
                    return -1;
                kind = LK_STUB;
            }
        } else if (in_region) {
            switch (mk) {
            case MK_OPEN:
                return fail(err, errcap, file, l.no, "EXERCISE inside region %s opened at line %d: regions do not nest",
                            cur.id, cur.line);
            case MK_CLOSE:
                if (parse_close(syn, &c, file, l.no, id, err, errcap) < 0)
                    return -1;
                if (strcmp(id, cur.id) != 0)
                    return fail(err, errcap, file, l.no, "END EXERCISE %s closes region %s opened at line %d", id,
                                cur.id, cur.line);
                in_region = false;
                kind = LK_CLOSE;
                break;
            case MK_STUB:
                if (stubs > 0)
                    return fail(err, errcap, file, l.no, "second STUB block in region %s (the first opens at line %d)",
                                cur.id, stub_at);
                in_stub = true;
                stubs++;
                stub_at = l.no;
                kind = LK_STUB_OPEN;
                break;
            case MK_STUB_END:
                return fail(err, errcap, file, l.no, "STUB END without STUB in region %s", cur.id);
            default:
                kind = LK_SOLUTION;
            }
        } else {
            switch (mk) {
            case MK_OPEN:
                if (parse_open(syn, &c, file, l.no, &cur, err, errcap) < 0)
                    return -1;
                for (int i = 0; i < mv->n; i++)
                    if (agree(&mv->m[i], &cur, err, errcap) < 0)
                        return -1;
                if (mvec_push(mv, &cur) < 0)
                    return fail(err, errcap, file, l.no, "out of memory");
                in_region = true;
                stubs = 0;
                kind = LK_OPEN;
                break;
            case MK_CLOSE:
                return fail(err, errcap, file, l.no, "END EXERCISE outside any exercise region");
            case MK_STUB:
                return fail(err, errcap, file, l.no, "STUB outside an exercise region");
            case MK_STUB_END:
                return fail(err, errcap, file, l.no, "STUB END outside an exercise region");
            default:
                kind = LK_TEXT;
            }
        }
        /* -2: the callback found the region wrong and said why in err. */
        int frc = fn ? fn(arg, kind, kind == LK_TEXT ? NULL : &cur, &l) : 0;
        if (frc == -2)
            return -1;
        if (frc < 0)
            return fail(err, errcap, file, l.no, "out of memory");
    }
    if (in_stub)
        return fail(err, errcap, file, stub_at, "the stub block of %s is not closed (STUB END missing)", cur.id);
    if (in_region)
        return fail(err, errcap, file, cur.line, "region %s is not closed (END EXERCISE %s missing)", cur.id, cur.id);
    return 0;
}

int exercise_scan_text(const char *text, size_t len, const char *file, struct exercise_marker *out, int max,
                       char *err, size_t errcap)
{
    struct mvec mv = {0};
    if (read_regions(text, len, file, exercise_syntax_of(file), NULL, NULL, &mv, err, errcap) < 0) {
        free(mv.m);
        return -1;
    }
    for (int i = 0; i < mv.n && i < max; i++)
        out[i] = mv.m[i];
    free(mv.m);
    return mv.n;
}

/* ------------------------------------------------------------------------ */
/* Scanning a tree                                                          */
/* ------------------------------------------------------------------------ */

static int read_file(const char *path, char **text, size_t *len, char *err, size_t errcap)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return fail(err, errcap, path, 0, "cannot open: %s", strerror(errno));
    struct buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_add(&b, chunk, n);
        if (b.len > (size_t)SCAN_FILE_MAX) {
            fclose(f);
            free(b.p);
            return fail(err, errcap, path, 0, "bigger than %ld MiB: not a source file", SCAN_FILE_MAX >> 20);
        }
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(b.p);
        return fail(err, errcap, path, 0, "read error");
    }
    return buf_give(&b, text, len, path, err, errcap);
}

static int scan_dir(const char *dir, int depth, struct mvec *mv, char *err, size_t errcap)
{
    if (depth > SCAN_DEPTH_MAX)
        return fail(err, errcap, dir, 0, "folders nested more than %d deep", SCAN_DEPTH_MAX);
    struct dirent **names;
    int count = scandir(dir, &names, NULL, alphasort);
    if (count < 0)
        return fail(err, errcap, dir, 0, "cannot list: %s", strerror(errno));
    int rc = 0;
    for (int i = 0; i < count; i++) {
        const char *name = names[i]->d_name;
        if (rc == 0 && strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
            size_t plen = strlen(dir) + 1 + strlen(name) + 1;
            char *path = malloc(plen);
            struct stat st;
            if (path == NULL) {
                rc = fail(err, errcap, dir, 0, "out of memory");
            } else {
                snprintf(path, plen, "%s/%s", dir, name);
                if (lstat(path, &st) < 0) {
                    rc = fail(err, errcap, path, 0, "cannot stat: %s", strerror(errno));
                } else if (S_ISDIR(st.st_mode)) {
                    /* build/ holds outputs and .git the history: neither is source. */
                    if (strcmp(name, "build") != 0 && strcmp(name, ".git") != 0)
                        rc = scan_dir(path, depth + 1, mv, err, errcap);
                } else if (S_ISREG(st.st_mode) && exercise_syntax_of(path) != EXERCISE_SYNTAX_NONE) {
                    char *text;
                    size_t len;
                    rc = read_file(path, &text, &len, err, errcap);
                    if (rc == 0) {
                        /* read_regions() checks each new marker against
                         * every one already in mv: regions of one id agree
                         * across files too. */
                        rc = read_regions(text, len, path, exercise_syntax_of(path), NULL, NULL, mv, err, errcap);
                        free(text);
                    }
                }
                free(path);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int exercise_scan_tree(const char *const *dirs, struct exercise_marker **out, int *n, char *err, size_t errcap)
{
    struct mvec mv = {0};
    *out = NULL;
    *n = 0;
    for (int i = 0; dirs[i]; i++) {
        if (scan_dir(dirs[i], 0, &mv, err, errcap) < 0) {
            free(mv.m);
            return -1;
        }
    }
    *out = mv.m;
    *n = mv.n;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The handout text of a file                                               */
/* ------------------------------------------------------------------------ */

/*
 * A stub line as the handout writes it: in make syntax without the '#'
 * (and one space after it) that kept it a comment in the reference, every
 * EXERCISE_TODO() with the id and hint filled in.  The line's own newline
 * is kept.
 */
static void stub_line_out(struct buf *b, enum exercise_syntax syn, const struct exercise_marker *m,
                          const struct line *l)
{
    const char *p = l->p, *end = l->p + l->full;
    if (syn == EXERCISE_SYNTAX_MAKE) {
        const char *q = p;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if (q < end && *q == '#') {
            buf_add(b, p, (size_t)(q - p));
            p = q + 1;
            if (p < end && *p == ' ')
                p++;
        }
    }
    static const char todo[] = "EXERCISE_TODO()";
    const char *t;
    while ((t = find_bytes(p, (size_t)(end - p), todo, sizeof todo - 1)) != NULL) {
        buf_add(b, p, (size_t)(t - p));
        buf_str(b, "EXERCISE_TODO(\"");
        buf_str(b, m->id);
        buf_str(b, "\", \"");
        buf_str(b, m->hint);
        buf_str(b, "\")");
        p = t + sizeof todo - 1;
    }
    buf_add(b, p, (size_t)(end - p));
}

bool exercise_in_list(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && memcmp(p, id, n) == 0)
            return true;
        p += k + (p[k] == ',');
    }
    return false;
}

bool exercise_picked(const struct exercise_marker *m, int lesson, const char *only)
{
    return m->lesson == lesson && (only == NULL || exercise_in_list(only, m->id));
}

struct transform {
    struct buf out;
    enum exercise_syntax syn;
    int lesson;
    const char *only;   /* NULL, or the ids (comma-separated) to stub */
    bool stub_seen;     /* the current region of the lesson had a STUB block */
    const char *file;
    char *err;
    size_t errcap;
};

static int transform_line(void *arg, enum line_kind kind, const struct exercise_marker *region, const struct line *l)
{
    struct transform *t = arg;
    if (kind == LK_TEXT || !exercise_picked(region, t->lesson, t->only)) {
        buf_add(&t->out, l->p, l->full);
    } else {
        switch (kind) {
        case LK_OPEN:
            t->stub_seen = false;
            buf_add(&t->out, l->p, l->full);
            break;
        case LK_CLOSE:
            /* Without a stub the solution would go with nothing in its
             * place.  A handout's regions are like that: its stubs are
             * plain code by now. */
            if (!t->stub_seen) {
                fail(t->err, t->errcap, t->file, region->line,
                     "region %s has no STUB block, so the handout would have nothing in its place "
                     "(is this a handout already? make handout reads the reference)",
                     region->id);
                return -2;
            }
            buf_add(&t->out, l->p, l->full);
            break;
        case LK_STUB_OPEN:
            t->stub_seen = true;
            break;
        case LK_STUB:
            stub_line_out(&t->out, t->syn, region, l);
            break;
        default: /* the solution and the STUB / STUB END lines */
            break;
        }
    }
    return t->out.nomem ? -1 : 0;
}

int exercise_transform(const char *text, size_t len, const char *file, enum exercise_syntax syntax, int lesson,
                       const char *only, char **out, size_t *outlen, char *err, size_t errcap)
{
    struct transform t = {.syn = syntax, .lesson = lesson, .only = only, .file = file, .err = err, .errcap = errcap};
    struct mvec mv = {0};
    int rc = read_regions(text, len, file, syntax, transform_line, &t, &mv, err, errcap);
    free(mv.m);
    if (rc < 0) {
        free(t.out.p);
        return -1;
    }
    return buf_give(&t.out, out, outlen, file, err, errcap);
}

/* ------------------------------------------------------------------------ */
/* Markdown lesson gates                                                    */
/* ------------------------------------------------------------------------ */

/* A fence line (``` or ~~~, three or more) opens or closes a code block. */
static bool fence(const struct line *l, char *ch, size_t *count)
{
    const char *p = l->p;
    size_t n = l->len;
    trim(&p, &n);
    if (n < 3 || (p[0] != '`' && p[0] != '~'))
        return false;
    size_t k = 0;
    while (k < n && p[k] == p[0])
        k++;
    if (k < 3)
        return false;
    *ch = p[0];
    *count = k;
    return true;
}

/** A lesson marker found in a Markdown line. */
enum md_marker { MD_NONE, MD_OPEN, MD_CLOSE, MD_LINE };

/*
 * Look at the end of a line for "<!-- lesson NN -->" or "<!-- /lesson -->".
 * The whole line a marker: a block open or close; at the end of other
 * text: a one-line gate (only "lesson NN"), *keep set to the bytes before
 * it, blanks dropped.  A comment that starts with "lesson" or "/lesson"
 * but is not one of these forms is an error, so a mistyped gate never
 * lets text through silently.
 */
static int md_classify(const struct line *l, int *nn, size_t *keep, const char *file, char *err, size_t errcap)
{
    const char *p = l->p;
    size_t n = l->len;
    trim(&p, &n);
    if (n < 3 || memcmp(p + n - 3, "-->", 3) != 0)
        return MD_NONE;
    /* the last comment on the line */
    const char *open = NULL;
    for (const char *q = p; (q = find_bytes(q, (size_t)(p + n - q), "<!--", 4)) != NULL; q += 4)
        open = q;
    if (open == NULL)
        return MD_NONE;
    struct cur c = {open + 4, p + n - 3};
    skip_blanks(&c);
    bool closing = eat(&c, "/");
    if (!eat(&c, "lesson"))
        return MD_NONE;
    const char *form = "want '<!-- lesson NN -->' (NN two digits) or '<!-- /lesson -->'";
    if (c.p < c.end && *c.p >= '0' && *c.p <= '9')
        return fail(err, errcap, file, l->no, "malformed lesson marker: %s", form);
    if (c.p < c.end && !is_blank(*c.p))
        return MD_NONE; /* "<!-- lessons learnt -->" is an ordinary comment */
    const char *t;
    size_t tn;
    skip_blanks(&c);
    token(&c, &t, &tn);
    if (!at_end(&c))
        return fail(err, errcap, file, l->no, "malformed lesson marker: %s", form);
    bool whole = open == p;
    if (closing) {
        if (tn != 0)
            return fail(err, errcap, file, l->no, "malformed lesson marker: %s", form);
        if (!whole)
            return fail(err, errcap, file, l->no, "'<!-- /lesson -->' must stand on a line of its own");
        return MD_CLOSE;
    }
    if (tn != 2 || t[0] < '0' || t[0] > '9' || t[1] < '0' || t[1] > '9' || (t[0] == '0' && t[1] == '0'))
        return fail(err, errcap, file, l->no, "malformed lesson marker: %s", form);
    *nn = (t[0] - '0') * 10 + (t[1] - '0');
    if (whole)
        return MD_OPEN;
    const char *k = open;
    while (k > l->p && is_blank(k[-1]))
        k--;
    *keep = (size_t)(k - l->p);
    return MD_LINE;
}

int markdown_transform(const char *text, size_t len, const char *file, int lesson, char **out, size_t *outlen,
                       char *err, size_t errcap)
{
    struct buf b = {0};
    struct line l = {0};
    size_t pos = 0;
    bool in_fence = false, in_block = false, drop_block = false;
    char fence_ch = 0;
    size_t fence_n = 0;
    int block_at = 0;

    while (next_line(text, len, &pos, &l)) {
        char ch;
        size_t cnt;
        if (fence(&l, &ch, &cnt)) {
            if (!in_fence) {
                in_fence = true;
                fence_ch = ch;
                fence_n = cnt;
            } else if (ch == fence_ch && cnt >= fence_n) {
                in_fence = false;
            }
            if (!drop_block)
                buf_add(&b, l.p, l.full);
            continue;
        }
        int nn = 0;
        size_t keep = 0;
        int mk = in_fence ? MD_NONE : md_classify(&l, &nn, &keep, file, err, errcap);
        if (mk < 0) {
            free(b.p);
            return -1;
        }
        if (mk == MD_OPEN) {
            if (in_block) {
                free(b.p);
                return fail(err, errcap, file, l.no, "lesson block inside the one opened at line %d: they do not nest",
                            block_at);
            }
            in_block = true;
            drop_block = nn > lesson;
            block_at = l.no;
        } else if (mk == MD_CLOSE) {
            if (!in_block) {
                free(b.p);
                return fail(err, errcap, file, l.no, "'<!-- /lesson -->' without '<!-- lesson NN -->' before it");
            }
            in_block = drop_block = false;
        } else if (drop_block) {
            /* inside a later lesson's block: dropped */
        } else if (mk == MD_LINE) {
            if (nn <= lesson) {
                buf_add(&b, l.p, keep);
                buf_add(&b, l.p + l.len, l.full - l.len);
            }
        } else {
            buf_add(&b, l.p, l.full);
        }
    }
    if (in_block) {
        free(b.p);
        return fail(err, errcap, file, block_at, "lesson block not closed ('<!-- /lesson -->' missing)");
    }
    return buf_give(&b, out, outlen, file, err, errcap);
}

/* ------------------------------------------------------------------------ */
/* Distinctive solution lines (the leak check)                              */
/* ------------------------------------------------------------------------ */

struct distinct {
    struct buf elsewhere;          /* every line a correct handout may contain */
    struct exercise_line *cand;    /* solution lines of the lesson */
    int n, cap;
    int lesson;
    const char *only;              /* NULL, or the ids (comma-separated) stubbed */
    enum exercise_syntax syn;
    const char *file;
    bool nomem;
};

static void add_candidate(struct distinct *d, const struct exercise_marker *m, const struct line *l)
{
    const char *p = l->p;
    size_t n = l->len;
    trim(&p, &n);
    if (n < EXERCISE_DISTINCT_MIN)
        return;
    for (int i = 0; i < d->n; i++)
        if (strlen(d->cand[i].text) == n && memcmp(d->cand[i].text, p, n) == 0)
            return; /* listed once, at its first place */
    if (d->n == d->cap) {
        int cap = d->cap ? d->cap * 2 : 64;
        struct exercise_line *c = realloc(d->cand, (size_t)cap * sizeof *c);
        if (c == NULL) {
            d->nomem = true;
            return;
        }
        d->cand = c;
        d->cap = cap;
    }
    struct exercise_line *e = &d->cand[d->n];
    memset(e, 0, sizeof *e);
    e->text = malloc(n + 1);
    if (e->text == NULL) {
        d->nomem = true;
        return;
    }
    memcpy(e->text, p, n);
    e->text[n] = '\0';
    snprintf(e->id, sizeof e->id, "%s", m->id);
    snprintf(e->file, sizeof e->file, "%s", d->file);
    e->line = l->no;
    d->n++;
}

static int distinct_line(void *arg, enum line_kind kind, const struct exercise_marker *region, const struct line *l)
{
    struct distinct *d = arg;
    if (kind == LK_SOLUTION && exercise_picked(region, d->lesson, d->only)) {
        add_candidate(d, region, l);
    } else {
        buf_add(&d->elsewhere, l->p, l->len);
        buf_add(&d->elsewhere, "\n", 1);
        if (kind == LK_STUB) {
            /* and as the handout writes it */
            stub_line_out(&d->elsewhere, d->syn, region, l);
            buf_add(&d->elsewhere, "\n", 1);
        }
    }
    return d->nomem || d->elsewhere.nomem ? -1 : 0;
}

void exercise_lines_free(struct exercise_line *lines, int n)
{
    for (int i = 0; i < n; i++)
        free(lines[i].text);
    free(lines);
}

int exercise_distinctive_lines(const struct exercise_source *src, int nsrc, int lesson, const char *only,
                               struct exercise_line **out, int *n, char *err, size_t errcap)
{
    struct distinct d = {.lesson = lesson, .only = only};
    *out = NULL;
    *n = 0;
    for (int i = 0; i < nsrc; i++) {
        d.syn = exercise_syntax_of(src[i].file);
        d.file = src[i].file;
        struct mvec mv = {0};
        int rc = read_regions(src[i].text, src[i].len, src[i].file, d.syn, distinct_line, &d, &mv, err, errcap);
        free(mv.m);
        buf_add(&d.elsewhere, "\n", 1);
        if (rc < 0 || d.nomem || d.elsewhere.nomem) {
            if (rc == 0)
                fail(err, errcap, src[i].file, 0, "out of memory");
            exercise_lines_free(d.cand, d.n);
            free(d.elsewhere.p);
            return -1;
        }
    }
    /* Keep the candidates that occur nowhere else; compact in place. */
    int k = 0;
    for (int i = 0; i < d.n; i++) {
        if (find_bytes(d.elsewhere.p, d.elsewhere.len, d.cand[i].text, strlen(d.cand[i].text)))
            free(d.cand[i].text);
        else
            d.cand[k++] = d.cand[i];
    }
    free(d.elsewhere.p);
    if (k == 0) {
        free(d.cand);
        d.cand = NULL;
    }
    *out = d.cand;
    *n = k;
    return 0;
}

int exercise_find_leak(const struct exercise_line *lines, int n, int from, const char *text, size_t len,
                       int *at_line)
{
    for (int i = from < 0 ? 0 : from; i < n; i++) {
        const char *p = find_bytes(text, len, lines[i].text, strlen(lines[i].text));
        if (p) {
            int no = 1;
            for (const char *q = text; (q = memchr(q, '\n', (size_t)(p - q))) != NULL; q++)
                no++;
            *at_line = no;
            return i;
        }
    }
    return -1;
}
