/**
 * @file crs.c
 * @brief Guest "crs": control-register writes a hypervisor must emulate
 *        exactly, on both vendors.
 *
 *  1. CR4 bits Spectrum does not offer (VMXE, SMXE, PCIDE, OSXSAVE, PKE,
 *     CET, LA57) raise #GP(0) and stay clear; XGETBV then raises #UD, as
 *     on a CPU whose OS never set CR4.OSXSAVE (SDM Vol. 2C "XGETBV").  Bits
 *     on the allow list (OSFXSR) still work.
 *  2. CLTS clears CR0.TS; LMSW loads PE/MP/EM/TS but cannot clear PE, also
 *     from R8W (a REX.B operand) (SDM Vol. 2A "CLTS", "LMSW").
 *  3. In compatibility mode (a 32-bit code segment under long mode) MOV to
 *     CR0 takes the low 32 bits of the register, whatever its upper half
 *     holds (SDM Vol. 2B "MOV - Move to/from Control Registers").  The
 *     write clears CR0.NE, a bit VMX owns, so it exits on both vendors.
 * Exit status: a bit per failed check.
 */
#include "guest/guest.h"
#include "guest/idt.h"
#include "spectrum/x86_bits.h"

enum {
    FAIL_CR4_ACCEPTED = 1 << 0,
    FAIL_CR4_VISIBLE = 1 << 1,
    FAIL_XGETBV = 1 << 2,
    FAIL_CR4_ALLOWED = 1 << 3,
    FAIL_CLTS = 1 << 4,
    FAIL_LMSW = 1 << 5,
    FAIL_LMSW_PE = 1 << 6,
    FAIL_COMPAT_GP = 1 << 7,
    FAIL_COMPAT_VALUE = 1 << 8,
    FAIL_LMSW_R8 = 1 << 9,
};

static volatile unsigned gp_count, ud_count;
static volatile unsigned skip_len;   /* bytes of the instruction expected to fault */

static void on_gp(struct guest_trap *t)
{
    gp_count++;
    t->ip += skip_len;
}

static void on_ud(struct guest_trap *t)
{
    ud_count++;
    t->ip += skip_len;
}

