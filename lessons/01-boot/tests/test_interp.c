/**
 * @file test_interp.c
 * @brief Check tests: the interpreter's memory model, string instructions,
 *        control transfers, interrupts, and what it does with hostile
 *        guests.
 *
 * Each test places a few hand-assembled instructions (the assembly is in
 * the comment next to the bytes; GNU as syntax) in a fresh VM, sets the
 * registers it needs, runs, and looks at registers, memory and the VM's
 * stop reason.  The arithmetic itself is cross-checked against the host CPU
 * in test_interp_flags.c.
 *
 * Real-mode memory (SDM Vol. 3A §22.1): seg:off -> linear, 16-bit offsets
 * wrapping at 64 KiB, BP-based addressing in SS, accesses crossing the
 * 64 KiB limit, PUSH/POP wrapping at SP = 0.  Strings (Vol. 2B "REP"):
 * MOVSB/MOVSW/STOSB/LODSB forwards and backwards, REPE CMPSB and REPNE
 * SCASB termination and the CX they leave, CX = 0, INS/OUTS, a REP that
 * the budget interrupts and that resumes.  Control: LOOP, CALL/RET, far
 * CALL/RETF, INT n/IRET through the IVT, #DE delivered to a handler that
 * fixes the divisor (the fault returns to the DIV), BOUND, ENTER/LEAVE,
 * PUSHA/POPA.  Hostile guests: a jump outside guest memory, an infinite
 * loop against the budget (exact count), an unknown opcode, reads and
 * writes beyond guest memory, an instruction cut by the end of memory,
 * a far pointer beyond the CS limit, #DE and INT without handlers, TF,
 * HLT, segment loads and INT in flat mode.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "check_main.h"
#include "test_interp_shim.h"
#include "x86/interp.h"

static struct vm vm;
static struct interp it;

static void boot(enum interp_mode mode, uint64_t mem)
{
    if (vm.mem.host)
        shim_vm_free(&vm); /* a test that boots twice */
    shim_vm_init(&vm, mem);
    interp_init(&it, &vm, mode);
    it.insn_limit = 100000;
    it.halt_passes = true; /* most programs end with HLT */
}

static void teardown(void)
{
    shim_vm_free(&vm);
}

static void put(uint32_t linear, const uint8_t *b, size_t n)
{
    ck_assert_uint_le(linear + n, vm.mem.size);
    memcpy(vm.mem.host + linear, b, n);
}

/** Copy the listed bytes to guest-physical @p lin. */
#define PUT(lin, ...)                                                                                              \
    do {                                                                                                           \
        static const uint8_t bytes_[] = { __VA_ARGS__ };                                                           \
        put((lin), bytes_, sizeof bytes_);                                                                         \
    } while (0)

static uint32_t rd(uint32_t lin, unsigned n)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint32_t)vm.mem.host[lin + i] << (8 * i);
    return v;
}

static void wr16(uint32_t lin, uint16_t v)
{
    vm.mem.host[lin] = (uint8_t)v;
    vm.mem.host[lin + 1] = (uint8_t)(v >> 8);
}

/* Start at CS:IP (real mode). */
static void at(uint16_t cs, uint16_t ip)
{
    interp_set_segment(&it, X86_SEG_CS, cs);
    it.cpu.rip = ip;
}

#define AX (uint32_t)(it.cpu.gpr[X86_RAX] & 0xffff)
#define GPR(r) (it.cpu.gpr[(r)])

/* Run to the end and require a clean HLT. */
static void run_ok(void)
{
    interp_run(&it);
    ck_assert_msg(vm.state == VM_STOPPED && vm.passed, "guest did not halt cleanly: %s", vm.stop_reason);
}

/* Run to the end and require a fault whose reason contains @p what. */
static void run_fault(const char *what)
{
    interp_run(&it);
    ck_assert_msg(vm.state == VM_STOPPED && !vm.passed, "guest should have been stopped: %s", vm.stop_reason);
    ck_assert_msg(strstr(vm.stop_reason, what) != NULL, "stop reason '%s' lacks '%s'", vm.stop_reason, what);
}

/* ---- real-mode memory ---------------------------------------------- */

