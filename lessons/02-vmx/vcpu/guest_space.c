/**
 * @file guest_space.c
 * @brief Build a lesson-02 guest's page tables and GDT in its own memory,
 *        and load its image (layout and the isolation caveat: guest_space.h).
 *
 * Page-table formats: 32-bit paging (SDM Vol. 3A §5.3, Figure 5-4 and
 * Table 5-6/5-8: a 1024-entry page directory of 4-byte PDEs pointing to
 * 1024-entry page tables of 4-byte PTEs), and 4-level paging (§5.5,
 * Tables 5-15..5-20: PML4 -> PDPT -> PD -> PT, 512 8-byte entries each).
 * Both map with 4 KiB pages: the guest's memory comes from page_alloc()
 * with 4 KiB alignment, so 4 MiB (PSE) or 2 MiB pages, which need a
 * matching host-physical alignment, would not line up in general.
 */
#include "vcpu/guest_space.h"

#include "spectrum/boot_layout.h"
#include "spectrum/mem.h"
#include "spectrum/string.h"

#define MIB (1024ull * 1024)
#define GIB (1024 * MIB)

/* SDM Vol. 3A §3.4.5 Figure 3-8 descriptors, access byte with the accessed
 * bit already set so the CPU never writes the GDT:
 *   0x00cf9b000000ffff  base 0, limit 0xfffff, G=1, D=1, P, DPL0, code exec/read
 *   0x00cf93000000ffff  same, data read/write
 *   0x00af9b000000ffff  64-bit code: L=1, D=0 (§5.2.1) */
#define GDT_CODE32 0x00cf9b000000ffffull
#define GDT_DATA   0x00cf93000000ffffull
#define GDT_CODE64 0x00af9b000000ffffull

_Static_assert(GUEST_SEL_CODE32 == 1 * 8 && GUEST_SEL_DATA == 2 * 8 && GUEST_SEL_CODE64 == 3 * 8,
               "selectors index the GDT built below");
_Static_assert(GUEST_TABLES_GVA >= GUEST_GDT_GVA + PAGE_SIZE, "tables after the GDT page");

/* Host-physical address backing guest-virtual (== offset) @p va. */
static uint64_t backing(const struct vm *vm, uint64_t va)
{
    return virt_to_phys(vm->mem.host) + va;
}

/* Page @p index of the table area, zeroed; NULL if it would reach the image. */
static void *table_page(struct vm *vm, uint64_t index)
{
    uint64_t gva = GUEST_TABLES_GVA + index * PAGE_SIZE;
    if (gva + PAGE_SIZE > GUEST_LOAD_GVA)
        return 0;
    void *p = gmem_ptr(&vm->mem, gva, PAGE_SIZE);
    if (p)
        memset(p, 0, PAGE_SIZE);
    return p;
}

/* The leaf entry for @p va: present + writable, except page 0 and beyond memory. */
static uint64_t leaf(const struct vm *vm, uint64_t va)
{
    if (va == 0 || va >= vm->mem.size)
        return 0;
    return backing(vm, va) | PTE_P | PTE_W;
}

/* 32-bit paging: one page directory, then one page table per 4 MiB. */
static bool build_prot32(struct vm *vm, uint64_t *cr3)
{
    uint64_t n_pt = (vm->mem.size + 4 * MIB - 1) / (4 * MIB);
    if (backing(vm, vm->mem.size) > 4 * GIB) {
        vm_stop(vm, false, "guest memory ends above 4 GiB host-physical: 32-bit page tables cannot map it");
        return false;
    }
    uint32_t *pd = table_page(vm, 0);
    if (!pd) {
        vm_stop(vm, false, "guest memory too small for its page directory");
        return false;
    }
    for (uint64_t i = 0; i < n_pt; i++) {
        uint32_t *pt = table_page(vm, 1 + i);
        if (!pt) {
            vm_stop(vm, false, "%lu KiB of guest memory need more page tables than fit below %#llx",
                    (unsigned long)(vm->mem.size >> 10), GUEST_LOAD_GVA);
            return false;
        }
        pd[i] = (uint32_t)(backing(vm, GUEST_TABLES_GVA + (1 + i) * PAGE_SIZE) | PTE_P | PTE_W);
        for (uint64_t j = 0; j < 1024; j++)
            pt[j] = (uint32_t)leaf(vm, (i << 22) | (j << 12));
    }
    *cr3 = backing(vm, GUEST_TABLES_GVA);
    return true;
}

