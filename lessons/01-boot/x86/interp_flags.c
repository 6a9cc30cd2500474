/**
 * @file interp_flags.c
 * @brief The status flags every result shares (ZF, SF, PF) and the
 *        sixteen conditions of Jcc, SETcc and CMOVcc.
 */
#include "x86/interp_internal.h"

uint32_t interp_flags_szp(uint32_t result, unsigned size)
{
    uint32_t r = result & interp_mask(size);
    uint32_t f = 0;
    if (r == 0)
        f |= INTERP_FL_ZF;
    if (r & interp_sign(size))
        f |= INTERP_FL_SF;
    /* PF is set when the low byte has an even number of 1 bits, whatever
     * the operand size (SDM Vol. 1 §3.4.3.1).  Fold the byte onto itself
     * until bit 0 holds the XOR of all eight bits. */
    uint32_t p = r & 0xff;
    p ^= p >> 4;
    p ^= p >> 2;
    p ^= p >> 1;
    if (!(p & 1))
        f |= INTERP_FL_PF;
    return f;
}

bool interp_condition(const struct interp_cpu *cpu, unsigned cond)
{
    uint64_t f = cpu->rflags;
    bool cf = f & INTERP_FL_CF, zf = f & INTERP_FL_ZF, sf = f & INTERP_FL_SF;
    bool of = f & INTERP_FL_OF, pf = f & INTERP_FL_PF;
    bool r;
    /* SDM Vol. 1 Appendix B, Table B-1: the even codes test a condition,
     * the odd code after each one is its negation. */
    switch ((cond >> 1) & 7) {
    case 0: r = of; break;               /* O */
    case 1: r = cf; break;               /* B, C, NAE */
    case 2: r = zf; break;               /* E, Z */
    case 3: r = cf || zf; break;         /* BE, NA */
    case 4: r = sf; break;               /* S */
    case 5: r = pf; break;               /* P, PE */
    case 6: r = sf != of; break;         /* L, NGE */
    default: r = zf || sf != of; break;  /* LE, NG */
    }
    return (cond & 1) ? !r : r;
}
