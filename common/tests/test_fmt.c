/**
 * @file test_fmt.c
 * @brief Check tests for common/lib/fmt.c, the kernel's printf engine.
 *
 * Covers: fmt_snprintf against the host libc snprintf over a large table
 * of conversions (flags "-0+ #", width and precision, "*" including
 * negative values, d i u o x X c s p %%, length modifiers hh h l ll z j t,
 * the 64-bit extremes); every table entry is also compared at every
 * buffer size from 0 to one past its length, so truncation, the
 * terminating NUL and the untouched tail are checked against libc too;
 * explicit size 0 / 1 / exact-fit cases; the sink interface; and what
 * fmt.c does with conversions it does not know (it prints them verbatim
 * without consuming an argument).
 */
#include <check.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "spectrum/fmt.h"

#include "check_main.h"

#define BUFSZ  256
#define CANARY 0x5a /* fill byte: shows any write past what was allowed */

/* Unchecked wrappers: without a format attribute gcc does not look at the
 * format, which lets the table hold conversions -Wformat frowns upon but
 * both implementations define (and deliberately unknown ones). */
static int libc_fmt(char *b, size_t n, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int r = vsnprintf(b, n, f, ap);
    va_end(ap);
    return r;
}

static int spec_fmt(char *b, size_t n, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int r = fmt_vsnprintf(b, n, f, ap);
    va_end(ap);
    return r;
}

/* Render the first @p n bytes of @p b up to a NUL, escaping the unprintable,
 * so a failure message shows exactly what differed. */
static const char *show(const char *b, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && b[i] && o + 5 < cap; i++) {
        unsigned char c = (unsigned char)b[i];
        if (c >= 0x20 && c < 0x7f)
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
    }
    out[o] = '\0';
    return out;
}

/* Both buffers were pre-filled with CANARY, so comparing all @p span bytes
 * checks the text, the NUL and that nothing beyond it was written. */
static void check_same(const char *expr, size_t size, size_t span, const char *want, int wn,
                       const char *got, int gn)
{
    char ws[4 * BUFSZ + 8], gs[4 * BUFSZ + 8];
    ck_assert_msg(wn == gn && memcmp(want, got, span) == 0,
                  "%s (size %zu): libc \"%s\" -> %d, fmt \"%s\" -> %d", expr, size,
                  show(want, size, ws, sizeof ws), wn, show(got, size, gs, sizeof gs), gn);
}

/* One table entry: the full-buffer result with gcc checking the format
 * (CMP) or not (CMPX), then every truncated size. */
