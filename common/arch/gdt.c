/**
 * @file gdt.c
 * @brief The final GDT: flat code/data segments and a TSS.
 *
 * Long mode ignores segment bases and limits for CS/DS/ES/SS (SDM Vol. 3A
 * §5.2.1) but still needs a TSS: it supplies the IST stacks (§7.14.5) that
 * let #DF and NMI run on a known-good stack even after a kernel stack
 * overflow, and VMX requires a usable TR in the host state (SDM Vol. 3C
 * §28.2.3, "TR selector must not be 0000H").
 */
#include "spectrum/cpu.h"

#include "spectrum/string.h"

#define IST_STACK_SIZE 8192
#define IST_DF  1   /* double fault */
#define IST_NMI 2
#define IST_MC  3   /* machine check */

static struct tss64 tss;
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

/* Descriptor formats: SDM Vol. 3A §3.4.5 Figure 3-8 (code/data) and §9.2.3
 * Figure 9-4 (64-bit TSS descriptor, 16 bytes). */
static uint64_t gdt[5] __attribute__((aligned(16)));

struct __attribute__((packed)) gdt_ptr {
    uint16_t limit;
    uint64_t base;
};

/** Bounds of the IST stacks, so the backtracer knows where frames may be. */
const uint8_t *ist_stack_bottom = &ist_stacks[0][0];
const uint8_t *ist_stack_top = &ist_stacks[2][IST_STACK_SIZE];

void gdt_init(void)
{
    gdt[0] = 0;
    gdt[1] = 0x00af9a000000ffffull; /* 0x08 code: P, DPL0, S, exec/read, L=1 */
    gdt[2] = 0x00cf92000000ffffull; /* 0x10 data: P, DPL0, S, read/write, G, D/B */

    memset(&tss, 0, sizeof tss);
    tss.ist[IST_DF - 1] = (uint64_t)(uintptr_t)&ist_stacks[0][IST_STACK_SIZE];
    tss.ist[IST_NMI - 1] = (uint64_t)(uintptr_t)&ist_stacks[1][IST_STACK_SIZE];
    tss.ist[IST_MC - 1] = (uint64_t)(uintptr_t)&ist_stacks[2][IST_STACK_SIZE];
    tss.iomap_base = sizeof tss;    /* no I/O permission bitmap */

    uint64_t base = (uint64_t)(uintptr_t)&tss;
    uint64_t limit = sizeof tss - 1;
    gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) /* P, type 9 = available 64-bit TSS */
           | (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[4] = base >> 32;

    struct gdt_ptr p = { sizeof gdt - 1, (uint64_t)(uintptr_t)gdt };
    __asm__ volatile(
        "lgdt %0\n\t"
        /* Reload CS with a far return, then the data segments. */
        "pushq %1\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %w2, %%ax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%ss\n\t"
        "movw %%ax, %%fs\n\t"
        "movw %%ax, %%gs\n\t"
        "ltr %w3\n\t"
        :
        : "m"(p), "i"(SEL_CODE64), "r"(SEL_DATA), "r"(SEL_TSS)
        : "rax", "memory");
}
