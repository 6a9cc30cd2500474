/**
 * @file decode.c
 * @brief Table-driven x86 instruction decoder (see decode.h).
 *
 * An instruction is, in byte order (SDM Vol. 2A §2.1 Figure 2-1):
 *   legacy prefixes, REX (64-bit mode), opcode (1-2 bytes), ModRM, SIB,
 *   displacement, immediate.
 * x86_decode() walks exactly that order through a bounded cursor, looks the
 * opcode up in opcode_table.c and then materialises the operands the table
 * row names.  Every byte goes through next_byte(), the only place that
 * touches the caller's buffer, so the bounds rule lives in one line.
 */
#include "x86/decode.h"

#include "spectrum/exercise.h"
#include "x86/opcode_table.h"

/** Decoding state shared by the helpers below. */
typedef struct x86_ctx {
    const uint8_t *code; /**< caller's bytes */
    size_t len;          /**< valid bytes at code */
    uint8_t pos;         /**< bytes consumed so far */
    x86_status err;      /**< why next_byte() failed */
    x86_insn *insn;      /**< output */
    const x86_opcode *row; /**< resolved table row */
    uint16_t flags;      /**< row flags incl. those inherited from a group escape */
    uint8_t vsize;       /**< size of 'v' operands in bytes (2, 4, 8) */
    uint8_t mod;         /**< ModRM.mod */
    uint8_t reg;         /**< ModRM.reg extended by REX.R */
    uint8_t rm;          /**< ModRM.rm extended by REX.B */
    bool ud;             /**< the encoding raises #UD */
    x86_mem mem;         /**< decoded ModRM memory reference (mod != 3) */
} x86_ctx;

/* Fetch the next instruction byte, enforcing both the caller's buffer and
 * the 15-byte architectural limit (SDM Vol. 2A §2.3.11).  The 15-byte check
 * comes first: an instruction that needs a 16th byte is too long whatever
 * the buffer holds. */
static bool next_byte(x86_ctx *x, uint8_t *out)
{
    if (x->pos >= X86_MAX_INSN_LEN) {
        x->err = X86_DECODE_TOO_LONG;
        return false;
    }
    if (x->pos >= x->len) {
        x->err = X86_DECODE_TRUNCATED;
        return false;
    }
    uint8_t b = x->code[x->pos];
    x->insn->bytes[x->pos] = b;
    x->pos++;
    *out = b;
    return true;
}

/* Fetch an n-byte little-endian value (displacements, immediates). */
static bool next_le(x86_ctx *x, unsigned n, uint64_t *out)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        uint8_t b;
        if (!next_byte(x, &b))
            return false;
        v |= (uint64_t)b << (8 * i);
    }
    *out = v;
    return true;
}

/* Truncate v to `bytes` bytes. */
static uint64_t mask_to(uint64_t v, unsigned bytes)
{
    return bytes >= 8 ? v : v & ((UINT64_C(1) << (8 * bytes)) - 1);
}

/* Sign-extend the low `bytes` bytes of v to 64 bits. */
static int64_t sign_extend(uint64_t v, unsigned bytes)
{
    if (bytes >= 8)
        return (int64_t)v;
    uint64_t sign = UINT64_C(1) << (8 * bytes - 1);
    return (int64_t)((mask_to(v, bytes) ^ sign) - sign);
}

/* Clear the output without memset: this file links into a kernel that
 * provides no C library. */
static void clear_insn(x86_insn *insn)
{
    volatile unsigned char *p = (volatile unsigned char *)insn;
    for (size_t i = 0; i < sizeof *insn; i++)
        p[i] = 0;
}

/* ---- register operands ------------------------------------------------ */

/* A GPR of `size` bytes.  Byte registers 4-7 are AH/CH/DH/BH unless any REX
 * prefix is present, in which case they are SPL/BPL/SIL/DIL (SDM Vol. 2A
 * §2.2.1.2 Table 2-5 note, Vol. 1 §3.7.2.1). */
static void set_gpr(x86_ctx *x, x86_operand *op, uint8_t num, uint8_t size)
{
    op->kind = X86_OPERAND_REG;
    op->size = size;
    if (size == 1 && x->insn->rex == 0 && num >= 4 && num < 8) {
        op->reg.cls = X86_REG_GPR_HIGH8;
        op->reg.num = (uint8_t)(num - 4);
    } else {
        op->reg.cls = X86_REG_GPR;
        op->reg.num = num;
    }
}

