/**
 * @file gen_corpus.c
 * @brief Assembler corpus for the decoder cross-check (see gen_corpus.h).
 *
 * The corpus is produced by code rather than checked in so that it grows
 * with the decoder: each family below crosses its mnemonics with every
 * memory form of the mode and a rotating choice of registers and
 * immediates.  Rotation (instead of full cross products of everything)
 * keeps it at a few thousand lines per mode while every register number,
 * every addressing form and every immediate width still occurs with every
 * instruction shape.
 */
#include "gen_corpus.h"

#include <stdarg.h>
#include <string.h>

/** Generator state. */
typedef struct gen {
    FILE *f;        /**< output */
    x86_mode mode;  /**< mode being generated */
    unsigned lines; /**< instruction lines written */
    unsigned rot;   /**< rotation counter for registers and immediates */
} gen;

static void emit(gen *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(g->f, fmt, ap);
    va_end(ap);
    fputc('\n', g->f);
    g->lines++;
}

/* ---- operand pools ---------------------------------------------------- */

static const char *const regs8_legacy[] = { "%al", "%cl", "%dl", "%bl", "%ah", "%ch", "%dh", "%bh" };
/* In 64-bit code AH-BH cannot be mixed with REX operands, so the rotating
 * pool uses the REX byte registers; AH-BH get their own lines. */
static const char *const regs8_64[] = {
    "%al", "%cl", "%dl", "%bl", "%spl", "%bpl", "%sil", "%dil",
    "%r8b", "%r9b", "%r10b", "%r11b", "%r12b", "%r13b", "%r14b", "%r15b" };
static const char *const regs16[] = {
    "%ax", "%cx", "%dx", "%bx", "%sp", "%bp", "%si", "%di",
    "%r8w", "%r9w", "%r10w", "%r11w", "%r12w", "%r13w", "%r14w", "%r15w" };
static const char *const regs32[] = {
    "%eax", "%ecx", "%edx", "%ebx", "%esp", "%ebp", "%esi", "%edi",
    "%r8d", "%r9d", "%r10d", "%r11d", "%r12d", "%r13d", "%r14d", "%r15d" };
static const char *const regs64[] = {
    "%rax", "%rcx", "%rdx", "%rbx", "%rsp", "%rbp", "%rsi", "%rdi",
    "%r8", "%r9", "%r10", "%r11", "%r12", "%r13", "%r14", "%r15" };

/* Memory forms.  16-bit code: all eight ModRM forms with mod 0/1/2, the
 * [disp16] form, 32-bit forms via 67, and segment overrides. */
static const char *const mem16[] = {
    "(%bx,%si)", "(%bx,%di)", "(%bp,%si)", "(%bp,%di)", "(%si)", "(%di)",
    "0x1234", "(%bx)", "0x12(%bx,%si)", "-0x12(%bx,%di)", "0x7f(%bp,%si)",
    "-0x80(%bp,%di)", "0x5(%si)", "-0x1(%di)", "0x10(%bp)", "(%bp)",
    "0x1234(%bx)", "-0x1234(%bx,%si)", "0x7fff(%bp,%di)", "-0x8000(%si)",
    "0x8000", "0xffff", "%es:(%bx)", "%cs:0x10(%si)", "%ss:(%bx,%si)",
    "%ds:(%bp)", "%fs:0x1234", "%gs:-0x2(%di)", "(%eax)", "0x12(%ebx,%ecx,4)",
    "(%esp)", "-0x8(%ebp)", "0x12345678(,%esi,8)", "%fs:(%edx)",
};
/* 32-bit code: ModRM and SIB forms, every base and index register, all
 * scales, disp8/disp32 of both signs, [disp32], 16-bit forms via 67. */
static const char *const mem32[] = {
    "(%eax)", "(%ecx)", "(%edx)", "(%ebx)", "(%esp)", "(%ebp)", "(%esi)",
    "(%edi)", "0x12(%eax)", "-0x80(%ecx)", "0x7f(%esp)", "-0x1(%ebp)",
    "0x12345678(%edx)", "-0x12345678(%ebp)", "0x80(%esi)", "(%eax,%ebx,1)",
    "(%ecx,%edx,2)", "(%esp,%esi,4)", "(%ebp,%edi,8)", "0x12(%esi,%eax,4)",
    "-0x1234(%esp,%ebp,8)", "0x12345678(,%eax,4)", "(,%ebx,1)", "0x12345678",
    "0x80000000", "-0x10(%edi,%ecx,2)", "0x7fffffff(%ebx,%edx,1)",
    "%es:(%eax)", "%cs:0x10(%ebx)", "%ss:(%ebp)", "%fs:0x30", "%gs:(%esi,%edi,2)",
    "%ds:0x12(%ecx)", "(%bx,%si)", "0x12(%bp)", "0x1234", "%fs:(%bx,%di)",
};
/* 64-bit code: legacy and REX bases/indexes (incl. the r12/r13 special
 * cases), SIB [disp32], RIP-relative, 67 (32-bit addressing), FS/GS and
 * the ignored ES/CS/SS/DS overrides. */
static const char *const mem64[] = {
    "(%rax)", "(%rcx)", "(%rdx)", "(%rbx)", "(%rsp)", "(%rbp)", "(%rsi)",
    "(%rdi)", "(%r8)", "(%r9)", "(%r10)", "(%r11)", "(%r12)", "(%r13)",
    "(%r14)", "(%r15)", "0x12(%rax)", "-0x80(%r12)", "0x7f(%r13)",
    "0x12345678(%rbx)", "-0x12345678(%r15)", "(%rax,%rbx,1)", "(%rcx,%r8,2)",
    "(%r9,%rsi,4)", "(%r10,%r11,8)", "0x12(%rsp,%r12,2)", "-0x8(%r13,%r14,4)",
    "0x12345678(,%rdx,8)", "0x12345678(,%r15,1)", "0x12345678", "-0x10",
    "0x10(%rip)", "-0x12345678(%rip)", "(%eax)", "0x12(%r8d,%ecx,4)",
    "-0x4(%esp)", "0x20(%eip)", "%fs:0x28", "%gs:(%rax)", "%gs:0x8(%r12,%rbx,2)",
    "%es:(%rcx)", "%cs:0x10(%rdx)", "%ss:(%rbp)", "%ds:-0x1(%r9)",
};

static unsigned nregs(const gen *g)
{
    return g->mode == X86_MODE_64 ? 16 : 8;
}

/* The i-th register of `size` bytes (rotating). */
static const char *reg(const gen *g, unsigned size, unsigned i)
{
    i %= nregs(g);
    switch (size) {
    case 1: return g->mode == X86_MODE_64 ? regs8_64[i] : regs8_legacy[i];
    case 2: return regs16[i];
    case 4: return regs32[i];
    default: return regs64[i];
    }
}