/* 4-level paging: PML4, one PDPT, one PD per GiB, one PT per 2 MiB. */
static bool build_long64(struct vm *vm, uint64_t *cr3)
{
    if (vm->mem.size > 512 * GIB) {
        vm_stop(vm, false, "guest memory above 512 GiB needs more than one PDPT");
        return false;
    }
    uint64_t n_pd = (vm->mem.size + GIB - 1) / GIB;
    uint64_t n_pt = (vm->mem.size + 2 * MIB - 1) / (2 * MIB);
    uint64_t *pml4 = table_page(vm, 0);
    uint64_t *pdpt = table_page(vm, 1);
    if (!pml4 || !pdpt) {
        vm_stop(vm, false, "guest memory too small for its page tables");
        return false;
    }
    pml4[0] = backing(vm, GUEST_TABLES_GVA + PAGE_SIZE) | PTE_P | PTE_W;
    for (uint64_t i = 0; i < n_pd; i++) {
        uint64_t pd_index = 2 + i;
        uint64_t *pd = table_page(vm, pd_index);
        if (!pd)
            goto too_big;
        pdpt[i] = backing(vm, GUEST_TABLES_GVA + pd_index * PAGE_SIZE) | PTE_P | PTE_W;
        for (uint64_t j = 0; j < 512 && i * 512 + j < n_pt; j++) {
            uint64_t pt_index = 2 + n_pd + i * 512 + j;
            uint64_t *pt = table_page(vm, pt_index);
            if (!pt)
                goto too_big;
            pd[j] = backing(vm, GUEST_TABLES_GVA + pt_index * PAGE_SIZE) | PTE_P | PTE_W;
            uint64_t base = (i << 30) | (j << 21);
            for (uint64_t k = 0; k < 512; k++)
                pt[k] = leaf(vm, base | (k << 12));
        }
    }
    *cr3 = backing(vm, GUEST_TABLES_GVA);
    return true;
too_big:
    vm_stop(vm, false, "%lu KiB of guest memory need more page tables than fit below %#llx",
            (unsigned long)(vm->mem.size >> 10), GUEST_LOAD_GVA);
    return false;
}

bool guest_space_build(struct vm *vm, enum vcpu_mode mode, struct vcpu_config *cfg)
{
    if (vm->mem.size < GUEST_LOAD_GVA + PAGE_SIZE + GUEST_STACK_MIN) {
        vm_stop(vm, false, "guest memory of %lu KiB is too small: the image goes at %#llx",
                (unsigned long)(vm->mem.size >> 10), GUEST_LOAD_GVA);
        return false;
    }
    memset(cfg, 0, sizeof *cfg);
    uint64_t cr3;
    if (mode == VCPU_MODE_PROT32_PAGED) {
        if (!build_prot32(vm, &cr3))
            return false;
    } else if (mode == VCPU_MODE_LONG64) {
        if (!build_long64(vm, &cr3))
            return false;
    } else {
        vm_stop(vm, false, "unknown vCPU mode %d", (int)mode);
        return false;
    }
    uint64_t *gdt = gmem_ptr(&vm->mem, GUEST_GDT_GVA, 4 * sizeof(uint64_t));
    gdt[0] = 0;
    gdt[1] = GDT_CODE32;
    gdt[2] = GDT_DATA;
    gdt[3] = GDT_CODE64;

    cfg->mode = mode;
    cfg->rip = GUEST_LOAD_GVA;
    cfg->rsp = vm->mem.size;
    cfg->cr3 = cr3;
    cfg->gdt_base = GUEST_GDT_GVA;
    cfg->gdt_limit = 4 * sizeof(uint64_t) - 1;
    cfg->idt_base = 0;
    cfg->idt_limit = 0;
    return true;
}

bool guest_space_load(struct vm *vm, uint64_t gva, const void *image, size_t len)
{
    uint64_t room = vm->mem.size > GUEST_STACK_MIN ? vm->mem.size - GUEST_STACK_MIN : 0;
    if (gva < GUEST_LOAD_GVA || gva > room || len > room - gva) {
        vm_stop(vm, false, "image of %lu bytes at %#lx does not fit in %lu KiB of guest memory "
                "(from %#llx, leaving %llu KiB of stack)",
                (unsigned long)len, (unsigned long)gva, (unsigned long)(vm->mem.size >> 10), GUEST_LOAD_GVA,
                GUEST_STACK_MIN >> 10);
        return false;
    }
    return gmem_write(&vm->mem, gva, image, len);
}
