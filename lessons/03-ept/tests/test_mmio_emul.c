/**
 * @file test_mmio_emul.c
 * @brief Unit tests of the MMIO instruction emulator's core
 *        (mmio/mmio_emul_core.c), hosted, with the Check framework.
 *
 * The environment is a toy guest: 64 KiB of RAM at GPA 0, a 4 KiB
 * recording device at DEV (its bytes read back what was written, every
 * access is logged), linear addresses translated by adding @c shift (so a
 * test sees that the core used the translation), and the faulting GPA the
 * test names.  Each test writes real instruction bytes and checks the
 * device log, registers, flags, length and status.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "mmio/mmio_emul_core.h"
#include "spectrum/x86_bits.h"

#define DEV      0xfeb00000ull
#define RAM_SIZE 0x10000ull
#define FIXED    RFLAGS_FIXED

struct access {
    uint64_t gpa;
    unsigned size;
    bool write;
    uint64_t value;
};

static struct {
    uint8_t ram[RAM_SIZE];
    uint8_t dev[0x1000];
    struct access log[64];
    unsigned logged;
    uint64_t shift;            /* linear + shift = GPA */
    bool no_translate;         /* translate fails */
    bool ro;                   /* translate refuses writes */
} t;

static bool tr(void *ctx, uint64_t linear, bool write, uint64_t *gpa)
{
    (void)ctx;
    if (t.no_translate || (write && t.ro))
        return false;
    *gpa = linear + t.shift;
    return true;
}

static bool in_dev(uint64_t gpa, unsigned size)
{
    return gpa >= DEV && gpa - DEV + size <= sizeof t.dev;
}

static void log_access(uint64_t gpa, unsigned size, bool write, uint64_t value)
{
    if (t.logged < 64)
        t.log[t.logged] = (struct access){ gpa, size, write, value };
    t.logged++;
}

static bool rd(void *ctx, uint64_t gpa, unsigned size, uint64_t *v)
{
    (void)ctx;
    uint8_t *p = in_dev(gpa, size) ? &t.dev[gpa - DEV] : gpa + size <= RAM_SIZE ? &t.ram[gpa] : NULL;
    if (!p)
        return false;
    *v = 0;
    memcpy(v, p, size);
    if (in_dev(gpa, size))
        log_access(gpa, size, false, *v);
    return true;
}

static bool wr(void *ctx, uint64_t gpa, unsigned size, uint64_t v)
{
    (void)ctx;
    uint8_t *p = in_dev(gpa, size) ? &t.dev[gpa - DEV] : gpa + size <= RAM_SIZE ? &t.ram[gpa] : NULL;
    if (!p)
        return false;
    memcpy(p, &v, size);
    if (in_dev(gpa, size))
        log_access(gpa, size, true, v);
    return true;
}

static struct mmio_env env;
static struct vcpu_regs regs;
static struct mmio_core_result res;

static void setup(void)
{
    memset(&t, 0, sizeof t);
    memset(&regs, 0, sizeof regs);
    memset(&res, 0, sizeof res);
    env = (struct mmio_env){ .translate = tr, .read = rd, .write = wr, .code_bits = 32, .gpa = DEV };
    regs.rflags = FIXED;
    regs.rip = 0x1000;
}

/* Emulate bytes given as a string literal in @p bits-bit code, faulting at @p gpa. */
static enum mmio_core_status run_n(unsigned bits, uint64_t gpa, const char *b, size_t n)
{
    env.code_bits = bits;
    env.gpa = gpa;
    return mmio_core_emulate(&env, &regs, (const uint8_t *)b, n, &res);
}
#define RUN(bits, gpa, lit) run_n(bits, gpa, lit, sizeof(lit) - 1)

static void dev_put(uint64_t off, uint64_t v, unsigned size)
{
    memcpy(&t.dev[off], &v, size);
}

static uint64_t dev_get(uint64_t off, unsigned size)
{
    uint64_t v = 0;
    memcpy(&v, &t.dev[off], size);
    return v;
}

#define ASSERT_DONE(len)                                                                           \
    do {                                                                                           \
        ck_assert_msg(res.status == MMIO_CORE_DONE, "status %d: %s", res.status, res.why);         \
        ck_assert_uint_eq(res.length, len);                                                        \
    } while (0)

#define ASSERT_FAIL()                                                                              \
    do {                                                                                           \
        ck_assert_int_eq(res.status, MMIO_CORE_FAIL);                                              \
        ck_assert(res.why[0] != 0);                                                                \
    } while (0)

/* ---- MOV ------------------------------------------------------------ */

