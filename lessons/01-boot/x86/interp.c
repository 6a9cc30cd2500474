/**
 * @file interp.c
 * @brief The interpreter's main loop: fetch, decode, dispatch, count, and
 *        the guest-fault report.
 *
 * The life of one instruction (interp_step):
 *
 *   1. budget     stop the VM once insn_limit instructions have run
 *   2. fetch      up to 15 bytes at CS:rIP, no further than the CS limit
 *                 and the end of guest memory (interp_fetch)
 *   3. decode     x86_decode() -> struct x86_insn; anything it does not
 *                 know, or knows to be #UD, stops the VM with the bytes
 *   4. rIP        set to the next instruction, which is what CALL/INT push
 *                 and what every handler that does not branch leaves
 *   5. execute    one handler per mnemonic (the switch below, or a group
 *                 file: interp_alu.c, _muldiv.c, _string.c, _branch.c,
 *                 _stack.c, _bits.c, _system.c)
 *   6. count      insns++
 *
 * A handler that cannot continue calls interp_fault(), which stops the VM
 * with "guest fault at CS:IP (linear L): bytes ..: reason".
 */
#include "x86/interp.h"

#include <stdarg.h>

#include "spectrum/fmt.h"
#include "vm/gmem.h"
#include "vm/vm.h"
#include "x86/interp_internal.h"

void interp_init(struct interp *it, struct vm *vm, enum interp_mode mode)
{
    /* Field by field: the kernel has no memset the compiler must not see
     * through, and the hosted tests reuse one struct between cases. */
    for (unsigned i = 0; i < 16; i++)
        it->cpu.gpr[i] = 0;
    it->cpu.rip = 0;
    it->cpu.rflags = INTERP_FL_1; /* SDM Vol. 3A §10.1.1: EFLAGS = 0x2 at reset */
    for (unsigned s = 0; s < 6; s++) {
        struct interp_seg *seg = &it->cpu.seg[s];
        if (mode == INTERP_MODE_REAL) {
            /* Real mode: base = selector * 16, 64 KiB limit (§22.1). */
            seg->selector = 0;
            seg->base = 0;
            seg->limit = 0xffff;
        } else {
            /* Flat: what a multiboot loader promises (base 0, limit 4 GiB);
             * the selectors are those of a conventional GDT. */
            seg->selector = s == X86_SEG_CS ? 0x08 : 0x10;
            seg->base = 0;
            seg->limit = 0xffffffffu;
        }
    }
    it->vm = vm;
    it->mode = mode;
    it->insn_limit = INTERP_DEFAULT_INSN_LIMIT;
    it->insns = 0;
    it->halt_passes = false;
    it->insn_rip = 0;
    it->fetched = 0;
    it->decoded = false;
}

void interp_set_segment(struct interp *it, enum x86_seg seg, uint16_t selector)
{
    if (it->mode != INTERP_MODE_REAL || (unsigned)seg >= 6)
        return;
    it->cpu.seg[seg].selector = selector;
    it->cpu.seg[seg].base = (uint32_t)selector << 4;
}

bool interp_fault(struct interp *it, const char *fmt, ...)
{
    char reason[120], bytes[3 * X86_MAX_INSN_LEN + 1];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    unsigned n = it->fetched <= X86_MAX_INSN_LEN ? it->fetched : X86_MAX_INSN_LEN;
    /* A decoded instruction's bytes are in the decoder's copy. */
    const uint8_t *b = it->decoded ? it->insn.bytes : it->bytes;
    unsigned pos = 0;
    bytes[0] = '\0';
    for (unsigned i = 0; i < n && pos < sizeof bytes; i++)
        pos += (unsigned)fmt_snprintf(bytes + pos, sizeof bytes - pos, i ? " %02x" : "%02x", b[i]);
    if (n == 0)
        fmt_snprintf(bytes, sizeof bytes, "(none)");
    const struct interp_seg *cs = &it->cpu.seg[X86_SEG_CS];
    vm_stop(it->vm, false, "guest fault at %04x:%0*lx (linear %#lx): bytes %s: %s", cs->selector,
            it->mode == INTERP_MODE_REAL ? 4 : 8, (unsigned long)it->insn_rip,
            (unsigned long)(cs->base + it->insn_rip), bytes, reason);
    return false;
}

