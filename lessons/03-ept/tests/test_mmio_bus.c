/**
 * @file test_mmio_bus.c
 * @brief Unit tests of the MMIO bus (mmio/mmio_bus.c) and the mmio-test
 *        device (mmio/mmio_test_dev.c), hosted, with the Check framework.
 *
 * The device registers itself with REGISTER_MMIO_DEVICE exactly as in the
 * kernel (the linker collects the table in the test binary too), so the
 * bus is tested with a real device, through a real struct pc_machine.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "machine/pc_machine.h"
#include "mmio/mmio_bus.h"
#include "mmio/mmio_emul.h"
#include "mmio/mmio_test_dev.h"

static struct pc_machine m;
static struct mmiobus *bus = &m.mmio;

#define B MMIO_TEST_BASE

static void setup(void)
{
    memset(&m, 0xa5, sizeof m);             /* init must not depend on zeroed memory */
    m.vm.ext = &m;
    ck_assert(mmiobus_init(bus, &m.vm));
}

static uint64_t rd(uint64_t off, unsigned size) { return mmiobus_read(&m.vm, bus, B + off, size); }
static void wr(uint64_t off, unsigned size, uint64_t v) { mmiobus_write(&m.vm, bus, B + off, size, v); }

START_TEST(init_and_find)
{
    ck_assert_int_ge(bus->count, 1);
    int i = mmiobus_find(bus, B);
    ck_assert_int_ge(i, 0);
    ck_assert_str_eq(bus->dev[i]->name, MMIO_TEST_NAME);
    ck_assert_int_eq(mmiobus_find(bus, B + MMIO_TEST_SIZE - 1), i);
    ck_assert_int_eq(mmiobus_find(bus, B + MMIO_TEST_SIZE), -1);
    ck_assert_int_eq(mmiobus_find(bus, B - 1), -1);
    ck_assert_int_eq(mmiobus_find(bus, ~0ull), -1);
    ck_assert_uint_eq(bus->reads[i], 0);
    ck_assert_uint_eq(bus->unclaimed, 0);
    ck_assert_uint_eq(mmio_emul_stats(bus)->insns, 0);
    ck_assert_ptr_nonnull(mmio_state(&m.vm, MMIO_TEST_NAME));
    ck_assert_ptr_eq(mmio_state(&m.vm, MMIO_TEST_NAME), bus->state[i]);
    ck_assert_ptr_null(mmio_state(&m.vm, "no-such-device"));
    struct vm plain = { 0 };
    ck_assert_ptr_null(mmio_state(&plain, MMIO_TEST_NAME));   /* not a machine */
    ck_assert_ptr_null(mmio_state(NULL, MMIO_TEST_NAME));
    /* state is 16-byte aligned, inside the arena, after the bus's counters */
    uintptr_t st = (uintptr_t)bus->state[i];
    ck_assert_uint_eq(st % 16, 0);
    ck_assert(st >= (uintptr_t)bus->arena + sizeof(struct mmio_emul_stats));
    ck_assert(st < (uintptr_t)bus->arena + MMIOBUS_ARENA_SIZE);
}
END_TEST

START_TEST(scratch_any_size_any_offset)
{
    wr(0x00, 8, 0x0807060504030201ull);
    ck_assert_uint_eq(rd(0x00, 8), 0x0807060504030201ull);
    ck_assert_uint_eq(rd(0x01, 4), 0x05040302);
    ck_assert_uint_eq(rd(0x07, 1), 0x08);
    ck_assert_uint_eq(rd(0x03, 2), 0x0504);
    wr(0x03, 2, 0xbbaa);
    ck_assert_uint_eq(rd(0x00, 8), 0x080706bbaa030201ull);
    wr(0xf8, 8, 0x1122334455667788ull);      /* ends exactly at 0x100 */
    ck_assert_uint_eq(rd(0xf8, 8), 0x1122334455667788ull);
    ck_assert_uint_eq(rd(0xff, 1), 0x11);
    wr(0x10, 1, 0x1ff);                      /* the bus masks to the size */
    ck_assert_uint_eq(rd(0x10, 1), 0xff);
    ck_assert_uint_eq(rd(0x11, 1), 0x00);
}
END_TEST