START_TEST(mov_store_sizes_32)
{
    regs.gpr[GPR_RAX] = DEV + 0x10;
    regs.gpr[GPR_RBX] = 0x1122334455667788ull;
    RUN(32, DEV + 0x10, "\x88\x18");                   /* mov [eax], bl */
    ASSERT_DONE(2);
    ck_assert_uint_eq(t.logged, 1);
    ck_assert(t.log[0].write);
    ck_assert_uint_eq(t.log[0].size, 1);
    ck_assert_uint_eq(t.log[0].value, 0x88);
    RUN(32, DEV + 0x10, "\x66\x89\x18");               /* mov [eax], bx */
    ASSERT_DONE(3);
    ck_assert_uint_eq(t.log[1].size, 2);
    ck_assert_uint_eq(t.log[1].value, 0x7788);
    RUN(32, DEV + 0x10, "\x89\x18");                   /* mov [eax], ebx */
    ASSERT_DONE(2);
    ck_assert_uint_eq(t.log[2].size, 4);
    ck_assert_uint_eq(t.log[2].value, 0x55667788);
    ck_assert_uint_eq(dev_get(0x10, 4), 0x55667788);
    regs.gpr[GPR_RBX] = 0x1234;
    RUN(32, DEV + 0x10, "\x88\x3c\x24" /* mov [esp], bh */);   /* ESP = 0: not DEV */
    ASSERT_FAIL();
    ck_assert_uint_eq(regs.rip, 0x1000);                /* the core never moves RIP */
}
END_TEST

START_TEST(mov_load_sizes_32)
{
    regs.gpr[GPR_RAX] = DEV + 0x20;
    dev_put(0x20, 0xa1b2c3d4, 4);
    regs.gpr[GPR_RCX] = 0xffffffffffffffffull;
    RUN(32, DEV + 0x20, "\x8a\x08");                   /* mov cl, [eax] */
    ASSERT_DONE(2);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0xffffffffffffffd4ull);
    RUN(32, DEV + 0x20, "\x8a\x28");                   /* mov ch, [eax] */
    ASSERT_DONE(2);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0xffffffffffffd4d4ull);
    RUN(32, DEV + 0x20, "\x66\x8b\x08");               /* mov cx, [eax] */
    ASSERT_DONE(3);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0xffffffffffffc3d4ull);
    RUN(32, DEV + 0x20, "\x8b\x08");                   /* mov ecx, [eax] */
    ASSERT_DONE(2);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0xa1b2c3d4ull);
    ck_assert_uint_eq(t.logged, 4);
    ck_assert(!t.log[3].write);
    ck_assert_uint_eq(t.log[3].size, 4);
}
END_TEST

START_TEST(mov_imm_and_moffs_32)
{
    regs.gpr[GPR_RDI] = DEV + 0x40;
    RUN(32, DEV + 0x41, "\xc6\x47\x01\x5a");           /* mov byte [edi+1], 0x5a */
    ASSERT_DONE(4);
    ck_assert_uint_eq(dev_get(0x41, 1), 0x5a);
    RUN(32, DEV + 0x40, "\xc7\x07\x78\x56\x34\x12");   /* mov dword [edi], 0x12345678 */
    ASSERT_DONE(6);
    ck_assert_uint_eq(dev_get(0x40, 4), 0x12345678);
    RUN(32, DEV + 0x40, "\x66\xc7\x07\xcd\xab");       /* mov word [edi], 0xabcd */
    ASSERT_DONE(5);
    ck_assert_uint_eq(dev_get(0x40, 2), 0xabcd);
    RUN(32, DEV + 0x40, "\xa1\x40\x00\xb0\xfe");       /* mov eax, [0xfeb00040] */
    ASSERT_DONE(5);
    ck_assert_uint_eq(regs.gpr[GPR_RAX], 0x1234abcd);
    regs.gpr[GPR_RAX] = 0x99;
    RUN(32, DEV + 0x44, "\xa2\x44\x00\xb0\xfe");       /* mov [0xfeb00044], al */
    ASSERT_DONE(5);
    ck_assert_uint_eq(dev_get(0x44, 1), 0x99);
}
END_TEST

