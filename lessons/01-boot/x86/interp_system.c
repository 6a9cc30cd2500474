/**
 * @file interp_system.c
 * @brief Instructions that talk to the machine rather than compute: port
 *        I/O, CPUID, RDTSC, HLT, and the single-flag instructions.
 *
 * Port I/O is where an interpreted guest meets the device models: IN and
 * OUT go to the VM's port bus (io/portbus.h), the same entry points the
 * VM-exit handlers of lesson 02 use, so every device is written once.
 * The guest runs at CPL 0 (real mode, or the flat mode's ring 0), so no
 * IOPL or I/O-bitmap check applies (SDM Vol. 1 §19.5).
 */
#include "x86/interp_internal.h"

#include "io/portbus.h"
#include "vm/vm.h"

/* CPUID as this software CPU reports it (SDM Vol. 2A "CPUID"): fixed
 * values, so a guest behaves the same on every engine and host.
 *  - leaf 0: highest basic leaf 1, vendor "SpectrumEmul" (EBX, EDX, ECX);
 *  - leaf 1: family 6, model 0, stepping 0; EDX: TSC (bit 4) and CMOV
 *    (bit 15), the only optional features this interpreter implements
 *    (no x87, no CMPXCHG8B, no MSRs, no APIC); ECX: nothing;
 *  - every other leaf, 0x80000000 included: all zero (what AMD parts
 *    return above the highest leaf; Intel parts repeat the highest basic
 *    leaf instead). */
static void cpuid(struct interp_cpu *cpu)
{
    uint32_t leaf = interp_gpr(cpu, X86_RAX, 4);
    uint32_t a = 0, b = 0, c = 0, d = 0;
    if (leaf == 0) {
        a = 1;
        b = 0x63657053; /* "Spec" */
        d = 0x6d757274; /* "trum" */
        c = 0x6c756d45; /* "Emul" */
    } else if (leaf == 1) {
        a = 0x00000600;
        d = (1u << 4) | (1u << 15);
    }
    interp_set_gpr(cpu, X86_RAX, 4, a);
    interp_set_gpr(cpu, X86_RBX, 4, b);
    interp_set_gpr(cpu, X86_RCX, 4, c);
    interp_set_gpr(cpu, X86_RDX, 4, d);
}

static void set_flag(struct interp_cpu *cpu, uint32_t flag, bool on)
{
    if (on)
        cpu->rflags |= flag;
    else
        cpu->rflags &= ~(uint64_t)flag;
}

bool interp_exec_system(struct interp *it, const x86_insn *insn)
{
    struct interp_cpu *cpu = &it->cpu;
    uint32_t port, v;

    switch (insn->mnemonic) {
    case X86_MN_IN:
        /* IN AL/AX/EAX, imm8 | DX (SDM Vol. 2A "IN"). */
        if (!interp_operand_read(it, &insn->operands[1], &port))
            return false;
        v = portbus_read(it->vm, (uint16_t)port, insn->operands[0].size);
        return interp_operand_write(it, &insn->operands[0], v);
    case X86_MN_OUT:
        if (!interp_operand_read(it, &insn->operands[0], &port) || !interp_operand_read(it, &insn->operands[1], &v))
            return false;
        portbus_write(it->vm, (uint16_t)port, insn->operands[1].size, v);
        return true;
    case X86_MN_CPUID:
        cpuid(cpu);
        return true;
    case X86_MN_RDTSC:
        /* A virtual time-stamp counter: one tick per instruction executed
         * so far.  Deterministic (the same guest reads the same values on
         * every engine) and monotonic, which is all RDTSC promises (SDM
         * Vol. 3B §18.17). */
        interp_set_gpr(cpu, X86_RAX, 4, (uint32_t)it->insns);
        interp_set_gpr(cpu, X86_RDX, 4, (uint32_t)(it->insns >> 32));
        return true;
    case X86_MN_HLT:
        /* Nothing can wake the CPU (lesson 01 has no interrupt sources),
         * so HLT is the end of the guest. */
        if (it->halt_passes)
            vm_stop(it->vm, true, "guest halted");
        else
            interp_fault(it, "guest halted (HLT) without writing its exit status to port 0xf4");
        return false;
    case X86_MN_CLI:
        set_flag(cpu, INTERP_FL_IF, false); /* CPL 0: always allowed (SDM Vol. 2A "CLI") */
        return true;
    case X86_MN_STI:
        set_flag(cpu, INTERP_FL_IF, true);
        return true;
    case X86_MN_CLC:
        set_flag(cpu, INTERP_FL_CF, false);
        return true;
    case X86_MN_STC:
        set_flag(cpu, INTERP_FL_CF, true);
        return true;
    case X86_MN_CMC:
        set_flag(cpu, INTERP_FL_CF, !(cpu->rflags & INTERP_FL_CF));
        return true;
    case X86_MN_CLD:
        set_flag(cpu, INTERP_FL_DF, false);
        return true;
    case X86_MN_STD:
        set_flag(cpu, INTERP_FL_DF, true);
        return true;
    case X86_MN_SAHF: {
        /* SF ZF AF PF CF <- AH bits 7 6 4 2 0 (SDM Vol. 2B "SAHF"). */
        uint32_t mask = INTERP_FL_SF | INTERP_FL_ZF | INTERP_FL_AF | INTERP_FL_PF | INTERP_FL_CF;
        uint32_t ah = (uint32_t)(cpu->gpr[X86_RAX] >> 8) & 0xff;
        cpu->rflags = (cpu->rflags & ~(uint64_t)mask) | (ah & mask);
        return true;
    }
    case X86_MN_LAHF: {
        /* AH <- SF:ZF:0:AF:0:PF:1:CF (SDM Vol. 2A "LAHF"). */
        uint32_t f = ((uint32_t)cpu->rflags & 0xd5) | INTERP_FL_1;
        cpu->gpr[X86_RAX] = (cpu->gpr[X86_RAX] & ~(uint64_t)0xff00) | ((uint64_t)f << 8);
        return true;
    }
    default:
        return interp_fault(it, "not a system instruction");
    }
}
