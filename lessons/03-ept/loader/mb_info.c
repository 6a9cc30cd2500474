/**
 * @file mb_info.c
 * @brief The Multiboot information structure (Multiboot 0.6.96 §3.3) a
 *        multiboot kernel finds at EBX, built in guest RAM from the
 *        machine's memory map, the command line and the modules.
 *
 * Layout (all in low RAM from MB1_INFO_GPA, as QEMU's -kernel does it):
 *
 *     struct mb1_info | memory map | "Spectrum" | command line |
 *     module list | module strings
 *
 * and the modules' bytes themselves page-aligned above the kernel.
 * Every pointer in the structure is a 32-bit physical address (§3.3).
 */
#include "loader/multiboot.h"

#include "mem/gpm.h"
#include "spectrum/bootinfo.h"
#include "spectrum/exercise.h"
#include "spectrum/fmt.h"
#include "spectrum/string.h"

#define MB1_STR_MAX 256      /**< bytes kept of each string, NUL included */
#define MB1_PAGE    4096ull  /**< module alignment (header flag 0) */

/** Append an entry, merging it with the previous one when they touch and
 *  have the same type (a hole next to the ROM is one reserved range, as on
 *  a real PC's e820 map). */
static void mb1_map_add(struct mb1_mmap_entry *out, int *n, int max, uint64_t addr, uint64_t len, uint32_t type)
{
    if (*n > 0 && out[*n - 1].type == type && out[*n - 1].addr + out[*n - 1].len == addr) {
        out[*n - 1].len += len;
        return;
    }
    if (*n < max)
        out[(*n)++] = (struct mb1_mmap_entry){ 20, addr, len, type };
}

int mb1_memory_map(const struct pc_machine *m, struct mb1_mmap_entry *out, int max)
{
    int n = 0;
    /* EXERCISE 03.mb-info 10 "Walk m->mem.region[] (sorted by base): every gap before a region and every non-RAM region is type 2 (reserved), RAM is type 1 (available); 24-byte entries whose size field is 20: Multiboot 0.6.96 §3.3 mmap_*" */
    uint64_t at = 0;
    for (int i = 0; i < m->mem.count && i < GPM_MAX_REGIONS; i++) {
        const struct gpm_region *r = &m->mem.region[i];
        if (r->base > at)
            mb1_map_add(out, &n, max, at, r->base - at, MEM_RESERVED);
        mb1_map_add(out, &n, max, r->base, r->size, r->kind == GPM_RAM ? MEM_USABLE : MEM_RESERVED);
        at = r->base + r->size;
    }
    /* STUB
    EXERCISE_TODO();
    (void)m;
    (void)out;
    (void)max;
    (void)mb1_map_add;
    STUB END */
    /* END EXERCISE 03.mb-info */
    return n;
}

/** KiB of RAM contiguous from @p gpa (across touching RAM regions), at most @p cap bytes. */
static uint32_t mb1_ram_kib_from(const struct gpm *g, uint64_t gpa, uint64_t cap)
{
    uint64_t end = gpa;
    const struct gpm_region *r;
    while (end - gpa < cap && (r = gpm_find(g, end)) != NULL && r->kind == GPM_RAM)
        end = r->base + r->size;
    uint64_t bytes = end - gpa < cap ? end - gpa : cap;
    return (uint32_t)(bytes / 1024);
}

/** Where the next piece of the structure goes, and how far it may grow. */
struct mb1_cursor {
    struct pc_machine *m;
    uint64_t at;
    char *why;
    size_t why_len;
};

/** Write @p len bytes at the cursor (8-byte aligned); its GPA in @p *gpa. */
static bool mb1_put(struct mb1_cursor *c, const void *src, uint64_t len, uint32_t *gpa)
{
    c->at = (c->at + 7) & ~7ull;
    if (len > MB1_INFO_END - c->at || !gpm_load(&c->m->mem, c->at, src, len)) {
        fmt_snprintf(c->why, c->why_len, "multiboot: the boot information does not fit in [%#lx, %#lx)",
                     (unsigned long)MB1_INFO_GPA, (unsigned long)MB1_INFO_END);
        return false;
    }
    *gpa = (uint32_t)c->at;
    c->at += len;
    return true;
}

/** Write string @p s (NULL: ""), cut to MB1_STR_MAX - 1 characters. */
static bool mb1_put_str(struct mb1_cursor *c, const char *s, uint32_t *gpa)
{
    char buf[MB1_STR_MAX];
    size_t n = s ? strnlen(s, sizeof buf - 1) : 0;
    if (n)
        memcpy(buf, s, n);
    buf[n] = '\0';
    return mb1_put(c, buf, n + 1, gpa);
}

