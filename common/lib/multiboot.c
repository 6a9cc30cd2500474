/**
 * @file multiboot.c
 * @brief Parse multiboot1 and multiboot2 boot information into struct
 *        boot_info, treating every field as untrusted.
 *
 * Layouts: Multiboot Specification 0.6.96 §3.3 ("Boot information
 * format") and Multiboot2 Specification 1.6 §3.6 ("Boot information").
 * All multi-byte reads go through rd_u32/rd_u64, which check bounds first.
 */
#include "spectrum/bootinfo.h"
#include "spectrum/boot_layout.h"
#include "spectrum/exercise.h"
#include "spectrum/multiboot1.h"

/* Multiboot1 info flags: spectrum/multiboot1.h (§3.3). */
#define MB1_INFO_SIZE     72u /* up to and including boot_loader_name */

/* Multiboot2 tag types (§3.6). */
#define MB2_TAG_END       0
#define MB2_TAG_CMDLINE   1
#define MB2_TAG_LOADER    2
#define MB2_TAG_MODULE    3
#define MB2_TAG_MEMINFO   4
#define MB2_TAG_MMAP      6
#define MB2_MAX_TOTAL     (1u << 20) /* sanity bound on total_size */

/* The whole multiboot1 structure is read in at most this many modules and
 * memory-map entries: a hostile count cannot make us loop for long. */
#define MB1_MAX_MODS      256u
#define MB_MAX_MMAP_ITER  1024u

static bool readable(const struct phys_reader *rd, uint64_t paddr, uint64_t len, const uint8_t **p)
{
    uint64_t avail = 0;
    if (paddr + len < paddr)
        return false;
    const uint8_t *q = rd->map(rd->ctx, paddr, &avail);
    if (!q || avail < len)
        return false;
    *p = q;
    return true;
}

static bool rd_u32(const struct phys_reader *rd, uint64_t paddr, uint32_t *v)
{
    const uint8_t *p;
    if (!readable(rd, paddr, 4, &p))
        return false;
    *v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return true;
}

static bool rd_u64(const struct phys_reader *rd, uint64_t paddr, uint64_t *v)
{
    uint32_t lo, hi;
    if (!rd_u32(rd, paddr, &lo) || !rd_u32(rd, paddr + 4, &hi))
        return false;
    *v = (uint64_t)hi << 32 | lo;
    return true;
}

/* Copy a NUL-terminated string of at most @p limit readable bytes starting
 * at @p paddr into @p dst (size @p cap).  An unterminated or unreadable
 * string yields "" and counts as dropped. */
static void rd_string(struct boot_info *bi, const struct phys_reader *rd, uint64_t paddr,
                      uint64_t limit, char *dst, uint64_t cap)
{
    uint64_t avail = 0;
    dst[0] = '\0';
    const uint8_t *p = rd->map(rd->ctx, paddr, &avail);
    if (!p) {
        bi->dropped++;
        return;
    }
    if (avail > limit)
        avail = limit;
    uint64_t i = 0;
    for (; i < avail && p[i]; i++)
        if (i + 1 < cap)
            dst[i] = (char)p[i];
    if (i == avail) {               /* no NUL in reach: untrusted */
        dst[0] = '\0';
        bi->dropped++;
        return;
    }
    dst[i + 1 < cap ? i : cap - 1] = '\0';
}

static void add_region(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
    if (base + len < base)          /* wraps: clip at the top of memory */
        len = UINT64_MAX - base;
    if (len == 0)                   /* also what clipping a base of 2^64-1 leaves */
        return;
    if (bi->region_count == BOOTINFO_MAX_REGIONS) {
        bi->dropped++;
        return;
    }
    struct mem_region *r = &bi->region[bi->region_count++];
    r->base = base;
    r->len = len;
    r->type = type;
    r->pad = 0;
}

static void add_module(struct boot_info *bi, const struct phys_reader *rd, uint64_t start,
                       uint64_t end, uint64_t str_paddr, uint64_t str_limit)
{
    if (end < start || bi->module_count == BOOTINFO_MAX_MODULES) {
        bi->dropped++;
        return;
    }
    struct boot_module *m = &bi->module[bi->module_count++];
    m->start = start;
    m->end = end;
    m->cmdline[0] = '\0';
    if (str_paddr)
        rd_string(bi, rd, str_paddr, str_limit, m->cmdline, sizeof m->cmdline);
}

static enum bootinfo_status parse_mb1(struct boot_info *bi, uint64_t info, const struct phys_reader *rd)
{
    const uint8_t *p;
    if (!readable(rd, info, MB1_INFO_SIZE, &p))
        return BOOTINFO_UNREADABLE;
    bi->info_start = info;
    bi->info_end = info + MB1_INFO_SIZE;

    uint32_t flags, v1, v2;
    rd_u32(rd, info + 0, &flags);

