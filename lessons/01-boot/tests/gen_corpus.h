/**
 * @file gen_corpus.h
 * @brief Generates the assembler corpus used to cross-check the x86
 *        decoder against GNU objdump.
 */
#ifndef SPECTRUM_TESTS_GEN_CORPUS_H
#define SPECTRUM_TESTS_GEN_CORPUS_H

#include <stdio.h>

#include "x86/decode.h"

/**
 * Write a GNU as source file (AT&T syntax, `.code16/.code32/.code64`)
 * containing thousands of instructions for `mode`: every instruction
 * family the decoder supports, crossed with register and memory operand
 * forms (ModRM, SIB, disp8/disp32, RIP-relative, 16-bit forms), immediate
 * sizes and prefixes (66, 67, REX, LOCK, REP/REPNE, segment overrides),
 * plus `.byte` lines for encodings the assembler never emits on its own.
 *
 * The source uses no symbols, so the object needs no relocations and
 * `objdump -d` shows the final bytes.
 *
 * @param f    output stream
 * @param mode processor mode to generate for
 * @return number of instruction lines written
 */
unsigned gen_corpus_write(FILE *f, x86_mode mode);

#endif /* SPECTRUM_TESTS_GEN_CORPUS_H */
