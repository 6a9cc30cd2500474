/**
 * @file test_gpm.c
 * @brief Unit tests of guest-physical memory (mem/gpm.c) and its nested
 *        tables (mem/nested_tables.c), hosted on host_pages.c.
 *
 * The tables are checked by walking them (gpm_translate) and by reading
 * raw entries the way the CPU would: the U bit on every NPT level, the
 * WB memory type in EPT leaves, NX only when the host allows it.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "check_main.h"
#include "host_pages.h"
#include "mem/gpm.h"
#include "spectrum/mem.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)

static struct gpm m;
static char why[160];
static int flushes;

static void count_flush(void *ctx)
{
    (void)ctx;
    flushes++;
}

/* A small PC-like map: low RAM, ROM, 8 MiB of RAM from 1 MiB, one MMIO page. */
static void pc_map(void)
{
    gpm_init(&m, 39);
    ck_assert(gpm_add(&m, 0, 0xa0000, GPM_RAM, "low", why, sizeof why));
    ck_assert(gpm_add(&m, 0xe0000, 0x20000, GPM_ROM, "bios", why, sizeof why));
    ck_assert(gpm_add(&m, 1 * MIB, 8 * MIB, GPM_RAM, "ram", why, sizeof why));
    ck_assert(gpm_add(&m, 0xfee00000, 0x1000, GPM_MMIO, "lapic", why, sizeof why));
}

static void setup(void)
{
    host_pages_fail_after(-1);
    host_pages_no_runs(false);
    flushes = 0;
}

static void teardown(void)
{
    gpm_destroy(&m);
    ck_assert_uint_eq(host_pages_outstanding(), 0);
}

START_TEST(regions_refused)
{
    pc_map();
    ck_assert(!gpm_add(&m, 0x90000, 0x20000, GPM_RAM, "x", why, sizeof why));   /* overlaps low */
    ck_assert(strstr(why, "overlaps") != NULL);
    ck_assert(!gpm_add(&m, 0x123, 0x1000, GPM_RAM, "x", why, sizeof why));      /* unaligned */
    ck_assert(!gpm_add(&m, 0x200000000000ull, 0x1000, GPM_RAM, "x", why, sizeof why)); /* past 39 bits */
    ck_assert(strstr(why, "39-bit") != NULL);
    ck_assert(!gpm_add(&m, ~0xfffull, 0x2000, GPM_MMIO, "x", why, sizeof why)); /* wraps */
    ck_assert(!gpm_add(&m, 0x100000000ull, 0, GPM_RAM, "x", why, sizeof why));  /* empty */
    ck_assert(!gpm_add(&m, 0x100000000ull, 0x1000, (enum gpm_kind)7, "x", why, sizeof why));
    ck_assert_int_eq(m.count, 4);
    ck_assert_ptr_eq(gpm_find(&m, 0xa0000), NULL);          /* the hole */
    ck_assert_str_eq(gpm_find(&m, 0xfee00fff)->name, "lapic");
}
END_TEST

START_TEST(too_many_regions)
{
    gpm_init(&m, 39);
    for (int i = 0; i < GPM_MAX_REGIONS; i++)
        ck_assert(gpm_add(&m, 0x100000000ull + i * 0x2000ull, 0x1000, GPM_MMIO, "d", why, sizeof why));
    ck_assert(!gpm_add(&m, 0x200000000ull, 0x1000, GPM_MMIO, "d", why, sizeof why));
}
END_TEST

START_TEST(out_of_host_memory)
{
    gpm_init(&m, 39);
    host_pages_fail_after(3);
    ck_assert(!gpm_add(&m, 0, 64 * 0x1000, GPM_RAM, "ram", why, sizeof why));
    ck_assert(strstr(why, "no") != NULL);
    ck_assert_int_eq(m.count, 0);
    host_pages_fail_after(-1);
}
END_TEST

