/**
 * @file test_gva_walk.c
 * @brief Unit tests of the guest page-table walk under nested paging
 *        (mmio/guest_linear.c), hosted, with the Check framework.
 *
 * Guest-physical memory is a 256 KiB array the tests write page tables
 * into by hand; the read callback refuses anything outside it (as gpm_read
 * refuses holes and MMIO), and counts reads so a test can see the walk
 * stop where it should.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "mmio/guest_linear.h"
#include "spectrum/x86_bits.h"

#define MEM_SIZE 0x40000u
#define P  0x1ull
#define RW 0x2ull
#define US 0x4ull
#define PS 0x80ull

static uint8_t mem[MEM_SIZE];
static unsigned reads, refused;

static bool rd(void *ctx, uint64_t gpa, unsigned size, uint64_t *out)
{
    (void)ctx;
    reads++;
    if (gpa >= MEM_SIZE || size > MEM_SIZE - gpa) {
        refused++;
        return false;
    }
    *out = 0;
    memcpy(out, &mem[gpa], size);
    return true;
}

static void put32(uint64_t gpa, uint32_t v) { memcpy(&mem[gpa], &v, 4); }
static void put64(uint64_t gpa, uint64_t v) { memcpy(&mem[gpa], &v, 8); }

static struct guest_paging pg;
static struct guest_walk_result w;

static void setup(void)
{
    memset(mem, 0, sizeof mem);
    memset(&pg, 0, sizeof pg);
    memset(&w, 0, sizeof w);
    reads = refused = 0;
}

static bool walk(uint64_t linear)
{
    return guest_linear_walk(&pg, rd, NULL, linear, &w);
}

START_TEST(paging_off)
{
    pg.cr0 = CR0_PE;
    ck_assert_int_eq(guest_paging_mode(&pg), GUEST_PAGING_OFF);
    ck_assert(walk(0x12345));
    ck_assert_uint_eq(w.gpa, 0x12345);
    ck_assert(w.writable && w.user);
    ck_assert(walk(0x100001000ull));        /* linear addresses are 32 bits wide here */
    ck_assert_uint_eq(w.gpa, 0x1000);
    ck_assert_uint_eq(reads, 0);
    pg.cr0 = 0;                             /* real mode: the same */
    ck_assert(walk(0x10ffef));
    ck_assert_uint_eq(w.gpa, 0x10ffef);
}
END_TEST

static void build32(void)
{
    pg.cr0 = CR0_PE | CR0_PG;
    pg.cr3 = 0x1000 | 0x18;                 /* PCD/PWT bits are not address bits */
    put32(0x1000 + 0 * 4, 0x2000 | P | RW | US);
    put32(0x2000 + 5 * 4, 0x7000 | P | RW | US);
    put32(0x2000 + 6 * 4, 0x8000 | P | US);             /* read-only */
    put32(0x2000 + 7 * 4, 0x9000);                      /* not present */
    /* PDE 1: a 4 MiB page at 0x3_00c00000 (PSE-36: bits 39:32 in PDE 20:13) */
    put32(0x1000 + 1 * 4, 0x00c00000 | (0x3u << 13) | PS | P | RW);
    put32(0x1000 + 3 * 4, 0xfffff000 | P | RW);         /* PT outside guest memory */
}

START_TEST(paging32_4k)
{
    build32();
    ck_assert_int_eq(guest_paging_mode(&pg), GUEST_PAGING_32);
    ck_assert(walk(0x5123));
    ck_assert_uint_eq(w.gpa, 0x7123);
    ck_assert_uint_eq(w.page_size, 0x1000);
    ck_assert(w.writable && w.user);
    ck_assert_uint_eq(reads, 2);
    ck_assert(walk(0xffffffff00006fffull));  /* bits 63:32 are not part of a 32-bit linear address */
    ck_assert_uint_eq(w.gpa, 0x8fff);
    ck_assert(!w.writable && w.user);
    ck_assert(!walk(0x7000));               /* PTE not present */
    ck_assert(!walk(0x800000));             /* PDE 2 not present */
}
END_TEST

