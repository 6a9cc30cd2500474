/**
 * @file interp_branch.c
 * @brief Control transfers: JMP, Jcc, JCXZ, LOOP/LOOPE/LOOPNE, CALL and
 *        RET (near and far), INT n / INT3 / INTO, IRET, and interrupt
 *        delivery through the real-mode interrupt vector table.
 *
 * When a handler here runs, cpu->rip already holds the address of the
 * next instruction (interp.c sets it before executing), which is the
 * return address CALL and INT push.  Every new rIP is checked against the
 * CS limit, where the CPU would raise #GP (SDM Vol. 2A "JMP" Operation:
 * "IF tempEIP is not within code segment limit THEN #GP(0)").
 */
#include "x86/interp_internal.h"

/* Continue at @p target in the current code segment. */
static bool near_to(struct interp *it, uint32_t target)
{
    if (target > it->cpu.seg[X86_SEG_CS].limit)
        return interp_fault(it, "branch target %#x is beyond the CS limit %#x (#GP)", target,
                            it->cpu.seg[X86_SEG_CS].limit);
    it->cpu.rip = target;
    return true;
}

/* Continue at @p selector:@p offset (real mode only: interp_load_segment
 * refuses CS loads in the flat mode). */
static bool far_to(struct interp *it, uint16_t selector, uint32_t offset)
{
    if (!interp_load_segment(it, X86_SEG_CS, selector))
        return false;
    return near_to(it, offset);
}

/* The far pointer of CALLF/JMPF: an immediate ptr16:16/32, or an m16:16/32
 * in memory, offset first, selector after it (SDM Vol. 2A "CALL"). */
static bool far_pointer(struct interp *it, const x86_insn *insn, uint16_t *selector, uint32_t *offset)
{
    const x86_operand *op = &insn->operands[0];
    if (op->kind == X86_OPERAND_FAR) {
        *selector = op->far.selector;
        *offset = op->far.offset & interp_mask(insn->operand_size);
        return true;
    }
    if (op->kind != X86_OPERAND_MEM)
        return interp_fault(it, "far branch without a far pointer");
    uint32_t ea = interp_effective_address(it, &op->mem), sel;
    unsigned osz = insn->operand_size;
    /* The selector follows the offset; in 16-bit addressing its address
     * wraps at 64 KiB like every other effective address. */
    uint32_t sel_ea = (ea + osz) & interp_mask(op->mem.addr_size);
    if (!interp_read(it, op->mem.segment, ea, osz, offset) || !interp_read(it, op->mem.segment, sel_ea, 2, &sel))
        return false;
    *selector = (uint16_t)sel;
    return true;
}

bool interp_load_flags(struct interp *it, uint32_t value, unsigned size)
{
    /* What POPF/IRET may change at CPL 0 (SDM Vol. 2B "POPF" Table 4-15,
     * "IRET" real-address-mode Operation): the status flags, TF, IF, DF,
     * IOPL and NT; with a 32-bit operand also AC and ID.  VM, RF, VIF and
     * VIP keep their values; bit 1 reads as 1 and bits 3, 5 and 15 as 0. */
    uint32_t writable = size == 4 ? 0x00247FD5u : 0x00007FD5u;
    if (value & INTERP_FL_TF)
        return interp_fault(it, "setting TF (single-step traps) is not supported");
    it->cpu.rflags = (it->cpu.rflags & ~(uint64_t)writable) | (value & writable) | INTERP_FL_1;
    return true;
}

bool interp_interrupt(struct interp *it, uint8_t vector, uint32_t return_ip, const char *what)
{
    struct interp_cpu *cpu = &it->cpu;
    if (it->mode != INTERP_MODE_REAL)
        return interp_fault(it, "%s (vector %u): the flat 32-bit mode has no IDT to deliver it through", what,
                            vector);
    /* The IVT: 256 four-byte entries offset:segment at linear address 0
     * (SDM Vol. 3A §22.1.4, Figure 22-2).  All zeroes is what a VM's
     * memory holds where the guest installed nothing: with no BIOS behind
     * it, calling 0000:0000 would only run the IVT as code. */
    uint32_t entry;
    if (!interp_read_linear(it, (uint32_t)vector * 4, 4, &entry))
        return false;
    if (entry == 0)
        return interp_fault(it, "%s (vector %u) and the guest has no handler: IVT entry %u is 0000:0000", what,
                            vector, vector);
    /* SDM Vol. 2A "INT n" real-address-mode Operation: push FLAGS, clear
     * IF, TF and AC, push CS and IP (16-bit slots whatever the operand
     * size), load CS:IP from the vector. */
    if (!interp_push(it, 2, (uint32_t)cpu->rflags & 0xffff) ||
        !interp_push(it, 2, cpu->seg[X86_SEG_CS].selector) || !interp_push(it, 2, return_ip & 0xffff))
        return false;
    cpu->rflags &= ~(uint64_t)(INTERP_FL_IF | INTERP_FL_TF | INTERP_FL_AC);
    return far_to(it, (uint16_t)(entry >> 16), entry & 0xffff);
}

