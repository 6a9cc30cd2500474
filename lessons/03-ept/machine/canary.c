/**
 * @file canary.c
 * @brief Spectrum's memory canary (canary.h).
 *
 * What is checked: [_image_start, _rodata_end) - the kernel's code and
 * constant data, which nothing may ever write - hashed with 64-bit FNV-1a,
 * and one page filled with a pattern and never used, allocated among the
 * pages guest memory comes from.  A guest that escaped its nested tables
 * would most likely land in one of them.  Writable data (.data, .bss, the
 * heap) changes legitimately and is not covered; that is what the
 * isolation guests probe directly.
 */
#include "machine/canary.h"

#include <stdint.h>

#include "spectrum/console.h"
#include "spectrum/machine.h"
#include "spectrum/mem.h"

extern const uint8_t _image_start[], _rodata_end[];

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME  0x100000001b3ull
#define PATTERN(i) (0x5a5a5a5a00000000ull | (uint64_t)(i) * 0x9e3779b1u)

static uint64_t reference;
static uint64_t *pattern_page;

static uint64_t image_hash(void)
{
    uint64_t h = FNV_OFFSET;
    for (const uint8_t *p = _image_start; p < _rodata_end; p++)
        h = (h ^ *p) * FNV_PRIME;
    return h;
}

void canary_arm(void)
{
    if (!pattern_page) {
        reference = image_hash();
        pattern_page = page_alloc(1, 1);
        for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
            pattern_page[i] = PATTERN(i);
        kprintf("canary: reference taken (%lu KiB of code and constants, one pattern page)\n",
                (unsigned long)((_rodata_end - _image_start) >> 10));
    }
}

void canary_check(const char *who)
{
    canary_arm();
    uint64_t h = image_hash();
    if (h != reference)
        panic("canary: after VM %s, Spectrum's code/constants changed (hash %#lx, was %#lx)", who,
              (unsigned long)h, (unsigned long)reference);
    for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
        if (pattern_page[i] != PATTERN(i))
            panic("canary: after VM %s, the pattern page at %#lx changed at offset %#x", who,
                  (unsigned long)virt_to_phys(pattern_page), i * 8);
    kprintf("canary: after VM %s: Spectrum's memory intact\n", who);
}
