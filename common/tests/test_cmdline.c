/**
 * @file test_cmdline.c
 * @brief Check tests for common/lib/cmdline.c, the kernel command-line
 *        parser.
 *
 * Covers: key=value options and bare flags, every blank character, quoted
 * values with blanks, "a later key wins", "=value" without a key, an
 * unterminated quote, input longer than CMDLINE_MAX_LEN (flagged, no half
 * option kept, exact-fit boundaries), more than CMDLINE_MAX_OPTS options,
 * the caller's @c max bound (input placed against a PROT_NONE guard page,
 * so one byte too many faults), re-use of a struct cmdline, and
 * cmdline_parse_u64 / cmdline_get_u64 (decimal, hex, k/m/g suffixes,
 * overflow at every step, junk, empty input).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "spectrum/cmdline.h"

#include "check_main.h"

/* A struct cmdline is ~1.5 KiB: static so every test starts from a known
 * (deliberately dirty) state rather than from stack garbage. */
static struct cmdline cl;

static void dirty(void)
{
    memset(&cl, 0xa5, sizeof cl);
}

START_TEST(test_basic)
{
    dirty();
    ck_assert(cmdline_parse(&cl, "console=serial run=sie quiet", SIZE_MAX));
    ck_assert_int_eq(cl.count, 3);
    ck_assert_str_eq(cl.key[0], "console");
    ck_assert_str_eq(cl.value[0], "serial");
    ck_assert_str_eq(cl.key[1], "run");
    ck_assert_str_eq(cl.value[1], "sie");
    ck_assert_str_eq(cl.key[2], "quiet");
    ck_assert_str_eq(cl.value[2], "");
    ck_assert(!cl.truncated && !cl.too_many && !cl.unterminated_quote);

    ck_assert_str_eq(cmdline_get(&cl, "run"), "sie");
    ck_assert_str_eq(cmdline_get(&cl, "quiet"), "");
    ck_assert_ptr_null(cmdline_get(&cl, "absent"));
    ck_assert_ptr_null(cmdline_get(&cl, "ru"));      /* no prefix match */
    ck_assert_ptr_null(cmdline_get(&cl, "runx"));
    ck_assert_ptr_null(cmdline_get(&cl, ""));
    ck_assert(cmdline_has(&cl, "quiet"));
    ck_assert(cmdline_has(&cl, "console"));
    ck_assert(!cmdline_has(&cl, "serial"));          /* values are not keys */

    /* Every kept string is a copy (in cl.buf; a flag's "" may be a static
     * empty string), so the input may go away. */
    for (int i = 0; i < cl.count; i++) {
        ck_assert(cl.key[i] >= cl.buf && cl.key[i] < cl.buf + CMDLINE_MAX_LEN);
        ck_assert((cl.value[i] >= cl.buf && cl.value[i] < cl.buf + CMDLINE_MAX_LEN) ||
                  cl.value[i][0] == '\0');
    }
}
END_TEST

START_TEST(test_empty_and_blanks)
{
    dirty();
    ck_assert(cmdline_parse(&cl, NULL, 100));
    ck_assert_int_eq(cl.count, 0);
    ck_assert(!cl.truncated && !cl.too_many && !cl.unterminated_quote);

    dirty();
    ck_assert(cmdline_parse(&cl, "", SIZE_MAX));
    ck_assert_int_eq(cl.count, 0);

    dirty();
    ck_assert(cmdline_parse(&cl, " \t\r\n ", SIZE_MAX));
    ck_assert_int_eq(cl.count, 0);

    dirty();
    ck_assert(cmdline_parse(&cl, "\t a=1\n\nb\r\r c=3 \t", SIZE_MAX));
    ck_assert_int_eq(cl.count, 3);
    ck_assert_str_eq(cmdline_get(&cl, "a"), "1");
    ck_assert_str_eq(cmdline_get(&cl, "b"), "");
    ck_assert_str_eq(cmdline_get(&cl, "c"), "3");

    /* Blanks well beyond CMDLINE_MAX_LEN store nothing, so cut nothing. */
    static char spaces[3 * CMDLINE_MAX_LEN];
    memset(spaces, ' ', sizeof spaces - 2);
    spaces[sizeof spaces - 2] = 'x';
    spaces[sizeof spaces - 1] = '\0';
    dirty();
    ck_assert(cmdline_parse(&cl, spaces, SIZE_MAX));
    ck_assert_int_eq(cl.count, 1);
    ck_assert_str_eq(cl.key[0], "x");
}
END_TEST

