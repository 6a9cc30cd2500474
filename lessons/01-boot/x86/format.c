/**
 * @file format.c
 * @brief AT&T-syntax formatter matching GNU objdump's conventions.
 *
 * AT&T syntax (the GNU assembler's, see the gas manual "i386-Syntax")
 * differs from the SDM's Intel syntax in three ways that matter here:
 * operands are reversed (source first), registers and immediates carry
 * `%` and `$`, and memory is written `seg:disp(base,index,scale)`.  Where
 * AT&T leaves room for choice (when to add a b/w/l/q size suffix, how to
 * show a SIB byte without index), this file follows objdump 2.40 so that
 * the unit tests can compare both outputs byte for byte; each such rule
 * is commented with the objdump behaviour it mirrors.
 */
#include "x86/format.h"

/** Output cursor with snprintf() semantics. */
typedef struct x86_out {
    char *buf;   /**< destination */
    size_t size; /**< bytes at buf */
    size_t len;  /**< length of the full text so far */
} x86_out;

static void put_char(x86_out *o, char c)
{
    if (o->size != 0 && o->len < o->size - 1)
        o->buf[o->len] = c;
    o->len++;
}

static void put_str(x86_out *o, const char *s)
{
    while (*s != '\0')
        put_char(o, *s++);
}

/* "0x" followed by lower-case hex digits without leading zeros. */
static void put_hex(x86_out *o, uint64_t v)
{
    char digits[16];
    unsigned n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v != 0);
    put_str(o, "0x");
    while (n > 0)
        put_char(o, digits[--n]);
}

static void put_dec(x86_out *o, unsigned v)
{
    if (v >= 10)
        put_dec(o, v / 10);
    put_char(o, (char)('0' + v % 10));
}

/* A signed displacement: "-0x8", "0x10" (objdump's print_displacement). */
static void put_disp(x86_out *o, int64_t d)
{
    if (d < 0) {
        put_char(o, '-');
        put_hex(o, 0 - (uint64_t)d);
    } else {
        put_hex(o, (uint64_t)d);
    }
}

static uint64_t mask_to(uint64_t v, unsigned bytes)
{
    return bytes >= 8 ? v : v & ((UINT64_C(1) << (8 * bytes)) - 1);
}

/* ---- registers -------------------------------------------------------- */

static const char *const gpr_names[4][16] = {
    { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
      "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b" },
    { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
      "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w" },
    { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
      "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" },
    { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
      "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" },
};
static const char *const high8_names[4] = { "ah", "ch", "dh", "bh" };
static const char *const seg_names[6] = { "es", "cs", "ss", "ds", "fs", "gs" };

static unsigned size_index(unsigned size)
{
    return size <= 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
}

static void put_gpr(x86_out *o, unsigned num, unsigned size)
{
    put_char(o, '%');
    put_str(o, gpr_names[size_index(size)][num & 15]);
}

static void put_reg(x86_out *o, const x86_operand *op)
{
    const x86_reg *r = &op->reg;
    switch (r->cls) {
    case X86_REG_GPR:
        put_gpr(o, r->num, op->size);
        break;
    case X86_REG_GPR_HIGH8:
        put_char(o, '%');
        put_str(o, high8_names[r->num & 3]);
        break;
    case X86_REG_SEG:
        put_char(o, '%');
        put_str(o, r->num < 6 ? seg_names[r->num] : "?");
        break;
    case X86_REG_CR:
        put_str(o, "%cr");
        put_dec(o, r->num);
        break;
    case X86_REG_DR:
        /* objdump (and gas) spell debug registers %db0-%db7. */
        put_str(o, "%db");
        put_dec(o, r->num);
        break;
    default:
        put_str(o, "%?");
        break;
    }
}

/* ---- memory ----------------------------------------------------------- */

/* Does the segment override prefix take effect on ModRM/moffs/DS:rSI
 * operands?  Not for ES/CS/SS/DS in 64-bit mode (SDM Vol. 1 §3.3.7.1). */
