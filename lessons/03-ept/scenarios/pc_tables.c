/**
 * @file pc_tables.c
 * @brief Scenarios "pc-smoke" and "pc-tables": the smallest guests on
 *        nested paging, and what building the nested tables costs.
 *
 * pc-smoke runs two machines, each with a few bytes of code written
 * straight into its RAM at 0x8000:
 *  - real mode at 0800:0000: print "ok" on COM1, exit 0 through port
 *    0xF4.  The code page is unmapped from the nested tables before the
 *    start, so the first fetch takes a nested page fault that maps it;
 *  - 32-bit protected mode with paging off (how multiboot kernels start):
 *    write and read back the mmio-test device (MMIO emulation), CPUID,
 *    print "mmio", exit 0.
 * It needs the spine (memory map, nested tables, the vendor attach, both
 * start modes, the NPF route, one MMIO form) and nothing else, so it is
 * the first thing to run when a change breaks every lesson-03 guest.
 *
 * pc-tables: the number the lesson quotes for building the nested tables
 * of 256 MiB of guest RAM, with the large leaves the CPU offers and with
 * 4 KiB leaves only (the cost of a TLB-friendly map against a fine one).
 */
#include "machine/pc_machine.h"
#include "mem/nested.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"
#include "spectrum/tsc.h"
#include "spectrum/x86.h"
#include "vcpu/hvm_guest.h"

static struct pc_machine smoke_machine;

/* Run @p code at GPA 0x8000 in a new machine started as @p start says. */
static bool smoke_run(const char *name, const uint8_t *code, size_t len, const struct hvm_start *start)
{
    struct pc_machine *m = &smoke_machine;
    bool ok = false;
    if (pc_machine_create(m, name, 4ull << 20) && gpm_load(&m->mem, 0x8000, code, len)) {
        m->start = *start;
        ok = pc_machine_run(m, 0);
    }
    kprintf("guest %s: exit status %u, %s: %s\n", name, (unsigned)m->vm.exit_code, ok ? "passed" : "failed",
            m->vm.stop_reason);
    pc_machine_destroy(m);
    return ok;
}

/* The code page is unmapped before the guest starts: its very first
 * instruction fetch takes a nested page fault, which maps it. */
static bool smoke_real(void)
{
    /* mov dx,0x3f8; mov al,'o'; out dx,al; mov al,'k'; out dx,al; mov al,10; out dx,al;
     * mov dx,0xf4; xor eax,eax; out dx,eax; hlt  (16-bit code) */
    static const uint8_t code[] = { 0xba, 0xf8, 0x03, 0xb0, 'o', 0xee, 0xb0, 'k', 0xee, 0xb0, 0x0a, 0xee,
                                    0xba, 0xf4, 0x00, 0x66, 0x31, 0xc0, 0x66, 0xef, 0xf4 };
    struct pc_machine *m = &smoke_machine;
    struct hvm_start st = { .mode = HVM_START_REAL16, .cs_sel = 0x0800, .rip = 0, .rsp = 0x7000 };
    /* pc_machine_run builds the tables; unmap the page in a map of our own
     * first by building them here, in the format the back end will use. */
    const struct vcpu_ops *ops = vcpu_backend();
    bool ok = false;
    if (pc_machine_create(m, "pc-smoke", 4ull << 20) && gpm_load(&m->mem, 0x8000, code, sizeof code) &&
        nested_tables_ready(m, !strcmp(ops->name, "vmx") ? GPM_FORMAT_EPT : GPM_FORMAT_NPT,
                            !strcmp(ops->name, "vmx") ? 0 : GPM_LARGE_2M) &&
        gpm_unmap(&m->mem, 0x8000, 0x1000)) {
        m->start = st;
        ok = pc_machine_run(m, 0) && m->lazy_maps > 0;
    }
    kprintf("guest pc-smoke: exit status %u, %s: %s\n", (unsigned)m->vm.exit_code, ok ? "passed" : "failed",
            m->vm.stop_reason);
    pc_machine_destroy(m);
    return ok;
}

/* 32-bit protected mode, paging off (the multiboot start): a 4-byte MMIO
 * write and read of the mmio-test scratch register, then CPUID (on SVM
 * without NRIPS its length comes from fetching it through the guest walk). */
