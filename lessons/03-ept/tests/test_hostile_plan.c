/**
 * @file test_hostile_plan.c
 * @brief Unit tests of the hostile guest program's plan
 *        (linux/hostile_plan.c), hosted, with the Check framework: a run
 *        is replayed on the host without doing any of its operations, and
 *        what it would touch is checked.
 */
#include <check.h>
#include <stdlib.h>

#include "linux/hostile_plan.h"

#define ALL_KINDS ((1u << HOSTILE_KINDS) - 1)
#define RUN_OPS 100000

START_TEST(same_seed_same_run)
{
    struct hostile_rng a, b, c;
    hostile_rng_seed(&a, 1);
    hostile_rng_seed(&b, 1);
    hostile_rng_seed(&c, 2);
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        struct hostile_op x, y, z;
        hostile_plan_next(&a, ALL_KINDS, &x);
        hostile_plan_next(&b, ALL_KINDS, &y);
        hostile_plan_next(&c, ALL_KINDS, &z);
        ck_assert_int_eq(x.kind, y.kind);
        ck_assert_uint_eq(x.target, y.target);
        ck_assert_uint_eq(x.width, y.width);
        ck_assert_uint_eq(x.sub, y.sub);
        ck_assert_uint_eq(x.value, y.value);
        differ += x.kind != z.kind || x.target != z.target;
    }
    ck_assert_int_gt(differ, 500);   /* another seed is another run */
}
END_TEST

START_TEST(rng_seed_zero_is_fine)
{
    struct hostile_rng r;
    hostile_rng_seed(&r, 0);
    ck_assert_uint_ne(r.state, 0);
    uint64_t first = hostile_rng_next(&r);
    ck_assert_uint_ne(first, hostile_rng_next(&r));
}
END_TEST

START_TEST(port_filter)
{
    /* Writes: the exit, reset and console ports, and accesses reaching
     * into them from below, are refused; their neighbours are not. */
    ck_assert(!hostile_port_write_ok(0xF4, 1));
    ck_assert(!hostile_port_write_ok(0xF7, 1));
    ck_assert(!hostile_port_write_ok(0xF2, 4));   /* 0xF2-0xF5 */
    ck_assert(!hostile_port_write_ok(0xF3, 2));
    ck_assert(hostile_port_write_ok(0xF0, 4));    /* 0xF0-0xF3 */
    ck_assert(hostile_port_write_ok(0xF8, 1));
    ck_assert(!hostile_port_write_ok(0x64, 1));
    ck_assert(!hostile_port_write_ok(0x62, 4));
    ck_assert(hostile_port_write_ok(0x60, 4));    /* 0x60-0x63 */
    ck_assert(!hostile_port_write_ok(0x61, 4));   /* 0x61-0x64 */
    ck_assert(hostile_port_write_ok(0x65, 1));
    ck_assert(!hostile_port_write_ok(0x92, 1));
    ck_assert(!hostile_port_write_ok(0x91, 2));
    ck_assert(!hostile_port_write_ok(0xCF8, 4));  /* 0xCF8-0xCFB: PCI's address, and 0xCF9 */
    ck_assert(hostile_port_write_ok(0xCFC, 4));
    ck_assert(!hostile_port_write_ok(0xCF9, 1));
    ck_assert(!hostile_port_write_ok(0xCF6, 4));
    ck_assert(!hostile_port_write_ok(0x3F8, 1));
    ck_assert(!hostile_port_write_ok(0x3F5, 4));
    ck_assert(!hostile_port_write_ok(0x3FF, 1));
    ck_assert(hostile_port_write_ok(0x3F4, 4));
    ck_assert(hostile_port_write_ok(0x400, 1));
    ck_assert(hostile_port_write_ok(0x80, 1));
    ck_assert(hostile_port_write_ok(0xFFFC, 4));
    ck_assert(hostile_port_write_ok(0x1800, 4));  /* PM1 status and enable */
    ck_assert(!hostile_port_write_ok(0x1804, 2)); /* PM1a control: S5 is power-off */
    ck_assert(!hostile_port_write_ok(0x1802, 4));
    ck_assert(!hostile_port_write_ok(0x1805, 1));
    ck_assert(hostile_port_write_ok(0x1806, 2));
    ck_assert(!hostile_port_write_ok(0x604, 2));  /* QEMU's PIIX4 PM1a control */
    /* Reads: everything but COM1. */
    ck_assert(hostile_port_read_ok(0xF4, 4));
    ck_assert(hostile_port_read_ok(0x64, 1));
    ck_assert(hostile_port_read_ok(0xCF9, 1));
    ck_assert(!hostile_port_read_ok(0x3FD, 1));
    ck_assert(!hostile_port_read_ok(0x3F6, 4));
    ck_assert(hostile_port_read_ok(0x3F4, 4));
}
END_TEST

