/**
 * @file fuzz_mmio_emul.c
 * @brief libFuzzer target for the MMIO emulator core (mmio/mmio_emul_core.c).
 *
 * The input is: one byte of mode and flags, the environment (segment
 * bases, faulting GPA, translation key), the registers, then up to 20
 * instruction bytes.  The callbacks answer from a small guest memory,
 * translate by XOR with a key (refusing some pages), and abort on anything
 * the core must never ask (a size other than 1/2/4/8, more accesses than
 * the REP cap allows); AddressSanitizer catches any access outside the
 * buffers, UBSan any undefined arithmetic.  Results are checked too:
 * failure leaves the registers untouched, success never moves RIP.
 *
 *     make fuzz && build/host/fuzz/fuzz_mmio_emul -max_total_time=60
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mmio/mmio_emul_core.h"

#define MEM_SIZE 0x2000u
#define REP_CAP  64u

static uint8_t mem[MEM_SIZE];
static uint64_t key, deny;
static unsigned calls;

static bool fz_translate(void *ctx, uint64_t linear, bool write, uint64_t *gpa)
{
    (void)ctx;
    if (((linear >> 12) & 7) == (deny & 7) || (write && (deny & 8)))
        return false;
    *gpa = linear ^ key;
    return true;
}

static bool check_access(uint64_t gpa, unsigned size)
{
    if (size != 1 && size != 2 && size != 4 && size != 8)
        abort();
    if (++calls > 2 * REP_CAP + 4)
        abort();
    return gpa < MEM_SIZE && size <= MEM_SIZE - gpa;
}

static bool fz_read(void *ctx, uint64_t gpa, unsigned size, uint64_t *v)
{
    (void)ctx;
    if (!check_access(gpa, size))
        return (gpa & 1) ? false : (*v = ~0ull, true);   /* some GPAs are "devices" reading ones */
    *v = 0;
    memcpy(v, &mem[gpa], size);
    return true;
}

static bool fz_write(void *ctx, uint64_t gpa, unsigned size, uint64_t v)
{
    (void)ctx;
    if (!check_access(gpa, size))
        return !(gpa & 1);
    memcpy(&mem[gpa], &v, size);
    return true;
}

static uint64_t take64(const uint8_t **p, size_t *n)
{
    uint64_t v = 0;
    size_t k = *n < 8 ? *n : 8;
    memcpy(&v, *p, k);
    *p += k;
    *n -= k;
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned widths[4] = { 16, 32, 64, 64 };
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    data++;
    size--;

    struct mmio_env env = {
        .translate = fz_translate, .read = fz_read, .write = fz_write,
        .code_bits = (mode & 0x80) ? (mode & 0x7f) : widths[mode & 3],   /* sometimes a bad width */
        .rep_max = REP_CAP,
    };
    /* Small values keep addresses near the memory often enough to matter. */
    bool small = mode & 0x40;
    for (int i = 0; i < 6; i++)
        env.seg_base[i] = small ? take64(&data, &size) & 0xfff : take64(&data, &size);
    env.gpa = small ? take64(&data, &size) & 0x1fff : take64(&data, &size);
    key = small ? take64(&data, &size) & 0x1000 : take64(&data, &size);
    deny = take64(&data, &size);

    struct vcpu_regs regs;
    memset(&regs, 0, sizeof regs);
    for (int i = 0; i < GPR_COUNT; i++)
        regs.gpr[i] = small ? take64(&data, &size) & ((mode & 0x20) ? 0xffff : 0x1fff) : take64(&data, &size);
    regs.rip = take64(&data, &size);
    regs.rflags = take64(&data, &size);
    struct vcpu_regs before = regs;

    uint8_t insn[20];
    size_t n = size < sizeof insn ? size : sizeof insn;
    memcpy(insn, data, n);

    calls = 0;
    struct mmio_core_result res;
    enum mmio_core_status st = mmio_core_emulate(&env, &regs, insn, n, &res);
    if (st != res.status)
        abort();
    if (st == MMIO_CORE_FAIL && memcmp(&regs, &before, sizeof regs) != 0)
        abort();
    if (st == MMIO_CORE_FAIL && (res.why[0] == 0 || memchr(res.why, 0, sizeof res.why) == NULL))
        abort();
    if (regs.rip != before.rip || res.length > 15 || res.iterations > REP_CAP)
        abort();
    if (st == MMIO_CORE_AGAIN && res.iterations != REP_CAP)
        abort();
    return 0;
}
