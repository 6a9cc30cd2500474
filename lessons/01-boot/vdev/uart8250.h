/**
 * @file uart8250.h
 * @brief The emulated COM1 UART's one public call.
 */
#ifndef SPECTRUM_VDEV_UART8250_H
#define SPECTRUM_VDEV_UART8250_H

#include <stdbool.h>
#include <stdint.h>

#include "spectrum/registry.h"

struct vm;

/** @brief Print what @p vm left in its UART without a final newline. */
void uart8250_flush(struct vm *vm);

/* ---- Extension point (lesson 03: the 16550A's receiver, FIFO and
 * interrupts).  Stages 01 and 02 register none and behave as above. ---- */

/** Bytes of per-VM state lesson 01's UART keeps for its extension. */
#define UART8250_EXT_STATE 128

/**
 * @brief A later lesson's additions to the UART, registered with
 *        REGISTER_UART8250_EXT (at most one is used: the first).
 *
 * Lesson 01 still decodes every access and keeps its registers (divisor
 * latch, IER, LCR, MCR, scratch) and its transmit path; the extension
 * sees each access after that: it may change what a read returns and
 * react to writes.  @p reg is the register offset 0-7, @p dlab the LCR
 * bit that was in force.  Its state is @p ext, UART8250_EXT_STATE zeroed
 * bytes per VM.
 */
struct uart8250_ext {
    const char *name;     /**< for messages */
    /** A read that lesson 01 answered with @p value: return what the guest sees. */
    uint8_t (*read)(struct vm *vm, void *ext, unsigned reg, bool dlab, uint8_t value);
    /** A write of @p value that lesson 01 has handled. */
    void (*write)(struct vm *vm, void *ext, unsigned reg, bool dlab, uint8_t value);
};

TABLE_DECLARE(struct uart8250_ext, spectrum_uart8250_ext);

/** Register the UART extension @p id. */
#define REGISTER_UART8250_EXT(id, ...)                                                             \
    static const struct uart8250_ext uart8250_ext_##id TABLE_ENTRY(spectrum_uart8250_ext) = __VA_ARGS__

/** @brief @p vm's extension state (UART8250_EXT_STATE bytes), or NULL if it has no UART. */
void *uart8250_ext_state(struct vm *vm);

#endif