static bool overlaps(uint32_t port, unsigned width, uint32_t first, uint32_t last)
{
    return port <= last && port + width - 1 >= first;
}

/* A whole run as /init starts it: every kind appears, and no operation
 * goes where it must not. */
START_TEST(a_run_touches_only_what_it_may)
{
    struct hostile_rng r;
    hostile_rng_seed(&r, 1);
    unsigned long kinds[HOSTILE_KINDS] = { 0 };
    unsigned long msr_in_picks = 0, msr_high = 0, msr_hv = 0, misaligned = 0, widths[9] = { 0 };
    for (int i = 0; i < RUN_OPS; i++) {
        struct hostile_op op;
        hostile_plan_next(&r, ALL_KINDS, &op);
        ck_assert_int_lt(op.kind, HOSTILE_KINDS);
        kinds[op.kind]++;
        switch (op.kind) {
        case HOSTILE_PORT_OUT:
            ck_assert_msg(!overlaps(op.target, op.width, 0xF4, 0xF7) && !overlaps(op.target, op.width, 0x64, 0x64) &&
                              !overlaps(op.target, op.width, 0x92, 0x92) &&
                              !overlaps(op.target, op.width, 0xCF9, 0xCF9) &&
                              !overlaps(op.target, op.width, 0x3F8, 0x3FF) &&
                              !overlaps(op.target, op.width, 0x1804, 0x1805) &&
                              !overlaps(op.target, op.width, 0x604, 0x605),
                          "op %d writes %u bytes at port %#x", i, op.width, op.target);
            /* fall through */
        case HOSTILE_PORT_IN:
            ck_assert(op.width == 1 || op.width == 2 || op.width == 4);
            ck_assert_uint_le(op.target + op.width, 0x10000);
            ck_assert_msg(!overlaps(op.target, op.width, 0x3F8, 0x3FF), "op %d reads COM1 port %#x", i, op.target);
            break;
        case HOSTILE_MSR_READ:
        case HOSTILE_MSR_WRITE:
            ck_assert_uint_eq(op.width, 8);
            msr_in_picks += hostile_msr_keep(op.target) != 0;
            msr_high += op.target >= 0xC0000000u && op.target <= 0xC0001FFFu;
            msr_hv += op.target >= 0x40000000u && op.target <= 0x400000FFu;
            if (op.kind == HOSTILE_MSR_WRITE)
                ck_assert_uint_le(op.sub, HOSTILE_MSR_ONES);
            break;
        case HOSTILE_LAPIC_READ:
        case HOSTILE_LAPIC_WRITE:
        case HOSTILE_IOAPIC_READ:
        case HOSTILE_IOAPIC_WRITE:
            ck_assert(op.width == 1 || op.width == 2 || op.width == 4 || op.width == 8);
            ck_assert_uint_le(op.target + op.width, HOSTILE_PAGE_SIZE);
            widths[op.width]++;
            misaligned += (op.target & (op.width - 1u)) != 0;
            break;
        default: break;
        }
    }
    for (int k = 0; k < HOSTILE_KINDS; k++)
        ck_assert_msg(kinds[k] > RUN_OPS / 20, "%s: only %lu of %d ops", hostile_kind_name(k), kinds[k], RUN_OPS);
    /* Port writes are planned as writes, not turned into reads. */
    ck_assert_uint_gt(kinds[HOSTILE_PORT_OUT], RUN_OPS / 10);
    ck_assert_uint_gt(msr_in_picks, 1000);
    ck_assert_uint_gt(msr_high, 1000);
    ck_assert_uint_gt(msr_hv, 100);
    ck_assert_uint_gt(misaligned, 1000);
    ck_assert_uint_gt(widths[1], 1000);
    ck_assert_uint_gt(widths[2], 1000);
    ck_assert_uint_gt(widths[8], 1000);
}
END_TEST

