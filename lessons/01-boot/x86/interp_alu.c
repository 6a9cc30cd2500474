/**
 * @file interp_alu.c
 * @brief Integer arithmetic, logic, shifts and rotates with exact status
 *        flags (SDM Vol. 1 §3.4.3.1; Vol. 2 instruction pages, "Flags
 *        Affected").
 *
 * Every function takes operands already masked or masks them itself to
 * the operand size (1, 2 or 4 bytes) and computes in 64 bits, so the
 * carry out of a 32-bit addition is bit 32 of the sum and no C operation
 * can overflow.
 *
 * Where the SDM calls a flag "undefined", this file picks one fixed value
 * and says which at the instruction.  Real CPUs disagree among themselves
 * there (Intel and AMD differ for SHR, ROL/ROR, MUL and BSF), so the unit
 * tests compare only the defined flags against the host CPU.
 */
#include "x86/interp_internal.h"
#include "spectrum/exercise.h"

/* Put the six arithmetic flags computed in @p f into RFLAGS. */
static void set_arith(struct interp_cpu *cpu, uint32_t f)
{
    cpu->rflags = (cpu->rflags & ~(uint64_t)INTERP_FL_ARITH) | (f & INTERP_FL_ARITH);
}

/* Replace only the flags in @p which. */
static void set_some(struct interp_cpu *cpu, uint32_t which, uint32_t f)
{
    cpu->rflags = (cpu->rflags & ~(uint64_t)which) | (f & which);
}

/* The auxiliary carry: carry (or borrow) out of bit 3 into bit 4, which
 * is bit 4 of a ^ b ^ result for both addition and subtraction. */
static uint32_t aux(uint32_t a, uint32_t b, uint32_t r)
{
    return (a ^ b ^ r) & INTERP_FL_AF;
}

uint32_t interp_alu2(struct interp_cpu *cpu, unsigned mnemonic, unsigned size, uint32_t a, uint32_t b)
{
    const uint32_t m = interp_mask(size), s = interp_sign(size);
    const unsigned bits = 8 * size;
    a &= m;
    b &= m;
    uint64_t c = (cpu->rflags & INTERP_FL_CF) ? 1 : 0;
    uint64_t wide;
    uint32_t r, f = 0;

    switch (mnemonic) {
    /* EXERCISE 01.alu-flags 10 "Compute CF, OF and AF of ADD/ADC and SUB/SBB/CMP: carry out of the top bit, borrow as a < b + carry in 64 bits, signed overflow from the signs of the inputs and the result, AF from bit 4 of a ^ b ^ result (SDM Vol. 1 3.4.3.1; Vol. 2A ADD, ADC, CMP; Vol. 2B SUB, SBB)" */
    case X86_MN_ADD:
    case X86_MN_ADC:
        /* ADD/ADC: CF is the carry out of the top bit, OF is set when both
         * inputs have the same sign and the result the other one (SDM Vol.
         * 2A "ADD", "ADC"; Vol. 1 §3.4.3.1). */
        wide = (uint64_t)a + b + (mnemonic == X86_MN_ADC ? c : 0);
        r = (uint32_t)wide & m;
        if (wide >> bits)
            f |= INTERP_FL_CF;
        if ((a ^ r) & (b ^ r) & s)
            f |= INTERP_FL_OF;
        f |= aux(a, b, r);
        break;
    case X86_MN_SUB:
    case X86_MN_SBB:
    case X86_MN_CMP:
        /* SUB/SBB/CMP: CF is the borrow (a < b + carry, unsigned), OF is
         * set when the inputs differ in sign and the result's sign differs
         * from a's (SDM Vol. 2B "SUB", "SBB"; Vol. 2A "CMP"). */
        c = mnemonic == X86_MN_SBB ? c : 0;
        wide = (uint64_t)a - b - c;
        r = (uint32_t)wide & m;
        if ((uint64_t)a < (uint64_t)b + c)
            f |= INTERP_FL_CF;
        if ((a ^ b) & (a ^ r) & s)
            f |= INTERP_FL_OF;
        f |= aux(a, b, r);
        break;
    /* STUB
    case X86_MN_ADD:
    case X86_MN_ADC:
    case X86_MN_SUB:
    case X86_MN_SBB:
    case X86_MN_CMP:
        EXERCISE_TODO();
        (void)s;
        (void)bits;
        (void)c;
        (void)wide;
        (void)aux;
        r = (mnemonic == X86_MN_ADD || mnemonic == X86_MN_ADC ? a + b : a - b) & m;
        break;
    STUB END */
    /* END EXERCISE 01.alu-flags */
    case X86_MN_AND:
    case X86_MN_TEST:
    case X86_MN_OR:
    case X86_MN_XOR:
        /* Logic: CF = OF = 0; AF is undefined and cleared here, as on
         * Intel parts and in QEMU (SDM Vol. 2A "AND" Flags Affected). */
        r = mnemonic == X86_MN_OR ? (a | b) : mnemonic == X86_MN_XOR ? (a ^ b) : (a & b);
        break;
    default:
        return a;
    }
    set_arith(cpu, f | interp_flags_szp(r, size));
    return r;
}

