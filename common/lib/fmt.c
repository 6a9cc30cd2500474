/**
 * @file fmt.c
 * @brief The printf engine: parses a conversion specification and renders
 *        integers, characters and strings into a sink.
 */
#include "spectrum/fmt.h"

#include <stdbool.h>
#include <stdint.h>

/** One parsed conversion specification (C11 §7.21.6.1p4). */
struct fmt_spec {
    bool left;      /**< '-' : pad on the right */
    bool zero;      /**< '0' : pad numbers with zeros */
    bool plus;      /**< '+' : always print a sign */
    bool space;     /**< ' ' : space where the sign would be */
    bool alt;       /**< '#' : 0x prefix for x, leading 0 for o */
    int width;      /**< minimum field width, 0 when absent */
    int precision;  /**< -1 when absent */
};

/** Output state: the sink and how many characters went through it. */
struct fmt_out {
    fmt_sink sink;
    void *ctx;
    int count;
};

static void put(struct fmt_out *o, char c)
{
    o->sink(o->ctx, c);
    o->count++;
}

static void pad(struct fmt_out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

static void put_string(struct fmt_out *o, const struct fmt_spec *s, const char *str)
{
    if (!str)
        str = "(null)";
    int len = 0;
    while (str[len] && (s->precision < 0 || len < s->precision))
        len++;
    if (!s->left)
        pad(o, ' ', s->width - len);
    for (int i = 0; i < len; i++)
        put(o, str[i]);
    if (s->left)
        pad(o, ' ', s->width - len);
}

/* Render magnitude @p v in @p base, with an optional sign character and
 * prefix, honouring width, precision and the '-'/'0' flags. */
static void put_number(struct fmt_out *o, const struct fmt_spec *s, uint64_t v, unsigned base,
                       bool upper, char sign, const char *prefix)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int n = 0;
    /* C11: precision 0 with value 0 produces no digits. */
    if (!(v == 0 && s->precision == 0)) {
        do {
            buf[n++] = digits[v % base];
            v /= base;
        } while (v);
    }
    int zeros = s->precision > n ? s->precision - n : 0;
    /* '#' with 'o' forces a leading zero if there is none. */
    if (prefix && prefix[0] == '0' && prefix[1] == '\0') {
        if (zeros > 0 || (n > 0 && buf[n - 1] == '0'))
            prefix = NULL;
    }
    int plen = 0;
    while (prefix && prefix[plen])
        plen++;
    int total = n + zeros + plen + (sign ? 1 : 0);
    /* The '0' flag is ignored when a precision is given (C11 7.21.6.1p6). */
    bool zero_pad = s->zero && !s->left && s->precision < 0;
    if (!s->left && !zero_pad)
        pad(o, ' ', s->width - total);
    if (sign)
        put(o, sign);
    for (int i = 0; i < plen; i++)
        put(o, prefix[i]);
    if (zero_pad)
        pad(o, '0', s->width - total);
    pad(o, '0', zeros);
    while (n)
        put(o, buf[--n]);
    if (s->left)
        pad(o, ' ', s->width - total);
}

enum fmt_len { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_MAX, LEN_PTRDIFF };

static uint64_t arg_unsigned(va_list *ap, enum fmt_len len)
{
    switch (len) {
    case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_LONG: return va_arg(*ap, unsigned long);
    case LEN_LLONG: return va_arg(*ap, unsigned long long);
    case LEN_SIZE: return va_arg(*ap, size_t);
    case LEN_MAX: return va_arg(*ap, uintmax_t);
    case LEN_PTRDIFF: return (uint64_t)va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, unsigned int);
    }
}

static int64_t arg_signed(va_list *ap, enum fmt_len len)
{
    switch (len) {
    case LEN_CHAR: return (signed char)va_arg(*ap, int);
    case LEN_SHORT: return (short)va_arg(*ap, int);
    case LEN_LONG: return va_arg(*ap, long);
    case LEN_LLONG: return va_arg(*ap, long long);
    case LEN_SIZE: return (int64_t)va_arg(*ap, size_t);
    case LEN_MAX: return va_arg(*ap, intmax_t);
    case LEN_PTRDIFF: return va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, int);
    }
}

