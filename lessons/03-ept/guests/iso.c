/**
 * @file iso.c
 * @brief Guest "iso": what a guest can reach of guest-physical space
 *        (guests/iso.h says what each job does).  Under nested paging a
 *        guest's "physical" addresses are the hypervisor's to define: RAM
 *        it was given, its devices, and nothing else - in particular not
 *        the host memory that happens to sit at the same numbers.
 */
#include "guests/iso.h"

#include "guest/guest.h"
#include "guests/mailbox.h"
#include "rt_guest.h"

extern char __guest_image_end[];

#define QWORDS_PER_PAGE 512u

/* The RAM this guest may use: [image end, 640 KiB) and [1 MiB, top);
 * below the image are the boot log, parameters and page tables. */
struct span {
    unsigned long lo, hi;
};

static unsigned spans(const volatile struct iso_params *p, struct span out[2])
{
    unsigned long end = ((unsigned long)__guest_image_end + 0xfff) & ~0xffful;
    out[0] = (struct span){ end, RT_LOW_END };
    out[1] = (struct span){ 0x100000, (unsigned long)p->ram_top };
    return 2;
}

static int secret(const volatile struct iso_params *p)
{
    struct span s[2];
    unsigned long bytes = 0;
    for (unsigned i = 0; i < spans(p, s); i++)
        for (volatile uint64_t *q = rt_phys(s[i].lo); (unsigned long)q < s[i].hi; q++) {
            *q = p->secret;
            bytes += 8;
        }
    guest_printf("iso: wrote the secret %#lx over %lu KiB of RAM\n", (unsigned long)p->secret, bytes >> 10);
    return 0;
}

static int search(const volatile struct iso_params *p)
{
    struct span s[2];
    unsigned long bytes = 0, nonzero = 0, hits = 0, first = 0;
    for (unsigned i = 0; i < spans(p, s); i++)
        for (volatile uint64_t *q = rt_phys(s[i].lo); (unsigned long)q < s[i].hi; q++) {
            uint64_t v = *q;
            bytes += 8;
            if (v) {
                if (!nonzero)
                    first = (unsigned long)q;
                nonzero++;
                hits += v == p->secret;
            }
        }
    guest_printf("iso: searched %lu KiB of RAM for the secret %#lx: %lu found, %lu non-zero qwords%s\n", bytes >> 10,
                 (unsigned long)p->secret, hits, nonzero, nonzero ? " - LEAK" : "");
    if (nonzero)
        guest_printf("iso: the first at GPA %#lx\n", first);
    /* The host's places, where they are numbers inside this guest's RAM. */
    unsigned inside = 0;
    for (unsigned i = 0; i < p->count && i < ISO_MAX_ADDRS; i++) {
        unsigned long gpa = (unsigned long)p->addr[i] & ~7ul;
        bool in = (gpa >= s[0].lo && gpa < s[0].hi) || (gpa >= s[1].lo && gpa < s[1].hi);
        if (!in) {
            guest_printf("iso: GPA %#lx: not RAM of mine (a probe VM touches it)\n", gpa);
            continue;
        }
        inside++;
        uint64_t v = *(volatile uint64_t *)rt_phys(gpa);
        guest_printf("iso: GPA %#lx: reads %#lx, my own zeroed RAM%s\n", gpa, (unsigned long)v, v ? ": LEAK" : "");
        nonzero += v != 0;
    }
    guest_outl(MAILBOX_PORT, (uint32_t)nonzero);
    guest_outl(MAILBOX_PORT, (uint32_t)hits);
    guest_outl(MAILBOX_PORT, inside);
    return nonzero ? 1 : 0;
}

static void tell(uint64_t gpa, unsigned long rip)
{
    guest_outl(MAILBOX_PORT, (uint32_t)gpa);
    guest_outl(MAILBOX_PORT, (uint32_t)(gpa >> 32));
    guest_outl(MAILBOX_PORT, (uint32_t)rip);
    guest_outl(MAILBOX_PORT, (uint32_t)((uint64_t)rip >> 32));
}

/* The touching instructions, labelled in the asm below (one copy: the
 * function is never inlined or cloned). */
extern const char iso_read_insn[], iso_write_insn[];

static __attribute__((noinline, noclone)) int probe(const volatile struct iso_params *p)
{
    uint64_t gpa = p->addr[0];
    unsigned touch = p->touch;
    if (touch == ISO_READ_TOP) {
        /* The top of the guest's physical-address width (CPUID
         * 8000_0008h EAX[7:0], SDM Vol. 2A "CPUID"). */
        unsigned bits = guest_cpuid(0x80000008, 0).eax & 0xff;
        gpa = (1ull << bits) - 8;
        touch = ISO_READ;
    }
    /* Reach the GPA through the alias window: any GPA, any paging. */
    unsigned long va = RT_ALIAS_VA + (unsigned long)(gpa & 0xfff);
    if (!rt_map_page(RT_ALIAS_VA, gpa & ~0xfffull)) {
        guest_printf("iso: cannot map GPA %#lx\n", (unsigned long)gpa);
        return 2;
    }
    static const char *const how[] = { "read", "write", "fetch" };
    unsigned long rip;
    uint64_t v = 0;
    rip = touch == ISO_READ ? (unsigned long)iso_read_insn : touch == ISO_WRITE ? (unsigned long)iso_write_insn : va;
    guest_printf("iso: %s at GPA %#lx (GVA %#lx), RIP %#lx: the VM must stop here\n", how[touch],
                 (unsigned long)gpa, va, rip);
    tell(gpa, rip);
    if (touch == ISO_READ)
        __asm__ volatile(".globl iso_read_insn\niso_read_insn: movq (%1), %0" : "=r"(v) : "r"(va) : "memory");
    else if (touch == ISO_WRITE)
        __asm__ volatile(".globl iso_write_insn\niso_write_insn: movq %0, (%1)" ::"r"(0x5a5a5a5a5a5a5a5aull), "r"(va)
                         : "memory");
    else
        ((void (*)(void))va)();
    guest_printf("iso: GPA %#lx answered (%#lx): ISOLATION BROKEN\n", (unsigned long)gpa, (unsigned long)v);
    return 3;
}

int guest_main(void)
{
    const volatile struct iso_params *p = rt_params();
    if (p->magic != ISO_MAGIC) {
        guest_printf("iso: no parameters at %#x\n", RT_PARAM_GPA);
        return 9;
    }
    switch (p->job) {
    case ISO_SECRET: return secret(p);
    case ISO_SEARCH: return search(p);
    case ISO_PROBE: return probe(p);
    }
    guest_printf("iso: unknown job %u\n", p->job);
    return 9;
}