static bool override_applies(const x86_insn *insn)
{
    if (insn->segment == X86_SEG_NONE)
        return false;
    return insn->mode != X86_MODE_64 || insn->segment == X86_SEG_FS ||
           insn->segment == X86_SEG_GS;
}

/* CET: a 3E prefix on an indirect near call/jmp is the NOTRACK hint (SDM
 * Vol. 1, Control-flow Enforcement Technology, "NOTRACK prefix").  objdump
 * names it rather than showing the %ds: override it also is. */
static bool is_notrack(const x86_insn *insn)
{
    return insn->segment == X86_SEG_DS && insn->map == X86_MAP_PRIMARY &&
           insn->opcode == 0xFF &&
           (insn->mnemonic == X86_MN_CALL || insn->mnemonic == X86_MN_JMP);
}

/* 16-bit forms: disp(%bx,%si); objdump prints even [disp16] signed. */
static void put_mem16(x86_out *o, const x86_mem *m)
{
    if (m->disp_size != 0)
        put_disp(o, m->disp);
    if (m->base == X86_NO_REG && m->index == X86_NO_REG)
        return;
    put_char(o, '(');
    if (m->base != X86_NO_REG)
        put_gpr(o, m->base, 2);
    if (m->index != X86_NO_REG) {
        put_char(o, ',');
        put_gpr(o, m->index, 2);
    }
    put_char(o, ')');
}

/* 32/64-bit ModRM forms, following objdump's OP_E_memory: a SIB byte
 * without index is shown with the pseudo-register %eiz/%riz when that is
 * needed to tell the encoding apart from the shorter one (e.g. SIB with
 * base EAX, or disp32 via SIB in 32-bit code). */
static void put_mem32(x86_out *o, const x86_insn *insn, const x86_mem *m)
{
    unsigned asz = m->addr_size;
    bool havesib = insn->has_sib;
    bool havebase = m->base != X86_NO_REG;
    bool haveindex = m->index != X86_NO_REG;
    unsigned ss = havesib ? (unsigned)(insn->sib >> 6) : 0;
    bool needindex = false;
    int64_t disp = m->disp;

    if (havesib && !havebase && !haveindex) {
        if (insn->mode == X86_MODE_64) {
            if (asz == 4) {
                disp = (int64_t)(uint32_t)disp;
                needindex = true;
            }
        } else if (insn->mode == X86_MODE_32) {
            needindex = true;
        }
    }
    bool havedisp = havebase || needindex || (havesib && (haveindex || ss != 0));
    if (m->disp_size != 0) {
        if (havedisp)
            put_disp(o, disp);
        else
            put_hex(o, insn->mode == X86_MODE_64 ? (uint64_t)disp : (uint32_t)disp);
    }
    if (!havedisp)
        return;
    put_char(o, '(');
    if (havebase)
        put_gpr(o, m->base, asz);
    if (havesib && (ss != 0 || needindex || haveindex || (havebase && (m->base & 7) != 4))) {
        put_char(o, ',');
        if (haveindex)
            put_gpr(o, m->index, asz);
        else
            put_str(o, asz == 8 ? "%riz" : "%eiz");
        put_char(o, ',');
        put_dec(o, 1u << ss);
    }
    put_char(o, ')');
}

static void put_mem(x86_out *o, const x86_insn *insn, const x86_operand *op)
{
    const x86_mem *m = &op->mem;
    if ((op->flags & X86_OPF_STRING) || (override_applies(insn) && !is_notrack(insn))) {
        put_char(o, '%');
        put_str(o, m->segment < 6 ? seg_names[m->segment] : "?");
        put_char(o, ':');
    }
    if (op->flags & X86_OPF_STRING) {
        put_char(o, '(');
        put_gpr(o, m->base, m->addr_size);
        put_char(o, ')');
    } else if (!insn->has_modrm) {
        put_hex(o, mask_to((uint64_t)m->disp, m->addr_size)); /* moffs */
    } else if (m->rip_relative) {
        put_disp(o, m->disp);
        put_str(o, m->addr_size == 8 ? "(%rip)" : "(%eip)");
    } else if (m->addr_size == 2) {
        put_mem16(o, m);
    } else {
        put_mem32(o, insn, m);
    }
}

