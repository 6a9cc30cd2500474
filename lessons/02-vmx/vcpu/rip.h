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

#include <stdbool.h>
#include <stdint.h>

/**
 * @brief How wide the guest's code is: 64, 32 or 16 bits.
 *
 * 64-bit mode is IA-32e mode (EFER.LMA) with CS.L set; otherwise, in
 * protected mode and compatibility mode alike, the D flag of the CS
 * descriptor picks 32- or 16-bit code; real mode (CR0.PE clear) is 16-bit
 * whatever the hidden CS attributes say (SDM Vol. 3A §5.2.1 and §3.4.5,
 * Vol. 1 §3.6.1; APM Vol. 2 §4.8.1, §4.8.2).  Virtual-8086 mode has no
 * case of its own: VM entry requires its CS attributes to be F3H, D clear
 * (SDM Vol. 3C §27.3.1.2), so the rule gives 16 there.  Each back end
 * reads the four inputs from its own guest state (VMCS fields, VMCB save
 * area) and asks this one rule.
 * @param pe   CR0.PE
 * @param lma  EFER.LMA
 * @param cs_l CS.L, the 64-bit code flag
 * @param cs_d CS.D, the default operand size flag (D/B)
 */
static inline unsigned vcpu_code_bits(bool pe, bool lma, bool cs_l, bool cs_d)
{
    if (lma && cs_l)
        return 64;
    if (!pe)
        return 16;
    return cs_d ? 32 : 16;
}

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
