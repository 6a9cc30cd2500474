/**
 * @file guest_input.h
 * @brief Typed input for a lesson-03 machine's COM1: the command-line
 *        text's escapes, decoded one byte at a time (pure, fuzzed in
 *        tests/test_uart_text_fuzz.c).
 *
 * Options (registered in guest_input.c):
 *   guest_input=1            feed what is typed on Spectrum's own COM1
 *                            (the terminal of QEMU -serial stdio or
 *                            Bochs com1:) to the guest's COM1;
 *   guest_input_text="..."   feed this text, as if typed, once the guest's
 *                            receiver is ready.  Escapes (a backslash
 *                            and): n, r, t, e (ESC), a backslash, xH or
 *                            xHH (hex); any other character after a
 *                            backslash stands for itself, a final lone
 *                            backslash for a backslash.
 */
#ifndef SPECTRUM_VDEV_GUEST_INPUT_H
#define SPECTRUM_VDEV_GUEST_INPUT_H

#include <stddef.h>
#include <stdint.h>

/**
 * @brief Decode the byte at @p s[@p pos] (a character or an escape).
 * @return the characters it took (1-4), or 0 at the end of the string
 *         (@p out untouched).  Never reads past the terminating NUL.
 */
size_t guest_input_unescape(const char *s, size_t pos, uint8_t *out);

#endif
