/**
 * @file fmt.h
 * @brief printf-style formatting, independent of where the characters go.
 *
 * The core, fmt_vformat(), hands every produced character to a sink
 * callback; the console, snprintf and the unit tests are just different
 * sinks.  The format language is the C11 subset a kernel needs
 * (C11 §7.21.6.1): flags "-0+ #", width and precision (also "*"), length
 * modifiers hh h l ll z j t, and conversions d i u o x X c s p %.
 * Floating point is not supported (the image is built without SSE).
 */
#ifndef SPECTRUM_FMT_H
#define SPECTRUM_FMT_H

#include <stdarg.h>
#include <stddef.h>

/** @brief Receives one formatted character. */
typedef void (*fmt_sink)(void *ctx, char c);

/**
 * @brief Format @p fmt with @p ap, sending each character to @p sink.
 * @return the number of characters produced.
 */
int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap);

/**
 * @brief vsnprintf: format into @p buf of @p size bytes, always
 *        NUL-terminated when @p size > 0.
 * @return the length the full output would have had (C11 §7.21.6.12).
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/** @brief snprintf counterpart of fmt_vsnprintf(). */
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
