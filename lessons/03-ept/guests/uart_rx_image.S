/**
 * @file uart_rx_image.S
 * @brief The p-uart-rx guest (guests/uart_rx.c, built by uartrx.mk),
 *        embedded in the kernel; scenarios/p_uart_rx.c declares it with
 *        PC_GUEST_IMAGE_DECLARE(uart_rx).
 */
#include "guests/rt_embed.h"

    PC_GUEST_EMBED uart_rx, "build/03/guests/uart_rx.bin"

    .section .note.GNU-stack, "", @progbits