START_TEST(test_segment_arithmetic)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0x8b, 0x07, /* mov (%bx),%ax */
        0x8e, 0xc1,        /* mov %cx,%es */
        0x26, 0x8a, 0x17,  /* mov %es:(%bx),%dl */
        0x8a, 0x76, 0x02,  /* mov 0x2(%bp),%dh  (BP-based: SS) */
        0xf4);             /* hlt */
    at(0, 0x100);
    interp_set_segment(&it, X86_SEG_DS, 0x1234);
    interp_set_segment(&it, X86_SEG_SS, 0x4000);
    GPR(X86_RBX) = 0x0010;
    GPR(X86_RCX) = 0x5000;
    GPR(X86_RBP) = 0x0010;
    wr16(0x12340 + 0x10, 0xbeef); /* DS*16 + BX */
    vm.mem.host[0x50010] = 0x77;  /* ES*16 + BX */
    vm.mem.host[0x40012] = 0x99;  /* SS*16 + BP + 2 */
    run_ok();
    ck_assert_uint_eq(AX, 0xbeef);
    ck_assert_uint_eq(GPR(X86_RDX) & 0xffff, 0x9977);
    ck_assert_uint_eq(it.cpu.seg[X86_SEG_ES].base, 0x50000);
}
END_TEST

START_TEST(test_offset_wrap)
{
    /* 16-bit effective addresses wrap at 64 KiB (SDM Vol. 1 §3.3.6). */
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0x8a, 0x00,  /* mov (%bx,%si),%al: 0xffff + 2 = 0x0001 */
        0x8a, 0x67, 0x10,   /* mov 0x10(%bx),%ah with bx=0xffff: 0x000f */
        0x8d, 0x48, 0x10,   /* lea 0x10(%bx,%si),%cx: 0x0011 */
        0xf4);
    at(0, 0x100);
    interp_set_segment(&it, X86_SEG_DS, 0x2000);
    GPR(X86_RBX) = 0xffff;
    GPR(X86_RSI) = 0x0002;
    vm.mem.host[0x20001] = 0x11;
    vm.mem.host[0x2000f] = 0x22;
    vm.mem.host[0x30001] = 0xee; /* where an unwrapped address would land */
    run_ok();
    ck_assert_uint_eq(AX, 0x2211);
    ck_assert_uint_eq(GPR(X86_RCX) & 0xffff, 0x0011);
}
END_TEST

START_TEST(test_limit_crossing)
{
    /* A word at offset 0xFFFF crosses the 64 KiB limit: #GP on a real
     * CPU, a stopped VM here. */
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0xa1, 0xff, 0xff); /* mov 0xffff,%ax */
    at(0, 0x100);
    run_fault("crosses the segment limit");
    ck_assert_msg(strstr(vm.stop_reason, "guest fault at 0000:0100 (linear 0x100): bytes a1 ff ff") != NULL, "%s",
                  vm.stop_reason);
}
END_TEST

START_TEST(test_addr32_beyond_limit)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0x67, 0x8a, 0x00); /* addr32 mov (%eax),%al */
    at(0, 0x100);
    GPR(X86_RAX) = 0x10000;
    run_fault("crosses the segment limit");
}
END_TEST

START_TEST(test_push_pop_wrap)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0x50, /* push %ax: SP 0 -> 0xfffe */
        0x5b,        /* pop %bx: SP back to 0 */
        0x66, 0x6a, 0x05, /* pushl $5: 4 bytes, only SP moves */
        0xf4);
    at(0, 0x100);
    interp_set_segment(&it, X86_SEG_SS, 0x2000);
    GPR(X86_RSP) = 0xabcd0000; /* upper half of ESP: SP-only stack, kept */
    GPR(X86_RAX) = 0x1234;
    ck_assert(interp_step(&it));
    ck_assert_uint_eq(GPR(X86_RSP), 0xabcdfffe);
    ck_assert_uint_eq(rd(0x2fffe, 2), 0x1234);
    ck_assert(interp_step(&it));
    ck_assert_uint_eq(GPR(X86_RSP), 0xabcd0000);
    ck_assert_uint_eq(GPR(X86_RBX), 0x1234);
    run_ok();
    ck_assert_uint_eq(GPR(X86_RSP), 0xabcdfffc);
    ck_assert_uint_eq(rd(0x2fffc, 4), 5);
}
END_TEST

START_TEST(test_push_across_limit)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0x50); /* push %ax at SP = 1: the word would straddle 0xFFFF/0 */
    at(0, 0x100);
    GPR(X86_RSP) = 1;
    run_fault("#SS");
    ck_assert_uint_eq(GPR(X86_RSP), 1); /* nothing committed */
}
END_TEST

/* ---- strings --------------------------------------------------------- */

static void string_setup(void)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    at(0, 0x100);
    interp_set_segment(&it, X86_SEG_DS, 0x1000);
    interp_set_segment(&it, X86_SEG_ES, 0x2000);
}