    if (flags & MB1_INFO_CMDLINE) {
        rd_u32(rd, info + 16, &v1);
        rd_string(bi, rd, v1, sizeof bi->cmdline * 4, bi->cmdline, sizeof bi->cmdline);
    }
    if (flags & MB1_INFO_LOADER) {
        rd_u32(rd, info + 64, &v1);
        rd_string(bi, rd, v1, BOOTINFO_STR_MAX * 4, bi->loader, sizeof bi->loader);
    }
    /* EXERCISE 01.mb-modules 5 "Collect the boot modules: multiboot1 mods_count/mods_addr entries (16 bytes each) and multiboot2 tags of type 3, each through add_module(), never reading past the structure (Multiboot 0.6.96 3.3; Multiboot2 1.6 3.6.6)" */
    if (flags & MB1_INFO_MODS) {
        uint32_t count, addr;
        rd_u32(rd, info + 20, &count);
        rd_u32(rd, info + 24, &addr);
        if (count > MB1_MAX_MODS) {
            bi->dropped += 1;
            count = MB1_MAX_MODS;
        }
        for (uint32_t i = 0; i < count; i++) {
            uint64_t e = (uint64_t)addr + 16ull * i; /* mod_start, mod_end, string, reserved */
            uint32_t start, end, str;
            if (!rd_u32(rd, e, &start) || !rd_u32(rd, e + 4, &end) || !rd_u32(rd, e + 8, &str)) {
                bi->dropped++;
                break;
            }
            add_module(bi, rd, start, end, str, BOOTINFO_STR_MAX * 4);
        }
    }
    /* STUB
    uint32_t mods = 0;
    if ((flags & MB1_INFO_MODS) && rd_u32(rd, info + 20, &mods) && mods)
        EXERCISE_TODO();
    (void)add_module;
    STUB END */
    /* END EXERCISE 01.mb-modules */
    if (flags & MB1_INFO_MMAP) {
        uint32_t len, addr;
        rd_u32(rd, info + 44, &len);
        rd_u32(rd, info + 48, &addr);
        /* Each entry: u32 size (not counting itself), u64 base, u64 length,
         * u32 type.  "size" lets entries grow; it must cover our 20 bytes. */
        uint64_t off = 0;
        for (unsigned n = 0; off + 4 <= len && n < MB_MAX_MMAP_ITER; n++) {
            uint32_t size, type;
            uint64_t base, length;
            if (!rd_u32(rd, (uint64_t)addr + off, &size) || size < 20 || off + 4 + size > len ||
                !rd_u64(rd, (uint64_t)addr + off + 4, &base) ||
                !rd_u64(rd, (uint64_t)addr + off + 12, &length) ||
                !rd_u32(rd, (uint64_t)addr + off + 20, &type)) {
                bi->dropped++;
                break;
            }
            add_region(bi, base, length, type);
            off += 4 + (uint64_t)size;
        }
    } else if (flags & MB1_INFO_MEM) {
        /* No map: mem_lower KiB at 0, mem_upper KiB at 1 MiB (§3.3). */
        rd_u32(rd, info + 4, &v1);
        rd_u32(rd, info + 8, &v2);
        add_region(bi, 0, (uint64_t)v1 << 10, MEM_USABLE);
        add_region(bi, 0x100000, (uint64_t)v2 << 10, MEM_USABLE);
    }
    return BOOTINFO_OK;
}

static enum bootinfo_status parse_mb2(struct boot_info *bi, uint64_t info, const struct phys_reader *rd)
{
    uint32_t total;
    if (!rd_u32(rd, info, &total))
        return BOOTINFO_UNREADABLE;
    if (total < 16 || total > MB2_MAX_TOTAL)
        return BOOTINFO_MALFORMED;
    const uint8_t *p;
    if (!readable(rd, info, total, &p))
        return BOOTINFO_UNREADABLE;
    bi->info_start = info;
    bi->info_end = info + total;

    bool have_mmap = false;
    uint32_t mem_lower = 0, mem_upper = 0;
    bool have_meminfo = false;