static unsigned nmem(const gen *g)
{
    switch (g->mode) {
    case X86_MODE_16: return sizeof mem16 / sizeof mem16[0];
    case X86_MODE_32: return sizeof mem32 / sizeof mem32[0];
    default: return sizeof mem64 / sizeof mem64[0];
    }
}

static const char *mem(const gen *g, unsigned i)
{
    i %= nmem(g);
    switch (g->mode) {
    case X86_MODE_16: return mem16[i];
    case X86_MODE_32: return mem32[i];
    default: return mem64[i];
    }
}

/* Immediates per operand size: boundaries of imm8 sign extension and of
 * the operand width. */
static const char *const imm8[] = { "0", "1", "0x7f", "0x80", "0xff", "0x12", "-1", "-0x80" };
static const char *const imm16[] = { "0", "1", "0x7f", "-0x80", "-1", "0x1234", "0xffff",
                                     "0x8000", "0x80", "-0x81" };
static const char *const imm32[] = { "0", "1", "0x7f", "-0x80", "-1", "0x12345678",
                                     "0x7fffffff", "-0x80000000", "0x80", "0xffff" };
/* 64-bit operations take a sign-extended imm32. */
static const char *const imm64[] = { "0", "1", "0x7f", "-0x80", "-1", "0x12345678",
                                     "0x7fffffff", "-0x80000000", "0x80", "-0x81" };

static const char *imm(unsigned size, unsigned i)
{
    switch (size) {
    case 1: return imm8[i % (sizeof imm8 / sizeof imm8[0])];
    case 2: return imm16[i % (sizeof imm16 / sizeof imm16[0])];
    case 4: return imm32[i % (sizeof imm32 / sizeof imm32[0])];
    default: return imm64[i % (sizeof imm64 / sizeof imm64[0])];
    }
}

static char sfx(unsigned size)
{
    return size == 1 ? 'b' : size == 2 ? 'w' : size == 4 ? 'l' : 'q';
}

/* Operand sizes available in the mode: 1, 2, 4 (and 8). */
static unsigned nsizes(const gen *g)
{
    return g->mode == X86_MODE_64 ? 4 : 3;
}

static unsigned size_at(unsigned k)
{
    return 1u << k;
}

static const char *const conds[16] = {
    "o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g" };

/* ---- families --------------------------------------------------------- */

/* Two-operand ALU operations, mov and test/xchg in all operand shapes. */
static void gen_binary(gen *g, const char *op, bool has_imm, bool lockable, bool mem_src)
{
    for (unsigned k = 0; k < nsizes(g); k++) {
        unsigned s = size_at(k);
        char c = sfx(s);
        for (unsigned i = 0; i < nregs(g); i++) {
            emit(g, "%s%c %s,%s", op, c, reg(g, s, i), reg(g, s, i * 5 + 3));
            if (mem_src)
                emit(g, "{load} %s%c %s,%s", op, c, reg(g, s, i * 3 + 1), reg(g, s, i));
        }
        for (unsigned i = 0; i < nmem(g); i++) {
            g->rot++;
            emit(g, "%s%c %s,%s", op, c, reg(g, s, g->rot), mem(g, i));
            if (mem_src)
                emit(g, "%s%c %s,%s", op, c, mem(g, i), reg(g, s, g->rot + 7));
            if (has_imm)
                emit(g, "%s%c $%s,%s", op, c, imm(s, g->rot), mem(g, i));
            if (lockable && i % 4 == 0) {
                emit(g, "lock %s%c %s,%s", op, c, reg(g, s, g->rot + 2), mem(g, i));
                if (has_imm)
                    emit(g, "lock %s%c $%s,%s", op, c, imm(s, g->rot + 3), mem(g, i));
            }
        }
        if (has_imm)
            for (unsigned i = 0; i < 10; i++)
                emit(g, "%s%c $%s,%s", op, c, imm(s, i), reg(g, s, i * 3));
    }
    if (g->mode == X86_MODE_64) {
        /* AH-BH only exist without REX. */
        emit(g, "%s %%ah,%%bl", op);
        emit(g, "%s %%ch,(%%rax)", op);
        if (mem_src)
            emit(g, "%s (%%rbx),%%dh", op);
        if (has_imm)
            emit(g, "%sb $0x12,%%bh", op);
    }
}

/* One-operand group members: register and memory, every size. */
static void gen_unary(gen *g, const char *op, bool lockable)
{
    for (unsigned k = 0; k < nsizes(g); k++) {
        unsigned s = size_at(k);
        for (unsigned i = 0; i < nregs(g); i++)
            emit(g, "%s%c %s", op, sfx(s), reg(g, s, i));
        for (unsigned i = 0; i < nmem(g); i++) {
            emit(g, "%s%c %s", op, sfx(s), mem(g, i));
            if (lockable && i % 5 == 0)
                emit(g, "lock %s%c %s", op, sfx(s), mem(g, i));
        }
    }
}

static void gen_shifts(gen *g)
{
    static const char *const ops[] = { "rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar" };
    for (unsigned o = 0; o < 8; o++) {
        for (unsigned k = 0; k < nsizes(g); k++) {
            unsigned s = size_at(k);
            char c = sfx(s);
            for (unsigned i = 0; i < nregs(g); i++) {
                g->rot++;
                emit(g, "%s%c %s", ops[o], c, reg(g, s, i));            /* D0/D1 */
                emit(g, "%s%c $%u,%s", ops[o], c, (g->rot * 7) % 256, reg(g, s, i));
                emit(g, "%s%c %%cl,%s", ops[o], c, reg(g, s, i));
            }
            for (unsigned i = 0; i < nmem(g); i += 2) {
                emit(g, "%s%c %s", ops[o], c, mem(g, i));
                emit(g, "%s%c $0x%x,%s", ops[o], c, (i * 13) % 256, mem(g, i + 1));
                emit(g, "%s%c %%cl,%s", ops[o], c, mem(g, i + 3));
            }
        }
    }
}

static void gen_muldiv(gen *g)
{
    static const char *const ops[] = { "not", "neg", "mul", "imul", "div", "idiv", "inc", "dec" };
    for (unsigned o = 0; o < 8; o++)
        gen_unary(g, ops[o], o < 2 || o >= 6);
    /* imul two- and three-operand forms (0F AF, 69, 6B). */
    for (unsigned k = 1; k < nsizes(g); k++) {
        unsigned s = size_at(k);
        for (unsigned i = 0; i < nregs(g); i++) {
            emit(g, "imul %s,%s", reg(g, s, i), reg(g, s, i + 3));
            emit(g, "imul $%s,%s,%s", imm(s, i), reg(g, s, i + 1), reg(g, s, i));
        }
        for (unsigned i = 0; i < nmem(g); i++) {
            emit(g, "imul %s,%s", mem(g, i), reg(g, s, i));
            emit(g, "imul $%s,%s,%s", imm(s, i + 2), mem(g, i), reg(g, s, i + 5));
        }
    }
}

