/**
 * @file guest_walk.c
 * @brief Walk the guest's page tables in software: guest-virtual -> host
 *        pointer, for instruction fetch and decoding on exits.
 *
 * The walk reads the guest's live paging state (it may have built its own
 * tables since boot), follows the format the control registers select
 * (SDM Vol. 3A §5.1.1 Table 5-1):
 *  - CR0.PG=1, CR4.PAE=0: 32-bit paging (§5.3), 4 KiB pages and, with
 *    CR4.PSE, 4 MiB pages (PSE-36 high bits in PDE[20:13], §5.3 Table 5-4);
 *  - CR4.PAE=1, EFER.LMA=0: PAE paging (§5.4): CR3 -> 4 PDPTEs -> PD -> PT,
 *    2 MiB pages;
 *  - EFER.LMA=1: 4-level paging (§5.5): PML4 -> PDPT (1 GiB pages) -> PD
 *    (2 MiB pages) -> PT;
 * and treats every address it meets as hostile: in lesson 02 the tables
 * hold host-physical addresses, so each table and the final page must lie
 * inside THIS guest's memory, or the walk fails.  Access rights (R/W, U/S,
 * NX) are not checked: the walk reads on behalf of the hypervisor.
 */
#include "vcpu/guest_space.h"

#include "spectrum/mem.h"
#include "spectrum/x86_bits.h"

#define PG_P   0x1ull
#define PG_PS  0x80ull
#define ADDR_4K_64 0x000ffffffffff000ull   /* bits 51:12 of a 64-bit entry */
#define ADDR_2M_64 0x000fffffffe00000ull   /* bits 51:21 */
#define ADDR_1G_64 0x000fffffc0000000ull   /* bits 51:30 */

/* Read the @p size-byte entry at host-physical @p hpa, only if it lies in
 * the guest's memory. */
static bool read_entry(const struct vm *vm, uint64_t hpa, unsigned size, uint64_t *out)
{
    uint64_t base = virt_to_phys(vm->mem.host);
    if (hpa < base)
        return false;
    const void *p = gmem_ptr(&vm->mem, hpa - base, size);
    if (!p)
        return false;
    *out = size == 4 ? *(const uint32_t *)p : *(const uint64_t *)p;
    return true;
}

static bool walk32(const struct vm *vm, uint64_t cr3, uint64_t cr4, uint64_t va, uint64_t *hpa)
{
    uint64_t pde, pte;
    va &= 0xffffffffull;
    if (!read_entry(vm, (cr3 & 0xfffff000ull) + ((va >> 22) << 2), 4, &pde) || !(pde & PG_P))
        return false;
    if ((pde & PG_PS) && (cr4 & CR4_PSE)) {
        *hpa = (pde & 0xffc00000ull) | (((pde >> 13) & 0xffull) << 32) | (va & 0x3fffffull);
        return true;
    }
    if (!read_entry(vm, (pde & 0xfffff000ull) + (((va >> 12) & 0x3ff) << 2), 4, &pte) || !(pte & PG_P))
        return false;
    *hpa = (pte & 0xfffff000ull) | (va & 0xfffull);
    return true;
}

/* The lower levels shared by PAE and 4-level paging: PD then PT. */
static bool walk_pd(const struct vm *vm, uint64_t pd, uint64_t va, uint64_t *hpa)
{
    uint64_t pde, pte;
    if (!read_entry(vm, (pd & ADDR_4K_64) + (((va >> 21) & 511) << 3), 8, &pde) || !(pde & PG_P))
        return false;
    if (pde & PG_PS) {
        *hpa = (pde & ADDR_2M_64) | (va & 0x1fffffull);
        return true;
    }
    if (!read_entry(vm, (pde & ADDR_4K_64) + (((va >> 12) & 511) << 3), 8, &pte) || !(pte & PG_P))
        return false;
    *hpa = (pte & ADDR_4K_64) | (va & 0xfffull);
    return true;
}

static bool walk_pae(const struct vm *vm, uint64_t cr3, uint64_t va, uint64_t *hpa)
{
    uint64_t pdpte;
    va &= 0xffffffffull;
    if (!read_entry(vm, (cr3 & 0xffffffe0ull) + ((va >> 30) << 3), 8, &pdpte) || !(pdpte & PG_P))
        return false;
    return walk_pd(vm, pdpte, va, hpa);
}

static bool walk64(const struct vm *vm, uint64_t cr3, uint64_t va, uint64_t *hpa)
{
    uint64_t pml4e, pdpte;
    /* Canonical: bits 63:47 all equal (SDM Vol. 1 §3.3.7.1). */
    uint64_t top = va >> 47;
    if (top != 0 && top != 0x1ffff)
        return false;
    if (!read_entry(vm, (cr3 & ADDR_4K_64) + (((va >> 39) & 511) << 3), 8, &pml4e) || !(pml4e & PG_P))
        return false;
    if (!read_entry(vm, (pml4e & ADDR_4K_64) + (((va >> 30) & 511) << 3), 8, &pdpte) || !(pdpte & PG_P))
        return false;
    if (pdpte & PG_PS) {
        *hpa = (pdpte & ADDR_1G_64) | (va & 0x3fffffffull);
        return true;
    }
    return walk_pd(vm, pdpte, va, hpa);
}

void *guest_space_translate(struct vcpu *v, uint64_t gva, size_t len)
{
    if (v->space)
        return v->space->translate(v, gva, len);
    const struct vm *vm = v->vm;
    if (len == 0 || len > PAGE_SIZE - (gva & (PAGE_SIZE - 1)))
        return 0;
    uint64_t cr0 = v->ops->get_ctl(v, CTL_CR0);
    uint64_t cr3 = v->ops->get_ctl(v, CTL_CR3);
    uint64_t cr4 = v->ops->get_ctl(v, CTL_CR4);
    uint64_t efer = v->ops->get_ctl(v, CTL_EFER);
    uint64_t hpa;
    bool ok;
    if (!(cr0 & CR0_PG))
        return 0;   /* lesson-02 guests always page (handlers_cr.c keeps it so) */
    if (efer & EFER_LMA)
        ok = walk64(vm, cr3, gva, &hpa);
    else if (cr4 & CR4_PAE)
        ok = walk_pae(vm, cr3, gva, &hpa);
    else
        ok = walk32(vm, cr3, cr4, gva, &hpa);
    uint64_t base = virt_to_phys(vm->mem.host);
    if (!ok || hpa < base)
        return 0;
    return gmem_ptr(&vm->mem, hpa - base, len);
}

size_t guest_space_fetch(struct vcpu *v, uint64_t gva, void *dst, size_t max)
{
    uint8_t *out = dst;
    size_t done = 0;
    while (done < max) {
        uint64_t at = gva + done;
        size_t chunk = PAGE_SIZE - (at & (PAGE_SIZE - 1));
        if (chunk > max - done)
            chunk = max - done;
        const uint8_t *src = guest_space_translate(v, at, chunk);
        if (!src)
            break;
        for (size_t i = 0; i < chunk; i++)
            out[done + i] = src[i];
        done += chunk;
    }
    return done;
}
