/**
 * @file test_decode.c
 * @brief Check unit tests for the x86 decoder and AT&T formatter.
 *
 * Two kinds of tests:
 *  - corpus tests: thousands of generated instructions per mode, assembled
 *    by `as` and disassembled by `objdump`, must decode to the same length
 *    and text (corpus_check.h documents the normalisation);
 *  - hand-written tests for what objdump cannot judge: hostile inputs
 *    (15-byte limit, truncation, unknown and reserved opcodes), prefix
 *    rules, the decoded struct's fields, 16-bit and RIP-relative
 *    addressing.
 *
 * Run from the repository root; generated files go next to the binary
 * (build/host/tests/decode_corpus/), never into the source tree.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "corpus_check.h"
#include "x86/decode.h"
#include "x86/format.h"

/** Directory for generated corpus files, derived from argv[0]. */
static char corpus_dir[4096] = "build/host/tests/decode_corpus";

/* ---- helpers ---------------------------------------------------------- */

/* "48 8b 44 24 08" -> bytes; returns the count. */
static size_t hex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (*s != '\0') {
        if (*s == ' ') {
            s++;
            continue;
        }
        unsigned v;
        ck_assert_msg(sscanf(s, "%2x", &v) == 1, "bad hex '%s'", s);
        ck_assert_uint_lt(n, cap);
        out[n++] = (uint8_t)v;
        s += 2;
    }
    return n;
}

/* Decode exactly the bytes given (in a buffer of exactly that size). */
static x86_status decode_hex(x86_mode mode, uint64_t addr, const char *bytes, x86_insn *insn,
                             size_t *n)
{
    uint8_t buf[64];
    *n = hex(bytes, buf, sizeof buf);
    return x86_decode(buf, *n, mode, addr, insn);
}

/* Decode and format; the instruction must use all bytes. */
static void expect_at(x86_mode mode, uint64_t addr, const char *bytes, const char *text)
{
    x86_insn insn;
    size_t n;
    x86_status st = decode_hex(mode, addr, bytes, &insn, &n);
    ck_assert_msg(st == X86_DECODE_OK, "%d-bit [%s]: %s", (int)mode, bytes, x86_status_name(st));
    ck_assert_msg(insn.length == n, "%d-bit [%s]: length %u, expected %zu", (int)mode, bytes,
                  insn.length, n);
    char out[X86_FORMAT_MAX], norm[X86_FORMAT_MAX];
    x86_format(&insn, out, sizeof out);
    corpus_normalize(out, norm);
    ck_assert_msg(strcmp(norm, text) == 0, "%d-bit [%s]: got '%s', expected '%s'", (int)mode,
                  bytes, norm, text);
}

static void expect(x86_mode mode, const char *bytes, const char *text)
{
    expect_at(mode, 0, bytes, text);
}

static void expect_status(x86_mode mode, const char *bytes, x86_status want)
{
    x86_insn insn;
    size_t n;
    x86_status st = decode_hex(mode, 0, bytes, &insn, &n);
    ck_assert_msg(st == want, "%d-bit [%s]: got '%s', expected '%s'", (int)mode, bytes,
                  x86_status_name(st), x86_status_name(want));
    if (st != X86_DECODE_OK && st != X86_DECODE_UNDEFINED)
        ck_assert_msg(insn.length == 0, "[%s]: failed decode reports length %u", bytes,
                      insn.length);
}

/* ---- corpus ----------------------------------------------------------- */

static void corpus_mode(x86_mode mode, corpus_result *res)
{
    ck_assert_msg(corpus_check(mode, corpus_dir, res), "%d-bit corpus run failed:\n%.3000s",
                  (int)mode, res->report);
    printf("x86 corpus %d-bit: %u instructions (%u source lines), %u mismatches\n", (int)mode,
           res->insns, res->lines, res->mismatches);
    if (res->mismatches != 0)
        fprintf(stderr, "%d-bit mismatches (first %d):\n%s", (int)mode, CORPUS_REPORT_MAX,
                res->report);
    ck_assert_msg(res->mismatches == 0, "%u of %u %d-bit instructions differ from objdump:\n%.3000s",
                  res->mismatches, res->insns, (int)mode, res->report);
    ck_assert_uint_ge(res->insns, 2000);
}

static corpus_result *new_result(void)
{
    corpus_result *r = calloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    return r;
}

START_TEST(corpus_16)
{
    corpus_result *r = new_result();
    corpus_mode(X86_MODE_16, r);
    free(r);
}
END_TEST

START_TEST(corpus_32)
{
    corpus_result *r = new_result();
    corpus_mode(X86_MODE_32, r);
    free(r);
}
END_TEST

START_TEST(corpus_64)
{
    corpus_result *r = new_result();
    corpus_mode(X86_MODE_64, r);
    free(r);
}
END_TEST

/* Every mnemonic in the table must occur in the corpus of some mode, so the
 * objdump cross-check covers the whole table, not only what is easy. */
START_TEST(corpus_covers_every_mnemonic)
{
    static const x86_mode modes[] = { X86_MODE_16, X86_MODE_32, X86_MODE_64 };
    unsigned char seen[X86_MN_COUNT_] = { 0 };
    corpus_result *r = new_result();
    for (unsigned m = 0; m < 3; m++) {
        ck_assert_msg(corpus_check(modes[m], corpus_dir, r), "%.3000s", r->report);
        for (unsigned i = 0; i < X86_MN_COUNT_; i++)
            seen[i] |= r->seen[i];
    }
    free(r);
    char missing[2048] = "";
    for (unsigned i = 1; i < X86_MN_COUNT_; i++)
        if (!seen[i] && strlen(missing) + 16 < sizeof missing) {
            strcat(missing, " ");
            strcat(missing, x86_mnemonic_name((x86_mnemonic)i));
        }
    ck_assert_msg(missing[0] == '\0', "mnemonics absent from the corpus:%s", missing);
}
END_TEST

/* ---- hostile inputs --------------------------------------------------- */