uint32_t interp_alu1(struct interp_cpu *cpu, unsigned mnemonic, unsigned size, uint32_t a)
{
    const uint32_t m = interp_mask(size), s = interp_sign(size);
    a &= m;
    uint32_t r, f = 0;
    switch (mnemonic) {
    case X86_MN_INC:
        /* INC/DEC leave CF alone (SDM Vol. 2A "INC": "The CF flag is not
         * affected"), which is why loops can carry a CF across them. */
        r = (a + 1) & m;
        if (r == s)
            f |= INTERP_FL_OF;
        set_some(cpu, INTERP_FL_ARITH & ~INTERP_FL_CF, f | aux(a, 1, r) | interp_flags_szp(r, size));
        return r;
    case X86_MN_DEC:
        r = (a - 1) & m;
        if (a == s)
            f |= INTERP_FL_OF;
        set_some(cpu, INTERP_FL_ARITH & ~INTERP_FL_CF, f | aux(a, 1, r) | interp_flags_szp(r, size));
        return r;
    case X86_MN_NEG:
        /* NEG is 0 - a: CF = (a != 0), OF when a is the most negative
         * value (SDM Vol. 2B "NEG"). */
        r = (0u - a) & m;
        if (a != 0)
            f |= INTERP_FL_CF;
        if (a == s)
            f |= INTERP_FL_OF;
        set_arith(cpu, f | aux(0, a, r) | interp_flags_szp(r, size));
        return r;
    case X86_MN_NOT:
        return ~a & m; /* no flags (SDM Vol. 2B "NOT") */
    default:
        return a;
    }
}

/* Arithmetic right shift without relying on C's implementation-defined
 * shift of negative numbers. */
static uint32_t sar32(uint32_t v, unsigned n)
{
    if (n >= 32)
        return (v & 0x80000000u) ? 0xffffffffu : 0;
    return (v & 0x80000000u) ? ~(~v >> n) : v >> n;
}