START_TEST(test_rep_movsb_forward_backward)
{
    string_setup();
    PUT(0x100, 0xf3, 0xa4, 0xf4); /* rep movsb; hlt */
    memcpy(vm.mem.host + 0x10010, "hello", 5);
    GPR(X86_RSI) = 0x10;
    GPR(X86_RDI) = 0x20;
    GPR(X86_RCX) = 5;
    run_ok();
    ck_assert_mem_eq(vm.mem.host + 0x20020, "hello", 5);
    ck_assert_uint_eq(GPR(X86_RCX), 0);
    ck_assert_uint_eq(GPR(X86_RSI), 0x15);
    ck_assert_uint_eq(GPR(X86_RDI), 0x25);
    ck_assert_uint_eq(it.insns, 5 + 1); /* each iteration counts, and the HLT */

    /* DF = 1: from the last byte down. */
    string_setup();
    PUT(0x100, 0xfd, 0xf3, 0xa4, 0xf4); /* std; rep movsb; hlt */
    memcpy(vm.mem.host + 0x10010, "world", 5);
    GPR(X86_RSI) = 0x14;
    GPR(X86_RDI) = 0x24;
    GPR(X86_RCX) = 5;
    run_ok();
    ck_assert_mem_eq(vm.mem.host + 0x20020, "world", 5);
    ck_assert_uint_eq(GPR(X86_RSI), 0x0f);
    ck_assert_uint_eq(GPR(X86_RDI), 0x1f);
}
END_TEST

START_TEST(test_rep_movsw_stosb_lodsb)
{
    string_setup();
    PUT(0x100, 0xf3, 0xa5,  /* rep movsw */
        0xb0, 0x5a,         /* mov $0x5a,%al */
        0xb9, 0x03, 0x00,   /* mov $3,%cx */
        0xf3, 0xaa,         /* rep stosb */
        0xac,               /* lodsb */
        0xf4);
    wr16(0x10000, 0x1111);
    wr16(0x10002, 0x2222);
    vm.mem.host[0x10004] = 0x33;
    GPR(X86_RCX) = 2;
    run_ok();
    ck_assert_uint_eq(rd(0x20000, 4), 0x22221111);
    ck_assert_uint_eq(rd(0x20004, 3), 0x5a5a5a);
    ck_assert_uint_eq(GPR(X86_RDI), 7);
    ck_assert_uint_eq(AX & 0xff, 0x33);
    ck_assert_uint_eq(GPR(X86_RSI), 5);
}
END_TEST

START_TEST(test_repe_cmpsb)
{
    string_setup();
    PUT(0x100, 0xf3, 0xa6, 0xf4); /* repe cmpsb */
    memcpy(vm.mem.host + 0x10000, "abcXe", 5);
    memcpy(vm.mem.host + 0x20000, "abcYe", 5);
    GPR(X86_RCX) = 5;
    run_ok();
    /* Stops after the 4th comparison, the first unequal one. */
    ck_assert_uint_eq(GPR(X86_RCX), 1);
    ck_assert_uint_eq(GPR(X86_RSI), 4);
    ck_assert_uint_eq(GPR(X86_RDI), 4);
    ck_assert(!(it.cpu.rflags & INTERP_FL_ZF));
    ck_assert(it.cpu.rflags & INTERP_FL_CF); /* 'X' < 'Y' */

    /* All equal: runs out of CX with ZF = 1. */
    string_setup();
    PUT(0x100, 0xf3, 0xa6, 0xf4);
    memcpy(vm.mem.host + 0x10000, "same", 4);
    memcpy(vm.mem.host + 0x20000, "same", 4);
    GPR(X86_RCX) = 4;
    run_ok();
    ck_assert_uint_eq(GPR(X86_RCX), 0);
    ck_assert(it.cpu.rflags & INTERP_FL_ZF);
}
END_TEST

START_TEST(test_repne_scasb)
{
    string_setup();
    PUT(0x100, 0xf2, 0xae, 0xf4); /* repne scasb */
    memcpy(vm.mem.host + 0x20000, "abcd", 4);
    GPR(X86_RAX) = 'c';
    GPR(X86_RCX) = 4;
    run_ok();
    ck_assert_uint_eq(GPR(X86_RCX), 1);
    ck_assert_uint_eq(GPR(X86_RDI), 3);
    ck_assert(it.cpu.rflags & INTERP_FL_ZF);
}
END_TEST

START_TEST(test_rep_cx_zero)
{
    string_setup();
    PUT(0x100, 0xf3, 0xa6, 0xf4); /* repe cmpsb with CX = 0: nothing */
    it.cpu.rflags = 0x2 | INTERP_FL_ARITH;
    GPR(X86_RSI) = 7;
    run_ok();
    ck_assert_uint_eq(GPR(X86_RSI), 7);
    ck_assert_uint_eq(it.cpu.rflags & INTERP_FL_ARITH, INTERP_FL_ARITH);
}
END_TEST

