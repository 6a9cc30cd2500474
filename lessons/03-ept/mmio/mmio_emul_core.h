/**
 * @file mmio_emul_core.h
 * @brief The MMIO instruction emulator's core: instruction bytes +
 *        registers + an environment of callbacks -> the instruction's
 *        effect.  Pure code: no vCPU, no VM, no gpm, so the unit test
 *        (tests/test_mmio_emul.c) and the fuzzer (tests/fuzz_mmio_emul.c)
 *        run it hosted; mmio_emul.c is the kernel glue.
 *
 * What it emulates (the forms compilers and drivers use on device
 * registers; SDM Vol. 2 per instruction):
 *  - MOV r/m<->reg (88, 89, 8A, 8B), MOV r/m,imm (C6, C7), MOV with a moffs
 *    (A0-A3); 1, 2, 4 or 8 bytes;
 *  - MOVZX / MOVSX (0F B6/B7/BE/BF) from 8/16-bit memory, MOVSXD (63);
 *  - AND, OR, XOR, CMP with a memory operand in either direction (20-23,
 *    08-0B, 30-33, 38-3B), their immediate forms in group 1 (80, 81, 83),
 *    TEST (84, 85, F6 /0, F7 /0);
 *  - STOS and MOVS (AA, AB, A4, A5), with or without REP, either side of a
 *    MOVS in RAM or MMIO.
 * Anything else fails with a reason, and so does a LOCK prefix, an
 * undecodable or truncated instruction, a form without a memory operand,
 * or a memory operand that does not address the faulting GPA (the guest
 * changed the instruction after it faulted, from another vCPU or by DMA).
 *
 * The core never advances RIP (the caller completes the instruction with
 * vcpu_skip_insn() semantics, RFLAGS.TF included); it writes the general
 * registers and the arithmetic flags into @p regs only when it succeeds.
 */
#ifndef SPECTRUM_MMIO_EMUL_CORE_H
#define SPECTRUM_MMIO_EMUL_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vcpu/vcpu.h"

/** Most REP iterations one call performs; then it returns MMIO_CORE_AGAIN. */
#define MMIO_REP_MAX 4096u

/** @brief Where guest memory and devices are, for the core. */
struct mmio_env {
    void *ctx;              /**< passed to every callback */
    unsigned code_bits;     /**< 16, 32 or 64: the code's default operand/address size */
    uint64_t seg_base[6];   /**< ES, CS, SS, DS, FS, GS bases (x86_seg order); 64-bit mode uses only FS, GS */
    uint64_t gpa;           /**< the faulting guest-physical address the instruction must access */
    unsigned rep_max;       /**< REP iterations per call (0: MMIO_REP_MAX) */
    /** Guest-linear -> guest-physical for a data access (write: a store);
     *  false if it does not translate (or is not allowed). */
    bool (*translate)(void *ctx, uint64_t linear, bool write, uint64_t *gpa);
    /** Read @p size (1, 2, 4, 8) bytes at @p gpa (device or RAM); false: nothing there. */
    bool (*read)(void *ctx, uint64_t gpa, unsigned size, uint64_t *value);
    /** Write @p size bytes of @p value at @p gpa (device or RAM); false: nothing there. */
    bool (*write)(void *ctx, uint64_t gpa, unsigned size, uint64_t value);
};

/** @brief How a call ended. */
enum mmio_core_status {
    MMIO_CORE_DONE = 0,  /**< complete: the caller advances RIP by @c length */
    MMIO_CORE_AGAIN,     /**< a REP string stopped at rep_max with rCX left: RIP stays, the guest re-executes it */
    MMIO_CORE_FAIL,      /**< not emulated; @c why says why, registers untouched */
};

/** @brief What a call did. */
struct mmio_core_result {
    enum mmio_core_status status; /**< as returned */
    unsigned length;              /**< decoded instruction length (0 if it did not decode) */
    unsigned iterations;          /**< string elements moved (0 for other forms) */
    char why[160];                /**< MMIO_CORE_FAIL: the reason */
};

/**
 * @brief Emulate the instruction in @p bytes (@p n of them, at most 15 are
 *        looked at) for registers @p regs (RIP = the instruction's offset
 *        in CS) against @p env.
 * @return the status, also in @p res->status
 */
enum mmio_core_status mmio_core_emulate(const struct mmio_env *env, struct vcpu_regs *regs, const uint8_t *bytes,
                                        size_t n, struct mmio_core_result *res);

#endif
