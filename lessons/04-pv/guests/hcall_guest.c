/**
 * @file hcall_guest.c
 * @brief Guest "hcall" (built 64-bit and 32-bit): KVM's hypercall
 *        convention from the guest's side, good calls and hostile ones.
 *
 * The instruction is the vendor's: VMMCALL on AMD ("AuthenticAMD" in
 * CPUID leaf 0), VMCALL otherwise - what Linux picks too.  In ring 0 the
 * guest checks that
 *  - each argument arrives in its own register and RBX, RCX, RDX, RSI
 *    come back unchanged (SPECTRUM_HC_ARG_SUM);
 *  - a console write of a buffer in its RAM returns the length, and one
 *    of 0 bytes returns 0;
 *  - unknown numbers (also KVM's own, which Spectrum does not offer, and
 *    in 64-bit code a number with bits above 31) return -KVM_ENOSYS;
 *  - hostile buffers return an error and nothing else happens: a hole, a
 *    range beyond RAM, one crossing the end of RAM, the local APIC's MMIO
 *    page, the BIOS ROM, a range that wraps (-KVM_EFAULT), a length over
 *    the limit and a huge one (-KVM_E2BIG).
 * Then it drops to ring 3 (its own GDT with DPL-3 segments, an IRET frame,
 * IOPL 3 so its port output still works; 64-bit: the U bit on the pages
 * it uses) and checks that both calls are refused there with -KVM_EPERM.
 * Exit status: the number of checks that went wrong.
 */
#include "guests/rt_guest.h"
#include "hcall/hcall_abi.h"
#include "hcall_params.h"

#define RFLAGS_IOPL3 (3ul << 12)   /* SDM Vol. 1 §3.4.3.3 */

/** Register image of one call: RAX (number, then result), RBX, RCX, RDX, RSI. */
struct hc_regs {
    unsigned long ax, bx, cx, dx, si;
};

static bool use_vmmcall;
static unsigned failures;
static unsigned long ram_top;

static void hc(struct hc_regs *r)
{
    if (use_vmmcall)
        __asm__ volatile("vmmcall" : "+a"(r->ax), "+b"(r->bx), "+c"(r->cx), "+d"(r->dx), "+S"(r->si)::"memory");
    else
        __asm__ volatile("vmcall" : "+a"(r->ax), "+b"(r->bx), "+c"(r->cx), "+d"(r->dx), "+S"(r->si)::"memory");
}

static void check(bool ok, const char *what, unsigned long got, unsigned long want)
{
    guest_printf("hcall: %s: rax %#lx, expected %#lx: %s\n", what, got, want, ok ? "ok" : "WRONG");
    if (!ok)
        failures++;
}

/* One call; its result must be @p want and the argument registers unchanged. */
static void expect(const char *what, unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2,
                   unsigned long a3, unsigned long want)
{
    struct hc_regs r = { nr, a0, a1, a2, a3 };
    hc(&r);
    bool kept = r.bx == a0 && r.cx == a1 && r.dx == a2 && r.si == a3;
    if (!kept)
        guest_printf("hcall: %s: argument registers changed: %#lx %#lx %#lx %#lx: WRONG\n", what, r.bx, r.cx, r.dx,
                     r.si);
    check(r.ax == want && kept, what, r.ax, want);
}

static unsigned long err(unsigned e) { return (unsigned long)-(long)e; }

static const char hello[] = "hello from the guest, by hypercall\nsecond line, a tab:\t!\n";
static char big[SPECTRUM_HC_CONSOLE_MAX + 1];
static const char from_ring3[] = "ring 3 must not print this\n";