START_TEST(test_rep_budget_resumes)
{
    /* A REP stopped by the budget leaves rIP on itself with the registers
     * as they are; raising the budget resumes it where it stopped. */
    string_setup();
    PUT(0x100, 0xf3, 0xaa, 0xf4); /* rep stosb */
    GPR(X86_RAX) = 0x66;
    GPR(X86_RCX) = 100;
    it.insn_limit = 40;
    interp_run(&it);
    ck_assert_msg(strstr(vm.stop_reason, "instruction budget of 40 exhausted at 0000:0100"), "%s", vm.stop_reason);
    ck_assert_uint_eq(it.insns, 40);
    ck_assert_uint_eq(GPR(X86_RCX), 60);
    ck_assert_uint_eq(GPR(X86_RDI), 40);
    ck_assert_uint_eq(it.cpu.rip, 0x100);
    vm.state = VM_RUNNING;
    it.insn_limit = 1000;
    run_ok();
    ck_assert_uint_eq(GPR(X86_RCX), 0);
    ck_assert_uint_eq(rd(0x20000 + 99, 1), 0x66);
    ck_assert_uint_eq(rd(0x20000 + 100, 1), 0);
}
END_TEST

START_TEST(test_ins_outs)
{
    string_setup();
    PUT(0x100, 0xf3, 0x6c,  /* rep insb (%dx),%es:(%di) */
        0xf3, 0x6f,         /* rep outsw %ds:(%si),(%dx) */
        0x66, 0xef,         /* out %eax,(%dx) */
        0xed,               /* in (%dx),%ax */
        0xf4);
    shim_ports.in_value = 0xa5a5c3;
    wr16(0x10000, 0x1234);
    wr16(0x10002, 0x5678);
    GPR(X86_RDX) = 0x80;
    GPR(X86_RCX) = 3;
    GPR(X86_RAX) = 0xdeadbeef;
    /* After the INSB the count is 0; the OUTSW needs its own. */
    ck_assert(interp_step(&it));
    ck_assert_uint_eq(rd(0x20000, 3), 0xc3c3c3);
    GPR(X86_RCX) = 2;
    run_ok();
    ck_assert_uint_eq(shim_ports.outs, 3);
    ck_assert_uint_eq(shim_ports.out_value[0], 0x1234);
    ck_assert_uint_eq(shim_ports.out_size[0], 2);
    ck_assert_uint_eq(shim_ports.out_value[1], 0x5678);
    ck_assert_uint_eq(shim_ports.out_value[2], 0xdeadbeef);
    ck_assert_uint_eq(shim_ports.out_size[2], 4);
    ck_assert_uint_eq(shim_ports.out_port[2], 0x80);
    ck_assert_uint_eq(AX, 0xa5c3);
    ck_assert_uint_eq(GPR(X86_RAX) >> 16, 0xdead); /* a 16-bit IN keeps the rest */
}
END_TEST

START_TEST(test_flat32_rep_movsd)
{
    boot(INTERP_MODE_FLAT32, 0x20000);
    PUT(0x1000, 0xf3, 0xa5, 0xf4); /* rep movsl */
    for (unsigned i = 0; i < 64; i++)
        vm.mem.host[0x8000 + i] = (uint8_t)i;
    it.cpu.rip = 0x1000;
    GPR(X86_RSI) = 0x8000;
    GPR(X86_RDI) = 0x9000;
    GPR(X86_RCX) = 16;
    run_ok();
    ck_assert_mem_eq(vm.mem.host + 0x9000, vm.mem.host + 0x8000, 64);
    ck_assert_uint_eq(GPR(X86_RDI), 0x9040);
}
END_TEST

/* ---- control flow, interrupts --------------------------------------- */

START_TEST(test_loop_call_ret)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0xb9, 0x03, 0x00, /* mov $3,%cx */
        0x40,                    /* l: inc %ax */
        0xe2, 0xfd,              /* loop l */
        0xe8, 0x01, 0x00,        /* call f */
        0xf4,                    /* hlt */
        0x83, 0xc0, 0x10,        /* f: add $0x10,%ax */
        0xc3);                   /* ret */
    at(0, 0x100);
    GPR(X86_RSP) = 0x8000;
    run_ok();
    ck_assert_uint_eq(AX, 0x13);
    ck_assert_uint_eq(GPR(X86_RCX), 0);
    ck_assert_uint_eq(GPR(X86_RSP), 0x8000);
    ck_assert_uint_eq(rd(0x7ffe, 2), 0x109); /* the return address CALL pushed */
}
END_TEST

