/**
 * @file test_multiboot.c
 * @brief Check tests for common/lib/multiboot.c, the multiboot1/2 boot
 *        information parser.
 *
 * The parser reads "physical memory" through a struct phys_reader; here
 * that is a 1 MiB fake physical address space [0, MEMSZ) whose last byte
 * sits right before a PROT_NONE guard page, so any read past what the
 * reader said is available faults.  Covers: a complete valid multiboot1
 * and multiboot2 structure; bad magic; info pointers outside memory;
 * inconsistent multiboot2 total_size, tag sizes, alignment and mmap
 * entry sizes; multiboot1 mmap entries with a bad size or running past
 * mmap_length or memory; strings without a NUL (at the end of memory and
 * at the end of a tag); more regions/modules than kept; module end <
 * start; a huge mods_count; regions wrapping 2^64; the mem_lower /
 * mem_upper fallback; and mem_type_name().
 */
#include <check.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "spectrum/boot_layout.h"
#include "spectrum/bootinfo.h"

#include "check_main.h"

#define MEMSZ 0x100000ull /* fake physical memory: [0, 1 MiB) */

/* Multiboot1 info layout (Multiboot 0.6.96 §3.3). */
#define MB1_FLAG_MEM     (1u << 0)
#define MB1_FLAG_CMDLINE (1u << 2)
#define MB1_FLAG_MODS    (1u << 3)
#define MB1_FLAG_MMAP    (1u << 6)
#define MB1_FLAG_LOADER  (1u << 9)
#define MB1_OFF_FLAGS    0
#define MB1_OFF_MEMLO    4
#define MB1_OFF_MEMHI    8
#define MB1_OFF_CMDLINE  16
#define MB1_OFF_MODSCNT  20
#define MB1_OFF_MODSADDR 24
#define MB1_OFF_MMAPLEN  44
#define MB1_OFF_MMAPADDR 48
#define MB1_OFF_LOADER   64
#define MB1_SIZE         72

/* Multiboot2 tag types (Multiboot2 1.6 §3.6). */
#define TAG_END     0
#define TAG_CMDLINE 1
#define TAG_LOADER  2
#define TAG_MODULE  3
#define TAG_MEMINFO 4
#define TAG_MMAP    6

static uint8_t *mem;        /* phys 0 */
static void *mapping;
static size_t mapping_len;
static unsigned map_calls;
static struct boot_info bi;

static const uint8_t *fake_map(void *ctx, uint64_t paddr, uint64_t *avail)
{
    (void)ctx;
    map_calls++;
    if (paddr >= MEMSZ)
        return NULL;
    *avail = MEMSZ - paddr;
    return mem + paddr;
}

static const struct phys_reader rd = { fake_map, NULL };

static void teardown(void)
{
    if (mapping)
        munmap(mapping, mapping_len);
    mapping = NULL;
    mem = NULL;
}

/* Fresh zeroed memory and a dirty result; also used mid-test to start a
 * new case (it releases the previous memory first). */