START_TEST(length_limit)
{
    uint8_t buf[32];
    x86_insn insn;
    /* 14 redundant 66 prefixes + NOP = 15 bytes: the longest legal length. */
    for (int i = 0; i < 14; i++)
        buf[i] = 0x66;
    buf[14] = 0x90;
    ck_assert_int_eq(x86_decode(buf, 15, X86_MODE_32, 0, &insn), X86_DECODE_OK);
    ck_assert_uint_eq(insn.length, 15);
    ck_assert_uint_eq(insn.num_prefixes, 14);
    /* One more prefix: 16 bytes, #GP on real hardware. */
    for (int i = 0; i < 15; i++)
        buf[i] = 0x66;
    buf[15] = 0x90;
    ck_assert_int_eq(x86_decode(buf, 16, X86_MODE_32, 0, &insn), X86_DECODE_TOO_LONG);
    ck_assert_uint_eq(insn.length, 0);
    /* The limit also counts ModRM, displacement and immediate bytes:
     * 9 x CS + C7 05 disp32 imm32 = 19 bytes. */
    for (int i = 0; i < 9; i++)
        buf[i] = 0x2e;
    const uint8_t tail[] = { 0xc7, 0x05, 1, 2, 3, 4, 5, 6, 7, 8 };
    memcpy(buf + 9, tail, sizeof tail);
    ck_assert_int_eq(x86_decode(buf, sizeof buf, X86_MODE_32, 0, &insn), X86_DECODE_TOO_LONG);
    /* ... and 5 x CS makes it exactly 15. */
    memcpy(buf + 5, tail, sizeof tail);
    ck_assert_int_eq(x86_decode(buf, sizeof buf, X86_MODE_32, 0, &insn), X86_DECODE_OK);
    ck_assert_uint_eq(insn.length, 15);
    /* A buffer that ends inside a run of prefixes is truncated, not too long. */
    memset(buf, 0xf0, sizeof buf);
    ck_assert_int_eq(x86_decode(buf, 10, X86_MODE_64, 0, &insn), X86_DECODE_TRUNCATED);
    ck_assert_int_eq(x86_decode(buf, 15, X86_MODE_64, 0, &insn), X86_DECODE_TOO_LONG);
    ck_assert_int_eq(x86_decode(buf, sizeof buf, X86_MODE_64, 0, &insn), X86_DECODE_TOO_LONG);
}
END_TEST

START_TEST(truncated_everywhere)
{
    static const struct { x86_mode mode; const char *bytes; } samples[] = {
        { X86_MODE_64, "48 8b 44 24 08" },
        { X86_MODE_64, "64 48 c7 84 88 78 56 34 12 ff ff ff 7f" },
        { X86_MODE_64, "48 b8 88 77 66 55 44 33 22 11" },
        { X86_MODE_64, "a1 01 02 03 04 05 06 07 08" },
        { X86_MODE_64, "0f 84 00 01 00 00" },
        { X86_MODE_64, "c8 10 00 01" },
        { X86_MODE_32, "9a 78 56 34 12 08 00" },
        { X86_MODE_32, "69 84 24 00 01 00 00 78 56 34 12" },
        { X86_MODE_32, "0f ba 20 05" },
        { X86_MODE_16, "8b 87 34 12" },
        { X86_MODE_16, "66 ea 00 00 01 00 08 00" },
        { X86_MODE_16, "67 66 c7 44 24 08 78 56 34 12" },
    };
    for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++) {
        uint8_t buf[16];
        size_t n = hex(samples[s].bytes, buf, sizeof buf);
        x86_insn insn;
        ck_assert_int_eq(x86_decode(buf, n, samples[s].mode, 0, &insn), X86_DECODE_OK);
        ck_assert_uint_eq(insn.length, n);
        for (size_t k = 0; k < n; k++) {
            /* Copy into an exactly sized heap block: reading past it would
             * be caught by ASan/valgrind. */
            uint8_t *p = malloc(k ? k : 1);
            ck_assert_ptr_nonnull(p);
            memcpy(p, buf, k);
            x86_status st = x86_decode(p, k, samples[s].mode, 0, &insn);
            free(p);
            ck_assert_msg(st == X86_DECODE_TRUNCATED, "[%s] cut to %zu bytes: %s",
                          samples[s].bytes, k, x86_status_name(st));
            ck_assert_uint_eq(insn.length, 0);
        }
    }
}
END_TEST

START_TEST(bad_arguments)
{
    uint8_t nop = 0x90;
    x86_insn insn;
    ck_assert_int_eq(x86_decode(&nop, 1, X86_MODE_64, 0, NULL), X86_DECODE_BAD_ARGUMENT);
    ck_assert_int_eq(x86_decode(&nop, 1, (x86_mode)8, 0, &insn), X86_DECODE_BAD_ARGUMENT);
    ck_assert_int_eq(x86_decode(NULL, 4, X86_MODE_64, 0, &insn), X86_DECODE_BAD_ARGUMENT);
    ck_assert_int_eq(x86_decode(NULL, 0, X86_MODE_64, 0, &insn), X86_DECODE_TRUNCATED);
    ck_assert_int_eq(x86_decode(&nop, 0, X86_MODE_16, 0, &insn), X86_DECODE_TRUNCATED);
}
END_TEST

