/**
 * @file sysmsr.c
 * @brief Guest "sysmsr": the MSRs a 64-bit OS programs at boot are real
 *        per-VM state (CPUID advertises SYSENTER, SYSCALL, PAT and long
 *        mode, so they must be).
 *
 *  1. At start every one of them holds its reset value (0; PAT
 *     0007040600070406H, SDM Vol. 4 Table 2-2): the scenario runs this
 *     guest twice, so the second run proves nothing leaked from the first.
 *  2. Each reads back what was written: SYSENTER_CS/ESP/EIP, STAR, LSTAR,
 *     CSTAR, SFMASK, FS_BASE, GS_BASE, KERNEL_GS_BASE, PAT.
 *  3. They work: SYSCALL enters LSTAR with RFLAGS masked by SFMASK and the
 *     return address in RCX (SDM Vol. 2B "SYSCALL"); SWAPGS exchanges
 *     GS_BASE and KERNEL_GS_BASE; FS_BASE moves what %fs:0 reads.
 *  4. WRMSR refuses what the CPU refuses with #GP(0): a non-canonical
 *     LSTAR, a PAT entry of type 2 (reserved), SFMASK bits 63:32.
 * Exit status: a bit per failed check.
 */
#include "guest/guest.h"
#include "guest/idt.h"
#include "spectrum/x86_bits.h"

enum {
    FAIL_INITIAL = 1 << 0,
    FAIL_READBACK = 1 << 1,
    FAIL_SYSCALL = 1 << 2,
    FAIL_SWAPGS = 1 << 3,
    FAIL_FS = 1 << 4,
    FAIL_NO_GP = 1 << 5,
    FAIL_GP_ON_VALID = 1 << 6,
};

#define WRMSR_LEN 2
#define STAR_KERNEL_CS 0x18ull      /* SYSCALL's CS: the 64-bit code selector (vcpu/guest_space.h) */
#define SEL_DATA       0x10         /* the flat data selector, GUEST_SEL_DATA in vcpu/guest_space.h */
#define STR_(x) #x
#define STR(x) STR_(x)              /* a macro's value as text, for the file-scope asm below */

static volatile unsigned gp_count;

static void on_gp(struct guest_trap *t)
{
    gp_count++;
    t->ip += WRMSR_LEN;
}

static const struct {
    uint32_t index;
    const char *name;
    uint64_t reset;
    uint64_t test;
} msrs[] = {
    { MSR_IA32_SYSENTER_CS, "SYSENTER_CS", 0, 0x18 },
    { MSR_IA32_SYSENTER_ESP, "SYSENTER_ESP", 0, 0xffff800000001000ull },
    { MSR_IA32_SYSENTER_EIP, "SYSENTER_EIP", 0, 0x1234567890ull },
    { MSR_STAR, "STAR", 0, 0x0023001800000000ull },
    { MSR_LSTAR, "LSTAR", 0, 0xffffffff81000000ull },
    { MSR_CSTAR, "CSTAR", 0, 0x00007fffffff0000ull },
    { MSR_SFMASK, "SFMASK", 0, 0x47700 },
    { MSR_FS_BASE, "FS_BASE", 0, 0x00007f0000001000ull },
    { MSR_GS_BASE, "GS_BASE", 0, 0xffff888000000000ull },
    { MSR_KERNEL_GS_BASE, "KERNEL_GS_BASE", 0, 0x0000123456789000ull },
    { MSR_IA32_PAT, "PAT", PAT_POWER_ON, 0x0606060606060606ull },
};
#define N_MSRS (sizeof msrs / sizeof msrs[0])

static int check_reset_and_readback(void)
{
    int failed = 0;
    unsigned fresh = 0, kept = 0;
    for (unsigned i = 0; i < N_MSRS; i++) {
        uint64_t v = guest_rdmsr(msrs[i].index);
        if (v == msrs[i].reset)
            fresh++;
        else
            guest_printf("sysmsr: %s starts at %#llx, not its reset value %#llx\n", msrs[i].name,
                         (unsigned long long)v, (unsigned long long)msrs[i].reset);
        guest_wrmsr(msrs[i].index, msrs[i].test);
        if (guest_rdmsr(msrs[i].index) == msrs[i].test)
            kept++;
        else
            guest_printf("sysmsr: %s did not keep %#llx\n", msrs[i].name, (unsigned long long)msrs[i].test);
    }
    if (fresh != N_MSRS)
        failed |= FAIL_INITIAL;
    if (kept != N_MSRS || gp_count)
        failed |= FAIL_READBACK;
    guest_printf("sysmsr: %u of %u MSRs at their reset value, %u of %u kept what was written\n", fresh,
                 (unsigned)N_MSRS, kept, (unsigned)N_MSRS);
    return failed;
}