START_TEST(mov_sib_segment_translation_32)
{
    /* mov [eax+ecx*4+8], edx with DS base 0x100 and linear->GPA shift */
    env.seg_base[3] = 0x100;
    t.shift = 0x1000;
    regs.gpr[GPR_RAX] = DEV - 0x1100;
    regs.gpr[GPR_RCX] = 2;
    regs.gpr[GPR_RDX] = 0xdeadbeef;
    RUN(32, DEV + 0x10, "\x89\x54\x88\x08");
    ASSERT_DONE(4);
    ck_assert_uint_eq(t.log[0].gpa, DEV + 0x10);
    ck_assert_uint_eq(dev_get(0x10, 4), 0xdeadbeef);
    /* FS override: FS base, not DS */
    env.seg_base[4] = DEV - 0x1000 - 0x200;
    regs.gpr[GPR_RAX] = 0x220;
    RUN(32, DEV + 0x20, "\x64\x89\x10");               /* mov fs:[eax], edx */
    ASSERT_DONE(3);
    ck_assert_uint_eq(t.log[1].gpa, DEV + 0x20);
    /* EBP-based forms use SS */
    env.seg_base[2] = DEV - 0x1000;
    regs.gpr[GPR_RBP] = 0x30;
    RUN(32, DEV + 0x30, "\x8b\x45\x00");               /* mov eax, [ebp+0] */
    ASSERT_DONE(3);
    ck_assert_uint_eq(regs.gpr[GPR_RAX], 0);
    /* 32-bit linear addresses wrap at 4 GiB */
    t.shift = 0;
    env.seg_base[3] = 0x200;
    regs.gpr[GPR_RBX] = (DEV - 0x200 + 0x50) | 0x100000000ull;   /* upper half ignored */
    RUN(32, DEV + 0x50, "\x89\x13");                   /* mov [ebx], edx */
    ASSERT_DONE(2);
}
END_TEST

START_TEST(mov_16bit_addressing)
{
    env.seg_base[3] = DEV;                              /* DS */
    regs.gpr[GPR_RBX] = 0x1fffe;                        /* BX = 0xfffe: 16-bit wrap */
    regs.gpr[GPR_RSI] = 0x4;
    regs.gpr[GPR_RAX] = 0xffffffff12345678ull;
    /* mov [bx+si+0x100], ax: EA = (0xfffe + 4 + 0x100) & 0xffff = 0x102 */
    RUN(16, DEV + 0x102, "\x89\x80\x00\x01");
    ASSERT_DONE(4);
    ck_assert_uint_eq(t.log[0].size, 2);
    ck_assert_uint_eq(t.log[0].value, 0x5678);
    /* operand-size prefix: mov eax, [bx+si+0x100] */
    RUN(16, DEV + 0x102, "\x66\x8b\x80\x00\x01");
    ASSERT_DONE(5);
    ck_assert_uint_eq(regs.gpr[GPR_RAX], 0x5678);
    /* [bp+di] uses SS */
    env.seg_base[2] = DEV;
    regs.gpr[GPR_RBP] = 0x10;
    regs.gpr[GPR_RDI] = 0x8;
    RUN(16, DEV + 0x18, "\x88\x23");                   /* mov [bp+di], ah */
    ASSERT_DONE(2);
    ck_assert_uint_eq(t.log[2].value, 0x56);
    /* address-size prefix: 32-bit addressing in 16-bit code */
    env.seg_base[3] = 0;
    regs.gpr[GPR_RCX] = DEV + 0x60;
    RUN(16, DEV + 0x60, "\x67\x88\x01");               /* mov [ecx], al */
    ASSERT_DONE(3);
    ck_assert_uint_eq(dev_get(0x60, 1), 0x78);
}
END_TEST

START_TEST(mov_64bit)
{
    env.seg_base[3] = 0x5000;                           /* ignored in 64-bit mode */
    regs.gpr[GPR_RAX] = DEV + 0x80;
    regs.gpr[GPR_RBX] = 0x0123456789abcdefull;
    RUN(64, DEV + 0x80, "\x48\x89\x18");               /* mov [rax], rbx */
    ASSERT_DONE(3);
    ck_assert_uint_eq(t.log[0].size, 8);
    ck_assert_uint_eq(dev_get(0x80, 8), 0x0123456789abcdefull);
    regs.gpr[GPR_RCX] = 0xffffffffffffffffull;
    RUN(64, DEV + 0x80, "\x8b\x08");                   /* mov ecx, [rax]: zero-extends */
    ASSERT_DONE(2);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0x89abcdefull);
    RUN(64, DEV + 0x80, "\x4c\x8b\x38");               /* mov r15, [rax] */
    ASSERT_DONE(3);
    ck_assert_uint_eq(regs.gpr[GPR_R15], 0x0123456789abcdefull);
    regs.gpr[GPR_RSI] = 0x1111;
    RUN(64, DEV + 0x80, "\x40\x8a\x30");               /* mov sil, [rax]: REX makes it SIL */
    ASSERT_DONE(3);
    ck_assert_uint_eq(regs.gpr[GPR_RSI], 0x11ef);
    RUN(64, DEV + 0x80, "\x48\xc7\x00\xff\xff\xff\xff");   /* mov qword [rax], -1 */
    ASSERT_DONE(7);
    ck_assert_uint_eq(dev_get(0x80, 8), 0xffffffffffffffffull);
    regs.gpr[GPR_R9] = DEV + 0x90;
    regs.gpr[GPR_R10] = 0xaabbccdd11223344ull;
    RUN(64, DEV + 0x90, "\x45\x89\x11");               /* mov [r9], r10d */
    ASSERT_DONE(3);
    ck_assert_uint_eq(dev_get(0x90, 8), 0x11223344ull);
}
END_TEST