/* Find the bytes at CS:rIP: at most 15, and none beyond the CS limit or
 * the end of guest memory.  The decoder reads them in place (it never
 * reads past the length it is given); they are copied to it->bytes only
 * when a fault report needs them. */
static const uint8_t *fetch(struct interp *it, unsigned *len)
{
    const struct interp_seg *cs = &it->cpu.seg[X86_SEG_CS];
    uint64_t ip = it->cpu.rip;
    it->insn_rip = ip;
    it->fetched = 0;
    it->decoded = false;
    if (ip > cs->limit) {
        interp_fault(it, "instruction pointer beyond the CS limit %#x (#GP)", cs->limit);
        return 0;
    }
    uint64_t n = cs->limit - ip + 1;
    if (n > X86_MAX_INSN_LEN)
        n = X86_MAX_INSN_LEN;
    uint64_t linear = cs->base + ip;
    const struct guest_mem *mem = &it->vm->mem;
    if (linear >= mem->size) {
        interp_fault(it, "instruction fetch at linear %#lx is outside guest memory (%#lx bytes)",
                     (unsigned long)linear, (unsigned long)mem->size);
        return 0;
    }
    if (n > mem->size - linear)
        n = mem->size - linear;
    *len = (unsigned)n;
    return gmem_ptr(mem, linear, n);
}

static bool decode(struct interp *it, const uint8_t *code, unsigned len)
{
    x86_mode mode = it->mode == INTERP_MODE_REAL ? X86_MODE_16 : X86_MODE_32;
    x86_status st = x86_decode(code, len, mode, it->insn_rip, &it->insn);
    /* For the fault report: this instruction's bytes, or all that were
     * there when it could not be decoded. */
    it->decoded = st == X86_DECODE_OK || st == X86_DECODE_UNDEFINED;
    if (it->decoded) {
        it->fetched = it->insn.length;
    } else {
        /* Eight bytes say enough about an opcode that made no sense. */
        unsigned show = len < 8 ? len : 8;
        for (unsigned i = 0; i < show; i++)
            it->bytes[i] = code[i];
        it->fetched = (uint8_t)show;
    }
    switch (st) {
    case X86_DECODE_OK:
        return true;
    case X86_DECODE_TRUNCATED:
        return interp_fault(it, "the instruction runs past the CS limit or the end of guest memory");
    case X86_DECODE_UNDEFINED:
        return interp_fault(it, "%s: %s", it->insn.name, x86_status_name(st));
    default:
        return interp_fault(it, "cannot decode: %s", x86_status_name(st));
    }
}

/* ADD..CMP, TEST: dst op= src; CMP and TEST only set flags. */
static bool exec_alu2(struct interp *it, const x86_insn *insn)
{
    uint32_t a, b;
    if (!interp_operand_read(it, &insn->operands[0], &a) || !interp_operand_read(it, &insn->operands[1], &b))
        return false;
    uint32_t r = interp_alu2(&it->cpu, insn->mnemonic, insn->operand_size, a, b);
    if (insn->mnemonic == X86_MN_CMP || insn->mnemonic == X86_MN_TEST)
        return true;
    return interp_operand_write(it, &insn->operands[0], r);
}

static bool exec_alu1(struct interp *it, const x86_insn *insn)
{
    uint32_t a;
    return interp_operand_read(it, &insn->operands[0], &a) &&
           interp_operand_write(it, &insn->operands[0], interp_alu1(&it->cpu, insn->mnemonic, insn->operand_size, a));
}

