/**
 * @file test_interp_flags.c
 * @brief Check tests: the interpreter's arithmetic against the host CPU.
 *
 * Every case is one register-form instruction.  The host executes its
 * exact bytes natively (a 64-bit host runs 8/16/32-bit register forms
 * without REX the same way 32-bit code does: SDM Vol. 1 §3.6.1, Table
 * 3-4), from an executable page, with RAX/RCX/RDX/RBX and RFLAGS loaded
 * from a table and read back afterwards.  The interpreter then executes
 * the same operation in its flat 32-bit mode and, with the operand-size
 * prefix flipped, in real mode.  Registers must match, and so must every
 * flag the SDM defines for that instruction and those inputs ("Flags
 * Affected"); the undefined ones are masked out, because real CPUs differ
 * there (see interp_alu.c).  Expected values are never typed in: the
 * host's silicon is the reference.
 *
 * Coverage: ADD ADC SUB SBB CMP AND OR XOR TEST INC DEC NEG NOT at 8, 16
 * and 32 bits over boundary values (0, 1, 0x7f/0x80, 0xff, 0x7fff/0x8000,
 * 0xffff, 0x7fffffff/0x80000000, 0xffffffff, ...) with CF in 0 and 1;
 * TEST with an immediate (F6/F7 /0 and its alias /1); ROL ROR RCL RCR
 * SHL SHR SAR (and the SHL alias /6) by CL = 0..33 (the 5-bit mask and the
 * modulo-9/17 rotations included) and by the implicit 1; SHLD/SHRD; MUL,
 * IMUL (1, 2 and 3 operands), DIV, IDIV (no #DE cases: the host would
 * die); BSF, BSR, BT/BTS/BTR/BTC; CBW CWDE CWD CDQ; all 16 SETcc
 * conditions over every combination of the flags they read.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "check_main.h"
#include "test_interp_shim.h"
#include "x86/interp.h"

#define FL_ALL INTERP_FL_ARITH
#define CF INTERP_FL_CF
#define PF INTERP_FL_PF
#define AF INTERP_FL_AF
#define ZF INTERP_FL_ZF
#define SF INTERP_FL_SF
#define OF INTERP_FL_OF

/** Registers an instruction under test can use, and the flags. */
struct regs {
    uint64_t rax, rcx, rdx, rbx, flags;
};

static uint8_t *exec_page;

static void host_setup(void)
{
    if (!exec_page) {
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        ck_assert_msg(p != MAP_FAILED, "cannot map an executable page for the host cross-check");
        exec_page = p;
    }
}

/* Run @p code natively with @p r as register state.  256 bytes of stack
 * are skipped first: the call would otherwise land in the red zone the
 * compiler may be using (SysV ABI §3.2.2). */
static void host_run(struct regs *r, const uint8_t *code, size_t len)
{
    memcpy(exec_page, code, len);
    exec_page[len] = 0xc3; /* ret */
    register struct regs *rp __asm__("r12") = r;
    register void *fn __asm__("r13") = exec_page;
    __asm__ volatile("sub $256, %%rsp\n\t"
                     "mov 0(%0), %%rax\n\t"
                     "mov 8(%0), %%rcx\n\t"
                     "mov 16(%0), %%rdx\n\t"
                     "mov 24(%0), %%rbx\n\t"
                     "pushq 32(%0)\n\t"
                     "popfq\n\t"
                     "call *%1\n\t"
                     "pushfq\n\t"
                     "popq 32(%0)\n\t"
                     "mov %%rax, 0(%0)\n\t"
                     "mov %%rcx, 8(%0)\n\t"
                     "mov %%rdx, 16(%0)\n\t"
                     "mov %%rbx, 24(%0)\n\t"
                     "add $256, %%rsp\n\t"
                     :
                     : "r"(rp), "r"(fn)
                     : "rax", "rcx", "rdx", "rbx", "memory", "cc");
}

static struct vm vm;
static struct interp it;