static void gen_movx(gen *g)
{
    for (unsigned k = 1; k < nsizes(g); k++) {
        unsigned d = size_at(k);
        for (unsigned srck = 0; srck < k && srck < 2; srck++) {
            unsigned s = size_at(srck);
            for (const char *const *op = (const char *const[]){ "movz", "movs", NULL }; *op; op++) {
                for (unsigned i = 0; i < nregs(g); i++)
                    emit(g, "%s%c%c %s,%s", *op, sfx(s), sfx(d), reg(g, s, i), reg(g, d, i + 2));
                for (unsigned i = 0; i < nmem(g); i += 2)
                    emit(g, "%s%c%c %s,%s", *op, sfx(s), sfx(d), mem(g, i), reg(g, d, i));
            }
        }
    }
    if (g->mode == X86_MODE_64) {
        for (unsigned i = 0; i < 16; i++)
            emit(g, "movslq %s,%s", reg(g, 4, i), reg(g, 8, i + 1));
        for (unsigned i = 0; i < nmem(g); i += 3)
            emit(g, "movslq %s,%s", mem(g, i), reg(g, 8, i));
        emit(g, ".byte 0x63,0xc8");      /* movsxd %eax,%ecx (no REX.W) */
        emit(g, ".byte 0x63,0x0b");      /* movsxd (%rbx),%ecx */
        emit(g, "movzbl %%ah,%%eax");
        emit(g, "movsbw %%bh,%%dx");
    }
}

static void gen_mov_special(gen *g)
{
    bool m64 = g->mode == X86_MODE_64;
    static const char *const segs[] = { "%es", "%cs", "%ss", "%ds", "%fs", "%gs" };
    /* B0-BF immediates, imm64 */
    for (unsigned k = 0; k < nsizes(g); k++) {
        unsigned s = size_at(k);
        for (unsigned i = 0; i < nregs(g); i++)
            emit(g, "mov $%s,%s", imm(s, i), reg(g, s, i));
    }
    if (m64) {
        emit(g, "movabs $0x123456789abcdef0,%%rax");
        emit(g, "movabs $0xffffffffffffffff,%%r11");
        emit(g, "movabs $0x80000000,%%rcx");
        emit(g, "movabs $0x1,%%r15");
        emit(g, "mov $0x12345678,%%r9d");
    }
    /* moffs forms A0-A3 */
    if (m64) {
        emit(g, "movabs 0x1234,%%al");
        emit(g, "movabs 0x123456789abcdef0,%%ax");
        emit(g, "movabs 0xfffffffffffffff0,%%eax");
        emit(g, "movabs 0x12,%%rax");
        emit(g, "movabs %%al,0x1234");
        emit(g, "movabs %%ax,0x8000000000000000");
        emit(g, "movabs %%eax,0x12345678");
        emit(g, "movabs %%rax,0x123456789");
        emit(g, ".byte 0x64,0x48,0xa1,1,2,3,4,5,6,7,8");   /* %fs:moffs64 */
        emit(g, ".byte 0x67,0xa0,0x34,0x12,0x00,0x00");     /* addr32 moffs */
        emit(g, ".byte 0x67,0xa3,0x78,0x56,0x34,0x12");
    } else {
        const char *a = g->mode == X86_MODE_16 ? "0x1234" : "0x12345678";
        emit(g, "mov %s,%%al", a);
        emit(g, "mov %s,%%ax", a);
        emit(g, "mov %s,%%eax", a);
        emit(g, "mov %%al,%s", a);
        emit(g, "mov %%ax,%s", a);
        emit(g, "mov %%eax,%s", a);
        emit(g, "mov %%es:%s,%%al", a);
        emit(g, "mov %%eax,%%fs:%s", a);
        emit(g, "mov %%ax,%%cs:%s", a);
        emit(g, "mov %%ss:%s,%%eax", a);
        /* the other address size via 67 */
        if (g->mode == X86_MODE_16) {
            emit(g, ".byte 0x67,0xa0,0x78,0x56,0x34,0x12");
            emit(g, ".byte 0x67,0x66,0xa3,0x78,0x56,0x34,0x12");
        } else {
            emit(g, ".byte 0x67,0xa0,0x34,0x12");
            emit(g, ".byte 0x67,0xa1,0x34,0x12");
        }
    }
    /* segment registers (8C/8E) */
    for (unsigned s = 0; s < 6; s++) {
        emit(g, "mov %s,%%ax", segs[s]);
        emit(g, "mov %s,%s", segs[s], m64 ? "%r9" : "%edx");
        emit(g, "mov %s,%s", segs[s], m64 ? "%esi" : "%ebx");
        emit(g, "mov %s,%s", segs[s], mem(g, s * 5));
        if (s == 1)
            continue; /* mov to CS does not exist */
        emit(g, "mov %%bx,%s", segs[s]);
        emit(g, "mov %s,%s", m64 ? "%r10" : "%ecx", segs[s]);
        emit(g, "mov %s,%s", mem(g, s * 7 + 1), segs[s]);
    }
    /* control and debug registers */
    static const unsigned crs[] = { 0, 2, 3, 4 };
    for (unsigned i = 0; i < 4; i++) {
        emit(g, "mov %%cr%u,%s", crs[i], m64 ? reg(g, 8, i * 5) : reg(g, 4, i * 3));
        emit(g, "mov %s,%%cr%u", m64 ? reg(g, 8, i * 3 + 1) : reg(g, 4, i + 1), crs[i]);
    }
    if (m64) {
        emit(g, "mov %%cr8,%%rax");
        emit(g, "mov %%r12,%%cr8");
    }
    for (unsigned i = 0; i < 8; i++) {
        emit(g, "mov %%db%u,%s", i, m64 ? reg(g, 8, i * 3) : reg(g, 4, i));
        emit(g, "mov %s,%%db%u", m64 ? reg(g, 8, i * 5 + 2) : reg(g, 4, i + 3), i);
    }
    emit(g, ".byte 0x0f,0x20,0x00"); /* mod != 3: still a register (mod ignored) */
    emit(g, ".byte 0x0f,0x22,0x5f"); /* mov %edi/%rdi,%cr3 */
}

