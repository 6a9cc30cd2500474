/**
 * @file uart_rx.h
 * @brief The mailbox report of the p-uart-rx guest (guests/uart_rx.c),
 *        read by its scenario (scenarios/p_uart_rx.c) as hostile input.
 */
#ifndef SPECTRUM_UART_RX_H
#define SPECTRUM_UART_RX_H

#include "irq_mailbox.h"

/** @brief Report words of the UART receive guest (struct plat_mailbox val[]). */
enum uartrx_report {
    UARTRX_REP_POLL_BYTES,   /**< bytes of the polled line, its line end included */
    UARTRX_REP_IRQ_BYTES,    /**< bytes of the interrupt-driven line, its line end included */
    UARTRX_REP_EXTRA_BYTES,  /**< bytes the handler drained after the second line end */
    UARTRX_REP_IRQS,         /**< RX interrupts the handler took */
    UARTRX_REP_COUNT
};
_Static_assert(UARTRX_REP_COUNT <= PLAT_MAILBOX_VALS, "the report fits the mailbox");

#endif
