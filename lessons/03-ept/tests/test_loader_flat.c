/**
 * @file test_loader_flat.c
 * @brief Unit tests of the flat real-mode loader (loader/flat.c), hosted
 *        with Check: where the bytes go, the start state (CS:IP, SP), the
 *        options load= and entry=, and every way an image or option can be
 *        refused.
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "test_loader.h"

static struct pc_machine mach;
static uint8_t img[0xa0000];
static char why[256];

static void setup(void)
{
    test_machine_create(&mach, 4ull << 20);
    for (size_t i = 0; i < sizeof img; i++)
        img[i] = (uint8_t)(i * 13 + 5);
    why[0] = '\0';
    test_gpm_refused = 0;
}

static void teardown(void) { test_machine_destroy(&mach); }

static bool load(uint64_t len, const char *cmdline)
{
    struct guest_blob image = { img, len, cmdline };
    return guest_load(&mach, &image, NULL, 0, why, sizeof why);
}

static void refused(uint64_t len, const char *cmdline, const char *part)
{
    ck_assert_msg(!load(len, cmdline), "'%s' loaded, expected '%s'", cmdline, part);
    ck_assert_msg(strstr(why, part), "message '%s' does not name '%s'", why, part);
    ck_assert_uint_eq(test_gpm_refused, 0);
}

START_TEST(default_at_0x8000)
{
    ck_assert_msg(load(0x200, ""), "%s", why);
    ck_assert_int_eq(mach.start.mode, HVM_START_REAL16);
    ck_assert_uint_eq(mach.start.cs_sel, 0x800);
    ck_assert_uint_eq(mach.start.rip, 0);
    ck_assert_uint_eq(mach.start.rsp, 0x8000);
    ck_assert_mem_eq(test_guest_bytes(&mach, 0x8000, 0x200), img, 0x200);
    ck_assert_uint_eq(test_guest_bytes(&mach, 0x8200, 1)[0], 0);
    ck_assert_uint_eq(test_guest_bytes(&mach, 0x7fff, 1)[0], 0);
}
END_TEST

START_TEST(load_and_entry_options)
{
    ck_assert_msg(load(0x100, "load=0x20000"), "%s", why);
    ck_assert_uint_eq(mach.start.cs_sel, 0x2000);
    ck_assert_uint_eq(mach.start.rsp, 0xfff0);                 /* SS = 0: top of the first 64 KiB */
    ck_assert_mem_eq(test_guest_bytes(&mach, 0x20000, 0x100), img, 0x100);
    ck_assert_msg(load(0x100, "load=0x7c00 entry=0x0:0x7c10"), "%s", why);
    ck_assert_uint_eq(mach.start.cs_sel, 0);
    ck_assert_uint_eq(mach.start.rip, 0x7c10);
    ck_assert_uint_eq(mach.start.rsp, 0x7c00);
    ck_assert_msg(load(0x100, "load=0x500"), "%s", why);          /* low: stack at the top of 64 KiB */
    ck_assert_uint_eq(mach.start.rsp, 0);
    ck_assert_str_eq(mach.cmdline, "load=0x500");
    ck_assert_msg(load(0xa0000 - 0x8000, ""), "%s", why);         /* exactly fills low RAM */
}
END_TEST

START_TEST(hostile_options)
{
    refused(0x100, "load=abc", "load=abc is not a number");
    refused(0x100, "load=0x8001", "not 16-byte aligned");
    refused(0x100, "load=0x100000", "does not fit in low RAM");
    refused(0x100, "load=0xffffffffffffff00", "does not fit in low RAM");
    refused(0x100, "load=0x9ff80", "does not fit in low RAM");
    refused(0xa0000 - 0x8000 + 1, "", "does not fit in low RAM");
    refused(0x100, "entry=0x800", "not SEG:OFF");
    refused(0x100, "entry=0x10000:0", "not SEG:OFF");
    refused(0x100, "entry=0x800:0x100", "outside the image");
    refused(0x100, "entry=0x7ff:0xf", "outside the image");
    refused(0xf800, "load=0", "no room for a real-mode stack");
    refused(0x100, "loader=flat entry=0x800:0x0:1", "not SEG:OFF");
    char longopt[80];
    memset(longopt, '1', sizeof longopt - 1);
    longopt[sizeof longopt - 1] = 0;
    memcpy(longopt, "load=", 5);
    /* An option too long to read is as good as absent: default load. */
    ck_assert(load(0x100, longopt));
    ck_assert_uint_eq(mach.start.cs_sel, 0x800);
}
END_TEST

START_TEST(no_modules_empty_image)
{
    struct guest_blob image = { img, 0x100, "" }, mod = { img, 1, "" };
    ck_assert(!guest_load(&mach, &image, &mod, 1, why, sizeof why));
    ck_assert_msg(strstr(why, "takes no modules"), "%s", why);
    image.len = 0;
    ck_assert(!guest_load(&mach, &image, NULL, 0, why, sizeof why));
    ck_assert_msg(strstr(why, "empty"), "%s", why);
}
END_TEST

START_TEST(option_reader)
{
    char v[16];
    ck_assert(loader_option("a=1 load=0x10 b", "load", v, sizeof v));
    ck_assert_str_eq(v, "0x10");
    ck_assert(loader_option("load=1\tload=2", "load", v, sizeof v));
    ck_assert_str_eq(v, "2");                                  /* the last one wins */
    ck_assert(!loader_option("loader=flat", "load", v, sizeof v));
    ck_assert(!loader_option("xload=1", "load", v, sizeof v));
    ck_assert(!loader_option(NULL, "load", v, sizeof v));
    ck_assert(!loader_option("load=0123456789abcdef", "load", v, sizeof v));
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("loader_flat");
    TCase *tc = tcase_create("flat");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, default_at_0x8000);
    tcase_add_test(tc, load_and_entry_options);
    tcase_add_test(tc, hostile_options);
    tcase_add_test(tc, no_modules_empty_image);
    tcase_add_test(tc, option_reader);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