static void gen_lea_xchg_nop(gen *g)
{
    for (unsigned k = 1; k < nsizes(g); k++) {
        unsigned s = size_at(k);
        for (unsigned i = 0; i < nmem(g); i++)
            emit(g, "lea %s,%s", mem(g, i), reg(g, s, i));
    }
    for (unsigned k = 0; k < nsizes(g); k++) {
        unsigned s = size_at(k);
        char c = sfx(s);
        for (unsigned i = 0; i < nregs(g); i++) {
            emit(g, "xchg%c %s,%s", c, reg(g, s, i), reg(g, s, 0));      /* 90+r */
            emit(g, "xchg%c %s,%s", c, reg(g, s, i), reg(g, s, i + 3));
        }
        for (unsigned i = 0; i < nmem(g); i += 2) {
            emit(g, "xchg%c %s,%s", c, reg(g, s, i), mem(g, i));
            emit(g, "lock xchg%c %s,%s", c, reg(g, s, i + 1), mem(g, i + 1));
        }
    }
    emit(g, "nop");
    emit(g, "pause");
    emit(g, ".byte 0x66,0x90");
    for (unsigned k = 1; k < nsizes(g); k++) {
        unsigned s = size_at(k);
        for (unsigned i = 0; i < nmem(g); i += 3)
            emit(g, "nop%c %s", sfx(s), mem(g, i));
        for (unsigned i = 0; i < nregs(g); i++)
            emit(g, "nop%c %s", sfx(s), reg(g, s, i));
    }
    if (g->mode == X86_MODE_64)
        emit(g, ".byte 0x41,0x90"); /* xchg %eax,%r8d, not NOP */
}

static void gen_stack(gen *g)
{
    bool m64 = g->mode == X86_MODE_64;
    unsigned native = m64 ? 8 : g->mode == X86_MODE_32 ? 4 : 2;
    unsigned other = g->mode == X86_MODE_16 ? 4 : 2;
    for (unsigned i = 0; i < nregs(g); i++) {
        emit(g, "push %s", reg(g, native, i));
        emit(g, "pop %s", reg(g, native, i + 1));
        emit(g, "push %s", reg(g, other, i));
        emit(g, "pop %s", reg(g, other, i + 2));
    }
    for (unsigned i = 0; i < nmem(g); i++) {
        emit(g, "push%c %s", sfx(native), mem(g, i));
        emit(g, "pop%c %s", sfx(native), mem(g, i + 1));
        if (i % 3 == 0) {
            emit(g, "push%c %s", sfx(other), mem(g, i + 2));
            emit(g, "pop%c %s", sfx(other), mem(g, i));
        }
    }
    for (unsigned i = 0; i < 10; i++) {
        emit(g, "push%c $%s", sfx(native), imm(native, i));
        emit(g, "push%c $%s", sfx(other), imm(other, i));
    }
    emit(g, "push $0x12");
    emit(g, "push $-0x7f");
    /* segment registers */
    const char *segs_all[] = { "%es", "%cs", "%ss", "%ds", "%fs", "%gs" };
    for (unsigned s = m64 ? 4 : 0; s < 6; s++) {
        emit(g, "push %s", segs_all[s]);
        emit(g, "push%c %s", sfx(other), segs_all[s]);
        if (s != 1) {
            emit(g, "pop %s", segs_all[s]);
            emit(g, "pop%c %s", sfx(other), segs_all[s]);
        }
    }
    if (!m64) {
        emit(g, "pusha");
        emit(g, "popa");
        emit(g, "pushaw");
        emit(g, "popaw");
        emit(g, "pushal");
        emit(g, "popal");
    }
    emit(g, "pushf");
    emit(g, "popf");
    emit(g, "pushf%c", sfx(other));
    emit(g, "popf%c", sfx(other));
    emit(g, "enter $0x10,$0");
    emit(g, "enter $0xffff,$0x1f");
    emit(g, "enter%c $0x8,$2", sfx(other));
    emit(g, "leave");
    emit(g, "leave%c", sfx(other));
}