START_TEST(copies_checked)
{
    pc_map();
    uint8_t buf[8192], back[8192];
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 7);
    ck_assert(gpm_write(&m, 1 * MIB + 0xff0, buf, sizeof buf));         /* crosses pages */
    ck_assert(gpm_read(&m, 1 * MIB + 0xff0, back, sizeof back));
    ck_assert_mem_eq(buf, back, sizeof buf);
    ck_assert(!gpm_write(&m, 0x9f000, buf, 0x2000));                     /* runs into the hole */
    ck_assert(!gpm_write(&m, 0xe0000, buf, 16));                         /* ROM: guests cannot */
    ck_assert(gpm_load(&m, 0xe0000, buf, 16));                           /* ... loaders can */
    ck_assert(!gpm_read(&m, 0xfee00000, back, 4));                       /* MMIO is no memory */
    ck_assert(!gpm_read(&m, ~0ull - 3, back, 8));                        /* wraps */
    ck_assert(!gpm_read(&m, 9 * MIB - 4, back, 8));                      /* RAM edge */
    ck_assert(gpm_read(&m, 9 * MIB - 8, back, 8));
    ck_assert_ptr_eq(gpm_ptr(&m, 1 * MIB + 0xffc, 8), NULL);             /* gpm_ptr stays in a page */
    ck_assert_ptr_ne(gpm_ptr(&m, 1 * MIB + 0xff8, 8), NULL);
    /* Fresh RAM is zero: no VM sees an earlier one's data. */
    ck_assert(gpm_read(&m, 4 * MIB, back, 4096));
    for (unsigned i = 0; i < 4096; i++)
        ck_assert_uint_eq(back[i], 0);
}
END_TEST

static void check_all_translate(void)
{
    for (int i = 0; i < m.count; i++) {
        const struct gpm_region *r = &m.region[i];
        for (uint64_t gpa = r->base; gpa < r->base + r->size; gpa += 0x1000) {
            uint64_t hpa;
            unsigned perm;
            bool mapped = gpm_translate(&m, gpa + 0x123, &hpa, &perm);
            if (r->kind == GPM_MMIO) {
                ck_assert_msg(!mapped, "MMIO %#llx mapped", (unsigned long long)gpa);
                continue;
            }
            ck_assert_msg(mapped, "%#llx not mapped", (unsigned long long)gpa);
            ck_assert_uint_eq(hpa, gpm_backing(&m, gpa) + 0x123);
            ck_assert_uint_eq(perm, r->perm);
        }
    }
    uint64_t hpa;
    unsigned perm;
    ck_assert(!gpm_translate(&m, 0xa0000, &hpa, &perm));         /* hole */
    ck_assert(!gpm_translate(&m, 9 * MIB, &hpa, &perm));         /* above RAM */
    ck_assert(!gpm_translate(&m, 1ull << 45, &hpa, &perm));      /* above the width */
}

START_TEST(tables_both_formats)
{
    for (int f = 0; f < 2; f++) {
        pc_map();
        ck_assert(gpm_build_tables(&m, f ? GPM_FORMAT_NPT : GPM_FORMAT_EPT, GPM_LARGE_2M));
        check_all_translate();
        ck_assert_uint_gt(m.stats.leaf_2m, 0);    /* 8 MiB at 1 MiB: [2M,8M) in 2 MiB leaves */
        ck_assert_uint_eq(m.stats.leaf_1g, 0);
        gpm_destroy(&m);
        ck_assert_uint_eq(host_pages_outstanding(), 0);
    }
}
END_TEST

START_TEST(small_pages_only)
{
    host_pages_no_runs(true);       /* scattered 4 KiB backing */
    pc_map();
    ck_assert(gpm_build_tables(&m, GPM_FORMAT_NPT, GPM_LARGE_2M | GPM_LARGE_1G));
    ck_assert_uint_eq(m.stats.leaf_2m, 0);    /* no contiguous runs: no large leaves */
    ck_assert_uint_eq(m.stats.leaf_4k, 160 + 32 + 2048);
    check_all_translate();
}
END_TEST

START_TEST(gib_leaf)
{
    gpm_init(&m, 39);
    /* 1 GiB of RAM at 1 GiB: one 1 GiB leaf if the backing is one aligned run. */
    ck_assert(gpm_add(&m, GIB, GIB, GPM_RAM, "big", why, sizeof why));
    ck_assert(gpm_build_tables(&m, GPM_FORMAT_EPT, GPM_LARGE_2M | GPM_LARGE_1G));
    /* The hosted allocator gives 2 MiB runs, rarely 1 GiB-contiguous ones:
     * either way everything must translate, with no 4 KiB leaves. */
    ck_assert_uint_eq(m.stats.leaf_4k, 0);
    ck_assert_uint_eq(m.stats.leaf_2m + 512 * m.stats.leaf_1g, 512);
    check_all_translate();
}
END_TEST

static uint64_t raw_entry(uint64_t gpa, int want_level, int *at_level)
{
    const uint64_t *t = (const uint64_t *)(uintptr_t)m.root;
    for (int level = 3;; level--) {
        uint64_t e = t[(gpa >> (12 + 9 * level)) & 511];
        if (level == want_level || (level <= 2 && (e & 0x80)) || level == 0) {
            *at_level = level;
            return e;
        }
        if (m.format == GPM_FORMAT_NPT)
            ck_assert_msg(e & 4, "NPT level %d entry without U: nested walks are user accesses", level);
        t = (const uint64_t *)(uintptr_t)(e & 0x000ffffffffff000ull);
    }
}

