/**
 * @file corpus_check.h
 * @brief Cross-checks the x86 decoder and formatter against GNU objdump.
 *
 * corpus_check() writes the generated corpus (gen_corpus.h) for one mode,
 * assembles it with `as`, disassembles the object with
 * `objdump -d -z --insn-width=16 -M i8086|i386|x86-64`, and decodes every
 * instruction objdump listed from the same bytes.  Per instruction the
 * decoder must return ::X86_DECODE_OK, the same length, and the same text
 * after normalisation.
 *
 * Normalisation (applied to both sides, deliberately minimal):
 *  - runs of blanks/tabs become one space; leading/trailing blanks go;
 *  - a trailing symbolic annotation `<...>` is dropped (objdump adds one
 *    when a branch target hits a symbol; the corpus has none, so this is a
 *    safety net, not a relied-upon rule).
 * Nothing else: mnemonic suffixes, `%ds:`-style overrides, `%eiz`, the
 * `# 0x...` RIP-relative comment and immediate widths must all match.
 */
#ifndef SPECTRUM_TESTS_CORPUS_CHECK_H
#define SPECTRUM_TESTS_CORPUS_CHECK_H

#include <stdbool.h>

#include "x86/decode.h"

/** Mismatches described in corpus_result.report at most. */
#define CORPUS_REPORT_MAX 25

/** Outcome of one corpus run. */
typedef struct corpus_result {
    unsigned lines;      /**< instruction lines the generator wrote */
    unsigned insns;      /**< instructions objdump listed and we compared */
    unsigned mismatches; /**< instructions that differ */
    unsigned char seen[X86_MN_COUNT_]; /**< mnemonics decoded at least once */
    char report[16384];  /**< first mismatches, or why the run failed */
} corpus_result;

/**
 * Generate, assemble, disassemble and compare the corpus for one mode.
 * @param mode    processor mode
 * @param workdir existing directory for the .s/.o/.dis files
 * @param res     result, fully overwritten
 * @return false if the toolchain step itself failed (see res->report);
 *         true if the comparison ran (check res->mismatches)
 */
bool corpus_check(x86_mode mode, const char *workdir, corpus_result *res);

/**
 * Normalise one line of disassembly text as described above.
 * @param in  text as printed
 * @param out destination, at least strlen(in) + 1 bytes
 */
void corpus_normalize(const char *in, char *out);

#endif /* SPECTRUM_TESTS_CORPUS_CHECK_H */