/* ---- operands --------------------------------------------------------- */

static void put_operand(x86_out *o, const x86_insn *insn, const x86_operand *op)
{
    switch (op->kind) {
    case X86_OPERAND_REG:
        if (op->flags & X86_OPF_PORT)
            put_str(o, "(%dx)");
        else
            put_reg(o, op);
        break;
    case X86_OPERAND_IMM:
        put_char(o, '$');
        put_hex(o, op->imm.value);
        break;
    case X86_OPERAND_REL:
        put_hex(o, op->rel.target);
        break;
    case X86_OPERAND_FAR:
        put_char(o, '$');
        put_hex(o, op->far.selector);
        put_str(o, ",$");
        put_hex(o, op->far.offset);
        break;
    case X86_OPERAND_MEM:
        put_mem(o, insn, op);
        break;
    default:
        break;
    }
}

/* ---- mnemonic --------------------------------------------------------- */

/* When objdump adds a b/w/l/q suffix (its template letters in i386-dis.c). */
enum x86_suffix_rule {
    SFX_NONE,   /* never */
    SFX_NOREG,  /* no register operand fixes the size ('A', 'Q') */
    SFX_OPSIZE, /* only if a 66 prefix changed the default ('P', 'T', '@') */
    SFX_ALWAYS  /* always (string moves/compares, ins/outs) */
};

static enum x86_suffix_rule suffix_rule(unsigned mn)
{
    switch (mn) {
    case X86_MN_ADD: case X86_MN_OR: case X86_MN_ADC: case X86_MN_SBB:
    case X86_MN_AND: case X86_MN_SUB: case X86_MN_XOR: case X86_MN_CMP:
    case X86_MN_MOV: case X86_MN_TEST: case X86_MN_INC: case X86_MN_DEC:
    case X86_MN_NOT: case X86_MN_NEG: case X86_MN_MUL: case X86_MN_IMUL:
    case X86_MN_DIV: case X86_MN_IDIV: case X86_MN_ROL: case X86_MN_ROR:
    case X86_MN_RCL: case X86_MN_RCR: case X86_MN_SHL: case X86_MN_SHR:
    case X86_MN_SAR: case X86_MN_BT: case X86_MN_BTS: case X86_MN_BTR:
    case X86_MN_BTC: case X86_MN_NOP:
        return SFX_NOREG;
    case X86_MN_PUSH: case X86_MN_POP: case X86_MN_CALL: case X86_MN_JMP:
    case X86_MN_CALLF: case X86_MN_JMPF: case X86_MN_RET: case X86_MN_RETF:
    case X86_MN_IRET: case X86_MN_ENTER: case X86_MN_LEAVE:
    case X86_MN_PUSHF: case X86_MN_POPF: case X86_MN_PUSHA: case X86_MN_POPA:
        return SFX_OPSIZE;
    case X86_MN_MOVS: case X86_MN_CMPS: case X86_MN_INS: case X86_MN_OUTS:
        return SFX_ALWAYS;
    default:
        return SFX_NONE;
    }
}

static char size_letter(unsigned size)
{
    return "bwlq"[size_index(size)];
}

/* Is there a register operand that shows the operand size?  The %cl
 * count of a shift does not (objdump prints "shll %cl,(%eax)"). */