static void gen_branches(gen *g)
{
    bool m64 = g->mode == X86_MODE_64;
    unsigned native = m64 ? 8 : g->mode == X86_MODE_32 ? 4 : 2;
    static const int near[] = { 0x100, -0x100, 0x7ff0, -0x12345, 0x1000 };
    static const int shrt[] = { 2, 0, -2, 0x7f, -0x7e, 0x40 };
    for (unsigned c = 0; c < 16; c++) {
        for (unsigned i = 0; i < 6; i++)
            emit(g, "j%s .%+d", conds[c], shrt[i]);
        for (unsigned i = 0; i < 5; i++)
            emit(g, "j%s .%+d", conds[c], g->mode == X86_MODE_16 ? near[i] % 0x8000 : near[i]);
    }
    for (unsigned i = 0; i < 6; i++) {
        emit(g, "jmp .%+d", shrt[i]);
        emit(g, "loop .%+d", shrt[i]);
        emit(g, "loope .%+d", shrt[i]);
        emit(g, "loopne .%+d", shrt[i]);
        emit(g, "%s .%+d", m64 ? "jrcxz" : g->mode == X86_MODE_32 ? "jecxz" : "jcxz", shrt[i]);
    }
    for (unsigned i = 0; i < 5; i++) {
        int d = g->mode == X86_MODE_16 ? near[i] % 0x8000 : near[i];
        emit(g, "jmp .%+d", d);
        emit(g, "call .%+d", d);
    }
    /* the other counter width via 67 */
    emit(g, "%s .+5", m64 ? "jecxz" : g->mode == X86_MODE_32 ? "jcxz" : "jecxz");
    emit(g, ".byte 0x67,0xe2,0x10");
    emit(g, ".byte 0x67,0xe1,0xf0");
    emit(g, ".byte 0x67,0xe0,0x00");
    /* branches near the start wrap around the IP width */
    emit(g, ".byte 0xeb,0x80");
    emit(g, ".byte 0xe8,0x00,0x80%s", g->mode == X86_MODE_16 ? "" : ",0xff,0xff");
    if (!m64) {
        /* other operand size via 66: rel16 in 32-bit code, rel32 in 16-bit */
        if (g->mode == X86_MODE_32) {
            emit(g, ".byte 0x66,0xe9,0x10,0x00");
            emit(g, ".byte 0x66,0xe8,0xf0,0xff");
            emit(g, ".byte 0x66,0x0f,0x85,0x00,0x01");
            emit(g, ".byte 0x66,0x74,0x10");
        } else {
            emit(g, ".byte 0x66,0xe9,0x10,0x00,0x01,0x00");
            emit(g, ".byte 0x66,0xe8,0xf0,0xff,0xff,0xff");
            emit(g, ".byte 0x66,0x0f,0x85,0x00,0x01,0x00,0x00");
        }
    }
    /* indirect near */
    for (unsigned i = 0; i < nregs(g); i++) {
        emit(g, "call *%s", reg(g, native, i));
        emit(g, "jmp *%s", reg(g, native, i + 1));
    }
    for (unsigned i = 0; i < nmem(g); i++) {
        emit(g, "call%c *%s", sfx(native), mem(g, i));
        emit(g, "jmp%c *%s", sfx(native), mem(g, i + 1));
        if (!m64 && i % 4 == 0) {
            unsigned other = g->mode == X86_MODE_16 ? 4 : 2;
            emit(g, "call%c *%s", sfx(other), mem(g, i + 2));
            emit(g, "jmp%c *%s", sfx(other), mem(g, i));
        }
    }
    if (!m64) {
        unsigned other = g->mode == X86_MODE_16 ? 4 : 2;
        emit(g, "call *%s", reg(g, other, 3));
        emit(g, "jmp *%s", reg(g, other, 5));
    }
    /* far */
    for (unsigned i = 0; i < nmem(g); i += 3) {
        emit(g, "lcall *%s", mem(g, i));
        emit(g, "ljmp *%s", mem(g, i + 1));
    }
    if (!m64) {
        unsigned other = g->mode == X86_MODE_16 ? 4 : 2;
        emit(g, "lcall $0x10,$0x1000");
        emit(g, "ljmp $0xf000,$0xfff0");
        emit(g, "lcall%c $0x8,$0x%x", sfx(other), other == 4 ? 0x12345678u : 0x1234u);
        emit(g, "ljmp%c $0x18,$0x%x", sfx(other), other == 4 ? 0x100000u : 0x7c00u);
        emit(g, "lcall%c *%s", sfx(other), mem(g, 3));
        emit(g, "ljmp%c *%s", sfx(other), mem(g, 4));
        emit(g, "ret%c", sfx(other));
        emit(g, "ret%c $0x10", sfx(other));
        emit(g, "lret%c", sfx(other));
        emit(g, "lret%c $0x4", sfx(other));
        emit(g, "iret%c", sfx(other));
        emit(g, "into");
    } else {
        emit(g, "lretq");
        emit(g, "lretq $0x8");
        emit(g, "iretq");
        emit(g, "lcallw *(%%rax)");
        emit(g, "ljmpw *(%%r9)");
    }
    emit(g, "ret");
    emit(g, "ret $0x8");
    emit(g, "ret $0xffff");
    emit(g, "lret");
    emit(g, "lret $0x10");
    emit(g, "iret");
    emit(g, "int $0x80");
    emit(g, "int $0x3");
    emit(g, "int $0xff");
    emit(g, "int3");
    emit(g, ".byte 0xf3,0xc3"); /* repz ret */
}

static void gen_strings(gen *g)
{
    static const char *const ops[] = { "movs", "cmps", "stos", "lods", "scas" };
    bool m64 = g->mode == X86_MODE_64;
    const char *const *rep = (const char *const[]){ "", "rep ", "repne ", "repe " };
    for (unsigned o = 0; o < 5; o++) {
        bool cmp = o == 1 || o == 4;
        for (unsigned k = 0; k < nsizes(g); k++) {
            for (unsigned r = 0; r < 4; r++) {
                if (!cmp && r >= 2)
                    continue;
                emit(g, "%s%s%c", rep[r], ops[o], sfx(size_at(k)));
            }
            /* the other address size via 67 */
            emit(g, "addr%s %s%c", g->mode == X86_MODE_32 ? "16" : "32", ops[o], sfx(size_at(k)));
        }
    }
    /* segment overrides on the DS:rSI operand */
    const char *si = m64 ? "%rsi" : g->mode == X86_MODE_32 ? "%esi" : "%si";
    const char *di = m64 ? "%rdi" : g->mode == X86_MODE_32 ? "%edi" : "%di";
    const char *const segs[] = { "%fs", "%gs", "%es", "%cs", "%ss", "%ds" };
    for (unsigned s = 0; s < (m64 ? 2u : 6u); s++) {
        emit(g, "movsb %s:(%s),%%es:(%s)", segs[s], si, di);
        emit(g, "rep movsl %s:(%s),%%es:(%s)", segs[s], si, di);
        emit(g, "lodsw %s:(%s),%%ax", segs[s], si);
        emit(g, "cmpsb %%es:(%s),%s:(%s)", di, segs[s], si);
        emit(g, "outsb %s:(%s),(%%dx)", segs[s], si);
        emit(g, "xlat %s:(%s)", segs[s], m64 ? "%rbx" : g->mode == X86_MODE_32 ? "%ebx" : "%bx");
    }
    emit(g, "xlat");
    for (unsigned k = 0; k < 3; k++) {
        char c = sfx(size_at(k));
        emit(g, "ins%c (%%dx),%%es:(%s)", c, di);
        emit(g, "outs%c %%ds:(%s),(%%dx)", c, si);
        emit(g, "rep ins%c (%%dx),%%es:(%s)", c, di);
        emit(g, "rep outs%c %%ds:(%s),(%%dx)", c, si);
    }
    if (m64) {
        /* REX.W does not widen INS/OUTS (no insq/outsq, SDM Vol. 2A "INS",
         * Vol. 2B "OUTS"), also not when 66 is present (REX.W wins over
         * 66 and the operand stays 32-bit); no other REX bit does
         * anything either.  gas will not emit these. */
        static const char *const rex_io[] = {
            "0x48,0x6d", "0x48,0x6f", "0x48,0x6c", "0x48,0x6e", "0xf3,0x48,0x6d",
            "0xf3,0x48,0x6f", "0x66,0x48,0x6d", "0x66,0x48,0x6f", "0xf3,0x66,0x48,0x6d",
            "0x66,0xf3,0x48,0x6c", "0x67,0x48,0x6d", "0x64,0x48,0x6f", "0x41,0x6d",
            "0x4f,0x6f", "0x66,0x41,0x6f", "0x44,0x6c", "0x40,0x6d", NULL };
        for (unsigned i = 0; rex_io[i] != NULL; i++)
            emit(g, ".byte %s", rex_io[i]);
    }
}

