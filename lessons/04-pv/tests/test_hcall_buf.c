/**
 * @file test_hcall_buf.c
 * @brief Unit tests of the hypercall buffer check (hcall/hcall_buf.c) on a
 *        PC-like guest-physical map (mem/gpm.c, hosted on host_pages.c).
 */
#include <check.h>
#include <stdint.h>

#include "check_main.h"
#include "hcall/hcall_abi.h"
#include "hcall/hcall_buf.h"
#include "host_pages.h"
#include "mem/gpm.h"

#define MIB (1ull << 20)
#define MAX 1024

static struct gpm m;
static char why[160];

/* Low RAM, a hole, ROM, RAM from 1 MiB to 9 MiB, one MMIO page; a second
 * RAM region right after the first, to check a buffer may span both. */
static void setup(void)
{
    host_pages_fail_after(-1);
    host_pages_no_runs(true);
    gpm_init(&m, 39);
    ck_assert(gpm_add(&m, 0, 0xa0000, GPM_RAM, "low", why, sizeof why));
    ck_assert(gpm_add(&m, 0xe0000, 0x20000, GPM_ROM, "bios", why, sizeof why));
    ck_assert(gpm_add(&m, 1 * MIB, 8 * MIB, GPM_RAM, "ram", why, sizeof why));
    ck_assert(gpm_add(&m, 9 * MIB, 1 * MIB, GPM_RAM, "ram2", why, sizeof why));
    ck_assert(gpm_add(&m, 0xfee00000, 0x1000, GPM_MMIO, "lapic", why, sizeof why));
}

static void teardown(void)
{
    gpm_destroy(&m);
    ck_assert_uint_eq(host_pages_outstanding(), 0);
}

START_TEST(good_buffers)
{
    ck_assert_int_eq(hcall_buf_check(&m, 0x8000, 16, MAX), 0);
    ck_assert_int_eq(hcall_buf_check(&m, 0x9ffff, 1, MAX), 0);          /* last byte of low RAM */
    ck_assert_int_eq(hcall_buf_check(&m, 2 * MIB, MAX, MAX), 0);         /* exactly the limit */
    ck_assert_int_eq(hcall_buf_check(&m, 9 * MIB - 8, 16, MAX), 0);      /* across two touching RAM regions */
    ck_assert_int_eq(hcall_buf_check(&m, 10 * MIB - 16, 16, MAX), 0);    /* up to the end of RAM */
}
END_TEST

START_TEST(empty_is_fine_anywhere)
{
    ck_assert_int_eq(hcall_buf_check(&m, 0xa0000, 0, MAX), 0);
    ck_assert_int_eq(hcall_buf_check(&m, UINT64_MAX, 0, MAX), 0);
    ck_assert_int_eq(hcall_buf_check(NULL, 0, 0, MAX), 0);
}
END_TEST

START_TEST(too_long)
{
    ck_assert_int_eq(hcall_buf_check(&m, 2 * MIB, MAX + 1, MAX), -KVM_E2BIG);
    ck_assert_int_eq(hcall_buf_check(&m, 2 * MIB, UINT64_MAX, MAX), -KVM_E2BIG);
    ck_assert_int_eq(hcall_buf_check(&m, 2 * MIB, 1ull << 40, MAX), -KVM_E2BIG);
}
END_TEST

START_TEST(not_ram)
{
    ck_assert_int_eq(hcall_buf_check(&m, 0xa0000, 16, MAX), -KVM_EFAULT);        /* hole */
    ck_assert_int_eq(hcall_buf_check(&m, 0x9fff8, 16, MAX), -KVM_EFAULT);        /* RAM into the hole */
    ck_assert_int_eq(hcall_buf_check(&m, 0xf0000, 16, MAX), -KVM_EFAULT);        /* ROM */
    ck_assert_int_eq(hcall_buf_check(&m, 0xfee00000, 4, MAX), -KVM_EFAULT);      /* MMIO */
    ck_assert_int_eq(hcall_buf_check(&m, 0xfedffffc, 8, MAX), -KVM_EFAULT);      /* hole into MMIO */
    ck_assert_int_eq(hcall_buf_check(&m, 10 * MIB - 8, 16, MAX), -KVM_EFAULT);   /* across the end of RAM */
    ck_assert_int_eq(hcall_buf_check(&m, 1ull << 40, 16, MAX), -KVM_EFAULT);     /* far beyond */
    ck_assert_int_eq(hcall_buf_check(NULL, 0x8000, 16, MAX), -KVM_EFAULT);       /* no map at all */
}
END_TEST

START_TEST(wraps)
{
    ck_assert_int_eq(hcall_buf_check(&m, UINT64_MAX - 7, 16, MAX), -KVM_EFAULT);
    ck_assert_int_eq(hcall_buf_check(&m, UINT64_MAX, 2, MAX), -KVM_EFAULT);
    ck_assert_int_eq(hcall_buf_check(&m, UINT64_MAX, 1, MAX), -KVM_EFAULT);     /* the last byte: a hole */
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("hcall_buf");
    TCase *t = tcase_create("check");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, good_buffers);
    tcase_add_test(t, empty_is_fine_anywhere);
    tcase_add_test(t, too_long);
    tcase_add_test(t, not_ram);
    tcase_add_test(t, wraps);
    suite_add_tcase(s, t);
    return s;
}

CHECK_MAIN(suite)