static void set_reg(x86_operand *op, uint8_t cls, uint8_t num, uint8_t size)
{
    op->kind = X86_OPERAND_REG;
    op->size = size;
    op->reg.cls = cls;
    op->reg.num = num;
}

/* ---- memory operands -------------------------------------------------- */

/* Apply a segment override to a DS/SS-default reference.  In 64-bit mode
 * only FS and GS overrides take effect; ES/CS/SS/DS prefixes are ignored
 * (SDM Vol. 1 §3.3.7.1, Vol. 2A §2.2.1). */
static void apply_override(const x86_insn *insn, x86_mem *m)
{
    if (insn->segment == X86_SEG_NONE)
        return;
    if (insn->mode == X86_MODE_64 && insn->segment != X86_SEG_FS &&
        insn->segment != X86_SEG_GS)
        return;
    m->segment = insn->segment;
}

/* 16-bit ModRM addressing, SDM Vol. 2A §2.1.5 Table 2-1. */
static bool decode_mem16(x86_ctx *x, x86_mem *m, uint8_t rm)
{
    static const uint8_t base16[8] = { X86_RBX, X86_RBX, X86_RBP, X86_RBP,
                                       X86_RSI, X86_RDI, X86_RBP, X86_RBX };
    static const uint8_t index16[8] = { X86_RSI, X86_RDI, X86_RSI, X86_RDI,
                                        X86_NO_REG, X86_NO_REG, X86_NO_REG,
                                        X86_NO_REG };
    uint8_t dsz = 0;
    if (x->mod == 0 && rm == 6) {
        dsz = 2; /* [disp16] */
    } else {
        m->base = base16[rm];
        m->index = index16[rm];
        if (x->mod == 1)
            dsz = 1;
        else if (x->mod == 2)
            dsz = 2;
    }
    /* BP-based forms default to SS (SDM Vol. 1 §3.7.5 / Table 3-5). */
    if (m->base == X86_RBP)
        m->segment = X86_SEG_SS;
    if (dsz != 0) {
        uint64_t raw;
        if (!next_le(x, dsz, &raw))
            return false;
        m->disp = sign_extend(raw, dsz);
        m->disp_size = dsz;
    }
    return true;
}

/* 32/64-bit ModRM+SIB addressing, SDM Vol. 2A §2.1.5 Tables 2-2 and 2-3,
 * with the REX extensions of §2.2.1.2 and RIP-relative of §2.2.1.6. */
static bool decode_mem32(x86_ctx *x, x86_mem *m, uint8_t rm)
{
    /* EXERCISE 01.modrm-sib 10 "Decode the 32/64-bit memory operand: SIB (scale, index 100b = none, base 101b with mod 00b = disp32), disp32 alone or RIP-relative in 64-bit mode, disp8/disp32 by mod, REX.B/REX.X, SS for rSP/rBP bases (SDM Vol. 2A 2.1.5 Tables 2-2, 2-3; 2.2.1.6)" */
    x86_insn *insn = x->insn;
    uint8_t rex_b = (insn->rex & X86_REX_B) ? 8 : 0;
    uint8_t rex_x = (insn->rex & X86_REX_X) ? 8 : 0;
    uint8_t dsz = 0;

    if (rm == 4) {
        /* SIB follows.  Index 100b (without REX.X) means "no index";
         * base 101b with mod 00b means "disp32, no base". */
        uint8_t sib;
        if (!next_byte(x, &sib))
            return false;
        insn->has_sib = true;
        insn->sib = sib;
        uint8_t index = (uint8_t)(((sib >> 3) & 7) | rex_x);
        if (index != 4) {
            m->index = index;
            m->scale = (uint8_t)(1u << (sib >> 6));
        }
        if ((sib & 7) == 5 && x->mod == 0)
            dsz = 4;
        else
            m->base = (uint8_t)((sib & 7) | rex_b);
    } else if (rm == 5 && x->mod == 0) {
        /* disp32 alone; in 64-bit mode this is RIP-relative instead and
         * REX.B does not change that (Table 2-7). */
        dsz = 4;
        m->rip_relative = insn->mode == X86_MODE_64;
    } else {
        m->base = (uint8_t)(rm | rex_b);
    }
    if (x->mod == 1)
        dsz = 1;
    else if (x->mod == 2)
        dsz = 4;
    /* rSP/rBP bases default to SS; r12/r13 do not (SDM Vol. 1 §3.7.5). */
    if (m->base == X86_RSP || m->base == X86_RBP)
        m->segment = X86_SEG_SS;
    if (dsz != 0) {
        uint64_t raw;
        if (!next_le(x, dsz, &raw))
            return false;
        m->disp = sign_extend(raw, dsz);
        m->disp_size = dsz;
    }
    return true;
    /* STUB
    EXERCISE_TODO();
    (void)x;
    (void)m;
    (void)rm;
    return false;
    STUB END */
    /* END EXERCISE 01.modrm-sib */
}