static void gen_io(gen *g)
{
    static const char *const acc[] = { "%al", "%ax", "%eax" };
    static const unsigned ports[] = { 0x60, 0x80, 0x0, 0xff, 0x71 };
    for (unsigned k = 0; k < 3; k++) {
        for (unsigned i = 0; i < 5; i++) {
            emit(g, "in $0x%x,%s", ports[i], acc[k]);
            emit(g, "out %s,$0x%x", acc[k], ports[(i + 2) % 5]);
        }
        emit(g, "in (%%dx),%s", acc[k]);
        emit(g, "out %s,(%%dx)", acc[k]);
    }
    if (g->mode == X86_MODE_64) {
        /* As for INS/OUTS: no 64-bit port I/O, whatever REX says. */
        static const char *const rex_io[] = {
            "0x48,0xe5,0x60", "0x48,0xe7,0x80", "0x48,0xed", "0x48,0xef", "0x66,0x48,0xed",
            "0x66,0x48,0xe7,0x71", "0x41,0xec", "0x49,0xee", "0x48,0xe4,0x60", NULL };
        for (unsigned i = 0; rex_io[i] != NULL; i++)
            emit(g, ".byte %s", rex_io[i]);
    }
}

static void gen_cc(gen *g)
{
    for (unsigned c = 0; c < 16; c++) {
        for (unsigned i = 0; i < nregs(g); i += 3)
            emit(g, "set%s %s", conds[c], reg(g, 1, i + c));
        for (unsigned i = c % 3; i < nmem(g); i += 3)
            emit(g, "set%s %s", conds[c], mem(g, i));
        for (unsigned k = 1; k < nsizes(g); k++) {
            unsigned s = size_at(k);
            emit(g, "cmov%s %s,%s", conds[c], reg(g, s, c), reg(g, s, c + 5));
            emit(g, "cmov%s %s,%s", conds[c], mem(g, c * 3 + k), reg(g, s, c + 1));
        }
    }
}

static void gen_bits(gen *g)
{
    static const char *const ops[] = { "bt", "bts", "btr", "btc" };
    for (unsigned o = 0; o < 4; o++) {
        for (unsigned k = 1; k < nsizes(g); k++) {
            unsigned s = size_at(k);
            char c = sfx(s);
            for (unsigned i = 0; i < nregs(g); i++) {
                emit(g, "%s%c %s,%s", ops[o], c, reg(g, s, i), reg(g, s, i + 3));
                emit(g, "%s%c $0x%x,%s", ops[o], c, (i * 11) % 256, reg(g, s, i));
            }
            for (unsigned i = 0; i < nmem(g); i += 2) {
                emit(g, "%s%c %s,%s", ops[o], c, reg(g, s, i), mem(g, i));
                emit(g, "%s%c $0x%x,%s", ops[o], c, (i * 7) % 256, mem(g, i + 1));
                if (o != 0 && i % 6 == 0)
                    emit(g, "lock %s%c %s,%s", ops[o], c, reg(g, s, i + 1), mem(g, i));
            }
        }
    }
    for (unsigned k = 1; k < nsizes(g); k++) {
        unsigned s = size_at(k);
        for (unsigned i = 0; i < nregs(g); i++) {
            emit(g, "bsf %s,%s", reg(g, s, i), reg(g, s, i + 1));
            emit(g, "bsr %s,%s", reg(g, s, i + 2), reg(g, s, i));
        }
        for (unsigned i = 0; i < nmem(g); i += 3) {
            emit(g, "bsf %s,%s", mem(g, i), reg(g, s, i));
            emit(g, "bsr %s,%s", mem(g, i + 1), reg(g, s, i + 4));
        }
        for (unsigned i = 0; i < nregs(g); i++) {
            emit(g, "shld $%u,%s,%s", i * 3, reg(g, s, i), reg(g, s, i + 1));
            emit(g, "shrd %%cl,%s,%s", reg(g, s, i + 2), reg(g, s, i));
        }
        for (unsigned i = 0; i < nmem(g); i += 3) {
            emit(g, "shld %%cl,%s,%s", reg(g, s, i), mem(g, i));
            emit(g, "shrd $0x%x,%s,%s", i, reg(g, s, i + 1), mem(g, i + 1));
        }
        for (unsigned i = 0; i < nregs(g); i++)
            emit(g, "bswap %s", reg(g, s == 2 ? 4 : s, i));
    }
}

static void gen_atomics(gen *g)
{
    for (unsigned k = 0; k < nsizes(g); k++) {
        unsigned s = size_at(k);
        char c = sfx(s);
        for (unsigned i = 0; i < nregs(g); i++) {
            emit(g, "cmpxchg%c %s,%s", c, reg(g, s, i), reg(g, s, i + 1));
            emit(g, "xadd%c %s,%s", c, reg(g, s, i + 2), reg(g, s, i));
        }
        for (unsigned i = 0; i < nmem(g); i += 2) {
            emit(g, "cmpxchg%c %s,%s", c, reg(g, s, i), mem(g, i));
            emit(g, "lock cmpxchg%c %s,%s", c, reg(g, s, i + 1), mem(g, i + 1));
            emit(g, "lock xadd%c %s,%s", c, reg(g, s, i + 3), mem(g, i));
        }
    }
    for (unsigned i = 0; i < nmem(g); i += 2) {
        emit(g, "cmpxchg8b %s", mem(g, i));
        emit(g, "lock cmpxchg8b %s", mem(g, i + 1));
        if (g->mode == X86_MODE_64)
            emit(g, "lock cmpxchg16b %s", mem(g, i + 1));
    }
}