START_TEST(test_far_call_retf)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0x9a, 0x04, 0x00, 0x20, 0x00, /* lcall $0x20,$0x4 */
        0xf4);
    PUT(0x204, 0xba, 0x07, 0x00, /* mov $7,%dx  (at 0020:0004) */
        0xcb);                   /* lret */
    at(0, 0x100);
    GPR(X86_RSP) = 0x8000;
    ck_assert(interp_step(&it));
    ck_assert_uint_eq(it.cpu.seg[X86_SEG_CS].selector, 0x20);
    ck_assert_uint_eq(it.cpu.seg[X86_SEG_CS].base, 0x200);
    ck_assert_uint_eq(it.cpu.rip, 4);
    ck_assert_uint_eq(rd(0x7ffc, 4), 0x00000105); /* IP 0x105, CS 0 */
    run_ok();
    ck_assert_uint_eq(GPR(X86_RDX), 7);
    ck_assert_uint_eq(it.cpu.seg[X86_SEG_CS].selector, 0);
    ck_assert_uint_eq(GPR(X86_RSP), 0x8000);
}
END_TEST

START_TEST(test_int_iret)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0xfb,   /* sti */
        0xcd, 0x21,    /* int $0x21 */
        0xf4);
    PUT(0x500, 0x9c,   /* pushf (handler at 0050:0000) */
        0x5a,          /* pop %dx */
        0xb3, 0x42,    /* mov $0x42,%bl */
        0xcf);         /* iret */
    wr16(0x21 * 4, 0x0000);     /* offset */
    wr16(0x21 * 4 + 2, 0x0050); /* segment */
    at(0, 0x100);
    GPR(X86_RSP) = 0x8000;
    run_ok();
    ck_assert_uint_eq(GPR(X86_RBX) & 0xff, 0x42);
    ck_assert(!(GPR(X86_RDX) & INTERP_FL_IF));    /* cleared inside the handler */
    ck_assert(it.cpu.rflags & INTERP_FL_IF);      /* restored by IRET */
    ck_assert_uint_eq(GPR(X86_RSP), 0x8000);
    ck_assert_uint_eq(rd(0x7ffa, 2), 0x103);      /* the pushed IP: after INT */
    ck_assert_uint_eq(rd(0x7ffc, 2), 0x0000);     /* the pushed CS */
}
END_TEST

START_TEST(test_divide_error_handler)
{
    /* #DE is a fault: the handler's IRET returns to the DIV, which then
     * succeeds with the divisor the handler fixed. */
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0xb1, 0x00, /* mov $0,%cl */
        0xb8, 0x0a, 0x00,  /* mov $10,%ax */
        0xf6, 0xf1,        /* div %cl */
        0xf4);
    PUT(0x600, 0xb1, 0x03, /* mov $3,%cl (handler) */
        0xcf);             /* iret */
    wr16(0, 0x0600);
    wr16(2, 0x0000);
    at(0, 0x100);
    GPR(X86_RSP) = 0x8000;
    run_ok();
    ck_assert_uint_eq(AX, 0x0103); /* 10 / 3 = 3 remainder 1 */
    ck_assert_uint_eq(rd(0x7ffa, 2), 0x105); /* pushed IP = the DIV */
}
END_TEST

START_TEST(test_divide_error_no_handler)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0xb8, 0x00, 0x80, /* mov $0x8000,%ax */
        0xb1, 0x01,              /* mov $1,%cl */
        0xf6, 0xf1);             /* div %cl: quotient 0x8000 does not fit AL */
    at(0, 0x100);
    run_fault("#DE divide error (quotient too large) (vector 0) and the guest has no handler");
    ck_assert(strstr(vm.stop_reason, "0000:0105") != NULL);
}
END_TEST

START_TEST(test_idiv_most_negative)
{
    /* EDX:EAX = -2^63 / -1 overflows: #DE, and no undefined behaviour in
     * the hypervisor computing it. */
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0x66, 0xf7, 0xf9); /* idiv %ecx */
    at(0, 0x100);
    GPR(X86_RDX) = 0x80000000;
    GPR(X86_RAX) = 0;
    GPR(X86_RCX) = 0xffffffff;
    run_fault("#DE divide error (quotient out of range)");
}
END_TEST

START_TEST(test_bound_and_int_without_handler)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0x62, 0x06, 0x30, 0x00); /* bound %ax,0x30 */
    wr16(0x30, (uint16_t)-5);
    wr16(0x32, 10);
    at(0, 0x100);
    GPR(X86_RAX) = 11;
    run_fault("#BR BOUND range exceeded (vector 5)");

    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0x62, 0x06, 0x30, 0x00, 0xf4);
    wr16(0x30, (uint16_t)-5);
    wr16(0x32, 10);
    at(0, 0x100);
    GPR(X86_RAX) = (uint16_t)-5; /* in range (signed) */
    run_ok();

    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0xcd, 0x10); /* int $0x10: no BIOS here */
    at(0, 0x100);
    run_fault("INT n (vector 16) and the guest has no handler");
}
END_TEST