static unsigned long cr0_read(void)
{
    unsigned long v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static unsigned long cr4_read(void)
{
    unsigned long v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

/* MOV %rax, %cr0 / %cr4 are 0F 22 C0 / 0F 22 E0: 3 bytes. */
static void cr0_write(unsigned long v)
{
    skip_len = 3;
    __asm__ volatile("mov %%rax, %%cr0" ::"a"(v) : "memory");
}

static void cr4_write(unsigned long v)
{
    skip_len = 3;
    __asm__ volatile("mov %%rax, %%cr4" ::"a"(v) : "memory");
}

/** Write CR0 = @p value from compatibility mode (crs_compat.S). */
void crs_compat_cr0_write(unsigned long value);

static const struct {
    unsigned long bit;
    const char *name;
} refused[] = {
    { CR4_VMXE, "VMXE" }, { CR4_SMXE, "SMXE" }, { CR4_PCIDE, "PCIDE" }, { CR4_OSXSAVE, "OSXSAVE" },
    { CR4_PKE, "PKE" },   { CR4_CET, "CET" },   { CR4_LA57, "LA57" },
};

static int check_cr4(void)
{
    int failed = 0;
    unsigned long cr4 = cr4_read();
    unsigned n_refused = 0;
    bool xgetbv_ud = false;
    for (unsigned i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        unsigned before = gp_count;
        cr4_write(cr4 | refused[i].bit);
        bool gp = gp_count == before + 1;
        bool visible = cr4_read() & refused[i].bit;
        if (refused[i].bit == CR4_OSXSAVE) {
            /* Had the write gone through, XGETBV would now read an XCR0. */
            unsigned ud_before = ud_count;
            uint32_t lo = 0, hi = 0;
            skip_len = 3;   /* XGETBV: 0F 01 D0 */
            __asm__ volatile("xgetbv" : "+a"(lo), "+d"(hi) : "c"(0));
            xgetbv_ud = ud_count == ud_before + 1;
        }
        if (!gp) {
            failed |= FAIL_CR4_ACCEPTED;
            guest_printf("crs: CR4.%s was accepted\n", refused[i].name);
        }
        if (visible) {
            failed |= FAIL_CR4_VISIBLE;
            cr4_write(cr4);
        }
        n_refused += gp && !visible;
    }
    unsigned before = gp_count;
    if (!xgetbv_ud)
        failed |= FAIL_XGETBV;
    cr4_write(cr4 | CR4_OSFXSR);
    bool allowed = (cr4_read() & CR4_OSFXSR) && gp_count == before;
    cr4_write(cr4);
    if (!allowed || (cr4_read() & CR4_OSFXSR) != (cr4 & CR4_OSFXSR))
        failed |= FAIL_CR4_ALLOWED;
    guest_printf("crs: %u of %u refused CR4 bits raised #GP and stayed clear, XGETBV %s, OSFXSR %s\n",
                 n_refused, (unsigned)(sizeof refused / sizeof refused[0]), xgetbv_ud ? "raised #UD" : "RAN",
                 allowed ? "settable" : "NOT settable");
    return failed;
}

static int check_clts_lmsw(void)
{
    int failed = 0;
    unsigned long cr0 = cr0_read();
    cr0_write(cr0 | CR0_TS);
    __asm__ volatile("clts" ::: "memory");
    bool clts_ok = !(cr0_read() & CR0_TS);
    if (!clts_ok)
        failed |= FAIL_CLTS;

    /* LMSW %ax: 0F 01 F0.  Set TS and MP. */
    uint16_t msw = (uint16_t)((cr0 & 0xffff) | CR0_TS | CR0_MP);
    __asm__ volatile("lmsw %%ax" ::"a"(msw) : "memory");
    unsigned long after = cr0_read();
    bool lmsw_ok = (after & CR0_TS) && (after & CR0_MP) && (after & CR0_PE);
    if (!lmsw_ok)
        failed |= FAIL_LMSW;
    /* PE = 0 in the operand: LMSW cannot leave protected mode. */
    msw = (uint16_t)((cr0 & 0xffff) & ~(CR0_PE | CR0_TS | CR0_MP));
    __asm__ volatile("lmsw %%ax" ::"a"(msw) : "memory");
    after = cr0_read();
    bool pe_kept = (after & CR0_PE) && !(after & CR0_TS) && !(after & CR0_MP);
    if (!pe_kept)
        failed |= FAIL_LMSW_PE;
    /* The same through R8W (41 0F 01 F0): the register number needs REX.B. */
    unsigned long r8 = (cr0 & 0xffff) | CR0_TS;
    __asm__ volatile("mov %0, %%r8\n\tlmsw %%r8w" ::"r"(r8) : "r8", "memory");
    bool r8_ok = cr0_read() & CR0_TS;
    if (!r8_ok)
        failed |= FAIL_LMSW_R8;
    cr0_write(cr0);
    guest_printf("crs: CLTS %s, LMSW %s, LMSW kept PE %s, LMSW from R8W %s\n", clts_ok ? "cleared TS" : "FAILED",
                 lmsw_ok ? "set TS and MP" : "FAILED", pe_kept ? "yes" : "NO", r8_ok ? "ok" : "FAILED");
    return failed;
}

static int check_compat(void)
{
    int failed = 0;
    unsigned long cr0 = cr0_read();
    unsigned before = gp_count;
    skip_len = 3;   /* MOV %eax, %cr0 in compatibility mode: 0F 22 C0 */
    /* Garbage in RAX[63:32]: reserved CR0 bits if taken as 64 bits. */
    crs_compat_cr0_write(0xdead000000000000ul | (cr0 & ~CR0_NE));
    unsigned long after = cr0_read();
    bool no_gp = gp_count == before;
    bool value_ok = !(after & CR0_NE) && (after >> 32) == 0;
    if (!no_gp)
        failed |= FAIL_COMPAT_GP;
    if (!value_ok)
        failed |= FAIL_COMPAT_VALUE;
    cr0_write(cr0);
    guest_printf("crs: compatibility-mode MOV to CR0 with garbage in RAX[63:32]: %s, CR0.NE now %lu\n",
                 no_gp ? "accepted" : "#GP", (after >> 5) & 1);
    return failed;
}

int guest_main(void)
{
    guest_idt_init();
    guest_idt_set_handler(EXC_GP, on_gp);
    guest_idt_set_handler(EXC_UD, on_ud);
    int failed = check_cr4() | check_clts_lmsw() | check_compat();
    guest_printf("crs: checks %s (%#x)\n", failed ? "FAILED" : "passed", (unsigned)failed);
    return failed;
}