#define CMP_WITH(LIBC, SPEC, ...)                                                                  \
    do {                                                                                           \
        char w_[BUFSZ + 1], g_[BUFSZ + 1];                                                         \
        memset(w_, CANARY, sizeof w_);                                                             \
        memset(g_, CANARY, sizeof g_);                                                             \
        int wn_ = LIBC(w_, BUFSZ, __VA_ARGS__);                                                    \
        int gn_ = SPEC(g_, BUFSZ, __VA_ARGS__);                                                    \
        check_same(#__VA_ARGS__, BUFSZ, sizeof w_, w_, wn_, g_, gn_);                              \
        for (size_t n_ = 0; n_ <= BUFSZ && n_ <= (size_t)wn_ + 1; n_++) {                          \
            memset(w_, CANARY, sizeof w_);                                                         \
            memset(g_, CANARY, sizeof g_);                                                         \
            wn_ = libc_fmt(w_, n_, __VA_ARGS__);                                                   \
            gn_ = spec_fmt(g_, n_, __VA_ARGS__);                                                   \
            check_same(#__VA_ARGS__, n_, sizeof w_, w_, wn_, g_, gn_);                             \
        }                                                                                          \
    } while (0)
#define CMP(...)  CMP_WITH(snprintf, fmt_snprintf, __VA_ARGS__)
#define CMPX(...) CMP_WITH(libc_fmt, spec_fmt, __VA_ARGS__)

/* Expected output of the kernel formatter alone (for what libc does
 * differently or leaves undefined). */
#define EXPECT(want, ...)                                                                          \
    do {                                                                                           \
        char g_[BUFSZ];                                                                            \
        memset(g_, CANARY, sizeof g_);                                                             \
        int gn_ = spec_fmt(g_, sizeof g_, __VA_ARGS__);                                            \
        ck_assert_msg(gn_ == (int)strlen(want) && strcmp(g_, want) == 0,                           \
                      "%s: want \"%s\", got \"%s\" -> %d", #__VA_ARGS__, want, g_, gn_);           \
    } while (0)

START_TEST(test_signed_decimal)
{
    CMP("%d", 0);
    CMP("%d", 1);
    CMP("%d", -1);
    CMP("%d", 42);
    CMP("%i", -12345);
    CMP("%d", INT_MAX);
    CMP("%d", INT_MIN);
    CMP("%i", INT_MIN);
    CMP("%1d", 12345);              /* width smaller than the number */
    CMP("%5d|", 42);
    CMP("%-5d|", 42);
    CMP("%05d", 42);
    CMP("%05d", -42);
    CMP("%+d", 42);
    CMP("%+d", -42);
    CMP("%+d", 0);
    CMP("% d", 42);
    CMP("% d", -42);
    CMP("% 05d", 42);
    CMP("%+05d", 42);
    CMP("%-+6d|", 42);
    CMP("%- 6d|", 42);
    CMP("%.3d", 7);
    CMP("%.3d", -7);
    CMP("%8.3d|", -7);
    CMP("%-8.3d|", -7);
    CMP("%.0d", 0);
    CMP("%5.0d|", 0);
    CMP("%-5.0d|", 0);
    CMP("%+.0d", 0);
    CMP("% .0d", 0);
    CMP("%.0d", 1);
    CMP("%.d", 0);                  /* a lone '.' is precision 0 */
    CMP("%.12d", INT_MIN);
    CMP("%020d", INT_MIN);
    CMP("%-20d|", INT_MIN);
    CMP("%+i", INT_MAX);
    /* Flags gcc warns about but C defines: '-' beats '0', '+' beats ' ',
     * a precision disables '0', and a repeated flag is harmless. */
    CMPX("%-05d|", 42);
    CMPX("%+ d", 42);
    CMPX("% +d", -42);
    CMPX("%08.3d", 7);
    CMPX("%08.3d", -7);
    CMPX("%--5d|", 3);
    CMPX("%005d", 3);
}
END_TEST

START_TEST(test_unsigned_decimal)
{
    CMP("%u", 0u);
    CMP("%u", 1u);
    CMP("%u", UINT_MAX);
    CMP("%10u|", 123u);
    CMP("%-10u|", 123u);
    CMP("%010u", 123u);
    CMP("%.5u", 123u);
    CMP("%8.5u|", 123u);
    CMP("%.0u|", 0u);
    CMP("%3.0u|", 0u);
    /* '+' and ' ' only apply to signed conversions. */
    CMPX("%+u", 5u);
    CMPX("% u", 5u);
}
END_TEST

START_TEST(test_hex_octal)
{
    CMP("%x", 0u);
    CMP("%x", 255u);
    CMP("%x", UINT_MAX);
    CMP("%X", 0xabcdefu);
    CMP("%#x", 0u);                 /* no 0x for zero */
    CMP("%#x", 255u);
    CMP("%#X", 255u);
    CMP("%#010x", 255u);            /* zeros go after the prefix */
    CMP("%#-10x|", 255u);
    CMP("%#10x|", 255u);
    CMP("%#.4x", 255u);
    CMP("%#10.4x|", 255u);
    CMP("%.0x|", 0u);
    CMP("%#.0x|", 0u);
    CMP("%08X", 0xbeefu);
    CMP("%.8x", 0x1234u);
    CMP("%o", 0u);
    CMP("%o", 8u);
    CMP("%o", UINT_MAX);
    CMP("%#o", 0u);                 /* a single 0, not "00" */
    CMP("%#o", 8u);
    CMP("%#.3o", 8u);               /* precision already gives the 0 */
    CMP("%#.0o", 0u);               /* '#' forces the digit back */
    CMP("%.0o|", 0u);
    CMP("%#5o|", 8u);
    CMP("%#05o", 8u);
    CMP("%-#6o|", 8u);
    CMP("%5o|", 511u);
}
END_TEST

START_TEST(test_length_modifiers)
{
    CMP("%hhd", 127);
    CMP("%hhd", (signed char)-128);
    CMPX("%hhd", 128);              /* converted to signed char: -128 */
    CMPX("%hhd", 255);
    CMPX("%hhd", -129);
    CMPX("%hhu", 256 + 7);
    CMP("%hhu", (unsigned char)200);
    CMPX("%hhx", 0x1ff);
    CMPX("%#hho", 0x1ff);
    CMP("%hd", (short)-32768);
    CMPX("%hd", 32768);
    CMPX("%hu", 70000);
    CMPX("%hx", 0x12345);
    CMP("%hi", (short)1234);
    CMP("%ld", LONG_MIN);
    CMP("%ld", LONG_MAX);
    CMP("%li", -1L);
    CMP("%lu", ULONG_MAX);
    CMP("%lx", ULONG_MAX);
    CMP("%lX", 0xdeadbeefcafeUL);
    CMP("%lo", ULONG_MAX);
    CMP("%lld", LLONG_MIN);
    CMP("%lld", LLONG_MAX);
    CMP("%lli", -1LL);
    CMP("%llu", ULLONG_MAX);
    CMP("%llx", ULLONG_MAX);
    CMP("%#llo", ULLONG_MAX);
    CMP("%#llX", 0x123456789abcdefULL);
    CMP("%zu", SIZE_MAX);
    CMP("%zx", SIZE_MAX);
    CMP("%zu", (size_t)0);
    CMP("%zd", (ssize_t)-5);
    CMP("%jd", INTMAX_MIN);
    CMP("%jd", INTMAX_MAX);
    CMP("%ju", UINTMAX_MAX);
    CMP("%jx", UINTMAX_MAX);
    CMP("%td", PTRDIFF_MIN);
    CMP("%td", PTRDIFF_MAX);
    CMP("%ti", (ptrdiff_t)-7);
    CMPX("%tx", (ptrdiff_t)-1);
    CMPX("%tu", (ptrdiff_t)-1);
    CMP("%" PRId64, INT64_MIN);
    CMP("%" PRIi64, INT64_MIN);
    CMP("%" PRId64, INT64_MAX);
    CMP("%+" PRId64, INT64_MAX);
    CMP("% " PRId64, INT64_MIN);
    CMP("%30" PRId64 "|", INT64_MIN);
    CMP("%-30" PRId64 "|", INT64_MIN);
    CMP("%030" PRId64, INT64_MIN);
    CMP("%.25" PRId64, INT64_MIN);
    CMP("%" PRIu64, UINT64_MAX);
    CMP("%" PRIx64, UINT64_MAX);
    CMP("%#" PRIX64, UINT64_MAX);
    CMP("%#" PRIo64, UINT64_MAX);
    CMP("%#.30" PRIx64, UINT64_MAX);
    CMP("%" PRIu64, (uint64_t)0);
    /* A narrow argument must not pick up garbage from the upper half of
     * the register/stack slot: pass an int after a 64-bit value. */
    CMP("%" PRIx64 " %d %" PRIx64, UINT64_MAX, -1, (uint64_t)0);
}
END_TEST

START_TEST(test_star)
{
    CMP("%*d|", 5, 42);
    CMP("%*d|", -5, 42);            /* negative width: '-' flag + width */
    CMP("%-*d|", 5, 42);
    CMP("%-*d|", -5, 42);
    CMP("%0*d|", 6, -42);
    CMP("%0*d|", -6, 42);           /* left wins over '0' */
    CMP("%*d|", 0, 42);
    CMP("%.*d|", 4, 42);
    CMP("%.*d|", -1, 42);           /* negative precision: as if omitted */
    CMP("%.*d|", 0, 0);
    CMP("%.*d|", -3, 0);
    CMP("%*.*d|", 8, 3, 42);
    CMP("%*.*d|", -8, 3, 42);
    CMP("%*.*d|", 8, -3, 42);
    CMPX("%0*.*d|", 8, -1, 42);     /* precision omitted: '0' applies */
    CMPX("%0*.*d|", 8, 2, 42);      /* precision given: '0' ignored */
    CMP("%*.*s|", 6, 2, "abcdef");
    CMP("%.*s|", 2, "hello");
    CMP("%.*s|", -1, "hello");
    CMP("%.*s|", 0, "hello");
    CMP("%*s|", -6, "ab");
    CMP("%#*x|", 8, 255u);
    CMP("%#*x|", -8, 255u);
    CMP("%*c|", 4, 'z');
    CMP("%*c|", -4, 'z');
    CMP("%*u|%*u|", 3, 1u, -3, 2u); /* several stars consumed in order */
}
END_TEST

START_TEST(test_char_string_pointer_percent)
{
    CMP("%c", 'A');
    CMP("%3c|", 'A');
    CMP("%-3c|", 'A');
    CMP("%c%c%c", 'a', 'b', 'c');
    CMP("x%cy", 0);                 /* an embedded NUL is output and counted */
    CMP("%c", 255);
    CMP("%s", "hello");
    CMP("%s|", "");
    CMP("%10s|", "hello");
    CMP("%-10s|", "hello");
    CMP("%.3s|", "hello");
    CMP("%.0s|", "hello");
    CMP("%10.3s|", "hello");
    CMP("%-10.3s|", "hello");
    CMP("%.10s|", "hi");
    CMP("%2s|", "hello");
    CMP("%s %s", "a", "b");
    CMP("%%");
    CMP("100%%");
    CMP("%%d");
    CMP("a%%b%%c");
    CMP("%d%%%u", -1, 2u);
    CMPX("%5%|");                   /* glibc and fmt both ignore the width */

    int x = 0;
    CMP("%p", (void *)&x);
    CMP("%p", (void *)1);
    CMP("%p", (void *)0x1234);
    CMP("%p", (void *)UINTPTR_MAX);
    CMP("%20p|", (void *)0x1234);
    CMP("%-20p|", (void *)0x1234);
    CMP("[%p]", (void *)&x);
}
END_TEST

START_TEST(test_mixed_and_long)
{
    CMP("%d %s %c %x %o %u %%", -3, "str", 'q', 0xffu, 8u, 7u);
    CMP("[%5s|%-5s|%05d|%-5x]", "ab", "cd", -12, 0xau);
    CMP("%lld/%llu/%hhd/%hd/%zd/%jd/%td", LLONG_MIN, ULLONG_MAX, (signed char)-1, (short)-2,
        (ssize_t)-3, (intmax_t)-4, (ptrdiff_t)-5);
    CMP("no conversions at all");
    CMP("%200d|", 1);
    CMP("%-200s|", "left");
    CMP("%.200d", 1);
    /* Longer than the 256-byte buffer: truncated identically, same count. */
    CMPX("%300d", 1);
    CMPX("%s%s%s", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
    CMPX("");
}
END_TEST

/* Buffer-size edges, spelled out rather than only compared with libc. */
START_TEST(test_truncation)
{
    char b[16];

    /* size 0: nothing written at all (NULL is allowed), full length returned */
    ck_assert_int_eq(fmt_snprintf(NULL, 0, "hello %d", 42), 8);
    memset(b, CANARY, sizeof b);
    ck_assert_int_eq(fmt_snprintf(b, 0, "hello"), 5);
    for (size_t i = 0; i < sizeof b; i++)
        ck_assert_int_eq((unsigned char)b[i], CANARY);

    /* size 1: only the NUL */
    memset(b, CANARY, sizeof b);
    ck_assert_int_eq(fmt_snprintf(b, 1, "hello"), 5);
    ck_assert_int_eq(b[0], '\0');
    ck_assert_int_eq((unsigned char)b[1], CANARY);

    /* exact fit: text plus NUL */
    memset(b, CANARY, sizeof b);
    ck_assert_int_eq(fmt_snprintf(b, 6, "hello"), 5);
    ck_assert_str_eq(b, "hello");
    ck_assert_int_eq((unsigned char)b[6], CANARY);

    /* one short: last character replaced by the NUL */
    memset(b, CANARY, sizeof b);
    ck_assert_int_eq(fmt_snprintf(b, 5, "hello"), 5);
    ck_assert_str_eq(b, "hell");
    ck_assert_int_eq((unsigned char)b[5], CANARY);

    /* a cut inside a conversion */
    memset(b, CANARY, sizeof b);
    ck_assert_int_eq(fmt_snprintf(b, 4, "%d", -123456), 7);
    ck_assert_str_eq(b, "-12");
    ck_assert_int_eq((unsigned char)b[4], CANARY);

    /* much longer than the buffer */
    memset(b, CANARY, sizeof b);
    ck_assert_int_eq(fmt_snprintf(b, sizeof b - 1, "%1000d", 7), 1000);
    ck_assert_uint_eq(strlen(b), sizeof b - 2);
    ck_assert_int_eq((unsigned char)b[sizeof b - 1], CANARY);

    /* empty output still terminates */
    memset(b, CANARY, sizeof b);
    ck_assert_int_eq(fmt_snprintf(b, sizeof b, "%s", ""), 0);
    ck_assert_int_eq(b[0], '\0');
    ck_assert_int_eq((unsigned char)b[1], CANARY);
}
END_TEST

/* fmt.c prints an unknown or incomplete conversion verbatim (from the '%'
 * up to and including the offending character) and consumes no argument
 * for it, except that a "*" width/precision parsed before the bad
 * character has already taken its int.  A '%' at the very end prints
 * itself.  %n is not supported, so it can never write through a pointer. */
START_TEST(test_unknown_conversion)
{
    EXPECT("%y", "%y");
    EXPECT("a%yb", "a%yb");
    EXPECT("%-5y|", "%-5y|");
    EXPECT("%#08.3y", "%#08.3y");
    EXPECT("%ly", "%ly");
    EXPECT("%hhy", "%hhy");
    EXPECT("%Lf", "%Lf");           /* 'L' is unknown, 'f' is then plain text */
    EXPECT("%f 42", "%f %d", 42);   /* no argument eaten by %f */
    EXPECT("%e ok", "%e %s", "ok");
    EXPECT("%n 7", "%n %d", 7);
    EXPECT("%*y 6", "%*y %d", 5, 6); /* the '*' already took 5 */
    EXPECT("100%", "100%");
    EXPECT("%", "%");
    EXPECT("%5", "%5");
    EXPECT("%-", "%-");
    EXPECT("%.3", "%.3");
    EXPECT("%l", "%l");
    EXPECT("%hh", "%hh");
    EXPECT("%ll", "%ll");
    EXPECT("x%zy", "x%zy");
    EXPECT("% q%d", "% q%%d");

    /* Truncation applies to verbatim output like to any other. */
    char b[3];
    ck_assert_int_eq(spec_fmt(b, sizeof b, "%-5y"), 4);
    ck_assert_str_eq(b, "%-");
}
END_TEST

/* The sink interface: every character (including an embedded NUL) reaches
 * the sink exactly once and the return value counts them. */
struct collect {
    char buf[64];
    int n;
};

static void collect_sink(void *ctx, char c)
{
    struct collect *k = ctx;
    if (k->n < (int)sizeof k->buf)
        k->buf[k->n] = c;
    k->n++;
}

static int vformat_helper(struct collect *k, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int r = fmt_vformat(collect_sink, k, f, ap);
    va_end(ap);
    return r;
}

START_TEST(test_sink)
{
    struct collect k = { .n = 0 };
    int r = vformat_helper(&k, "a%cb%5s", 0, "xy");
    ck_assert_int_eq(r, 8);
    ck_assert_int_eq(k.n, 8);
    ck_assert_mem_eq(k.buf, "a\0b   xy", 8);

    struct collect e = { .n = 0 };
    ck_assert_int_eq(vformat_helper(&e, ""), 0);
    ck_assert_int_eq(e.n, 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("fmt");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_signed_decimal);
    tcase_add_test(tc, test_unsigned_decimal);
    tcase_add_test(tc, test_hex_octal);
    tcase_add_test(tc, test_length_modifiers);
    tcase_add_test(tc, test_star);
    tcase_add_test(tc, test_char_string_pointer_percent);
    tcase_add_test(tc, test_mixed_and_long);
    tcase_add_test(tc, test_truncation);
    tcase_add_test(tc, test_unknown_conversion);
    tcase_add_test(tc, test_sink);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