START_TEST(crossing_0x100_reads_ones_drops_writes)
{
    wr(0xf8, 8, 0);
    wr(0xfc, 8, 0xffffffffffffffffull);      /* crosses: dropped */
    ck_assert_uint_eq(rd(0xf8, 8), 0);
    ck_assert_uint_eq(rd(0xff, 2), 0xffff);
    ck_assert_uint_eq(rd(0xfd, 4), 0xffffffff);
    ck_assert_uint_eq(rd(MMIO_TEST_REG_IGNORED, 8), 1);
}
END_TEST

START_TEST(registers)
{
    ck_assert_uint_eq(rd(MMIO_TEST_REG_ACCESSES, 8), 0);     /* none before this one */
    ck_assert_uint_eq(rd(MMIO_TEST_REG_LAST, 8), (uint64_t)MMIO_TEST_REG_ACCESSES << 16 | 8);
    wr(0x42, 2, 0xbeef);
    ck_assert_uint_eq(rd(MMIO_TEST_REG_LAST, 8), 0x42ull << 16 | MMIO_TEST_LAST_WRITE | 2);
    ck_assert_uint_eq(rd(MMIO_TEST_REG_VALUE, 8), 0xbeef);
    ck_assert_uint_eq(rd(MMIO_TEST_REG_ACCESSES, 8), 5);
    ck_assert_uint_eq(rd(MMIO_TEST_REG_ACCESSES, 4), 6);      /* any size */
    ck_assert_uint_eq(rd(MMIO_TEST_REG_ACCESSES + 1, 1), 0);
    /* writes to the read-only registers: ignored, counted */
    wr(MMIO_TEST_REG_ACCESSES, 8, 0);
    wr(MMIO_TEST_REG_VALUE, 4, 0x12345678);
    ck_assert_uint_eq(rd(MMIO_TEST_REG_ACCESSES, 8), 10);
    ck_assert_uint_eq(rd(MMIO_TEST_REG_IGNORED, 8), 2);
    ck_assert_uint_eq(rd(MMIO_TEST_REG_VALUE, 8), 0x12345678);   /* the last value written, even ignored */
    ck_assert_uint_eq(rd(0x800, 4), 0xffffffff);             /* unused offsets */
    ck_assert_uint_eq(rd(0x11c, 8), 0xffffffff00000000ull);  /* IGNORED's high half, then past the end */
    wr(0xffc, 4, 1);
    ck_assert_uint_eq(rd(MMIO_TEST_REG_LAST, 4), 0xffcu << 16 | MMIO_TEST_LAST_WRITE | 4);
}
END_TEST

START_TEST(bus_refuses_bad_accesses)
{
    int i = mmiobus_find(bus, B);
    uint64_t before = bus->reads[i] + bus->writes[i];
    ck_assert_uint_eq(mmiobus_read(&m.vm, bus, B + MMIO_TEST_SIZE - 4, 8), ~0ull);   /* runs past the device */
    ck_assert_uint_eq(mmiobus_read(&m.vm, bus, B, 3), 0xffffff);                     /* no 3-byte access */
    ck_assert_uint_eq(mmiobus_read(&m.vm, bus, B, 0), 0);
    ck_assert_uint_eq(mmiobus_read(&m.vm, bus, 0x1000, 4), 0xffffffff);              /* nobody's */
    ck_assert_uint_eq(mmiobus_read(&m.vm, bus, ~0ull, 8), ~0ull);
    mmiobus_write(&m.vm, bus, B + MMIO_TEST_SIZE - 1, 2, 0);
    mmiobus_write(&m.vm, bus, B, 16, 0);
    ck_assert_uint_eq(bus->unclaimed, 7);
    ck_assert_uint_eq(bus->reads[i] + bus->writes[i], before);
    ck_assert_uint_eq(rd(MMIO_TEST_REG_ACCESSES, 8), 0);     /* the device saw none of them */
    wr(0, 4, 1);
    ck_assert_uint_eq(bus->writes[i], 1);
    ck_assert_uint_eq(bus->reads[i], 1);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("mmio_bus");
    TCase *tc = tcase_create("bus");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, init_and_find);
    tcase_add_test(tc, scratch_any_size_any_offset);
    tcase_add_test(tc, crossing_0x100_reads_ones_drops_writes);
    tcase_add_test(tc, registers);
    tcase_add_test(tc, bus_refuses_bad_accesses);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