static void setup(void)
{
    teardown();
    long pg = sysconf(_SC_PAGESIZE);
    ck_assert_int_gt(pg, 0);
    mapping_len = MEMSZ + (size_t)pg;
    mapping = mmap(NULL, mapping_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(mapping != MAP_FAILED);
    ck_assert_int_eq(mprotect((uint8_t *)mapping + MEMSZ, (size_t)pg, PROT_NONE), 0);
    mem = mapping;
    /* Start from a dirty result so the parser's reset is checked too. */
    memset(&bi, 0xa5, sizeof bi);
    map_calls = 0;
}

static void w8(uint64_t pa, uint8_t v)
{
    ck_assert_uint_lt(pa, MEMSZ);
    mem[pa] = v;
}

static void w32(uint64_t pa, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        w8(pa + (uint64_t)i, (uint8_t)(v >> (8 * i)));
}

static void w64(uint64_t pa, uint64_t v)
{
    w32(pa, (uint32_t)v);
    w32(pa + 4, (uint32_t)(v >> 32));
}

/* Write @p s with its NUL; returns the bytes written. */
static uint64_t wstr(uint64_t pa, const char *s)
{
    size_t n = strlen(s) + 1;
    ck_assert_uint_le(pa + n, MEMSZ);
    memcpy(mem + pa, s, n);
    return n;
}

static enum bootinfo_status parse(uint32_t magic, uint64_t info)
{
    return multiboot_parse(&bi, magic, info, &rd);
}

static void check_region(int i, uint64_t base, uint64_t len, uint32_t type)
{
    ck_assert_int_lt(i, bi.region_count);
    ck_assert_uint_eq(bi.region[i].base, base);
    ck_assert_uint_eq(bi.region[i].len, len);
    ck_assert_uint_eq(bi.region[i].type, type);
}

static void check_no_wrap(void)
{
    for (int i = 0; i < bi.region_count; i++) {
        ck_assert_uint_ne(bi.region[i].len, 0);
        ck_assert_uint_ge(bi.region[i].base + bi.region[i].len, bi.region[i].base);
    }
}

/* ---- multiboot1 builders ---------------------------------------------- */

#define MB1_INFO 0x1000ull

static void mb1_info(uint32_t flags)
{
    memset(mem + MB1_INFO, 0, MB1_SIZE);
    w32(MB1_INFO + MB1_OFF_FLAGS, flags);
}

/* Append one multiboot1 mmap entry with the given @c size field at @p pa;
 * returns the bytes it occupies (size + 4). */
static uint64_t mb1_mmap_entry(uint64_t pa, uint32_t size, uint64_t base, uint64_t len,
                               uint32_t type)
{
    w32(pa, size);
    w64(pa + 4, base);
    w64(pa + 12, len);
    w32(pa + 20, type);
    return 4ull + size;
}

START_TEST(test_mb1_valid)
{
    mb1_info(MB1_FLAG_MEM | MB1_FLAG_CMDLINE | MB1_FLAG_MODS | MB1_FLAG_MMAP | MB1_FLAG_LOADER);
    w32(MB1_INFO + MB1_OFF_MEMLO, 639);
    w32(MB1_INFO + MB1_OFF_MEMHI, 130048);
    wstr(0x2000, "console=serial run=sie");
    w32(MB1_INFO + MB1_OFF_CMDLINE, 0x2000);
    wstr(0x2100, "GRUB 2.06");
    w32(MB1_INFO + MB1_OFF_LOADER, 0x2100);

    wstr(0x2200, "guest1 arg");
    w32(0x3000 + 0, 0x200000);
    w32(0x3000 + 4, 0x201000);
    w32(0x3000 + 8, 0x2200);
    w32(0x3010 + 0, 0x300000);
    w32(0x3010 + 4, 0x300000);                  /* empty module: allowed */
    w32(0x3010 + 8, 0);                         /* no string */
    w32(MB1_INFO + MB1_OFF_MODSCNT, 2);
    w32(MB1_INFO + MB1_OFF_MODSADDR, 0x3000);

    uint64_t o = 0x4000;
    o += mb1_mmap_entry(o, 20, 0, 0x9fc00, MEM_USABLE);
    o += mb1_mmap_entry(o, 20, 0x9fc00, 0x400, MEM_RESERVED);
    o += mb1_mmap_entry(o, 20, 0x100000, 0x7ee0000, MEM_USABLE);
    o += mb1_mmap_entry(o, 28, 0x100000000ull, 0x40000000, MEM_ACPI); /* grown entry */
    o += mb1_mmap_entry(o, 20, 0xfffc0000, 0x40000, 7);               /* unknown type kept */
    w32(MB1_INFO + MB1_OFF_MMAPLEN, (uint32_t)(o - 0x4000));
    w32(MB1_INFO + MB1_OFF_MMAPADDR, 0x4000);

    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.protocol, 1);
    ck_assert_int_eq(bi.dropped, 0);
    ck_assert_str_eq(bi.cmdline, "console=serial run=sie");
    ck_assert_str_eq(bi.loader, "GRUB 2.06");
    ck_assert_uint_eq(bi.info_start, MB1_INFO);
    ck_assert_uint_eq(bi.info_end, MB1_INFO + MB1_SIZE);

    ck_assert_int_eq(bi.module_count, 2);
    ck_assert_uint_eq(bi.module[0].start, 0x200000);
    ck_assert_uint_eq(bi.module[0].end, 0x201000);
    ck_assert_str_eq(bi.module[0].cmdline, "guest1 arg");
    ck_assert_uint_eq(bi.module[1].start, 0x300000);
    ck_assert_uint_eq(bi.module[1].end, 0x300000);
    ck_assert_str_eq(bi.module[1].cmdline, "");

    /* The map wins over mem_lower/mem_upper. */
    ck_assert_int_eq(bi.region_count, 5);
    check_region(0, 0, 0x9fc00, MEM_USABLE);
    check_region(1, 0x9fc00, 0x400, MEM_RESERVED);
    check_region(2, 0x100000, 0x7ee0000, MEM_USABLE);
    check_region(3, 0x100000000ull, 0x40000000, MEM_ACPI);
    check_region(4, 0xfffc0000, 0x40000, 7);

    /* Everything was copied: the loader's memory may be reused. */
    memset(mem + 0x2000, 'X', 0x300);
    ck_assert_str_eq(bi.cmdline, "console=serial run=sie");
    ck_assert_str_eq(bi.module[0].cmdline, "guest1 arg");
}
END_TEST

/* GRUB's loader strings come re-escaped (a backslash before '\\', '\'' and
 * '"'); the parser undoes that for GRUB only, in the command line and in
 * module strings, and leaves a lone trailing backslash alone. */
static void grub_strings(const char *loader, const char *cmdline, const char *modstr)
{
    mb1_info(MB1_FLAG_CMDLINE | MB1_FLAG_MODS | MB1_FLAG_LOADER);
    wstr(0x2000, cmdline);
    w32(MB1_INFO + MB1_OFF_CMDLINE, 0x2000);
    wstr(0x2100, loader);
    w32(MB1_INFO + MB1_OFF_LOADER, 0x2100);
    wstr(0x2200, modstr);
    w32(0x3000 + 0, 0x200000);
    w32(0x3000 + 4, 0x201000);
    w32(0x3000 + 8, 0x2200);
    w32(MB1_INFO + MB1_OFF_MODSCNT, 1);
    w32(MB1_INFO + MB1_OFF_MODSADDR, 0x3000);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
}

START_TEST(test_grub_unescape)
{
    static const char escaped[] = "t=a\\\\x20b\\n q=\\\"x\\\" s=\\' $((6*7)) d=\\";
    grub_strings("GRUB 2.06-13+deb12u2", escaped, "console=ttyS0 x=\\\\e");
    ck_assert_str_eq(bi.cmdline, "t=a\\x20b\\n q=\"x\" s=' $((6*7)) d=\\");
    ck_assert_str_eq(bi.module[0].cmdline, "console=ttyS0 x=\\e");
    /* Any other loader (QEMU's -kernel says "qemu"): exactly as given. */
    grub_strings("qemu", escaped, "x=\\\\e");
    ck_assert_str_eq(bi.cmdline, escaped);
    ck_assert_str_eq(bi.module[0].cmdline, "x=\\\\e");
}
END_TEST

/* Without the flags, the corresponding fields are not looked at at all. */
START_TEST(test_mb1_flags_respected)
{
    mb1_info(0);
    w32(MB1_INFO + MB1_OFF_CMDLINE, 0xffffffff);
    w32(MB1_INFO + MB1_OFF_LOADER, 0xffffffff);
    w32(MB1_INFO + MB1_OFF_MODSCNT, 0xffffffff);
    w32(MB1_INFO + MB1_OFF_MODSADDR, 0xffffffff);
    w32(MB1_INFO + MB1_OFF_MMAPLEN, 0xffffffff);
    w32(MB1_INFO + MB1_OFF_MMAPADDR, 0xffffffff);
    w32(MB1_INFO + MB1_OFF_MEMLO, 639);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.dropped, 0);
    ck_assert_int_eq(bi.region_count, 0);
    ck_assert_int_eq(bi.module_count, 0);
    ck_assert_str_eq(bi.cmdline, "");
    ck_assert_str_eq(bi.loader, "");
}
END_TEST

