/**
 * @file console.h
 * @brief Guest output through COM1, the 8250 UART at port 0x3F8 that
 *        Spectrum emulates for every VM (lesson 01, vdev/uart8250.c).
 *
 * Polled, as a boot loader would do it: wait for the transmit holding
 * register to be empty, then write the byte.  Each line the guest prints
 * shows up on Spectrum's console as "[vm-name] line".
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stdarg.h>

/** @brief Send one character. */
void guest_putc(char c);
/** @brief Send a NUL-terminated string (no newline added). */
void guest_puts(const char *s);
/** @brief printf to COM1 (the format language of common/lib/fmt.c). @return characters sent. */
int guest_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** @brief vprintf counterpart of guest_printf(). */
int guest_vprintf(const char *fmt, va_list ap);

#endif