START_TEST(mov_64bit_rip_relative_and_gs)
{
    regs.rip = DEV - 0x1000;
    /* mov eax, [rip + 0x1000 - 6 + 0x10]: next RIP + disp = DEV + 0x10 */
    dev_put(0x10, 0xcafef00d, 4);
    RUN(64, DEV + 0x10, "\x8b\x05\x0a\x10\x00\x00");
    ASSERT_DONE(6);
    ck_assert_uint_eq(regs.gpr[GPR_RAX], 0xcafef00d);
    env.seg_base[5] = DEV;
    regs.gpr[GPR_RBX] = 0x20;
    regs.gpr[GPR_RAX] = 7;
    RUN(64, DEV + 0x20, "\x65\x48\x89\x03");           /* mov gs:[rbx], rax */
    ASSERT_DONE(4);
    ck_assert_uint_eq(dev_get(0x20, 8), 7);
    /* A 32-bit address in 64-bit code truncates the effective address. */
    regs.gpr[GPR_RBX] = 0xffffffff00000030ull;
    RUN(64, DEV + 0x30, "\x65\x67\x48\x89\x03");       /* mov gs:[ebx], rax */
    ASSERT_DONE(5);
    ck_assert_uint_eq(t.log[2].gpa, DEV + 0x30);
}
END_TEST

START_TEST(movzx_movsx)
{
    regs.gpr[GPR_RBX] = DEV + 0x8;
    dev_put(0x8, 0x8081, 2);
    regs.gpr[GPR_RAX] = ~0ull;
    RUN(32, DEV + 0x8, "\x0f\xb6\x03");                /* movzx eax, byte [ebx] */
    ASSERT_DONE(3);
    ck_assert_uint_eq(regs.gpr[GPR_RAX], 0x81);
    RUN(32, DEV + 0x8, "\x0f\xbe\x03");                /* movsx eax, byte [ebx] */
    ASSERT_DONE(3);
    ck_assert_uint_eq(regs.gpr[GPR_RAX], 0xffffff81ull);
    RUN(32, DEV + 0x8, "\x0f\xb7\x0b");                /* movzx ecx, word [ebx] */
    ASSERT_DONE(3);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0x8081);
    regs.gpr[GPR_RDX] = 0xffff0000;
    RUN(32, DEV + 0x8, "\x66\x0f\xbe\x13");            /* movsx dx, byte [ebx] */
    ASSERT_DONE(4);
    ck_assert_uint_eq(regs.gpr[GPR_RDX], 0xffffff81ull);
    RUN(64, DEV + 0x8, "\x48\x0f\xbf\x03");            /* movsx rax, word [rbx] */
    ASSERT_DONE(4);
    ck_assert_uint_eq(regs.gpr[GPR_RAX], 0xffffffffffff8081ull);
    dev_put(0x8, 0x80000000, 4);
    RUN(64, DEV + 0x8, "\x48\x63\x03");                /* movsxd rax, dword [rbx] */
    ASSERT_DONE(3);
    ck_assert_uint_eq(regs.gpr[GPR_RAX], 0xffffffff80000000ull);
    RUN(16, DEV + 0x8, "\x0f\xb6\x07");                /* movzx ax, byte [bx]: DS base 0 */
    ck_assert_int_eq(res.status, MMIO_CORE_FAIL);      /* BX = 0xb0_0008 & 0xffff: not the GPA */
}
END_TEST

/* ---- logic and compare, flags ---------------------------------------- */

#define ARITH (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_OF)