static bool has_reg_operand(const x86_insn *insn, bool gpr_only)
{
    bool shift = insn->mnemonic >= X86_MN_ROL && insn->mnemonic <= X86_MN_SAR;
    for (unsigned i = 0; i < insn->num_operands; i++) {
        const x86_operand *op = &insn->operands[i];
        if (op->kind != X86_OPERAND_REG || (shift && i == 1))
            continue;
        if (!gpr_only || op->reg.cls == X86_REG_GPR || op->reg.cls == X86_REG_GPR_HIGH8)
            return true;
    }
    return false;
}

static bool is_near_branch(unsigned mn)
{
    return mn == X86_MN_CALL || mn == X86_MN_JMP || mn == X86_MN_RET;
}

static void put_mnemonic(x86_out *o, const x86_insn *insn)
{
    static const char *const cbw_att[4] = { "cbtw", "cbtw", "cwtl", "cltq" };
    static const char *const cwd_att[4] = { "cwtd", "cwtd", "cltd", "cqto" };
    unsigned mn = insn->mnemonic;
    unsigned osz = insn->operand_size;
    bool p66 = (insn->prefixes & X86_PFX_OPSIZE) != 0;
    bool rex_w = (insn->rex & X86_REX_W) != 0;

    switch (mn) {
    case X86_MN_CBW: put_str(o, cbw_att[size_index(osz)]); return;
    case X86_MN_CWD: put_str(o, cwd_att[size_index(osz)]); return;
    case X86_MN_MOVZX:
    case X86_MN_MOVSX:
        /* movzbl, movswq, ...: source then destination size. */
        put_str(o, mn == X86_MN_MOVZX ? "movz" : "movs");
        put_char(o, size_letter(insn->operands[1].size));
        put_char(o, size_letter(osz));
        return;
    case X86_MN_MOVSXD:
        put_str(o, rex_w ? "movslq" : "movsxd");
        return;
    case X86_MN_JCC: case X86_MN_SETCC: case X86_MN_CMOVCC:
    case X86_MN_JCXZ: case X86_MN_CMPXCHG8B:
        put_str(o, insn->name);
        return;
    case X86_MN_LOOP: case X86_MN_LOOPE: case X86_MN_LOOPNE:
        /* objdump names the counter width only when 67 changed it. */
        put_str(o, x86_mnemonic_name((x86_mnemonic)mn));
        if (insn->prefixes & X86_PFX_ADDRSIZE)
            put_char(o, insn->address_size == 2 ? 'w' : 'l');
        return;
    case X86_MN_SGDT: case X86_MN_SIDT: case X86_MN_LGDT: case X86_MN_LIDT:
        /* 16/32-bit code: sgdtw/sgdtl says how much of the base is used;
         * 64-bit code has only one form. */
        put_str(o, x86_mnemonic_name((x86_mnemonic)mn));
        if (insn->mode != X86_MODE_64)
            put_char(o, size_letter(osz));
        return;
    case X86_MN_CALLF: put_str(o, "lcall"); break;
    case X86_MN_JMPF: put_str(o, "ljmp"); break;
    case X86_MN_RETF: put_str(o, "lret"); break;
    case X86_MN_MOV:
        /* 64-bit immediates and 64-bit moffs are spelled movabs. */
        if (insn->map == X86_MAP_PRIMARY &&
            ((insn->opcode >= 0xA0 && insn->opcode <= 0xA3 && insn->address_size == 8) ||
             (insn->opcode >= 0xB8 && insn->opcode <= 0xBF && osz == 8))) {
            put_str(o, "movabs");
            return;
        }
        put_str(o, "mov");
        break;
    default:
        put_str(o, x86_mnemonic_name((x86_mnemonic)mn));
        break;
    }

    switch (suffix_rule(mn)) {
    case SFX_NOREG:
        if (insn->num_operands != 0 && !has_reg_operand(insn, false))
            put_char(o, size_letter(osz));
        break;
    case SFX_OPSIZE:
        if (insn->mode == X86_MODE_64 && is_near_branch(mn))
            break; /* 66 is ignored there (Intel 64), see decode.h */
        if (p66 && !has_reg_operand(insn, true))
            put_char(o, size_letter(osz));
        else if (!p66 && rex_w && (mn == X86_MN_IRET || mn == X86_MN_RETF))
            put_char(o, 'q');
        break;
    case SFX_ALWAYS:
        put_char(o, size_letter(osz));
        break;
    case SFX_NONE:
        break;
    }
}

