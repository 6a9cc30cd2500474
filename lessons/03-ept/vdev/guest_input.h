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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spectrum/registry.h"

struct vm;

/**
 * @brief Decode the byte at @p s[@p pos] (a character or an escape).
 * @return the characters it took (1-4), or 0 at the end of the string
 *         (@p out untouched).  Never reads past the terminating NUL.
 */
size_t guest_input_unescape(const char *s, size_t pos, uint8_t *out);

/**
 * @brief Extension point: a console a later lesson adds that takes the
 *        typed input instead of COM1 while it is the guest's console
 *        (lesson 04: virtio-console, when Linux runs on hvc0).  The text
 *        and the host's keystrokes then go to the first sink whose
 *        active() is true; with none, to COM1 as in stage 03.  The sink
 *        raises its own interrupt; the guest's output on it should be
 *        passed to guest_input_saw() so guest_input_after= works there too.
 */
struct guest_input_sink {
    const char *name;                        /**< for messages */
    /** True while @p vm's guest uses this console (its driver is live). */
    bool (*active)(struct vm *vm);
    /** Bytes the guest can take now (0: no buffer; the input waits). */
    uint32_t (*room)(struct vm *vm);
    /** Give the guest @p n <= room() bytes. */
    void (*put)(struct vm *vm, const uint8_t *bytes, uint32_t n);
};

TABLE_DECLARE(struct guest_input_sink, spectrum_guest_input_sink);

/** Register input sink @p id (a struct guest_input_sink initializer). */
#define REGISTER_GUEST_INPUT_SINK(id, ...)                                                         \
    static const struct guest_input_sink guest_input_sink_##id TABLE_ENTRY(spectrum_guest_input_sink) = __VA_ARGS__

#endif