/* Decode the memory reference named by ModRM (mod != 3) into x->mem. */
static bool decode_modrm_mem(x86_ctx *x)
{
    x86_mem *m = &x->mem;
    m->segment = X86_SEG_DS;
    m->base = X86_NO_REG;
    m->index = X86_NO_REG;
    m->scale = 1;
    m->addr_size = x->insn->address_size;
    uint8_t rm = x->insn->modrm & 7;
    bool ok = m->addr_size == 2 ? decode_mem16(x, m, rm) : decode_mem32(x, m, rm);
    if (ok)
        apply_override(x->insn, m);
    return ok;
}

/* An implicit string address: DS:rSI / ES:rDI / DS:rBX (SDM Vol. 1 §7.3.9).
 * The ES of a destination cannot be overridden. */
static void set_string_mem(x86_ctx *x, x86_operand *op, uint8_t base,
                           bool es_dest, uint8_t size)
{
    op->kind = X86_OPERAND_MEM;
    op->size = size;
    op->flags = X86_OPF_STRING;
    op->mem.base = base;
    op->mem.index = X86_NO_REG;
    op->mem.scale = 1;
    op->mem.addr_size = x->insn->address_size;
    op->mem.segment = es_dest ? X86_SEG_ES : X86_SEG_DS;
    if (!es_dest)
        apply_override(x->insn, &op->mem);
}

/* ModRM.rm as an operand of `size` bytes: a register if mod = 11b, else
 * the decoded memory reference. */
static void set_rm(x86_ctx *x, x86_operand *op, uint8_t size, uint8_t reg_size)
{
    if (x->mod == 3) {
        set_gpr(x, op, x->rm, reg_size);
        return;
    }
    op->kind = X86_OPERAND_MEM;
    op->size = size;
    op->mem = x->mem;
}

/* ---- immediates ------------------------------------------------------- */

/* Read an n-byte immediate and present it as a `size`-byte value. */
static bool set_imm(x86_ctx *x, x86_operand *op, unsigned n, uint8_t size, bool sext)
{
    uint64_t raw;
    if (!next_le(x, n, &raw))
        return false;
    op->kind = X86_OPERAND_IMM;
    op->size = size;
    op->imm.encoded_size = (uint8_t)n;
    op->imm.sign_extended = sext && size > n;
    op->imm.value = mask_to(sext ? (uint64_t)sign_extend(raw, n) : raw, size);
    return true;
}

/* ---- operand dispatch ------------------------------------------------- */