static void ring0_checks(void)
{
    expect("arg sum 1 2 3 4", SPECTRUM_HC_ARG_SUM, 1, 2, 3, 4, 30);
    expect("arg sum 0x10 0x100 0x1000 0x10000", SPECTRUM_HC_ARG_SUM, 0x10, 0x100, 0x1000, 0x10000, 0x43210);
    unsigned long text = (unsigned long)hello;
    expect("console write", SPECTRUM_HC_CONSOLE_WRITE, text, sizeof hello - 1, 0, 0, sizeof hello - 1);
    expect("console write of 0 bytes", SPECTRUM_HC_CONSOLE_WRITE, text, 0, 0, 0, 0);
    for (unsigned i = 0; i < sizeof big; i++)
        big[i] = 'x';
    expect("console write of the most bytes", SPECTRUM_HC_CONSOLE_WRITE, (unsigned long)big, SPECTRUM_HC_CONSOLE_MAX,
           0, 0, SPECTRUM_HC_CONSOLE_MAX);

    expect("unknown number 0x12345", 0x12345, 0, 0, 0, 0, err(KVM_ENOSYS));
    expect("KVM_HC_VAPIC_POLL_IRQ (not offered)", 1, 0, 0, 0, 0, err(KVM_ENOSYS));
    expect("number 0", 0, 0, 0, 0, 0, err(KVM_ENOSYS));
#if GUEST_BITS == 64
    expect("arg sum with bits above 31", SPECTRUM_HC_ARG_SUM, 1ul << 32, 1ul << 33, 0, 0, 5ul << 32);
    expect("arg sum's number with bit 32 set", (1ul << 32) | SPECTRUM_HC_ARG_SUM, 1, 2, 3, 4, err(KVM_ENOSYS));
#endif

    /* Hostile buffers: an error code, and the VM goes on. */
    expect("console write from the VGA hole 0xa0000", SPECTRUM_HC_CONSOLE_WRITE, 0xa0000, 16, 0, 0, err(KVM_EFAULT));
    expect("console write beyond RAM (1 GiB)", SPECTRUM_HC_CONSOLE_WRITE, 0x40000000, 16, 0, 0, err(KVM_EFAULT));
    expect("console write across the end of RAM", SPECTRUM_HC_CONSOLE_WRITE, ram_top - 8, 16, 0, 0, err(KVM_EFAULT));
    expect("console write from the local APIC page 0xfee00000", SPECTRUM_HC_CONSOLE_WRITE, 0xfee00000, 16, 0, 0,
           err(KVM_EFAULT));
    expect("console write from the BIOS ROM 0xf0000", SPECTRUM_HC_CONSOLE_WRITE, 0xf0000, 16, 0, 0, err(KVM_EFAULT));
    expect("console write that wraps around", SPECTRUM_HC_CONSOLE_WRITE, (unsigned long)-8, 16, 0, 0,
           err(KVM_EFAULT));
    expect("console write one byte too long", SPECTRUM_HC_CONSOLE_WRITE, (unsigned long)big,
           SPECTRUM_HC_CONSOLE_MAX + 1, 0, 0, err(KVM_E2BIG));
    expect("console write of a huge length", SPECTRUM_HC_CONSOLE_WRITE, text, (unsigned long)-1, 0, 0,
           err(KVM_E2BIG));
}

/* ---- ring 3 ------------------------------------------------------------ */

/* The runtime's GDT (rt.h: selectors 0x08-0x28) plus DPL-3 segments. */
#define SEL_USER_CODE 0x40   /* 64-bit images: 64-bit code; 32-bit: 32-bit code */
#define SEL_USER_DATA 0x48
static uint64_t gdt[10] __attribute__((aligned(16)));
static uint8_t user_stack[4096] __attribute__((aligned(16)));

struct __attribute__((packed)) dtr {
    uint16_t limit;
    unsigned long base;
};

static bool gdt_with_user_segments(void)
{
    struct dtr old, now;
    __asm__ volatile("sgdt %0" : "=m"(old));
    if (old.limit + 1u > SEL_USER_CODE)
        return false;
    const volatile uint8_t *src = rt_phys(old.base);
    uint8_t *dst = (uint8_t *)gdt;
    for (unsigned i = 0; i <= old.limit; i++)
        dst[i] = src[i];
    /* SDM Vol. 3A §3.4.5: P=1, DPL=3, S=1; code type 0xA (execute/read), data 0x2 (read/write);
     * G=1, limit 0xfffff; 64-bit code L=1, 32-bit code and data D/B=1. */
#if GUEST_BITS == 64
    gdt[SEL_USER_CODE / 8] = 0x00affa000000ffffull;
#else
    gdt[SEL_USER_CODE / 8] = 0x00cffa000000ffffull;
#endif
    gdt[SEL_USER_DATA / 8] = 0x00cff2000000ffffull;
    now.limit = sizeof gdt - 1;
    now.base = (unsigned long)gdt;
    __asm__ volatile("lgdt %0" ::"m"(now) : "memory");
    return true;
}

