/**
 * @file interp_string.c
 * @brief String instructions MOVS, CMPS, STOS, LODS, SCAS, INS and OUTS,
 *        with and without REP / REPE / REPNE.
 *
 * One iteration (SDM Vol. 1 §7.3.9; Vol. 2B "MOVS" etc. Operation):
 * access DS:rSI (the segment may be overridden) and/or ES:rDI (never
 * overridden), then step each index register used by the element size,
 * forwards when DF = 0 and backwards when DF = 1.  The address size picks
 * SI/DI/CX or ESI/EDI/ECX, wrapping at 64 KiB or 4 GiB.
 *
 * With a repeat prefix (SDM Vol. 2B "REP/REPE/REPZ/REPNE/REPNZ"
 * Operation): while rCX != 0, do one iteration and decrement rCX; CMPS and
 * SCAS also stop when ZF = 0 (REPE) or ZF = 1 (REPNE) after the
 * comparison.  A CPU may stop between iterations (to take an interrupt)
 * and resume the same instruction later with the registers as they were;
 * the interpreter does the same when the instruction budget runs out in
 * the middle, and counts every iteration as one instruction, so even
 * ECX = 0xFFFFFFFF is bounded by the budget.
 */
#include "x86/interp_internal.h"

#include "io/portbus.h"
#include "spectrum/exercise.h"
#include "vm/vm.h"

/* One iteration.  @p ok is false when the VM was stopped. */
static bool iteration(struct interp *it, const x86_insn *insn, unsigned src_seg, unsigned asize,
                      int32_t step)
{
    struct interp_cpu *cpu = &it->cpu;
    const unsigned size = insn->operand_size;
    const uint16_t port = (uint16_t)interp_gpr(cpu, X86_RDX, 2);
    uint32_t si = interp_gpr(cpu, X86_RSI, asize), di = interp_gpr(cpu, X86_RDI, asize);
    uint32_t a, b;
    bool uses_si = false, uses_di = false;

    switch (insn->mnemonic) {
    case X86_MN_MOVS:
        if (!interp_read(it, src_seg, si, size, &a) || !interp_write(it, X86_SEG_ES, di, size, a))
            return false;
        uses_si = uses_di = true;
        break;
    case X86_MN_CMPS:
        /* CMPS compares the source with the destination: flags of
         * [rSI] - [rDI] (SDM Vol. 2A "CMPS": "temp <- SRC1 - SRC2"). */
        if (!interp_read(it, src_seg, si, size, &a) || !interp_read(it, X86_SEG_ES, di, size, &b))
            return false;
        interp_alu2(cpu, X86_MN_CMP, size, a, b);
        uses_si = uses_di = true;
        break;
    case X86_MN_STOS:
        if (!interp_write(it, X86_SEG_ES, di, size, interp_gpr(cpu, X86_RAX, size)))
            return false;
        uses_di = true;
        break;
    case X86_MN_LODS:
        if (!interp_read(it, src_seg, si, size, &a))
            return false;
        interp_set_gpr(cpu, X86_RAX, size, a);
        uses_si = true;
        break;
    case X86_MN_SCAS:
        if (!interp_read(it, X86_SEG_ES, di, size, &b))
            return false;
        interp_alu2(cpu, X86_MN_CMP, size, interp_gpr(cpu, X86_RAX, size), b);
        uses_di = true;
        break;
    case X86_MN_INS: {
        /* Check the destination before the port is read: a device read
         * can have side effects that must not happen for a faulting INS. */
        if (!interp_probe(it, X86_SEG_ES, di, size))
            return false;
        a = portbus_read(it->vm, port, size);
        if (!interp_write(it, X86_SEG_ES, di, size, a))
            return false;
        uses_di = true;
        break;
    }
    case X86_MN_OUTS:
        if (!interp_read(it, src_seg, si, size, &a))
            return false;
        portbus_write(it->vm, port, size, a);
        uses_si = true;
        break;
    default:
        return interp_fault(it, "not a string instruction");
    }
    if (uses_si)
        interp_set_gpr(cpu, X86_RSI, asize, si + (uint32_t)step);
    if (uses_di)
        interp_set_gpr(cpu, X86_RDI, asize, di + (uint32_t)step);
    return true;
}

bool interp_exec_string(struct interp *it, const x86_insn *insn)
{
    struct interp_cpu *cpu = &it->cpu;
    const unsigned asize = insn->address_size;
    const unsigned src_seg = insn->segment != X86_SEG_NONE ? insn->segment : X86_SEG_DS;
    const int32_t step = (cpu->rflags & INTERP_FL_DF) ? -(int32_t)insn->operand_size : (int32_t)insn->operand_size;

    if (!(insn->flags & X86_INSN_REP))
        return iteration(it, insn, src_seg, asize, step);

    /* EXERCISE 01.rep-string 10 "REP: while rCX (of the address size) is not 0, do one iteration and decrement rCX; CMPS/SCAS also stop on ZF = 0 (REPE) or ZF = 1 (REPNE); stop cleanly when the instruction budget runs out, rIP on the instruction (SDM Vol. 2B REP/REPE/REPNE)" */
    /* REPE/REPNE only end early for the comparing instructions; for the
     * others F2 and F3 both mean REP (SDM Vol. 2B "REP" Table 4-16). */
    const bool compares = insn->mnemonic == X86_MN_CMPS || insn->mnemonic == X86_MN_SCAS;
    const bool repne = (insn->prefixes & X86_PFX_REPNZ) != 0;
    uint64_t done = 0;
    for (;;) {
        uint32_t count = interp_gpr(cpu, X86_RCX, asize);
        if (count == 0)
            break;
        /* Budget: interp_step() counts the first iteration, every further
         * one is counted here.  When it is spent, leave rIP on this
         * instruction with the registers as they are: resuming it would
         * continue exactly where it stopped. */
        if (done > 0 && it->insns + done >= it->insn_limit) {
            cpu->rip = it->insn_rip;
            break;
        }
        if (!iteration(it, insn, src_seg, asize, step))
            break;
        done++;
        interp_set_gpr(cpu, X86_RCX, asize, count - 1);
        if (compares) {
            bool zf = (cpu->rflags & INTERP_FL_ZF) != 0;
            if (repne ? zf : !zf)
                break;
        }
        /* A port write may have stopped the VM (the debug-exit port). */
        if (!vm_running(it->vm))
            break;
    }
    if (done > 1)
        it->insns += done - 1;
    return vm_running(it->vm);
    /* STUB
    EXERCISE_TODO();
    return interp_fault(it, "a REP string instruction: REP is exercise 01.rep-string");
    STUB END */
    /* END EXERCISE 01.rep-string */
}