static bool decode_operand(x86_ctx *x, uint8_t spec, x86_operand *op)
{
    x86_insn *insn = x->insn;
    uint8_t v = x->vsize;
    uint8_t z = v == 2 ? 2 : 4; /* 'z': 16 or 32 bits, never 64 */
    uint8_t rex_b = (insn->rex & X86_REX_B) ? 8 : 0;

    switch (spec) {
    case X86_OPS_Eb: set_rm(x, op, 1, 1); return true;
    case X86_OPS_Ew: set_rm(x, op, 2, 2); return true;
    case X86_OPS_Ev: set_rm(x, op, v, v); return true;
    case X86_OPS_Ez: set_rm(x, op, z, z); return true;
    case X86_OPS_MwRv: set_rm(x, op, 2, v); return true;
    case X86_OPS_M: set_rm(x, op, 0, v); return true;
    case X86_OPS_Mp: set_rm(x, op, (uint8_t)(v + 2), v); return true;
    case X86_OPS_Ms:
        set_rm(x, op, insn->mode == X86_MODE_64 ? 10 : 6, v);
        return true;
    case X86_OPS_Mq:
        set_rm(x, op, (insn->rex & X86_REX_W) ? 16 : 8, v);
        return true;
    case X86_OPS_Ma: set_rm(x, op, (uint8_t)(2 * v), v); return true;
    case X86_OPS_Rd: set_gpr(x, op, x->rm, v); return true;

    case X86_OPS_Gb: set_gpr(x, op, x->reg, 1); return true;
    case X86_OPS_Gw: set_gpr(x, op, x->reg, 2); return true;
    case X86_OPS_Gv: set_gpr(x, op, x->reg, v); return true;
    case X86_OPS_Sw: {
        /* REX.R does not extend the sreg field; 6 and 7 are reserved. */
        uint8_t s = (uint8_t)((insn->modrm >> 3) & 7);
        if (s > X86_SEG_GS)
            x->ud = true;
        set_reg(op, X86_REG_SEG, s, 2);
        return true;
    }
    case X86_OPS_Cd:
        /* CR0, CR2-CR4 exist everywhere, CR8 (TPR) in 64-bit mode; the rest
         * are reserved and #UD (SDM Vol. 2B "MOV-Move to/from Control
         * Registers", Protected Mode Exceptions). */
        if (!(x->reg == 0 || (x->reg >= 2 && x->reg <= 4) ||
              (x->reg == 8 && insn->mode == X86_MODE_64)))
            x->ud = true;
        set_reg(op, X86_REG_CR, x->reg, v);
        return true;
    case X86_OPS_Dd:
        /* DR8-DR15 do not exist: REX.R is #UD (SDM Vol. 2B "MOV-Move
         * to/from Debug Registers"). */
        if (x->reg > 7)
            x->ud = true;
        set_reg(op, X86_REG_DR, (uint8_t)(x->reg & 7), v);
        return true;

    case X86_OPS_Ib: return set_imm(x, op, 1, 1, false);
    case X86_OPS_Ibs: return set_imm(x, op, 1, v, true);
    case X86_OPS_Iw: return set_imm(x, op, 2, 2, false);
    case X86_OPS_Iz: return set_imm(x, op, z, v, true);
    case X86_OPS_Iv: return set_imm(x, op, v, v, false);
    case X86_OPS_I1:
        op->kind = X86_OPERAND_IMM;
        op->size = 1;
        op->flags = X86_OPF_IMPLICIT;
        op->imm.value = 1;
        return true;

    case X86_OPS_Jb:
    case X86_OPS_Jz: {
        unsigned n = spec == X86_OPS_Jb ? 1 : z;
        uint64_t raw;
        if (!next_le(x, n, &raw))
            return false;
        op->kind = X86_OPERAND_REL;
        op->size = v;
        op->rel.disp = sign_extend(raw, n);
        return true; /* target needs the final length: see finish() */
    }
    case X86_OPS_Ap: {
        uint64_t off, sel;
        if (!next_le(x, z, &off) || !next_le(x, 2, &sel))
            return false;
        op->kind = X86_OPERAND_FAR;
        op->size = (uint8_t)(z + 2);
        op->far.offset = (uint32_t)off;
        op->far.selector = (uint16_t)sel;
        return true;
    }
    case X86_OPS_Ob:
    case X86_OPS_Ov: {
        /* moffs: an absolute offset as wide as the address size, no ModRM
         * (SDM Vol. 2B "MOV", note on moffs8/16/32/64). */
        uint64_t off;
        if (!next_le(x, insn->address_size, &off))
            return false;
        op->kind = X86_OPERAND_MEM;
        op->size = spec == X86_OPS_Ob ? 1 : v;
        op->mem.segment = X86_SEG_DS;
        op->mem.base = X86_NO_REG;
        op->mem.index = X86_NO_REG;
        op->mem.scale = 1;
        op->mem.addr_size = insn->address_size;
        op->mem.disp = (int64_t)off;
        op->mem.disp_size = insn->address_size;
        apply_override(insn, &op->mem);
        return true;
    }

    case X86_OPS_AL: set_gpr(x, op, X86_RAX, 1); return true;
    case X86_OPS_CL: set_gpr(x, op, X86_RCX, 1); return true;
    case X86_OPS_rAX: set_gpr(x, op, X86_RAX, v); return true;
    case X86_OPS_eAX: set_gpr(x, op, X86_RAX, z); return true;
    case X86_OPS_DX:
        set_gpr(x, op, X86_RDX, 2);
        op->flags = X86_OPF_PORT;
        return true;
    case X86_OPS_Zb:
        set_gpr(x, op, (uint8_t)((insn->opcode & 7) | rex_b), 1);
        return true;
    case X86_OPS_Zv:
        set_gpr(x, op, (uint8_t)((insn->opcode & 7) | rex_b), v);
        return true;
    case X86_OPS_ES: set_reg(op, X86_REG_SEG, X86_SEG_ES, 2); return true;
    case X86_OPS_CS: set_reg(op, X86_REG_SEG, X86_SEG_CS, 2); return true;
    case X86_OPS_SS: set_reg(op, X86_REG_SEG, X86_SEG_SS, 2); return true;
    case X86_OPS_DS: set_reg(op, X86_REG_SEG, X86_SEG_DS, 2); return true;
    case X86_OPS_FS: set_reg(op, X86_REG_SEG, X86_SEG_FS, 2); return true;
    case X86_OPS_GS: set_reg(op, X86_REG_SEG, X86_SEG_GS, 2); return true;

    case X86_OPS_Xb: set_string_mem(x, op, X86_RSI, false, 1); return true;
    case X86_OPS_Xv: set_string_mem(x, op, X86_RSI, false, v); return true;
    case X86_OPS_Xz: set_string_mem(x, op, X86_RSI, false, z); return true;
    case X86_OPS_Yb: set_string_mem(x, op, X86_RDI, true, 1); return true;
    case X86_OPS_Yv: set_string_mem(x, op, X86_RDI, true, v); return true;
    case X86_OPS_Yz: set_string_mem(x, op, X86_RDI, true, z); return true;
    case X86_OPS_XLAT: set_string_mem(x, op, X86_RBX, false, 1); return true;
    default:
        return true;
    }
}

