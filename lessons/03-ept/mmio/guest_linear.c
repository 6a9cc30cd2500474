/**
 * @file guest_linear.c
 * @brief The walk of the guest's own page tables (pure code; the kernel
 *        glue is guest_space_pc.c).
 *
 * Formats, selected by CR0.PG, CR4.PAE and EFER.LMA (SDM Vol. 3A §5.1.1
 * Table 5-1; AMD APM Vol. 2 §5.1):
 *  - paging off: linear == physical (32-bit linear addresses; real mode's
 *    1 MiB + 64 KiB fits, the A20 wrap is not emulated);
 *  - 32-bit paging (§5.3): CR3 -> PD -> PT, 4-byte entries; with CR4.PSE a
 *    PDE with PS maps 4 MiB, PDE bits 20:13 giving physical bits 39:32
 *    (PSE-36, §5.3 Table 5-4);
 *  - PAE paging (§5.4): CR3 bits 31:5 -> 4 PDPTEs -> PD (2 MiB pages) -> PT;
 *    the PDPTEs are read from memory here (VMX keeps copies in the VMCS,
 *    §5.4.1; a guest that rewrites them without reloading CR3 sees the
 *    difference, which no sane guest does);
 *  - 4-level paging (§5.5): PML4 -> PDPT (1 GiB pages) -> PD (2 MiB) -> PT,
 *    canonical addresses only (SDM Vol. 1 §3.3.7.1).
 * 5-level paging (CR4.LA57) is not offered to guests and fails the walk.
 *
 * Every entry is guest data: its address goes to the read callback, which
 * refuses anything outside guest RAM/ROM, and nothing here indexes memory
 * itself.  Accessed/dirty bits are not set (the hypervisor reads on the
 * guest's behalf, as lesson 02's walk does).
 */
#include "mmio/guest_linear.h"

#include "spectrum/exercise.h"
#include "spectrum/x86_bits.h"

#define PTE_P      0x1ull                  /* present */
#define PTE_RW     0x2ull                  /* writable */
#define PTE_US     0x4ull                  /* user */
#define PTE_PS     0x80ull                 /* large page (PDE/PDPTE) */
#define ADDR_4K_32 0xfffff000ull           /* 32-bit entry: bits 31:12 */
#define ADDR_4M_32 0xffc00000ull           /* 32-bit PDE with PS: bits 31:22 */
#define ADDR_4K_64 0x000ffffffffff000ull   /* 64-bit entry: bits 51:12 */
#define ADDR_2M_64 0x000fffffffe00000ull   /* bits 51:21 */
#define ADDR_1G_64 0x000fffffc0000000ull   /* bits 51:30 */
#define PAE_CR3    0xffffffe0ull           /* PAE: CR3 bits 31:5 locate the PDPT */

#define KIB4 0x1000ull
#define MIB2 0x200000ull
#define MIB4 0x400000ull
#define GIB1 0x40000000ull

enum guest_paging_mode guest_paging_mode(const struct guest_paging *pg)
{
    if (!(pg->cr0 & CR0_PG))
        return GUEST_PAGING_OFF;
    if (pg->efer & EFER_LMA) {
        /* LMA without PAE cannot be entered (§9.8.5); LA57 is 5-level. */
        if (!(pg->cr4 & CR4_PAE) || (pg->cr4 & CR4_LA57))
            return GUEST_PAGING_UNSUPPORTED;
        return GUEST_PAGING_4LEVEL;
    }
    return (pg->cr4 & CR4_PAE) ? GUEST_PAGING_PAE : GUEST_PAGING_32;
}

/* Read one present entry; accumulate its R/W and U/S into @p out. */
static bool entry(guest_pt_read_fn read, void *ctx, uint64_t gpa, unsigned size, bool rights,
                  struct guest_walk_result *out, uint64_t *e)
{
    if (!read(ctx, gpa, size, e) || !(*e & PTE_P))
        return false;
    if (rights) {
        out->writable = out->writable && (*e & PTE_RW);
        out->user = out->user && (*e & PTE_US);
    }
    return true;
}

static bool leaf(struct guest_walk_result *out, uint64_t gpa, uint64_t page_size)
{
    out->gpa = gpa;
    out->page_size = page_size;
    return true;
}

