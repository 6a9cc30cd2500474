/**
 * @file fuzz_decode.c
 * @brief libFuzzer target for the x86 decoder and formatter.
 *
 *     clang -g -O1 -fsanitize=fuzzer,address,undefined ... -o fuzz_decode
 *     build/host/fuzz/fuzz_decode -max_total_time=300
 *
 * Every input is decoded in 16-, 32- and 64-bit mode from a heap copy of
 * exactly its size, so AddressSanitizer reports any read past the
 * caller's length.  Invariants checked beyond "no crash":
 *  - OK/UNDEFINED: 1 <= length <= min(15, size), bytes[] mirrors the input,
 *    at most 3 operands, operand kinds and sizes in range;
 *  - decoding only `length` bytes gives the same instruction (the decoder
 *    does not depend on bytes after the instruction) and `length - 1`
 *    bytes give TRUNCATED;
 *  - any other status reports length 0, and TRUNCATED only happens on
 *    inputs shorter than 15 bytes;
 *  - the formatter terminates its text, never writes past the buffer and
 *    returns the same length whatever the buffer size.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x86/decode.h"
#include "x86/format.h"

#define FUZZ_CHECK(cond)                                                              \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "fuzz_decode: invariant failed: %s (%s:%d)\n", #cond,     \
                    __FILE__, __LINE__);                                              \
            abort();                                                                  \
        }                                                                             \
    } while (0)

static uint8_t *copy_exact(const uint8_t *data, size_t size)
{
    uint8_t *p = malloc(size ? size : 1);
    FUZZ_CHECK(p != NULL);
    if (size != 0)
        memcpy(p, data, size);
    return p;
}

static void check_operands(const x86_insn *insn)
{
    FUZZ_CHECK(insn->num_operands <= X86_MAX_OPERANDS);
    FUZZ_CHECK(insn->operand_size == 1 || insn->operand_size == 2 ||
               insn->operand_size == 4 || insn->operand_size == 8);
    FUZZ_CHECK(insn->address_size == 2 || insn->address_size == 4 || insn->address_size == 8);
    FUZZ_CHECK(insn->mnemonic > X86_MN_INVALID && insn->mnemonic < X86_MN_COUNT_);
    FUZZ_CHECK(insn->name != NULL);
    for (unsigned i = 0; i < insn->num_operands; i++) {
        const x86_operand *op = &insn->operands[i];
        FUZZ_CHECK(op->kind >= X86_OPERAND_REG && op->kind <= X86_OPERAND_FAR);
        FUZZ_CHECK(op->size <= 16);
        if (op->kind == X86_OPERAND_REG) {
            FUZZ_CHECK(op->reg.num < 16);
            if (op->reg.cls == X86_REG_GPR_HIGH8)
                FUZZ_CHECK(op->reg.num < 4 && insn->rex == 0);
        }
        if (op->kind == X86_OPERAND_MEM) {
            const x86_mem *m = &op->mem;
            FUZZ_CHECK(m->segment <= X86_SEG_GS);
            FUZZ_CHECK(m->base == X86_NO_REG || m->base < 16);
            FUZZ_CHECK(m->index == X86_NO_REG || m->index < 16);
            FUZZ_CHECK(m->scale == 1 || m->scale == 2 || m->scale == 4 || m->scale == 8);
            FUZZ_CHECK(m->addr_size == insn->address_size);
            FUZZ_CHECK(!m->rip_relative || (insn->mode == X86_MODE_64 && m->base == X86_NO_REG));
        }
    }
}

static void check_format(const x86_insn *insn, unsigned small)
{
    char out[X86_FORMAT_MAX + 8];
    memset(out, 0x55, sizeof out);
    size_t n = x86_format(insn, out, X86_FORMAT_MAX);
    FUZZ_CHECK(n < X86_FORMAT_MAX);
    FUZZ_CHECK(strlen(out) == n);
    for (size_t i = X86_FORMAT_MAX; i < sizeof out; i++)
        FUZZ_CHECK(out[i] == 0x55);

    /* An exactly sized heap buffer smaller than the text. */
    size_t cap = small % (n + 2);
    char *tiny = malloc(cap ? cap : 1);
    FUZZ_CHECK(tiny != NULL);
    FUZZ_CHECK(x86_format(insn, cap ? tiny : NULL, cap) == n);
    if (cap != 0) {
        FUZZ_CHECK(strlen(tiny) == (n < cap ? n : cap - 1));
        FUZZ_CHECK(strncmp(tiny, out, strlen(tiny)) == 0);
    }
    free(tiny);
}

static void check_mode(const uint8_t *data, size_t size, x86_mode mode, uint64_t addr)
{
    uint8_t *buf = copy_exact(data, size);
    x86_insn insn;
    x86_status st = x86_decode(buf, size, mode, addr, &insn);
    switch (st) {
    case X86_DECODE_OK:
    case X86_DECODE_UNDEFINED: {
        FUZZ_CHECK(insn.length >= 1 && insn.length <= X86_MAX_INSN_LEN);
        FUZZ_CHECK(insn.length <= size);
        FUZZ_CHECK(memcmp(insn.bytes, data, insn.length) == 0);
        FUZZ_CHECK(insn.num_prefixes < insn.length);
        check_operands(&insn);
        check_format(&insn, size ? data[size - 1] : 0);

        uint8_t *exact = copy_exact(data, insn.length);
        x86_insn again;
        FUZZ_CHECK(x86_decode(exact, insn.length, mode, addr, &again) == st);
        FUZZ_CHECK(again.length == insn.length);
        FUZZ_CHECK(again.mnemonic == insn.mnemonic);
        FUZZ_CHECK(memcmp(again.operands, insn.operands, sizeof insn.operands) == 0);
        FUZZ_CHECK(x86_decode(exact, insn.length - 1u, mode, addr, &again) ==
                   X86_DECODE_TRUNCATED);
        free(exact);
        break;
    }
    case X86_DECODE_TRUNCATED:
        FUZZ_CHECK(size < X86_MAX_INSN_LEN);
        FUZZ_CHECK(insn.length == 0);
        break;
    case X86_DECODE_TOO_LONG:
    case X86_DECODE_UNKNOWN_OPCODE:
    case X86_DECODE_INVALID_MODE:
        FUZZ_CHECK(insn.length == 0);
        break;
    default:
        FUZZ_CHECK(!"unexpected status");
    }
    FUZZ_CHECK(x86_status_name(st) != NULL);
    free(buf);
}

/** libFuzzer entry point: one input, decoded in every mode. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_mode(data, size, X86_MODE_16, 0x7c00);
    check_mode(data, size, X86_MODE_32, 0xfffffff0u);
    check_mode(data, size, X86_MODE_64, UINT64_C(0xfffffffffffffff8));
    return 0;
}
