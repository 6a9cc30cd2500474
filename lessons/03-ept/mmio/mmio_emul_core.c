/**
 * @file mmio_emul_core.c
 * @brief Decode one instruction with lesson 01's decoder and perform its
 *        memory access, register update and flags through struct mmio_env.
 *
 * The steps, each of which can refuse (and then nothing is written back):
 *  1. decode (x86/decode.h) in the code's width; LOCK is refused: a locked
 *     read-modify-write on a device has no meaning the bus can give it;
 *  2. form the memory operand's address as the CPU did (SDM Vol. 1 §3.7.5):
 *     base + index * scale + displacement (RIP-relative: from the next
 *     instruction), truncated to the address size, plus the segment base
 *     (64-bit mode: only FS and GS have one, Vol. 1 §3.3.7.1; other modes
 *     wrap at 4 GiB), then through the guest's paging to a GPA;
 *  3. check that GPA against the faulting one: a mismatch means the bytes
 *     are no longer the instruction that faulted;
 *  4. perform the access(es) and the register / flag update.
 * Segment limits and access rights were checked by the CPU before the
 * access faulted (SDM Vol. 3A §6.15: segmentation before paging before
 * EPT), and the instruction is the same one, so they are not repeated.
 *
 * Flags (SDM Vol. 2, AND/OR/XOR/TEST "Flags Affected"): CF and OF cleared,
 * SF, ZF, PF from the result, AF undefined - written 0 here.  CMP computes
 * first - second as SUB does and sets all six (AF: borrow from bit 4).
 */
#include "mmio/mmio_emul_core.h"

#include <stdarg.h>

#include "spectrum/exercise.h"
#include "spectrum/fmt.h"
#include "spectrum/x86_bits.h"
#include "x86/decode.h"

#define FLAGS_STATUS (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_OF)
#define PAGE_4K 0x1000ull

/** One emulation in progress: registers are a copy, committed on success. */
struct emu {
    const struct mmio_env *env;
    struct mmio_core_result *res;
    struct vcpu_regs r;
    x86_insn in;
};