START_TEST(logic_forms_and_flags)
{
    regs.gpr[GPR_RAX] = DEV;
    dev_put(0, 0xf0f0f0f0, 4);
    regs.gpr[GPR_RCX] = 0x0ff000ff;
    regs.rflags = FIXED | ARITH | RFLAGS_DF | RFLAGS_IF;
    RUN(32, DEV, "\x21\x08");                           /* and [eax], ecx */
    ASSERT_DONE(2);
    ck_assert_uint_eq(dev_get(0, 4), 0x00f000f0);
    /* 0xf0: 4 ones, PF=1; SF=0; ZF=0; CF, OF, AF cleared; DF, IF kept */
    ck_assert_uint_eq(regs.rflags, FIXED | RFLAGS_DF | RFLAGS_IF | RFLAGS_PF);
    RUN(32, DEV, "\x09\x08");                           /* or [eax], ecx */
    ASSERT_DONE(2);
    ck_assert_uint_eq(dev_get(0, 4), 0x0ff000ff);
    ck_assert_uint_eq(regs.rflags & ARITH, RFLAGS_PF);   /* 0xff: 8 ones */
    RUN(32, DEV, "\x33\x08");                           /* xor ecx, [eax] */
    ASSERT_DONE(2);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0);
    ck_assert_uint_eq(regs.rflags & ARITH, RFLAGS_ZF | RFLAGS_PF);
    RUN(32, DEV, "\x81\x30\x00\x00\x00\x80");          /* xor dword [eax], 0x80000000 */
    ASSERT_DONE(6);
    ck_assert_uint_eq(dev_get(0, 4), 0x8ff000ff);
    ck_assert_uint_eq(regs.rflags & ARITH, RFLAGS_SF | RFLAGS_PF);
    RUN(32, DEV, "\x80\x08\x01");                       /* or byte [eax], 1 */
    ASSERT_DONE(3);
    ck_assert_uint_eq(dev_get(0, 1), 0xff);
    RUN(32, DEV, "\x83\x20\xfe");                       /* and dword [eax], -2 (sign-extended) */
    ASSERT_DONE(3);
    ck_assert_uint_eq(dev_get(0, 4), 0x8ff000fe);
    ck_assert_uint_eq(regs.rflags & ARITH, RFLAGS_SF);   /* 0xfe: 7 ones, PF=0 */
    regs.gpr[GPR_RDX] = 0x1234;
    RUN(32, DEV, "\x0a\x10");                           /* or dl, [eax] */
    ASSERT_DONE(2);
    ck_assert_uint_eq(regs.gpr[GPR_RDX], 0x12fe);
    RUN(32, DEV, "\x22\x30");                           /* and dh, [eax] */
    ASSERT_DONE(2);
    ck_assert_uint_eq(regs.gpr[GPR_RDX], 0x12fe);     /* 0x12 & 0xfe = 0x12 */
    RUN(64, DEV, "\x48\x83\x08\xff");                   /* or qword [rax], -1 */
    ASSERT_DONE(4);
    ck_assert_uint_eq(dev_get(0, 8), ~0ull);
    ck_assert_uint_eq(regs.rflags & ARITH, RFLAGS_SF | RFLAGS_PF);
    unsigned n = t.logged;
    regs.gpr[GPR_RCX] = 0;
    RUN(32, DEV, "\x08\x08");                           /* or [eax], cl: memory rewritten even if equal */
    ASSERT_DONE(2);
    ck_assert_uint_eq(t.logged, n + 2);               /* read, then write */
}
END_TEST

START_TEST(test_forms_do_not_write)
{
    regs.gpr[GPR_RAX] = DEV;
    dev_put(0, 0x80, 4);
    regs.gpr[GPR_RCX] = 0x80;
    RUN(32, DEV, "\x84\x08");                           /* test [eax], cl */
    ASSERT_DONE(2);
    ck_assert_uint_eq(regs.rflags & ARITH, RFLAGS_SF);   /* 0x80: one bit, PF=0 */
    RUN(32, DEV, "\x85\x08");                           /* test [eax], ecx */
    ASSERT_DONE(2);
    ck_assert_uint_eq(regs.rflags & ARITH, 0);
    RUN(32, DEV, "\xf6\x00\x01");                       /* test byte [eax], 1 */
    ASSERT_DONE(3);
    ck_assert_uint_eq(regs.rflags & ARITH, RFLAGS_ZF | RFLAGS_PF);
    RUN(32, DEV, "\xf7\x00\x80\x00\x00\x00");          /* test dword [eax], 0x80 */
    ASSERT_DONE(6);
    ck_assert_uint_eq(regs.rflags & ARITH, 0);
    for (unsigned i = 0; i < t.logged; i++)
        ck_assert(!t.log[i].write);
    ck_assert_uint_eq(dev_get(0, 4), 0x80);
}
END_TEST