START_TEST(unknown_opcodes)
{
    static const char *const in64[] = {
        "0f ff c0",          /* UD0: reserved, length differs between vendors */
        "0f ff",
        "0f 38 00 c0",       /* three-byte maps */
        "0f 3a 0f c1 08",
        "d8 c0", "df e0",    /* x87 */
        "f1",                /* INT1 */
        "d6",                /* SALC (undocumented) */
        "0f 05", "0f 07", "0f 34", /* syscall, sysret, sysenter */
        "ff 38", "ff f8",    /* FF /7 */
        "fe 10",             /* FE /2 */
        "c6 c8 00", "c7 c8 00 00 00 00", "c6 f8 00", /* C6/C7 /1, XABORT */
        "8f c8",             /* XOP escape */
        "f3 0f bc c0", "f3 0f bd c0", "f3 0f b8 c0", "0f b8 c0", /* tzcnt, lzcnt, popcnt */
        "c4 e2 79 00 c0", "c5 f8 77", "62 f1 7c 48 28 c1", /* VEX, EVEX */
        "0f 01 c8", "0f 01 ca", "0f 01 28", /* monitor, clac, 0F 01 /5 */
        "f3 0f 01 10",       /* F3 with group 7 */
        "66 0f ae f0", "f3 0f ae e8", "0f ae 00", "0f ae 38", /* tpause, incssp, fxsave, clflush */
        "0f c7 f0", "0f c7 08 66",  /* rdrand; */
        "0f 18 00", "0f 0d 00", "0f 1f c8", "0f 1e fa", "f3 0f 1e fa", "f3 0f 1f 00",
        "f3 0f 09", "0f 00 f0", "0f 00 38", "0f ba e0 01 00",
    };
    for (size_t i = 0; i < sizeof in64 / sizeof in64[0]; i++) {
        if (strcmp(in64[i], "0f c7 08 66") == 0) {
            expect(X86_MODE_64, "0f c7 08", "cmpxchg8b (%rax)");
            continue;
        }
        if (strcmp(in64[i], "0f ba e0 01 00") == 0) {
            expect_status(X86_MODE_64, "0f ba c0 01", X86_DECODE_UNKNOWN_OPCODE); /* /0 */
            continue;
        }
        expect_status(X86_MODE_64, in64[i], X86_DECODE_UNKNOWN_OPCODE);
    }
    /* C4/C5/62 are LES/LDS/BOUND in 16/32-bit code only with a memory
     * operand; mod = 11b makes them VEX/EVEX. */
    expect_status(X86_MODE_32, "c4 c0", X86_DECODE_UNKNOWN_OPCODE);
    expect_status(X86_MODE_32, "c5 f8 77", X86_DECODE_UNKNOWN_OPCODE);
    expect_status(X86_MODE_16, "62 c0", X86_DECODE_UNKNOWN_OPCODE);
    expect(X86_MODE_32, "c4 00", "les (%eax),%eax");
    expect(X86_MODE_16, "c5 1e 34 12", "lds 0x1234,%bx");
    expect(X86_MODE_32, "62 03", "bound %eax,(%ebx)");
    /* UD2 is supported: it is the defined way to raise #UD. */
    expect(X86_MODE_64, "0f 0b", "ud2");
}
END_TEST

START_TEST(invalid_in_mode)
{
    static const char *const not64[] = {
        "06", "07", "0e", "16", "17", "1e", "1f", "27", "2f", "37", "3f", "60", "61",
        "82 c0 01", "9a 00 00 00 00 00 00", "ce", "d4 0a", "d5 0a", "ea 00 00 00 00 00 00",
    };
    for (size_t i = 0; i < sizeof not64 / sizeof not64[0]; i++) {
        expect_status(X86_MODE_64, not64[i], X86_DECODE_INVALID_MODE);
        expect_status(X86_MODE_32, not64[i], X86_DECODE_OK);
    }
    expect_status(X86_MODE_32, "0f 01 f8", X86_DECODE_INVALID_MODE); /* swapgs */
    expect(X86_MODE_64, "0f 01 f8", "swapgs");
    expect(X86_MODE_32, "63 c0", "arpl %ax,%ax");
    expect(X86_MODE_64, "63 c0", "movsxd %eax,%eax");
    expect(X86_MODE_32, "40", "inc %eax");
    expect(X86_MODE_16, "4f", "dec %di");
}
END_TEST

START_TEST(undefined_encodings)
{
    static const struct { x86_mode mode; const char *bytes; } ud[] = {
        { X86_MODE_64, "8d c0" },                 /* lea with a register */
        { X86_MODE_32, "c5 00" },                 /* (control: valid lds) */
        { X86_MODE_32, "8e c8" },                 /* mov to CS */
        { X86_MODE_32, "8c f0" },                 /* sreg 6 */
        { X86_MODE_64, "f0 01 c0" },              /* lock, register destination */
        { X86_MODE_64, "f0 81 c0 01 00 00 00" },
        { X86_MODE_64, "f0 90" },                 /* lock nop */
        { X86_MODE_64, "f0 8b 00" },              /* lock mov */
        { X86_MODE_64, "f0 39 00" },              /* lock cmp */
        { X86_MODE_32, "0f 20 c8" },              /* cr1 */
        { X86_MODE_32, "0f 22 e8" },              /* cr5 */
        { X86_MODE_32, "0f 20 c0 f0" },           /* (control: valid) */
        { X86_MODE_32, "f0 0f 20 c0" },           /* AMD's lock-cr8 alias */
        { X86_MODE_64, "44 0f 21 c0" },           /* dr8 */
        { X86_MODE_64, "ff d8" },                 /* lcall via register */
        { X86_MODE_64, "ff e8" },                 /* ljmp via register */
        { X86_MODE_64, "0f b2 c0" },              /* lss via register */
    };
    for (size_t i = 0; i < sizeof ud / sizeof ud[0]; i++) {
        x86_insn insn;
        size_t n;
        const char *b = ud[i].bytes;
        if (strcmp(b, "c5 00") == 0 || strcmp(b, "0f 20 c0 f0") == 0)
            continue;
        x86_status st = decode_hex(ud[i].mode, 0, b, &insn, &n);
        ck_assert_msg(st == X86_DECODE_UNDEFINED, "[%s]: %s", b, x86_status_name(st));
        ck_assert_msg(insn.length == n, "[%s]: length %u, expected %zu", b, insn.length, n);
    }
    expect(X86_MODE_64, "44 0f 20 c0", "mov %cr8,%rax");
    expect(X86_MODE_64, "f0 01 00", "lock add %eax,(%rax)");
}
END_TEST

/* ---- prefixes and sizes ---------------------------------------------- */

