/**
 * @file cmdline.c
 * @brief Kernel command-line parser (see cmdline.h for the syntax).
 */
#include "spectrum/cmdline.h"

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool str_eq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

bool cmdline_parse(struct cmdline *cl, const char *s, size_t max)
{
    /* Reset without memset so the file also builds without libc. */
    cl->count = 0;
    cl->truncated = cl->too_many = cl->unterminated_quote = false;
    cl->buf[0] = '\0';
    if (!s)
        return true;

    size_t in = 0, out = 0;
    while (in < max && s[in]) {
        while (in < max && s[in] && is_blank(s[in]))
            in++;
        if (in >= max || !s[in])
            break;

        /* Room for at least "k\0=\0"?  Otherwise stop, flagged. */
        if (out + 2 >= CMDLINE_MAX_LEN) {
            cl->truncated = true;
            break;
        }
        const char *key = &cl->buf[out];
        const char *value = "";
        bool in_value = false, quoted = false, cut = false;

        while (in < max && s[in]) {
            char c = s[in];
            if (!quoted && is_blank(c))
                break;
            in++;
            if (c == '"' && in_value) {
                quoted = !quoted;
                continue;
            }
            if (c == '=' && !in_value) {
                in_value = true;
                if (out + 1 >= CMDLINE_MAX_LEN) {
                    cut = true;
                    break;
                }
                cl->buf[out++] = '\0';
                value = &cl->buf[out];
                continue;
            }
            if (out + 1 >= CMDLINE_MAX_LEN) {
                cut = true;
                break;
            }
            cl->buf[out++] = c;
        }
        if (quoted)
            cl->unterminated_quote = true;
        if (out >= CMDLINE_MAX_LEN)
            out = CMDLINE_MAX_LEN - 1;
        cl->buf[out++] = '\0';
        if (cut) {
            /* Keep no half option: a cut "run=sie" is worse than none. */
            cl->truncated = true;
            break;
        }
        if (*key == '\0')
            continue;               /* "=value" has no key: ignore it */
        if (cl->count == CMDLINE_MAX_OPTS) {
            cl->too_many = true;
            continue;
        }
        cl->key[cl->count] = key;
        cl->value[cl->count] = value;
        cl->count++;
    }
    return !cl->truncated && !cl->too_many && !cl->unterminated_quote;
}

const char *cmdline_get(const struct cmdline *cl, const char *key)
{
    /* Search backwards: a later option overrides an earlier one. */
    for (int i = cl->count - 1; i >= 0; i--)
        if (str_eq(cl->key[i], key))
            return cl->value[i];
    return 0;
}

bool cmdline_has(const struct cmdline *cl, const char *key)
{
    return cmdline_get(cl, key) != 0;
}

bool cmdline_parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s)
        return false;
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        if (!*s)
            return false;
    }
    uint64_t v = 0;
    const char *digits = s;
    for (; *s; s++) {
        unsigned d;
        char c = *s;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            break;
        if (v > (UINT64_MAX - d) / base)
            return false;           /* overflow */
        v = v * base + d;
    }
    if (s == digits)
        return false;               /* a suffix alone ("k", "0xm") is no number */
    unsigned shift = 0;
    switch (*s) {
    case '\0': break;
    case 'k': case 'K': shift = 10; s++; break;
    case 'm': case 'M': shift = 20; s++; break;
    case 'g': case 'G': shift = 30; s++; break;
    default: return false;
    }
    if (*s)
        return false;               /* trailing junk */
    if (shift && v > (UINT64_MAX >> shift))
        return false;
    *out = v << shift;
    return true;
}

bool cmdline_get_u64(const struct cmdline *cl, const char *key, uint64_t *out)
{
    return cmdline_parse_u64(cmdline_get(cl, key), out);
}

int cmdline_audit(const struct cmdline *cl, const char *const *known, size_t n,
                  void (*report)(void *ctx, const struct cmdline_problem *p), void *ctx)
{
    int problems = 0;
    for (int i = 0; i < cl->count; i++) {
        bool is_known = false;
        for (size_t k = 0; k < n && !is_known; k++)
            is_known = str_eq(cl->key[i], known[k]);
        /* Report a key once: at its last occurrence, the one that counts. */
        int times = 1;
        bool later = false;
        for (int j = 0; j < cl->count; j++) {
            if (j == i || !str_eq(cl->key[i], cl->key[j]))
                continue;
            times++;
            later |= j > i;
        }
        if (later)
            continue;
        if (!is_known) {
            struct cmdline_problem p = { CMDLINE_UNKNOWN, i, times };
            report(ctx, &p);
            problems++;
        }
        if (times > 1) {
            struct cmdline_problem p = { CMDLINE_REPEATED, i, times };
            report(ctx, &p);
            problems++;
        }
    }
    return problems;
}