static bool walk32(const struct guest_paging *pg, guest_pt_read_fn read, void *ctx, uint64_t va,
                   struct guest_walk_result *out)
{
    uint64_t pde, pte;
    va &= 0xffffffffull;
    if (!entry(read, ctx, (pg->cr3 & ADDR_4K_32) + ((va >> 22) << 2), 4, true, out, &pde))
        return false;
    if ((pde & PTE_PS) && (pg->cr4 & CR4_PSE))
        return leaf(out, (pde & ADDR_4M_32) | (((pde >> 13) & 0xffull) << 32) | (va & (MIB4 - 1)), MIB4);
    if (!entry(read, ctx, (pde & ADDR_4K_32) + (((va >> 12) & 0x3ff) << 2), 4, true, out, &pte))
        return false;
    return leaf(out, (pte & ADDR_4K_32) | (va & (KIB4 - 1)), KIB4);
}

/* PD and PT, shared by PAE and 4-level paging. */
static bool walk_pd(guest_pt_read_fn read, void *ctx, uint64_t pd, uint64_t va, struct guest_walk_result *out)
{
    uint64_t pde, pte;
    if (!entry(read, ctx, (pd & ADDR_4K_64) + (((va >> 21) & 511) << 3), 8, true, out, &pde))
        return false;
    if (pde & PTE_PS)
        return leaf(out, (pde & ADDR_2M_64) | (va & (MIB2 - 1)), MIB2);
    if (!entry(read, ctx, (pde & ADDR_4K_64) + (((va >> 12) & 511) << 3), 8, true, out, &pte))
        return false;
    return leaf(out, (pte & ADDR_4K_64) | (va & (KIB4 - 1)), KIB4);
}

static bool walk_pae(const struct guest_paging *pg, guest_pt_read_fn read, void *ctx, uint64_t va,
                     struct guest_walk_result *out)
{
    uint64_t pdpte;
    va &= 0xffffffffull;
    /* PAE PDPTEs have no R/W or U/S bits (§5.4.1 Table 5-8). */
    if (!entry(read, ctx, (pg->cr3 & PAE_CR3) + ((va >> 30) << 3), 8, false, out, &pdpte))
        return false;
    return walk_pd(read, ctx, pdpte, va, out);
}

static bool walk64(const struct guest_paging *pg, guest_pt_read_fn read, void *ctx, uint64_t va,
                   struct guest_walk_result *out)
{
    /* EXERCISE 03.gva-walk 10 "Walk 4-level paging: canonical check, PML4E, PDPTE (1 GiB pages), then the PD; every entry read through the callback (SDM Vol. 3A 5.5, Table 5-15 to 5-20)" */
    uint64_t pml4e, pdpte;
    uint64_t top = va >> 47;
    if (top != 0 && top != 0x1ffff)
        return false;   /* not canonical: the CPU raises #GP, it never walks */
    if (!entry(read, ctx, (pg->cr3 & ADDR_4K_64) + (((va >> 39) & 511) << 3), 8, true, out, &pml4e))
        return false;
    if (!entry(read, ctx, (pml4e & ADDR_4K_64) + (((va >> 30) & 511) << 3), 8, true, out, &pdpte))
        return false;
    if (pdpte & PTE_PS)
        return leaf(out, (pdpte & ADDR_1G_64) | (va & (GIB1 - 1)), GIB1);
    return walk_pd(read, ctx, pdpte, va, out);
    /* STUB
    EXERCISE_TODO();
    (void)pg;
    (void)read;
    (void)ctx;
    (void)va;
    (void)out;
    return false;
    STUB END */
    /* END EXERCISE 03.gva-walk */
}

bool guest_linear_walk(const struct guest_paging *pg, guest_pt_read_fn read, void *ctx, uint64_t linear,
                       struct guest_walk_result *out)
{
    out->writable = out->user = true;
    out->gpa = 0;
    out->page_size = 0;
    switch (guest_paging_mode(pg)) {
    case GUEST_PAGING_OFF:
        return leaf(out, linear & 0xffffffffull, 0);
    case GUEST_PAGING_32:
        return walk32(pg, read, ctx, linear, out);
    case GUEST_PAGING_PAE:
        return walk_pae(pg, read, ctx, linear, out);
    case GUEST_PAGING_4LEVEL:
        return walk64(pg, read, ctx, linear, out);
    default:
        return false;
    }
}
