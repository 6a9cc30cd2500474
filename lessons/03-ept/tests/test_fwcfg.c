/**
 * @file test_fwcfg.c
 * @brief Unit tests of the fw_cfg model (vdev/fwcfg.c): the items of QEMU
 *        docs/specs/fw_cfg.rst this machine has, byte by byte.
 */
#include <check.h>
#include <stdlib.h>

#include "vdev/fwcfg.h"

static uint64_t read_le(struct fwcfg *f, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)fwcfg_read(f) << (8 * i);
    return v;
}

START_TEST(signature)
{
    struct fwcfg f;
    fwcfg_reset(&f, 64 << 20);
    fwcfg_select(&f, FWCFG_SIGNATURE);
    char sig[5] = { 0 };
    for (int i = 0; i < 4; i++)
        sig[i] = (char)fwcfg_read(&f);
    ck_assert_str_eq(sig, "QEMU");
    ck_assert_uint_eq(fwcfg_read(&f), 0);                  /* past the end */
}
END_TEST

START_TEST(id_says_no_dma)
{
    struct fwcfg f;
    fwcfg_reset(&f, 0);
    fwcfg_select(&f, FWCFG_ID);
    ck_assert_uint_eq(read_le(&f, 4), 1);
}
END_TEST

START_TEST(ram_size_little_endian)
{
    struct fwcfg f;
    fwcfg_reset(&f, 0x123456789abull);
    fwcfg_select(&f, FWCFG_RAM_SIZE);
    ck_assert_uint_eq(fwcfg_read(&f), 0xab);               /* least significant byte first */
    ck_assert_uint_eq(read_le(&f, 7), 0x123456789abull >> 8);
}
END_TEST

START_TEST(cpus)
{
    struct fwcfg f;
    fwcfg_reset(&f, 0);
    fwcfg_select(&f, FWCFG_NB_CPUS);
    ck_assert_uint_eq(read_le(&f, 2), 1);
    fwcfg_select(&f, FWCFG_MAX_CPUS);
    ck_assert_uint_eq(read_le(&f, 2), 1);
}
END_TEST

START_TEST(file_dir_is_empty)
{
    struct fwcfg f;
    fwcfg_reset(&f, 0);
    fwcfg_select(&f, FWCFG_FILE_DIR);
    ck_assert_uint_eq(read_le(&f, 4), 0);                  /* count 0 */
    ck_assert_uint_eq(read_le(&f, 8), 0);
}
END_TEST

START_TEST(select_restarts_item)
{
    struct fwcfg f;
    fwcfg_reset(&f, 0);
    fwcfg_select(&f, FWCFG_SIGNATURE);
    ck_assert_uint_eq(fwcfg_read(&f), 'Q');
    ck_assert_uint_eq(fwcfg_read(&f), 'E');
    fwcfg_select(&f, FWCFG_SIGNATURE);
    ck_assert_uint_eq(fwcfg_read(&f), 'Q');
    ck_assert_uint_eq(f.selects, 2);
    ck_assert_uint_eq(f.reads, 3);
}
END_TEST

START_TEST(unknown_keys_read_zero)
{
    struct fwcfg f;
    fwcfg_reset(&f, 1 << 20);
    const uint16_t keys[] = { 0x0002, 0x0004, 0x0019 + 1, 0x4000, 0x8000, 0x8003, 0xffff };
    for (unsigned k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        fwcfg_select(&f, keys[k]);
        ck_assert_uint_eq(read_le(&f, 8), 0);
    }
}
END_TEST

START_TEST(endless_reads_saturate)
{
    struct fwcfg f;
    fwcfg_reset(&f, 0);
    fwcfg_select(&f, FWCFG_SIGNATURE);
    f.offset = UINT32_MAX - 1;                             /* as after four billion reads */
    ck_assert_uint_eq(fwcfg_read(&f), 0);
    ck_assert_uint_eq(fwcfg_read(&f), 0);
    ck_assert_uint_eq(f.offset, UINT32_MAX);               /* no wrap back to "Q" */
    ck_assert_uint_eq(fwcfg_read(&f), 0);
}
END_TEST

static Suite *fwcfg_suite(void)
{
    Suite *s = suite_create("fw_cfg");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, signature);
    tcase_add_test(tc, id_says_no_dma);
    tcase_add_test(tc, ram_size_little_endian);
    tcase_add_test(tc, cpus);
    tcase_add_test(tc, file_dir_is_empty);
    tcase_add_test(tc, select_restarts_item);
    tcase_add_test(tc, unknown_keys_read_zero);
    tcase_add_test(tc, endless_reads_saturate);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(fwcfg_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
