/**
 * @file gpm.c
 * @brief A VM's guest-physical memory map and the host pages behind it
 *        (the nested tables built from it are in nested_tables.c).
 *
 * Regions are kept sorted and never overlap; a GPA in no region is a hole.
 * RAM and ROM pages get host pages at once (no demand paging: a guest
 * never waits on the host allocator, and a VM that cannot have its memory
 * fails at creation with a message, not half-way through a boot).
 * gpm.page[] holds one host-physical address per guest page, in region
 * order; its low bits record how the page was allocated.
 *
 * This file is also compiled hosted, for the unit tests: it needs only
 * page_alloc_try/page_free and the identity phys/virt helpers.
 */
#include "mem/gpm.h"

#include "spectrum/fmt.h"
#include "spectrum/mem.h"
#include "spectrum/string.h"

#define PAGE_MASK_4K (PAGE_SIZE - 1)
#define CHUNK_PAGES  512ull                   /* 2 MiB of 4 KiB pages */
#define CHUNK_SIZE   (CHUNK_PAGES * PAGE_SIZE)

void gpm_init(struct gpm *m, unsigned phys_bits)
{
    memset(m, 0, sizeof *m);
    m->phys_bits = phys_bits ? phys_bits : 36;
}

const struct gpm_region *gpm_find(const struct gpm *m, uint64_t gpa)
{
    for (int i = 0; i < m->count; i++) {
        const struct gpm_region *r = &m->region[i];
        if (gpa >= r->base && gpa - r->base < r->size)
            return r;
    }
    return 0;
}

/* Grow page[] to hold @p more entries; false when the host is out of memory. */
static bool grow_pages(struct gpm *m, uint64_t more)
{
    uint64_t want = m->pages + more;
    uint64_t array_pages = (want * sizeof(uint64_t) + PAGE_SIZE - 1) / PAGE_SIZE;
    if (array_pages <= m->page_array_pages)
        return true;
    uint64_t *n = page_alloc_try(array_pages, 1);
    if (!n)
        return false;
    if (m->page) {
        memcpy(n, m->page, m->pages * sizeof(uint64_t));
        page_free(m->page, m->page_array_pages);
    }
    m->page = n;
    m->page_array_pages = array_pages;
    return true;
}

/* Back pages [first, first+count) of page[]: 2 MiB chunks where the guest
 * range is 2 MiB aligned (so the tables can use large leaves), 4 KiB pages
 * otherwise or when no chunk is free.  page_alloc_try() zeroes them: a VM
 * never sees an earlier VM's data. */
static bool back_pages(struct gpm *m, uint64_t base, uint64_t first, uint64_t count)
{
    uint64_t i = 0;
    while (i < count) {
        uint64_t gpa = base + i * PAGE_SIZE;
        if (!(gpa & (CHUNK_SIZE - 1)) && count - i >= CHUNK_PAGES) {
            uint8_t *chunk = page_alloc_try(CHUNK_PAGES, CHUNK_PAGES);
            if (chunk) {
                uint64_t hpa = virt_to_phys(chunk);
                for (uint64_t k = 0; k < CHUNK_PAGES; k++)
                    m->page[first + i + k] = (hpa + k * PAGE_SIZE) | (k ? GPM_PAGE_IN_CHUNK : GPM_PAGE_CHUNK_HEAD);
                i += CHUNK_PAGES;
                continue;
            }
        }
        void *p = page_alloc_try(1, 1);
        if (!p)
            return false;
        m->page[first + i] = virt_to_phys(p);
        i++;
    }
    return true;
}

static void free_pages(struct gpm *m, uint64_t first, uint64_t count)
{
    for (uint64_t i = first; i < first + count; i++) {
        uint64_t e = m->page[i];
        if (!e || (e & GPM_PAGE_IN_CHUNK))
            continue;
        page_free(phys_to_virt(e & ~GPM_PAGE_FLAGS), (e & GPM_PAGE_CHUNK_HEAD) ? CHUNK_PAGES : 1);
        m->page[i] = 0;
    }
}

