/**
 * @file posix_cksum.c
 * @brief POSIX `cksum` (posix_cksum.h), freestanding: a 256-entry table
 *        of the CRC of each byte value, built on first use, so a 4 MiB
 *        image costs 4 Mi table steps instead of 32 Mi bit steps (the
 *        emulators run Spectrum itself slowly).
 *
 * The CRC register is not inverted at the start (POSIX's algorithm
 * begins with 0), unlike the CRC-32 of zlib and Ethernet, which also
 * reflect the bits; only the final value is complemented.
 */
#include "virtio/posix_cksum.h"

#include <stdbool.h>

#define CKSUM_POLY 0x04c11db7u   /* IEEE Std 1003.1, cksum: G(x) of degree 32 */

static uint32_t table[256];
static bool table_ready;

static void table_build(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i << 24;
        for (int k = 0; k < 8; k++)
            c = c & 0x80000000u ? c << 1 ^ CKSUM_POLY : c << 1;
        table[i] = c;
    }
    table_ready = true;
}

static uint32_t step(uint32_t crc, uint8_t b)
{
    return crc << 8 ^ table[(crc >> 24 ^ b) & 0xff];
}

uint32_t posix_cksum(const uint8_t *p, uint64_t len)
{
    if (!table_ready)
        table_build();
    uint32_t crc = 0;
    for (uint64_t i = 0; i < len; i++)
        crc = step(crc, p[i]);
    /* The length, least significant byte first, as few bytes as hold it
     * (none for an empty input). */
    for (uint64_t n = len; n; n >>= 8)
        crc = step(crc, (uint8_t)n);
    return ~crc;
}
