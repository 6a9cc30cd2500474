/**
 * @file fpu.c
 * @brief Guest "fpu": every VM starts with the x87/SSE state of a CPU just
 *        out of reset, whatever the VM before it left there.
 *
 * First it enables SSE (CR4.OSFXSR, SDM Vol. 3A §14.1.3) and saves the
 * x87/SSE state with FXSAVE, and checks it: FCW 037FH, FSW 0, all x87
 * registers empty (abridged tag word 0), MXCSR 1F80H, XMM0-XMM15 zero
 * (SDM Vol. 1 §8.1.5 and Table 10-2; what FNINIT and reset produce).  Then
 * it leaves a secret everywhere - a pattern in every XMM register, a
 * value on the x87 stack, a changed control word and MXCSR - and exits.
 * The scenario runs it twice: the second run finds the secret only if the
 * hypervisor let the state leak from one VM to the next.
 * Exit status: a bit per failed check.
 */
#include "guest/guest.h"
#include "spectrum/x86_bits.h"

enum {
    FAIL_FCW = 1 << 0,
    FAIL_FSW = 1 << 1,
    FAIL_TAGS = 1 << 2,
    FAIL_MXCSR = 1 << 3,
    FAIL_XMM = 1 << 4,
    FAIL_ST = 1 << 5,
};

/* FXSAVE layout, SDM Vol. 1 §10.5.1 Table 10-2. */
#define FX_FCW   0
#define FX_FSW   2
#define FX_FTW   4
#define FX_MXCSR 24
#define FX_ST0   32      /* 8 x 16 bytes */
#define FX_XMM0  160     /* 16 x 16 bytes */

static uint8_t area[512] __attribute__((aligned(16)));

static uint16_t u16(unsigned off) { return (uint16_t)(area[off] | (area[off + 1] << 8)); }

static uint32_t u32(unsigned off)
{
    return (uint32_t)area[off] | ((uint32_t)area[off + 1] << 8) | ((uint32_t)area[off + 2] << 16) |
           ((uint32_t)area[off + 3] << 24);
}

static bool zero(unsigned off, unsigned len)
{
    for (unsigned i = 0; i < len; i++)
        if (area[off + i])
            return false;
    return true;
}

static void leave_secret(void)
{
    static const uint64_t pattern[2] __attribute__((aligned(16))) = { 0x5ec2e75ec2e75ec2ull, 0x1eaf1eaf1eaf1eafull };
    static const uint16_t fcw = 0x0272;       /* precision 53 bits, some exceptions unmasked */
    static const uint32_t mxcsr = 0x9f80;     /* flush-to-zero on */
    __asm__ volatile("movdqa %0, %%xmm0\n\tmovdqa %%xmm0, %%xmm1\n\tmovdqa %%xmm0, %%xmm2\n\t"
                     "movdqa %%xmm0, %%xmm3\n\tmovdqa %%xmm0, %%xmm4\n\tmovdqa %%xmm0, %%xmm5\n\t"
                     "movdqa %%xmm0, %%xmm6\n\tmovdqa %%xmm0, %%xmm7\n\tmovdqa %%xmm0, %%xmm8\n\t"
                     "movdqa %%xmm0, %%xmm9\n\tmovdqa %%xmm0, %%xmm10\n\tmovdqa %%xmm0, %%xmm11\n\t"
                     "movdqa %%xmm0, %%xmm12\n\tmovdqa %%xmm0, %%xmm13\n\tmovdqa %%xmm0, %%xmm14\n\t"
                     "movdqa %%xmm0, %%xmm15\n\t"
                     "fldpi\n\tfld1\n\tfldcw %1\n\tldmxcsr %2"
                     : : "m"(pattern), "m"(fcw), "m"(mxcsr) : "memory");
}

int guest_main(void)
{
    unsigned long cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
    __asm__ volatile("mov %0, %%cr4" ::"r"(cr4));
    __asm__ volatile("fxsave64 %0" : "=m"(area));

    int failed = 0;
    if (u16(FX_FCW) != 0x037f)
        failed |= FAIL_FCW;
    if (u16(FX_FSW) != 0)
        failed |= FAIL_FSW;
    if (area[FX_FTW] != 0)
        failed |= FAIL_TAGS;
    if (u32(FX_MXCSR) != 0x1f80)
        failed |= FAIL_MXCSR;
    if (!zero(FX_XMM0, 16 * 16))
        failed |= FAIL_XMM;
    if (!zero(FX_ST0, 8 * 16))
        failed |= FAIL_ST;
    guest_printf("fpu: at start FCW %#x FSW %#x tags %#x MXCSR %#x, XMM0-15 %s, ST0-7 %s\n", u16(FX_FCW),
                 u16(FX_FSW), area[FX_FTW], u32(FX_MXCSR), zero(FX_XMM0, 256) ? "zero" : "NOT zero",
                 zero(FX_ST0, 128) ? "zero" : "NOT zero");
    leave_secret();
    guest_printf("fpu: checks %s (%#x); leaving a secret in XMM0-15, ST0-1, FCW and MXCSR\n",
                 failed ? "FAILED" : "passed", (unsigned)failed);
    return failed;
}