int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap_in)
{
    struct fmt_out o = { sink, ctx, 0 };
    va_list ap;
    va_copy(ap, ap_in);

    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        const char *start = p++;
        struct fmt_spec s = { .precision = -1 };
        for (;; p++) {
            if (*p == '-') s.left = true;
            else if (*p == '0') s.zero = true;
            else if (*p == '+') s.plus = true;
            else if (*p == ' ') s.space = true;
            else if (*p == '#') s.alt = true;
            else break;
        }
        if (*p == '*') {
            int w = va_arg(ap, int);
            if (w < 0) {
                s.left = true;
                /* -INT_MIN overflows: clamp (no field is that wide). */
                w = w < -(1 << 30) ? (1 << 30) : -w;
            }
            s.width = w;
            p++;
        } else {
            while (*p >= '0' && *p <= '9')
                s.width = s.width * 10 + (*p++ - '0');
        }
        if (*p == '.') {
            p++;
            s.precision = 0;
            if (*p == '*') {
                s.precision = va_arg(ap, int);
                if (s.precision < 0)
                    s.precision = -1;
                p++;
            } else {
                while (*p >= '0' && *p <= '9')
                    s.precision = s.precision * 10 + (*p++ - '0');
            }
        }
        enum fmt_len len = LEN_INT;
        switch (*p) {
        case 'h':
            len = LEN_SHORT;
            if (p[1] == 'h') { len = LEN_CHAR; p++; }
            p++;
            break;
        case 'l':
            len = LEN_LONG;
            if (p[1] == 'l') { len = LEN_LLONG; p++; }
            p++;
            break;
        case 'z': len = LEN_SIZE; p++; break;
        case 'j': len = LEN_MAX; p++; break;
        case 't': len = LEN_PTRDIFF; p++; break;
        default: break;
        }

        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v = arg_signed(&ap, len);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            char sign = v < 0 ? '-' : s.plus ? '+' : s.space ? ' ' : 0;
            put_number(&o, &s, mag, 10, false, sign, NULL);
            break;
        }
        case 'u':
            put_number(&o, &s, arg_unsigned(&ap, len), 10, false, 0, NULL);
            break;
        case 'o':
            put_number(&o, &s, arg_unsigned(&ap, len), 8, false, 0, s.alt ? "0" : NULL);
            break;
        case 'x':
        case 'X': {
            uint64_t v = arg_unsigned(&ap, len);
            const char *prefix = (s.alt && v) ? (*p == 'x' ? "0x" : "0X") : NULL;
            put_number(&o, &s, v, 16, *p == 'X', 0, prefix);
            break;
        }
        case 'p': {
            uint64_t v = (uintptr_t)va_arg(ap, void *);
            put_number(&o, &s, v, 16, false, 0, "0x");
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            if (!s.left)
                pad(&o, ' ', s.width - 1);
            put(&o, c);
            if (s.left)
                pad(&o, ' ', s.width - 1);
            break;
        }
        case 's':
            put_string(&o, &s, va_arg(ap, const char *));
            break;
        case '%':
            put(&o, '%');
            break;
        default:
            /* Unknown or truncated conversion: show it verbatim so the
             * mistake is visible instead of silently eating arguments. */
            for (const char *q = start; q <= p && *q; q++)
                put(&o, *q);
            if (!*p)
                p--;
            break;
        }
    }
    va_end(ap);
    return o.count;
}

/** Sink state for fmt_vsnprintf(). */
struct fmt_buf {
    char *buf;
    size_t size;
    size_t pos;
};

static void buf_sink(void *ctx, char c)
{
    struct fmt_buf *b = ctx;
    if (b->pos + 1 < b->size)
        b->buf[b->pos] = c;
    b->pos++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct fmt_buf b = { buf, size, 0 };
    int n = fmt_vformat(buf_sink, &b, fmt, ap);
    if (size)
        buf[b.pos < size ? b.pos : size - 1] = '\0';
    return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