/* Run the same instruction in the interpreter in @p mode. */
static void interp_run_one(struct regs *r, enum interp_mode mode, const uint8_t *code, size_t len)
{
    memcpy(vm.mem.host + 0x100, code, len);
    vm.state = VM_RUNNING;
    vm.stop_reason[0] = '\0';
    interp_init(&it, &vm, mode);
    it.cpu.rip = 0x100;
    it.cpu.gpr[0] = r->rax;
    it.cpu.gpr[1] = r->rcx;
    it.cpu.gpr[2] = r->rdx;
    it.cpu.gpr[3] = r->rbx;
    it.cpu.rflags = r->flags;
    ck_assert_msg(interp_step(&it), "interpreter stopped: %s", vm.stop_reason);
    ck_assert_uint_eq(it.cpu.rip, 0x100 + len);
    r->rax = it.cpu.gpr[0];
    r->rcx = it.cpu.gpr[1];
    r->rdx = it.cpu.gpr[2];
    r->rbx = it.cpu.gpr[3];
    r->flags = it.cpu.rflags;
}

/* Encode: optional 66 prefix, then the byte form (size 1) or the word/
 * dword form of the opcode bytes.  @p bits is the code's default operand
 * size: 32 for the host's 64-bit mode and the flat mode, 16 for real
 * mode, where the prefix means the opposite (SDM Vol. 1 §3.6, Table 3-3). */
static size_t encode(uint8_t *out, unsigned bits, unsigned size, const uint8_t *op8, const uint8_t *opv,
                     size_t oplen)
{
    size_t n = 0;
    if (size == 1) {
        memcpy(out, op8, oplen);
        return oplen;
    }
    if ((size == 2) != (bits == 16))
        out[n++] = 0x66;
    memcpy(out + n, opv, oplen);
    return n + oplen;
}

static const char *fmt_bytes(const uint8_t *b, size_t n)
{
    static char s[64];
    size_t o = 0;
    for (size_t i = 0; i < n && o + 4 < sizeof s; i++)
        o += (size_t)snprintf(s + o, sizeof s - o, "%02x ", b[i]);
    return s;
}

/**
 * Run one case on the host and in both interpreter modes and compare.
 * @param what     name for messages
 * @param op8      opcode bytes of the byte form (NULL: no byte form)
 * @param opv      opcode bytes of the word/dword form
 * @param oplen    bytes in each
 * @param size     operand size
 * @param in       register state before
 * @param defined  flags that must match
 * @param regmask  which of rax, rcx, rdx, rbx (bits 0-3) must match
 */
static void cross_check(const char *what, const uint8_t *op8, const uint8_t *opv, size_t oplen, unsigned size,
                        const struct regs *in, uint32_t defined, unsigned regmask)
{
    uint8_t host_code[16], code[16];
    size_t hl = encode(host_code, 32, size, op8, opv, oplen);
    struct regs want = *in;
    host_run(&want, host_code, hl);
    for (unsigned m = 0; m < 2; m++) {
        enum interp_mode mode = m ? INTERP_MODE_REAL : INTERP_MODE_FLAT32;
        size_t cl = encode(code, mode == INTERP_MODE_REAL ? 16 : 32, size, op8, opv, oplen);
        struct regs got = *in;
        interp_run_one(&got, mode, code, cl);
        const uint64_t *w = &want.rax, *g = &got.rax;
        for (unsigned i = 0; i < 4; i++)
            ck_assert_msg(!(regmask & (1u << i)) || (uint32_t)w[i] == (uint32_t)g[i],
                          "%s (%s, %s mode) in rax=%#lx rcx=%#lx rdx=%#lx flags=%#lx: reg %u host %#x interp %#x",
                          what, fmt_bytes(code, cl), m ? "real" : "flat32", (unsigned long)in->rax,
                          (unsigned long)in->rcx, (unsigned long)in->rdx, (unsigned long)in->flags, i,
                          (uint32_t)w[i], (uint32_t)g[i]);
        ck_assert_msg((want.flags & defined) == (got.flags & defined),
                      "%s (%s, %s mode) in rax=%#lx rcx=%#lx rdx=%#lx flags=%#lx: flags host %#lx interp %#lx "
                      "(compared %#x)",
                      what, fmt_bytes(code, cl), m ? "real" : "flat32", (unsigned long)in->rax,
                      (unsigned long)in->rcx, (unsigned long)in->rdx, (unsigned long)in->flags,
                      (unsigned long)(want.flags & defined), (unsigned long)(got.flags & defined), defined);
    }
}