START_TEST(cmp_is_a_subtraction)
{
    regs.gpr[GPR_RAX] = DEV;
    dev_put(0, 3, 4);
    RUN(32, DEV, "\x83\x38\x05");                       /* cmp dword [eax], 5 */
    ASSERT_DONE(3);
    /* 3 - 5 = 0xfffffffe: borrow, negative, low byte 0xfe odd parity, borrow from bit 4 */
    ck_assert_uint_eq(regs.rflags & ARITH, RFLAGS_CF | RFLAGS_SF | RFLAGS_AF);
    ck_assert_uint_eq(dev_get(0, 4), 3);              /* cmp never writes */
    dev_put(0, 0x7f, 1);
    RUN(32, DEV, "\x80\x38\x80");                       /* cmp byte [eax], 0x80 */
    ASSERT_DONE(3);
    /* 0x7f - 0x80 = 0xff: borrow, signed overflow, negative, even parity */
    ck_assert_uint_eq(regs.rflags & ARITH, RFLAGS_CF | RFLAGS_OF | RFLAGS_SF | RFLAGS_PF);
    regs.gpr[GPR_RCX] = 0x7f;
    RUN(32, DEV, "\x3b\x08");                           /* cmp ecx, [eax]: register first */
    ASSERT_DONE(2);
    ck_assert_uint_eq(regs.rflags & ARITH, RFLAGS_ZF | RFLAGS_PF);
    regs.gpr[GPR_RCX] = 0x80;
    RUN(32, DEV, "\x39\x08");                           /* cmp [eax], ecx: 0x7f - 0x80 */
    ASSERT_DONE(2);
    ck_assert_uint_eq(regs.rflags & ARITH, RFLAGS_CF | RFLAGS_SF | RFLAGS_PF);
    RUN(32, DEV, "\x3a\x08");                           /* cmp cl, [eax]: 0x80 - 0x7f = 1, OF */
    ASSERT_DONE(2);
    ck_assert_uint_eq(regs.rflags & ARITH, RFLAGS_OF | RFLAGS_AF);
    dev_put(0, 0x10, 8);
    regs.gpr[GPR_RCX] = 0x1;
    RUN(64, DEV, "\x48\x39\x08");                       /* cmp [rax], rcx: 0x10 - 1 = 0xf, AF */
    ASSERT_DONE(3);
    ck_assert_uint_eq(regs.rflags & ARITH, RFLAGS_AF | RFLAGS_PF);
    regs.gpr[GPR_RBX] = 0x10;
    RUN(16, DEV, "\x66\x3d\x00\x00\x00\x00");           /* cmp eax, imm: no memory operand */
    ASSERT_FAIL();
}
END_TEST

/* ---- strings -------------------------------------------------------- */

START_TEST(stos_single_and_rep)
{
    regs.gpr[GPR_RDI] = DEV + 0x10;
    regs.gpr[GPR_RAX] = 0x11223344;
    RUN(32, DEV + 0x10, "\xab");                        /* stosd */
    ASSERT_DONE(1);
    ck_assert_uint_eq(dev_get(0x10, 4), 0x11223344);
    ck_assert_uint_eq(regs.gpr[GPR_RDI], DEV + 0x14);
    ck_assert_uint_eq(res.iterations, 1);
    regs.gpr[GPR_RCX] = 16;
    RUN(32, DEV + 0x14, "\xf3\xaa");                    /* rep stosb */
    ASSERT_DONE(2);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0);
    ck_assert_uint_eq(regs.gpr[GPR_RDI], DEV + 0x24);
    ck_assert_uint_eq(res.iterations, 16);
    for (unsigned i = 0x14; i < 0x24; i++)
        ck_assert_uint_eq(t.dev[i], 0x44);
    /* DF = 1: downwards, words */
    regs.rflags |= RFLAGS_DF;
    regs.gpr[GPR_RCX] = 3;
    regs.gpr[GPR_RDI] = DEV + 0x40;
    RUN(32, DEV + 0x40, "\x66\xf3\xab");                /* rep stosw */
    ASSERT_DONE(3);
    ck_assert_uint_eq(regs.gpr[GPR_RDI], DEV + 0x3a);
    ck_assert_uint_eq(t.log[t.logged - 1].gpa, DEV + 0x3c);
    ck_assert_uint_eq(dev_get(0x3c, 6), 0x334433443344ull);
    regs.rflags &= ~RFLAGS_DF;
    /* 64-bit rep stosq */
    regs.gpr[GPR_RDI] = DEV + 0x100;
    regs.gpr[GPR_RCX] = 2;
    regs.gpr[GPR_RAX] = 0x0102030405060708ull;
    RUN(64, DEV + 0x100, "\xf3\x48\xab");
    ASSERT_DONE(3);
    ck_assert_uint_eq(dev_get(0x108, 8), 0x0102030405060708ull);
    ck_assert_uint_eq(regs.gpr[GPR_RDI], DEV + 0x110);
    /* 32-bit address size in 64-bit code: ECX counts, EDI zero-extends */
    regs.gpr[GPR_RCX] = 0xffffffff00000001ull;
    regs.gpr[GPR_RDI] = 0xabcd000000000000ull | (DEV + 0x200);
    RUN(64, DEV + 0x200, "\x67\xf3\xaa");
    ASSERT_DONE(3);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0);
    ck_assert_uint_eq(regs.gpr[GPR_RDI], DEV + 0x201);
    /* REP with a zero count accesses nothing: it cannot have faulted */
    RUN(32, DEV + 0x200, "\xf3\xaa");
    ASSERT_FAIL();
}
END_TEST

