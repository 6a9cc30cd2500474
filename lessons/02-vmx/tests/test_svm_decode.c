/**
 * @file test_svm_decode.c
 * @brief Check tests for svm/svm_decode.c: instruction lengths with
 *        prefixes, and MOV CR / CLTS / LMSW decoding, in 32- and 64-bit
 *        code, including truncated and foreign byte sequences.
 *
 * Expected encodings are from the AMD64 APM Vol. 3 opcode maps (and match
 * what GNU as emits for the same mnemonics).
 */
#include <check.h>
#include <stdint.h>

#include "svm/svm_decode.h"

#include "check_main.h"

static const uint8_t OP_CPUID[] = { 0x0f, 0xa2 };
static const uint8_t OP_HLT[] = { 0xf4 };

START_TEST(test_plain_lengths)
{
    static const uint8_t cpuid[] = { 0x0f, 0xa2, 0x90 };
    static const uint8_t hlt[] = { 0xf4 };
    ck_assert_uint_eq(svm_insn_prefixed_len(cpuid, sizeof cpuid, false, OP_CPUID, 2), 2);
    ck_assert_uint_eq(svm_insn_prefixed_len(cpuid, sizeof cpuid, true, OP_CPUID, 2), 2);
    ck_assert_uint_eq(svm_insn_prefixed_len(hlt, sizeof hlt, true, OP_HLT, 1), 1);
}
END_TEST

START_TEST(test_prefixed_lengths)
{
    /* 66 2e 0f a2: operand size + CS override, both ignored by CPUID. */
    static const uint8_t p1[] = { 0x66, 0x2e, 0x0f, 0xa2 };
    ck_assert_uint_eq(svm_insn_prefixed_len(p1, sizeof p1, false, OP_CPUID, 2), 4);
    /* REX.W before CPUID is a prefix in 64-bit mode ... */
    static const uint8_t p2[] = { 0x48, 0x0f, 0xa2 };
    ck_assert_uint_eq(svm_insn_prefixed_len(p2, sizeof p2, true, OP_CPUID, 2), 3);
    /* ... but DEC EAX (48) in 32-bit code: not a CPUID at all. */
    ck_assert_uint_eq(svm_insn_prefixed_len(p2, sizeof p2, false, OP_CPUID, 2), 0);
    /* A REX followed by a legacy prefix is ignored but still counted. */
    static const uint8_t p3[] = { 0x41, 0x66, 0xf4 };
    ck_assert_uint_eq(svm_insn_prefixed_len(p3, sizeof p3, true, OP_HLT, 1), 3);
}
END_TEST

START_TEST(test_length_mismatch_and_bounds)
{
    static const uint8_t nop[] = { 0x90, 0x90 };
    ck_assert_uint_eq(svm_insn_prefixed_len(nop, sizeof nop, true, OP_CPUID, 2), 0);
    static const uint8_t cut[] = { 0x66, 0x0f };     /* CPUID cut short */
    ck_assert_uint_eq(svm_insn_prefixed_len(cut, sizeof cut, true, OP_CPUID, 2), 0);
    ck_assert_uint_eq(svm_insn_prefixed_len(cut, 0, true, OP_CPUID, 2), 0);
    /* 15 prefixes leave no room for the opcode within the 15-byte limit. */
    uint8_t many[20];
    for (int i = 0; i < 20; i++)
        many[i] = 0x66;
    many[15] = 0xf4;
    ck_assert_uint_eq(svm_insn_prefixed_len(many, sizeof many, false, OP_HLT, 1), 0);
    many[14] = 0xf4;   /* 14 prefixes + HLT = 15 bytes: legal */
    ck_assert_uint_eq(svm_insn_prefixed_len(many, sizeof many, false, OP_HLT, 1), 15);
}
END_TEST

