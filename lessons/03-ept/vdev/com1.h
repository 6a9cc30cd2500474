/**
 * @file com1.h
 * @brief A lesson-03 machine's COM1: lesson 01's UART extended with the
 *        16550A model (uart16550.h), IRQ 4, and an input source
 *        (guest_input.c).
 */
#ifndef SPECTRUM_VDEV_COM1_H
#define SPECTRUM_VDEV_COM1_H

#include <stdbool.h>
#include <stdint.h>

#include "vdev/uart16550.h"

struct vm;

/** @brief Where a machine's typed input comes from, and how far it got. */
struct guest_input {
    const char *text;       /**< guest_input_text= still to type (NULL: none or done) */
    uint32_t text_pos;      /**< next character of @c text */
    bool configured;        /**< the options were read for this VM */
    bool from_host;         /**< guest_input=1: poll the host's COM1 */
    bool receiver_ready;    /**< the guest enabled ERBFI or read RBR: text may flow */
    bool after_seen;        /**< guest_input_after= was printed (or none given): text may flow */
    const char *after;      /**< guest_input_after=: what the guest must print first (a prompt), NULL: none */
    uint32_t after_pos;     /**< how much of @c after the guest's output matches so far */
    bool kick;              /**< input just raised IRQ 4: end the next slice at once */
    uint64_t next_poll;     /**< host TSC of the next poll of the host's COM1 */
    uint64_t text_bytes;    /**< bytes typed from the text */
    uint64_t host_bytes;    /**< bytes typed on the host's terminal */
};

/** @brief One machine's COM1 additions, kept in lesson 01's UART extension state. */
struct com1 {
    struct uart16550 uart;  /**< receiver, FIFO, interrupts */
    struct guest_input in;  /**< input source */
    bool line;              /**< IRQ 4 level last driven */
    uint64_t irq_raises;    /**< low-to-high transitions of IRQ 4 */
};

/** @brief @p vm's COM1 additions, or NULL if @p vm is not a lesson-03 machine
 *         (its UART then behaves exactly as lesson 01's). */
struct com1 *com1_of(struct vm *vm);

/** @brief The guest transmitted @p byte: watch for guest_input_after= (vdev/guest_input.c). */
void guest_input_saw(struct com1 *c, uint8_t byte);

/** @brief Drive IRQ 4 to what the UART's state says (pic_raise_irq/pic_lower_irq on a change). */
void com1_update_irq(struct vm *vm, struct com1 *c);

#endif