START_TEST(rep_cap_leaves_the_rest)
{
    env.rep_max = 4;
    regs.gpr[GPR_RDI] = DEV;
    regs.gpr[GPR_RCX] = 10;
    RUN(32, DEV, "\xf3\xab");                           /* rep stosd */
    ck_assert_int_eq(res.status, MMIO_CORE_AGAIN);
    ck_assert_uint_eq(res.iterations, 4);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 6);
    ck_assert_uint_eq(regs.gpr[GPR_RDI], DEV + 16);
    RUN(32, DEV + 16, "\xf3\xab");
    ck_assert_int_eq(res.status, MMIO_CORE_AGAIN);
    RUN(32, DEV + 32, "\xf3\xab");
    ASSERT_DONE(2);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0);
    ck_assert_uint_eq(t.logged, 10);
    /* the default cap */
    env.rep_max = 0;
    regs.gpr[GPR_RDI] = 0;
    regs.gpr[GPR_RCX] = 100000;
    RUN(32, 0, "\xf3\xaa");                             /* into RAM at 0 (faulting GPA 0) */
    ck_assert_int_eq(res.status, MMIO_CORE_AGAIN);
    ck_assert_uint_eq(res.iterations, MMIO_REP_MAX);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 100000 - MMIO_REP_MAX);
}
END_TEST

START_TEST(movs_between_ram_and_mmio)
{
    /* MMIO -> RAM, dwords */
    for (unsigned i = 0; i < 16; i++)
        t.dev[i] = (uint8_t)(0xa0 + i);
    regs.gpr[GPR_RSI] = DEV;
    regs.gpr[GPR_RDI] = 0x2000;
    regs.gpr[GPR_RCX] = 4;
    RUN(32, DEV, "\xf3\xa5");                           /* rep movsd */
    ASSERT_DONE(2);
    ck_assert_int_eq(memcmp(&t.ram[0x2000], t.dev, 16), 0);
    ck_assert_uint_eq(regs.gpr[GPR_RSI], DEV + 16);
    ck_assert_uint_eq(regs.gpr[GPR_RDI], 0x2010);
    ck_assert_uint_eq(t.logged, 4);
    /* RAM -> MMIO, bytes, with a DS override to ES... FS */
    memcpy(&t.ram[0x3000], "hello", 5);
    env.seg_base[4] = 0x1000;
    regs.gpr[GPR_RSI] = 0x2000;                         /* FS:0x2000 = 0x3000 */
    regs.gpr[GPR_RDI] = DEV + 0x80;
    regs.gpr[GPR_RCX] = 5;
    RUN(32, DEV + 0x80, "\x64\xf3\xa4");               /* rep movsb fs: */
    ASSERT_DONE(3);
    ck_assert_int_eq(memcmp(&t.dev[0x80], "hello", 5), 0);
    /* single movsq in 64-bit code (segment bases other than FS/GS ignored) */
    env.seg_base[0] = 0x777;
    env.seg_base[3] = 0x777;
    memcpy(&t.ram[0x4000], "ABCDEFGH", 8);
    regs.gpr[GPR_RSI] = 0x4000;
    regs.gpr[GPR_RDI] = DEV + 0x90;
    RUN(64, DEV + 0x90, "\x48\xa5");
    ASSERT_DONE(2);
    ck_assert_int_eq(memcmp(&t.dev[0x90], "ABCDEFGH", 8), 0);
    ck_assert_uint_eq(regs.gpr[GPR_RSI], 0x4008);
    /* 16-bit: CX counts, SI/DI wrap at 64 KiB keeping bits 63:16 */
    env.seg_base[0] = DEV - 0xfffe;                     /* ES */
    env.seg_base[3] = 0;                                /* DS */
    regs.gpr[GPR_RSI] = 0x50000 | 0x5000;
    regs.gpr[GPR_RDI] = 0x70000 | 0xfffe;
    regs.gpr[GPR_RCX] = 0x90000 | 2;
    memcpy(&t.ram[0x5000], "wxyz", 4);
    /* second word goes to ES:0x0000 = DEV - 0xfffe: outside device and RAM -> fail;
     * so only one word: */
    regs.gpr[GPR_RCX] = 0x90000 | 1;
    RUN(16, DEV, "\xf3\xa5");                           /* rep movsw */
    ASSERT_DONE(2);
    ck_assert_uint_eq(regs.gpr[GPR_RDI], 0x70000);
    ck_assert_uint_eq(regs.gpr[GPR_RSI], 0x55002);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0x90000);
    ck_assert_int_eq(memcmp(&t.dev[0], "wx", 2), 0);
}
END_TEST

START_TEST(string_failures_keep_registers)
{
    regs.gpr[GPR_RDI] = DEV + 0xffe;
    regs.gpr[GPR_RCX] = 4;
    regs.gpr[GPR_RAX] = 0x1111;
    struct vcpu_regs before = regs;
    RUN(32, DEV + 0xffe, "\xf3\x66\xab");              /* 2nd word leaves the device page */
    ASSERT_FAIL();
    ck_assert_int_eq(memcmp(&regs, &before, sizeof regs), 0);
    regs.gpr[GPR_RDI] = DEV + 0x10;
    RUN(32, DEV + 0x20, "\xaa");                        /* stosb at the wrong place */
    ASSERT_FAIL();
    ck_assert_uint_eq(t.logged, 1);                    /* only the first word of the 1st case */
}
END_TEST