START_TEST(test_values)
{
    dirty();
    ck_assert(cmdline_parse(&cl, "a=b=c e= f==", SIZE_MAX));
    ck_assert_int_eq(cl.count, 3);
    ck_assert_str_eq(cmdline_get(&cl, "a"), "b=c");  /* only the first '=' splits */
    ck_assert_str_eq(cmdline_get(&cl, "e"), "");
    ck_assert_str_eq(cmdline_get(&cl, "f"), "=");
}
END_TEST

START_TEST(test_quotes)
{
    dirty();
    ck_assert(cmdline_parse(&cl, "name=\"a b  c\" x=1 t=\"tab\there\" k=a\"b c\"d e=\"\" q=\"x=y\"",
                            SIZE_MAX));
    ck_assert_int_eq(cl.count, 6);
    ck_assert_str_eq(cmdline_get(&cl, "name"), "a b  c");
    ck_assert_str_eq(cmdline_get(&cl, "x"), "1");
    ck_assert_str_eq(cmdline_get(&cl, "t"), "tab\there");
    ck_assert_str_eq(cmdline_get(&cl, "k"), "ab cd"); /* quotes may sit mid-value */
    ck_assert_str_eq(cmdline_get(&cl, "e"), "");
    ck_assert_str_eq(cmdline_get(&cl, "q"), "x=y");
    ck_assert(!cmdline_has(&cl, "b"));
    ck_assert(!cmdline_has(&cl, "c\""));

    /* A quote in a key is an ordinary character (quotes only group values). */
    dirty();
    ck_assert(cmdline_parse(&cl, "a\"b=c", SIZE_MAX));
    ck_assert_int_eq(cl.count, 1);
    ck_assert_str_eq(cl.key[0], "a\"b");
    ck_assert_str_eq(cl.value[0], "c");
}
END_TEST

START_TEST(test_later_key_wins)
{
    dirty();
    ck_assert(cmdline_parse(&cl, "a=1 b=x a=2 a=3 b", SIZE_MAX));
    ck_assert_int_eq(cl.count, 5);
    ck_assert_str_eq(cmdline_get(&cl, "a"), "3");
    ck_assert_str_eq(cmdline_get(&cl, "b"), "");     /* a later flag clears the value */

    dirty();
    ck_assert(cmdline_parse(&cl, "flag flag=on", SIZE_MAX));
    ck_assert_str_eq(cmdline_get(&cl, "flag"), "on");
}
END_TEST

/* An option with an empty key is dropped silently (not flagged), and a
 * quoted value in it must not leak out as further options. */
START_TEST(test_value_without_key)
{
    dirty();
    ck_assert(cmdline_parse(&cl, "=foo a=1 = =\"x y\" ==", SIZE_MAX));
    ck_assert_int_eq(cl.count, 1);
    ck_assert_str_eq(cl.key[0], "a");
    ck_assert_str_eq(cl.value[0], "1");
    ck_assert(!cmdline_has(&cl, "y\""));
    ck_assert(!cmdline_has(&cl, ""));
}
END_TEST

/* An unterminated quote swallows the rest of the line into the value; the
 * option is kept but the line is reported as repaired. */