START_TEST(paging32_pse)
{
    build32();
    pg.cr4 = CR4_PSE;
    ck_assert(walk(0x400000 + 0x12345));
    ck_assert_uint_eq(w.gpa, 0x300c12345ull);
    ck_assert_uint_eq(w.page_size, 0x400000);
    ck_assert(!w.user);
    /* Without CR4.PSE the PS bit is ignored: the PDE names a page table,
     * here at 0x00c00000 + ..., outside guest memory. */
    pg.cr4 = 0;
    refused = 0;
    ck_assert(!walk(0x400000 + 0x12345));
    ck_assert_uint_eq(refused, 1);
}
END_TEST

START_TEST(paging32_hostile)
{
    build32();
    refused = 0;
    ck_assert(!walk(0xc00000));             /* PDE 3 points its PT at 0xfffff000 */
    ck_assert_uint_eq(refused, 1);
    pg.cr3 = 0xfffff000;                    /* the directory itself outside memory */
    ck_assert(!walk(0));
    pg.cr3 = MEM_SIZE - 4;                  /* CR3 bits 11:0 are no address: the last page */
    put32(MEM_SIZE - 4, 0x2000 | P);        /* its last PDE (1023) is the last 4 bytes of memory */
    ck_assert(walk(0xffc05000));
    ck_assert_uint_eq(w.gpa, 0x7000);
}
END_TEST

static void build_pae(void)
{
    pg.cr0 = CR0_PE | CR0_PG;
    pg.cr4 = CR4_PAE;
    pg.cr3 = 0x3020;                        /* PAE: CR3 bits 31:5 */
    put64(0x3020 + 0 * 8, 0x4000 | P);
    put64(0x3020 + 1 * 8, 0x0000000fffff0000ull | P);   /* a PD outside guest memory */
    put64(0x4000 + 0 * 8, 0x5000 | P | RW | US);
    put64(0x5000 + 1 * 8, 0x9000 | P | RW | US | (1ull << 63));   /* XD is not an address bit */
    put64(0x4000 + 1 * 8, 0x40000000 | PS | P | US);    /* 2 MiB */
    put64(0x4000 + 2 * 8, 0x123456000ull | P | RW);     /* PT above 4 GiB: outside memory */
}

START_TEST(paging_pae)
{
    build_pae();
    ck_assert_int_eq(guest_paging_mode(&pg), GUEST_PAGING_PAE);
    ck_assert(walk(0x1abc));
    ck_assert_uint_eq(w.gpa, 0x9abc);
    ck_assert_uint_eq(w.page_size, 0x1000);
    ck_assert(w.writable && w.user);        /* PDPTEs have no R/W, U/S bits */
    ck_assert_uint_eq(reads, 3);
    ck_assert(walk(0x200000 + 0x12345));
    ck_assert_uint_eq(w.gpa, 0x40012345);
    ck_assert_uint_eq(w.page_size, 0x200000);
    ck_assert(!w.writable);
    ck_assert(!walk(0x400000));
    ck_assert(!walk(0x40000000));           /* PDPTE 1: PD outside */
    ck_assert(!walk(0xc0000000));           /* PDPTE 3 not present */
    ck_assert(!walk(0x2000));               /* PTE 2 not present */
}
END_TEST