START_TEST(rex_placement)
{
    x86_insn insn;
    size_t n;
    /* REX followed by a legacy prefix is ignored (SDM Vol. 2A §2.2.1). */
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "48 66 89 c0", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.rex, 0);
    ck_assert_uint_eq(insn.operand_size, 2);
    ck_assert_uint_eq(insn.num_prefixes, 2);
    expect(X86_MODE_64, "48 66 89 c0", "rex.W mov %ax,%ax");
    /* REX.W wins over 66 when it is last. */
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "66 48 89 c0", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.rex, 0x48);
    ck_assert_uint_eq(insn.operand_size, 8);
    /* Two REX: only the last counts. */
    expect(X86_MODE_64, "48 41 89 c0", "rex.W mov %eax,%r8d");
    /* Any REX turns AH-BH into SPL-DIL. */
    expect(X86_MODE_64, "88 e0", "mov %ah,%al");
    expect(X86_MODE_64, "40 88 e0", "mov %spl,%al");
    expect(X86_MODE_64, "b4 12", "mov $0x12,%ah");
    expect(X86_MODE_64, "40 b4 12", "mov $0x12,%spl");
    expect(X86_MODE_64, "41 b4 12", "mov $0x12,%r12b");
    expect(X86_MODE_64, "40 0f b6 f7", "movzbl %dil,%esi");
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "88 e0", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.operands[1].reg.cls, X86_REG_GPR_HIGH8);
    ck_assert_uint_eq(insn.operands[1].reg.num, X86_RAX);
    /* 40-4F are INC/DEC outside 64-bit mode. */
    expect(X86_MODE_32, "48", "dec %eax");
}
END_TEST

START_TEST(legacy_prefixes)
{
    x86_insn insn;
    size_t n;
    /* Last of F2/F3 and last segment override win. */
    ck_assert_int_eq(decode_hex(X86_MODE_32, 0, "f2 f3 a4", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.prefixes & (X86_PFX_REPZ | X86_PFX_REPNZ), X86_PFX_REPZ);
    ck_assert(insn.flags & X86_INSN_REP);
    ck_assert_int_eq(decode_hex(X86_MODE_32, 0, "26 64 8b 00", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.segment, X86_SEG_FS);
    ck_assert_uint_eq(insn.operands[1].mem.segment, X86_SEG_FS);
    expect(X86_MODE_32, "26 64 8b 00", "es mov %fs:(%eax),%eax");
    /* Stack operations default to 64-bit in 64-bit mode; 66 makes 16. */
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "50", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.operand_size, 8);
    ck_assert(insn.flags & X86_INSN_STACK);
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "66 50", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.operand_size, 2);
    expect(X86_MODE_64, "66 6a ff", "pushw $0xffff");
    expect(X86_MODE_64, "6a ff", "push $0xffffffffffffffff");
    expect(X86_MODE_16, "6a ff", "push $0xffff");
    /* Near branches: 66 is ignored in 64-bit mode (Intel 64). */
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "66 e8 00 00 00 00", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.length, 6);
    ck_assert_uint_eq(insn.operand_size, 8);
    expect(X86_MODE_64, "66 e8 00 00 00 00", "data16 call 0x6");
    /* ... but selects rel16/rel32 in 16/32-bit code. */
    expect(X86_MODE_32, "66 e9 10 00", "jmpw 0x14");
    expect(X86_MODE_16, "66 e9 10 00 00 00", "jmpl 0x16");
    /* 67 in 64-bit mode: 32-bit addressing. */
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "67 8b 00", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.address_size, 4);
    expect(X86_MODE_64, "67 8b 00", "mov (%eax),%eax");
    /* ES/CS/SS/DS overrides do nothing in 64-bit mode; FS/GS do. */
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "26 8b 00", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.segment, X86_SEG_ES);
    ck_assert_uint_eq(insn.operands[1].mem.segment, X86_SEG_DS);
    expect(X86_MODE_64, "26 8b 00", "es mov (%rax),%eax");
    expect(X86_MODE_64, "65 8b 00", "mov %gs:(%rax),%eax");
    /* Unused prefixes are shown as prefix words. */
    expect(X86_MODE_32, "2e 90", "cs nop");
    expect(X86_MODE_32, "f3 c3", "repz ret");
    expect(X86_MODE_64, "3e ff e0", "notrack jmp *%rax");
    expect(X86_MODE_16, "66 f4", "data32 hlt");
    expect(X86_MODE_32, "67 90", "addr16 nop");
    /* NOP, PAUSE and XCHG share 90. */
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "f3 90", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.mnemonic, X86_MN_PAUSE);
    expect(X86_MODE_64, "f3 90", "pause");
    expect(X86_MODE_64, "48 90", "nop");
    expect(X86_MODE_64, "41 90", "xchg %eax,%r8d");
    expect(X86_MODE_32, "66 90", "xchg %ax,%ax");
    /* LOCK on a memory destination. */
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "f0 0f c1 03", &insn, &n), X86_DECODE_OK);
    ck_assert(insn.flags & X86_INSN_LOCKED);
    ck_assert(insn.flags & X86_INSN_READS_MEM);
    ck_assert(insn.flags & X86_INSN_WRITES_MEM);
}
END_TEST

