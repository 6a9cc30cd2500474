/**
 * @file pmm.c
 * @brief Bitmap physical page allocator (see pmm.h).
 */
#include "spectrum/pmm.h"

static bool bit_get(const struct pmm *pm, uint64_t f)
{
    return pm->bitmap[f >> 3] & (1u << (f & 7));
}

static void bit_set(struct pmm *pm, uint64_t f)
{
    if (!bit_get(pm, f)) {
        pm->bitmap[f >> 3] |= (uint8_t)(1u << (f & 7));
        pm->free_frames--;
    }
}

static void bit_clear(struct pmm *pm, uint64_t f)
{
    if (bit_get(pm, f)) {
        pm->bitmap[f >> 3] &= (uint8_t)~(1u << (f & 7));
        pm->free_frames++;
    }
}

void pmm_init(struct pmm *pm, uint8_t *bitmap, uint64_t limit)
{
    pm->bitmap = bitmap;
    pm->frames = limit >> PAGE_SHIFT;
    pm->free_frames = 0;
    pm->hint = 1;
    for (uint64_t i = 0; i < (pm->frames + 7) / 8; i++)
        bitmap[i] = 0xff;
}

void pmm_add_free(struct pmm *pm, uint64_t base, uint64_t len)
{
    if (len == 0 || base >= (pm->frames << PAGE_SHIFT))
        return;
    uint64_t end = base + len < base ? UINT64_MAX : base + len;
    uint64_t first = (base + PAGE_SIZE - 1) >> PAGE_SHIFT; /* round inwards */
    uint64_t last = end >> PAGE_SHIFT;                     /* exclusive */
    if (last > pm->frames)
        last = pm->frames;
    for (uint64_t f = first; f < last; f++)
        if (f != 0)                 /* frame 0 stays used: 0 means "none" */
            bit_clear(pm, f);
}

void pmm_reserve(struct pmm *pm, uint64_t base, uint64_t len)
{
    if (len == 0)
        return;
    uint64_t end = base + len < base ? UINT64_MAX : base + len;
    uint64_t first = base >> PAGE_SHIFT;                   /* round outwards */
    uint64_t last = (end >> PAGE_SHIFT) + ((end & (PAGE_SIZE - 1)) ? 1 : 0);
    if (last > pm->frames)
        last = pm->frames;
    for (uint64_t f = first; f < last; f++)
        bit_set(pm, f);
}

static uint64_t find_run(struct pmm *pm, uint64_t from, uint64_t to, uint64_t count, uint64_t align)
{
    uint64_t f = (from + align - 1) / align * align;
    while (f + count <= to) {
        uint64_t i = 0;
        while (i < count && !bit_get(pm, f + i))
            i++;
        if (i == count)
            return f;
        /* Frame f+i is used: the next candidate starts after it. */
        f = (f + i + 1 + align - 1) / align * align;
    }
    return 0;
}

uint64_t pmm_alloc(struct pmm *pm, uint64_t count, uint64_t align_frames)
{
    if (count == 0 || count > pm->free_frames)
        return 0;
    uint64_t align = align_frames ? align_frames : 1;
    /* The only multiple of an alignment >= frames below the limit is frame
     * 0, never handed out; checking here also keeps find_run's round-ups
     * from overflowing. */
    if (align >= pm->frames)
        return 0;
    uint64_t f = find_run(pm, pm->hint, pm->frames, count, align);
    if (!f)
        f = find_run(pm, 1, pm->frames, count, align);
    if (!f)
        return 0;
    for (uint64_t i = 0; i < count; i++)
        bit_set(pm, f + i);
    pm->hint = f + count;
    return f << PAGE_SHIFT;
}

bool pmm_free(struct pmm *pm, uint64_t paddr, uint64_t count)
{
    if ((paddr & (PAGE_SIZE - 1)) || count == 0)
        return false;
    uint64_t f = paddr >> PAGE_SHIFT;
    if (f == 0 || f >= pm->frames || count > pm->frames - f)
        return false;
    for (uint64_t i = 0; i < count; i++)
        if (!bit_get(pm, f + i))
            return false;           /* double free */
    for (uint64_t i = 0; i < count; i++)
        bit_clear(pm, f + i);
    if (f < pm->hint)
        pm->hint = f;
    return true;
}

bool pmm_is_used(const struct pmm *pm, uint64_t paddr)
{
    uint64_t f = paddr >> PAGE_SHIFT;
    return f >= pm->frames || bit_get(pm, f);
}