START_TEST(test_mb1_mem_fallback)
{
    mb1_info(MB1_FLAG_MEM);
    w32(MB1_INFO + MB1_OFF_MEMLO, 639);
    w32(MB1_INFO + MB1_OFF_MEMHI, 0xffffffff); /* ~4 TiB: the shift must be 64-bit */
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, 2);
    check_region(0, 0, 639 * 1024, MEM_USABLE);
    check_region(1, 0x100000, 0xffffffffull << 10, MEM_USABLE);

    /* mem_upper 0: no empty region. */
    setup();
    mb1_info(MB1_FLAG_MEM);
    w32(MB1_INFO + MB1_OFF_MEMLO, 640);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, 1);
    check_region(0, 0, 640 * 1024, MEM_USABLE);
    teardown();
}
END_TEST

START_TEST(test_bad_magic)
{
    mb1_info(MB1_FLAG_MEM);
    w32(MB1_INFO + MB1_OFF_MEMLO, 639);
    static const uint32_t bad[] = { 0, MB1_BOOT_MAGIC + 1, MB1_HEADER_MAGIC, MB2_HEADER_MAGIC,
                                    MB2_BOOT_MAGIC ^ 0x80000000u, 0xffffffff };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&bi, 0xa5, sizeof bi);
        map_calls = 0;
        ck_assert_int_eq(parse(bad[i], MB1_INFO), BOOTINFO_BAD_MAGIC);
        ck_assert_int_eq(bi.protocol, 0);
        ck_assert_int_eq(bi.region_count, 0);
        ck_assert_int_eq(bi.module_count, 0);
        ck_assert_int_eq(bi.dropped, 0);
        ck_assert_str_eq(bi.cmdline, "");
        ck_assert_str_eq(bi.loader, "");
        ck_assert_uint_eq(map_calls, 0);        /* nothing read on a bad magic */
    }
}
END_TEST

START_TEST(test_info_outside_memory)
{
    static const uint64_t where[] = { MEMSZ, MEMSZ - MB1_SIZE + 1, MEMSZ - 4, 0xffffffffull,
                                      UINT64_MAX, UINT64_MAX - MB1_SIZE + 2 };
    for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
        memset(&bi, 0xa5, sizeof bi);
        ck_assert_int_eq(parse(MB1_BOOT_MAGIC, where[i]), BOOTINFO_UNREADABLE);
        ck_assert_int_eq(bi.protocol, 1);
        ck_assert_int_eq(bi.region_count, 0);
        ck_assert_int_eq(bi.module_count, 0);
    }
    /* Exactly at the end of memory is still readable. */
    memset(mem + MEMSZ - MB1_SIZE, 0, MB1_SIZE);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MEMSZ - MB1_SIZE), BOOTINFO_OK);

    static const uint64_t where2[] = { MEMSZ, MEMSZ + 8, 0xfffffff8ull, UINT64_MAX - 7 };
    for (size_t i = 0; i < sizeof where2 / sizeof where2[0]; i++)
        ck_assert_int_eq(parse(MB2_BOOT_MAGIC, where2[i]), BOOTINFO_UNREADABLE);
}
END_TEST

/* Module table: too many, inverted, a hostile count. */
START_TEST(test_mb1_modules_hostile)
{
    /* 20 modules, #3 with end < start: it is dropped, the first 16 good
     * ones are kept and the other 3 dropped. */
    mb1_info(MB1_FLAG_MODS);
    for (uint32_t i = 0; i < 20; i++) {
        uint64_t e = 0x3000 + 16ull * i;
        w32(e, 0x100000 * (i + 1));
        w32(e + 4, i == 3 ? 0x100000 * (i + 1) - 1 : 0x100000 * (i + 1) + 0x1000);
        w32(e + 8, 0);
    }
    w32(MB1_INFO + MB1_OFF_MODSCNT, 20);
    w32(MB1_INFO + MB1_OFF_MODSADDR, 0x3000);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.module_count, BOOTINFO_MAX_MODULES);
    ck_assert_int_eq(bi.dropped, 1 + (19 - BOOTINFO_MAX_MODULES));
    for (int i = 0; i < bi.module_count; i++)
        ck_assert_uint_ge(bi.module[i].end, bi.module[i].start);
    ck_assert_uint_eq(bi.module[3].start, 0x500000);  /* #3 skipped */

    /* A huge count over zeroed memory: bounded work, the excess dropped. */
    setup();
    mb1_info(MB1_FLAG_MODS);
    w32(MB1_INFO + MB1_OFF_MODSCNT, 0xffffffff);
    w32(MB1_INFO + MB1_OFF_MODSADDR, 0x10000);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.module_count, BOOTINFO_MAX_MODULES);
    ck_assert_int_gt(bi.dropped, 1);
    ck_assert_uint_lt(map_calls, 10000);
    teardown();

    /* A table running off the end of memory: what fits is kept. */
    setup();
    mb1_info(MB1_FLAG_MODS);
    w32(MB1_INFO + MB1_OFF_MODSCNT, 4);
    w32(MB1_INFO + MB1_OFF_MODSADDR, (uint32_t)(MEMSZ - 16 - 8));
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.module_count, 1);
    ck_assert_int_eq(bi.dropped, 1);
    teardown();

    /* A table outside memory entirely. */
    setup();
    mb1_info(MB1_FLAG_MODS);
    w32(MB1_INFO + MB1_OFF_MODSCNT, 2);
    w32(MB1_INFO + MB1_OFF_MODSADDR, 0xfffffff0);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.module_count, 0);
    ck_assert_int_eq(bi.dropped, 1);
    teardown();

    /* A module string pointing outside memory: module kept, string "". */
    setup();
    mb1_info(MB1_FLAG_MODS);
    w32(0x3000, 0x1000);
    w32(0x3004, 0x2000);
    w32(0x3008, 0xfffff000);
    w32(MB1_INFO + MB1_OFF_MODSCNT, 1);
    w32(MB1_INFO + MB1_OFF_MODSADDR, 0x3000);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.module_count, 1);
    ck_assert_str_eq(bi.module[0].cmdline, "");
    ck_assert_int_eq(bi.dropped, 1);
    teardown();
}
END_TEST

