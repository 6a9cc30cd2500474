/**
 * @file msr.c
 * @brief Guest "msr": an MSR Spectrum allows, and ones it refuses.
 *
 *  - IA32_TSC (0x10) is readable and consistent with RDTSC: a value read
 *    between two RDTSCs lies between them (the TSC is not offset in
 *    lesson 02, vcpu/handlers_msr.c);
 *  - EFER (0xC0000080) of a 64-bit guest has LME and LMA set (SDM Vol. 3A
 *    §10.8.5: long mode is active);
 *  - an MSR that does not exist (0x1234) raises #GP(0) on both RDMSR and
 *    WRMSR, as on a real CPU (SDM Vol. 2B "RDMSR": "#GP(0) if ECX specifies
 *    a reserved or unimplemented MSR address").  The guest takes that #GP
 *    in its own IDT handler, which records it and skips the 2-byte
 *    instruction.
 * Exit status: a bit per failed check.
 */
#include "guest/guest.h"
#include "guest/idt.h"
#include "spectrum/x86_bits.h"

#define MSR_UNKNOWN    0x00001234u
#define RDMSR_WRMSR_LEN 2   /* 0F 32 / 0F 30 (SDM Vol. 2B) */

enum {
    FAIL_TSC = 1 << 0,
    FAIL_EFER = 1 << 1,
    FAIL_NO_GP_READ = 1 << 2,
    FAIL_NO_GP_WRITE = 1 << 3,
    FAIL_GP_ERROR = 1 << 4,
    FAIL_GP_WHERE = 1 << 5,
};

static volatile unsigned gp_count;
static volatile unsigned long gp_error;
static volatile unsigned long gp_ip;

static void on_gp(struct guest_trap *t)
{
    gp_count++;
    gp_error = t->error;
    gp_ip = t->ip;
    t->ip += RDMSR_WRMSR_LEN;
}

/* RDMSR that reports where it is, so the #GP handler's IP can be checked. */
static uint64_t rdmsr_at(uint32_t msr, unsigned long *where)
{
    uint32_t lo = 0, hi = 0;
    unsigned long ip;
    __asm__ volatile("lea 1f(%%rip), %2\n1: rdmsr" : "+a"(lo), "+d"(hi), "=&r"(ip) : "c"(msr));
    *where = ip;
    return ((uint64_t)hi << 32) | lo;
}

int guest_main(void)
{
    int failed = 0;
    guest_idt_init();
    guest_idt_set_handler(EXC_GP, on_gp);

    uint64_t t0 = guest_rdtsc();
    uint64_t msr_tsc = guest_rdmsr(MSR_IA32_TSC);
    uint64_t t1 = guest_rdtsc();
    if (!(t0 <= msr_tsc && msr_tsc <= t1))
        failed |= FAIL_TSC;
    guest_printf("msr: IA32_TSC read %s (rdtsc %llu <= msr <= rdtsc %llu: %s)\n",
                 failed & FAIL_TSC ? "inconsistent" : "ok", (unsigned long long)t0,
                 (unsigned long long)t1, failed & FAIL_TSC ? "no" : "yes");

    uint64_t efer = guest_rdmsr(MSR_EFER);
    if ((efer & (EFER_LME | EFER_LMA)) != (EFER_LME | EFER_LMA))
        failed |= FAIL_EFER;
    guest_printf("msr: EFER %#llx, long mode %s\n", (unsigned long long)efer,
                 (efer & EFER_LMA) ? "active" : "NOT active");

    unsigned long where = 0;
    unsigned before = gp_count;
    rdmsr_at(MSR_UNKNOWN, &where);
    if (gp_count != before + 1)
        failed |= FAIL_NO_GP_READ;
    else if (gp_ip != where)
        failed |= FAIL_GP_WHERE;
    if (gp_error != 0)
        failed |= FAIL_GP_ERROR;
    before = gp_count;
    guest_wrmsr(MSR_UNKNOWN, 0x1122334455667788ull);
    if (gp_count != before + 1)
        failed |= FAIL_NO_GP_WRITE;
    if (gp_error != 0)
        failed |= FAIL_GP_ERROR;
    guest_printf("msr: unknown MSR %#x: rdmsr and wrmsr raised %u #GP, error code %lu\n", MSR_UNKNOWN,
                 gp_count, gp_error);
    guest_printf("msr: checks %s\n", failed ? "FAILED" : "passed");
    return failed;
}
