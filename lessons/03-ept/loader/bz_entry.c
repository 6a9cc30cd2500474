/**
 * @file bz_entry.c
 * @brief How a bzImage is entered: the 64-bit entry point of the Linux
 *        boot protocol (boot.rst "64-bit Boot Protocol"), which wants
 *
 *  - 64-bit mode with paging on, the kernel's init_size footprint, the
 *    zero page and the command line identity-mapped;
 *  - a GDT with __BOOT_CS (0x10, flat execute/read) and __BOOT_DS (0x18,
 *    flat read/write), CS = __BOOT_CS, DS = ES = SS = __BOOT_DS;
 *  - interrupts off, RSI = the zero page's physical address;
 *  - RIP = the protected-mode kernel's load address + 0x200.
 *
 * Why the 64-bit entry rather than the 32-bit one at the load address:
 * the 32-bit entry wants flat protected mode with paging off, and the
 * decompressor then builds its own 4-level tables and switches to long
 * mode itself - work the vCPU would trap through (a CR0/CR4/EFER write, a
 * far jump) for nothing, since a hypervisor can start the vCPU in long
 * mode directly (struct hvm_start, HVM_START_LONG64).  Every 64-bit
 * kernel since 3.8 (protocol 2.12, XLF_KERNEL_64) has the entry, and it
 * is the one modern VMMs (Firecracker, cloud-hypervisor) use.  The price
 * is that the loader builds page tables: 4 GiB with 2 MiB pages (SDM Vol.
 * 3A §5.5, Figure 5-9) covers all RAM this machine can have
 * (PC_RAM_MAX_LOW), the zero page and the command line.
 */
#include "loader/bzimage.h"

#include "mem/gpm.h"
#include "spectrum/boot_layout.h"
#include "spectrum/fmt.h"
#include "spectrum/string.h"

#define PTE_A 0x20ull   /**< accessed: set here so the CPU's walk need not write it */
#define PTE_D 0x40ull   /**< dirty (leaf entries) */

/* Flat descriptors (SDM Vol. 3A §3.4.5): base 0, limit 0xFFFFF with
 * G = 1 (4 GiB), P = 1, DPL 0, S = 1, accessed set so the CPU never
 * writes them.  Code: type 0xB (execute/read), L = 1 (64-bit, D = 0);
 * data: type 0x3 (read/write), D/B = 1. */
#define GDT_CODE64 0x00af9b000000ffffull
#define GDT_DATA   0x00cf93000000ffffull

bool bz_enter64(struct pc_machine *m, const struct bz_plan *plan, uint64_t zero_page, struct hvm_start *start,
                char *why, size_t why_len)
{
    uint64_t gdt[4] = { 0, 0, GDT_CODE64, GDT_DATA };
    _Static_assert(BZ_SEL_CODE == 2 * 8 && BZ_SEL_DATA == 3 * 8, "the GDT entries the selectors name");

    /* PML4[0] -> PDPT; PDPT[0..3] -> four page directories of 512
     * 2 MiB pages each: virtual = physical for [0, 4 GiB). */
    static uint64_t table[512];
    bool ok = gpm_load(&m->mem, BZ_GDT_GPA, gdt, sizeof gdt);
    memset(table, 0, sizeof table);
    table[0] = BZ_PDPT_GPA | PTE_P | PTE_W | PTE_A;
    ok = ok && gpm_load(&m->mem, BZ_PML4_GPA, table, sizeof table);
    memset(table, 0, sizeof table);
    for (unsigned i = 0; i < BZ_IDENTITY_GIB; i++)
        table[i] = (BZ_PD_GPA + i * 0x1000ull) | PTE_P | PTE_W | PTE_A;
    ok = ok && gpm_load(&m->mem, BZ_PDPT_GPA, table, sizeof table);
    for (unsigned d = 0; ok && d < BZ_IDENTITY_GIB; d++) {
        for (unsigned i = 0; i < 512; i++)
            table[i] = (((uint64_t)d << 30) + ((uint64_t)i << 21)) | PTE_P | PTE_W | PTE_PS | PTE_A | PTE_D;
        ok = gpm_load(&m->mem, BZ_PD_GPA + d * 0x1000ull, table, sizeof table);
    }
    if (!ok) {
        fmt_snprintf(why, why_len, "bzimage: writing the boot GDT / page tables at [%#lx, %#lx) failed",
                     (unsigned long)BZ_GDT_GPA, (unsigned long)(BZ_PD_GPA + BZ_IDENTITY_GIB * 0x1000ull));
        return false;
    }
    memset(start, 0, sizeof *start);
    start->mode = HVM_START_LONG64;   /* flat segments, IF = 0 (machine/start_state.c) */
    start->cr3 = BZ_PML4_GPA;
    start->gdt_base = BZ_GDT_GPA;
    start->gdt_limit = sizeof gdt - 1;
    start->rip = plan->load + BZ_ENTRY64_OFFSET;
    start->gpr[GPR_RSI] = zero_page;
    /* The protocol promises no stack and the decompressor sets its own
     * (boot_stack_end) before its first push; a kernel that pushes
     * earlier still gets [BZ_STACK_LOW, zero page) instead of a #PF at
     * 2^64 - 8 that would be a triple fault with no IDT. */
    start->rsp = BZ_ZERO_PAGE_GPA;
    return true;
}