START_TEST(test_stack_frames)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0x60,         /* pusha */
        0xc8, 0x08, 0x00, 0x00, /* enter $8,$0 */
        0x31, 0xc0,          /* xor %ax,%ax */
        0x89, 0xc3,          /* mov %ax,%bx */
        0xc9,                /* leave */
        0x61,                /* popa */
        0x54,                /* push %sp: pushes the old SP */
        0x5a,                /* pop %dx */
        0xf4);
    at(0, 0x100);
    GPR(X86_RSP) = 0x9000;
    GPR(X86_RAX) = 0x1111;
    GPR(X86_RBX) = 0x2222;
    GPR(X86_RBP) = 0x3333;
    run_ok();
    ck_assert_uint_eq(AX, 0x1111);
    ck_assert_uint_eq(GPR(X86_RBX), 0x2222);
    ck_assert_uint_eq(GPR(X86_RBP), 0x3333);
    ck_assert_uint_eq(GPR(X86_RSP), 0x9000);
    ck_assert_uint_eq(GPR(X86_RDX), 0x9000);
    ck_assert_uint_eq(rd(0x9000 - 10, 2), 0x9000); /* PUSHA saved the original SP */
}
END_TEST

START_TEST(test_misc_moves)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0xd7,        /* xlat: AL = [BX + AL] */
        0x0f, 0xa3, 0x0e, 0x40, 0x00, /* bt %cx,0x40 with cx = -1: bit 15 of the word at 0x3e */
        0x0f, 0xbe, 0xd0,   /* movsbw %al,%dx */
        0x66, 0x0f, 0xc8,   /* bswap %eax */
        0xc5, 0x77, 0x20,   /* lds 0x20(%bx),%si */
        0xf4);
    at(0, 0x100);
    GPR(X86_RBX) = 0x1000;
    GPR(X86_RAX) = 0x05;
    GPR(X86_RCX) = 0xffff;
    vm.mem.host[0x1005] = 0x9c;
    wr16(0x1020, 0x1234); /* offset */
    wr16(0x1022, 0x5678); /* segment */
    wr16(0x3e, 0x8000);
    run_ok();
    ck_assert_uint_eq(GPR(X86_RSI), 0x1234);
    ck_assert_uint_eq(it.cpu.seg[X86_SEG_DS].base, 0x56780);
    ck_assert(it.cpu.rflags & INTERP_FL_CF);
    ck_assert_uint_eq(GPR(X86_RDX), 0xff9c);
    ck_assert_uint_eq(GPR(X86_RAX), 0x9c000000);
}
END_TEST

START_TEST(test_cpuid_rdtsc_out)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0x0f, 0xa2, /* cpuid (leaf 0) */
        0x0f, 0x31,        /* rdtsc */
        0xb0, 0x00,        /* mov $0,%al */
        0xe6, 0xf4);       /* out %al,$0xf4: exit status 0 */
    at(0, 0x100);
    it.halt_passes = false;
    ck_assert(interp_step(&it));
    char vendor[13];
    uint32_t words[3] = { (uint32_t)GPR(X86_RBX), (uint32_t)GPR(X86_RDX), (uint32_t)GPR(X86_RCX) };
    memcpy(vendor, words, 12); /* EBX, EDX, ECX: little-endian like the guest */
    vendor[12] = '\0';
    ck_assert_str_eq(vendor, "SpectrumEmul");
    ck_assert_uint_eq(GPR(X86_RAX), 1); /* highest basic leaf */
    ck_assert(interp_step(&it));
    ck_assert_uint_eq(GPR(X86_RAX), 1); /* the virtual TSC: 1 instruction before it */
    ck_assert_uint_eq(GPR(X86_RDX), 0);
    interp_run(&it);
    ck_assert(vm.passed);
    ck_assert_str_eq(vm.stop_reason, "guest exited with status 0");
    ck_assert_uint_eq(it.insns, 4);
}
END_TEST

START_TEST(test_halt_policy)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0xf4);
    at(0, 0x100);
    it.halt_passes = false;
    run_fault("guest halted (HLT) without writing its exit status");
}
END_TEST

/* ---- hostile guests --------------------------------------------------- */

START_TEST(test_jump_outside_memory)
{
    boot(INTERP_MODE_REAL, 0x10000); /* 64 KiB of memory */
    PUT(0x100, 0xea, 0x00, 0x00, 0x00, 0xf0); /* ljmp $0xf000,$0x0 */
    at(0, 0x100);
    run_fault("instruction fetch at linear 0xf0000 is outside guest memory");
}
END_TEST

START_TEST(test_jump_beyond_cs_limit)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0x66, 0xff, 0xe0); /* jmpl *%eax */
    at(0, 0x100);
    GPR(X86_RAX) = 0x12345;
    run_fault("beyond the CS limit");
}
END_TEST