START_TEST(test_unterminated_quote)
{
    dirty();
    ck_assert(!cmdline_parse(&cl, "a=1 b=\"x y c=3", SIZE_MAX));
    ck_assert(cl.unterminated_quote);
    ck_assert(!cl.truncated && !cl.too_many);
    ck_assert_int_eq(cl.count, 2);
    ck_assert_str_eq(cmdline_get(&cl, "a"), "1");
    ck_assert_str_eq(cmdline_get(&cl, "b"), "x y c=3");
    ck_assert(!cmdline_has(&cl, "c"));
}
END_TEST

/* Fill @p s with @p n copies of @p c and a NUL. */
static char *rep(char *s, char c, size_t n)
{
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

START_TEST(test_too_long_single)
{
    static char s[4 * CMDLINE_MAX_LEN], want[CMDLINE_MAX_LEN + 1];

    /* A flag of MAX_LEN-1 bytes plus its NUL fills the buffer exactly. */
    rep(s, 'k', CMDLINE_MAX_LEN - 1);
    dirty();
    ck_assert(cmdline_parse(&cl, s, SIZE_MAX));
    ck_assert_int_eq(cl.count, 1);
    ck_assert_str_eq(cl.key[0], rep(want, 'k', CMDLINE_MAX_LEN - 1));

    /* Trailing blanks after an exactly full buffer are no truncation. */
    strcat(s, "   \t");
    dirty();
    ck_assert(cmdline_parse(&cl, s, SIZE_MAX));
    ck_assert_int_eq(cl.count, 1);

    /* One byte more: the option is cut, so it is dropped, not kept half. */
    rep(s, 'k', CMDLINE_MAX_LEN);
    dirty();
    ck_assert(!cmdline_parse(&cl, s, SIZE_MAX));
    ck_assert(cl.truncated);
    ck_assert_int_eq(cl.count, 0);

    /* key=value: key, NUL, value, NUL; MAX_LEN-2 key bytes and '=' fit. */
    rep(s, 'k', CMDLINE_MAX_LEN - 2);
    strcat(s, "=");
    dirty();
    ck_assert(cmdline_parse(&cl, s, SIZE_MAX));
    ck_assert_int_eq(cl.count, 1);
    ck_assert_str_eq(cl.value[0], "");
    ck_assert_uint_eq(strlen(cl.key[0]), CMDLINE_MAX_LEN - 2);

    /* ... and one value byte more does not. */
    strcat(s, "v");
    dirty();
    ck_assert(!cmdline_parse(&cl, s, SIZE_MAX));
    ck_assert(cl.truncated);
    ck_assert_int_eq(cl.count, 0);

    /* Cut exactly at the '=' (no room for the key's NUL). */
    rep(s, 'k', CMDLINE_MAX_LEN - 1);
    strcat(s, "=v");
    dirty();
    ck_assert(!cmdline_parse(&cl, s, SIZE_MAX));
    ck_assert(cl.truncated);
    ck_assert_int_eq(cl.count, 0);

    /* A huge quoted value. */
    strcpy(s, "run=\"");
    rep(s + 5, 'v', 3 * CMDLINE_MAX_LEN);
    strcat(s, "\"");
    dirty();
    ck_assert(!cmdline_parse(&cl, s, SIZE_MAX));
    ck_assert(cl.truncated);
    ck_assert(!cmdline_has(&cl, "run"));
}
END_TEST

/* Long enough that the buffer, not CMDLINE_MAX_OPTS, is the limit. */
#define FILLER "0123456789abcdefghijklmnopqrstuvwxyz"

START_TEST(test_too_long_many)
{
    /* Short options first, then ones that overflow the buffer: everything
     * kept must be a whole option exactly as written, in order, and every
     * option after the cut must be absent. */
    static char s[8 * CMDLINE_MAX_LEN];
    size_t len = 0;
    int n = 0;
    while (len < 3 * CMDLINE_MAX_LEN)
        len += (size_t)snprintf(s + len, sizeof s - len, "opt%d=value-%d-" FILLER " ", n, n), n++;

    dirty();
    ck_assert(!cmdline_parse(&cl, s, SIZE_MAX));
    ck_assert(cl.truncated);
    ck_assert(!cl.too_many);
    ck_assert(cl.count > 0 && cl.count < n);
    size_t used = 0;
    for (int i = 0; i < cl.count; i++) {
        char k[32], v[64];
        snprintf(k, sizeof k, "opt%d", i);
        snprintf(v, sizeof v, "value-%d-" FILLER, i);
        ck_assert_str_eq(cl.key[i], k);
        ck_assert_str_eq(cl.value[i], v);
        used += strlen(k) + strlen(v) + 2;
    }
    /* The next option would really not have fitted. */
    char k[32], v[64];
    snprintf(k, sizeof k, "opt%d", cl.count);
    snprintf(v, sizeof v, "value-%d-" FILLER, cl.count);
    ck_assert_uint_gt(used + strlen(k) + strlen(v) + 2, CMDLINE_MAX_LEN);
    ck_assert(!cmdline_has(&cl, k));
}
END_TEST

START_TEST(test_exact_fill_then_more)
{
    static char s[2 * CMDLINE_MAX_LEN], k[CMDLINE_MAX_LEN];

    /* "a" (2 bytes) + a flag of MAX_LEN-3 bytes (+NUL) = MAX_LEN exactly. */
    strcpy(s, "a ");
    strcat(s, rep(k, 'K', CMDLINE_MAX_LEN - 3));
    dirty();
    ck_assert(cmdline_parse(&cl, s, SIZE_MAX));
    ck_assert_int_eq(cl.count, 2);

    /* Any further option cannot fit: flagged, the full ones are kept. */
    strcat(s, " b");
    dirty();
    ck_assert(!cmdline_parse(&cl, s, SIZE_MAX));
    ck_assert(cl.truncated);
    ck_assert_int_eq(cl.count, 2);
    ck_assert(!cmdline_has(&cl, "b"));

    /* One byte longer second option: it is dropped whole, "a" survives. */
    strcpy(s, "a ");
    strcat(s, rep(k, 'K', CMDLINE_MAX_LEN - 2));
    dirty();
    ck_assert(!cmdline_parse(&cl, s, SIZE_MAX));
    ck_assert(cl.truncated);
    ck_assert_int_eq(cl.count, 1);
    ck_assert_str_eq(cl.key[0], "a");
}
END_TEST

START_TEST(test_too_many)
{
    char s[1024];
    size_t len = 0;
    for (int i = 0; i < CMDLINE_MAX_OPTS; i++)
        len += (size_t)snprintf(s + len, sizeof s - len, "o%d ", i);

    /* Exactly CMDLINE_MAX_OPTS options: fine. */
    dirty();
    ck_assert(cmdline_parse(&cl, s, SIZE_MAX));
    ck_assert_int_eq(cl.count, CMDLINE_MAX_OPTS);
    ck_assert(!cl.too_many);

    /* Two more: the extra ones are dropped and flagged. */
    snprintf(s + len, sizeof s - len, "o%d o%d=x", CMDLINE_MAX_OPTS, CMDLINE_MAX_OPTS + 1);
    dirty();
    ck_assert(!cmdline_parse(&cl, s, SIZE_MAX));
    ck_assert(cl.too_many);
    ck_assert(!cl.truncated);
    ck_assert_int_eq(cl.count, CMDLINE_MAX_OPTS);
    char k[16];
    snprintf(k, sizeof k, "o%d", CMDLINE_MAX_OPTS - 1);
    ck_assert(cmdline_has(&cl, k));
    snprintf(k, sizeof k, "o%d", CMDLINE_MAX_OPTS);
    ck_assert(!cmdline_has(&cl, k));
    snprintf(k, sizeof k, "o%d", CMDLINE_MAX_OPTS + 1);
    ck_assert(!cmdline_has(&cl, k));
}
END_TEST

/* The bound: bytes are put at the very end of a readable page followed by
 * a PROT_NONE page, with no NUL.  Reading one byte past @c max faults. */
static char *guarded(const char *text, size_t len, void **map, size_t *maplen)
{
    long pg = sysconf(_SC_PAGESIZE);
    ck_assert_int_gt(pg, 0);
    *maplen = 2 * (size_t)pg;
    char *m = mmap(NULL, *maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(m != MAP_FAILED);
    ck_assert_int_eq(mprotect(m + pg, (size_t)pg, PROT_NONE), 0);
    *map = m;
    char *p = m + pg - len;
    memcpy(p, text, len);
    return p;
}

START_TEST(test_max_bound)
{
    void *map;
    size_t maplen;
    static const char text[] = "a=1 bb=\"x y\" flag";
    const size_t len = sizeof text - 1;
    char *p = guarded(text, len, &map, &maplen);

    dirty();
    ck_assert(cmdline_parse(&cl, p, len));
    ck_assert_int_eq(cl.count, 3);
    ck_assert_str_eq(cmdline_get(&cl, "a"), "1");
    ck_assert_str_eq(cmdline_get(&cl, "bb"), "x y");
    ck_assert(cmdline_has(&cl, "flag"));

    /* A smaller bound cuts where the caller said. */
    dirty();
    ck_assert(cmdline_parse(&cl, p, 5));
    ck_assert_int_eq(cl.count, 2);
    ck_assert_str_eq(cmdline_get(&cl, "a"), "1");
    ck_assert_str_eq(cmdline_get(&cl, "b"), "");

    /* A bound inside a quoted value: the quote is open at the bound. */
    dirty();
    ck_assert(!cmdline_parse(&cl, p, 10));
    ck_assert(cl.unterminated_quote);
    ck_assert_str_eq(cmdline_get(&cl, "bb"), "x ");

    dirty();
    ck_assert(cmdline_parse(&cl, p, 0));
    ck_assert_int_eq(cl.count, 0);
    ck_assert_int_eq(munmap(map, maplen), 0);

    /* Blanks and a bare '=' reaching the bound. */
    static const char t2[] = "k=v   ";
    p = guarded(t2, sizeof t2 - 1, &map, &maplen);
    dirty();
    ck_assert(cmdline_parse(&cl, p, sizeof t2 - 1));
    ck_assert_int_eq(cl.count, 1);
    ck_assert_int_eq(munmap(map, maplen), 0);

    static const char t3[] = "k=";
    p = guarded(t3, sizeof t3 - 1, &map, &maplen);
    dirty();
    ck_assert(cmdline_parse(&cl, p, sizeof t3 - 1));
    ck_assert_int_eq(cl.count, 1);
    ck_assert_str_eq(cmdline_get(&cl, "k"), "");
    ck_assert_int_eq(munmap(map, maplen), 0);

    /* A NUL before the bound still ends the line. */
    dirty();
    ck_assert(cmdline_parse(&cl, "a b\0c d", 7));
    ck_assert_int_eq(cl.count, 2);
    ck_assert(!cmdline_has(&cl, "c"));
}
END_TEST

/* A second parse into the same struct forgets the first one entirely. */
START_TEST(test_reuse)
{
    dirty();
    ck_assert(!cmdline_parse(&cl, "a=1 b=\"open", SIZE_MAX));
    ck_assert(cl.unterminated_quote);
    ck_assert(cmdline_parse(&cl, "c=2", SIZE_MAX));
    ck_assert(!cl.unterminated_quote && !cl.truncated && !cl.too_many);
    ck_assert_int_eq(cl.count, 1);
    ck_assert(!cmdline_has(&cl, "a"));
    ck_assert_str_eq(cmdline_get(&cl, "c"), "2");
}
END_TEST

struct u64_case {
    const char *s;
    bool ok;
    uint64_t v;
};

static const struct u64_case u64_cases[] = {
    { "0", true, 0 },
    { "42", true, 42 },
    { "007", true, 7 },                     /* leading zeros: still decimal */
    { "18446744073709551615", true, UINT64_MAX },
    { "18446744073709551616", false, 0 },   /* 2^64 */
    { "18446744073709551620", false, 0 },   /* last-digit overflow */
    { "99999999999999999999", false, 0 },
    { "184467440737095516150", false, 0 },
    { "0x0", true, 0 },
    { "0xff", true, 255 },
    { "0XFF", true, 255 },
    { "0xDeadBeef", true, 0xdeadbeef },
    { "0xffffffffffffffff", true, UINT64_MAX },
    { "0x10000000000000000", false, 0 },    /* 2^64 */
    { "0x00000000000000000000001", true, 1 },
    { "1k", true, 1024 },
    { "1K", true, 1024 },
    { "4m", true, 4ull << 20 },
    { "4M", true, 4ull << 20 },
    { "2g", true, 2ull << 30 },
    { "2G", true, 2ull << 30 },
    { "0k", true, 0 },
    { "0x10k", true, 16ull << 10 },
    { "0x1g", true, 1ull << 30 },           /* 'g' is not a hex digit */
    { "16777216g", true, 1ull << 54 },
    { "17179869183g", true, UINT64_MAX - ((1ull << 30) - 1) },
    { "17179869184g", false, 0 },           /* 2^34 GiB = 2^64 */
    { "0x400000000g", false, 0 },
    { "18014398509481983k", true, UINT64_MAX - 1023 },
    { "18014398509481984k", false, 0 },
    { "17592186044415m", true, UINT64_MAX - ((1ull << 20) - 1) },
    { "17592186044416m", false, 0 },
    { "", false, 0 },
    { "0x", false, 0 },
    { "0X", false, 0 },
    { "x", false, 0 },
    { "k", false, 0 },                      /* a suffix alone is no number */
    { "m", false, 0 },
    { "0xk", false, 0 },
    { "0xg", false, 0 },
    { "abc", false, 0 },
    { "12a", false, 0 },
    { "1kb", false, 0 },
    { "1kk", false, 0 },
    { "-1", false, 0 },
    { "+1", false, 0 },
    { " 1", false, 0 },
    { "1 ", false, 0 },
    { "0x-1", false, 0 },
    { "0x 1", false, 0 },
    { "1.5", false, 0 },
    { "1e3", false, 0 },
    { "0b101", false, 0 },
    { "1t", false, 0 },
    { "12 k", false, 0 },
    { "0x0x1", false, 0 },
};

START_TEST(test_parse_u64)
{
    for (size_t i = 0; i < sizeof u64_cases / sizeof u64_cases[0]; i++) {
        const struct u64_case *c = &u64_cases[i];
        uint64_t v = 0x1234567;
        bool ok = cmdline_parse_u64(c->s, &v);
        ck_assert_msg(ok == c->ok, "\"%s\": returned %d", c->s, ok);
        if (c->ok)
            ck_assert_msg(v == c->v, "\"%s\": %llu, want %llu", c->s, (unsigned long long)v,
                          (unsigned long long)c->v);
        else
            ck_assert_msg(v == 0x1234567, "\"%s\": out changed on failure", c->s);
    }
    uint64_t v = 5;
    ck_assert(!cmdline_parse_u64(NULL, &v));
    ck_assert_uint_eq(v, 5);
}
END_TEST

START_TEST(test_get_u64)
{
    dirty();
    ck_assert(cmdline_parse(&cl, "mem=16m bad=12x flag hex=0x10 mem2=\"8k\"", SIZE_MAX));
    uint64_t v = 99;
    ck_assert(cmdline_get_u64(&cl, "mem", &v));
    ck_assert_uint_eq(v, 16ull << 20);
    ck_assert(cmdline_get_u64(&cl, "hex", &v));
    ck_assert_uint_eq(v, 16);
    ck_assert(cmdline_get_u64(&cl, "mem2", &v));
    ck_assert_uint_eq(v, 8192);
    v = 99;
    ck_assert(!cmdline_get_u64(&cl, "bad", &v));
    ck_assert(!cmdline_get_u64(&cl, "flag", &v));
    ck_assert(!cmdline_get_u64(&cl, "absent", &v));
    ck_assert_uint_eq(v, 99);
}
END_TEST

/* cmdline_audit(): options no one reads, and keys given twice. */
struct audit_log {
    int unknown, repeated;
    char unknown_key[4][16];
    char repeated_key[4][16];
    int repeated_times[4];
    const struct cmdline *cl;
};

static void audit_report(void *ctx, const struct cmdline_problem *p)
{
    struct audit_log *l = ctx;
    const char *key = l->cl->key[p->index];
    if (p->kind == CMDLINE_UNKNOWN && l->unknown < 4)
        snprintf(l->unknown_key[l->unknown++], 16, "%s", key);
    else if (p->kind == CMDLINE_REPEATED && l->repeated < 4) {
        snprintf(l->repeated_key[l->repeated], 16, "%s", key);
        l->repeated_times[l->repeated++] = p->times;
        /* The reported occurrence is the last one: the value that counts. */
        ck_assert_str_eq(l->cl->value[p->index], cmdline_get(l->cl, key));
    }
}

START_TEST(test_audit)
{
    static const char *const known[] = { "run", "fault", "vm_budget_ms" };
    struct cmdline cl;
    struct audit_log log = { .cl = &cl };
    ck_assert(cmdline_parse(&cl, "run=a vm_budjet_ms=5 fault=pf run=b flag run=c", 1024));
    ck_assert_int_eq(cmdline_audit(&cl, known, 3, audit_report, &log), 3);
    ck_assert_int_eq(log.unknown, 2);
    ck_assert_str_eq(log.unknown_key[0], "vm_budjet_ms");
    ck_assert_str_eq(log.unknown_key[1], "flag");
    ck_assert_int_eq(log.repeated, 1);
    ck_assert_str_eq(log.repeated_key[0], "run");
    ck_assert_int_eq(log.repeated_times[0], 3);

    /* Nothing to say about a clean line; an unknown key given twice is
     * reported once as unknown and once as repeated. */
    struct audit_log clean = { .cl = &cl };
    ck_assert(cmdline_parse(&cl, "run=a fault=ud", 1024));
    ck_assert_int_eq(cmdline_audit(&cl, known, 3, audit_report, &clean), 0);
    struct audit_log twice = { .cl = &cl };
    ck_assert(cmdline_parse(&cl, "x=1 x=2", 1024));
    ck_assert_int_eq(cmdline_audit(&cl, known, 3, audit_report, &twice), 2);
    ck_assert_int_eq(twice.unknown, 1);
    ck_assert_int_eq(twice.repeated, 1);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("cmdline");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_basic);
    tcase_add_test(tc, test_empty_and_blanks);
    tcase_add_test(tc, test_values);
    tcase_add_test(tc, test_quotes);
    tcase_add_test(tc, test_later_key_wins);
    tcase_add_test(tc, test_value_without_key);
    tcase_add_test(tc, test_unterminated_quote);
    tcase_add_test(tc, test_too_long_single);
    tcase_add_test(tc, test_too_long_many);
    tcase_add_test(tc, test_exact_fill_then_more);
    tcase_add_test(tc, test_too_many);
    tcase_add_test(tc, test_max_bound);
    tcase_add_test(tc, test_reuse);
    tcase_add_test(tc, test_parse_u64);
    tcase_add_test(tc, test_get_u64);
    tcase_add_test(tc, test_audit);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