static bool exec_shift(struct interp *it, const x86_insn *insn)
{
    uint32_t v, count;
    if (!interp_operand_read(it, &insn->operands[0], &v) || !interp_operand_read(it, &insn->operands[1], &count))
        return false;
    if (insn->mnemonic == X86_MN_SHLD || insn->mnemonic == X86_MN_SHRD) {
        uint32_t n;
        if (!interp_operand_read(it, &insn->operands[2], &n))
            return false;
        v = interp_shift_double(&it->cpu, insn->mnemonic, insn->operand_size, v, count, n);
    } else {
        v = interp_shift(&it->cpu, insn->mnemonic, insn->operand_size, v, count);
    }
    return interp_operand_write(it, &insn->operands[0], v);
}

/* MOV, MOVZX, MOVSX, CMOVcc, LEA, XCHG, XADD, CMPXCHG, XLAT, LDS/LES/...,
 * CBW/CWD: moving values between operands. */
static bool exec_move(struct interp *it, const x86_insn *insn)
{
    struct interp_cpu *cpu = &it->cpu;
    const x86_operand *dst = &insn->operands[0], *src = &insn->operands[1];
    const unsigned osz = insn->operand_size;
    uint32_t a, b;

    switch (insn->mnemonic) {
    case X86_MN_MOV:
        return interp_operand_read(it, src, &a) && interp_operand_write(it, dst, a);
    case X86_MN_MOVZX:
        return interp_operand_read(it, src, &a) && interp_operand_write(it, dst, a);
    case X86_MN_MOVSX:
        return interp_operand_read(it, src, &a) && interp_operand_write(it, dst, interp_sext(a, src->size));
    case X86_MN_CMOVCC:
        /* The source is read whether or not the move happens (SDM Vol. 2A
         * "CMOVcc"), so a bad address faults either way. */
        if (!interp_operand_read(it, src, &a))
            return false;
        return interp_condition(cpu, insn->cond) ? interp_operand_write(it, dst, a) : true;
    case X86_MN_LEA:
        /* The offset only, never a memory access; truncated to the
         * operand size (SDM Vol. 2A "LEA" Table 3-54). */
        return interp_operand_write(it, dst, interp_effective_address(it, &src->mem) & interp_mask(osz));
    case X86_MN_XCHG:
        return interp_operand_read(it, dst, &a) && interp_operand_read(it, src, &b) &&
               interp_operand_write(it, dst, b) && interp_operand_write(it, src, a);
    case X86_MN_XADD:
        /* TEMP = SRC + DEST; SRC = DEST; DEST = TEMP (SDM Vol. 2B "XADD"). */
        if (!interp_operand_read(it, dst, &a) || !interp_operand_read(it, src, &b))
            return false;
        b = interp_alu2(cpu, X86_MN_ADD, osz, a, b);
        return interp_operand_write(it, src, a) && interp_operand_write(it, dst, b);
    case X86_MN_CMPXCHG:
        /* Compare the accumulator with DEST: equal -> DEST = SRC, else
         * accumulator = DEST; the flags are those of CMP (SDM Vol. 2A
         * "CMPXCHG"). */
        if (!interp_operand_read(it, dst, &a) || !interp_operand_read(it, src, &b))
            return false;
        interp_alu2(cpu, X86_MN_CMP, osz, interp_gpr(cpu, X86_RAX, osz), a);
        if (cpu->rflags & INTERP_FL_ZF)
            return interp_operand_write(it, dst, b);
        interp_set_gpr(cpu, X86_RAX, osz, a);
        return true;
    case X86_MN_XLAT: {
        /* AL = [seg:rBX + zero-extended AL] (SDM Vol. 2B "XLAT"). */
        const x86_mem *m = &dst->mem;
        uint32_t ea = (interp_gpr(cpu, X86_RBX, m->addr_size) + interp_gpr(cpu, X86_RAX, 1)) &
                      interp_mask(m->addr_size);
        if (!interp_read(it, m->segment, ea, 1, &a))
            return false;
        interp_set_gpr(cpu, X86_RAX, 1, a);
        return true;
    }
    case X86_MN_LDS:
    case X86_MN_LES:
    case X86_MN_LSS:
    case X86_MN_LFS:
    case X86_MN_LGS: {
        /* A far pointer from memory: offset (operand size), then selector
         * (SDM Vol. 2A "LDS/LES/LFS/LGS/LSS"). */
        static const uint8_t which[] = {
            [X86_MN_LDS] = X86_SEG_DS, [X86_MN_LES] = X86_SEG_ES, [X86_MN_LSS] = X86_SEG_SS,
            [X86_MN_LFS] = X86_SEG_FS, [X86_MN_LGS] = X86_SEG_GS,
        };
        uint32_t ea = interp_effective_address(it, &src->mem);
        uint32_t sel_ea = (ea + osz) & interp_mask(src->mem.addr_size);
        if (!interp_read(it, src->mem.segment, ea, osz, &a) || !interp_read(it, src->mem.segment, sel_ea, 2, &b))
            return false;
        return interp_load_segment(it, which[insn->mnemonic], (uint16_t)b) && interp_operand_write(it, dst, a);
    }
    case X86_MN_CBW:
        /* CBW: AX = sext(AL); CWDE: EAX = sext(AX) (SDM Vol. 2A "CBW/CWDE"). */
        interp_set_gpr(cpu, X86_RAX, osz, interp_sext(interp_gpr(cpu, X86_RAX, osz / 2), osz / 2));
        return true;
    case X86_MN_CWD:
        /* CWD: DX = sign of AX; CDQ: EDX = sign of EAX. */
        interp_set_gpr(cpu, X86_RDX, osz, (interp_gpr(cpu, X86_RAX, osz) & interp_sign(osz)) ? 0xffffffffu : 0);
        return true;
    default:
        return interp_fault(it, "not a move");
    }
}