/* RET/RETF imm16: release imm16 bytes of arguments after popping. */
static void release(struct interp *it, const x86_insn *insn)
{
    if (insn->num_operands == 1 && insn->operands[0].kind == X86_OPERAND_IMM) {
        unsigned ss = interp_stack_size(it);
        uint32_t sp = interp_gpr(&it->cpu, X86_RSP, ss);
        interp_set_gpr(&it->cpu, X86_RSP, ss, sp + (uint32_t)insn->operands[0].imm.value);
    }
}

bool interp_exec_branch(struct interp *it, const x86_insn *insn)
{
    struct interp_cpu *cpu = &it->cpu;
    const unsigned osz = insn->operand_size, asz = insn->address_size;
    const x86_operand *op = &insn->operands[0];
    const uint32_t next = (uint32_t)cpu->rip;
    uint32_t target, v, cs;
    uint16_t selector;

    switch (insn->mnemonic) {
    case X86_MN_JMP:
        if (op->kind == X86_OPERAND_REL)
            return near_to(it, (uint32_t)op->rel.target);
        if (!interp_operand_read(it, op, &target))
            return false;
        return near_to(it, target & interp_mask(osz));
    case X86_MN_JCC:
        return interp_condition(cpu, insn->cond) ? near_to(it, (uint32_t)op->rel.target) : true;
    case X86_MN_JCXZ:
        /* JCXZ/JECXZ test the count register of the address size. */
        return interp_gpr(cpu, X86_RCX, asz) == 0 ? near_to(it, (uint32_t)op->rel.target) : true;
    case X86_MN_LOOP:
    case X86_MN_LOOPE:
    case X86_MN_LOOPNE: {
        /* Decrement rCX (address size) without touching flags, then branch
         * if it is not zero and, for LOOPE/LOOPNE, ZF is 1/0 (SDM Vol. 2A
         * "LOOP/LOOPcc"). */
        uint32_t count = (interp_gpr(cpu, X86_RCX, asz) - 1) & interp_mask(asz);
        interp_set_gpr(cpu, X86_RCX, asz, count);
        bool zf = (cpu->rflags & INTERP_FL_ZF) != 0;
        bool taken = count != 0 && (insn->mnemonic == X86_MN_LOOP || (insn->mnemonic == X86_MN_LOOPE) == zf);
        return taken ? near_to(it, (uint32_t)op->rel.target) : true;
    }
    case X86_MN_CALL:
        /* Read the target before pushing: CALL [SP+n] addresses the stack
         * as it was before the return address went on it. */
        if (op->kind == X86_OPERAND_REL)
            target = (uint32_t)op->rel.target;
        else if (!interp_operand_read(it, op, &target))
            return false;
        target &= interp_mask(osz);
        if (target > cpu->seg[X86_SEG_CS].limit)
            return near_to(it, target); /* reports #GP before anything is pushed */
        return interp_push(it, osz, next) && near_to(it, target);
    case X86_MN_RET:
        if (!interp_pop(it, osz, &target))
            return false;
        release(it, insn);
        return near_to(it, target);
    case X86_MN_JMPF:
        return far_pointer(it, insn, &selector, &target) && far_to(it, selector, target);
    case X86_MN_CALLF:
        if (it->mode != INTERP_MODE_REAL)
            return interp_load_segment(it, X86_SEG_CS, 0); /* reports: no descriptor tables */
        /* Push CS then the return offset, as operand-size slots. */
        return far_pointer(it, insn, &selector, &target) &&
               interp_push(it, osz, cpu->seg[X86_SEG_CS].selector) && interp_push(it, osz, next) &&
               far_to(it, selector, target);
    case X86_MN_RETF:
        if (it->mode != INTERP_MODE_REAL)
            return interp_load_segment(it, X86_SEG_CS, 0);
        if (!interp_pop(it, osz, &target) || !interp_pop(it, osz, &cs))
            return false;
        release(it, insn);
        return far_to(it, (uint16_t)cs, target);
    case X86_MN_INT:
        return interp_interrupt(it, (uint8_t)op->imm.value, next, "INT n");
    case X86_MN_INT3:
        /* INT3 and INTO are traps: the saved IP is the next instruction. */
        return interp_interrupt(it, 3, next, "INT3 breakpoint");
    case X86_MN_INTO:
        return (cpu->rflags & INTERP_FL_OF) ? interp_interrupt(it, 4, next, "INTO overflow") : true;
    case X86_MN_IRET:
        /* Real-address-mode IRET (SDM Vol. 2A "IRET"): pop IP, CS and
         * FLAGS in operand-size slots. */
        if (it->mode != INTERP_MODE_REAL)
            return interp_fault(it, "IRET in the flat 32-bit mode (no IDT, nothing to return from)");
        if (!interp_pop(it, osz, &target) || !interp_pop(it, osz, &cs) || !interp_pop(it, osz, &v))
            return false;
        return interp_load_flags(it, v, osz) && far_to(it, (uint16_t)cs, target);
    default:
        return interp_fault(it, "not a branch");
    }
}