/* SYSCALL's target: note that it ran and with which flags, put a real
 * stack segment back (SYSCALL loads SS = STAR[47:32] + 8 without reading
 * the GDT, and 20H does not exist there), then return to RCX with the
 * caller's flags (R11). */
volatile unsigned long syscall_hits, syscall_rflags, syscall_rcx;
void syscall_entry(void);
__asm__(".text\n"
        ".globl syscall_entry\n"
        "syscall_entry:\n"
        "    incq syscall_hits(%rip)\n"
        "    mov %rcx, syscall_rcx(%rip)\n"
        "    pushfq\n"
        "    popq syscall_rflags(%rip)\n"
        "    mov $" STR(SEL_DATA) ", %eax\n"
        "    mov %eax, %ss\n"
        "    push %r11\n"
        "    popfq\n"
        "    jmp *%rcx\n");

static int check_syscall(void)
{
    guest_wrmsr(MSR_EFER, guest_rdmsr(MSR_EFER) | EFER_SCE);
    guest_wrmsr(MSR_STAR, STAR_KERNEL_CS << 32);
    guest_wrmsr(MSR_LSTAR, (uint64_t)(unsigned long)&syscall_entry);
    guest_wrmsr(MSR_SFMASK, RFLAGS_DF);
    unsigned long ret;
    syscall_hits = 0;
    __asm__ volatile("std\n\tlea 1f(%%rip), %0\n\tsyscall\n1:\tcld"
                     : "=&r"(ret) : : "rax", "rcx", "r11", "memory", "cc");
    bool ok = syscall_hits == 1 && syscall_rcx == ret && !(syscall_rflags & RFLAGS_DF);
    guest_printf("sysmsr: SYSCALL %s (entered LSTAR %s, RCX %s, DF masked %s)\n", ok ? "works" : "FAILED",
                 syscall_hits == 1 ? "once" : "NOT once", syscall_rcx == ret ? "right" : "WRONG",
                 (syscall_rflags & RFLAGS_DF) ? "NO" : "yes");
    return ok ? 0 : FAIL_SYSCALL;
}

static int check_swapgs_and_fs(void)
{
    int failed = 0;
    static uint64_t fs_cell = 0x5eed5eed5eed5eedull;
    const uint64_t a = 0x0000111111111000ull, b = 0x0000222222222000ull;
    guest_wrmsr(MSR_GS_BASE, a);
    guest_wrmsr(MSR_KERNEL_GS_BASE, b);
    __asm__ volatile("swapgs" ::: "memory");
    uint64_t gs = guest_rdmsr(MSR_GS_BASE), kgs = guest_rdmsr(MSR_KERNEL_GS_BASE);
    __asm__ volatile("swapgs" ::: "memory");
    bool swapped = gs == b && kgs == a;
    if (!swapped)
        failed |= FAIL_SWAPGS;
    guest_wrmsr(MSR_FS_BASE, (uint64_t)(unsigned long)&fs_cell);
    uint64_t via_fs;
    __asm__ volatile("mov %%fs:0, %0" : "=r"(via_fs));
    bool fs_ok = via_fs == fs_cell;
    if (!fs_ok)
        failed |= FAIL_FS;
    guest_wrmsr(MSR_FS_BASE, 0);
    guest_printf("sysmsr: SWAPGS %s, %%fs:0 through FS_BASE %s\n", swapped ? "exchanged the bases" : "FAILED",
                 fs_ok ? "reads the right cell" : "WRONG");
    return failed;
}

static int check_refusals(void)
{
    static const struct {
        uint32_t index;
        uint64_t value;
        const char *what;
    } bad[] = {
        { MSR_LSTAR, 0x0000800000000000ull, "non-canonical LSTAR" },
        { MSR_IA32_PAT, 0x0007040600070402ull, "PAT entry of type 2" },
        { MSR_SFMASK, 1ull << 32, "SFMASK bit 32" },
        { MSR_FS_BASE, 0x8000000000000000ull, "non-canonical FS_BASE" },
    };
    unsigned refused = 0;
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        unsigned before = gp_count;
        guest_wrmsr(bad[i].index, bad[i].value);
        if (gp_count == before + 1)
            refused++;
        else
            guest_printf("sysmsr: %s was accepted\n", bad[i].what);
    }
    guest_printf("sysmsr: %u of %u invalid values raised #GP\n", refused, (unsigned)(sizeof bad / sizeof bad[0]));
    return refused == sizeof bad / sizeof bad[0] ? 0 : FAIL_NO_GP;
}

int guest_main(void)
{
    guest_idt_init();
    guest_idt_set_handler(EXC_GP, on_gp);
    int failed = check_reset_and_readback();
    if (gp_count)
        failed |= FAIL_GP_ON_VALID;
    failed |= check_syscall() | check_swapgs_and_fs() | check_refusals();
    guest_printf("sysmsr: checks %s (%#x)\n", failed ? "FAILED" : "passed", (unsigned)failed);
    return failed;
}
