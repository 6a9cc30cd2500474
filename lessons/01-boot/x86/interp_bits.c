/**
 * @file interp_bits.c
 * @brief Bit instructions: BT, BTS, BTR, BTC (bit test and modify), BSF,
 *        BSR (bit scan) and BSWAP.
 */
#include "x86/interp_internal.h"

/* BT/BTS/BTR/BTC (SDM Vol. 2A "BT", Vol. 1 §3.5.1 "bit field"): CF gets
 * the selected bit.  A register operand takes the bit offset modulo its
 * width.  A memory operand with a register offset is a bit string: the
 * offset is signed and may reach outside the addressed word, in whole
 * operand-size units.  OF, SF, AF and PF are undefined and left unchanged,
 * ZF is unaffected. */
static bool exec_bt(struct interp *it, const x86_insn *insn)
{
    struct interp_cpu *cpu = &it->cpu;
    const x86_operand *base = &insn->operands[0], *offop = &insn->operands[1];
    const unsigned osz = insn->operand_size, bits = 8 * osz;
    uint32_t off, word, bit;
    if (!interp_operand_read(it, offop, &off))
        return false;

    x86_operand target = *base;
    if (base->kind == X86_OPERAND_MEM && offop->kind == X86_OPERAND_REG) {
        /* Displace the address by (offset DIV bits) words, signed;
         * an arithmetic shift of the sign-extended offset is that DIV
         * rounded toward minus infinity, as the SDM's bit string needs. */
        uint32_t so = interp_sext(off, osz);
        uint32_t words = (so & 0x80000000u) ? ~(~so >> (bits == 16 ? 4 : 5)) : so >> (bits == 16 ? 4 : 5);
        target.mem.disp = (int64_t)(uint32_t)((uint32_t)base->mem.disp + words * osz);
        /* The displacement is added again by interp_effective_address()
         * and truncated to the address size there. */
    }
    bit = off & (bits - 1);
    if (!interp_operand_read(it, &target, &word))
        return false;
    uint32_t mask = 1u << bit;
    cpu->rflags = (cpu->rflags & ~(uint64_t)INTERP_FL_CF) | ((word & mask) ? INTERP_FL_CF : 0);
    switch (insn->mnemonic) {
    case X86_MN_BTS: word |= mask; break;
    case X86_MN_BTR: word &= ~mask; break;
    case X86_MN_BTC: word ^= mask; break;
    default: return true; /* BT only reads */
    }
    return interp_operand_write(it, &target, word);
}

/* BSF/BSR: index of the lowest/highest set bit.  A zero source sets ZF
 * and leaves the destination unchanged (what Intel and AMD parts do; the
 * SDM calls it undefined).  CF, OF, SF, AF and PF are undefined: left
 * unchanged here. */
static bool exec_bsf_bsr(struct interp *it, const x86_insn *insn)
{
    struct interp_cpu *cpu = &it->cpu;
    uint32_t v;
    if (!interp_operand_read(it, &insn->operands[1], &v))
        return false;
    v &= interp_mask(insn->operand_size);
    if (v == 0) {
        cpu->rflags |= INTERP_FL_ZF;
        return true;
    }
    cpu->rflags &= ~(uint64_t)INTERP_FL_ZF;
    unsigned i;
    if (insn->mnemonic == X86_MN_BSF)
        for (i = 0; !(v & (1u << i)); i++)
            ;
    else
        for (i = 31; !(v & (1u << i)); i--)
            ;
    return interp_operand_write(it, &insn->operands[0], i);
}

bool interp_exec_bits(struct interp *it, const x86_insn *insn)
{
    switch (insn->mnemonic) {
    case X86_MN_BT:
    case X86_MN_BTS:
    case X86_MN_BTR:
    case X86_MN_BTC:
        return exec_bt(it, insn);
    case X86_MN_BSF:
    case X86_MN_BSR:
        return exec_bsf_bsr(it, insn);
    case X86_MN_BSWAP: {
        uint32_t v;
        if (!interp_operand_read(it, &insn->operands[0], &v))
            return false;
        /* A 16-bit BSWAP is undefined (SDM Vol. 2A "BSWAP"); Intel parts
         * and QEMU clear the register, and so does this. */
        if (insn->operand_size == 2)
            v = 0;
        else
            v = (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
        return interp_operand_write(it, &insn->operands[0], v);
    }
    default:
        return interp_fault(it, "not a bit instruction");
    }
}