bool gpm_add(struct gpm *m, uint64_t base, uint64_t size, enum gpm_kind kind, const char *name, char *why,
             size_t why_len)
{
    if (kind != GPM_RAM && kind != GPM_ROM && kind != GPM_MMIO) {
        fmt_snprintf(why, why_len, "region %s: unknown kind %d", name, (int)kind);
        return false;
    }
    if (!size || (base & PAGE_MASK_4K) || (size & PAGE_MASK_4K)) {
        fmt_snprintf(why, why_len, "region %s [%#llx+%#llx) is empty or not 4 KiB aligned", name,
                     (unsigned long long)base, (unsigned long long)size);
        return false;
    }
    uint64_t limit = m->phys_bits >= 64 ? ~0ull : (1ull << m->phys_bits);
    if (base > limit || size > limit - base) {
        fmt_snprintf(why, why_len, "region %s [%#llx+%#llx) reaches past the %u-bit physical-address width",
                     name, (unsigned long long)base, (unsigned long long)size, m->phys_bits);
        return false;
    }
    if (m->count == GPM_MAX_REGIONS) {
        fmt_snprintf(why, why_len, "region %s: more than %d regions", name, GPM_MAX_REGIONS);
        return false;
    }
    int at = 0;
    for (; at < m->count; at++) {
        const struct gpm_region *r = &m->region[at];
        if (base < r->base + r->size && r->base < base + size) {
            fmt_snprintf(why, why_len, "region %s [%#llx+%#llx) overlaps %s [%#llx+%#llx)", name,
                         (unsigned long long)base, (unsigned long long)size, r->name,
                         (unsigned long long)r->base, (unsigned long long)r->size);
            return false;
        }
        if (base < r->base)
            break;
    }
    struct gpm_region nr = { base, size, kind, 0, name, 0 };
    if (kind != GPM_MMIO) {
        uint64_t count = size / PAGE_SIZE;
        if (!grow_pages(m, count)) {
            fmt_snprintf(why, why_len, "region %s: no host memory for its page list", name);
            return false;
        }
        nr.first_page = m->pages;
        if (!back_pages(m, base, m->pages, count)) {
            free_pages(m, m->pages, count);
            fmt_snprintf(why, why_len, "region %s: the host has no %llu KiB free for it", name,
                         (unsigned long long)(size >> 10));
            return false;
        }
        m->pages += count;
        nr.perm = kind == GPM_RAM ? GPM_R | GPM_W | GPM_X : GPM_R | GPM_X;
        if (kind == GPM_RAM && base + size > m->ram_top)
            m->ram_top = base + size;
    }
    for (int i = m->count; i > at; i--)
        m->region[i] = m->region[i - 1];
    m->region[at] = nr;
    m->count++;
    return true;
}

uint64_t gpm_backing(const struct gpm *m, uint64_t gpa)
{
    const struct gpm_region *r = gpm_find(m, gpa);
    if (!r || r->kind == GPM_MMIO)
        return 0;
    uint64_t e = m->page[r->first_page + (gpa - r->base) / PAGE_SIZE];
    return (e & ~GPM_PAGE_FLAGS) | (gpa & PAGE_MASK_4K);
}

void *gpm_ptr(const struct gpm *m, uint64_t gpa, uint64_t len)
{
    if (!len || len > PAGE_SIZE - (gpa & PAGE_MASK_4K))
        return 0;
    uint64_t hpa = gpm_backing(m, gpa);
    return hpa ? phys_to_virt(hpa) : 0;
}

/* Copy page by page; @p kinds says which region kinds may be touched. */
static bool copy(const struct gpm *m, uint64_t gpa, uint8_t *buf, uint64_t len, bool to_guest, bool rom_ok)
{
    if (gpa + len < gpa)
        return false;
    /* Check the whole range first, so a failed copy changes nothing. */
    for (uint64_t at = gpa; at < gpa + len;) {
        const struct gpm_region *r = gpm_find(m, at);
        if (!r || r->kind == GPM_MMIO || (to_guest && r->kind == GPM_ROM && !rom_ok))
            return false;
        uint64_t end = r->base + r->size;
        at = end;
    }
    while (len) {
        uint64_t n = PAGE_SIZE - (gpa & PAGE_MASK_4K);
        if (n > len)
            n = len;
        uint8_t *p = gpm_ptr(m, gpa, n);
        if (!p)
            return false;
        if (to_guest)
            memcpy(p, buf, n);
        else
            memcpy(buf, p, n);
        gpa += n;
        buf += n;
        len -= n;
    }
    return true;
}

bool gpm_read(const struct gpm *m, uint64_t gpa, void *dst, uint64_t len)
{
    return copy(m, gpa, dst, len, false, true);
}

bool gpm_write(const struct gpm *m, uint64_t gpa, const void *src, uint64_t len)
{
    return copy(m, gpa, (uint8_t *)(uintptr_t)src, len, true, false);
}

bool gpm_load(const struct gpm *m, uint64_t gpa, const void *src, uint64_t len)
{
    return copy(m, gpa, (uint8_t *)(uintptr_t)src, len, true, true);
}

void gpm_destroy(struct gpm *m)
{
    gpm_free_tables(m);
    if (m->page) {
        free_pages(m, 0, m->pages);
        page_free(m->page, m->page_array_pages);
    }
    unsigned bits = m->phys_bits;
    gpm_init(m, bits);
}