/* ---- hostile bytes and forms ----------------------------------------- */

START_TEST(hostile_bytes)
{
    regs.gpr[GPR_RAX] = DEV;
    struct vcpu_regs before = regs;
    RUN(32, DEV, "\x8b");                               /* truncated */
    ASSERT_FAIL();
    ck_assert_uint_eq(res.length, 0);
    RUN(32, DEV, "");                                   /* nothing at all */
    ASSERT_FAIL();
    char many[20];
    memset(many, 0x66, sizeof many);
    many[16] = (char)0x89;
    many[17] = 0x18;
    run_n(32, DEV, many, 18);                           /* 16 prefixes: over 15 bytes */
    ASSERT_FAIL();
    RUN(32, DEV, "\x89\xd8");                           /* mov eax, ebx: register-only */
    ASSERT_FAIL();
    RUN(32, DEV, "\x01\x18");                           /* add [eax], ebx: unsupported */
    ASSERT_FAIL();
    RUN(32, DEV, "\xff\x00");                           /* inc dword [eax] */
    ASSERT_FAIL();
    RUN(32, DEV, "\x87\x18");                           /* xchg [eax], ebx */
    ASSERT_FAIL();
    RUN(32, DEV, "\xf0\x09\x18");                       /* lock or [eax], ebx */
    ASSERT_FAIL();
    RUN(32, DEV, "\x8e\x18");                           /* mov ds, [eax] */
    ASSERT_FAIL();
    RUN(32, DEV, "\x8c\x18");                           /* mov [eax], ds */
    ASSERT_FAIL();
    RUN(32, DEV, "\x0f\x0b");                           /* ud2 */
    ASSERT_FAIL();
    RUN(32, DEV, "\xa4");                               /* movsb with ESI=EDI=0: not the GPA */
    ASSERT_FAIL();
    RUN(32, DEV + 4, "\x89\x18");                       /* mov [eax], ebx: wrong GPA */
    ASSERT_FAIL();
    ck_assert(strstr(res.why, "changed") != NULL);
    RUN(32, DEV - 1, "\x89\x18");                       /* GPA just before the operand */
    ASSERT_FAIL();
    env.code_bits = 8;
    mmio_core_emulate(&env, &regs, (const uint8_t *)"\x89\x18", 2, &res);
    ASSERT_FAIL();
    ck_assert_int_eq(memcmp(&regs, &before, sizeof regs), 0);
    ck_assert_uint_eq(t.logged, 0);
}
END_TEST

START_TEST(hostile_addresses)
{
    regs.gpr[GPR_RAX] = DEV + 0xffe;
    RUN(32, DEV + 0xffe, "\x89\x18");                   /* crosses the page */
    ASSERT_FAIL();
    regs.gpr[GPR_RAX] = DEV;
    t.no_translate = true;
    RUN(32, DEV, "\x89\x18");
    ASSERT_FAIL();
    t.no_translate = false;
    t.ro = true;
    RUN(32, DEV, "\x89\x18");                           /* the page is read-only for this access */
    ASSERT_FAIL();
    RUN(32, DEV, "\x8b\x18");                           /* reading is fine */
    ASSERT_DONE(2);
    t.ro = false;
    regs.gpr[GPR_RAX] = 0x80000000;                     /* nothing there: the read callback refuses */
    RUN(32, 0x80000000, "\x8b\x18");
    ASSERT_FAIL();
    regs.gpr[GPR_RAX] = 0x0000800000000000ull;          /* non-canonical: left to translate */
    RUN(64, 0x0000800000000000ull, "\x8b\x18");
    ASSERT_FAIL();
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("mmio_emul");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, mov_store_sizes_32);
    tcase_add_test(tc, mov_load_sizes_32);
    tcase_add_test(tc, mov_imm_and_moffs_32);
    tcase_add_test(tc, mov_sib_segment_translation_32);
    tcase_add_test(tc, mov_16bit_addressing);
    tcase_add_test(tc, mov_64bit);
    tcase_add_test(tc, mov_64bit_rip_relative_and_gs);
    tcase_add_test(tc, movzx_movsx);
    tcase_add_test(tc, logic_forms_and_flags);
    tcase_add_test(tc, test_forms_do_not_write);
    tcase_add_test(tc, cmp_is_a_subtraction);
    tcase_add_test(tc, stos_single_and_rep);
    tcase_add_test(tc, rep_cap_leaves_the_rest);
    tcase_add_test(tc, movs_between_ram_and_mmio);
    tcase_add_test(tc, string_failures_keep_registers);
    tcase_add_test(tc, hostile_bytes);
    tcase_add_test(tc, hostile_addresses);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