START_TEST(test_mb1_mmap_hostile)
{
    /* Entry size 0: would loop forever on a naive walk; dropped, stops. */
    mb1_info(MB1_FLAG_MMAP | MB1_FLAG_MEM);
    w32(MB1_INFO + MB1_OFF_MEMLO, 639);
    uint64_t o = 0x4000;
    o += mb1_mmap_entry(o, 20, 0x100000, 0x100000, MEM_USABLE);
    mb1_mmap_entry(o, 0, 0x200000, 0x100000, MEM_USABLE);
    w32(MB1_INFO + MB1_OFF_MMAPLEN, 24 * 4);
    w32(MB1_INFO + MB1_OFF_MMAPADDR, 0x4000);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, 1);        /* no fallback: a map was given */
    check_region(0, 0x100000, 0x100000, MEM_USABLE);
    ck_assert_int_eq(bi.dropped, 1);
    teardown();

    /* Entry size 19: too small to hold base, length and type. */
    setup();
    mb1_info(MB1_FLAG_MMAP);
    mb1_mmap_entry(0x4000, 19, 0x100000, 0x100000, MEM_USABLE);
    w32(MB1_INFO + MB1_OFF_MMAPLEN, 24);
    w32(MB1_INFO + MB1_OFF_MMAPADDR, 0x4000);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, 0);
    ck_assert_int_eq(bi.dropped, 1);
    teardown();

    /* Second entry runs past mmap_length (a huge size and a slightly too
     * big one), and a tail shorter than a size field is ignored. */
    static const uint32_t bad_size[] = { 21, 0xffffffff, 0xfffffffc };
    for (size_t i = 0; i < sizeof bad_size / sizeof bad_size[0]; i++) {
        setup();
        mb1_info(MB1_FLAG_MMAP);
        o = 0x4000;
        o += mb1_mmap_entry(o, 20, 0x100000, 0x100000, MEM_USABLE);
        mb1_mmap_entry(o, bad_size[i], 0x200000, 0x100000, MEM_USABLE);
        w32(MB1_INFO + MB1_OFF_MMAPLEN, 48);
        w32(MB1_INFO + MB1_OFF_MMAPADDR, 0x4000);
        ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
        ck_assert_int_eq(bi.region_count, 1);
        ck_assert_int_eq(bi.dropped, 1);
        teardown();
    }
    setup();
    mb1_info(MB1_FLAG_MMAP);
    mb1_mmap_entry(0x4000, 20, 0x100000, 0x100000, MEM_USABLE);
    w32(MB1_INFO + MB1_OFF_MMAPLEN, 24 + 3);
    w32(MB1_INFO + MB1_OFF_MMAPADDR, 0x4000);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, 1);
    ck_assert_int_eq(bi.dropped, 0);
    teardown();

    /* mmap_addr outside memory, and an entry crossing the end of memory. */
    static const uint32_t bad_addr[] = { 0xfffffff0, (uint32_t)MEMSZ,
                                         (uint32_t)(MEMSZ - 10), (uint32_t)(MEMSZ - 2) };
    for (size_t i = 0; i < sizeof bad_addr / sizeof bad_addr[0]; i++) {
        setup();
        mb1_info(MB1_FLAG_MMAP);
        if (bad_addr[i] + 4 <= MEMSZ)
            w32(bad_addr[i], 20);               /* size readable, entry not */
        w32(MB1_INFO + MB1_OFF_MMAPLEN, 24);
        w32(MB1_INFO + MB1_OFF_MMAPADDR, bad_addr[i]);
        ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
        ck_assert_int_eq(bi.region_count, 0);
        ck_assert_int_eq(bi.dropped, 1);
        teardown();
    }

    /* An entry ending exactly at the end of memory is fine. */
    setup();
    mb1_info(MB1_FLAG_MMAP);
    mb1_mmap_entry(MEMSZ - 24, 20, 0x100000, 0x100000, MEM_USABLE);
    w32(MB1_INFO + MB1_OFF_MMAPLEN, 24);
    w32(MB1_INFO + MB1_OFF_MMAPADDR, (uint32_t)(MEMSZ - 24));
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, 1);
    ck_assert_int_eq(bi.dropped, 0);
    teardown();

    /* A huge mmap_length over a long valid map: bounded, excess dropped. */
    setup();
    mb1_info(MB1_FLAG_MMAP);
    o = 0x10000;
    for (int i = 0; i < 1000; i++)
        o += mb1_mmap_entry(o, 20, 0x100000ull * (uint64_t)i, 0x1000, MEM_USABLE);
    w32(MB1_INFO + MB1_OFF_MMAPLEN, (uint32_t)(o - 0x10000));
    w32(MB1_INFO + MB1_OFF_MMAPADDR, 0x10000);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, BOOTINFO_MAX_REGIONS);
    ck_assert_int_eq(bi.dropped, 1000 - BOOTINFO_MAX_REGIONS);
    check_region(63, 0x100000ull * 63, 0x1000, MEM_USABLE);
    teardown();

    setup();
    mb1_info(MB1_FLAG_MMAP);
    w32(MB1_INFO + MB1_OFF_MMAPLEN, 0xffffffff);
    w32(MB1_INFO + MB1_OFF_MMAPADDR, 0x10000);
    for (uint64_t a = 0x10000; a + 24 <= MEMSZ; a += 24)
        mb1_mmap_entry(a, 20, a, 1, MEM_USABLE);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, BOOTINFO_MAX_REGIONS);
    ck_assert_int_gt(bi.dropped, 0);
    ck_assert_uint_lt(map_calls, 100000);
}
END_TEST