START_TEST(disabled_kinds_are_never_planned)
{
    struct hostile_rng r;
    hostile_rng_seed(&r, 7);
    unsigned only_ports = 1u << HOSTILE_PORT_IN | 1u << HOSTILE_PORT_OUT;
    unsigned long cpuid = 0;
    for (int i = 0; i < 10000; i++) {
        struct hostile_op op;
        hostile_plan_next(&r, only_ports, &op);
        ck_assert(op.kind == HOSTILE_PORT_IN || op.kind == HOSTILE_PORT_OUT || op.kind == HOSTILE_CPUID);
        cpuid += op.kind == HOSTILE_CPUID;
    }
    ck_assert_uint_gt(cpuid, 0);   /* CPUID needs nothing from the kernel: always on */
    hostile_rng_seed(&r, 7);
    for (int i = 0; i < 1000; i++) {
        struct hostile_op op;
        hostile_plan_next(&r, 0, &op);
        ck_assert_int_eq(op.kind, HOSTILE_CPUID);
    }
}
END_TEST

START_TEST(msr_values_keep_what_would_kill_the_guest)
{
    struct hostile_op op = { .kind = HOSTILE_MSR_WRITE, .width = 8 };
    const uint64_t lstar = 0xFFFFFFFF81A00080ull;
    op.target = 0xC0000082;   /* LSTAR: only bits 63:48 may change */
    op.sub = HOSTILE_MSR_RANDOM;
    op.value = 0x123456789ABCDEF0ull;
    uint64_t v = hostile_msr_value(&op, lstar);
    ck_assert_uint_eq(v & 0xFFFFFFFFFFFFull, lstar & 0xFFFFFFFFFFFFull);
    ck_assert_uint_eq(v >> 48, 0x1234);
    /* Never canonical unless unchanged: zero or small values leave bit
     * 47 set under zero high bits. */
    op.sub = HOSTILE_MSR_ZERO;
    ck_assert_uint_eq(hostile_msr_value(&op, lstar), 0x0000FFFF81A00080ull);
    op.sub = HOSTILE_MSR_ONES;
    ck_assert_uint_eq(hostile_msr_value(&op, lstar), lstar);
    op.target = 0xC0000081;   /* STAR: written back unchanged */
    op.sub = HOSTILE_MSR_ONES;
    ck_assert_uint_eq(hostile_msr_value(&op, 0x0023001000000000ull), 0x0023001000000000ull);
    op.target = 0xC0000080;   /* EFER: SCE, LME, LMA, NXE stay */
    op.sub = HOSTILE_MSR_ZERO;
    ck_assert_uint_eq(hostile_msr_value(&op, 0xD01), 0xD01);
    op.sub = HOSTILE_MSR_FLIP;
    op.value = 12;            /* SVME may flip */
    ck_assert_uint_eq(hostile_msr_value(&op, 0xD01), 0x1D01);
    op.value = 8;             /* LME may not */
    ck_assert_uint_eq(hostile_msr_value(&op, 0xD01), 0xD01);
    op.target = 0x277;        /* PAT: anything */
    op.sub = HOSTILE_MSR_SMALL;
    op.value = 0xABCD1234;
    ck_assert_uint_eq(hostile_msr_value(&op, 0x0007040600070406ull), 0x1234);
    op.sub = HOSTILE_MSR_SAME;
    ck_assert_uint_eq(hostile_msr_value(&op, 0x0007040600070406ull), 0x0007040600070406ull);
    op.target = 0x12345;      /* not a picked MSR: keeps nothing */
    ck_assert_uint_eq(hostile_msr_keep(op.target), 0);
}
END_TEST

static Suite *hostile_suite(void)
{
    Suite *s = suite_create("hostile_plan");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, same_seed_same_run);
    tcase_add_test(tc, rng_seed_zero_is_fine);
    tcase_add_test(tc, port_filter);
    tcase_add_test(tc, a_run_touches_only_what_it_may);
    tcase_add_test(tc, disabled_kinds_are_never_planned);
    tcase_add_test(tc, msr_values_keep_what_would_kill_the_guest);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(hostile_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
