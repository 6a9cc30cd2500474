/**
 * @file mem.c
 * @brief The global page allocator: which memory is free at boot.
 */
#include "spectrum/mem.h"

#include "spectrum/console.h"
#include "spectrum/machine.h"
#include "spectrum/string.h"

extern const uint8_t _image_start[], _image_end[];

/* One bit per 4 KiB frame below MEM_LIMIT: 128 KiB of BSS. */
static uint8_t frame_bitmap[MEM_LIMIT / PAGE_SIZE / 8];
static struct pmm kernel_pmm;

/* Real-mode IVT, BDA, EBDA, VGA memory and the BIOS live below 1 MiB
 * (and later lessons place real-mode guests' copies there): keep the
 * whole first megabyte out of the allocator. */
#define LOW_MEMORY_END 0x100000ull

static const uint8_t *identity_map(void *ctx, uint64_t paddr, uint64_t *avail)
{
    (void)ctx;
    if (paddr >= MEM_LIMIT)
        return 0;
    *avail = MEM_LIMIT - paddr;
    return (const uint8_t *)(uintptr_t)paddr;
}

const struct phys_reader mem_identity_reader = { identity_map, 0 };

void mem_init(const struct boot_info *bi)
{
    pmm_init(&kernel_pmm, frame_bitmap, MEM_LIMIT);
    uint64_t ignored = 0;
    for (int i = 0; i < bi->region_count; i++) {
        const struct mem_region *r = &bi->region[i];
        if (r->type != MEM_USABLE)
            continue;
        pmm_add_free(&kernel_pmm, r->base, r->len);
        if (r->base + r->len > MEM_LIMIT)
            ignored += r->base + r->len - (r->base > MEM_LIMIT ? r->base : MEM_LIMIT);
    }
    /* Reserve after freeing: reserved wins over a conflicting usable entry. */
    for (int i = 0; i < bi->region_count; i++)
        if (bi->region[i].type != MEM_USABLE)
            pmm_reserve(&kernel_pmm, bi->region[i].base, bi->region[i].len);
    pmm_reserve(&kernel_pmm, 0, LOW_MEMORY_END);
    pmm_reserve(&kernel_pmm, virt_to_phys(_image_start), (uint64_t)(_image_end - _image_start));
    pmm_reserve(&kernel_pmm, bi->info_start, bi->info_end - bi->info_start);
    for (int i = 0; i < bi->module_count; i++)
        pmm_reserve(&kernel_pmm, bi->module[i].start, bi->module[i].end - bi->module[i].start);
    if (ignored)
        kprintf("mem: %lu MiB above 4 GiB not used (outside the identity map)\n",
                (unsigned long)(ignored >> 20));
}

void *page_alloc(uint64_t n, uint64_t align_pages)
{
    uint64_t pa = pmm_alloc(&kernel_pmm, n, align_pages);
    if (!pa)
        panic("out of memory: %lu pages wanted, %lu free", (unsigned long)n,
              (unsigned long)kernel_pmm.free_frames);
    void *p = phys_to_virt(pa);
    memset(p, 0, n * PAGE_SIZE);
    return p;
}

void *page_alloc_try(uint64_t n, uint64_t align_pages)
{
    uint64_t pa = pmm_alloc(&kernel_pmm, n, align_pages);
    if (!pa)
        return 0;
    void *p = phys_to_virt(pa);
    memset(p, 0, n * PAGE_SIZE);
    return p;
}

void page_free(void *p, uint64_t n)
{
    if (!pmm_free(&kernel_pmm, virt_to_phys(p), n))
        panic("page_free(%p, %lu): not allocated (double free?)", p, (unsigned long)n);
}

uint64_t mem_free_bytes(void)
{
    return kernel_pmm.free_frames * PAGE_SIZE;
}
