/**
 * @file hostile_plan.c
 * @brief What the hostile user-space program does next (hostile_plan.h).
 *
 * The mix aims at every exit path a Linux guest's user space can reach
 * with root rights: IN/OUT (iopl(3) makes them legal in ring 3), RDMSR and
 * WRMSR (the kernel's msr driver runs them for us and turns a #GP into
 * EIO), CPUID (it exits on both vendors), and loads and stores of every
 * width and alignment on the two APIC pages (nested page faults that the
 * hypervisor must decode, SDM Vol. 3C §29.3.3 / APM Vol. 2 §15.25.6).
 * Half of each kind aims at the registers a PC really has, half at random
 * places, so both the devices and the "nothing is there" paths are hit.
 */
#include "hostile_plan.h"

#include <stddef.h>


void hostile_rng_seed(struct hostile_rng *r, uint64_t seed)
{
    /* SplitMix64's finaliser spreads small seeds (1, 2, 3...) apart and
     * never gives 0, which xorshift must not start from. */
    uint64_t z = seed + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    r->state = z ? z : 0x2545F4914F6CDD1Dull;
}

uint64_t hostile_rng_next(struct hostile_rng *r)
{
    uint64_t x = r->state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* A uniform-enough value in [0, n): the bias of the modulo is below 2^-40
 * for the small n used here. */
static uint32_t below(struct hostile_rng *r, uint32_t n)
{
    return (uint32_t)(hostile_rng_next(r) % n);
}

/* [first, last] of ports, MSRs or leaves. */
struct range {
    uint32_t first, last;
};

static uint32_t in_range(struct hostile_rng *r, struct range g)
{
    /* In 64 bits: the size of { 0, 0xFFFFFFFF } is 2^32. */
    return g.first + (uint32_t)(hostile_rng_next(r) % ((uint64_t)g.last - g.first + 1));
}

static bool overlaps(uint16_t port, unsigned width, struct range g)
{
    uint32_t last = (uint32_t)port + width - 1;
    return port <= g.last && last >= g.first;
}

/* COM1 is the console the test reads: reading its RBR, IIR or LSR would
 * eat the guest's own input and transmit interrupts, writing it would
 * garble the output (16550 datasheet, register table). */
static const struct range com1 = { 0x3F8, 0x3FF };

/* The ports whose writes end the VM on purpose rather than test the
 * hypervisor: under Spectrum and QEMU the isa-debug-exit at 0xF4 (the
 * guest's own "exit status"), the 8042's command port 0x64 (0xFE pulses
 * reset, IBM PC/AT Technical Reference), the reset control register 0xCF9
 * (Intel ICH/PIIX datasheets), port 0x92 (System Control Port A, bit 0
 * is a fast reset) and the ACPI PM1a control register, whose SLP_EN with
 * the \_S5 SLP_TYP switches the machine off (ACPI 6.5 §4.8.3.2.1):
 * Spectrum's at 0x1804 (vdev/acpi_pm.h), QEMU PIIX4's at 0x604.  Reads of
 * them are harmless and stay in the mix. */
static const struct range spared_writes[] = {
    { 0xF4, 0xF7 },
    { 0x64, 0x64 },
    { 0x92, 0x92 },
    { 0xCF9, 0xCF9 },
    { 0x1804, 0x1805 },
    { 0x604, 0x605 },
};

bool hostile_port_read_ok(uint16_t port, unsigned width)
{
    return !overlaps(port, width, com1);
}

bool hostile_port_write_ok(uint16_t port, unsigned width)
{
    /* An OUT of W bytes at port P writes ports P to P+W-1 (SDM Vol. 1 §19.3 I/O Address Space): refuse
     * every access that overlaps COM1 or a range of spared_writes[]. */
    if (overlaps(port, width, com1))
        return false;
    for (size_t i = 0; i < sizeof spared_writes / sizeof spared_writes[0]; i++)
        if (overlaps(port, width, spared_writes[i]))
            return false;
    return true;
}

/* Where the PC's devices answer: the legacy block (PIC, PIT, 8042, CMOS,
 * DMA page, POST 0x80, PIC 2, FPU), VGA, the ELCR, fw_cfg (including its
 * DMA address registers, whose writes make a device read guest memory),
 * PCI configuration, QEMU's ACPI PM and GPE blocks, Spectrum's PM1a blocks. */
static const struct range device_ports[] = {
    { 0x0000, 0x00FF }, { 0x03B0, 0x03DF }, { 0x04D0, 0x04D1 }, { 0x0510, 0x051B },
    { 0x0CF8, 0x0CFF }, { 0x0600, 0x063F }, { 0xAFE0, 0xAFE3 }, { 0xB000, 0xB03F },
    { 0x1800, 0x1805 },
};

/* MSR ranges: the ones the VMX MSR bitmaps and the SVM permission map
 * cover (SDM Vol. 3C §25.6.9, APM Vol. 2 §15.11), the hypervisor range
 * (KVM's and Hyper-V's) and anything at all. */
static const struct range msr_ranges[] = {
    { 0x00000000, 0x00001FFF }, { 0x00000000, 0x00001FFF }, { 0x00000000, 0x00001FFF },
    { 0xC0000000, 0xC0001FFF }, { 0xC0000000, 0xC0001FFF }, { 0xC0010000, 0xC0011FFF },
    { 0x40000000, 0x400000FF }, { 0x00000000, 0xFFFFFFFF },
};

#define CANON_LOW 0x0000FFFFFFFFFFFFull   /* bits 47:0 kept: only 63:48 change, so a write is the old value or non-canonical */

/** One MSR worth aiming at, and the bits a write keeps. */
struct msr_pick {
    uint32_t index;
    uint64_t keep;
};

/* Architectural MSRs (SDM Vol. 4 Table 2-2, APM Vol. 2 Appendix A) and
 * KVM's paravirtual ones (Linux Documentation/virt/kvm/x86/msr.rst: a
 * kvmclock or steal-time write names a guest-physical address the host
 * then writes to - a hypervisor that does the same must check it).
 * `keep` spares what only the guest itself would die of: the syscall
 * entry points and segment bases keep bits 47:0 (a write then gives the
 * old value or a non-canonical one, which must be a #GP), STAR and the TSC keep
 * everything, EFER keeps SCE, LME, LMA and NXE, the APIC base its base
 * and enable bit. */
static const struct msr_pick msr_picks[] = {
    { 0x00000010, ~0ull },          /* IA32_TSC */
    { 0x0000001B, 0xFFFFFF800ull }, /* IA32_APIC_BASE: base 35:12, EN 11 */
    { 0x0000003A, 0 },              /* IA32_FEATURE_CONTROL */
    { 0x0000003B, ~0ull },          /* IA32_TSC_ADJUST */
    { 0x0000008B, 0 },              /* IA32_BIOS_SIGN_ID */
    { 0x000000FE, 0 },              /* IA32_MTRRCAP */
    { 0x00000174, 0xFFFFFFFFull },  /* IA32_SYSENTER_CS */
    { 0x00000175, CANON_LOW },      /* IA32_SYSENTER_ESP */
    { 0x00000176, CANON_LOW },      /* IA32_SYSENTER_EIP */
    { 0x00000179, 0 },              /* IA32_MCG_CAP */
    { 0x0000017A, 0 },              /* IA32_MCG_STATUS */
    { 0x000001A0, 0 },              /* IA32_MISC_ENABLE */
    { 0x000001D9, 0 },              /* IA32_DEBUGCTL */
    { 0x00000200, 0 },              /* IA32_MTRR_PHYSBASE0 */
    { 0x00000277, 0 },              /* IA32_PAT */
    { 0x000002FF, 0 },              /* IA32_MTRR_DEF_TYPE */
    { 0x00000480, 0 },              /* IA32_VMX_BASIC */
    { 0x000006E0, 0 },              /* IA32_TSC_DEADLINE */
    { 0x00000802, 0 },              /* x2APIC ID */
    { 0x0000080B, 0 },              /* x2APIC EOI */
    { 0x00000830, 0 },              /* x2APIC ICR */
    { 0xC0000080, 0xD01ull },       /* EFER: SCE 0, LME 8, LMA 10, NXE 11 */
    { 0xC0000081, ~0ull },          /* STAR */
    { 0xC0000082, CANON_LOW },      /* LSTAR */
    { 0xC0000083, CANON_LOW },      /* CSTAR */
    { 0xC0000084, 0xFFFFFFFFull },  /* SFMASK: bits 63:32 reserved */
    { 0xC0000100, CANON_LOW },      /* FS_BASE */
    { 0xC0000101, CANON_LOW },      /* GS_BASE */
    { 0xC0000102, CANON_LOW },      /* KERNEL_GS_BASE */
    { 0xC0000103, 0 },              /* TSC_AUX */
    { 0xC0010114, 0 },              /* VM_CR */
    { 0xC0010117, 0 },              /* VM_HSAVE_PA */
    { 0x4B564D00, 0 },              /* MSR_KVM_WALL_CLOCK_NEW */
    { 0x4B564D01, 0 },              /* MSR_KVM_SYSTEM_TIME_NEW */
    { 0x4B564D02, 0 },              /* MSR_KVM_ASYNC_PF_EN */
    { 0x4B564D03, 0 },              /* MSR_KVM_STEAL_TIME */
    { 0x4B564D04, 0 },              /* MSR_KVM_PV_EOI_EN */
    { 0x40000000, 0 },              /* HV_X64_MSR_GUEST_OS_ID */
    { 0x40000001, 0 },              /* HV_X64_MSR_HYPERCALL */
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

uint64_t hostile_msr_keep(uint32_t index)
{
    for (size_t i = 0; i < COUNT(msr_picks); i++)
        if (msr_picks[i].index == index)
            return msr_picks[i].keep;
    return 0;
}

uint64_t hostile_msr_value(const struct hostile_op *op, uint64_t old)
{
    uint64_t v;
    switch ((enum hostile_msr_value)op->sub) {
    case HOSTILE_MSR_FLIP: v = old ^ (1ull << (op->value & 63)); break;
    case HOSTILE_MSR_RANDOM: v = op->value; break;
    case HOSTILE_MSR_SMALL: v = op->value & 0xFFFF; break;
    case HOSTILE_MSR_ZERO: v = 0; break;
    case HOSTILE_MSR_ONES: v = ~0ull; break;
    default: v = old; break;
    }
    uint64_t keep = hostile_msr_keep(op->target);
    return (v & ~keep) | (old & keep);
}

/* Per hundred operations: reads outnumber writes, so a guest that a write
 * did not kill keeps producing exits for the others. */
static const uint8_t kind_weight[HOSTILE_KINDS] = {
    [HOSTILE_PORT_IN] = 15,    [HOSTILE_PORT_OUT] = 15,    [HOSTILE_MSR_READ] = 12,
    [HOSTILE_MSR_WRITE] = 8,   [HOSTILE_CPUID] = 10,       [HOSTILE_LAPIC_READ] = 12,
    [HOSTILE_LAPIC_WRITE] = 8, [HOSTILE_IOAPIC_READ] = 10, [HOSTILE_IOAPIC_WRITE] = 10,
};

static enum hostile_kind pick_kind(struct hostile_rng *r, unsigned enabled)
{
    enabled |= 1u << HOSTILE_CPUID;
    for (;;) {
        uint32_t n = below(r, 100);
        enum hostile_kind k = 0;
        while (n >= kind_weight[k]) {
            n -= kind_weight[k];
            k++;
        }
        if (enabled & (1u << k))
            return k;
    }
}

static const uint8_t io_widths[] = { 1, 2, 4 };
static const uint8_t mem_widths[] = { 1, 2, 4, 8 };

/* A port for an access of op->width bytes that the filter allows: a
 * device port half the time, any port the other half.  After 64 refused
 * draws the write becomes a read of the POST port 0x80, so a filter that
 * refuses everything slows nothing down. */
static void plan_port(struct hostile_rng *r, struct hostile_op *op)
{
    bool out = op->kind == HOSTILE_PORT_OUT;
    for (int tries = 0; tries < 64; tries++) {
        uint32_t port = below(r, 2) ? in_range(r, device_ports[below(r, COUNT(device_ports))])
                                    : below(r, 0x10000);
        if (port + op->width > 0x10000)
            continue;
        if (out ? hostile_port_write_ok((uint16_t)port, op->width) : hostile_port_read_ok((uint16_t)port, op->width)) {
            op->target = port;
            return;
        }
    }
    op->kind = HOSTILE_PORT_IN;
    op->width = 1;
    op->target = 0x80;
}

static void plan_msr(struct hostile_rng *r, struct hostile_op *op)
{
    op->width = 8;
    if (below(r, 10) < 4)
        op->target = msr_picks[below(r, COUNT(msr_picks))].index;
    else if (below(r, 8) == 7)
        op->target = (uint32_t)hostile_rng_next(r);
    else
        op->target = in_range(r, msr_ranges[below(r, COUNT(msr_ranges) - 1)]);
    /* SAME 25, FLIP 25, RANDOM 20, SMALL 15, ZERO 10, ONES 5 */
    uint32_t n = below(r, 100);
    op->sub = n < 25 ? HOSTILE_MSR_SAME
            : n < 50 ? HOSTILE_MSR_FLIP
            : n < 70 ? HOSTILE_MSR_RANDOM
            : n < 85 ? HOSTILE_MSR_SMALL
            : n < 95 ? HOSTILE_MSR_ZERO
                     : HOSTILE_MSR_ONES;
}

static void plan_cpuid(struct hostile_rng *r, struct hostile_op *op)
{
    static const struct range leaves[] = {
        { 0x00000000, 0x0000001F }, { 0x00000000, 0x0000001F }, { 0x40000000, 0x400000FF },
        { 0x80000000, 0x80000028 }, { 0x80000000, 0x80000028 }, { 0x00000000, 0xFFFFFFFF },
    };
    op->width = 4;
    op->target = in_range(r, leaves[below(r, COUNT(leaves))]);
    op->sub = below(r, 2) ? below(r, 8) : (uint32_t)hostile_rng_next(r);
}

/* An offset in an APIC page: a 32-bit register access half the time
 * (local APIC registers sit on 16-byte boundaries, SDM Vol. 3A Table
 * 12-1; the I/O APIC has IOREGSEL at 0, IOWIN at 0x10 and, from version
 * 0x20, an EOI register at 0x40), else any width at any offset, aligned
 * or not, always inside the page. */
static void plan_mmio(struct hostile_rng *r, struct hostile_op *op, bool ioapic)
{
    if (below(r, 2)) {
        static const uint32_t ioapic_regs[] = { 0x00, 0x00, 0x10, 0x10, 0x10, 0x40 };
        op->width = 4;
        op->target = ioapic ? ioapic_regs[below(r, COUNT(ioapic_regs))] : below(r, HOSTILE_PAGE_SIZE / 16) * 16;
    } else {
        op->width = mem_widths[below(r, COUNT(mem_widths))];
        uint32_t off = below(r, HOSTILE_PAGE_SIZE - op->width + 1);
        if (below(r, 2))
            off &= ~(uint32_t)(op->width - 1);
        op->target = off;
    }
    /* IOREGSEL: a register index the window then reaches (0x00-0x3F are
     * the 82093AA's, §3.2), sometimes anything. */
    if (ioapic && op->target == 0 && op->width == 4 && below(r, 4))
        op->value = below(r, 0x40);
}

void hostile_plan_next(struct hostile_rng *r, unsigned enabled, struct hostile_op *op)
{
    op->kind = pick_kind(r, enabled);
    op->width = 0;
    op->target = 0;
    op->sub = 0;
    op->value = hostile_rng_next(r);
    switch (op->kind) {
    case HOSTILE_PORT_IN:
    case HOSTILE_PORT_OUT:
        op->width = io_widths[below(r, COUNT(io_widths))];
        plan_port(r, op);
        break;
    case HOSTILE_MSR_READ:
    case HOSTILE_MSR_WRITE: plan_msr(r, op); break;
    case HOSTILE_CPUID: plan_cpuid(r, op); break;
    case HOSTILE_LAPIC_READ:
    case HOSTILE_LAPIC_WRITE: plan_mmio(r, op, false); break;
    default: plan_mmio(r, op, true); break;
    }
}

const char *hostile_kind_name(enum hostile_kind kind)
{
    static const char *const names[HOSTILE_KINDS] = {
        "port-in",    "port-out",    "msr-read",    "msr-write",    "cpuid",
        "lapic-read", "lapic-write", "ioapic-read", "ioapic-write",
    };
    return (unsigned)kind < HOSTILE_KINDS ? names[kind] : "?";
}