uint32_t interp_shift(struct interp_cpu *cpu, unsigned mnemonic, unsigned size, uint32_t value,
                      uint32_t count)
{
    const unsigned bits = 8 * size;
    const uint32_t m = interp_mask(size), s = interp_sign(size);
    uint32_t v = value & m;
    uint32_t r, cf, of;

    /* The count is masked to 5 bits (6 only with REX.W), and a masked
     * count of 0 changes nothing, flags included (SDM Vol. 2B "SAL/SAR/
     * SHL/SHR", "RCL/RCR/ROL/ROR": "If the masked count is 0, the flags
     * are not affected"). */
    count &= 0x1f;
    if (count == 0)
        return v;

    switch (mnemonic) {
    case X86_MN_SHL:
        /* CF is the last bit shifted out: bit (bits - count) of v, or 0
         * once count > bits (the bits shifted out were the zeros shifted
         * in).  OF = MSB(result) XOR CF, the count-1 rule, used for every
         * count (undefined for count > 1; Intel and QEMU do the same). */
        cf = (uint32_t)(((uint64_t)v << (count - 1)) >> (bits - 1)) & 1;
        r = (uint32_t)((uint64_t)v << count) & m;
        of = ((r & s) ? 1 : 0) ^ cf;
        break;
    case X86_MN_SHR:
        /* OF = MSB(original) for count 1 (SDM); for larger counts QEMU's
         * MSB(v >> (count-1)) XOR MSB(result), which is 0. */
        cf = (uint32_t)((uint64_t)v >> (count - 1)) & 1;
        r = v >> count;
        of = ((((uint32_t)((uint64_t)v >> (count - 1)) ^ r) & s) != 0);
        break;
    case X86_MN_SAR:
        /* SAR fills with the sign and can never overflow: OF = 0. */
        v = interp_sext(v, size);
        cf = sar32(v, count - 1) & 1;
        r = sar32(v, count) & m;
        of = 0;
        break;
    case X86_MN_ROL: {
        /* Rotates change only CF and OF (SDM Vol. 2B "RCL/RCR/ROL/ROR":
         * "SF, ZF, AF and PF are not affected").  The rotation amount is
         * the masked count modulo the width, but CF/OF are updated for
         * any non-zero masked count. */
        unsigned n = count % bits;
        r = n ? ((v << n) | (v >> (bits - n))) & m : v;
        cf = r & 1;
        of = ((r & s) ? 1 : 0) ^ cf; /* count-1 rule for every count, as QEMU */
        set_some(cpu, INTERP_FL_CF | INTERP_FL_OF, (cf ? INTERP_FL_CF : 0) | (of ? INTERP_FL_OF : 0));
        return r;
    }
    case X86_MN_ROR: {
        unsigned n = count % bits;
        r = n ? ((v >> n) | (v << (bits - n))) & m : v;
        cf = (r & s) ? 1 : 0;
        of = cf ^ ((r >> (bits - 2)) & 1); /* MSB XOR MSB-1 of the result */
        set_some(cpu, INTERP_FL_CF | INTERP_FL_OF, (cf ? INTERP_FL_CF : 0) | (of ? INTERP_FL_OF : 0));
        return r;
    }
    case X86_MN_RCL:
    case X86_MN_RCR: {
        /* Through carry: a (bits+1)-bit rotation of CF:v, by the masked
         * count modulo bits+1 (9 and 17 for bytes and words; for dwords
         * the masked count is already below 33). */
        unsigned n = count % (bits + 1);
        uint32_t cin = (cpu->rflags & INTERP_FL_CF) ? 1 : 0;
        if (n == 0)
            return v;
        uint64_t x = ((uint64_t)cin << bits) | v;
        uint64_t xm = ((uint64_t)1 << (bits + 1)) - 1;
        if (mnemonic == X86_MN_RCL) {
            x = ((x << n) | (x >> (bits + 1 - n))) & xm;
            r = (uint32_t)x & m;
            cf = (uint32_t)(x >> bits) & 1;
            of = ((r & s) ? 1 : 0) ^ cf;  /* MSB(DEST) XOR CF after, the count-1 rule */
        } else {
            of = ((v & s) ? 1 : 0) ^ cin; /* MSB(DEST) XOR CF before, the count-1 rule */
            x = ((x >> n) | (x << (bits + 1 - n))) & xm;
            r = (uint32_t)x & m;
            cf = (uint32_t)(x >> bits) & 1;
        }
        set_some(cpu, INTERP_FL_CF | INTERP_FL_OF, (cf ? INTERP_FL_CF : 0) | (of ? INTERP_FL_OF : 0));
        return r;
    }
    default:
        return v;
    }
    /* Shifts: SF, ZF, PF from the result; AF undefined, cleared (as Intel
     * parts and QEMU do). */
    set_arith(cpu, (cf ? INTERP_FL_CF : 0) | (of ? INTERP_FL_OF : 0) | interp_flags_szp(r, size));
    return r;
}

uint32_t interp_shift_double(struct interp_cpu *cpu, unsigned mnemonic, unsigned size,
                             uint32_t dst, uint32_t src, uint32_t count)
{
    const unsigned bits = 8 * size;
    const uint32_t m = interp_mask(size), s = interp_sign(size);
    dst &= m;
    src &= m;
    count &= 0x1f; /* SDM Vol. 2B "SHLD": count masked to 5 bits; 0 = no-op */
    if (count == 0)
        return dst;
    /* Shift a concatenation and take the destination's bits back out.  For
     * 16-bit operands a count above 16 is undefined (SDM); this uses
     * dst:src:dst, so the destination's own bits come around again, which
     * is what Intel parts and QEMU produce. */
    uint64_t x;
    uint32_t r, cf;
    if (mnemonic == X86_MN_SHLD) {
        x = bits == 16 ? ((uint64_t)dst << 32) | ((uint64_t)src << 16) | dst : ((uint64_t)dst << 32) | src;
        unsigned width = bits == 16 ? 48 : 64;
        r = (uint32_t)((x << count) >> (width - bits)) & m;
        cf = (uint32_t)(x >> (width - count)) & 1;
    } else {
        x = bits == 16 ? ((uint64_t)dst << 32) | ((uint64_t)src << 16) | dst : ((uint64_t)src << 32) | dst;
        r = (uint32_t)(x >> count) & m;
        cf = (uint32_t)(x >> (count - 1)) & 1;
    }
    /* OF: defined for count 1 as "the sign changed"; used for every count.
     * AF undefined, cleared. */
    uint32_t of = ((r ^ dst) & s) ? INTERP_FL_OF : 0;
    set_arith(cpu, (cf ? INTERP_FL_CF : 0) | of | interp_flags_szp(r, size));
    return r;
}