static bool fail(struct emu *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(struct emu *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(e->res->why, sizeof e->res->why, fmt, ap);
    va_end(ap);
    e->res->status = MMIO_CORE_FAIL;
    return false;
}

static uint64_t mask_of(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static uint64_t sign_of(unsigned size)
{
    return 1ull << (8 * size - 1);
}

static uint64_t sext(uint64_t v, unsigned size)
{
    uint64_t m = mask_of(size), s = sign_of(size);
    return ((v & m) ^ s) - s;
}

static bool valid_size(unsigned size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

/* ---- registers ------------------------------------------------------ */

static bool reg_ok(struct emu *e, const x86_operand *op)
{
    if (op->kind == X86_OPERAND_REG && (op->reg.cls == X86_REG_GPR || op->reg.cls == X86_REG_GPR_HIGH8) &&
        valid_size(op->size))
        return true;
    return fail(e, "%s: operand is not a general register", e->in.name);
}

static uint64_t reg_get(const struct emu *e, x86_reg reg, unsigned size)
{
    if (reg.cls == X86_REG_GPR_HIGH8)
        return (e->r.gpr[reg.num & 3] >> 8) & 0xff;
    return e->r.gpr[reg.num & 15] & mask_of(size);
}

/* Narrow writes keep the other bits; a 32-bit write zero-extends (SDM
 * Vol. 1 §3.4.1.1; outside 64-bit mode the upper half is undefined). */
static void reg_set(struct emu *e, x86_reg reg, unsigned size, uint64_t v)
{
    if (reg.cls == X86_REG_GPR_HIGH8) {
        uint64_t *g = &e->r.gpr[reg.num & 3];
        *g = (*g & ~0xff00ull) | ((v & 0xff) << 8);
        return;
    }
    uint64_t *g = &e->r.gpr[reg.num & 15];
    if (size >= 4)
        *g = v & mask_of(size);
    else
        *g = (*g & ~mask_of(size)) | (v & mask_of(size));
}

/* The value of a register or immediate source, @p size bytes. */
static bool src_value(struct emu *e, const x86_operand *op, unsigned size, uint64_t *v)
{
    if (op->kind == X86_OPERAND_IMM) {
        *v = op->imm.value & mask_of(size);
        return true;
    }
    if (!reg_ok(e, op))
        return false;
    *v = reg_get(e, op->reg, size);
    return true;
}

/* ---- memory --------------------------------------------------------- */

/* Effective address of @p m (SDM Vol. 1 §3.7.5), truncated to its size. */
static uint64_t effective(const struct emu *e, const x86_mem *m)
{
    uint64_t ea = (uint64_t)m->disp;
    if (m->rip_relative)
        ea += e->in.address + e->in.length;
    if (m->base != X86_NO_REG)
        ea += e->r.gpr[m->base & 15];
    if (m->index != X86_NO_REG)
        ea += e->r.gpr[m->index & 15] * m->scale;
    return ea & mask_of(m->addr_size);
}

/* Segment @p seg : offset @p ea of a @p size-byte access -> GPA. */
static bool linear_gpa(struct emu *e, unsigned seg, uint64_t ea, unsigned size, bool write, uint64_t *gpa)
{
    const struct mmio_env *env = e->env;
    uint64_t lin;
    if (seg > X86_SEG_GS)
        return fail(e, "%s: bad segment %u", e->in.name, seg);
    if (env->code_bits == 64)
        lin = ea + ((seg == X86_SEG_FS || seg == X86_SEG_GS) ? env->seg_base[seg] : 0);
    else
        lin = (env->seg_base[seg] + ea) & 0xffffffffull;
    if ((lin & (PAGE_4K - 1)) + size > PAGE_4K)
        return fail(e, "%s: %u-byte access at linear %#llx crosses a page boundary", e->in.name, size,
                    (unsigned long long)lin);
    if (!env->translate(env->ctx, lin, write, gpa))
        return fail(e, "%s: linear address %#llx does not translate%s", e->in.name, (unsigned long long)lin,
                    write ? " for a write" : "");
    return true;
}

/* Does [gpa, gpa+size) hold the faulting GPA? */
static bool hits(const struct emu *e, uint64_t gpa, unsigned size)
{
    return e->env->gpa - gpa < size;
}

static bool mismatch(struct emu *e, uint64_t gpa)
{
    return fail(e, "%s accesses GPA %#llx, not the faulting %#llx: the instruction changed under us", e->in.name,
                (unsigned long long)gpa, (unsigned long long)e->env->gpa);
}

/* The GPA of explicit memory operand @p op, which must be the faulting one. */
static bool mem_operand(struct emu *e, const x86_operand *op, bool write, uint64_t *gpa)
{
    if (!valid_size(op->size))
        return fail(e, "%s: memory operand of %u bytes", e->in.name, op->size);
    if (!linear_gpa(e, op->mem.segment, effective(e, &op->mem), op->size, write, gpa))
        return false;
    return hits(e, *gpa, op->size) ? true : mismatch(e, *gpa);
}

static bool rd(struct emu *e, uint64_t gpa, unsigned size, uint64_t *v)
{
    if (!e->env->read(e->env->ctx, gpa, size, v))
        return fail(e, "%s: nothing to read at GPA %#llx", e->in.name, (unsigned long long)gpa);
    *v &= mask_of(size);
    return true;
}

static bool wr(struct emu *e, uint64_t gpa, unsigned size, uint64_t v)
{
    if (!e->env->write(e->env->ctx, gpa, size, v & mask_of(size)))
        return fail(e, "%s: nothing to write at GPA %#llx", e->in.name, (unsigned long long)gpa);
    return true;
}

/* ---- instructions --------------------------------------------------- */

static bool op_mov(struct emu *e)
{
    const x86_operand *d = &e->in.operands[0], *s = &e->in.operands[1];
    unsigned size = d->size;
    uint64_t gpa, v;
    /* EXERCISE 03.mmio-decode 10 "Perform a decoded MOV on the bus: register or immediate to memory, memory to register (narrow writes keep the other bits, 32-bit ones zero-extend), then advance RIP by the decoded length (SDM Vol. 2B MOV; Vol. 1 3.4.1.1)" */
    if (d->kind == X86_OPERAND_MEM) {
        if (!src_value(e, s, size, &v) || !mem_operand(e, d, true, &gpa))
            return false;
        return wr(e, gpa, size, v);
    }
    if (s->kind == X86_OPERAND_MEM) {
        if (!reg_ok(e, d) || !mem_operand(e, s, false, &gpa) || !rd(e, gpa, size, &v))
            return false;
        reg_set(e, d->reg, size, v);
        return true;
    }
    return fail(e, "%s has no memory operand", e->in.name);
    /* STUB
    EXERCISE_TODO();
    (void)d;
    (void)s;
    (void)size;
    (void)gpa;
    (void)v;
    return fail(e, "MOV to or from MMIO is not emulated yet");
    STUB END */
    /* END EXERCISE 03.mmio-decode */
}

/* MOVZX / MOVSX / MOVSXD: register <- extended memory. */
static bool op_movx(struct emu *e)
{
    const x86_operand *d = &e->in.operands[0], *s = &e->in.operands[1];
    uint64_t gpa, v;
    if (s->kind != X86_OPERAND_MEM)
        return fail(e, "%s has no memory operand", e->in.name);
    if (!reg_ok(e, d) || !mem_operand(e, s, false, &gpa) || !rd(e, gpa, s->size, &v))
        return false;
    if (e->in.mnemonic != X86_MN_MOVZX)
        v = sext(v, s->size);
    reg_set(e, d->reg, d->size, v);
    return true;
}

static uint64_t flags_szp(uint64_t r, unsigned size)
{
    uint64_t f = 0;
    if ((r & mask_of(size)) == 0)
        f |= RFLAGS_ZF;
    if (r & sign_of(size))
        f |= RFLAGS_SF;
    unsigned b = (unsigned)(r & 0xff);
    b ^= b >> 4;
    b ^= b >> 2;
    b ^= b >> 1;
    if (!(b & 1))
        f |= RFLAGS_PF;   /* an even number of ones in the low byte */
    return f;
}

/* AND, OR, XOR, TEST, CMP: result and status flags of @p a op @p b. */
static uint64_t alu(unsigned mn, uint64_t a, uint64_t b, unsigned size, uint64_t *flags)
{
    uint64_t m = mask_of(size), r;
    switch (mn) {
    case X86_MN_OR: r = a | b; break;
    case X86_MN_XOR: r = a ^ b; break;
    case X86_MN_CMP: r = (a - b) & m; break;
    default: r = a & b; break;    /* AND, TEST */
    }
    *flags = flags_szp(r, size);
    if (mn == X86_MN_CMP) {
        if ((a & m) < (b & m))
            *flags |= RFLAGS_CF;
        if ((a ^ b) & (a ^ r) & sign_of(size))
            *flags |= RFLAGS_OF;
        if ((a ^ b ^ r) & 0x10)
            *flags |= RFLAGS_AF;
    }
    return r & m;
}

static bool op_alu(struct emu *e)
{
    const x86_operand *d = &e->in.operands[0], *s = &e->in.operands[1];
    unsigned mn = e->in.mnemonic, size = d->size;
    bool store = mn != X86_MN_CMP && mn != X86_MN_TEST;
    uint64_t a, b, gpa = 0, flags;
    if (d->kind == X86_OPERAND_MEM) {
        if (!src_value(e, s, size, &b) || !mem_operand(e, d, store, &gpa) || !rd(e, gpa, size, &a))
            return false;
    } else if (s->kind == X86_OPERAND_MEM) {
        if (!src_value(e, d, size, &a) || !mem_operand(e, s, false, &gpa) || !rd(e, gpa, size, &b))
            return false;
    } else {
        return fail(e, "%s has no memory operand", e->in.name);
    }
    uint64_t r = alu(mn, a, b, size, &flags);
    if (store) {
        if (d->kind == X86_OPERAND_MEM) {
            if (!wr(e, gpa, size, r))
                return false;
        } else {
            reg_set(e, d->reg, size, r);
        }
    }
    e->r.rflags = (e->r.rflags & ~FLAGS_STATUS) | flags;
    return true;
}

/* Update an address register (rSI, rDI) or the count (rCX) within the
 * address size: 16-bit forms keep bits 63:16, 32-bit ones zero-extend. */
static void addr_reg_set(uint64_t *g, unsigned asz, uint64_t v)
{
    if (asz == 2)
        *g = (*g & ~0xffffull) | (v & 0xffff);
    else
        *g = v & mask_of(asz);
}

/* STOS and MOVS, with or without REP (SDM Vol. 2B "STOS", "MOVS", "REP"):
 * ES:rDI <- rAX or DS:rSI (segment overridable), rSI/rDI step by the
 * element size, down when RFLAGS.DF is set; REP counts rCX down to 0. */
static bool op_string(struct emu *e)
{
    const x86_operand *dst = &e->in.operands[0], *src = &e->in.operands[1];
    bool movs = e->in.mnemonic == X86_MN_MOVS;
    unsigned size = e->in.operand_size, asz = e->in.address_size;
    uint64_t am = mask_of(asz);
    bool rep = e->in.flags & X86_INSN_REP;
    uint64_t step = (e->r.rflags & RFLAGS_DF) ? (uint64_t)0 - size : size;
    uint64_t count = rep ? e->r.gpr[GPR_RCX] & am : 1;
    unsigned max = e->env->rep_max ? e->env->rep_max : MMIO_REP_MAX;
    unsigned done = 0;

    if (!valid_size(size) || !valid_size(asz) || asz == 1 || dst->kind != X86_OPERAND_MEM ||
        (movs && src->kind != X86_OPERAND_MEM))
        return fail(e, "%s: unexpected operands", e->in.name);
    if (count == 0)
        return fail(e, "%s with rCX = 0 accesses nothing, yet GPA %#llx faulted", e->in.name,
                    (unsigned long long)e->env->gpa);
    while (done < count && done < max) {
        uint64_t dgpa, sgpa = 0, v;
        if (!linear_gpa(e, X86_SEG_ES, e->r.gpr[GPR_RDI] & am, size, true, &dgpa))
            return false;
        if (movs && !linear_gpa(e, src->mem.segment, e->r.gpr[GPR_RSI] & am, size, false, &sgpa))
            return false;
        /* The first element is the access that faulted. */
        if (done == 0 && !hits(e, dgpa, size) && !(movs && hits(e, sgpa, size)))
            return mismatch(e, dgpa);
        if (movs) {
            if (!rd(e, sgpa, size, &v))
                return false;
        } else {
            v = e->r.gpr[GPR_RAX] & mask_of(size);
        }
        if (!wr(e, dgpa, size, v))
            return false;
        addr_reg_set(&e->r.gpr[GPR_RDI], asz, e->r.gpr[GPR_RDI] + step);
        if (movs)
            addr_reg_set(&e->r.gpr[GPR_RSI], asz, e->r.gpr[GPR_RSI] + step);
        if (rep)
            addr_reg_set(&e->r.gpr[GPR_RCX], asz, e->r.gpr[GPR_RCX] - 1);
        done++;
    }
    e->res->iterations = done;
    /* Work left: RIP stays on the instruction with rCX/rSI/rDI updated, as
     * after an interrupt between iterations (SDM Vol. 2B "REP"), and the
     * guest executes it again - a runaway count cannot hold the host. */
    if (done < count)
        e->res->status = MMIO_CORE_AGAIN;
    return true;
}

enum mmio_core_status mmio_core_emulate(const struct mmio_env *env, struct vcpu_regs *regs, const uint8_t *bytes,
                                        size_t n, struct mmio_core_result *res)
{
    struct emu e = { .env = env, .res = res, .r = *regs };
    bool ok;
    res->status = MMIO_CORE_DONE;
    res->length = 0;
    res->iterations = 0;
    res->why[0] = 0;

    if (env->code_bits != 16 && env->code_bits != 32 && env->code_bits != 64) {
        fail(&e, "code width %u", env->code_bits);
        return res->status;
    }
    if (n > X86_MAX_INSN_LEN)
        n = X86_MAX_INSN_LEN;
    x86_status st = x86_decode(bytes, n, (x86_mode)env->code_bits, regs->rip, &e.in);
    if (st != X86_DECODE_OK) {
        fail(&e, "cannot decode (%s)", x86_status_name(st));
        return res->status;
    }
    res->length = e.in.length;
    if (e.in.prefixes & X86_PFX_LOCK) {
        fail(&e, "LOCK %s is not emulated", e.in.name);
        return res->status;
    }
    switch (e.in.mnemonic) {
    case X86_MN_MOV:
        ok = op_mov(&e);
        break;
    case X86_MN_MOVZX:
    case X86_MN_MOVSX:
    case X86_MN_MOVSXD:
        ok = op_movx(&e);
        break;
    case X86_MN_AND:
    case X86_MN_OR:
    case X86_MN_XOR:
    case X86_MN_CMP:
    case X86_MN_TEST:
        ok = op_alu(&e);
        break;
    case X86_MN_STOS:
    case X86_MN_MOVS:
        ok = op_string(&e);
        break;
    default:
        ok = fail(&e, "%s is not an instruction MMIO emulation supports", e.in.name);
        break;
    }
    if (ok)
        *regs = e.r;
    return res->status;
}
