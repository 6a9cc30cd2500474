/**
 * @file console.h
 * @brief Spectrum's own console: COM1 (8250 UART) mirrored to port 0xE9.
 *
 * This is the hypervisor's console, not a guest's: guests get emulated
 * UARTs (lesson 01, part 2) whose output ends up here, prefixed.
 */
#ifndef SPECTRUM_CONSOLE_H
#define SPECTRUM_CONSOLE_H

#include <stddef.h>

/** @brief Program COM1 (115200 8N1, FIFOs on); safe to call twice. */
void console_init(void);
/** @brief Write one character ("\n" becomes "\r\n" on the UART). */
void console_putc(char c);
/** @brief Write @p n bytes. */
void console_write(const char *s, size_t n);
/** @brief Wait until the UART has shifted out every byte (LSR.TEMT). */
void console_drain(void);
/** @brief printf to the console. @return characters written. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#include <stdarg.h>
/** @brief vprintf to the console. */
int kvprintf(const char *fmt, va_list ap);

#endif