START_TEST(entry_bits)
{
    pc_map();
    ck_assert(gpm_build_tables(&m, GPM_FORMAT_EPT, GPM_LARGE_2M));
    int level;
    uint64_t e = raw_entry(4 * MIB, 0, &level);
    ck_assert_int_eq(level, 1);
    ck_assert_uint_eq(e & 7, 7);                  /* RWX */
    ck_assert_uint_eq((e >> 3) & 7, 6);           /* WB */
    e = raw_entry(0xe0000, 0, &level);
    ck_assert_int_eq(level, 0);
    ck_assert_uint_eq(e & 7, 5);                  /* ROM: R-X */
    gpm_destroy(&m);

    pc_map();
    m.nx_ok = false;
    ck_assert(gpm_build_tables(&m, GPM_FORMAT_NPT, GPM_LARGE_2M));
    e = raw_entry(0xe0000, 0, &level);
    ck_assert_uint_eq(e & 7, 5);                  /* P, U, read-only */
    ck_assert(gpm_protect(&m, 0x1000, 0x1000, GPM_R | GPM_W));
    e = raw_entry(0x1000, 0, &level);
    ck_assert_uint_eq(e >> 63, 0);                /* no NX without host EFER.NXE: it would be reserved */
    gpm_destroy(&m);

    pc_map();
    m.nx_ok = true;
    ck_assert(gpm_build_tables(&m, GPM_FORMAT_NPT, GPM_LARGE_2M));
    ck_assert(gpm_protect(&m, 0x1000, 0x1000, GPM_R | GPM_W));
    e = raw_entry(0x1000, 0, &level);
    ck_assert_uint_eq(e >> 63, 1);
}
END_TEST

START_TEST(change_mappings)
{
    pc_map();
    ck_assert(gpm_build_tables(&m, GPM_FORMAT_EPT, GPM_LARGE_2M));
    m.flush = count_flush;
    uint64_t before = m.stats.leaf_2m, hpa;
    unsigned perm;
    /* Write-protect one page inside a 2 MiB leaf: the leaf splits, its
     * neighbours keep their rights and backing. */
    ck_assert(gpm_protect(&m, 4 * MIB + 0x5000, 0x1000, GPM_R | GPM_X));
    ck_assert_int_eq(flushes, 1);
    ck_assert(gpm_translate(&m, 4 * MIB + 0x5000, &hpa, &perm));
    ck_assert_uint_eq(perm, GPM_R | GPM_X);
    ck_assert(gpm_translate(&m, 4 * MIB + 0x6000, &hpa, &perm));
    ck_assert_uint_eq(perm, GPM_R | GPM_W | GPM_X);
    ck_assert_uint_eq(hpa, gpm_backing(&m, 4 * MIB + 0x6000));
    ck_assert_uint_eq(m.stats.leaf_2m, before);   /* counters only grow; the split added 4K leaves */
    ck_assert_uint_ge(m.stats.leaf_4k, 512);
    /* Unmap, then map again. */
    ck_assert(gpm_unmap(&m, 0x2000, 0x2000));
    ck_assert(!gpm_translate(&m, 0x2000, &hpa, &perm));
    ck_assert(!gpm_translate(&m, 0x3fff, &hpa, &perm));
    ck_assert(gpm_translate(&m, 0x4000, &hpa, &perm));
    ck_assert(gpm_map(&m, 0x3000, 0x1000));
    ck_assert(gpm_translate(&m, 0x3000, &hpa, &perm));
    ck_assert_uint_eq(hpa, gpm_backing(&m, 0x3000));
    ck_assert_int_eq(flushes, 3);
    /* Refused: MMIO, holes, unaligned, wrapping ranges. */
    ck_assert(!gpm_unmap(&m, 0xfee00000, 0x1000));
    ck_assert(!gpm_map(&m, 0xa0000, 0x1000));
    ck_assert(!gpm_protect(&m, 0x1001, 0x1000, GPM_R));
    ck_assert(!gpm_map(&m, ~0xfffull, 0x2000));
    ck_assert_int_eq(flushes, 3);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("gpm");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, regions_refused);
    tcase_add_test(tc, too_many_regions);
    tcase_add_test(tc, out_of_host_memory);
    tcase_add_test(tc, copies_checked);
    tcase_add_test(tc, tables_both_formats);
    tcase_add_test(tc, small_pages_only);
    tcase_add_test(tc, gib_leaf);
    tcase_add_test(tc, entry_bits);
    tcase_add_test(tc, change_mappings);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
