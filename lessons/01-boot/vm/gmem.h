/**
 * @file gmem.h
 * @brief Guest memory: one contiguous block of host memory that a guest
 *        sees as guest-physical addresses [0, size).
 *
 * Every access a device model or an emulator makes on a guest's behalf goes
 * through these functions, which check the whole range against the guest's
 * size first (overflow-safe): a guest-supplied address can never make
 * Spectrum read or write outside that guest's memory.
 */
#ifndef SPECTRUM_GMEM_H
#define SPECTRUM_GMEM_H

#include <stdbool.h>
#include <stdint.h>

/** @brief A guest's memory. */
struct guest_mem {
    uint8_t *host;   /**< host pointer of guest-physical address 0 */
    uint64_t size;   /**< bytes; guest-physical addresses are [0, size) */
};

/** @brief Whether [gpa, gpa+len) lies inside the guest's memory. */
static inline bool gmem_contains(const struct guest_mem *gm, uint64_t gpa, uint64_t len)
{
    return gpa <= gm->size && len <= gm->size - gpa;
}

/** @brief Host pointer for [gpa, gpa+len), or NULL if any byte is outside. */
static inline void *gmem_ptr(const struct guest_mem *gm, uint64_t gpa, uint64_t len)
{
    return gmem_contains(gm, gpa, len) ? gm->host + gpa : (void *)0;
}

/** @brief Copy @p len guest bytes at @p gpa to @p dst; false if out of range. */
bool gmem_read(const struct guest_mem *gm, uint64_t gpa, void *dst, uint64_t len);

/** @brief Copy @p len bytes from @p src to guest @p gpa; false if out of range. */
bool gmem_write(const struct guest_mem *gm, uint64_t gpa, const void *src, uint64_t len);

#endif