/* ---- names ------------------------------------------------------------ */

#define X86_MNEMONIC_NAME_(id, name) name,
static const char *const x86_mnemonic_names[X86_MN_COUNT_] = {
    X86_MNEMONICS(X86_MNEMONIC_NAME_)
};
#undef X86_MNEMONIC_NAME_

const char *x86_mnemonic_name(x86_mnemonic mnemonic)
{
    if ((unsigned)mnemonic >= X86_MN_COUNT_)
        return "(bad)";
    return x86_mnemonic_names[mnemonic];
}

const char *x86_status_name(x86_status status)
{
    switch (status) {
    case X86_DECODE_OK: return "ok";
    case X86_DECODE_TRUNCATED: return "truncated";
    case X86_DECODE_TOO_LONG: return "longer than 15 bytes";
    case X86_DECODE_UNKNOWN_OPCODE: return "unknown opcode";
    case X86_DECODE_INVALID_MODE: return "invalid in this mode";
    case X86_DECODE_UNDEFINED: return "undefined encoding (#UD)";
    case X86_DECODE_BAD_ARGUMENT: return "bad argument";
    }
    return "unknown status";
}

/* Index 0-3 for a 1/2/4/8-byte size. */
static unsigned size_index(uint8_t size)
{
    return size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
}

/* The SDM spelling with condition and size resolved. */
static const char *insn_name(const x86_insn *insn)
{
    static const char *const jcc[16] = {
        "jo", "jno", "jb", "jae", "je", "jne", "jbe", "ja",
        "js", "jns", "jp", "jnp", "jl", "jge", "jle", "jg" };
    static const char *const setcc[16] = {
        "seto", "setno", "setb", "setae", "sete", "setne", "setbe", "seta",
        "sets", "setns", "setp", "setnp", "setl", "setge", "setle", "setg" };
    static const char *const cmovcc[16] = {
        "cmovo", "cmovno", "cmovb", "cmovae", "cmove", "cmovne", "cmovbe",
        "cmova", "cmovs", "cmovns", "cmovp", "cmovnp", "cmovl", "cmovge",
        "cmovle", "cmovg" };
    /* Indexed by size_index(): byte, word, dword, qword. */
    static const char *const sized[][4] = {
        [X86_MN_CBW] = { "cbw", "cbw", "cwde", "cdqe" },
        [X86_MN_CWD] = { "cwd", "cwd", "cdq", "cqo" },
        [X86_MN_PUSHA] = { "pusha", "pusha", "pushad", "pushad" },
        [X86_MN_POPA] = { "popa", "popa", "popad", "popad" },
        [X86_MN_PUSHF] = { "pushf", "pushf", "pushfd", "pushfq" },
        [X86_MN_POPF] = { "popf", "popf", "popfd", "popfq" },
        [X86_MN_IRET] = { "iret", "iret", "iretd", "iretq" },
        [X86_MN_MOVS] = { "movsb", "movsw", "movsd", "movsq" },
        [X86_MN_CMPS] = { "cmpsb", "cmpsw", "cmpsd", "cmpsq" },
        [X86_MN_STOS] = { "stosb", "stosw", "stosd", "stosq" },
        [X86_MN_LODS] = { "lodsb", "lodsw", "lodsd", "lodsq" },
        [X86_MN_SCAS] = { "scasb", "scasw", "scasd", "scasq" },
        [X86_MN_INS] = { "insb", "insw", "insd", "insd" },    /* no insq: IO32 */
        [X86_MN_OUTS] = { "outsb", "outsw", "outsd", "outsd" },
        [X86_MN_JCXZ] = { "jcxz", "jcxz", "jecxz", "jrcxz" },
    };
    unsigned mn = insn->mnemonic;

    switch (mn) {
    case X86_MN_JCC: return jcc[insn->cond & 15];
    case X86_MN_SETCC: return setcc[insn->cond & 15];
    case X86_MN_CMOVCC: return cmovcc[insn->cond & 15];
    case X86_MN_JCXZ: return sized[mn][size_index(insn->address_size)];
    case X86_MN_CMPXCHG8B:
        return (insn->rex & X86_REX_W) ? "cmpxchg16b" : "cmpxchg8b";
    default:
        break;
    }
    if (mn < sizeof sized / sizeof sized[0] && sized[mn][0] != NULL)
        return sized[mn][size_index(insn->operand_size)];
    return x86_mnemonic_name((x86_mnemonic)mn);
}

