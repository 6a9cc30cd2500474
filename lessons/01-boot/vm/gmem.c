/**
 * @file gmem.c
 * @brief Bounds-checked copies to and from guest memory.
 */
#include "vm/gmem.h"

bool gmem_read(const struct guest_mem *gm, uint64_t gpa, void *dst, uint64_t len)
{
    const uint8_t *src = gmem_ptr(gm, gpa, len);
    if (!src)
        return false;
    uint8_t *d = dst;
    for (uint64_t i = 0; i < len; i++)
        d[i] = src[i];
    return true;
}

bool gmem_write(const struct guest_mem *gm, uint64_t gpa, const void *src, uint64_t len)
{
    uint8_t *dst = gmem_ptr(gm, gpa, len);
    if (!dst)
        return false;
    const uint8_t *s = src;
    for (uint64_t i = 0; i < len; i++)
        dst[i] = s[i];
    return true;
}