static void build64(void)
{
    pg.cr0 = CR0_PE | CR0_PG;
    pg.cr4 = CR4_PAE;
    pg.efer = EFER_LME | EFER_LMA;
    pg.cr3 = 0x10000;
    put64(0x10000 + 0 * 8, 0x11000 | P | RW | US);
    put64(0x11000 + 0 * 8, 0x12000 | P | RW | US);
    put64(0x12000 + 0 * 8, 0x13000 | P | RW | US);
    put64(0x13000 + 2 * 8, 0x20000 | P | RW | US);
    put64(0x11000 + 1 * 8, 0x80000000 | PS | P | RW);   /* 1 GiB */
    put64(0x12000 + 1 * 8, 0x600000 | PS | P | US);     /* 2 MiB, read-only */
    /* the top of the address space: PML4[511] -> PDPT[511] -> PD[511] 2 MiB */
    put64(0x10000 + 511 * 8, 0x14000 | P | RW);
    put64(0x14000 + 511 * 8, 0x15000 | P | RW);
    put64(0x15000 + 511 * 8, 0x1fe00000 | PS | P | RW);
    put64(0x11000 + 2 * 8, 0x000ffffffffff000ull | P);  /* the highest PD address: outside */
    put64(0x10000 + 1 * 8, 0x10000 | P | RW | US);      /* PML4[1] -> itself (recursive) */
}

START_TEST(paging_4level)
{
    build64();
    ck_assert_int_eq(guest_paging_mode(&pg), GUEST_PAGING_4LEVEL);
    ck_assert(walk(0x2345));
    ck_assert_uint_eq(w.gpa, 0x20345);
    ck_assert_uint_eq(w.page_size, 0x1000);
    ck_assert_uint_eq(reads, 4);
    ck_assert(w.writable && w.user);
    ck_assert(walk(0x40000000 + 0x123456));
    ck_assert_uint_eq(w.gpa, 0x80123456);
    ck_assert_uint_eq(w.page_size, 0x40000000);
    ck_assert(!w.user);
    ck_assert(walk(0x200000 + 0x1234));
    ck_assert_uint_eq(w.gpa, 0x601234);
    ck_assert_uint_eq(w.page_size, 0x200000);
    ck_assert(!w.writable && w.user);
    ck_assert(walk(0xffffffffffe00010ull));
    ck_assert_uint_eq(w.gpa, 0x1fe00010);
    ck_assert(!walk(0x3000));               /* PTE 3 not present */
}
END_TEST

START_TEST(paging_4level_hostile)
{
    build64();
    reads = 0;
    ck_assert(!walk(0x0000800000000000ull)); /* not canonical */
    ck_assert(!walk(0xffff7fffffffffffull));
    ck_assert_uint_eq(reads, 0);             /* refused before any table is read */
    refused = 0;
    ck_assert(!walk(0x80000000));            /* PDPT[2]: PD at the top of the address space */
    ck_assert_uint_eq(refused, 1);
    pg.cr3 = 0x000ffffffffff000ull;
    ck_assert(!walk(0));
    pg.cr3 = 0x10000;
    pg.cr4 |= CR4_LA57;                      /* 5-level: not offered */
    ck_assert_int_eq(guest_paging_mode(&pg), GUEST_PAGING_UNSUPPORTED);
    ck_assert(!walk(0x2345));
    pg.cr4 = 0;                              /* LMA without PAE cannot happen */
    ck_assert(!walk(0x2345));
}
END_TEST

START_TEST(paging_4level_recursive_terminates)
{
    build64();
    /* PML4[1] points at the PML4: linear 0x0000_0080_xxxx_xxxx walks PML4 ->
     * PML4 (as PDPT) -> entry 0 = 0x11000 (as PD) -> entry 0 = 0x12000 (as PT)
     * -> entry 0 = 0x13000 | flags: a 4 KiB page at 0x13000.  Four reads, then done. */
    reads = 0;
    ck_assert(walk(0x8000000000ull + 0x123));
    ck_assert_uint_eq(w.gpa, 0x13123);
    ck_assert_uint_eq(reads, 4);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("gva_walk");
    TCase *tc = tcase_create("walk");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, paging_off);
    tcase_add_test(tc, paging32_4k);
    tcase_add_test(tc, paging32_pse);
    tcase_add_test(tc, paging32_hostile);
    tcase_add_test(tc, paging_pae);
    tcase_add_test(tc, paging_4level);
    tcase_add_test(tc, paging_4level_hostile);
    tcase_add_test(tc, paging_4level_recursive_terminates);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
