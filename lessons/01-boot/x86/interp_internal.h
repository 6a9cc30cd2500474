/**
 * @file interp_internal.h
 * @brief What the interpreter's files share and nobody else needs:
 *        register and operand access, segmented memory, the ALU, and the
 *        instruction-group handlers.
 *
 * Error convention: every helper that can fail returns false after it has
 * stopped the VM (through interp_fault() or vm_stop()); a caller only has
 * to return false in turn.  Values are at most 32 bits wide: the
 * interpreter runs 16- and 32-bit code only.
 */
#ifndef SPECTRUM_X86_INTERP_INTERNAL_H
#define SPECTRUM_X86_INTERP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "x86/decode.h"
#include "x86/interp.h"

/* ---- faults (interp.c) --------------------------------------------- */

/**
 * @brief Stop the VM with "guest fault at CS:IP (linear L): bytes ..:
 *        <reason>" for the instruction being executed.
 * @return false, so that a handler can `return interp_fault(...)`.
 */
bool interp_fault(struct interp *it, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- registers (interp_mem.c) -------------------------------------- */

/** @brief All-ones mask of a @p size-byte value (size 1, 2 or 4). */
static inline uint32_t interp_mask(unsigned size)
{
    return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/** @brief The sign bit of a @p size-byte value. */
static inline uint32_t interp_sign(unsigned size)
{
    return 1u << (8 * size - 1);
}

/** @brief Sign-extend the low @p size bytes of @p v to 32 bits. */
static inline uint32_t interp_sext(uint32_t v, unsigned size)
{
    uint32_t m = interp_mask(size), s = interp_sign(size);
    return ((v & m) ^ s) - s;
}

/** @brief Read GPR @p num as a @p size-byte value (AL, AX, EAX...). */
static inline uint32_t interp_gpr(const struct interp_cpu *cpu, unsigned num, unsigned size)
{
    return (uint32_t)cpu->gpr[num & 15] & interp_mask(size);
}

/**
 * @brief Write the low @p size bytes of GPR @p num.  Narrow writes keep
 *        the other bits (SDM Vol. 1 §3.4.1.1: only 32-bit writes in 64-bit
 *        mode zero-extend, and this interpreter has no 64-bit mode).
 */
static inline void interp_set_gpr(struct interp_cpu *cpu, unsigned num, unsigned size, uint32_t v)
{
    uint64_t m = interp_mask(size);
    cpu->gpr[num & 15] = (cpu->gpr[num & 15] & ~m) | (v & m);
}

/** @brief The stack pointer's width in bytes: SS.B (SDM Vol. 3A §3.4.5),
 *         0 in real mode, 1 in the flat 32-bit mode. */
static inline unsigned interp_stack_size(const struct interp *it)
{
    return it->mode == INTERP_MODE_REAL ? 2 : 4;
}

/* ---- memory (interp_mem.c) ----------------------------------------- */

/**
 * @brief Check that [offset, offset+size) lies inside segment @p seg's
 *        limit and translate it to a linear address (= guest-physical:
 *        there is no paging).
 */
bool interp_linear(struct interp *it, unsigned seg, uint64_t offset, unsigned size, uint64_t *linear);

/** @brief Read @p size (1, 2 or 4) bytes at @p seg:@p offset. */
bool interp_read(struct interp *it, unsigned seg, uint64_t offset, unsigned size, uint32_t *value);

/** @brief Write @p size (1, 2 or 4) bytes at @p seg:@p offset. */
bool interp_write(struct interp *it, unsigned seg, uint64_t offset, unsigned size, uint32_t value);

/** @brief Check, without accessing it, that @p seg:@p offset can be
 *         written: inside the segment limit and inside guest memory. */
bool interp_probe(struct interp *it, unsigned seg, uint64_t offset, unsigned size);

/** @brief Read @p size bytes at linear address @p linear (the IVT). */
bool interp_read_linear(struct interp *it, uint64_t linear, unsigned size, uint32_t *value);

/** @brief Effective address of @p m: base + index * scale + disp,
 *         truncated to the address size (SDM Vol. 1 §3.7.5). */
uint32_t interp_effective_address(const struct interp *it, const x86_mem *m);

/** @brief Push a @p size-byte value (SDM Vol. 2B "PUSH" Operation). */
bool interp_push(struct interp *it, unsigned size, uint32_t value);

/** @brief Pop a @p size-byte value (SDM Vol. 2B "POP" Operation). */
bool interp_pop(struct interp *it, unsigned size, uint32_t *value);

/**
 * @brief Load segment register @p seg with @p selector for a MOV/POP/LxS,
 *        a far transfer or an interrupt.  Real mode: base = selector * 16.
 *        Flat mode has no descriptor tables: the load stops the VM.
 */
bool interp_load_segment(struct interp *it, unsigned seg, uint16_t selector);

/** @brief Read operand @p op (register, immediate or memory). */
bool interp_operand_read(struct interp *it, const x86_operand *op, uint32_t *value);

/** @brief Write operand @p op (register or memory). */
bool interp_operand_write(struct interp *it, const x86_operand *op, uint32_t value);

/* ---- flags and the ALU (interp_flags.c, interp_alu.c) ------------- */

/** @brief ZF, SF and PF of a @p size-byte result (SDM Vol. 1 §3.4.3.1). */
uint32_t interp_flags_szp(uint32_t result, unsigned size);

/** @brief Whether condition @p cond (0-15, SDM Vol. 1 Appendix B) holds. */
bool interp_condition(const struct interp_cpu *cpu, unsigned cond);

/**
 * @brief Two-operand ALU operation @p mnemonic (ADD ADC SUB SBB CMP AND
 *        OR XOR TEST) on @p size-byte @p a and @p b; sets the arithmetic
 *        flags in @p cpu.
 * @return the result (CMP and TEST: the value that was compared).
 */
uint32_t interp_alu2(struct interp_cpu *cpu, unsigned mnemonic, unsigned size, uint32_t a, uint32_t b);

/** @brief One-operand ALU operation INC DEC NEG NOT; sets the flags. */
uint32_t interp_alu1(struct interp_cpu *cpu, unsigned mnemonic, unsigned size, uint32_t a);

/**
 * @brief Shift or rotate @p mnemonic (ROL ROR RCL RCR SHL SHR SAR) of
 *        @p size-byte @p value by @p count (masked to 5 bits here).
 */
uint32_t interp_shift(struct interp_cpu *cpu, unsigned mnemonic, unsigned size, uint32_t value,
                      uint32_t count);

/** @brief SHLD/SHRD: shift @p dst by @p count filling from @p src. */
uint32_t interp_shift_double(struct interp_cpu *cpu, unsigned mnemonic, unsigned size,
                             uint32_t dst, uint32_t src, uint32_t count);

/* ---- instruction groups -------------------------------------------- */

/** @brief MUL, IMUL (all three forms), DIV, IDIV (interp_muldiv.c). */
bool interp_exec_muldiv(struct interp *it, const x86_insn *insn);

/** @brief MOVS CMPS STOS LODS SCAS INS OUTS with REP (interp_string.c). */
bool interp_exec_string(struct interp *it, const x86_insn *insn);

/** @brief JMP Jcc JCXZ LOOPcc CALL RET far forms, INT, IRET (interp_branch.c). */
bool interp_exec_branch(struct interp *it, const x86_insn *insn);

/**
 * @brief Load RFLAGS from a POPF/IRET image of @p size bytes: only the
 *        bits those instructions may change at CPL 0 (interp_branch.c).
 *        Setting TF stops the VM: single-step traps are not emulated.
 */
bool interp_load_flags(struct interp *it, uint32_t value, unsigned size);

/** @brief PUSH POP PUSHA POPA PUSHF POPF ENTER LEAVE (interp_stack.c). */
bool interp_exec_stack(struct interp *it, const x86_insn *insn);

/** @brief BT BTS BTR BTC BSF BSR BSWAP (interp_bits.c). */
bool interp_exec_bits(struct interp *it, const x86_insn *insn);

/** @brief IN OUT CPUID RDTSC HLT CLI STI and the flag instructions
 *         (interp_system.c). */
bool interp_exec_system(struct interp *it, const x86_insn *insn);

/**
 * @brief Deliver interrupt @p vector through the real-mode IVT (SDM Vol. 3A
 *        §22.1.4): push FLAGS, CS and @p return_ip, clear IF, TF and AC,
 *        continue at the handler.  Stops the VM when the IVT entry is
 *        0000:0000 (no handler) or in flat mode (no IDT).
 * @param it         the interpreter
 * @param vector     interrupt vector 0-255
 * @param return_ip  the IP to push: the next instruction for INT n and
 *                   traps, the faulting instruction for faults such as \#DE
 * @param what       how to name the event in a stop message ("\#DE divide error")
 * @return false when the VM was stopped
 */
bool interp_interrupt(struct interp *it, uint8_t vector, uint32_t return_ip, const char *what);

#endif
