/**
 * @file uart8250.h
 * @brief The emulated COM1 UART's one public call.
 */
#ifndef SPECTRUM_VDEV_UART8250_H
#define SPECTRUM_VDEV_UART8250_H

struct vm;

/** @brief Print what @p vm left in its UART without a final newline. */
void uart8250_flush(struct vm *vm);

#endif