START_TEST(test_infinite_loop_budget)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0xeb, 0xfe); /* jmp . */
    at(0, 0x100);
    it.insn_limit = 12345;
    run_fault("instruction budget of 12345 exhausted at 0000:0100");
    ck_assert_uint_eq(it.insns, 12345);
}
END_TEST

START_TEST(test_unknown_opcode)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0x90, 0xd8, 0xc0, 0x00); /* nop; fadd %st(0),%st (x87: not decoded) */
    at(0, 0x100);
    run_fault("guest fault at 0000:0101 (linear 0x101): bytes d8 c0 00");
    ck_assert(strstr(vm.stop_reason, "unknown opcode") != NULL);

    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0x0f, 0x0b); /* ud2 */
    at(0, 0x100);
    run_fault("ud2");

    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0x0f, 0x01, 0x16, 0x00, 0x00); /* lgdt 0: decoded, not emulated */
    at(0, 0x100);
    run_fault("lgdt is not supported");
}
END_TEST

START_TEST(test_memory_beyond_guest)
{
    boot(INTERP_MODE_FLAT32, 0x10000);
    PUT(0x1000, 0xa1, 0x00, 0x00, 0x02, 0x00); /* mov 0x20000,%eax */
    it.cpu.rip = 0x1000;
    run_fault("read of 4 bytes at linear 0x20000 is outside guest memory");

    boot(INTERP_MODE_FLAT32, 0x10000);
    PUT(0x1000, 0x89, 0x03); /* mov %eax,(%ebx): the last 2 bytes are inside, 2 are not */
    it.cpu.rip = 0x1000;
    GPR(X86_RBX) = 0xfffe;
    run_fault("write of 4 bytes at linear 0xfffe is outside guest memory");

    /* Real mode: FFFF:0010 is linear 1 MiB; a 1 MiB guest has no A20 wrap. */
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0x26, 0xa0, 0x10, 0x00); /* mov %es:0x10,%al */
    at(0, 0x100);
    interp_set_segment(&it, X86_SEG_ES, 0xffff);
    run_fault("read of 1 bytes at linear 0x100000 is outside guest memory");
}
END_TEST

START_TEST(test_fetch_cut_by_end_of_memory)
{
    boot(INTERP_MODE_FLAT32, 0x10000);
    PUT(0xfffe, 0xb8, 0x34); /* mov $imm32,%eax needs 3 more bytes */
    it.cpu.rip = 0xfffe;
    run_fault("runs past the CS limit or the end of guest memory");
}
END_TEST

START_TEST(test_flat_mode_refusals)
{
    boot(INTERP_MODE_FLAT32, 0x10000);
    PUT(0x1000, 0x8e, 0xd8); /* mov %eax,%ds */
    it.cpu.rip = 0x1000;
    run_fault("needs a descriptor table");

    boot(INTERP_MODE_FLAT32, 0x10000);
    PUT(0x1000, 0xcd, 0x21); /* int $0x21 */
    it.cpu.rip = 0x1000;
    GPR(X86_RSP) = 0x8000;
    run_fault("no IDT");

    boot(INTERP_MODE_FLAT32, 0x10000);
    PUT(0x1000, 0x9d); /* popf of a value with TF set */
    it.cpu.rip = 0x1000;
    GPR(X86_RSP) = 0x8000;
    vm.mem.host[0x8001] = 0x01; /* bit 8: TF */
    run_fault("TF");
}
END_TEST

/* The undocumented aliases execute like their documented twins: group 2
 * /6 as SHL (/4), group 3 /1 as TEST (/0) (blank in SDM Vol. 2A Table
 * A-6; flags per Vol. 2B "SAL/SAR/SHL/SHR" and "TEST").  Each step is
 * checked on its own, so a wrong length shows up as a wrong rIP. */
