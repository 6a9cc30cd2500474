/**
 * @file interp_muldiv.c
 * @brief MUL, IMUL (one, two and three operands), DIV and IDIV, including
 *        the divide error (#DE).
 *
 * The one-operand forms use the accumulator pair of the operand size
 * (SDM Vol. 2B "MUL" Table 4-9, Vol. 2A "DIV" Table 3-15):
 *
 *   size 1:  AX        = AL  * src     AL = AX / src,      AH = remainder
 *   size 2:  DX:AX     = AX  * src     AX = DX:AX / src,   DX = remainder
 *   size 4:  EDX:EAX   = EAX * src     EAX = EDX:EAX / src, EDX = remainder
 *
 * A divisor of 0, or a quotient too wide for its register, is #DE, a
 * fault: the CPU reports it with the address of the DIV itself, so a
 * handler that fixes the operands can retry (SDM Vol. 3A §7.15, "Interrupt
 * 0 - Divide Error Exception").
 */
#include "x86/interp_internal.h"

/* Write a double-width product or quotient/remainder pair: the low half
 * to AL/AX/EAX, the high half to AH/DX/EDX. */
static void set_pair(struct interp_cpu *cpu, unsigned size, uint32_t lo, uint32_t hi)
{
    if (size == 1) {
        interp_set_gpr(cpu, X86_RAX, 2, (lo & 0xff) | ((hi & 0xff) << 8));
    } else {
        interp_set_gpr(cpu, X86_RAX, size, lo);
        interp_set_gpr(cpu, X86_RDX, size, hi);
    }
}

/* The double-width dividend AX, DX:AX or EDX:EAX. */
static uint64_t get_pair(const struct interp_cpu *cpu, unsigned size)
{
    if (size == 1)
        return interp_gpr(cpu, X86_RAX, 2);
    return ((uint64_t)interp_gpr(cpu, X86_RDX, size) << (8 * size)) | interp_gpr(cpu, X86_RAX, size);
}

/* CF = OF = @p overflow.  SF, ZF and PF are undefined after a multiply;
 * they are set from the low half of the result and AF is cleared, as
 * QEMU does (SDM Vol. 2B "MUL"/"IMUL" Flags Affected). */
static void mul_flags(struct interp_cpu *cpu, unsigned size, uint32_t low, bool overflow)
{
    uint32_t f = interp_flags_szp(low, size);
    if (overflow)
        f |= INTERP_FL_CF | INTERP_FL_OF;
    cpu->rflags = (cpu->rflags & ~(uint64_t)INTERP_FL_ARITH) | f;
}

/* Signed product of two size-byte values (sign-extended to 64 bits; a
 * product of two 32-bit values always fits in int64_t). */
static int64_t smul(uint32_t a, uint32_t b, unsigned size)
{
    return (int64_t)(int32_t)interp_sext(a, size) * (int64_t)(int32_t)interp_sext(b, size);
}

/* #DE is a fault: the saved IP is the dividing instruction's. */
static bool divide_error(struct interp *it, const char *what)
{
    return interp_interrupt(it, 0, (uint32_t)it->insn_rip, what);
}

static bool exec_div(struct interp *it, const x86_insn *insn, uint32_t divisor)
{
    struct interp_cpu *cpu = &it->cpu;
    const unsigned size = insn->operand_size, bits = 8 * size;
    uint64_t dividend = get_pair(cpu, size);
    divisor &= interp_mask(size);
    if (divisor == 0)
        return divide_error(it, "#DE divide error (division by zero)");

    if (insn->mnemonic == X86_MN_DIV) {
        uint64_t q = dividend / divisor, r = dividend % divisor;
        if (q > interp_mask(size))
            return divide_error(it, "#DE divide error (quotient too large)");
        set_pair(cpu, size, (uint32_t)q, (uint32_t)r);
        return true; /* flags undefined: left unchanged, as QEMU does */
    }

    /* IDIV on magnitudes, in unsigned arithmetic: the dividend may be the
     * most negative 64-bit value, whose negation (and division by -1) is
     * undefined in C.  The quotient truncates toward zero and the
     * remainder takes the dividend's sign (SDM Vol. 2A "IDIV"). */
    unsigned dbits = 2 * bits;
    uint64_t dsign = (uint64_t)1 << (dbits - 1);
    bool nd = dividend & dsign;
    uint64_t dmask = dbits == 64 ? ~(uint64_t)0 : ((uint64_t)1 << dbits) - 1;
    uint64_t ud = nd ? ((uint64_t)0 - dividend) & dmask : dividend;
    bool nv = divisor & interp_sign(size);
    uint64_t uv = nv ? (uint64_t)((0u - divisor) & interp_mask(size)) : divisor;
    uint64_t uq = ud / uv, ur = ud % uv;
    bool nq = nd != nv;
    /* The quotient must fit the signed range of the operand size. */
    uint64_t max = nq ? (uint64_t)interp_sign(size) : (uint64_t)interp_sign(size) - 1;
    if (uq > max)
        return divide_error(it, "#DE divide error (quotient out of range)");
    uint32_t q = nq ? (uint32_t)(0 - uq) : (uint32_t)uq;
    uint32_t r = nd ? (uint32_t)(0 - ur) : (uint32_t)ur;
    set_pair(cpu, size, q & interp_mask(size), r & interp_mask(size));
    return true;
}

bool interp_exec_muldiv(struct interp *it, const x86_insn *insn)
{
    struct interp_cpu *cpu = &it->cpu;
    const unsigned size = insn->operand_size, bits = 8 * size;
    const uint32_t m = interp_mask(size);
    uint32_t src;

    if (insn->mnemonic == X86_MN_IMUL && insn->num_operands >= 2) {
        /* IMUL r, r/m (0F AF) and IMUL r, r/m, imm (69, 6B): truncated
         * product; CF = OF = "the product did not fit" (SDM Vol. 2A "IMUL"). */
        uint32_t a, b;
        const x86_operand *srcop = &insn->operands[insn->num_operands == 3 ? 1 : 0];
        if (!interp_operand_read(it, srcop, &a) ||
            !interp_operand_read(it, &insn->operands[insn->num_operands == 3 ? 2 : 1], &b))
            return false;
        int64_t p = smul(a, b, size);
        uint32_t low = (uint32_t)p & m;
        mul_flags(cpu, size, low, (int64_t)(int32_t)interp_sext(low, size) != p);
        return interp_operand_write(it, &insn->operands[0], low);
    }

    if (!interp_operand_read(it, &insn->operands[0], &src))
        return false;
    uint32_t acc = interp_gpr(cpu, X86_RAX, size);
    switch (insn->mnemonic) {
    case X86_MN_MUL: {
        uint64_t p = (uint64_t)acc * (src & m);
        uint32_t lo = (uint32_t)p & m, hi = (uint32_t)(p >> bits) & m;
        set_pair(cpu, size, lo, hi);
        mul_flags(cpu, size, lo, hi != 0);
        return true;
    }
    case X86_MN_IMUL: {
        int64_t p = smul(acc, src, size);
        uint32_t lo = (uint32_t)p & m, hi = (uint32_t)((uint64_t)p >> bits) & m;
        set_pair(cpu, size, lo, hi);
        mul_flags(cpu, size, lo, (int64_t)(int32_t)interp_sext(lo, size) != p);
        return true;
    }
    case X86_MN_DIV:
    case X86_MN_IDIV:
        return exec_div(it, insn, src);
    default:
        return interp_fault(it, "not a multiply or divide");
    }
}