static bool smoke_prot32(void)
{
    static const uint8_t code[] = {
        0xc7, 0x05, 0x00, 0x00, 0xb0, 0xfe, 0x78, 0x56, 0x34, 0x12, /* movl $0x12345678, 0xfeb00000 */
        0xa1, 0x00, 0x00, 0xb0, 0xfe,                               /* movl 0xfeb00000, %eax */
        0x3d, 0x78, 0x56, 0x34, 0x12, 0x75, 0x1f,                   /* cmpl $0x12345678, %eax; jne fail */
        0x31, 0xc0, 0x0f, 0xa2,                                     /* xorl %eax, %eax; cpuid */
        0x66, 0xba, 0xf8, 0x03,                                     /* movw $0x3f8, %dx */
        0xb0, 'm', 0xee, 0xb0, 'm', 0xee, 0xb0, 'i', 0xee, 0xb0, 'o', 0xee, 0xb0, 0x0a, 0xee,
        0x31, 0xc0, 0x66, 0xba, 0xf4, 0x00, 0xef, 0xf4,             /* exit 0 */
        0xb8, 0x01, 0x00, 0x00, 0x00, 0x66, 0xba, 0xf4, 0x00, 0xef, 0xf4, /* fail: exit 1 */
    };
    struct hvm_start st = { .mode = HVM_START_PROT32, .rip = 0x8000, .rsp = 0x7000 };
    return smoke_run("pc-smoke32", code, sizeof code, &st);
}

static bool pc_smoke(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("pc-smoke"))
        return false;
    bool real = smoke_real();
    bool prot = smoke_prot32();
    return real && prot;
}
/* pc-poweroff: the way an ACPI operating system switches the machine off -
 * SLP_TYP = 5 (the DSDT's \_S5) with SLP_EN in PM1a_CNT (ACPI 6.5
 * §4.8.3.2.1, §7.4.2.5) - ends the VM as passed, saying so. */
static bool pc_poweroff(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("pc-poweroff"))
        return false;
    /* mov dx,0x3f8; mov al,'z'; out dx,al; mov al,10; out dx,al;
     * mov dx,0x1804; mov ax,0x3400; out dx,ax; hlt  (16-bit code) */
    static const uint8_t code[] = { 0xba, 0xf8, 0x03, 0xb0, 'z', 0xee, 0xb0, 0x0a, 0xee,
                                    0xba, 0x04, 0x18, 0xb8, 0x00, 0x34, 0xef, 0xf4 };
    struct hvm_start st = { .mode = HVM_START_REAL16, .cs_sel = 0x0800, .rip = 0, .rsp = 0x7000 };
    return smoke_run("pc-poweroff", code, sizeof code, &st);
}
REGISTER_SCENARIO(pc_poweroff, "pc-poweroff", "lesson 03: a real-mode guest switches the machine off (ACPI S5)",
                  pc_poweroff, 3);

REGISTER_SCENARIO(pc_smoke, "pc-smoke", "lesson 03: the smallest real-mode guest on EPT/NPT", pc_smoke, 3);

static struct pc_machine tables_machine;

static bool build_once(const char *label, enum gpm_format fmt, unsigned large)
{
    struct pc_machine *m = &tables_machine;
    if (!pc_machine_create(m, "pc-tables", 256ull << 20)) {
        pc_machine_destroy(m);
        return false;
    }
    /* Best of three builds: the first one also pays for cold caches and
     * TLB entries of the freshly zeroed RAM, which is not the tables' cost. */
    uint64_t best = UINT64_MAX;
    bool ok = true;
    for (int i = 0; i < 3 && ok; i++) {
        uint64_t t0 = rdtsc();
        ok = gpm_build_tables(&m->mem, fmt, large);
        uint64_t t = rdtsc() - t0;
        best = t < best ? t : best;
    }
    uint64_t us = tsc_to_us(best);
    const struct gpm_stats *s = &m->mem.stats;
    kprintf("pc-tables: %s, %s leaves: %llu us for 256 MiB (best of 3), %llu table pages, %llu x 4K + %llu x 2M + %llu x 1G\n",
            fmt == GPM_FORMAT_EPT ? "EPT" : "NPT", label, (unsigned long long)us,
            (unsigned long long)s->table_pages, (unsigned long long)s->leaf_4k, (unsigned long long)s->leaf_2m,
            (unsigned long long)s->leaf_1g);
    /* Every RAM page must translate to its backing page. */
    for (uint64_t gpa = 0; ok && gpa < m->ram_bytes; gpa += 0x1000) {
        const struct gpm_region *r = gpm_find(&m->mem, gpa);
        if (!r || r->kind == GPM_MMIO)
            continue;
        uint64_t hpa;
        unsigned perm;
        if (!gpm_translate(&m->mem, gpa, &hpa, &perm) || hpa != gpm_backing(&m->mem, gpa)) {
            kprintf("pc-tables: GPA %#llx does not translate to its backing page\n", (unsigned long long)gpa);
            ok = false;
        }
    }
    pc_machine_destroy(m);
    return ok;
}

static bool pc_tables(const struct cmdline *cl)
{
    (void)cl;
    const struct vcpu_ops *ops = vcpu_backend();
    enum gpm_format fmt = ops && !strcmp(ops->name, "vmx") ? GPM_FORMAT_EPT : GPM_FORMAT_NPT;
    return build_once("2M", fmt, GPM_LARGE_2M) && build_once("4K", fmt, 0);
}
REGISTER_SCENARIO(pc_tables, "pc-tables", "lesson 03: time to build nested tables for 256 MiB", pc_tables, 3);
