/**
 * @file rip.h
 * @brief Where the next instruction is: RIP + length, wrapped as the CPU
 *        wraps it.  Pure, so tests/test_rip.c checks it hosted.
 *
 * The instruction pointer is as wide as the code that runs (SDM Vol. 1
 * §3.5 and §3.6.1, Vol. 3A §5.2.1): 64 bits in 64-bit mode, EIP (32 bits)
 * in 32-bit protected or compatibility mode, IP (16 bits) in 16-bit code.
 * An instruction that ends at 4 GiB in 32-bit code continues at 0, not at
 * 100000000H, and likewise at 64 KiB in 16-bit code.
 */
#ifndef SPECTRUM_VCPU_RIP_H
#define SPECTRUM_VCPU_RIP_H

#include <stdint.h>

/** @brief @p rip advanced by @p len bytes in code of @p bits (16, 32, 64) bits. */
static inline uint64_t vcpu_rip_advance(uint64_t rip, unsigned len, unsigned bits)
{
    uint64_t next = rip + len;
    if (bits == 16)
        return next & 0xffffull;
    if (bits == 32)
        return next & 0xffffffffull;
    return next;
}

#endif
