/**
 * @file pv_area.c
 * @brief Checking a guest area the hypervisor writes (pv_area.h).
 */
#include "pvhvm/pv_area.h"

#include "mem/gpm.h"

#define PAGE_MASK_4K 0xfffull

enum pv_area_fault pv_area_check(const struct gpm *m, uint64_t gpa, uint64_t len, uint64_t align)
{
    if (align && (gpa & (align - 1)))
        return PV_AREA_MISALIGNED;
    if (!len || len > PAGE_MASK_4K + 1 || gpa > UINT64_MAX - (len - 1))
        return PV_AREA_CROSSES_PAGE;
    uint64_t last = gpa + (len - 1);
    if ((gpa & ~PAGE_MASK_4K) != (last & ~PAGE_MASK_4K))
        return PV_AREA_CROSSES_PAGE;
    /* One page: the region holding its first byte holds it all (regions
     * are 4 KiB aligned, gpm.h). */
    const struct gpm_region *r = m ? gpm_find(m, gpa) : 0;
    if (!r || r->kind != GPM_RAM || last > r->base + (r->size - 1))
        return PV_AREA_NOT_RAM;
    return PV_AREA_OK;
}

const char *pv_area_fault_name(enum pv_area_fault f)
{
    switch (f) {
    case PV_AREA_OK: return "are fine";
    case PV_AREA_MISALIGNED: return "are misaligned";
    case PV_AREA_CROSSES_PAGE: return "cross a page boundary";
    case PV_AREA_NOT_RAM: return "are not all guest RAM";
    }
    return "?";
}