static void gen_system(gen *g)
{
    bool m64 = g->mode == X86_MODE_64;
    static const char *const simple[] = {
        "cli", "sti", "cld", "std", "clc", "stc", "cmc", "hlt", "cpuid", "lahf",
        "sahf", "cbtw", "cwtl", "cwtd", "cltd", "rdmsr", "wrmsr", "rdtsc", "rdpmc",
        "ud2", "clts", "invd", "wbinvd", "rsm", "fwait", "vmcall", "vmlaunch",
        "vmresume", "vmxoff", "xgetbv", "xsetbv", "rdtscp", "lfence", "mfence",
        "sfence", NULL };
    for (unsigned i = 0; simple[i] != NULL; i++)
        emit(g, "%s", simple[i]);
    emit(g, ".byte 0x0f,0xae,0xe9"); /* lfence with ModRM.rm != 0 */
    if (m64) {
        emit(g, "cltq");
        emit(g, "cqto");
        emit(g, "swapgs");
    } else {
        static const char *const bcd[] = { "daa", "das", "aaa", "aas", "aam", "aad",
                                           "aam $0x3", "aad $0x10", NULL };
        for (unsigned i = 0; bcd[i] != NULL; i++)
            emit(g, "%s", bcd[i]);
    }
    static const char *const dt[] = { "lgdt", "lidt", "sgdt", "sidt" };
    for (unsigned o = 0; o < 4; o++) {
        for (unsigned i = o; i < nmem(g); i += 4) {
            if (m64) {
                emit(g, "%s %s", dt[o], mem(g, i));
            } else {
                emit(g, "%sw %s", dt[o], mem(g, i));
                emit(g, "%sl %s", dt[o], mem(g, i + 1));
            }
        }
    }
    static const char *const seg1[] = { "lldt", "ltr", "verr", "verw", "lmsw" };
    for (unsigned o = 0; o < 5; o++) {
        for (unsigned i = 0; i < nregs(g); i += 2)
            emit(g, "%s %s", seg1[o], reg(g, 2, i + o));
        for (unsigned i = o; i < nmem(g); i += 4)
            emit(g, "%s %s", seg1[o], mem(g, i));
    }
    static const char *const seg2[] = { "sldt", "str", "smsw" };
    for (unsigned o = 0; o < 3; o++) {
        for (unsigned k = 1; k < nsizes(g); k++)
            for (unsigned i = 0; i < nregs(g); i += 3)
                emit(g, "%s %s", seg2[o], reg(g, size_at(k), i + o));
        for (unsigned i = o; i < nmem(g); i += 4)
            emit(g, "%s %s", seg2[o], mem(g, i));
    }
    for (unsigned i = 0; i < nmem(g); i += 2)
        emit(g, "invlpg %s", mem(g, i));
    for (unsigned k = 1; k < nsizes(g); k++) {
        unsigned s = size_at(k);
        for (unsigned i = 0; i < nregs(g); i += 2) {
            emit(g, "lar %s,%s", reg(g, 2, i), reg(g, s, i + 1));
            emit(g, "lsl %s,%s", reg(g, 2, i + 1), reg(g, s, i));
        }
        for (unsigned i = 0; i < nmem(g); i += 3) {
            emit(g, "lar %s,%s", mem(g, i), reg(g, s, i));
            emit(g, "lsl %s,%s", mem(g, i + 1), reg(g, s, i));
        }
    }
    /* far-pointer loads */
    static const char *const lp[] = { "lss", "lfs", "lgs", "les", "lds" };
    for (unsigned o = 0; o < (m64 ? 3u : 5u); o++)
        for (unsigned k = 1; k < 3; k++)
            for (unsigned i = o; i < nmem(g); i += 5)
                emit(g, "%s %s,%s", lp[o], mem(g, i), reg(g, size_at(k), i));
    if (!m64) {
        for (unsigned i = 0; i < nmem(g); i += 3) {
            emit(g, "bound %s,%s", reg(g, 2, i), mem(g, i));
            emit(g, "bound %s,%s", reg(g, 4, i + 1), mem(g, i + 1));
            emit(g, "arpl %s,%s", reg(g, 2, i), mem(g, i + 2));
        }
        for (unsigned i = 0; i < 8; i++)
            emit(g, "arpl %s,%s", reg(g, 2, i), reg(g, 2, i + 3));
        emit(g, ".byte 0x82,0xc0,0x01");      /* 82: alias of 80 outside 64-bit */
        emit(g, ".byte 0x82,0x3b,0xff");
    }
}

/* Write `n` bytes as one ".byte" line. */
static void emit_bytes(gen *g, const uint8_t *b, size_t n)
{
    char line[128] = ".byte ";
    size_t len = strlen(line);
    for (size_t i = 0; i < n && len + 6 < sizeof line; i++)
        len += (size_t)snprintf(line + len, sizeof line - len, "%s0x%02x", i ? "," : "", b[i]);
    emit(g, "%s", line);
}

/* A ModRM byte (reg field 0) and the SIB/displacement bytes after it. */
typedef struct modrm_tail {
    uint8_t n;       /**< bytes used */
    uint8_t b[6];    /**< ModRM, then SIB and displacement */
} modrm_tail;

/* Register forms and each memory shape of the mode: 16-bit (%bx,%si),
 * (%bx), disp8(%bp), [disp16], disp16(%bx); 32/64-bit base, SIB, disp8
 * via SIB, [disp32] (RIP-relative in 64-bit code), SIB [disp32], disp32. */
static const modrm_tail tails16[] = {
    { 1, { 0xc0 } }, { 1, { 0xc3 } }, { 1, { 0xc7 } }, { 1, { 0x00 } }, { 1, { 0x07 } },
    { 2, { 0x46, 0x12 } }, { 2, { 0x42, 0xfe } }, { 3, { 0x06, 0x34, 0x12 } },
    { 3, { 0x87, 0x00, 0x80 } },
};
static const modrm_tail tails32[] = {
    { 1, { 0xc0 } }, { 1, { 0xc5 } }, { 1, { 0xc7 } }, { 1, { 0x00 } }, { 2, { 0x04, 0x98 } },
    { 3, { 0x44, 0x24, 0x08 } }, { 2, { 0x4e, 0x80 } }, { 5, { 0x05, 0x78, 0x56, 0x34, 0x12 } },
    { 6, { 0x04, 0x25, 0x00, 0x10, 0x00, 0x00 } }, { 5, { 0x8d, 0x00, 0x01, 0x00, 0x00 } },
};

/* The undocumented aliases, which gas cannot be asked for by name: group
 * 2 /6 (SHL /4 again: D0-D3, C0/C1) and group 3 /1 (TEST /0 again: F6 ib,
 * F7 iz), blank in SDM Vol. 2A Table A-6.  Every ModRM shape of the mode,
 * both operand sizes through 66, the other address size through 67, a
 * segment override, and in 64-bit code REX.W and REX.B. */