/* SETcc: 1 or 0 into a byte (SDM Vol. 2B "SETcc"). */
static bool exec_setcc(struct interp *it, const x86_insn *insn)
{
    return interp_operand_write(it, &insn->operands[0], interp_condition(&it->cpu, insn->cond) ? 1 : 0);
}

/* BOUND: #BR (vector 5, a fault) unless lower <= index <= upper, signed
 * (SDM Vol. 2A "BOUND"). */
static bool exec_bound(struct interp *it, const x86_insn *insn)
{
    const x86_operand *bounds = &insn->operands[1];
    unsigned osz = insn->operand_size;
    uint32_t index, lo, hi;
    uint32_t ea = interp_effective_address(it, &bounds->mem);
    if (!interp_operand_read(it, &insn->operands[0], &index) ||
        !interp_read(it, bounds->mem.segment, ea, osz, &lo) ||
        !interp_read(it, bounds->mem.segment, (ea + osz) & interp_mask(bounds->mem.addr_size), osz, &hi))
        return false;
    int32_t i = (int32_t)interp_sext(index, osz), l = (int32_t)interp_sext(lo, osz), h = (int32_t)interp_sext(hi, osz);
    if (i < l || i > h)
        return interp_interrupt(it, 5, (uint32_t)it->insn_rip, "#BR BOUND range exceeded");
    return true;
}

