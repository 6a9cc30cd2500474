/**
 * @file format.h
 * @brief AT&T-syntax text for a decoded x86 instruction, in the style of
 *        GNU objdump (binutils 2.40).
 *
 * The output is what `objdump -d` prints after the raw bytes, e.g.
 * `mov    0x8(%rsp),%rax` or `rep stos %eax,%es:(%rdi)`: mnemonic padded
 * to six columns, operands in AT&T order (source first), objdump's choice
 * of when to spell a size suffix, and `# 0x...` after RIP-relative
 * operands.  The unit tests hold the formatter to objdump's output on a
 * generated corpus, so the two can be diffed directly.
 *
 * Freestanding like the decoder: no library calls, so the kernel can print
 * the instruction a guest faulted on.
 */
#ifndef SPECTRUM_X86_FORMAT_H
#define SPECTRUM_X86_FORMAT_H

#include <stddef.h>

#include "x86/decode.h"

/** Buffer size that always holds x86_format() output.  Worst case: 14
 *  ignored prefixes shown as words of up to 9 characters ("rex.WRXB ")
 *  before a short instruction, or about 70 characters of operands and
 *  RIP-relative comment after few prefixes; 256 covers both. */
#define X86_FORMAT_MAX 256

/**
 * Format an instruction as AT&T assembly text.
 *
 * Works like snprintf(): writes at most `size` bytes including the
 * terminating NUL (nothing if `size` is 0) and returns the length the full
 * text has, so a return value >= `size` means the text was truncated.
 *
 * Prefixes that change nothing (a segment override on an instruction
 * without memory operands, a redundant 66/67) are printed as objdump's
 * prefix words ("cs", "data16", "addr32"); the exact spelling of such
 * unusual encodings is not guaranteed to match objdump.
 *
 * @param insn an instruction for which x86_decode() returned
 *             ::X86_DECODE_OK (or ::X86_DECODE_UNDEFINED)
 * @param buf  destination, may be NULL if `size` is 0
 * @param size bytes available at `buf`
 * @return length of the complete text, excluding the NUL
 */
size_t x86_format(const x86_insn *insn, char *buf, size_t size);

#endif /* SPECTRUM_X86_FORMAT_H */
