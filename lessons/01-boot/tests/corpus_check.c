/**
 * @file corpus_check.c
 * @brief objdump cross-check of the x86 decoder (see corpus_check.h).
 */
#include "corpus_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_corpus.h"
#include "x86/format.h"

/** One instruction as objdump listed it. */
typedef struct listed {
    size_t addr;   /**< offset in .text */
    unsigned len;  /**< bytes objdump attributed to it */
    char *text;    /**< objdump's text (points into the listing buffer) */
} listed;

static void report(corpus_result *res, const char *fmt, ...)
{
    size_t used = strlen(res->report);
    if (used + 1 >= sizeof res->report)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->report + used, sizeof res->report - used, fmt, ap);
    va_end(ap);
}

void corpus_normalize(const char *in, char *out)
{
    char *o = out;
    bool space = false;
    for (const char *p = in; *p != '\0' && *p != '\n'; p++) {
        if (*p == ' ' || *p == '\t') {
            space = o != out;
            continue;
        }
        if (space)
            *o++ = ' ';
        space = false;
        *o++ = *p;
    }
    *o = '\0';
    /* Drop a trailing " <symbol+off>" annotation. */
    size_t n = (size_t)(o - out);
    if (n > 0 && out[n - 1] == '>') {
        char *lt = strrchr(out, '<');
        if (lt != NULL && lt > out && lt[-1] == ' ')
            lt[-1] = '\0';
    }
}

static char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *t = realloc(buf, 2 * cap + 1);
            if (t == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = t;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf != NULL)
        buf[n] = '\0';
    *size = n;
    return buf;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Parse objdump's listing into instructions and the concatenated bytes.
 * Lines look like "  1f:\t48 8b 44 24 08   \tmov    0x8(%rsp),%rax". */
static bool parse_listing(char *text, listed **out, size_t *count,
                          unsigned char **bytes, size_t *nbytes, corpus_result *res)
{
    size_t cap = 4096, n = 0, bcap = 65536, nb = 0;
    listed *ins = malloc(cap * sizeof *ins);
    unsigned char *code = malloc(bcap);
    if (ins == NULL || code == NULL) {
        free(ins);
        free(code);
        report(res, "out of memory\n");
        return false;
    }
    for (char *line = text; line != NULL && *line != '\0';) {
        char *next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        char *p = line;
        while (*p == ' ')
            p++;
        char *colon = p;
        while (hexval(*colon) >= 0)
            colon++;
        if (colon == p || colon[0] != ':' || colon[1] != '\t') {
            line = next;
            continue; /* header, blank or label line */
        }
        size_t addr = strtoull(p, NULL, 16);
        if (addr != nb) {
            report(res, "objdump listing not contiguous at 0x%zx\n", addr);
            free(ins);
            free(code);
            return false;
        }
        p = colon + 2;
        unsigned len = 0;
        while (hexval(p[0]) >= 0 && hexval(p[1]) >= 0) {
            if (nb == bcap) {
                unsigned char *t = realloc(code, bcap *= 2);
                if (t == NULL) {
                    free(ins);
                    free(code);
                    report(res, "out of memory\n");
                    return false;
                }
                code = t;
            }
            code[nb++] = (unsigned char)(hexval(p[0]) << 4 | hexval(p[1]));
            len++;
            p += 2;
            while (*p == ' ')
                p++;
        }
        if (*p == '\t')
            p++;
        if (n == cap) {
            listed *t = realloc(ins, (cap *= 2) * sizeof *ins);
            if (t == NULL) {
                free(ins);
                free(code);
                report(res, "out of memory\n");
                return false;
            }
            ins = t;
        }
        ins[n++] = (listed){ .addr = addr, .len = len, .text = p };
        line = next;
    }
    *out = ins;
    *count = n;
    *bytes = code;
    *nbytes = nb;
    return true;
}

static bool run(const char *cmd, const char *log, corpus_result *res)
{
    int rc = system(cmd);
    if (rc == 0)
        return true;
    report(res, "command failed (status %d): %s\n", rc, cmd);
    size_t n;
    char *text = slurp(log, &n);
    if (text != NULL) {
        report(res, "%.4000s\n", text);
        free(text);
    }
    return false;
}

bool corpus_check(x86_mode mode, const char *workdir, corpus_result *res)
{
    memset(res, 0, sizeof *res);
    char src[4096], obj[4096], dis[4096], log[4096], cmd[16384];
    snprintf(src, sizeof src, "%s/corpus%d.s", workdir, (int)mode);
    snprintf(obj, sizeof obj, "%s/corpus%d.o", workdir, (int)mode);
    snprintf(dis, sizeof dis, "%s/corpus%d.dis", workdir, (int)mode);
    snprintf(log, sizeof log, "%s/corpus%d.log", workdir, (int)mode);

    FILE *f = fopen(src, "w");
    if (f == NULL) {
        report(res, "cannot create %s\n", src);
        return false;
    }
    res->lines = gen_corpus_write(f, mode);
    if (fclose(f) != 0) {
        report(res, "cannot write %s\n", src);
        return false;
    }

    snprintf(cmd, sizeof cmd, "as -o '%s' '%s' 2>'%s'", obj, src, log);
    if (!run(cmd, log, res))
        return false;
    const char *arch = mode == X86_MODE_16 ? "i8086" : mode == X86_MODE_32 ? "i386" : "x86-64";
    snprintf(cmd, sizeof cmd,
             "objdump -d -z --insn-width=16 -M %s '%s' >'%s' 2>'%s'", arch, obj, dis, log);
    if (!run(cmd, log, res))
        return false;

    size_t size;
    char *listing = slurp(dis, &size);
    if (listing == NULL) {
        report(res, "cannot read %s\n", dis);
        return false;
    }
    listed *ins;
    size_t count, nbytes;
    unsigned char *code;
    if (!parse_listing(listing, &ins, &count, &code, &nbytes, res)) {
        free(listing);
        return false;
    }

    unsigned shown = 0;
    for (size_t i = 0; i < count; i++) {
        x86_insn insn;
        x86_status st = x86_decode(code + ins[i].addr, nbytes - ins[i].addr, mode,
                                   ins[i].addr, &insn);
        char ours[X86_FORMAT_MAX] = "", want[512], got[X86_FORMAT_MAX + 64];
        if (st == X86_DECODE_OK)
            x86_format(&insn, ours, sizeof ours);
        corpus_normalize(ins[i].text, want);
        corpus_normalize(ours, got);
        res->insns++;
        bool same = st == X86_DECODE_OK && insn.length == ins[i].len && strcmp(want, got) == 0;
        if (st == X86_DECODE_OK)
            res->seen[insn.mnemonic] = 1;
        if (same)
            continue;
        res->mismatches++;
        if (shown++ >= CORPUS_REPORT_MAX)
            continue;
        char hex[3 * 16 + 1] = "";
        for (unsigned k = 0; k < ins[i].len && k < 16; k++)
            snprintf(hex + 3 * k, sizeof hex - 3 * k, "%02x ", code[ins[i].addr + k]);
        report(res, "  %d-bit @%#zx [%s]\n    objdump: %s (%u bytes)\n    decoder: %s (%s, %u bytes)\n",
               (int)mode, ins[i].addr, hex, want, ins[i].len, got, x86_status_name(st),
               insn.length);
    }
    if (shown > CORPUS_REPORT_MAX)
        report(res, "  ... and %u more\n", shown - CORPUS_REPORT_MAX);
    free(ins);
    free(code);
    free(listing);
    return true;
}