/* ---- prefixes --------------------------------------------------------- */

static bool has_mem_operand(const x86_insn *insn)
{
    for (unsigned i = 0; i < insn->num_operands; i++)
        if (insn->operands[i].kind == X86_OPERAND_MEM)
            return true;
    return false;
}

/* Did a 66 prefix change anything?  Instructions without a size-dependent
 * operand or behaviour get objdump's "data16"/"data32" prefix word. */
static bool opsize_prefix_used(const x86_insn *insn)
{
    if (insn->operand_size == 1)
        return false;
    switch (insn->mnemonic) {
    case X86_MN_HLT: case X86_MN_CLI: case X86_MN_STI: case X86_MN_CLC:
    case X86_MN_STC: case X86_MN_CMC: case X86_MN_CLD: case X86_MN_STD:
    case X86_MN_SAHF: case X86_MN_LAHF: case X86_MN_INT: case X86_MN_INT3:
    case X86_MN_INTO: case X86_MN_UD2: case X86_MN_CPUID: case X86_MN_RDTSC:
    case X86_MN_RDMSR: case X86_MN_WRMSR: case X86_MN_RDPMC: case X86_MN_CLTS:
    case X86_MN_INVD: case X86_MN_WBINVD: case X86_MN_FWAIT: case X86_MN_LFENCE:
    case X86_MN_MFENCE: case X86_MN_SFENCE: case X86_MN_XGETBV: case X86_MN_XSETBV:
    case X86_MN_LLDT: case X86_MN_LTR: case X86_MN_VERR: case X86_MN_VERW:
    case X86_MN_LMSW: case X86_MN_INVLPG: case X86_MN_AAA: case X86_MN_AAS:
    case X86_MN_DAA: case X86_MN_DAS: case X86_MN_AAM: case X86_MN_AAD:
    case X86_MN_PAUSE: case X86_MN_SWAPGS: case X86_MN_RDTSCP: case X86_MN_RSM:
    case X86_MN_VMCALL: case X86_MN_VMLAUNCH: case X86_MN_VMRESUME:
    case X86_MN_VMXOFF: case X86_MN_CMPXCHG8B:
        return false;
    case X86_MN_SGDT: case X86_MN_SIDT: case X86_MN_LGDT: case X86_MN_LIDT:
        return insn->mode != X86_MODE_64;
    case X86_MN_LOOP: case X86_MN_LOOPE: case X86_MN_LOOPNE: case X86_MN_JCXZ:
        return false; /* rel8 only: objdump ignores 66 here */
    case X86_MN_JMP: case X86_MN_JCC:
        if (insn->map == X86_MAP_PRIMARY && (insn->opcode == 0xEB || (insn->opcode & 0xF0) == 0x70))
            return false; /* rel8, as above */
        return insn->mode != X86_MODE_64;
    case X86_MN_CALL: case X86_MN_RET:
        return insn->mode != X86_MODE_64;
    case X86_MN_IN: case X86_MN_OUT: case X86_MN_INS: case X86_MN_OUTS:
        return !(insn->rex & X86_REX_W); /* REX.W wins over 66 */
    case X86_MN_MOV:
        /* mov CRn/DRn ignores 66; mov Sreg to/from memory is always 16-bit. */
        if (insn->map == X86_MAP_0F)
            return false;
        if ((insn->opcode == 0x8C || insn->opcode == 0x8E) && has_mem_operand(insn))
            return false;
        return true;
    default:
        return true;
    }
}