/* ---- the decoder ------------------------------------------------------ */

/* Legacy prefixes and REX (SDM Vol. 2A §2.1.1, §2.2.1).  Returns the first
 * non-prefix byte in *opcode. */
static bool decode_prefixes(x86_ctx *x, uint8_t *opcode, bool *any_rep)
{
    x86_insn *insn = x->insn;
    for (;;) {
        uint8_t b;
        if (!next_byte(x, &b))
            return false;
        switch (b) {
        case 0xF0: insn->prefixes |= X86_PFX_LOCK; break;
        case 0xF2:
            insn->prefixes = (uint16_t)((insn->prefixes & ~X86_PFX_REPZ) | X86_PFX_REPNZ);
            *any_rep = true;
            break;
        case 0xF3:
            insn->prefixes = (uint16_t)((insn->prefixes & ~X86_PFX_REPNZ) | X86_PFX_REPZ);
            *any_rep = true;
            break;
        case 0x26: insn->segment = X86_SEG_ES; break;
        case 0x2E: insn->segment = X86_SEG_CS; break;
        case 0x36: insn->segment = X86_SEG_SS; break;
        case 0x3E: insn->segment = X86_SEG_DS; break;
        case 0x64: insn->segment = X86_SEG_FS; break;
        case 0x65: insn->segment = X86_SEG_GS; break;
        case 0x66: insn->prefixes |= X86_PFX_OPSIZE; break;
        case 0x67: insn->prefixes |= X86_PFX_ADDRSIZE; break;
        default:
            if (insn->mode == X86_MODE_64 && (b & 0xF0) == 0x40) {
                insn->rex = b; /* a later REX replaces an earlier one */
                continue;
            }
            *opcode = b;
            return true;
        }
        /* A legacy prefix after REX makes that REX ignored: REX must be
         * the byte right before the opcode (SDM Vol. 2A §2.2.1). */
        insn->rex = 0;
    }
}

/* Operand size (SDM Vol. 2A §2.2.1.2 Table 2-4, §2.2.1.7 for D64/F64;
 * Vol. 1 §3.6 Table 3-3 for 16/32-bit modes). */
static uint8_t operand_size(const x86_insn *insn, uint16_t flags)
{
    bool p66 = (insn->prefixes & X86_PFX_OPSIZE) != 0;
    if (insn->mode == X86_MODE_64) {
        if (flags & (X86_OPC_F64 | X86_OPC_NATIVE))
            return 8;
        /* REX.W takes precedence over 66 (SDM Vol. 1 §3.6.1), but port I/O
         * has no 64-bit form: with REX.W, INS/OUTS/IN/OUT still move 32
         * bits (their operands are 'z'-sized, SDM Vol. 2A §A.2.2). */
        if (insn->rex & X86_REX_W)
            return (flags & X86_OPC_IO32) ? 4 : 8;
        if (flags & X86_OPC_D64)
            return p66 ? 2 : 8;
        return p66 ? 2 : 4;
    }
    if (flags & X86_OPC_NATIVE)
        return 4;
    return ((insn->mode == X86_MODE_16) != p66) ? 2 : 4;
}

/* Address size (SDM Vol. 1 §3.6 Table 3-3, Vol. 2A §2.2.1.3). */
static uint8_t address_size(const x86_insn *insn)
{
    bool p67 = (insn->prefixes & X86_PFX_ADDRSIZE) != 0;
    if (insn->mode == X86_MODE_64)
        return p67 ? 4 : 8;
    return ((insn->mode == X86_MODE_16) != p67) ? 2 : 4;
}