START_TEST(test_mb1_region_wrap)
{
    mb1_info(MB1_FLAG_MMAP);
    uint64_t o = 0x4000;
    o += mb1_mmap_entry(o, 20, 0xfffffffffffff000ull, 0x2000, MEM_RESERVED);
    o += mb1_mmap_entry(o, 20, 0x1000, UINT64_MAX, MEM_USABLE);
    o += mb1_mmap_entry(o, 20, UINT64_MAX, 1, MEM_RESERVED);   /* clips to nothing */
    o += mb1_mmap_entry(o, 20, UINT64_MAX, UINT64_MAX, MEM_RESERVED);
    o += mb1_mmap_entry(o, 20, 0x5000, 0, MEM_USABLE);         /* empty: skipped */
    o += mb1_mmap_entry(o, 20, UINT64_MAX - 1, 1, MEM_USABLE); /* ends at UINT64_MAX */
    w32(MB1_INFO + MB1_OFF_MMAPLEN, (uint32_t)(o - 0x4000));
    w32(MB1_INFO + MB1_OFF_MMAPADDR, 0x4000);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, 3);
    check_region(0, 0xfffffffffffff000ull, 0xfff, MEM_RESERVED);
    check_region(1, 0x1000, UINT64_MAX - 0x1000, MEM_USABLE);
    check_region(2, UINT64_MAX - 1, 1, MEM_USABLE);
    check_no_wrap();
    ck_assert_int_eq(bi.dropped, 0);
}
END_TEST

/* A string without a NUL before the end of readable memory: the parser
 * must stop at `avail` (the guard page would fault) and keep "". */
START_TEST(test_string_at_end_of_memory)
{
    mb1_info(MB1_FLAG_CMDLINE | MB1_FLAG_LOADER | MB1_FLAG_MODS);
    memset(mem + MEMSZ - 16, 'A', 16);
    w32(MB1_INFO + MB1_OFF_CMDLINE, (uint32_t)(MEMSZ - 16));
    w32(MB1_INFO + MB1_OFF_LOADER, (uint32_t)(MEMSZ - 1));
    w32(0x3000, 0x1000);
    w32(0x3004, 0x2000);
    w32(0x3008, (uint32_t)(MEMSZ - 5));
    w32(MB1_INFO + MB1_OFF_MODSCNT, 1);
    w32(MB1_INFO + MB1_OFF_MODSADDR, 0x3000);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_str_eq(bi.cmdline, "");
    ck_assert_str_eq(bi.loader, "");
    ck_assert_int_eq(bi.module_count, 1);
    ck_assert_str_eq(bi.module[0].cmdline, "");
    ck_assert_int_eq(bi.dropped, 3);
    teardown();

    /* With the NUL as the very last byte of memory it is fine. */
    setup();
    mb1_info(MB1_FLAG_CMDLINE);
    wstr(MEMSZ - 6, "quiet");
    w32(MB1_INFO + MB1_OFF_CMDLINE, (uint32_t)(MEMSZ - 6));
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_str_eq(bi.cmdline, "quiet");
    ck_assert_int_eq(bi.dropped, 0);
    teardown();

    /* Pointing outside memory. */
    setup();
    mb1_info(MB1_FLAG_CMDLINE | MB1_FLAG_LOADER);
    w32(MB1_INFO + MB1_OFF_CMDLINE, (uint32_t)MEMSZ);
    w32(MB1_INFO + MB1_OFF_LOADER, 0xffffffff);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_str_eq(bi.cmdline, "");
    ck_assert_str_eq(bi.loader, "");
    ck_assert_int_eq(bi.dropped, 2);
}
END_TEST

/* Long strings are cut to the destination (and stay terminated); a
 * string with no NUL within the parser's reach is dropped. */
START_TEST(test_long_strings)
{
    mb1_info(MB1_FLAG_CMDLINE | MB1_FLAG_LOADER);
    memset(mem + 0x10000, 'c', 3000);
    mem[0x10000 + 3000] = '\0';
    memset(mem + 0x20000, 'l', 300);
    mem[0x20000 + 300] = '\0';
    w32(MB1_INFO + MB1_OFF_CMDLINE, 0x10000);
    w32(MB1_INFO + MB1_OFF_LOADER, 0x20000);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_uint_eq(strlen(bi.cmdline), sizeof bi.cmdline - 1);
    ck_assert_uint_eq(strlen(bi.loader), sizeof bi.loader - 1);
    ck_assert_int_eq(bi.cmdline[0], 'c');
    ck_assert_int_eq(bi.loader[0], 'l');
    ck_assert_int_eq(bi.dropped, 0);
    teardown();

    /* 64 KiB without a NUL: beyond any sane string, dropped. */
    setup();
    mb1_info(MB1_FLAG_CMDLINE);
    memset(mem + 0x10000, 'c', 0x10000);
    w32(MB1_INFO + MB1_OFF_CMDLINE, 0x10000);
    ck_assert_int_eq(parse(MB1_BOOT_MAGIC, MB1_INFO), BOOTINFO_OK);
    ck_assert_str_eq(bi.cmdline, "");
    ck_assert_int_eq(bi.dropped, 1);
}
END_TEST

/* ---- multiboot2 builders ---------------------------------------------- */

#define MB2_INFO 0x8000ull

static uint64_t mb2_cur;    /* where the next tag goes */

static void mb2_begin(uint64_t pa)
{
    mb2_cur = pa + 8;
}

/* Start a tag of @p type at the current position; returns its address. */
static uint64_t tag_open(uint32_t type)
{
    w32(mb2_cur, type);
    return mb2_cur;
}