START_TEST(test_mov_to_cr)
{
    struct svm_cr_insn d;
    /* mov %eax,%cr0 = 0f 22 c0 */
    static const uint8_t a[] = { 0x0f, 0x22, 0xc0 };
    ck_assert(svm_insn_decode_cr(a, sizeof a, false, &d));
    ck_assert_int_eq(d.kind, SVM_CR_MOV);
    ck_assert(d.write);
    ck_assert_uint_eq(d.cr, 0);
    ck_assert_uint_eq(d.gpr, 0);
    ck_assert_uint_eq(d.len, 3);
    /* mov %rbx,%cr4 = 0f 22 e3 */
    static const uint8_t b[] = { 0x0f, 0x22, 0xe3 };
    ck_assert(svm_insn_decode_cr(b, sizeof b, true, &d));
    ck_assert_uint_eq(d.cr, 4);
    ck_assert_uint_eq(d.gpr, 3);
    /* mov %r13,%cr4 = 41 0f 22 e5 (REX.B) */
    static const uint8_t c[] = { 0x41, 0x0f, 0x22, 0xe5 };
    ck_assert(svm_insn_decode_cr(c, sizeof c, true, &d));
    ck_assert_uint_eq(d.cr, 4);
    ck_assert_uint_eq(d.gpr, 13);
    ck_assert_uint_eq(d.len, 4);
    /* mov %rax,%cr8 = 44 0f 22 c0 (REX.R) and the AMD LOCK form f0 0f 22 c0 */
    static const uint8_t r8[] = { 0x44, 0x0f, 0x22, 0xc0 };
    ck_assert(svm_insn_decode_cr(r8, sizeof r8, true, &d));
    ck_assert_uint_eq(d.cr, 8);
    static const uint8_t l8[] = { 0xf0, 0x0f, 0x22, 0xc0 };
    ck_assert(svm_insn_decode_cr(l8, sizeof l8, false, &d));
    ck_assert_uint_eq(d.cr, 8);
    ck_assert_uint_eq(d.len, 4);
    /* ModRM.mod is ignored: 0f 22 00 still means %eax -> %cr0. */
    static const uint8_t m[] = { 0x0f, 0x22, 0x00 };
    ck_assert(svm_insn_decode_cr(m, sizeof m, false, &d));
    ck_assert_uint_eq(d.gpr, 0);
}
END_TEST

START_TEST(test_mov_from_cr_clts_lmsw)
{
    struct svm_cr_insn d;
    /* mov %cr0,%rcx = 0f 20 c1 */
    static const uint8_t a[] = { 0x0f, 0x20, 0xc1 };
    ck_assert(svm_insn_decode_cr(a, sizeof a, true, &d));
    ck_assert(!d.write);
    ck_assert_uint_eq(d.cr, 0);
    ck_assert_uint_eq(d.gpr, 1);
    static const uint8_t clts[] = { 0x0f, 0x06 };
    ck_assert(svm_insn_decode_cr(clts, sizeof clts, false, &d));
    ck_assert_int_eq(d.kind, SVM_CR_CLTS);
    ck_assert_uint_eq(d.len, 2);
    /* lmsw %dx = 0f 01 f2 */
    static const uint8_t lmsw[] = { 0x0f, 0x01, 0xf2 };
    ck_assert(svm_insn_decode_cr(lmsw, sizeof lmsw, false, &d));
    ck_assert_int_eq(d.kind, SVM_CR_LMSW);
    ck_assert_uint_eq(d.gpr, 2);
    /* lmsw (%eax) (memory form) is not decoded: no register to read. */
    static const uint8_t lmsw_mem[] = { 0x0f, 0x01, 0x30 };
    ck_assert(!svm_insn_decode_cr(lmsw_mem, sizeof lmsw_mem, false, &d));
}
END_TEST

START_TEST(test_not_cr_or_truncated)
{
    struct svm_cr_insn d;
    static const uint8_t cpuid[] = { 0x0f, 0xa2 };
    ck_assert(!svm_insn_decode_cr(cpuid, sizeof cpuid, false, &d));
    static const uint8_t cut[] = { 0x0f, 0x22 };
    ck_assert(!svm_insn_decode_cr(cut, sizeof cut, false, &d));
    ck_assert(!svm_insn_decode_cr(cut, 0, false, &d));
    /* REX is only a prefix in 64-bit mode: in 32-bit code 44 is INC ESP. */
    static const uint8_t rex[] = { 0x44, 0x0f, 0x22, 0xc0 };
    ck_assert(!svm_insn_decode_cr(rex, sizeof rex, false, &d));
}
END_TEST

/* REX.B extends ModRM.rm for LMSW as for MOV CR (APM Vol. 3 §1.2.7,
 * "LMSW"): 41 0f 01 f0 is lmsw %r8w in 64-bit mode. */