START_TEST(segment_defaults)
{
    static const struct { x86_mode mode; const char *bytes; unsigned op; uint8_t seg; } t[] = {
        { X86_MODE_32, "8b 00", 1, X86_SEG_DS },
        { X86_MODE_32, "8b 45 00", 1, X86_SEG_SS },    /* [ebp+0] */
        { X86_MODE_32, "8b 04 24", 1, X86_SEG_SS },    /* [esp] */
        { X86_MODE_32, "8b 04 2c", 1, X86_SEG_SS },    /* [esp+ebp]: base decides */
        { X86_MODE_32, "8b 04 25 00 00 00 00", 1, X86_SEG_DS }, /* no base */
        { X86_MODE_32, "36 8b 00", 1, X86_SEG_SS },
        { X86_MODE_32, "3e 8b 45 00", 1, X86_SEG_DS },
        { X86_MODE_64, "8b 45 00", 1, X86_SEG_SS },
        { X86_MODE_64, "41 8b 45 00", 1, X86_SEG_DS }, /* r13 is not rBP */
        { X86_MODE_64, "41 8b 04 24", 1, X86_SEG_DS }, /* r12 is not rSP */
        { X86_MODE_16, "8b 00", 1, X86_SEG_DS },       /* [bx+si] */
        { X86_MODE_16, "8b 02", 1, X86_SEG_SS },       /* [bp+si] */
        { X86_MODE_16, "8b 46 00", 1, X86_SEG_SS },    /* [bp+0] */
        { X86_MODE_16, "8b 06 34 12", 1, X86_SEG_DS }, /* [disp16] */
        { X86_MODE_32, "a4", 0, X86_SEG_ES },          /* movs destination */
        { X86_MODE_32, "64 a4", 1, X86_SEG_FS },       /* source overridden */
        { X86_MODE_32, "64 a4", 0, X86_SEG_ES },       /* destination never */
        { X86_MODE_32, "2e d7", 0, X86_SEG_CS },       /* xlat */
        { X86_MODE_16, "a0 34 12", 1, X86_SEG_DS },
        { X86_MODE_16, "26 a0 34 12", 1, X86_SEG_ES },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        x86_insn insn;
        size_t n;
        ck_assert_int_eq(decode_hex(t[i].mode, 0, t[i].bytes, &insn, &n), X86_DECODE_OK);
        ck_assert_uint_eq(insn.operands[t[i].op].kind, X86_OPERAND_MEM);
        ck_assert_msg(insn.operands[t[i].op].mem.segment == t[i].seg, "[%s]: segment %u, want %u",
                      t[i].bytes, insn.operands[t[i].op].mem.segment, t[i].seg);
    }
}
END_TEST

/* Port I/O moves at most 32 bits: in 64-bit mode REX.W does not widen
 * INS/OUTS/IN/OUT (SDM Vol. 2A "IN", "INS/INSB/INSW/INSD", Vol. 2B "OUT",
 * "OUTS/OUTSB/OUTSW/OUTSD": no 64-bit form).  REX.W still takes precedence
 * over 66 (SDM Vol. 1 §3.6.1), so 66 + REX.W is a 32-bit transfer too;
 * 66 alone is 16-bit.  objdump shows the REX that does nothing by name. */
START_TEST(io_ignores_rex_w)
{
    static const struct {
        const char *bytes;
        unsigned osize;   /* insn.operand_size */
        unsigned op;      /* the operand that is transferred */
        const char *text; /* objdump 2.40 */
    } t[] = {
        { "48 6d", 4, 0, "rex.W insl (%dx),%es:(%rdi)" },
        { "48 6f", 4, 1, "rex.W outsl %ds:(%rsi),(%dx)" },
        { "f3 48 6d", 4, 0, "rep rex.W insl (%dx),%es:(%rdi)" },
        { "f3 48 6f", 4, 1, "rep rex.W outsl %ds:(%rsi),(%dx)" },
        { "66 48 6d", 4, 0, "data16 rex.W insl (%dx),%es:(%rdi)" },
        { "66 6d", 2, 0, "insw (%dx),%es:(%rdi)" },
        { "66 41 6f", 2, 1, "rex.B outsw %ds:(%rsi),(%dx)" },
        { "48 6c", 1, 0, "rex.W insb (%dx),%es:(%rdi)" },
        { "48 6e", 1, 1, "rex.W outsb %ds:(%rsi),(%dx)" },
        { "4f 6f", 4, 1, "rex.WRXB outsl %ds:(%rsi),(%dx)" },
        { "67 48 6d", 4, 0, "rex.W insl (%dx),%es:(%edi)" },
        { "48 ed", 4, 0, "rex.W in (%dx),%eax" },
        { "48 e7 60", 4, 1, "rex.W out %eax,$0x60" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        x86_insn insn;
        size_t n;
        ck_assert_int_eq(decode_hex(X86_MODE_64, 0, t[i].bytes, &insn, &n), X86_DECODE_OK);
        ck_assert_msg(insn.operand_size == t[i].osize, "[%s]: operand size %u, expected %u",
                      t[i].bytes, insn.operand_size, t[i].osize);
        ck_assert_msg(insn.operands[t[i].op].size == t[i].osize, "[%s]: operand %u is %u bytes",
                      t[i].bytes, t[i].op, insn.operands[t[i].op].size);
        expect(X86_MODE_64, t[i].bytes, t[i].text);
    }
    x86_insn insn;
    size_t n;
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "48 6d", &insn, &n), X86_DECODE_OK);
    ck_assert_str_eq(insn.name, "insd");
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "48 6f", &insn, &n), X86_DECODE_OK);
    ck_assert_str_eq(insn.name, "outsd");
}
END_TEST

/* Undocumented aliases (blank in SDM Vol. 2A Table A-6): group 2 /6 is
 * SHL (/4) and group 3 /1 is TEST (/0), with the same operands and
 * lengths; objdump prints them as shl and test. */
