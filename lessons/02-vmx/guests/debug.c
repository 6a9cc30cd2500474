/**
 * @file debug.c
 * @brief Guest "debug": a debugger inside the guest keeps working while
 *        the hypervisor emulates instructions under it.
 *
 *  1. Single-step: with RFLAGS.TF set, every instruction ends with a #DB
 *     whose return address is the next instruction and DR6.BS = 1 (SDM
 *     Vol. 3B §19.2.3, §19.3.1.4) - also after CPUID and OUT, which the
 *     hypervisor completed in the CPU's place.  (POPF that sets TF traps
 *     after the instruction that follows it.)
 *  2. Breakpoints: DR0 + DR7 set by the guest survive VM exits (here a few
 *     hundred UART exits), and an instruction breakpoint on a function
 *     fires with DR6.B0 = 1 when it is called (SDM Vol. 3B §19.2.4).
 * Exit status: a bit per failed check.
 */
#include "guest/guest.h"
#include "guest/idt.h"
#include "spectrum/x86_bits.h"

enum {
    FAIL_STEP_NATIVE = 1 << 0,
    FAIL_STEP_CPUID = 1 << 1,
    FAIL_STEP_OUT = 1 << 2,
    FAIL_STEP_BS = 1 << 3,
    FAIL_DR7_LOST = 1 << 4,
    FAIL_BREAKPOINT = 1 << 5,
    FAIL_B0 = 1 << 6,
};

#define DR6_B0       (1ul << 0)
#define DR7_L0       (1ul << 0)
#define DR7_GE       (1ul << 9)     /* "exact breakpoints", recommended with L0 */

static volatile unsigned db_count;
static volatile unsigned long db_ip, db_dr6;

static unsigned long dr6_read(void)
{
    unsigned long v;
    __asm__ volatile("mov %%db6, %0" : "=r"(v));
    return v;
}

static void dr6_write(unsigned long v) { __asm__ volatile("mov %0, %%db6" ::"r"(v)); }
static void dr7_write(unsigned long v) { __asm__ volatile("mov %0, %%db7" ::"r"(v)); }
static void dr0_write(unsigned long v) { __asm__ volatile("mov %0, %%db0" ::"r"(v)); }

static unsigned long dr7_read(void)
{
    unsigned long v;
    __asm__ volatile("mov %%db7, %0" : "=r"(v));
    return v;
}

static void on_db(struct guest_trap *t)
{
    db_count++;
    db_ip = t->ip;
    db_dr6 = dr6_read();
    dr6_write(DR6_INIT);
    t->flags &= ~RFLAGS_TF;          /* one step is enough */
    t->flags |= RFLAGS_RF;           /* do not hit an instruction breakpoint again on return */
}

/* Set TF with POPF, run one instruction, and report where the #DB came
 * from (0 if none).  @p which: 0 NOP (native), 1 CPUID, 2 OUT (both exit). */
static unsigned long step_over(int which, unsigned long *expect)
{
    unsigned long next;
    db_count = 0;
    db_ip = 0;
    switch (which) {
    case 0:
        __asm__ volatile("lea 1f(%%rip), %0\n\tpushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\tnop\n1:"
                         : "=&r"(next) : : "memory", "cc");
        break;
    case 1: {
        unsigned a = 0, c = 0;
        __asm__ volatile("lea 1f(%%rip), %0\n\tpushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\tcpuid\n1:"
                         : "=&r"(next), "+a"(a), "+c"(c) : : "rbx", "rdx", "memory", "cc");
        break;
    }
    default:
        __asm__ volatile("lea 1f(%%rip), %0\n\tpushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\toutb %%al, $0x80\n1:"
                         : "=&r"(next) : "a"(0) : "memory", "cc");
        break;
    }
    *expect = next;
    return db_count == 1 ? db_ip : 0;
}

static int check_single_step(void)
{
    static const char *const names[] = { "nop (native)", "cpuid (exits)", "out (exits)" };
    static const int fail_bit[] = { FAIL_STEP_NATIVE, FAIL_STEP_CPUID, FAIL_STEP_OUT };
    int failed = 0;
    for (int i = 0; i < 3; i++) {
        unsigned long expect, got = step_over(i, &expect);
        bool bs = db_dr6 & DR6_BS;
        if (got != expect)
            failed |= fail_bit[i];
        if (!bs)
            failed |= FAIL_STEP_BS;
        guest_printf("debug: single-step over %s: #DB %s, DR6.BS %u\n", names[i],
                     got == expect ? "right after it" : got ? "at the WRONG place" : "MISSING", bs ? 1u : 0u);
    }
    return failed;
}

/* The breakpoint's target: noinline so it has an address of its own. */
static __attribute__((noinline)) int bp_target(int x)
{
    __asm__ volatile("" ::: "memory");
    return x + 1;
}

static int check_breakpoint(void)
{
    int failed = 0;
    unsigned long dr7 = DR7_INIT | DR7_L0 | DR7_GE;    /* R/W0 = 00 execute, LEN0 = 00 */
    dr0_write((unsigned long)&bp_target);
    dr7_write(dr7);
    /* Exits: each character is a few UART port accesses. */
    for (int i = 0; i < 4; i++)
        guest_printf("debug: exits while a breakpoint is armed (%d)\n", i);
    unsigned long seen = dr7_read();
    if (seen != dr7)
        failed |= FAIL_DR7_LOST;
    db_count = 0;
    db_dr6 = 0;
    volatile int r = bp_target(1);
    (void)r;
    bool hit = db_count == 1 && db_ip == (unsigned long)&bp_target;
    if (!hit)
        failed |= FAIL_BREAKPOINT;
    if (!(db_dr6 & DR6_B0))
        failed |= FAIL_B0;
    dr7_write(DR7_INIT);
    guest_printf("debug: DR7 after the exits %#lx (wrote %#lx), breakpoint %s, DR6.B0 %lu\n", seen, dr7,
                 hit ? "hit" : "MISSED", db_dr6 & DR6_B0);
    return failed;
}

int guest_main(void)
{
    guest_idt_init();
    guest_idt_set_handler(EXC_DB, on_db);
    dr6_write(DR6_INIT);
    int failed = check_single_step() | check_breakpoint();
    guest_printf("debug: checks %s (%#x)\n", failed ? "FAILED" : "passed", (unsigned)failed);
    return failed;
}
