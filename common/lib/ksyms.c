/**
 * @file ksyms.c
 * @brief Address-to-function lookup over the table the build generates.
 */
#include "spectrum/ksyms.h"

/* Weak: the first of the two links has no table yet. */
extern const struct ksym ksym_table[] __attribute__((weak));
extern const uint64_t ksym_count __attribute__((weak));
extern const uint8_t _image_start[], _load_end[];

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
    if (!ksym_table || !&ksym_count || ksym_count == 0)
        return 0;
    if (addr < (uint64_t)(uintptr_t)_image_start || addr >= (uint64_t)(uintptr_t)_load_end)
        return 0;
    /* Binary search for the last entry with addr <= the address. */
    uint64_t lo = 0, hi = ksym_count;
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (ksym_table[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (ksym_table[lo].addr > addr)
        return 0;
    *offset = addr - ksym_table[lo].addr;
    return ksym_table[lo].name;
}