static bool execute(struct interp *it, const x86_insn *insn)
{
    switch (insn->mnemonic) {
    case X86_MN_ADD: case X86_MN_OR: case X86_MN_ADC: case X86_MN_SBB:
    case X86_MN_AND: case X86_MN_SUB: case X86_MN_XOR: case X86_MN_CMP:
    case X86_MN_TEST:
        return exec_alu2(it, insn);
    case X86_MN_INC: case X86_MN_DEC: case X86_MN_NEG: case X86_MN_NOT:
        return exec_alu1(it, insn);
    case X86_MN_ROL: case X86_MN_ROR: case X86_MN_RCL: case X86_MN_RCR:
    case X86_MN_SHL: case X86_MN_SHR: case X86_MN_SAR:
    case X86_MN_SHLD: case X86_MN_SHRD:
        return exec_shift(it, insn);
    case X86_MN_MUL: case X86_MN_IMUL: case X86_MN_DIV: case X86_MN_IDIV:
        return interp_exec_muldiv(it, insn);
    case X86_MN_MOV: case X86_MN_MOVZX: case X86_MN_MOVSX: case X86_MN_CMOVCC:
    case X86_MN_LEA: case X86_MN_XCHG: case X86_MN_XADD: case X86_MN_CMPXCHG:
    case X86_MN_XLAT: case X86_MN_LDS: case X86_MN_LES: case X86_MN_LSS:
    case X86_MN_LFS: case X86_MN_LGS: case X86_MN_CBW: case X86_MN_CWD:
        return exec_move(it, insn);
    case X86_MN_SETCC:
        return exec_setcc(it, insn);
    case X86_MN_BOUND:
        return exec_bound(it, insn);
    case X86_MN_MOVS: case X86_MN_CMPS: case X86_MN_STOS: case X86_MN_LODS:
    case X86_MN_SCAS: case X86_MN_INS: case X86_MN_OUTS:
        return interp_exec_string(it, insn);
    case X86_MN_JMP: case X86_MN_JCC: case X86_MN_JCXZ: case X86_MN_LOOP:
    case X86_MN_LOOPE: case X86_MN_LOOPNE: case X86_MN_CALL: case X86_MN_RET:
    case X86_MN_JMPF: case X86_MN_CALLF: case X86_MN_RETF: case X86_MN_INT:
    case X86_MN_INT3: case X86_MN_INTO: case X86_MN_IRET:
        return interp_exec_branch(it, insn);
    case X86_MN_PUSH: case X86_MN_POP: case X86_MN_PUSHA: case X86_MN_POPA:
    case X86_MN_PUSHF: case X86_MN_POPF: case X86_MN_ENTER: case X86_MN_LEAVE:
        return interp_exec_stack(it, insn);
    case X86_MN_BT: case X86_MN_BTS: case X86_MN_BTR: case X86_MN_BTC:
    case X86_MN_BSF: case X86_MN_BSR: case X86_MN_BSWAP:
        return interp_exec_bits(it, insn);
    case X86_MN_IN: case X86_MN_OUT: case X86_MN_CPUID: case X86_MN_RDTSC:
    case X86_MN_HLT: case X86_MN_CLI: case X86_MN_STI: case X86_MN_CLC:
    case X86_MN_STC: case X86_MN_CMC: case X86_MN_CLD: case X86_MN_STD:
    case X86_MN_SAHF: case X86_MN_LAHF:
        return interp_exec_system(it, insn);
    case X86_MN_NOP:
    case X86_MN_PAUSE:
    case X86_MN_FWAIT: /* no x87 and no pending FPU exception to wait for */
        return true;
    case X86_MN_UD2:
        return interp_fault(it, "ud2: invalid opcode (#UD) raised on purpose");
    default:
        return interp_fault(it, "%s is not supported by the interpreter", insn->name);
    }
}

bool interp_step(struct interp *it)
{
    struct vm *vm = it->vm;
    if (!vm_running(vm))
        return false;
    if (it->insns >= it->insn_limit) {
        const struct interp_seg *cs = &it->cpu.seg[X86_SEG_CS];
        vm_stop(vm, false, "instruction budget of %lu exhausted at %04x:%0*lx (a runaway guest? insn_limit= raises it)",
                (unsigned long)it->insn_limit, cs->selector, it->mode == INTERP_MODE_REAL ? 4 : 8,
                (unsigned long)it->cpu.rip);
        return false;
    }
    unsigned len = 0;
    const uint8_t *code = fetch(it, &len);
    if (!code || !decode(it, code, len))
        return false;
    it->cpu.rip = it->insn_rip + it->insn.length;
    bool ok = execute(it, &it->insn);
    it->insns++;
    return ok && vm_running(vm);
}

uint64_t interp_run(struct interp *it)
{
    uint64_t start = it->insns;
    while (interp_step(it))
        ;
    return it->insns - start;
}
