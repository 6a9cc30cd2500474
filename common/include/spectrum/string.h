/**
 * @file string.h
 * @brief The few C library string/memory functions the freestanding image
 *        needs.  GCC may emit calls to memset/memcpy/memmove/memcmp on its
 *        own even with -ffreestanding (GCC manual, "C Dialect Options"), so
 *        these names must exist.
 */
#ifndef SPECTRUM_STRING_H
#define SPECTRUM_STRING_H

#include <stddef.h>

/** @brief Fill @p n bytes at @p dst with @p c. */
void *memset(void *dst, int c, size_t n);
/** @brief Copy @p n bytes; the ranges must not overlap. */
void *memcpy(void *dst, const void *src, size_t n);
/** @brief Copy @p n bytes; the ranges may overlap. */
void *memmove(void *dst, const void *src, size_t n);
/** @brief Compare @p n bytes. */
int memcmp(const void *a, const void *b, size_t n);
/** @brief Length of a NUL-terminated string. */
size_t strlen(const char *s);
/** @brief Length of @p s, at most @p max. */
size_t strnlen(const char *s, size_t max);
/** @brief Compare two strings. */
int strcmp(const char *a, const char *b);
/** @brief Compare at most @p n characters of two strings. */
int strncmp(const char *a, const char *b, size_t n);
/** @brief First occurrence of @p c in @p s, or NULL. */
char *strchr(const char *s, int c);
/** @brief First occurrence of @p needle in @p hay, or NULL (an empty needle matches at once). */
char *strstr(const char *hay, const char *needle);

#endif