static void setup(void)
{
    host_setup();
    shim_vm_init(&vm, 0x10000);
}

static void teardown(void)
{
    shim_vm_free(&vm);
}

/* Boundary values per operand size: around 0, the sign bit and all-ones,
 * the nibble carry, and a pattern. */
static const uint32_t vals8[] = { 0, 1, 2, 0x0f, 0x10, 0x7e, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x5a };
static const uint32_t vals16[] = { 0, 1, 0x0f, 0xff, 0x100, 0x7ffe, 0x7fff, 0x8000, 0x8001, 0xfffe, 0xffff, 0x1234 };
static const uint32_t vals32[] = { 0,          1,          0x0f,       0xffff,     0x10000,    0x7ffffffe,
                                   0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x12345678 };
#define NVALS 12

static const uint32_t *vals_for(unsigned size)
{
    return size == 1 ? vals8 : size == 2 ? vals16 : vals32;
}

/* Bits above the operand in the same register: must survive a narrow write. */
static uint64_t with_upper(uint32_t v, unsigned size)
{
    return size == 4 ? v : (0x5a5a5a00u & ~(uint32_t)(size == 1 ? 0xff : 0xffff)) | v;
}

static const uint64_t flags_in[] = { 0x002, 0x002 | FL_ALL };

/* Two-operand ALU: "op eax, ecx" (01-style opcodes, ModRM C8). */
START_TEST(test_alu2)
{
    static const struct {
        const char *name;
        uint8_t op8, opv;
        uint32_t defined;
    } ops[] = {
        { "add", 0x00, 0x01, FL_ALL },       { "or", 0x08, 0x09, FL_ALL & ~AF }, { "adc", 0x10, 0x11, FL_ALL },
        { "sbb", 0x18, 0x19, FL_ALL },       { "and", 0x20, 0x21, FL_ALL & ~AF }, { "sub", 0x28, 0x29, FL_ALL },
        { "xor", 0x30, 0x31, FL_ALL & ~AF }, { "cmp", 0x38, 0x39, FL_ALL },       { "test", 0x84, 0x85, FL_ALL & ~AF },
    };
    for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++)
        for (unsigned size = 1; size <= 4; size *= 2) {
            const uint32_t *v = vals_for(size);
            uint8_t b8[2] = { ops[o].op8, 0xc8 }, bv[2] = { ops[o].opv, 0xc8 };
            for (unsigned i = 0; i < NVALS; i++)
                for (unsigned j = 0; j < NVALS; j++)
                    for (unsigned f = 0; f < 2; f++) {
                        struct regs r = { with_upper(v[i], size), with_upper(v[j], size), 0, 0, flags_in[f] };
                        cross_check(ops[o].name, b8, bv, 2, size, &r, ops[o].defined, 0xf);
                    }
        }
}
END_TEST

/* TEST with an immediate, "test $imm,%eax": F6/F7 /0 and its undocumented
 * alias /1 (blank in SDM Vol. 2A Table A-6), which the host executes as
 * TEST.  The immediate follows the operand size (Iz: imm16 or imm32). */
START_TEST(test_test_imm)
{
    static const uint32_t imms[] = { 0, 0xffffffff, 0x80000001, 0x12345678, 0x00ff00ff };
    for (unsigned reg = 0; reg < 2; reg++)
        for (unsigned size = 1; size <= 4; size *= 2)
            for (unsigned k = 0; k < sizeof imms / sizeof imms[0]; k++) {
                uint8_t modrm = (uint8_t)(0xc0 | (reg << 3));
                uint8_t b8[3] = { 0xf6, modrm, (uint8_t)imms[k] };
                uint8_t bv[6] = { 0xf7, modrm, (uint8_t)imms[k], (uint8_t)(imms[k] >> 8),
                                  (uint8_t)(imms[k] >> 16), (uint8_t)(imms[k] >> 24) };
                size_t len = 2 + size; /* opcode, ModRM, imm8/16/32 */
                const uint32_t *v = vals_for(size);
                for (unsigned i = 0; i < NVALS; i++)
                    for (unsigned f = 0; f < 2; f++) {
                        struct regs r = { with_upper(v[i], size), 0, 0, 0, flags_in[f] };
                        cross_check(reg ? "test (/1)" : "test", b8, bv, len, size, &r, FL_ALL & ~AF, 0xf);
                    }
            }
}
END_TEST