START_TEST(test_lmsw_rex_b)
{
    struct svm_cr_insn d;
    static const uint8_t r8[] = { 0x41, 0x0f, 0x01, 0xf0 };
    ck_assert(svm_insn_decode_cr(r8, sizeof r8, true, &d));
    ck_assert_int_eq(d.kind, SVM_CR_LMSW);
    ck_assert_uint_eq(d.gpr, 8);
    ck_assert_uint_eq(d.len, 4);
    /* lmsw %r15w = 49 0f 01 f7 (REX.W changes nothing) */
    static const uint8_t r15[] = { 0x49, 0x0f, 0x01, 0xf7 };
    ck_assert(svm_insn_decode_cr(r15, sizeof r15, true, &d));
    ck_assert_uint_eq(d.gpr, 15);
    /* In 32-bit code 41 is INC ECX, not a prefix: no LMSW here. */
    ck_assert(!svm_insn_decode_cr(r8, sizeof r8, false, &d));
}
END_TEST

/* A REX prefix counts only immediately before the opcode; a legacy prefix
 * after it makes it ignored (APM Vol. 3 §1.2.7, SDM Vol. 2A §2.2.1).  The
 * ignored REX still counts towards the length. */
START_TEST(test_rex_before_legacy_prefix_ignored)
{
    struct svm_cr_insn d;
    /* 41 66 0f 22 c0: REX.B then 66: mov %eax,%cr0, not %r8 */
    static const uint8_t b[] = { 0x41, 0x66, 0x0f, 0x22, 0xc0 };
    ck_assert(svm_insn_decode_cr(b, sizeof b, true, &d));
    ck_assert_uint_eq(d.gpr, 0);
    ck_assert_uint_eq(d.cr, 0);
    ck_assert_uint_eq(d.len, 5);
    /* 44 2e 0f 20 c0: REX.R then CS: mov %cr0,%eax, not %cr8 */
    static const uint8_t r[] = { 0x44, 0x2e, 0x0f, 0x20, 0xc0 };
    ck_assert(svm_insn_decode_cr(r, sizeof r, true, &d));
    ck_assert(!d.write);
    ck_assert_uint_eq(d.cr, 0);
    ck_assert_uint_eq(d.len, 5);
    /* 4d 66 0f 22 c5: REX.WRB then 66: mov %ebp,%cr0 */
    static const uint8_t wrb[] = { 0x4d, 0x66, 0x0f, 0x22, 0xc5 };
    ck_assert(svm_insn_decode_cr(wrb, sizeof wrb, true, &d));
    ck_assert_uint_eq(d.cr, 0);
    ck_assert_uint_eq(d.gpr, 5);
    /* LMSW too: 41 f3 0f 01 f0 is lmsw %ax */
    static const uint8_t l[] = { 0x41, 0xf3, 0x0f, 0x01, 0xf0 };
    ck_assert(svm_insn_decode_cr(l, sizeof l, true, &d));
    ck_assert_int_eq(d.kind, SVM_CR_LMSW);
    ck_assert_uint_eq(d.gpr, 0);
    ck_assert_uint_eq(d.len, 5);
    /* LOCK after REX.R: the REX is ignored, LOCK still selects CR8 (AMD). */
    static const uint8_t lk[] = { 0x44, 0xf0, 0x0f, 0x22, 0xc1 };
    ck_assert(svm_insn_decode_cr(lk, sizeof lk, true, &d));
    ck_assert_uint_eq(d.cr, 8);
    ck_assert_uint_eq(d.gpr, 1);
    /* The other order is effective: 66 41 0f 22 c0 is mov %r8,%cr0. */
    static const uint8_t ok[] = { 0x66, 0x41, 0x0f, 0x22, 0xc0 };
    ck_assert(svm_insn_decode_cr(ok, sizeof ok, true, &d));
    ck_assert_uint_eq(d.gpr, 8);
    /* Of two REX prefixes only the last one counts. */
    static const uint8_t two[] = { 0x41, 0x44, 0x0f, 0x22, 0xc0 };
    ck_assert(svm_insn_decode_cr(two, sizeof two, true, &d));
    ck_assert_uint_eq(d.cr, 8);
    ck_assert_uint_eq(d.gpr, 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("svm_decode");
    TCase *tc = tcase_create("decode");
    tcase_add_test(tc, test_plain_lengths);
    tcase_add_test(tc, test_prefixed_lengths);
    tcase_add_test(tc, test_length_mismatch_and_bounds);
    tcase_add_test(tc, test_mov_to_cr);
    tcase_add_test(tc, test_mov_from_cr_clts_lmsw);
    tcase_add_test(tc, test_not_cr_or_truncated);
    tcase_add_test(tc, test_lmsw_rex_b);
    tcase_add_test(tc, test_rex_before_legacy_prefix_ignored);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