static void gen_aliases(gen *g)
{
    static const struct {
        uint8_t opcode, reg;
        bool byte;     /* byte operation */
        unsigned imm;  /* 0, 1 (ib) or 2 (iz) */
    } ops[] = {
        { 0xd0, 6, true, 0 }, { 0xd1, 6, false, 0 }, { 0xd2, 6, true, 0 }, { 0xd3, 6, false, 0 },
        { 0xc0, 6, true, 1 }, { 0xc1, 6, false, 1 }, { 0xf6, 1, true, 1 }, { 0xf7, 1, false, 2 },
    };
    static const uint8_t imm_bytes[] = { 0x05, 0x80, 0xff, 0x1f, 0x01, 0x7f, 0x21 };
    bool m64 = g->mode == X86_MODE_64;
    const modrm_tail *tails = g->mode == X86_MODE_16 ? tails16 : tails32;
    size_t ntails = g->mode == X86_MODE_16 ? sizeof tails16 / sizeof tails16[0]
                                           : sizeof tails32 / sizeof tails32[0];
    /* Prefix sets: none, 66; in 64-bit code REX.B, REX.W, REX.WB (REX.W
     * only where it changes the size: not on byte operations). */
    static const struct { uint8_t n, b[2]; bool m64_only, word_only; } pfx[] = {
        { 0, { 0 }, false, false },     { 1, { 0x66 }, false, true },
        { 1, { 0x41 }, true, false },   { 1, { 0x48 }, true, true },
        { 1, { 0x49 }, true, true },    { 2, { 0x66, 0x41 }, true, true },
    };
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        for (size_t p = 0; p < sizeof pfx / sizeof pfx[0]; p++) {
            if ((pfx[p].m64_only && !m64) || (pfx[p].word_only && ops[o].byte))
                continue;
            for (size_t t = 0; t < ntails + 2; t++) {
                uint8_t b[16];
                size_t n = 0;
                const modrm_tail *tail = &tails[t % ntails];
                if (t == ntails)
                    b[n++] = 0x67;      /* other address size: (%eax) / (%bx,%si) */
                else if (t == ntails + 1)
                    b[n++] = 0x64;      /* %fs: override */
                if (t >= ntails)
                    tail = &tails[3];   /* mod 00, rm 000: no displacement */
                for (unsigned k = 0; k < pfx[p].n; k++)
                    b[n++] = pfx[p].b[k];
                b[n++] = ops[o].opcode;
                b[n++] = (uint8_t)(tail->b[0] | ops[o].reg << 3);
                for (unsigned k = 1; k < tail->n; k++)
                    b[n++] = tail->b[k];
                g->rot++;
                if (ops[o].imm == 1) {
                    b[n++] = imm_bytes[g->rot % sizeof imm_bytes];
                } else if (ops[o].imm == 2) {
                    /* iz: 16 bits if the operand size is 16, else 32 (REX.W
                     * keeps imm32, sign-extended). */
                    bool p66 = pfx[p].b[0] == 0x66;
                    bool rexw = pfx[p].n == 1 && (pfx[p].b[0] & 0xf8) == 0x48;
                    unsigned z = !rexw && ((g->mode == X86_MODE_16) != p66) ? 2 : 4;
                    for (unsigned k = 0; k < z; k++)
                        b[n++] = imm_bytes[(g->rot + k) % sizeof imm_bytes];
                }
                emit_bytes(g, b, n);
            }
        }
    }
}

/* Encodings gas never picks on its own but objdump prints plainly.  Each
 * line is one complete instruction in its mode. */
static void gen_raw(gen *g)
{
    if (g->mode == X86_MODE_16) {
        emit(g, ".byte 0x8b,0x80,0x01,0x00");       /* mod=10 with small disp16 */
        emit(g, ".byte 0x8b,0x44,0x00");            /* 0x0(%si) */
        emit(g, ".byte 0x67,0x8b,0x04,0x20");       /* SIB without index: %eiz */
        emit(g, ".byte 0x67,0x8b,0x04,0x65,0x78,0x56,0x34,0x12");
        emit(g, ".byte 0x8b,0x87,0x00,0x80");       /* -0x8000(%bx) */
        emit(g, ".byte 0x8b,0x0e,0xff,0xff");       /* [disp16] printed signed */
        emit(g, ".byte 0x3e,0x8b,0x00");            /* explicit %ds: */
        emit(g, ".byte 0x26,0xa4");                 /* movsb %es:(%si) */
        return;
    }
    emit(g, ".byte 0x8b,0x80,0x01,0x00,0x00,0x00"); /* mod=10 with small disp32 */
    emit(g, ".byte 0x8b,0x44,0x00,0x00");           /* 0x0(%eax,%eax,1) */
    emit(g, ".byte 0x8b,0x04,0x20");                /* (%eax,%eiz,1) / (%rax,%riz,1) */
    emit(g, ".byte 0x8b,0x04,0x64");                /* (%esp,%eiz,2) */
    emit(g, ".byte 0x8b,0x04,0x65,0x78,0x56,0x34,0x12"); /* disp32(,%eiz,2) */
    emit(g, ".byte 0x8b,0x04,0x25,0x00,0x00,0x00,0x80"); /* SIB [disp32] */
    emit(g, ".byte 0x8b,0x44,0x20,0x08");
    if (g->mode == X86_MODE_64) {
        emit(g, ".byte 0x67,0x8b,0x04,0x25,0x00,0x00,0x00,0x80");
        emit(g, ".byte 0x42,0x8b,0x04,0x20");       /* REX.X: index r12 */
        emit(g, ".byte 0x41,0x8b,0x04,0x24");       /* (%r12) */
        emit(g, ".byte 0x43,0x8b,0x04,0x24");       /* (%r12,%r12,1) */
        emit(g, ".byte 0x41,0x8b,0x04,0x25,0x10,0x00,0x00,0x00"); /* REX.B + SIB [disp32] */
        emit(g, ".byte 0x41,0x8b,0x05,0x10,0x00,0x00,0x00");  /* REX.B keeps RIP-relative */
        emit(g, ".byte 0xc7,0x05,0x10,0x00,0x00,0x00,0x01,0x00,0x00,0x00"); /* RIP + imm */
        emit(g, ".byte 0x66,0xc7,0x05,0xf0,0xff,0xff,0xff,0x34,0x12");
        emit(g, ".byte 0x80,0x3d,0x00,0x00,0x00,0x00,0x7f");
        emit(g, ".byte 0x67,0xc6,0x05,0x00,0x00,0x00,0x00,0x01");
    } else {
        emit(g, ".byte 0x8b,0x1d,0x00,0x00,0x00,0x80"); /* [disp32] unsigned */
        emit(g, ".byte 0x67,0x8b,0x00");            /* (%bx,%si) */
        emit(g, ".byte 0x3e,0x8b,0x00");            /* explicit %ds: */
        emit(g, ".byte 0x26,0xa4");                 /* movsb %es:(%esi) */
    }
}

unsigned gen_corpus_write(FILE *f, x86_mode mode)
{
    gen g = { .f = f, .mode = mode };
    fprintf(f, "# Generated by lessons/01-boot/tests/gen_corpus.c; do not edit.\n");
    fprintf(f, "\t.text\n\t.code%d\n", (int)mode);

    static const char *const alu[] = { "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" };
    for (unsigned i = 0; i < 8; i++)
        gen_binary(&g, alu[i], true, i != 7, true);
    gen_binary(&g, "mov", true, false, true);
    gen_binary(&g, "test", true, false, false);
    gen_mov_special(&g);
    gen_movx(&g);
    gen_muldiv(&g);
    gen_shifts(&g);
    gen_lea_xchg_nop(&g);
    gen_stack(&g);
    gen_branches(&g);
    gen_strings(&g);
    gen_io(&g);
    gen_cc(&g);
    gen_bits(&g);
    gen_atomics(&g);
    gen_system(&g);
    gen_raw(&g);
    gen_aliases(&g);
    return g.lines;
}