/* Close the tag at @p tag with @p size bytes and advance, 8-aligned. */
static void tag_close(uint64_t tag, uint32_t size)
{
    w32(tag + 4, size);
    mb2_cur = tag + ((size + 7ull) & ~7ull);
}

static void tag_string(uint32_t type, const char *s)
{
    uint64_t t = tag_open(type);
    tag_close(t, 8 + (uint32_t)wstr(t + 8, s));
}

static void tag_module(uint32_t start, uint32_t end, const char *s)
{
    uint64_t t = tag_open(TAG_MODULE);
    w32(t + 8, start);
    w32(t + 12, end);
    tag_close(t, 16 + (uint32_t)wstr(t + 16, s));
}

static void tag_meminfo(uint32_t lower, uint32_t upper)
{
    uint64_t t = tag_open(TAG_MEMINFO);
    w32(t + 8, lower);
    w32(t + 12, upper);
    tag_close(t, 16);
}

struct ent {
    uint64_t base, len;
    uint32_t type;
};

static void tag_mmap(uint32_t esize, const struct ent *e, int n)
{
    uint64_t t = tag_open(TAG_MMAP);
    w32(t + 8, esize);
    w32(t + 12, 0);
    for (int i = 0; i < n; i++) {
        uint64_t p = t + 16 + (uint64_t)esize * (uint64_t)i;
        memset(mem + p, 0xee, esize);           /* "reserved" and grown fields */
        w64(p, e[i].base);
        w64(p + 8, e[i].len);
        w32(p + 16, e[i].type);
    }
    tag_close(t, 16 + esize * (uint32_t)n);
}

/* End tag and total_size; returns total_size. */
static uint32_t mb2_end(uint64_t pa)
{
    uint64_t t = tag_open(TAG_END);
    tag_close(t, 8);
    uint32_t total = (uint32_t)(mb2_cur - pa);
    w32(pa, total);
    w32(pa + 4, 0);
    return total;
}

START_TEST(test_mb2_valid)
{
    static const struct ent map[] = {
        { 0, 0x9fc00, MEM_USABLE },
        { 0x9fc00, 0x400, MEM_RESERVED },
        { 0x100000, 0x7ee0000, MEM_USABLE },
        { 0xfec00000, 0x1000, MEM_NVS },
        { 0x100000000ull, 0x80000000ull, MEM_USABLE },
    };
    mb2_begin(MB2_INFO);
    tag_string(TAG_CMDLINE, "console=serial run=\"a b\"");
    tag_string(TAG_LOADER, "GRUB 2.12");
    tag_module(0x200000, 0x280000, "guest.bin x=1");
    tag_module(0x300000, 0x300001, "");
    { uint64_t t = tag_open(21); w32(t + 8, 0xdeadbeef); tag_close(t, 13); } /* unknown: skipped */
    tag_meminfo(639, 130048);
    tag_mmap(24, map, 5);
    uint32_t total = mb2_end(MB2_INFO);
    /* Tags after the end tag are never looked at. */
    tag_string(TAG_LOADER, "after end");

    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.protocol, 2);
    ck_assert_int_eq(bi.dropped, 0);
    ck_assert_str_eq(bi.cmdline, "console=serial run=\"a b\"");
    ck_assert_str_eq(bi.loader, "GRUB 2.12");
    ck_assert_uint_eq(bi.info_start, MB2_INFO);
    ck_assert_uint_eq(bi.info_end, MB2_INFO + total);
    ck_assert_int_eq(bi.module_count, 2);
    ck_assert_uint_eq(bi.module[0].start, 0x200000);
    ck_assert_uint_eq(bi.module[0].end, 0x280000);
    ck_assert_str_eq(bi.module[0].cmdline, "guest.bin x=1");
    ck_assert_uint_eq(bi.module[1].start, 0x300000);
    ck_assert_uint_eq(bi.module[1].end, 0x300001);
    ck_assert_str_eq(bi.module[1].cmdline, "");
    /* The mmap wins over meminfo. */
    ck_assert_int_eq(bi.region_count, 5);
    for (int i = 0; i < 5; i++)
        check_region(i, map[i].base, map[i].len, map[i].type);
}
END_TEST

/* Entries bigger than 24 bytes (a newer entry format) are walked by
 * entry_size; a trailing partial entry is ignored. */
START_TEST(test_mb2_mmap_entry_size)
{
    static const struct ent map[] = {
        { 0x1000, 0x2000, MEM_USABLE },
        { 0x100000, 0x300000, MEM_ACPI },
        { 0x500000, 0x1000, MEM_BAD },
    };
    mb2_begin(MB2_INFO);
    uint64_t t = mb2_cur;
    tag_mmap(40, map, 3);
    tag_close(t, 16 + 40 * 2 + 30);             /* the third entry is cut */
    mb2_end(MB2_INFO);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, 2);
    check_region(0, 0x1000, 0x2000, MEM_USABLE);
    check_region(1, 0x100000, 0x300000, MEM_ACPI);
    ck_assert_int_eq(bi.dropped, 0);
}
END_TEST

START_TEST(test_mb2_meminfo_fallback)
{
    mb2_begin(MB2_INFO);
    tag_meminfo(639, 0x3ff000);
    mb2_end(MB2_INFO);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, 2);
    check_region(0, 0, 639 * 1024, MEM_USABLE);
    check_region(1, 0x100000, 0x3ff000ull * 1024, MEM_USABLE);
    teardown();

    /* A meminfo tag too short to hold both fields is not used. */
    setup();
    mb2_begin(MB2_INFO);
    uint64_t t = tag_open(TAG_MEMINFO);
    w32(t + 8, 639);
    tag_close(t, 12);
    mb2_end(MB2_INFO);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, 0);
    teardown();

    /* Neither: no regions at all, still OK. */
    setup();
    mb2_begin(MB2_INFO);
    tag_string(TAG_CMDLINE, "x");
    mb2_end(MB2_INFO);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, 0);
    ck_assert_str_eq(bi.cmdline, "x");
}
END_TEST