/* Did a 67 prefix change anything?  objdump shows it even on moffs forms,
 * where it does change the offset width, and on base- and index-less
 * 32-bit addressing in 16-bit code. */
static bool addrsize_prefix_used(const x86_insn *insn)
{
    switch (insn->mnemonic) {
    case X86_MN_JCXZ: case X86_MN_LOOP: case X86_MN_LOOPE: case X86_MN_LOOPNE:
        return true;
    default:
        break;
    }
    for (unsigned i = 0; i < insn->num_operands; i++) {
        const x86_operand *op = &insn->operands[i];
        if (op->kind != X86_OPERAND_MEM)
            continue;
        if (op->flags & X86_OPF_STRING)
            return true;
        if (!insn->has_modrm)
            continue;
        if (insn->mode == X86_MODE_16 && op->mem.base == X86_NO_REG &&
            op->mem.index == X86_NO_REG)
            continue;
        return true;
    }
    return false;
}

/* Does the (last) segment override reach a memory operand? */
static bool segment_prefix_used(const x86_insn *insn)
{
    if (!override_applies(insn))
        return false;
    for (unsigned i = 0; i < insn->num_operands; i++) {
        const x86_operand *op = &insn->operands[i];
        if (op->kind == X86_OPERAND_MEM && op->mem.segment == insn->segment &&
            !((op->flags & X86_OPF_STRING) && op->mem.base == X86_RDI))
            return true;
    }
    return false;
}

/* Port I/O uses no REX bit at all: no ModRM, no register in the opcode,
 * and REX.W does not widen it (SDM Vol. 2A "IN", "INS"; decode.c).  objdump
 * then shows the REX as a prefix word ("rex.W insl"), and a 66 that REX.W
 * overrode (SDM Vol. 1 §3.6.1) as "data16". */
static bool rex_does_nothing(const x86_insn *insn)
{
    switch (insn->mnemonic) {
    case X86_MN_IN: case X86_MN_OUT: case X86_MN_INS: case X86_MN_OUTS:
        return true;
    default:
        return false;
    }
}

static bool is_rep_string(unsigned mn)
{
    return mn == X86_MN_MOVS || mn == X86_MN_STOS || mn == X86_MN_LODS ||
           mn == X86_MN_INS || mn == X86_MN_OUTS;
}

/* Prefix words in byte order, as objdump prints them. */
static void put_prefixes(x86_out *o, const x86_insn *insn)
{
    unsigned last_seg = X86_MAX_INSN_LEN;
    for (unsigned i = 0; i < insn->num_prefixes; i++) {
        uint8_t b = insn->bytes[i];
        if (b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E || b == 0x64 || b == 0x65)
            last_seg = i;
    }
    bool seg_used = segment_prefix_used(insn);
    bool p66_used = opsize_prefix_used(insn);
    bool p67_used = addrsize_prefix_used(insn);
    bool mode16 = insn->mode == X86_MODE_16;

    for (unsigned i = 0; i < insn->num_prefixes; i++) {
        const char *word = NULL;
        switch (insn->bytes[i]) {
        case 0xF0: word = "lock"; break;
        case 0xF2: word = "repnz"; break;
        case 0xF3:
            if (insn->mnemonic == X86_MN_PAUSE)
                break;
            word = is_rep_string(insn->mnemonic) ? "rep" : "repz";
            break;
        case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65:
            if (i == last_seg && is_notrack(insn)) {
                word = "notrack";
            } else if (!(seg_used && i == last_seg)) {
                uint8_t b = insn->bytes[i];
                word = seg_names[b == 0x26 ? X86_SEG_ES : b == 0x2E ? X86_SEG_CS :
                                 b == 0x36 ? X86_SEG_SS : b == 0x3E ? X86_SEG_DS :
                                 b == 0x64 ? X86_SEG_FS : X86_SEG_GS];
            }
            break;
        case 0x66:
            if (!p66_used)
                word = mode16 ? "data32" : "data16";
            break;
        case 0x67:
            if (!p67_used || (!insn->has_modrm && has_mem_operand(insn) &&
                              !(insn->flags & X86_INSN_STRING) &&
                              insn->mnemonic == X86_MN_MOV))
                word = insn->mode == X86_MODE_32 ? "addr16" : "addr32";
            break;
        default:
            /* REX: the effective one (right before the opcode) is shown
             * through the operands; an earlier, ignored one as "rex.WB",
             * and so is one that the instruction has no use for. */
            if (insn->mode == X86_MODE_64 &&
                (i + 1 < insn->num_prefixes || rex_does_nothing(insn))) {
                uint8_t b = insn->bytes[i];
                put_str(o, "rex");
                if (b & 0x0F)
                    put_char(o, '.');
                if (b & X86_REX_W)
                    put_char(o, 'W');
                if (b & X86_REX_R)
                    put_char(o, 'R');
                if (b & X86_REX_X)
                    put_char(o, 'X');
                if (b & X86_REX_B)
                    put_char(o, 'B');
                put_char(o, ' ');
            }
            break;
        }
        if (word != NULL) {
            put_str(o, word);
            put_char(o, ' ');
        }
    }
}

