/**
 * @file svm_decode.h
 * @brief The little instruction decoding SVM needs without NRIPS and
 *        decode assists (pure functions over a byte buffer; svm_decode.c).
 */
#ifndef SPECTRUM_SVM_DECODE_H
#define SPECTRUM_SVM_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** @brief Instructions that access CR0/CR4 (APM Vol. 3 "MOV CRn", "CLTS", "LMSW"). */
enum svm_cr_kind {
    SVM_CR_MOV,                /**< MOV to/from CRn: 0F 22 /r, 0F 20 /r */
    SVM_CR_CLTS,               /**< CLTS: 0F 06 */
    SVM_CR_LMSW,               /**< LMSW: 0F 01 /6 */
};

/** @brief A decoded MOV to/from CRn, CLTS or LMSW. */
struct svm_cr_insn {
    enum svm_cr_kind kind;     /**< which instruction */
    bool write;                /**< MOV to CR (true) or from CR */
    uint8_t cr;                /**< control register number */
    uint8_t gpr;               /**< general register (enum vcpu_gpr) */
    uint8_t len;               /**< instruction length */
};

/**
 * @brief Decode a MOV CR / CLTS / LMSW (register form) at the start of
 *        @p b (@p n valid bytes), in 64-bit mode if @p long64.  Pure.
 * @return false if the bytes are none of these or run out.
 */
bool svm_insn_decode_cr(const uint8_t *b, size_t n, bool long64, struct svm_cr_insn *out);

/**
 * @brief Length of the instruction at the start of @p b: legacy and (in
 *        64-bit mode) REX prefixes, then the @p oplen opcode bytes @p op.
 *        Pure.
 * @return the length, or 0 if the bytes do not hold that opcode.
 */
unsigned svm_insn_prefixed_len(const uint8_t *b, size_t n, bool long64, const uint8_t *op, unsigned oplen);

#endif
