/**
 * @file x86dis.c
 * @brief Host disassembler built on the Spectrum x86 decoder.
 *
 *     x86dis [-m 16|32|64] [-a ADDR] [HEXBYTES...]
 *
 * Bytes come from the arguments or, if there are none, from stdin, as hex
 * tokens separated by whitespace or commas ("48 8b 44 24 08",
 * "488b442408" and "0x48,0x8b" all work).  Each instruction is printed as
 *
 *     ADDR  LEN  BYTES  MNEMONIC OPERANDS
 *
 * in objdump's AT&T syntax.  Bytes that do not decode print "(bad)"
 * followed by the decoder's reason; the tool then skips one byte, the
 * same resynchronisation objdump uses (the decoder itself never guesses a
 * length).  Exit status: 0 if everything decoded, 1 if some bytes did
 * not, 2 on usage errors.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x86/decode.h"
#include "x86/format.h"

/** Upper bound on input size; plenty for a command-line tool. */
#define X86DIS_MAX_BYTES (1u << 20)

static void usage(void)
{
    fprintf(stderr,
            "usage: x86dis [-m 16|32|64] [-a ADDR] [HEXBYTES...]\n"
            "  Decodes hex bytes (from the arguments, or stdin if none) and\n"
            "  prints ADDR LEN BYTES MNEMONIC OPERANDS per instruction.\n"
            "  -m  processor mode in bits (default 64)\n"
            "  -a  address of the first byte (default 0)\n");
}

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Append the bytes of one hex token to buf; returns 0 on success. */
static int parse_token(const char *tok, size_t n, uint8_t *buf, size_t *len)
{
    if (n >= 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X')) {
        tok += 2;
        n -= 2;
    }
    if (n == 0)
        return -1;
    if (n == 1) { /* "0xf" or "f": a single byte */
        int v = hex_value(tok[0]);
        if (v < 0 || *len >= X86DIS_MAX_BYTES)
            return -1;
        buf[(*len)++] = (uint8_t)v;
        return 0;
    }
    if (n % 2 != 0)
        return -1;
    for (size_t i = 0; i < n; i += 2) {
        int hi = hex_value(tok[i]), lo = hex_value(tok[i + 1]);
        if (hi < 0 || lo < 0 || *len >= X86DIS_MAX_BYTES)
            return -1;
        buf[(*len)++] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

/* Split text into tokens at whitespace and commas and parse each. */
static int parse_text(const char *text, uint8_t *buf, size_t *len)
{
    const char *p = text;
    for (;;) {
        while (*p != '\0' && (isspace((unsigned char)*p) || *p == ','))
            p++;
        if (*p == '\0')
            return 0;
        const char *start = p;
        while (*p != '\0' && !isspace((unsigned char)*p) && *p != ',')
            p++;
        if (parse_token(start, (size_t)(p - start), buf, len) != 0) {
            fprintf(stderr, "x86dis: not a hex byte sequence: '%.*s'\n",
                    (int)(p - start), start);
            return -1;
        }
    }
}

static char *read_stdin(void)
{
    size_t cap = 4096, n = 0;
    char *s = malloc(cap);
    if (s == NULL)
        return NULL;
    int c;
    while ((c = getchar()) != EOF) {
        if (n + 1 >= cap) {
            char *t = realloc(s, cap * 2);
            if (t == NULL) {
                free(s);
                return NULL;
            }
            s = t;
            cap *= 2;
        }
        s[n++] = (char)c;
    }
    s[n] = '\0';
    return s;
}

static void print_bytes(const uint8_t *p, size_t n)
{
    char text[3 * X86_MAX_INSN_LEN + 1];
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(text + k, sizeof text - k, i ? " %02x" : "%02x", p[i]);
    printf("%-20s", text);
}

int main(int argc, char **argv)
{
    x86_mode mode = X86_MODE_64;
    uint64_t addr = 0;
    int i = 1;

    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (strcmp(argv[i], "-m") == 0 && i + 1 < argc) {
            int m = atoi(argv[++i]);
            if (m != 16 && m != 32 && m != 64) {
                usage();
                return 2;
            }
            mode = (x86_mode)m;
        } else if (strcmp(argv[i], "-a") == 0 && i + 1 < argc) {
            char *end;
            addr = strtoull(argv[++i], &end, 0);
            if (*end != '\0') {
                usage();
                return 2;
            }
        } else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else {
            usage();
            return 2;
        }
    }

    uint8_t *code = malloc(X86DIS_MAX_BYTES);
    size_t len = 0;
    if (code == NULL)
        return 2;
    if (i < argc) {
        for (; i < argc; i++)
            if (parse_text(argv[i], code, &len) != 0)
                return 2;
    } else {
        char *text = read_stdin();
        if (text == NULL || parse_text(text, code, &len) != 0)
            return 2;
        free(text);
    }

    int bad = 0;
    size_t off = 0;
    while (off < len) {
        x86_insn insn;
        uint64_t at = addr + off;
        x86_status st = x86_decode(code + off, len - off, mode, at, &insn);
        printf("%" PRIx64 "  ", at);
        if (st == X86_DECODE_OK) {
            char text[X86_FORMAT_MAX];
            x86_format(&insn, text, sizeof text);
            printf("%-2u  ", insn.length);
            print_bytes(code + off, insn.length);
            printf("  %s\n", text);
            off += insn.length;
            continue;
        }
        /* Not an instruction: report why and resynchronise one byte on
         * (all remaining bytes if the buffer simply ran out). */
        size_t skip = st == X86_DECODE_TRUNCATED ? len - off : 1;
        if (st == X86_DECODE_UNDEFINED)
            skip = insn.length;
        printf("%-2zu  ", skip);
        print_bytes(code + off, skip < X86_MAX_INSN_LEN ? skip : X86_MAX_INSN_LEN);
        printf("  (bad)  # %s", x86_status_name(st));
        if (st == X86_DECODE_UNDEFINED) {
            char text[X86_FORMAT_MAX];
            x86_format(&insn, text, sizeof text);
            printf(": %s", text);
        }
        putchar('\n');
        off += skip;
        bad = 1;
    }
    free(code);
    return bad;
}