static bool spec_is_modrm_rm(uint8_t spec)
{
    return spec >= X86_OPS_Eb && spec <= X86_OPS_Ma;
}

/* Resolve the table row for the opcode byte (and ModRM for groups). */
static x86_status lookup(x86_ctx *x, bool any_rep)
{
    x86_insn *insn = x->insn;
    const x86_opcode *row;
    if (insn->map == X86_MAP_0F) {
        row = &x86_opcode_0f[insn->opcode];
    } else {
        row = &x86_opcode_primary[insn->opcode];
        if (insn->opcode == 0x63 && insn->mode == X86_MODE_64)
            row = &x86_opcode_movsxd;
        /* 90 is NOP (F3 90 PAUSE) unless REX.B names R8 (SDM Vol. 2B
         * "XCHG": "XCHG (E)AX, (E)AX is an alias for NOP"). */
        if (insn->opcode == 0x90 && !(insn->rex & X86_REX_B))
            row = (insn->prefixes & X86_PFX_REPZ) ? &x86_opcode_pause : &x86_opcode_nop;
    }
    uint16_t flags = row->flags;
    if (row->mnemonic == X86_MN_INVALID && !(flags & X86_OPC_GROUP))
        return X86_DECODE_UNKNOWN_OPCODE;
    /* C4/C5/62 are VEX/EVEX escapes in 64-bit mode: not supported. */
    if ((flags & X86_OPC_VEXLIKE) && insn->mode == X86_MODE_64)
        return X86_DECODE_UNKNOWN_OPCODE;
    if ((flags & X86_OPC_I64) && insn->mode == X86_MODE_64)
        return X86_DECODE_INVALID_MODE;
    if ((flags & X86_OPC_O64) && insn->mode != X86_MODE_64)
        return X86_DECODE_INVALID_MODE;

    if (flags & X86_OPC_MODRM) {
        uint8_t modrm;
        if (!next_byte(x, &modrm))
            return x->err;
        insn->has_modrm = true;
        insn->modrm = modrm;
        x->mod = (uint8_t)(modrm >> 6);
        x->reg = (uint8_t)(((modrm >> 3) & 7) | ((insn->rex & X86_REX_R) ? 8 : 0));
        x->rm = (uint8_t)((modrm & 7) | ((insn->rex & X86_REX_B) ? 8 : 0));
        /* In 16/32-bit modes C4/C5/62 with mod = 11b are VEX/EVEX
         * (SDM Vol. 2A §2.3.5, §2.7.1). */
        if ((flags & X86_OPC_VEXLIKE) && x->mod == 3)
            return X86_DECODE_UNKNOWN_OPCODE;
        if (flags & X86_OPC_GROUP) {
            const x86_opcode *sub = &x86_opcode_groups[row->group][(modrm >> 3) & 7];
            if ((sub->flags & X86_OPC_REGFORM) && x->mod == 3)
                sub = x86_opcode_regform(insn->map, insn->opcode, modrm);
            if (sub == NULL || sub->mnemonic == X86_MN_INVALID)
                return X86_DECODE_UNKNOWN_OPCODE;
            flags = (uint16_t)((flags & ~X86_OPC_GROUP) | sub->flags);
            row = sub;
            if ((flags & X86_OPC_O64) && insn->mode != X86_MODE_64)
                return X86_DECODE_INVALID_MODE;
        }
    }
    /* Where 66/F2/F3 act as mandatory prefixes they name instructions
     * outside the table (SDM Vol. 2A §2.1.2, Table A-3 notes). */
    if ((flags & X86_OPC_NOREP) && any_rep)
        return X86_DECODE_UNKNOWN_OPCODE;
    if ((flags & X86_OPC_NO66) && (insn->prefixes & X86_PFX_OPSIZE))
        return X86_DECODE_UNKNOWN_OPCODE;
    x->row = row;
    x->flags = flags;
    return X86_DECODE_OK;
}