START_TEST(test_mb2_header_hostile)
{
    /* Minimal valid: header + end tag. */
    mb2_begin(MB2_INFO);
    ck_assert_uint_eq(mb2_end(MB2_INFO), 16);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, 0);
    ck_assert_uint_eq(bi.info_end, MB2_INFO + 16);

    /* total_size too small or absurd. */
    static const uint32_t bad_total[] = { 0, 1, 8, 15, 0x7fffffff, 0xffffffff };
    for (size_t i = 0; i < sizeof bad_total / sizeof bad_total[0]; i++) {
        w32(MB2_INFO, bad_total[i]);
        ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_MALFORMED);
        ck_assert_int_eq(bi.region_count, 0);
    }

    /* total_size plausible but running past the end of memory. */
    w32(MEMSZ - 0x800, 0x1000);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MEMSZ - 0x800), BOOTINFO_UNREADABLE);
    w32(MEMSZ - 8, 16);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MEMSZ - 8), BOOTINFO_UNREADABLE);
    /* ... and exactly reaching it is fine. */
    mb2_begin(MEMSZ - 16);
    mb2_end(MEMSZ - 16);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MEMSZ - 16), BOOTINFO_OK);

    /* Not 8-byte aligned, even with valid contents there. */
    for (uint64_t mis = 1; mis < 8; mis++) {
        mb2_begin(MB2_INFO + 0x100 + mis);
        mb2_end(MB2_INFO + 0x100 + mis);
        ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO + 0x100 + mis), BOOTINFO_MALFORMED);
        ck_assert_int_eq(bi.protocol, 2);
    }

    /* No end tag: the walk stops at total_size. */
    mb2_begin(MB2_INFO);
    tag_string(TAG_CMDLINE, "abc");
    w32(MB2_INFO, (uint32_t)(mb2_cur - MB2_INFO));
    w32(mb2_cur, TAG_LOADER);                   /* lies just past total_size */
    w32(mb2_cur + 4, 16);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
    ck_assert_str_eq(bi.cmdline, "abc");
    ck_assert_str_eq(bi.loader, "");
    ck_assert_int_eq(bi.dropped, 0);
}
END_TEST

START_TEST(test_mb2_tag_size_hostile)
{
    /* A tag with size < 8 (0 would loop forever): dropped, walk stops. */
    static const uint32_t small[] = { 0, 1, 4, 7 };
    for (size_t i = 0; i < sizeof small / sizeof small[0]; i++) {
        setup();
        mb2_begin(MB2_INFO);
        tag_string(TAG_CMDLINE, "first");
        uint64_t t = tag_open(TAG_CMDLINE);
        tag_close(t, 8);                        /* placeholder, size patched below */
        w32(t + 4, small[i]);
        tag_string(TAG_LOADER, "never seen");
        mb2_end(MB2_INFO);
        ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
        ck_assert_str_eq(bi.cmdline, "first");
        ck_assert_str_eq(bi.loader, "");
        ck_assert_int_eq(bi.dropped, 1);
        teardown();
    }

    /* A tag running past total_size. */
    static const uint32_t over[] = { 25, 26, 32, 0x1000, 0xffffffff };
    for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
        setup();
        mb2_begin(MB2_INFO);
        uint64_t t = tag_open(TAG_LOADER);
        tag_close(t, 8 + (uint32_t)wstr(t + 8, "grub"));
        /* 8 header + 16 loader + 8 end: 24 bytes left from the loader tag,
         * which now claims more. */
        ck_assert_uint_eq(mb2_end(MB2_INFO), 32);
        w32(t + 4, over[i]);
        ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
        ck_assert_str_eq(bi.loader, "");
        ck_assert_int_eq(bi.dropped, 1);
        teardown();
    }

    /* A string tag whose string has no NUL inside the tag: "" + dropped,
     * and the walk goes on with the next tag. */
    setup();
    mb2_begin(MB2_INFO);
    uint64_t t = tag_open(TAG_CMDLINE);
    memcpy(mem + t + 8, "abcdefgh", 8);        /* NUL-free up to the padding */
    tag_close(t, 8 + 5);
    tag_string(TAG_LOADER, "ok");
    mb2_end(MB2_INFO);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
    ck_assert_str_eq(bi.cmdline, "");
    ck_assert_str_eq(bi.loader, "ok");
    ck_assert_int_eq(bi.dropped, 1);
    teardown();

    /* A string tag with nothing after the header (size exactly 8). */
    setup();
    mb2_begin(MB2_INFO);
    tag_close(tag_open(TAG_CMDLINE), 8);
    mb2_end(MB2_INFO);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
    ck_assert_str_eq(bi.cmdline, "");
    ck_assert_int_eq(bi.dropped, 1);
    teardown();

    /* The whole structure at the end of memory, the last tag's string
     * without a NUL before the guard page. */
    setup();
    uint64_t info = MEMSZ - 32;
    mb2_begin(info);
    t = tag_open(TAG_CMDLINE);
    memset(mem + t + 8, 'z', 16);
    tag_close(t, 24);
    w32(info, 32);
    w32(info + 4, 0);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, info), BOOTINFO_OK);
    ck_assert_str_eq(bi.cmdline, "");
    ck_assert_int_eq(bi.dropped, 1);
}
END_TEST

