/**
 * @file test_acpi_pm.c
 * @brief Unit tests of the PM1a event/control model (vdev/acpi_pm.c):
 *        the accesses ACPICA makes (16-bit at each register), odd widths
 *        and offsets a hostile guest may use, and the S5 request.
 */
#include <check.h>
#include <stdlib.h>

#include "vdev/acpi_pm.h"

START_TEST(sci_en_reads_one)
{
    struct acpi_pm pm;
    acpi_pm_reset(&pm);
    /* SMI_CMD = 0: always ACPI mode (ACPI 6.5 §4.8.2.1). */
    ck_assert_uint_eq(acpi_pm_read(&pm, ACPI_PM1_CNT, 2), ACPI_PM1_CNT_SCI_EN);
    ck_assert_uint_eq(acpi_pm_read(&pm, ACPI_PM1_STS, 2), 0);
    ck_assert_uint_eq(acpi_pm_read(&pm, ACPI_PM1_EN, 2), 0);
    unsigned typ = 99;
    /* A guest clearing SCI_EN changes nothing: it is read-only here. */
    ck_assert_int_eq(acpi_pm_write(&pm, ACPI_PM1_CNT, 2, 0, &typ), ACPI_PM_NONE);
    ck_assert_uint_eq(acpi_pm_read(&pm, ACPI_PM1_CNT, 2) & ACPI_PM1_CNT_SCI_EN, ACPI_PM1_CNT_SCI_EN);
}
END_TEST

START_TEST(enable_keeps_defined_bits)
{
    struct acpi_pm pm;
    acpi_pm_reset(&pm);
    unsigned typ;
    ck_assert_int_eq(acpi_pm_write(&pm, ACPI_PM1_EN, 2, 0xffff, &typ), ACPI_PM_NONE);
    ck_assert_uint_eq(acpi_pm_read(&pm, ACPI_PM1_EN, 2), ACPI_PM1_EN_MASK);
    acpi_pm_write(&pm, ACPI_PM1_EN + 1, 1, 0, &typ);                 /* high byte only */
    ck_assert_uint_eq(acpi_pm_read(&pm, ACPI_PM1_EN, 2), ACPI_PM1_EN_MASK & 0xff);
    /* Status bits are write-1-to-clear and nothing sets them. */
    acpi_pm_write(&pm, ACPI_PM1_STS, 2, 0xffff, &typ);
    ck_assert_uint_eq(acpi_pm_read(&pm, ACPI_PM1_STS, 2), 0);
}
END_TEST

START_TEST(s5_powers_off)
{
    struct acpi_pm pm;
    acpi_pm_reset(&pm);
    unsigned typ = 0;
    uint16_t slp = (uint16_t)(FW_S5_SLP_TYP << ACPI_PM1_CNT_SLP_SHIFT);
    /* ACPICA writes SLP_TYP first, then SLP_TYP | SLP_EN (acpi_hw_legacy_sleep). */
    ck_assert_int_eq(acpi_pm_write(&pm, ACPI_PM1_CNT, 2, slp | ACPI_PM1_CNT_SCI_EN, &typ), ACPI_PM_NONE);
    ck_assert_int_eq(acpi_pm_write(&pm, ACPI_PM1_CNT, 2, slp | ACPI_PM1_CNT_SLP_EN, &typ), ACPI_PM_POWEROFF);
    ck_assert_uint_eq(typ, FW_S5_SLP_TYP);
    ck_assert_uint_eq(pm.sleeps, 1);
    /* SLP_EN is write-only: it reads 0. */
    ck_assert_uint_eq(acpi_pm_read(&pm, ACPI_PM1_CNT, 2) & ACPI_PM1_CNT_SLP_EN, 0);
}
END_TEST

START_TEST(s5_by_bytes)
{
    struct acpi_pm pm;
    acpi_pm_reset(&pm);
    unsigned typ = 0;
    uint16_t v = (uint16_t)((FW_S5_SLP_TYP << ACPI_PM1_CNT_SLP_SHIFT) | ACPI_PM1_CNT_SLP_EN);
    ck_assert_int_eq(acpi_pm_write(&pm, ACPI_PM1_CNT, 1, v & 0xff, &typ), ACPI_PM_NONE);
    ck_assert_int_eq(acpi_pm_write(&pm, ACPI_PM1_CNT + 1, 1, v >> 8, &typ), ACPI_PM_POWEROFF);
    /* A 32-bit write at PM1_EN reaches PM1_CNT with its high half. */
    acpi_pm_reset(&pm);
    ck_assert_int_eq(acpi_pm_write(&pm, ACPI_PM1_EN, 4, (uint32_t)v << 16, &typ), ACPI_PM_POWEROFF);
}
END_TEST

START_TEST(other_sleep_types_refused)
{
    struct acpi_pm pm;
    acpi_pm_reset(&pm);
    unsigned typ = 0;
    for (unsigned t = 0; t < 8; t++) {
        if (t == FW_S5_SLP_TYP)
            continue;
        uint16_t v = (uint16_t)((t << ACPI_PM1_CNT_SLP_SHIFT) | ACPI_PM1_CNT_SLP_EN);
        ck_assert_int_eq(acpi_pm_write(&pm, ACPI_PM1_CNT, 2, v, &typ), ACPI_PM_SLEEP_OTHER);
        ck_assert_uint_eq(typ, t);
    }
}
END_TEST

START_TEST(past_the_block)
{
    struct acpi_pm pm;
    acpi_pm_reset(&pm);
    unsigned typ;
    /* A 4-byte read at the last register: two bytes of PM1_CNT, then all ones. */
    ck_assert_uint_eq(acpi_pm_read(&pm, ACPI_PM1_CNT, 4), 0xffff0000u | ACPI_PM1_CNT_SCI_EN);
    ck_assert_uint_eq(acpi_pm_read(&pm, ACPI_PM_PORTS - 1, 4), 0xffffff00u);
    ck_assert_int_eq(acpi_pm_write(&pm, ACPI_PM_PORTS - 1, 4, 0xffffffffu, &typ), ACPI_PM_SLEEP_OTHER);   /* SLP_TYP 7 with SLP_EN */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("acpi_pm");
    TCase *tc = tcase_create("pm1");
    tcase_add_test(tc, sci_en_reads_one);
    tcase_add_test(tc, enable_keeps_defined_bits);
    tcase_add_test(tc, s5_powers_off);
    tcase_add_test(tc, s5_by_bytes);
    tcase_add_test(tc, other_sleep_types_refused);
    tcase_add_test(tc, past_the_block);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