/* One-operand: INC DEC NEG NOT on EAX (FE/FF /0 /1, F6/F7 /3 /2: the
 * 40-4F short forms are REX prefixes on the 64-bit host). */
START_TEST(test_alu1)
{
    static const struct {
        const char *name;
        uint8_t op8, opv, modrm;
    } ops[] = {
        { "inc", 0xfe, 0xff, 0xc0 }, { "dec", 0xfe, 0xff, 0xc8 }, { "neg", 0xf6, 0xf7, 0xd8 }, { "not", 0xf6, 0xf7, 0xd0 },
    };
    for (unsigned o = 0; o < 4; o++)
        for (unsigned size = 1; size <= 4; size *= 2) {
            const uint32_t *v = vals_for(size);
            uint8_t b8[2] = { ops[o].op8, ops[o].modrm }, bv[2] = { ops[o].opv, ops[o].modrm };
            for (unsigned i = 0; i < NVALS; i++)
                for (unsigned f = 0; f < 2; f++) {
                    struct regs r = { with_upper(v[i], size), 0, 0, 0, flags_in[f] };
                    cross_check(ops[o].name, b8, bv, 2, size, &r, FL_ALL, 0xf);
                }
        }
}
END_TEST

/* Flags the SDM defines after a shift or rotate of a @p size-byte value
 * by count @p c (SDM Vol. 2B "SAL/SAR/SHL/SHR", "RCL/RCR/ROL/ROR"). */
static uint32_t shift_defined(unsigned reg, unsigned size, unsigned c)
{
    unsigned bits = 8 * size;
    c &= 31;
    if (c == 0)
        return FL_ALL; /* nothing changes */
    if (reg <= 3) {    /* ROL ROR RCL RCR: only CF and OF are affected */
        uint32_t d = CF | SF | ZF | AF | PF;
        return c == 1 ? d | OF : d;
    }
    uint32_t d = SF | ZF | PF; /* SHL SHR SAR: AF undefined */
    if (c == 1)
        d |= OF;
    /* CF is undefined for SHL/SHR when the count reaches the width. */
    if (reg == 7 || c < bits)
        d |= CF;
    return d;
}

START_TEST(test_shifts)
{
    /* /6 is blank in SDM Vol. 2A Table A-6; processors run it as SHL, and
     * so must the interpreter: the host decides here too. */
    static const char *const names[8] = { "rol", "ror", "rcl", "rcr", "shl", "shr", "shl (/6)", "sar" };
    for (unsigned reg = 0; reg < 8; reg++) {
        for (unsigned size = 1; size <= 4; size *= 2) {
            const uint32_t *v = vals_for(size);
            uint8_t modrm = (uint8_t)(0xc0 | (reg << 3));
            uint8_t cl8[2] = { 0xd2, modrm }, clv[2] = { 0xd3, modrm }; /* by CL */
            uint8_t one8[2] = { 0xd0, modrm }, onev[2] = { 0xd1, modrm }; /* by 1 */
            for (unsigned i = 0; i < NVALS; i++)
                for (unsigned f = 0; f < 2; f++) {
                    for (unsigned c = 0; c <= 33; c++) {
                        struct regs r = { with_upper(v[i], size), 0x100 | c, 0, 0, flags_in[f] };
                        cross_check(names[reg], cl8, clv, 2, size, &r, shift_defined(reg, size, c), 0xf);
                    }
                    struct regs r = { with_upper(v[i], size), 0, 0, 0, flags_in[f] };
                    cross_check(names[reg], one8, onev, 2, size, &r, shift_defined(reg, size, 1), 0xf);
                }
        }
    }
}
END_TEST