    /* Tags start after the 8-byte header and are 8-byte aligned (§3.6.1). */
    uint64_t off = 8;
    while (off + 8 <= total) {
        uint32_t type, size;
        rd_u32(rd, info + off, &type);
        rd_u32(rd, info + off + 4, &size);
        if (type == MB2_TAG_END)
            break;
        if (size < 8 || size > total - off) {
            bi->dropped++;
            break;
        }
        uint64_t tag = info + off;
        switch (type) {
        case MB2_TAG_CMDLINE:
            rd_string(bi, rd, tag + 8, size - 8, bi->cmdline, sizeof bi->cmdline);
            break;
        case MB2_TAG_LOADER:
            rd_string(bi, rd, tag + 8, size - 8, bi->loader, sizeof bi->loader);
            break;
        case MB2_TAG_MODULE: {
            /* EXERCISE 01.mb-modules 5 "Collect the boot modules: multiboot1 mods_count/mods_addr entries (16 bytes each) and multiboot2 tags of type 3, each through add_module(), never reading past the structure (Multiboot 0.6.96 3.3; Multiboot2 1.6 3.6.6)" */
            uint32_t start, end;
            if (size < 17) {        /* two u32 + at least a NUL */
                bi->dropped++;
                break;
            }
            rd_u32(rd, tag + 8, &start);
            rd_u32(rd, tag + 12, &end);
            add_module(bi, rd, start, end, tag + 16, size - 16);
            /* STUB
            EXERCISE_TODO();
            STUB END */
            /* END EXERCISE 01.mb-modules */
            break;
        }
        case MB2_TAG_MEMINFO:
            if (size >= 16) {
                rd_u32(rd, tag + 8, &mem_lower);
                rd_u32(rd, tag + 12, &mem_upper);
                have_meminfo = true;
            }
            break;
        case MB2_TAG_MMAP: {
            uint32_t esize;
            if (size < 16) {
                bi->dropped++;
                break;
            }
            rd_u32(rd, tag + 8, &esize);
            /* Entries: u64 base, u64 length, u32 type, u32 reserved. */
            if (esize < 24) {
                bi->dropped++;
                break;
            }
            have_mmap = true;
            unsigned n = 0;
            for (uint64_t e = 16; e + esize <= size && n < MB_MAX_MMAP_ITER; e += esize, n++) {
                uint64_t base, len;
                uint32_t mtype;
                rd_u64(rd, tag + e, &base);
                rd_u64(rd, tag + e + 8, &len);
                rd_u32(rd, tag + e + 16, &mtype);
                add_region(bi, base, len, mtype);
            }
            break;
        }
        default:
            break;                  /* tags we do not use */
        }
        off += ((uint64_t)size + 7) & ~7ull;
    }
    if (!have_mmap && have_meminfo) {
        add_region(bi, 0, (uint64_t)mem_lower << 10, MEM_USABLE);
        add_region(bi, 0x100000, (uint64_t)mem_upper << 10, MEM_USABLE);
    }
    return BOOTINFO_OK;
}

/* GRUB 2 re-escapes the strings it hands a kernel: grub_create_loader_cmdline()
 * (grub-core/lib/cmdline.c) puts a backslash before every '\\', '\'' and '"'
 * of the words it parsed out of grub.cfg, for the kernel's command line and
 * for each module's string alike (seen with GRUB 2.06: x=a\b arrives as
 * x=a\\b).  Undone here, so a string reaches Spectrum the same through GRUB
 * as through QEMU's -append; other loaders pass their strings as they are. */
static void grub_unescape(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (r[0] == '\\' && (r[1] == '\\' || r[1] == '\'' || r[1] == '"'))
            r++;
        *w++ = *r;
    }
    *w = '\0';
}

static bool loaded_by_grub(const struct boot_info *bi)
{
    return bi->loader[0] == 'G' && bi->loader[1] == 'R' && bi->loader[2] == 'U' && bi->loader[3] == 'B';
}

static enum bootinfo_status parse(struct boot_info *bi, uint32_t magic, uint64_t info_paddr,
                                  const struct phys_reader *rd)
{
    bi->protocol = 0;
    bi->cmdline[0] = bi->loader[0] = '\0';
    bi->region_count = bi->module_count = bi->dropped = 0;
    bi->info_start = bi->info_end = 0;

    if (magic == MB1_BOOT_MAGIC) {
        bi->protocol = 1;
        return parse_mb1(bi, info_paddr, rd);
    }
    if (magic == MB2_BOOT_MAGIC) {
        bi->protocol = 2;
        if (info_paddr & 7)
            return BOOTINFO_MALFORMED; /* §3.6: 8-byte aligned */
        return parse_mb2(bi, info_paddr, rd);
    }
    return BOOTINFO_BAD_MAGIC;
}

enum bootinfo_status multiboot_parse(struct boot_info *bi, uint32_t magic, uint64_t info_paddr,
                                     const struct phys_reader *rd)
{
    enum bootinfo_status st = parse(bi, magic, info_paddr, rd);
    if (st == BOOTINFO_OK && loaded_by_grub(bi)) {
        grub_unescape(bi->cmdline);
        for (int i = 0; i < bi->module_count; i++)
            grub_unescape(bi->module[i].cmdline);
    }
    return st;
}

const char *mem_type_name(uint32_t type)
{
    switch (type) {
    case MEM_USABLE: return "usable";
    case MEM_RESERVED: return "reserved";
    case MEM_ACPI: return "ACPI reclaimable";
    case MEM_NVS: return "ACPI NVS";
    case MEM_BAD: return "bad";
    default: return "unknown";
    }
}