START_TEST(test_shl_test_aliases)
{
    boot(INTERP_MODE_REAL, 1 << 20);
    PUT(0x100, 0xd1, 0xf0,  /* shl %ax (d1 /6) */
        0xc0, 0xf3, 0x03,   /* shl $3,%bl (c0 /6 ib) */
        0xd3, 0xf2,         /* shl %cl,%dx (d3 /6) */
        0xf6, 0xc9, 0x81,   /* test $0x81,%cl (f6 /1 ib) */
        0xf7, 0x0f, 0x00, 0x80, /* testw $0x8000,(%bx) (f7 /1 iw) */
        0xf4);
    at(0, 0x100);
    GPR(X86_RAX) = 0x4001;
    GPR(X86_RBX) = 0x0321;
    GPR(X86_RCX) = 0x0084;
    GPR(X86_RDX) = 0x0001;
    wr16(0x0308, 0x7fff); /* DS:BX once the second SHL has made BX 0x0308 */
    const uint64_t arith = INTERP_FL_CF | INTERP_FL_ZF | INTERP_FL_SF | INTERP_FL_OF;

    ck_assert(interp_step(&it));
    ck_assert_uint_eq(it.cpu.rip, 0x102);
    ck_assert_uint_eq(AX, 0x8002);
    /* CF = the bit shifted out (0), OF = MSB(result) XOR CF = 1. */
    ck_assert_uint_eq(it.cpu.rflags & arith, INTERP_FL_SF | INTERP_FL_OF);

    ck_assert(interp_step(&it));
    ck_assert_uint_eq(it.cpu.rip, 0x105);
    ck_assert_uint_eq(GPR(X86_RBX) & 0xffff, 0x0308); /* 0x21 << 3 = 0x108 */
    ck_assert(it.cpu.rflags & INTERP_FL_CF);

    ck_assert(interp_step(&it));
    ck_assert_uint_eq(it.cpu.rip, 0x107);
    ck_assert_uint_eq(GPR(X86_RDX), 0x0001u << 4); /* CL = 0x84: count 4 after the 5-bit mask */

    ck_assert(interp_step(&it));
    ck_assert_uint_eq(it.cpu.rip, 0x10a);
    ck_assert_uint_eq(GPR(X86_RCX), 0x0084); /* TEST writes nothing */
    ck_assert_uint_eq(it.cpu.rflags & arith, INTERP_FL_SF); /* 0x84 & 0x81 = 0x80 */

    it.cpu.rflags |= INTERP_FL_CF | INTERP_FL_OF;
    ck_assert(interp_step(&it));
    ck_assert_uint_eq(it.cpu.rip, 0x10e);
    ck_assert_uint_eq(rd(0x0308, 2), 0x7fff);
    ck_assert_uint_eq(it.cpu.rflags & arith, INTERP_FL_ZF); /* CF and OF cleared */
    run_ok();
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("interp");
    TCase *mem = tcase_create("real_mode_memory");
    tcase_add_checked_fixture(mem, NULL, teardown);
    tcase_add_test(mem, test_segment_arithmetic);
    tcase_add_test(mem, test_offset_wrap);
    tcase_add_test(mem, test_limit_crossing);
    tcase_add_test(mem, test_addr32_beyond_limit);
    tcase_add_test(mem, test_push_pop_wrap);
    tcase_add_test(mem, test_push_across_limit);
    suite_add_tcase(s, mem);

    TCase *str = tcase_create("strings");
    tcase_add_checked_fixture(str, NULL, teardown);
    tcase_add_test(str, test_rep_movsb_forward_backward);
    tcase_add_test(str, test_rep_movsw_stosb_lodsb);
    tcase_add_test(str, test_repe_cmpsb);
    tcase_add_test(str, test_repne_scasb);
    tcase_add_test(str, test_rep_cx_zero);
    tcase_add_test(str, test_rep_budget_resumes);
    tcase_add_test(str, test_ins_outs);
    tcase_add_test(str, test_flat32_rep_movsd);
    suite_add_tcase(s, str);

    TCase *ctl = tcase_create("control");
    tcase_add_checked_fixture(ctl, NULL, teardown);
    tcase_add_test(ctl, test_loop_call_ret);
    tcase_add_test(ctl, test_far_call_retf);
    tcase_add_test(ctl, test_int_iret);
    tcase_add_test(ctl, test_divide_error_handler);
    tcase_add_test(ctl, test_divide_error_no_handler);
    tcase_add_test(ctl, test_idiv_most_negative);
    tcase_add_test(ctl, test_bound_and_int_without_handler);
    tcase_add_test(ctl, test_stack_frames);
    tcase_add_test(ctl, test_misc_moves);
    tcase_add_test(ctl, test_shl_test_aliases);
    tcase_add_test(ctl, test_cpuid_rdtsc_out);
    tcase_add_test(ctl, test_halt_policy);
    suite_add_tcase(s, ctl);

    TCase *bad = tcase_create("hostile");
    tcase_add_checked_fixture(bad, NULL, teardown);
    tcase_add_test(bad, test_jump_outside_memory);
    tcase_add_test(bad, test_jump_beyond_cs_limit);
    tcase_add_test(bad, test_infinite_loop_budget);
    tcase_add_test(bad, test_unknown_opcode);
    tcase_add_test(bad, test_memory_beyond_guest);
    tcase_add_test(bad, test_fetch_cut_by_end_of_memory);
    tcase_add_test(bad, test_flat_mode_refusals);
    suite_add_tcase(s, bad);
    return s;
}

CHECK_MAIN(make_suite)