START_TEST(test_mb2_mmap_hostile)
{
    static const struct ent one = { 0x100000, 0x1000, MEM_USABLE };

    /* entry_size < 24, including 0 (a naive walk would never advance):
     * the tag is dropped and meminfo is used instead. */
    static const uint32_t small[] = { 0, 1, 8, 16, 20, 23 };
    for (size_t i = 0; i < sizeof small / sizeof small[0]; i++) {
        setup();
        mb2_begin(MB2_INFO);
        uint64_t t = tag_open(TAG_MMAP);
        tag_mmap(24, &one, 1);
        w32(t + 8, small[i]);
        tag_meminfo(600, 0);
        mb2_end(MB2_INFO);
        ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
        ck_assert_int_eq(bi.dropped, 1);
        ck_assert_int_eq(bi.region_count, 1);
        check_region(0, 0, 600 * 1024, MEM_USABLE);
        teardown();
    }

    /* A huge entry_size: no entry fits, nothing read past the tag. */
    setup();
    mb2_begin(MB2_INFO);
    uint64_t t = tag_open(TAG_MMAP);
    tag_mmap(24, &one, 1);
    w32(t + 8, 0xffffffff);
    mb2_end(MB2_INFO);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, 0);
    teardown();

    /* A mmap tag too short for its own header. */
    setup();
    mb2_begin(MB2_INFO);
    t = tag_open(TAG_MMAP);
    w32(t + 8, 24);
    tag_close(t, 12);
    mb2_end(MB2_INFO);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, 0);
    ck_assert_int_eq(bi.dropped, 1);
    teardown();

    /* More entries than kept, plus wrapping and empty ones. */
    setup();
    static struct ent many[80];
    for (int i = 0; i < 80; i++)
        many[i] = (struct ent){ 0x1000ull * (uint64_t)(i + 1), 0x800, MEM_USABLE };
    many[0] = (struct ent){ 0xfffffffffffff000ull, 0x2000, MEM_RESERVED };
    many[1] = (struct ent){ 0x1234, 0, MEM_USABLE };
    many[2] = (struct ent){ UINT64_MAX, 0x10, MEM_RESERVED };
    mb2_begin(MB2_INFO);
    tag_mmap(24, many, 80);
    mb2_end(MB2_INFO);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.region_count, BOOTINFO_MAX_REGIONS);
    check_region(0, 0xfffffffffffff000ull, 0xfff, MEM_RESERVED);
    check_region(1, 0x1000ull * 4, 0x800, MEM_USABLE);
    check_no_wrap();
    /* 80 entries, 2 of them empty, 64 kept: the other 14 are dropped. */
    ck_assert_int_eq(bi.dropped, 80 - 2 - BOOTINFO_MAX_REGIONS);
}
END_TEST

START_TEST(test_mb2_modules_hostile)
{
    /* Too many, and one with end < start. */
    mb2_begin(MB2_INFO);
    for (uint32_t i = 0; i < 20; i++)
        tag_module(0x100000 * (i + 1), i == 0 ? 0x1000 : 0x100000 * (i + 1) + 0x10, "m");
    mb2_end(MB2_INFO);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.module_count, BOOTINFO_MAX_MODULES);
    ck_assert_uint_eq(bi.module[0].start, 0x200000);
    ck_assert_int_eq(bi.dropped, 1 + (19 - BOOTINFO_MAX_MODULES));
    teardown();

    /* A module tag too short for start, end and a NUL: dropped. */
    setup();
    mb2_begin(MB2_INFO);
    uint64_t t = tag_open(TAG_MODULE);
    w32(t + 8, 0x1000);
    w32(t + 12, 0x2000);
    tag_close(t, 16);
    mb2_end(MB2_INFO);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.module_count, 0);
    ck_assert_int_eq(bi.dropped, 1);
    teardown();

    /* A module string that runs to the end of its tag without a NUL. */
    setup();
    mb2_begin(MB2_INFO);
    t = tag_open(TAG_MODULE);
    w32(t + 8, 0x1000);
    w32(t + 12, 0x2000);
    memcpy(mem + t + 16, "nonulxyz", 8);
    tag_close(t, 16 + 3);
    tag_module(0x3000, 0x4000, "next");
    mb2_end(MB2_INFO);
    ck_assert_int_eq(parse(MB2_BOOT_MAGIC, MB2_INFO), BOOTINFO_OK);
    ck_assert_int_eq(bi.module_count, 2);
    ck_assert_str_eq(bi.module[0].cmdline, "");
    ck_assert_str_eq(bi.module[1].cmdline, "next");
    ck_assert_int_eq(bi.dropped, 1);
}
END_TEST

START_TEST(test_mem_type_name)
{
    ck_assert_str_eq(mem_type_name(MEM_USABLE), "usable");
    ck_assert_str_eq(mem_type_name(MEM_RESERVED), "reserved");
    ck_assert_str_eq(mem_type_name(MEM_ACPI), "ACPI reclaimable");
    ck_assert_str_eq(mem_type_name(MEM_NVS), "ACPI NVS");
    ck_assert_str_eq(mem_type_name(MEM_BAD), "bad");
    ck_assert_str_eq(mem_type_name(0), "unknown");
    ck_assert_str_eq(mem_type_name(6), "unknown");
    ck_assert_str_eq(mem_type_name(UINT32_MAX), "unknown");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("multiboot");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_mb1_valid);
    tcase_add_test(tc, test_mb1_flags_respected);
    tcase_add_test(tc, test_grub_unescape);
    tcase_add_test(tc, test_mb1_mem_fallback);
    tcase_add_test(tc, test_bad_magic);
    tcase_add_test(tc, test_info_outside_memory);
    tcase_add_test(tc, test_mb1_modules_hostile);
    tcase_add_test(tc, test_mb1_mmap_hostile);
    tcase_add_test(tc, test_mb1_region_wrap);
    tcase_add_test(tc, test_string_at_end_of_memory);
    tcase_add_test(tc, test_long_strings);
    tcase_add_test(tc, test_mb2_valid);
    tcase_add_test(tc, test_mb2_mmap_entry_size);
    tcase_add_test(tc, test_mb2_meminfo_fallback);
    tcase_add_test(tc, test_mb2_header_hostile);
    tcase_add_test(tc, test_mb2_tag_size_hostile);
    tcase_add_test(tc, test_mb2_mmap_hostile);
    tcase_add_test(tc, test_mb2_modules_hostile);
    tcase_add_test(tc, test_mem_type_name);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