/* Work that needs the final length or all operands. */
static void finish(x86_ctx *x)
{
    x86_insn *insn = x->insn;
    insn->length = x->pos;
    for (unsigned i = 0; i < insn->num_operands; i++) {
        x86_operand *op = &insn->operands[i];
        if (op->kind == X86_OPERAND_REL) {
            uint64_t next = insn->address + insn->length;
            op->rel.target = mask_to(next + (uint64_t)op->rel.disp, op->size);
        }
        if (op->kind == X86_OPERAND_MEM && op->size != 0) {
            if (op->access & X86_ACCESS_READ)
                insn->flags |= X86_INSN_READS_MEM;
            if (op->access & X86_ACCESS_WRITE)
                insn->flags |= X86_INSN_WRITES_MEM;
        }
    }
    /* LOCK is only legal on the listed read-modify-write instructions with
     * a memory destination (SDM Vol. 2A "LOCK"). */
    if (insn->prefixes & X86_PFX_LOCK) {
        if ((x->flags & X86_OPC_LOCK) && insn->operands[0].kind == X86_OPERAND_MEM)
            insn->flags |= X86_INSN_LOCKED;
        else
            x->ud = true;
    }
    if ((insn->flags & X86_INSN_STRING) &&
        (insn->prefixes & (X86_PFX_REPZ | X86_PFX_REPNZ)))
        insn->flags |= X86_INSN_REP;
    /* Register operand where only memory makes sense (lea, les, ...). */
    if ((x->flags & X86_OPC_MEMONLY) && x->mod == 3)
        x->ud = true;
    /* MOV to CS is #UD (SDM Vol. 2B "MOV": "the MOV instruction cannot be
     * used to load the CS register"). */
    if (insn->mnemonic == X86_MN_MOV && insn->operands[0].kind == X86_OPERAND_REG &&
        insn->operands[0].reg.cls == X86_REG_SEG && insn->operands[0].reg.num == X86_SEG_CS)
        x->ud = true;
    insn->name = insn_name(insn);
}

static x86_status decode(x86_ctx *x)
{
    x86_insn *insn = x->insn;
    bool any_rep = false;
    uint8_t b;

    if (!decode_prefixes(x, &b, &any_rep))
        return x->err;
    insn->num_prefixes = (uint8_t)(x->pos - 1);
    if (insn->rex != 0)
        insn->prefixes |= X86_PFX_REX;
    if (insn->segment != X86_SEG_NONE)
        insn->prefixes |= X86_PFX_SEG;

    if (b == 0x0F) {
        insn->map = X86_MAP_0F;
        if (!next_byte(x, &b))
            return x->err;
        insn->opcode = b;
        /* 0F 38 / 0F 3A three-byte maps are outside the table. */
        if (b == 0x38 || b == 0x3A)
            return X86_DECODE_UNKNOWN_OPCODE;
    }
    insn->opcode = b;

    x86_status st = lookup(x, any_rep);
    if (st != X86_DECODE_OK)
        return st;

    const x86_opcode *row = x->row;
    insn->mnemonic = row->mnemonic;
    insn->flags = row->iflags;
    if (x->flags & X86_OPC_COND)
        insn->cond = insn->opcode & 15;
    x->vsize = operand_size(insn, x->flags);
    insn->operand_size = (x->flags & X86_OPC_BYTE) ? 1 : x->vsize;
    insn->address_size = address_size(insn);

    /* ModRM addressing bytes (SIB, displacement) precede any immediate,
     * so decode them before walking the operand list. */
    if (insn->has_modrm && x->mod != 3) {
        bool uses_mem = false;
        for (unsigned i = 0; i < 3; i++)
            uses_mem = uses_mem || spec_is_modrm_rm(row->ops[i]);
        if (uses_mem && !decode_modrm_mem(x))
            return x->err;
    }
    for (unsigned i = 0; i < 3 && row->ops[i] != X86_OPS_NONE; i++) {
        x86_operand *op = &insn->operands[i];
        if (!decode_operand(x, row->ops[i], op))
            return x->err;
        op->access = (uint8_t)((row->access >> (2 * i)) & 3);
        insn->num_operands = (uint8_t)(i + 1);
    }
    finish(x);
    return x->ud ? X86_DECODE_UNDEFINED : X86_DECODE_OK;
}

x86_status x86_decode(const uint8_t *code, size_t len, x86_mode mode,
                      uint64_t address, x86_insn *insn)
{
    if (insn == NULL)
        return X86_DECODE_BAD_ARGUMENT;
    clear_insn(insn);
    insn->address = address;
    insn->mode = (uint8_t)mode;
    insn->segment = X86_SEG_NONE;
    insn->cond = X86_COND_NONE;
    insn->name = "(bad)";
    if ((mode != X86_MODE_16 && mode != X86_MODE_32 && mode != X86_MODE_64) ||
        (code == NULL && len != 0))
        return X86_DECODE_BAD_ARGUMENT;

    x86_ctx x = { .code = code, .len = len, .insn = insn };
    x86_status st = decode(&x);
    if (st != X86_DECODE_OK && st != X86_DECODE_UNDEFINED)
        insn->length = 0; /* never report a guessed length */
    return st;
}