START_TEST(test_shift_double)
{
    /* shld/shrd eax, edx, cl: 0F A5 / 0F AD, ModRM D0. */
    static const uint8_t shld[3] = { 0x0f, 0xa5, 0xd0 }, shrd[3] = { 0x0f, 0xad, 0xd0 };
    for (unsigned size = 2; size <= 4; size *= 2) {
        const uint32_t *v = vals_for(size);
        for (unsigned i = 0; i < NVALS; i += 2)
            for (unsigned j = 1; j < NVALS; j += 3)
                for (unsigned c = 0; c <= 32; c++) {
                    unsigned mc = c & 31;
                    uint32_t d = mc == 0 ? FL_ALL : mc == 1 ? CF | OF | SF | ZF | PF : CF | SF | ZF | PF;
                    /* A count above the width is undefined: result too. */
                    unsigned regs = mc > 8 * size ? 0xe : 0xf;
                    if (mc > 8 * size)
                        d = 0;
                    struct regs r = { with_upper(v[i], size), c, with_upper(v[j], size), 0, flags_in[c & 1] };
                    cross_check("shld", NULL, shld, 3, size, &r, d, regs);
                    cross_check("shrd", NULL, shrd, 3, size, &r, d, regs);
                }
    }
}
END_TEST

START_TEST(test_muldiv)
{
    for (unsigned size = 1; size <= 4; size *= 2) {
        const uint32_t *v = vals_for(size);
        uint32_t m = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
        for (unsigned i = 0; i < NVALS; i++)
            for (unsigned j = 0; j < NVALS; j++) {
                struct regs r = { with_upper(v[i], size), with_upper(v[j], size), with_upper(v[(i + j) % NVALS], size),
                                  0, flags_in[j & 1] };
                /* mul ecx (F7 /4), imul ecx (F7 /5): CF and OF only. */
                uint8_t mul8[2] = { 0xf6, 0xe1 }, mulv[2] = { 0xf7, 0xe1 };
                uint8_t imul8[2] = { 0xf6, 0xe9 }, imulv[2] = { 0xf7, 0xe9 };
                cross_check("mul", mul8, mulv, 2, size, &r, CF | OF, 0xf);
                cross_check("imul", imul8, imulv, 2, size, &r, CF | OF, 0xf);
                if (size > 1) {
                    uint8_t imul2[3] = { 0x0f, 0xaf, 0xc1 };       /* imul eax, ecx */
                    uint8_t imul3[3] = { 0x6b, 0xc1, 0x85 };       /* imul eax, ecx, -123 */
                    uint8_t imul3z[6] = { 0x69, 0xc1, 0x39, 0x30, 0x00, 0x00 }; /* imul eax, ecx, 12345 */
                    cross_check("imul2", NULL, imul2, 3, size, &r, CF | OF, 0xf);
                    cross_check("imul3", NULL, imul3, 3, size, &r, CF | OF, 0xf);
                    cross_check("imul3", NULL, imul3z, size == 2 ? 4 : 6, size, &r, CF | OF, 0xf);
                }
                /* div ecx (F7 /6), idiv ecx (F7 /7), only where the host does
                 * not raise #DE: divisor != 0 and the quotient fits. */
                uint32_t b = v[j] & m;
                if (b == 0)
                    continue;
                unsigned bits = 8 * size;
                uint64_t dividend = size == 1 ? (r.rax & 0xffff)
                                              : (((uint64_t)(r.rdx & m) << bits) | (r.rax & m));
                if (dividend / b <= m) {
                    uint8_t div8[2] = { 0xf6, 0xf1 }, divv[2] = { 0xf7, 0xf1 };
                    cross_check("div", div8, divv, 2, size, &r, 0, 0xf);
                }
                int64_t sd = size == 4 ? (int64_t)dividend
                                       : (int64_t)(dividend ^ ((uint64_t)1 << (2 * bits - 1))) -
                                             (int64_t)((uint64_t)1 << (2 * bits - 1));
                int64_t sb = (int64_t)(int32_t)((b ^ (1u << (bits - 1))) - (1u << (bits - 1)));
                if (size == 4 && sd == INT64_MIN && sb == -1)
                    continue;
                int64_t q = sd / sb;
                if (q >= -((int64_t)1 << (bits - 1)) && q < ((int64_t)1 << (bits - 1))) {
                    uint8_t idiv8[2] = { 0xf6, 0xf9 }, idivv[2] = { 0xf7, 0xf9 };
                    cross_check("idiv", idiv8, idivv, 2, size, &r, 0, 0xf);
                }
            }
    }
}
END_TEST

