/**
 * @file interp_stack.c
 * @brief Stack instructions: PUSH, POP, PUSHA, POPA, PUSHF, POPF, ENTER
 *        and LEAVE.
 *
 * Two widths meet here (SDM Vol. 1 §6.2.3): the operand size says how
 * many bytes go on the stack, the stack-address size (SS.B; 16 bits in
 * real mode) says whether SP or ESP moves and where it wraps.  A 16-bit
 * real-mode guest with a 66h prefix (`pushl`) pushes 4 bytes but moves
 * only SP.
 */
#include "x86/interp_internal.h"

static bool exec_enter(struct interp *it, const x86_insn *insn)
{
    struct interp_cpu *cpu = &it->cpu;
    const unsigned osz = insn->operand_size, ss = interp_stack_size(it);
    uint32_t alloc = (uint32_t)insn->operands[0].imm.value & 0xffff;
    unsigned level = (unsigned)insn->operands[1].imm.value & 31; /* masked to 5 bits */
    /* SDM Vol. 2A "ENTER" Operation, for 16/32-bit stacks. */
    if (!interp_push(it, osz, interp_gpr(cpu, X86_RBP, osz)))
        return false;
    uint32_t frame = interp_gpr(cpu, X86_RSP, ss);
    if (level > 0) {
        for (unsigned i = 1; i < level; i++) {
            uint32_t bp = (interp_gpr(cpu, X86_RBP, ss) - osz) & interp_mask(ss), v;
            interp_set_gpr(cpu, X86_RBP, ss, bp);
            if (!interp_read(it, X86_SEG_SS, bp, osz, &v) || !interp_push(it, osz, v))
                return false;
        }
        if (!interp_push(it, osz, frame))
            return false;
    }
    interp_set_gpr(cpu, X86_RBP, osz, frame);
    interp_set_gpr(cpu, X86_RSP, ss, interp_gpr(cpu, X86_RSP, ss) - alloc);
    return true;
}

bool interp_exec_stack(struct interp *it, const x86_insn *insn)
{
    struct interp_cpu *cpu = &it->cpu;
    const unsigned osz = insn->operand_size, ss = interp_stack_size(it);
    uint32_t v;

    switch (insn->mnemonic) {
    case X86_MN_PUSH:
        /* The operand is read before SP moves: PUSH SP pushes the old SP
         * (SDM Vol. 2B "PUSH", "IA-32 Architecture Compatibility"). */
        return interp_operand_read(it, &insn->operands[0], &v) && interp_push(it, osz, v);
    case X86_MN_POP:
        /* SP moves before the destination is written: POP [SP+n] addresses
         * with the incremented SP, POP SP keeps the popped value (SDM Vol.
         * 2B "POP"). */
        return interp_pop(it, osz, &v) && interp_operand_write(it, &insn->operands[0], v);
    case X86_MN_PUSHA: {
        /* AX CX DX BX, the original SP, BP SI DI (SDM Vol. 2B "PUSHA"). */
        uint32_t sp = interp_gpr(cpu, X86_RSP, osz);
        for (unsigned r = X86_RAX; r <= X86_RDI; r++)
            if (!interp_push(it, osz, r == X86_RSP ? sp : interp_gpr(cpu, r, osz)))
                return false;
        return true;
    }
    case X86_MN_POPA:
        /* The reverse, with the saved SP discarded (SDM Vol. 2B "POPA"). */
        for (int r = X86_RDI; r >= X86_RAX; r--) {
            if (!interp_pop(it, osz, &v))
                return false;
            if (r != X86_RSP)
                interp_set_gpr(cpu, (unsigned)r, osz, v);
        }
        return true;
    case X86_MN_PUSHF:
        /* The image has VM and RF cleared (SDM Vol. 2B "PUSHF/PUSHFD"). */
        v = (uint32_t)cpu->rflags & ~(INTERP_FL_VM | INTERP_FL_RF);
        return interp_push(it, osz, v & interp_mask(osz));
    case X86_MN_POPF:
        return interp_pop(it, osz, &v) && interp_load_flags(it, v, osz);
    case X86_MN_ENTER:
        return exec_enter(it, insn);
    case X86_MN_LEAVE:
        /* SP = BP, then pop BP (SDM Vol. 2A "LEAVE"). */
        interp_set_gpr(cpu, X86_RSP, ss, interp_gpr(cpu, X86_RBP, ss));
        if (!interp_pop(it, osz, &v))
            return false;
        interp_set_gpr(cpu, X86_RBP, osz, v);
        return true;
    default:
        return interp_fault(it, "not a stack instruction");
    }
}