#if GUEST_BITS == 64
/* The prologue's identity map (rt.h) is supervisor-only: let ring 3 reach
 * the first 2 MiB, where this image, its data and stacks live (SDM Vol. 3A
 * §5.11.2: U/S must be 1 at every level). */
static void pages_for_ring3(void)
{
    volatile uint64_t *pml4 = rt_phys(RT_PML4_GPA), *pdpt = rt_phys(RT_PDPT_GPA), *pd = rt_phys(RT_PD_GPA);
    pml4[0] |= 4;
    pdpt[0] |= 4;
    pd[0] |= 4;
    rt_write_cr3(rt_read_cr3());
}
#endif

static void __attribute__((noreturn)) ring3_main(void)
{
    uint16_t cs;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    guest_printf("hcall: now in ring 3 (CS %#x)\n", cs);
    expect("arg sum from ring 3", SPECTRUM_HC_ARG_SUM, 1, 2, 3, 4, err(KVM_EPERM));
    expect("console write from ring 3", SPECTRUM_HC_CONSOLE_WRITE, (unsigned long)from_ring3, sizeof from_ring3 - 1, 0,
           0, err(KVM_EPERM));
    expect("unknown number from ring 3", 0x12345, 0, 0, 0, 0, err(KVM_EPERM));
    if (failures)
        guest_printf("hcall: %u checks went wrong: FAILED\n", failures);
    else
        guest_printf("hcall: checks passed\n");
    guest_exit(failures);   /* OUT is allowed: IOPL 3 */
}

static void __attribute__((noreturn)) enter_ring3(void)
{
    unsigned long flags = guest_read_flags() | RFLAGS_IOPL3;
    unsigned long sp = (unsigned long)(user_stack + sizeof user_stack - 16);
#if GUEST_BITS == 64
    __asm__ volatile("pushq %0\n\tpushq %1\n\tpushq %2\n\tpushq %3\n\tpushq %4\n\tiretq"
                     ::"i"(SEL_USER_DATA | 3), "r"(sp), "r"(flags), "i"(SEL_USER_CODE | 3), "r"(ring3_main)
                     : "memory");
#else
    /* A return to CPL 3 nulls DS and ES if their DPL is below 3 (SDM
     * Vol. 2A "IRET"): load the user data segment first. */
    __asm__ volatile("mov %0, %%ds\n\tmov %0, %%es\n\t"
                     "pushl %1\n\tpushl %2\n\tpushl %3\n\tpushl %4\n\tpushl %5\n\tiretl"
                     ::"r"(SEL_USER_DATA | 3), "i"(SEL_USER_DATA | 3), "r"(sp), "r"(flags), "i"(SEL_USER_CODE | 3),
                       "r"(ring3_main)
                     : "memory");
#endif
    __builtin_unreachable();
}

int guest_main(void)
{
    const volatile struct hcall_params *p = rt_params();
    if (p->magic != HCALL_PARAMS_MAGIC) {
        guest_printf("hcall: no parameters at %#x: FAILED\n", RT_PARAM_GPA);
        return 99;
    }
    ram_top = p->ram_top;
    struct guest_cpuid id = guest_cpuid(0, 0);
    use_vmmcall = id.ebx == 0x68747541 && id.edx == 0x69746e65 && id.ecx == 0x444d4163;   /* "AuthenticAMD" */
    guest_printf("hcall: %d-bit guest, using %s\n", GUEST_BITS, use_vmmcall ? "VMMCALL" : "VMCALL");
    ring0_checks();
    if (!gdt_with_user_segments()) {
        guest_printf("hcall: the runtime's GDT is larger than expected: FAILED\n");
        return 98;
    }
#if GUEST_BITS == 64
    pages_for_ring3();
#endif
    enter_ring3();
}