/* ---- entry point ------------------------------------------------------ */

size_t x86_format(const x86_insn *insn, char *buf, size_t size)
{
    x86_out o = { .buf = buf, .size = size, .len = 0 };
    unsigned mn = insn->mnemonic;

    /* 66 90 is "xchg %ax,%ax" to objdump, though it executes as NOP. */
    if (mn == X86_MN_NOP && insn->map == X86_MAP_PRIMARY &&
        (insn->prefixes & X86_PFX_OPSIZE)) {
        put_str(&o, "xchg   ");
        put_gpr(&o, X86_RAX, insn->operand_size);
        put_char(&o, ',');
        put_gpr(&o, X86_RAX, insn->operand_size);
    } else {
        put_prefixes(&o, insn);
        put_mnemonic(&o, insn);

        /* objdump pads prefixes+mnemonic to six columns, then one space. */
        unsigned shown = 0;
        for (unsigned i = 0; i < insn->num_operands; i++)
            if (!(insn->operands[i].flags & X86_OPF_IMPLICIT))
                shown++;
        if (shown != 0) {
            do
                put_char(&o, ' ');
            while (o.len < 7);
        }

        /* AT&T order is the reverse of Intel's, except that gas and
         * objdump keep ENTER's and BOUND's operands in Intel order. */
        bool reverse = mn != X86_MN_ENTER && mn != X86_MN_BOUND;
        bool indirect = mn == X86_MN_CALL || mn == X86_MN_JMP ||
                        mn == X86_MN_CALLF || mn == X86_MN_JMPF;
        bool first = true;
        for (unsigned k = 0; k < insn->num_operands; k++) {
            unsigned i = reverse ? insn->num_operands - 1 - k : k;
            const x86_operand *op = &insn->operands[i];
            if (op->flags & X86_OPF_IMPLICIT)
                continue;
            if (!first)
                put_char(&o, ',');
            first = false;
            if (indirect && (op->kind == X86_OPERAND_REG || op->kind == X86_OPERAND_MEM))
                put_char(&o, '*');
            put_operand(&o, insn, op);
        }

        /* objdump appends the absolute target of RIP-relative operands. */
        for (unsigned i = 0; i < insn->num_operands; i++) {
            const x86_operand *op = &insn->operands[i];
            if (op->kind == X86_OPERAND_MEM && op->mem.rip_relative) {
                uint64_t target = insn->address + insn->length + (uint64_t)op->mem.disp;
                put_str(&o, "        # ");
                put_hex(&o, mask_to(target, op->mem.addr_size));
                break;
            }
        }
    }
    if (size != 0)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return o.len;
}
