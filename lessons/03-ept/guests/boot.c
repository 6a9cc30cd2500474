/**
 * @file boot.c
 * @brief Guest "boot": the PC boot path of every lesson-03 guest, checked
 *        step by step.  rt16.S took the guest from real mode through
 *        protected mode to long mode and recorded CR0, CR4 and EFER at
 *        each step (struct rt_bootlog); this checks every recorded value
 *        against what the SDM says the step must produce, then the state
 *        the C code runs in now.  Exit status: the number of failed checks.
 */
#include "rt_guest.h"

#include "spectrum/fmt.h"
#include "spectrum/x86_bits.h"

static unsigned failures;

/* One line per step: what was seen, and whether it is what the step
 * must leave behind. */
static void check(bool ok, const char *step, const char *what)
{
    guest_printf("boot: %s: %s: %s\n", step, what, ok ? "ok" : "WRONG");
    if (!ok)
        failures++;
}

static bool bits(uint32_t v, uint32_t set, uint32_t clear)
{
    return (v & set) == set && (v & clear) == 0;
}

int guest_main(void)
{
    const volatile struct rt_bootlog *bl = rt_bootlog();
    char line[96];
    if (bl->magic != RT_BOOTLOG_MAGIC) {
        guest_printf("boot: no boot log at %#x: FAILED\n", RT_BOOTLOG_GPA);
        return 1;
    }

    /* Real mode (SDM Vol. 3A §10.1.1: PE and PG clear after reset). */
    fmt_snprintf(line, sizeof line, "entered at CS %#06x, CR0 %#x", bl->entry_cs, bl->real_cr0);
    check(bl->entry_cs == RT_START_CS && bits(bl->real_cr0, 0, CR0_PE | CR0_PG), "real mode", line);

    /* Protected mode (§10.9.1): PE set, paging still off. */
    fmt_snprintf(line, sizeof line, "CR0 %#x (PE=1 PG=0)", bl->prot_cr0);
    check(bits(bl->prot_cr0, CR0_PE, CR0_PG), "protected mode", line);

    /* IA-32e preparation (§10.8.5): PAE before LME, LMA not yet set. */
    fmt_snprintf(line, sizeof line, "CR4 %#x (PAE=1), EFER %#x (LME=1 LMA=0)", bl->pae_cr4, bl->lme_efer);
    check(bits(bl->pae_cr4, CR4_PAE, 0) && bits(bl->lme_efer, EFER_LME, EFER_LMA), "long mode armed", line);

    /* Long mode: PG set made the CPU set LMA (§10.8.5 step 4). */
    fmt_snprintf(line, sizeof line, "CR0 %#x (PE=1 PG=1), EFER %#x (LME=1 LMA=1)", bl->long_cr0, bl->long_efer);
    check(bits(bl->long_cr0, CR0_PE | CR0_PG, 0) && bits(bl->long_efer, EFER_LME | EFER_LMA, 0), "long mode", line);

    /* And the state guest_main() runs in. */
    uint16_t cs;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    unsigned long cr0 = rt_read_cr0(), cr3 = rt_read_cr3(), cr4 = rt_read_cr4();
    uint64_t efer = guest_rdmsr(MSR_EFER);
    fmt_snprintf(line, sizeof line, "CS %#x, CR0 %#lx, CR3 %#lx, CR4 %#lx, EFER %#lx", cs, cr0, cr3, cr4,
                 (unsigned long)efer);
    check(cs == RT_SEL_CODE64 && bits((uint32_t)cr0, CR0_PE | CR0_PG, 0) && cr3 == RT_PML4_GPA &&
              bits((uint32_t)cr4, CR4_PAE, 0) && bits((uint32_t)efer, EFER_LME | EFER_LMA, 0),
          "in C", line);

    /* The guest's own identity map really is in force: a value written
     * through one virtual address reads back through an alias of the
     * same guest-physical page (the alias window, rt_paging.c). */
    static volatile uint64_t probe;
    probe = 0x0123456789abcdefull;
    unsigned long page = (unsigned long)&probe & ~0xffful;
    bool mapped = rt_map_page(RT_ALIAS_VA, page);
    volatile uint64_t *alias = (volatile uint64_t *)(RT_ALIAS_VA + ((unsigned long)&probe & 0xfff));
    bool same = mapped && *alias == 0x0123456789abcdefull;
    fmt_snprintf(line, sizeof line, "GVA %#lx and %#lx share GPA %#lx", (unsigned long)&probe, (unsigned long)alias,
                 (unsigned long)&probe);
    check(same, "own page tables", line);

    if (failures) {
        guest_printf("boot: %u checks FAILED\n", failures);
        return (int)failures;
    }
    guest_printf("boot: checks passed\n");
    return 0;
}