START_TEST(group_aliases)
{
    static const struct {
        x86_mode mode;
        const char *bytes;
        uint8_t mnemonic;
        const char *text; /* objdump 2.40 */
    } t[] = {
        { X86_MODE_16, "d1 f0", X86_MN_SHL, "shl %ax" },
        { X86_MODE_16, "66 d1 f0", X86_MN_SHL, "shl %eax" },
        { X86_MODE_16, "d3 36 34 12", X86_MN_SHL, "shlw %cl,0x1234" },
        { X86_MODE_16, "f7 c8 34 12", X86_MN_TEST, "test $0x1234,%ax" },
        { X86_MODE_16, "66 f7 c8 01 00 00 00", X86_MN_TEST, "test $0x1,%eax" },
        { X86_MODE_16, "f6 0f 81", X86_MN_TEST, "testb $0x81,(%bx)" },
        { X86_MODE_32, "d1 f0", X86_MN_SHL, "shl %eax" },
        { X86_MODE_32, "c0 f0 05", X86_MN_SHL, "shl $0x5,%al" },
        { X86_MODE_32, "c1 30 07", X86_MN_SHL, "shll $0x7,(%eax)" },
        { X86_MODE_32, "d2 f1", X86_MN_SHL, "shl %cl,%cl" },
        { X86_MODE_32, "d0 70 08", X86_MN_SHL, "shlb 0x8(%eax)" },
        { X86_MODE_32, "f6 c8 05", X86_MN_TEST, "test $0x5,%al" },
        { X86_MODE_32, "f7 c8 01 00 00 00", X86_MN_TEST, "test $0x1,%eax" },
        { X86_MODE_32, "66 f7 08 01 00", X86_MN_TEST, "testw $0x1,(%eax)" },
        { X86_MODE_64, "48 d1 f0", X86_MN_SHL, "shl %rax" },
        { X86_MODE_64, "49 c1 f1 3f", X86_MN_SHL, "shl $0x3f,%r9" },
        { X86_MODE_64, "48 f7 c8 ff ff ff ff", X86_MN_TEST, "test $0xffffffffffffffff,%rax" },
        { X86_MODE_64, "41 f6 c9 80", X86_MN_TEST, "test $0x80,%r9b" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        x86_insn insn;
        size_t n;
        x86_status st = decode_hex(t[i].mode, 0, t[i].bytes, &insn, &n);
        ck_assert_msg(st == X86_DECODE_OK, "%d-bit [%s]: %s", (int)t[i].mode, t[i].bytes,
                      x86_status_name(st));
        ck_assert_msg(insn.mnemonic == t[i].mnemonic, "[%s]: mnemonic %s", t[i].bytes,
                      x86_mnemonic_name((x86_mnemonic)insn.mnemonic));
        expect(t[i].mode, t[i].bytes, t[i].text);
    }
    /* TEST only reads its destination; the SHL alias writes it. */
    x86_insn insn;
    size_t n;
    ck_assert_int_eq(decode_hex(X86_MODE_32, 0, "f7 08 01 00 00 00", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.operands[0].access, X86_ACCESS_READ);
    ck_assert(!(insn.flags & X86_INSN_WRITES_MEM));
    ck_assert_int_eq(decode_hex(X86_MODE_32, 0, "d1 30", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.operands[0].access, X86_ACCESS_READ | X86_ACCESS_WRITE);
    /* RIP-relative: the immediate after the displacement ends the
     * instruction, so its length decides the target. */
    expect_at(X86_MODE_64, 0x12, "f7 0d 10 00 00 00 78 56 34 12",
              "testl $0x12345678,0x10(%rip) # 0x2c");
    /* Neither alias is lockable (SDM Vol. 2A "LOCK"). */
    expect_status(X86_MODE_32, "f0 d1 30", X86_DECODE_UNDEFINED);
    expect_status(X86_MODE_32, "f0 f6 08 01", X86_DECODE_UNDEFINED);
}
END_TEST

/* ---- addressing ------------------------------------------------------- */

START_TEST(modrm16_table)
{
    /* SDM Vol. 2A Table 2-1. */
    static const uint8_t base[8] = { X86_RBX, X86_RBX, X86_RBP, X86_RBP, X86_RSI, X86_RDI,
                                     X86_RBP, X86_RBX };
    static const uint8_t index[8] = { X86_RSI, X86_RDI, X86_RSI, X86_RDI, X86_NO_REG,
                                      X86_NO_REG, X86_NO_REG, X86_NO_REG };
    for (unsigned mod = 0; mod < 3; mod++) {
        for (unsigned rm = 0; rm < 8; rm++) {
            uint8_t code[4] = { 0x8b, (uint8_t)(mod << 6 | 3 << 3 | rm), 0xfe, 0xff };
            x86_insn insn;
            ck_assert_int_eq(x86_decode(code, sizeof code, X86_MODE_16, 0, &insn), X86_DECODE_OK);
            const x86_mem *m = &insn.operands[1].mem;
            ck_assert_uint_eq(insn.operands[0].reg.num, X86_RBX);
            ck_assert_uint_eq(m->addr_size, 2);
            if (mod == 0 && rm == 6) { /* [disp16] */
                ck_assert_uint_eq(m->base, X86_NO_REG);
                ck_assert_uint_eq(m->index, X86_NO_REG);
                ck_assert_uint_eq(m->disp_size, 2);
                ck_assert_int_eq(m->disp, -2);
                ck_assert_uint_eq(insn.length, 4);
                continue;
            }
            ck_assert_uint_eq(m->base, base[rm]);
            ck_assert_uint_eq(m->index, index[rm]);
            unsigned dsz = mod == 0 ? 0 : mod == 1 ? 1 : 2;
            ck_assert_uint_eq(m->disp_size, dsz);
            ck_assert_int_eq(m->disp, dsz == 0 ? 0 : dsz == 1 ? -2 : -2);
            ck_assert_uint_eq(insn.length, 2 + dsz);
        }
    }
    expect(X86_MODE_16, "8b 00", "mov (%bx,%si),%ax");
    expect(X86_MODE_16, "8b 43 10", "mov 0x10(%bp,%di),%ax");
    expect(X86_MODE_16, "8b 86 00 80", "mov -0x8000(%bp),%ax");
    expect(X86_MODE_16, "8b 1e 34 12", "mov 0x1234,%bx");
    expect(X86_MODE_16, "67 8b 44 24 08", "mov 0x8(%esp),%ax");
    expect(X86_MODE_32, "67 8b 47 fe", "mov -0x2(%bx),%eax");
}
END_TEST

START_TEST(rip_relative)
{
    x86_insn insn;
    size_t n;
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0x1000, "8b 05 10 00 00 00", &insn, &n), X86_DECODE_OK);
    const x86_mem *m = &insn.operands[1].mem;
    ck_assert(m->rip_relative);
    ck_assert_uint_eq(m->base, X86_NO_REG);
    ck_assert_int_eq(m->disp, 0x10);
    expect_at(X86_MODE_64, 0x1000, "8b 05 10 00 00 00", "mov 0x10(%rip),%eax # 0x1016");
    /* The base is the end of the instruction, after the immediate. */
    expect_at(X86_MODE_64, 0x1000, "c7 05 10 00 00 00 01 00 00 00",
              "movl $0x1,0x10(%rip) # 0x101a");
    expect_at(X86_MODE_64, 0x1000, "48 8b 05 f0 ff ff ff", "mov -0x10(%rip),%rax # 0xff7");
    expect_at(X86_MODE_64, 0x1000, "67 8b 05 10 00 00 00", "mov 0x10(%eip),%eax # 0x1017");
    /* REX.B does not turn RIP-relative into [r13]. */
    expect_at(X86_MODE_64, 0, "41 8b 05 00 00 00 00", "mov 0x0(%rip),%eax # 0x7");
    /* In 32-bit code the same ModRM is an absolute disp32. */
    ck_assert_int_eq(decode_hex(X86_MODE_32, 0, "8b 05 10 00 00 00", &insn, &n), X86_DECODE_OK);
    ck_assert(!insn.operands[1].mem.rip_relative);
    expect(X86_MODE_32, "8b 05 10 00 00 00", "mov 0x10,%eax");
}
END_TEST

START_TEST(immediates_and_targets)
{
    x86_insn insn;
    size_t n;
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "48 b8 88 77 66 55 44 33 22 11", &insn, &n),
                     X86_DECODE_OK);
    ck_assert_uint_eq(insn.operands[1].kind, X86_OPERAND_IMM);
    ck_assert_uint_eq(insn.operands[1].size, 8);
    ck_assert_uint_eq(insn.operands[1].imm.encoded_size, 8);
    ck_assert(insn.operands[1].imm.value == UINT64_C(0x1122334455667788));
    expect(X86_MODE_64, "48 b8 88 77 66 55 44 33 22 11", "movabs $0x1122334455667788,%rax");
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "48 83 c0 ff", &insn, &n), X86_DECODE_OK);
    ck_assert(insn.operands[1].imm.value == UINT64_MAX);
    ck_assert(insn.operands[1].imm.sign_extended);
    ck_assert_uint_eq(insn.operands[1].imm.encoded_size, 1);
    ck_assert_uint_eq(insn.operands[0].access, X86_ACCESS_READ | X86_ACCESS_WRITE);
    /* moffs width follows the address size. */
    static const struct { x86_mode mode; const char *bytes; unsigned asz; } moffs[] = {
        { X86_MODE_16, "a0 34 12", 2 },
        { X86_MODE_16, "67 a0 78 56 34 12", 4 },
        { X86_MODE_32, "a1 78 56 34 12", 4 },
        { X86_MODE_32, "67 a1 34 12", 2 },
        { X86_MODE_64, "a1 01 02 03 04 05 06 07 08", 8 },
        { X86_MODE_64, "67 a1 78 56 34 12", 4 },
    };
    for (size_t i = 0; i < sizeof moffs / sizeof moffs[0]; i++) {
        ck_assert_int_eq(decode_hex(moffs[i].mode, 0, moffs[i].bytes, &insn, &n), X86_DECODE_OK);
        ck_assert_uint_eq(insn.length, n);
        ck_assert_uint_eq(insn.operands[1].mem.addr_size, moffs[i].asz);
        ck_assert_uint_eq(insn.operands[1].mem.disp_size, moffs[i].asz);
    }
    /* Branch targets wrap at the operand size. */
    ck_assert_int_eq(decode_hex(X86_MODE_16, 0x100, "e9 00 80", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.operands[0].rel.target, 0x8103);
    ck_assert_int_eq(insn.operands[0].rel.disp, -0x8000);
    ck_assert_int_eq(decode_hex(X86_MODE_32, 0, "eb 80", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.operands[0].rel.target, 0xffffff82u);
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "eb 80", &insn, &n), X86_DECODE_OK);
    ck_assert(insn.operands[0].rel.target == UINT64_C(0xffffffffffffff82));
    ck_assert_int_eq(decode_hex(X86_MODE_16, 0, "66 e9 00 00 01 00", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.operands[0].rel.target, 0x10006);
    ck_assert(insn.flags & X86_INSN_BRANCH);
    /* Far pointers. */
    ck_assert_int_eq(decode_hex(X86_MODE_16, 0, "ea 00 10 10 00", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.operands[0].kind, X86_OPERAND_FAR);
    ck_assert_uint_eq(insn.operands[0].far.selector, 0x10);
    ck_assert_uint_eq(insn.operands[0].far.offset, 0x1000);
    ck_assert(insn.flags & X86_INSN_FAR);
    expect(X86_MODE_32, "9a 78 56 34 12 08 00", "lcall $0x8,$0x12345678");
    /* Shift by one: the implicit count is an operand, hidden in AT&T. */
    ck_assert_int_eq(decode_hex(X86_MODE_32, 0, "d1 e0", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.num_operands, 2);
    ck_assert(insn.operands[1].flags & X86_OPF_IMPLICIT);
    ck_assert_uint_eq(insn.operands[1].imm.value, 1);
    expect(X86_MODE_32, "d1 e0", "shl %eax");
}
END_TEST

START_TEST(system_operands)
{
    x86_insn insn;
    size_t n;
    ck_assert_int_eq(decode_hex(X86_MODE_32, 0, "0f 22 d8", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.operands[0].reg.cls, X86_REG_CR);
    ck_assert_uint_eq(insn.operands[0].reg.num, 3);
    ck_assert_uint_eq(insn.operands[1].reg.cls, X86_REG_GPR);
    ck_assert_uint_eq(insn.operands[1].size, 4);
    ck_assert(insn.flags & X86_INSN_PRIVILEGED);
    /* mod is ignored for CR/DR moves: no displacement follows. */
    expect(X86_MODE_64, "0f 20 40", "mov %cr0,%rax");
    expect(X86_MODE_16, "66 0f 20 c0", "data32 mov %cr0,%eax");
    ck_assert_int_eq(decode_hex(X86_MODE_32, 0, "ec", &insn, &n), X86_DECODE_OK);
    ck_assert(insn.flags & X86_INSN_IO);
    ck_assert(insn.operands[1].flags & X86_OPF_PORT);
    expect(X86_MODE_32, "ec", "in (%dx),%al");
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "0f 01 10", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.operands[0].size, 10);
    ck_assert_int_eq(decode_hex(X86_MODE_16, 0, "0f 01 16 00 10", &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.operands[0].size, 6);
    expect(X86_MODE_16, "0f 01 16 00 10", "lgdtw 0x1000");
    /* Fences ignore ModRM.rm (SDM Vol. 2B "MFENCE", "SFENCE", "LFENCE"). */
    expect(X86_MODE_64, "0f ae f3", "mfence");
    expect(X86_MODE_64, "0f ae ff", "sfence");
    expect(X86_MODE_64, "0f ae ec", "lfence");
    /* String instructions list their memory operands. */
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "f3 48 a5", &insn, &n), X86_DECODE_OK);
    ck_assert(insn.flags & X86_INSN_STRING);
    ck_assert(insn.flags & X86_INSN_REP);
    ck_assert(insn.flags & X86_INSN_READS_MEM);
    ck_assert(insn.flags & X86_INSN_WRITES_MEM);
    ck_assert_uint_eq(insn.operands[0].mem.base, X86_RDI);
    ck_assert_uint_eq(insn.operands[1].mem.base, X86_RSI);
    ck_assert_uint_eq(insn.operands[0].size, 8);
}
END_TEST

START_TEST(names)
{
    static const struct { x86_mode mode; const char *bytes; const char *name; } t[] = {
        { X86_MODE_32, "98", "cwde" }, { X86_MODE_64, "48 98", "cdqe" },
        { X86_MODE_32, "66 98", "cbw" }, { X86_MODE_64, "48 99", "cqo" },
        { X86_MODE_32, "0f 85 00 00 00 00", "jne" }, { X86_MODE_32, "0f 44 c0", "cmove" },
        { X86_MODE_32, "0f 9f c0", "setg" }, { X86_MODE_64, "48 0f c7 08", "cmpxchg16b" },
        { X86_MODE_64, "e3 fe", "jrcxz" }, { X86_MODE_64, "67 e3 fe", "jecxz" },
        { X86_MODE_16, "e3 fe", "jcxz" }, { X86_MODE_64, "48 a5", "movsq" },
        { X86_MODE_16, "a5", "movsw" }, { X86_MODE_64, "9c", "pushfq" },
        { X86_MODE_32, "60", "pushad" }, { X86_MODE_64, "48 cf", "iretq" },
        { X86_MODE_32, "ff 18", "callf" }, { X86_MODE_32, "cb", "retf" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        x86_insn insn;
        size_t n;
        ck_assert_int_eq(decode_hex(t[i].mode, 0, t[i].bytes, &insn, &n), X86_DECODE_OK);
        ck_assert_str_eq(insn.name, t[i].name);
    }
    ck_assert_str_eq(x86_mnemonic_name(X86_MN_ADD), "add");
    ck_assert_str_eq(x86_mnemonic_name((x86_mnemonic)X86_MN_COUNT_), "(bad)");
    for (int st = X86_DECODE_OK; st <= X86_DECODE_BAD_ARGUMENT; st++)
        ck_assert_ptr_nonnull(x86_status_name((x86_status)st));
}
END_TEST

START_TEST(format_truncation)
{
    x86_insn insn;
    size_t n;
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "48 8b 44 24 08", &insn, &n), X86_DECODE_OK);
    char full[X86_FORMAT_MAX];
    size_t len = x86_format(&insn, full, sizeof full);
    ck_assert_str_eq(full, "mov    0x8(%rsp),%rax");
    ck_assert_uint_eq(len, strlen(full));
    char small[6];
    memset(small, 'x', sizeof small);
    ck_assert_uint_eq(x86_format(&insn, small, sizeof small), len);
    ck_assert_str_eq(small, "mov  ");
    ck_assert_uint_eq(x86_format(&insn, NULL, 0), len);
    char one[1] = { 'x' };
    ck_assert_uint_eq(x86_format(&insn, one, 1), len);
    ck_assert_int_eq(one[0], '\0');
    /* Found by fuzz_decode: 14 ignored REX prefixes, each shown as a word. */
    ck_assert_int_eq(decode_hex(X86_MODE_64, 0, "41 4a 47 47 47 47 47 47 47 4d 4d 4d 47 4d a4",
                                &insn, &n), X86_DECODE_OK);
    ck_assert_uint_eq(insn.length, 15);
    ck_assert_uint_eq(insn.rex, 0x4d);
    len = x86_format(&insn, full, sizeof full);
    ck_assert_uint_lt(len, X86_FORMAT_MAX);
    ck_assert_uint_eq(strlen(full), len);
}
END_TEST

