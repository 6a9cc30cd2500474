/**
 * @file posix_cksum.h
 * @brief The checksum POSIX `cksum` prints (IEEE Std 1003.1, cksum): a
 *        CRC-32 with the generator polynomial 0x04C11DB7, bits taken most
 *        significant first, over the data followed by its length (the
 *        fewest bytes that hold it, least significant first), and the
 *        result complemented.  So the value Spectrum prints for a disk
 *        image can be compared with `cksum < image` on the host.
 */
#ifndef SPECTRUM_POSIX_CKSUM_H
#define SPECTRUM_POSIX_CKSUM_H

#include <stdint.h>

/** @brief `cksum`'s first number for the @p len bytes at @p p. */
uint32_t posix_cksum(const uint8_t *p, uint64_t len);

#endif