START_TEST(test_bits)
{
    for (unsigned size = 2; size <= 4; size *= 2) {
        const uint32_t *v = vals_for(size);
        for (unsigned i = 0; i < NVALS; i++)
            for (unsigned f = 0; f < 2; f++) {
                struct regs r = { with_upper(0x77, size), with_upper(v[i], size), 0, 0, flags_in[f] };
                uint8_t bsf[3] = { 0x0f, 0xbc, 0xc1 }, bsr[3] = { 0x0f, 0xbd, 0xc1 }; /* bsf/bsr eax, ecx */
                /* The destination is undefined for a zero source: compare
                 * it only when the source has a bit set. */
                unsigned regs = (v[i] != 0) ? 0xf : 0xe;
                cross_check("bsf", NULL, bsf, 3, size, &r, ZF, regs);
                cross_check("bsr", NULL, bsr, 3, size, &r, ZF, regs);
                for (unsigned bit = 0; bit < 40; bit += 3) {
                    /* bt/bts/btr/btc eax, ecx (0F A3/AB/B3/BB, ModRM C8):
                     * CF = the bit, ZF unaffected; offset modulo the width. */
                    static const uint8_t ops[4] = { 0xa3, 0xab, 0xb3, 0xbb };
                    struct regs b = { with_upper(v[i], size), bit, 0, 0, flags_in[f] };
                    for (unsigned k = 0; k < 4; k++) {
                        uint8_t code[3] = { 0x0f, ops[k], 0xc8 };
                        cross_check("bt*", NULL, code, 3, size, &b, CF | ZF, 0xf);
                    }
                }
            }
    }
}
END_TEST

START_TEST(test_convert)
{
    /* cbw/cwde (98), cwd/cdq (99): sign extension, no flags. */
    static const uint8_t cbw[1] = { 0x98 }, cwd[1] = { 0x99 };
    for (unsigned size = 2; size <= 4; size *= 2)
        for (unsigned i = 0; i < NVALS; i++) {
            struct regs r = { vals32[i] ^ 0x80, 0, 0x5a5a5a5a, 0, 0x2 };
            cross_check("cbw", NULL, cbw, 1, size, &r, FL_ALL, 0xf);
            cross_check("cwd", NULL, cwd, 1, size, &r, FL_ALL, 0xf);
        }
}
END_TEST

START_TEST(test_conditions)
{
    /* setcc al (0F 90+cc C0) for all 16 conditions and all 32
     * combinations of the five flags they read; and cmc/clc/stc, lahf,
     * sahf on the same inputs. */
    static const uint32_t bit[5] = { CF, PF, ZF, SF, OF };
    for (unsigned combo = 0; combo < 32; combo++) {
        uint64_t fl = 0x2;
        for (unsigned k = 0; k < 5; k++)
            if (combo & (1u << k))
                fl |= bit[k];
        for (unsigned cc = 0; cc < 16; cc++) {
            uint8_t code[3] = { 0x0f, (uint8_t)(0x90 + cc), 0xc0 };
            struct regs r = { 0x12345678, 0, 0, 0, fl };
            cross_check("setcc", NULL, code, 3, 4, &r, FL_ALL, 0xf);
        }
        static const uint8_t one[5][1] = { { 0xf5 }, { 0xf8 }, { 0xf9 }, { 0x9f }, { 0x9e } };
        for (unsigned k = 0; k < 5; k++) {
            struct regs r = { 0x1234d700u | combo, 0, 0, 0, fl | (combo & 1 ? AF : 0) };
            cross_check("cmc/clc/stc/lahf/sahf", NULL, one[k], 1, 4, &r, FL_ALL, 0xf);
        }
    }
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("interp_flags");
    TCase *tc = tcase_create("host_cross_check");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_alu2);
    tcase_add_test(tc, test_alu1);
    tcase_add_test(tc, test_test_imm);
    tcase_add_test(tc, test_shifts);
    tcase_add_test(tc, test_shift_double);
    tcase_add_test(tc, test_muldiv);
    tcase_add_test(tc, test_bits);
    tcase_add_test(tc, test_convert);
    tcase_add_test(tc, test_conditions);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