/* ---- main ------------------------------------------------------------- */

static int mkdirs(const char *path)
{
    char tmp[sizeof corpus_dir];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(tmp, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

static Suite *decode_suite(void)
{
    Suite *s = suite_create("x86_decode");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, corpus_16);
    tcase_add_test(tc, corpus_32);
    tcase_add_test(tc, corpus_64);
    tcase_add_test(tc, corpus_covers_every_mnemonic);
    suite_add_tcase(s, tc);

    tc = tcase_create("hostile");
    tcase_add_test(tc, length_limit);
    tcase_add_test(tc, truncated_everywhere);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, unknown_opcodes);
    tcase_add_test(tc, invalid_in_mode);
    tcase_add_test(tc, undefined_encodings);
    suite_add_tcase(s, tc);

    tc = tcase_create("prefixes");
    tcase_add_test(tc, rex_placement);
    tcase_add_test(tc, legacy_prefixes);
    tcase_add_test(tc, segment_defaults);
    tcase_add_test(tc, io_ignores_rex_w);
    suite_add_tcase(s, tc);

    tc = tcase_create("operands");
    tcase_add_test(tc, modrm16_table);
    tcase_add_test(tc, rip_relative);
    tcase_add_test(tc, immediates_and_targets);
    tcase_add_test(tc, system_operands);
    tcase_add_test(tc, names);
    tcase_add_test(tc, group_aliases);
    tcase_add_test(tc, format_truncation);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    (void)argc;
    const char *slash = strrchr(argv[0], '/');
    if (slash != NULL)
        snprintf(corpus_dir, sizeof corpus_dir, "%.*s/decode_corpus", (int)(slash - argv[0]),
                 argv[0]);
    if (mkdirs(corpus_dir) != 0) {
        fprintf(stderr, "cannot create %s\n", corpus_dir);
        return 1;
    }
    SRunner *sr = srunner_create(decode_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