/** Copy module @p i to the first page boundary at or above @p *dst. */
static bool mb1_copy_module(struct pc_machine *m, const struct guest_blob *mod, int i, uint64_t *dst,
                            struct mb1_module *entry, char *why, size_t why_len)
{
    uint64_t at = (*dst + MB1_PAGE - 1) & ~(MB1_PAGE - 1);
    if (at < *dst || (mod->len && !mod->data)) {
        fmt_snprintf(why, why_len, "multiboot: module %d cannot be placed", i);
        return false;
    }
    uint64_t ram_end;
    const char *bad = loader_ram_check(m, at, mod->len, &ram_end);
    if (!bad && at + mod->len > 0x100000000ull)
        bad = "is not below 4 GiB";
    if (bad) {
        if (ram_end)
            fmt_snprintf(why, why_len, "multiboot: module %d (%lu bytes) does not fit: [%#lx+%#lx) %s (ends at %#lx)", i,
                         (unsigned long)mod->len, (unsigned long)at, (unsigned long)mod->len, bad,
                         (unsigned long)ram_end);
        else
            fmt_snprintf(why, why_len, "multiboot: module %d (%lu bytes) does not fit: [%#lx+%#lx) %s", i,
                         (unsigned long)mod->len, (unsigned long)at, (unsigned long)mod->len, bad);
        return false;
    }
    if (mod->len && !gpm_load(&m->mem, at, mod->data, mod->len)) {
        fmt_snprintf(why, why_len, "multiboot: writing module %d failed", i);
        return false;
    }
    entry->mod_start = (uint32_t)at;
    entry->mod_end = (uint32_t)(at + mod->len);
    entry->reserved = 0;
    *dst = at + mod->len;
    return true;
}

bool mb1_build_info(struct pc_machine *m, const char *cmdline, const struct guest_blob *modules, int nmodules,
                    uint64_t first, uint64_t *info_gpa, char *why, size_t why_len)
{
    if (nmodules < 0 || nmodules > MB1_MAX_MODULES) {
        fmt_snprintf(why, why_len, "multiboot: %d modules (at most %d)", nmodules, MB1_MAX_MODULES);
        return false;
    }
    uint64_t ram_end;
    if (loader_ram_check(m, MB1_INFO_GPA, MB1_INFO_END - MB1_INFO_GPA, &ram_end)) {
        fmt_snprintf(why, why_len, "multiboot: no RAM at [%#lx, %#lx) for the boot information",
                     (unsigned long)MB1_INFO_GPA, (unsigned long)MB1_INFO_END);
        return false;
    }

    struct mb1_info info;
    memset(&info, 0, sizeof info);
    struct mb1_cursor c = { m, MB1_INFO_GPA + sizeof info, why, why_len };

    /* §3.3 mem_lower / mem_upper: "the amount of lower and upper memory,
     * in kilobytes.  Lower memory starts at address 0, and upper memory
     * starts at address 1 megabyte"; upper is "the address of the first
     * upper memory hole minus 1 megabyte". */
    info.flags = MB1_INFO_MEM | MB1_INFO_MMAP | MB1_INFO_CMDLINE | MB1_INFO_LOADER | MB1_INFO_MODS;
    info.mem_lower = mb1_ram_kib_from(&m->mem, 0, PC_LOW_RAM_END);
    info.mem_upper = mb1_ram_kib_from(&m->mem, PC_HIGH_RAM_BASE, 0x100000000ull - PC_HIGH_RAM_BASE);

    struct mb1_mmap_entry map[MB1_MAX_MMAP];
    int n = mb1_memory_map(m, map, MB1_MAX_MMAP);
    if (n <= 0) {
        fmt_snprintf(why, why_len, "multiboot: the machine's memory map came out empty");
        return false;
    }
    info.mmap_length = (uint32_t)(n * sizeof map[0]);
    if (!mb1_put(&c, map, info.mmap_length, &info.mmap_addr) ||
        !mb1_put_str(&c, MB1_LOADER_NAME, &info.boot_loader_name) || !mb1_put_str(&c, cmdline, &info.cmdline))
        return false;

    struct mb1_module mods[MB1_MAX_MODULES];
    uint64_t dst = first;
    for (int i = 0; i < nmodules; i++)
        if (!mb1_copy_module(m, &modules[i], i, &dst, &mods[i], why, why_len) ||
            !mb1_put_str(&c, modules[i].cmdline, &mods[i].string))
            return false;
    info.mods_count = (uint32_t)nmodules;
    if (nmodules && !mb1_put(&c, mods, (uint64_t)nmodules * sizeof mods[0], &info.mods_addr))
        return false;
    if (!gpm_load(&m->mem, MB1_INFO_GPA, &info, sizeof info)) {
        fmt_snprintf(why, why_len, "multiboot: writing the boot information failed");
        return false;
    }
    *info_gpa = MB1_INFO_GPA;
    return true;
}
