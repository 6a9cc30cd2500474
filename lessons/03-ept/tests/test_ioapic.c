/**
 * @file test_ioapic.c
 * @brief Unit tests of the I/O APIC model (apic/ioapic.c), hosted, with
 *        the Check framework.  The tests program it through IOREGSEL and
 *        IOWIN as a guest would; a fake local APIC records the messages.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "apic/ioapic.h"
#include "check_main.h"

static struct ioapic IO;
static struct apic_msg sent[16];
static int nsent;
static bool accept_all;

static bool sink(void *ctx, const struct apic_msg *m)
{
    (void)ctx;
    if (nsent < 16)
        sent[nsent] = *m;
    nsent++;
    return accept_all;
}

static void setup(void)
{
    ioapic_reset(&IO);
    ioapic_set_sink(&IO, sink, 0);
    nsent = 0;
    accept_all = true;
}

static uint32_t rreg(uint32_t index)
{
    ioapic_write(&IO, IOAPIC_IOREGSEL, 4, index);
    return ioapic_read(&IO, IOAPIC_IOWIN, 4);
}

static void wreg(uint32_t index, uint32_t value)
{
    ioapic_write(&IO, IOAPIC_IOREGSEL, 4, index);
    ioapic_write(&IO, IOAPIC_IOWIN, 4, value);
}

/* Program pin @p pin: low half @p lo, destination @p dest. */
static void route(unsigned pin, uint32_t lo, uint8_t dest)
{
    wreg(IOAPIC_REG_REDIR + 2 * pin + 1, (uint32_t)dest << 24);
    wreg(IOAPIC_REG_REDIR + 2 * pin, lo);
}

START_TEST(reset_state)
{
    ck_assert_uint_eq(rreg(IOAPIC_REG_VER), 0x00170011u);
    ck_assert_uint_eq(rreg(IOAPIC_REG_ID), 0);
    for (unsigned pin = 0; pin < IOAPIC_PINS; pin++) {
        ck_assert_uint_eq(rreg(IOAPIC_REG_REDIR + 2 * pin), (uint32_t)IOREDIR_MASKED);
        ck_assert_uint_eq(rreg(IOAPIC_REG_REDIR + 2 * pin + 1), 0);
    }
}
END_TEST

START_TEST(register_masks)
{
    wreg(IOAPIC_REG_ID, 0xffffffffu);
    ck_assert_uint_eq(rreg(IOAPIC_REG_ID), 0x0f000000u);
    ck_assert_uint_eq(rreg(IOAPIC_REG_ARB), 0x0f000000u);
    wreg(IOAPIC_REG_VER, 0);
    ck_assert_uint_eq(rreg(IOAPIC_REG_VER), 0x00170011u);
    /* Delivery status (12) and remote IRR (14) are read-only; 31:17 reserved. */
    wreg(IOAPIC_REG_REDIR + 6, 0xffffffffu);
    ck_assert_uint_eq(rreg(IOAPIC_REG_REDIR + 6), 0x0001afffu);
    wreg(IOAPIC_REG_REDIR + 7, 0xffffffffu);
    ck_assert_uint_eq(rreg(IOAPIC_REG_REDIR + 7), 0xff000000u);
    ck_assert_uint_eq(ioapic_entry(&IO, 3), 0xff0000000001afffull);
    /* IOREGSEL keeps 8 bits and reads back. */
    ioapic_write(&IO, IOAPIC_IOREGSEL, 4, 0x1234);
    ck_assert_uint_eq(ioapic_read(&IO, IOAPIC_IOREGSEL, 4), 0x34);
    ioapic_write(&IO, IOAPIC_IOREGSEL, 1, 0x12);
    ck_assert_uint_eq(ioapic_read(&IO, IOAPIC_IOREGSEL, 1), 0x12);
}
END_TEST

START_TEST(out_of_range_and_misaligned)
{
    ck_assert_uint_eq(rreg(0x03), 0xffffffffu);
    ck_assert_uint_eq(rreg(0x0f), 0xffffffffu);
    ck_assert_uint_eq(rreg(0x40), 0xffffffffu);    /* past entry 23 */
    ck_assert_uint_eq(rreg(0xff), 0xffffffffu);
    wreg(0x40, 0);
    ck_assert_uint_eq(IO.stats.bad_index, 5);
    /* IOWIN only as an aligned dword; other offsets: read 0, dropped. */
    ioapic_write(&IO, IOAPIC_IOREGSEL, 4, IOAPIC_REG_REDIR);
    ioapic_write(&IO, IOAPIC_IOWIN, 2, 0);
    ioapic_write(&IO, IOAPIC_IOWIN + 1, 4, 0);
    ioapic_write(&IO, IOAPIC_IOWIN, 8, 0);
    ioapic_write(&IO, 0x20, 4, 0);
    ck_assert_uint_eq(ioapic_read(&IO, IOAPIC_IOWIN, 1), 0);
    ck_assert_uint_eq(ioapic_read(&IO, 0x04, 4), 0);
    ck_assert_uint_eq(ioapic_read(&IO, IOAPIC_IOREGSEL, 2), 0);
    ck_assert_uint_eq(IO.stats.bad_accesses, 7);
    ck_assert_uint_eq(rreg(IOAPIC_REG_REDIR), (uint32_t)IOREDIR_MASKED);   /* untouched */
}
END_TEST

START_TEST(edge_pin)
{
    route(2, 0x30 | (APIC_DM_FIXED << 8), 0x00);
    ioapic_set_pin(&IO, 2, true);
    ck_assert_int_eq(nsent, 1);
    ck_assert_uint_eq(sent[0].vector, 0x30);
    ck_assert_uint_eq(sent[0].mode, APIC_DM_FIXED);
    ck_assert(!sent[0].level);
    ck_assert(!sent[0].logical);
    ioapic_set_pin(&IO, 2, true);                /* no new edge */
    ck_assert_int_eq(nsent, 1);
    ioapic_set_pin(&IO, 2, false);
    ioapic_set_pin(&IO, 2, true);
    ck_assert_int_eq(nsent, 2);
    ck_assert_uint_eq(ioapic_entry(&IO, 2) & IOREDIR_REMOTE_IRR, 0);
    ioapic_eoi(&IO, 0x30);                       /* no effect on edge pins */
    ck_assert_int_eq(nsent, 2);
}
END_TEST

START_TEST(masked_edge_is_lost)
{
    route(4, 0x34 | (uint32_t)IOREDIR_MASKED, 0);
    ioapic_set_pin(&IO, 4, true);
    ioapic_set_pin(&IO, 4, false);
    ck_assert_int_eq(nsent, 0);
    ck_assert_uint_eq(IO.stats.masked_edges, 1);
    route(4, 0x34, 0);                           /* unmask: nothing held pending */
    ck_assert_int_eq(nsent, 0);
}
END_TEST

START_TEST(level_pin_remote_irr)
{
    route(9, 0x39 | (uint32_t)IOREDIR_LEVEL | (uint32_t)IOREDIR_DEST_LOGICAL, 0x01);
    ioapic_set_pin(&IO, 9, true);
    ck_assert_int_eq(nsent, 1);
    ck_assert(sent[0].level);
    ck_assert(sent[0].logical);
    ck_assert_uint_eq(sent[0].dest, 0x01);
    ck_assert(ioapic_entry(&IO, 9) & IOREDIR_REMOTE_IRR);
    ck_assert_uint_eq(rreg(IOAPIC_REG_REDIR + 18) & (uint32_t)IOREDIR_REMOTE_IRR, (uint32_t)IOREDIR_REMOTE_IRR);
    ioapic_set_pin(&IO, 9, true);                /* still in service: no message */
    ck_assert_int_eq(nsent, 1);
    ioapic_eoi(&IO, 0x55);                       /* another vector */
    ck_assert(ioapic_entry(&IO, 9) & IOREDIR_REMOTE_IRR);
    ioapic_eoi(&IO, 0x39);                       /* still asserted: again */
    ck_assert_int_eq(nsent, 2);
    ck_assert(ioapic_entry(&IO, 9) & IOREDIR_REMOTE_IRR);
    ioapic_set_pin(&IO, 9, false);
    ioapic_eoi(&IO, 0x39);                       /* released: done */
    ck_assert_int_eq(nsent, 2);
    ck_assert_uint_eq(ioapic_entry(&IO, 9) & IOREDIR_REMOTE_IRR, 0);
    /* Remote IRR cannot be written by the guest. */
    route(9, 0x39 | (uint32_t)IOREDIR_LEVEL | (uint32_t)IOREDIR_REMOTE_IRR, 0);
    ck_assert_uint_eq(ioapic_entry(&IO, 9) & IOREDIR_REMOTE_IRR, 0);
}
END_TEST

START_TEST(level_masked_then_unmasked)
{
    route(10, 0x3a | (uint32_t)IOREDIR_LEVEL | (uint32_t)IOREDIR_MASKED, 0);
    ioapic_set_pin(&IO, 10, true);
    ck_assert_int_eq(nsent, 0);
    route(10, 0x3a | (uint32_t)IOREDIR_LEVEL, 0);  /* unmasked while asserted */
    ck_assert_int_eq(nsent, 1);
    /* Switching to edge clears remote IRR. */
    route(10, 0x3a, 0);
    ck_assert_uint_eq(ioapic_entry(&IO, 10) & IOREDIR_REMOTE_IRR, 0);
}
END_TEST

START_TEST(active_low)
{
    route(11, 0x3b | (uint32_t)IOREDIR_ACTIVE_LOW, 0);
    ioapic_set_pin(&IO, 11, true);               /* idle high */
    ck_assert_int_eq(nsent, 0);
    ioapic_set_pin(&IO, 11, false);              /* asserted */
    ck_assert_int_eq(nsent, 1);
}
END_TEST

START_TEST(refused_and_bad_pins)
{
    accept_all = false;
    route(1, 0x31, 0);
    ioapic_set_pin(&IO, 1, true);
    ck_assert_uint_eq(IO.stats.refused, 1);
    ioapic_set_pin(&IO, 24, true);               /* no such pin */
    ioapic_set_pin(&IO, 1000, true);
    ck_assert_int_eq(nsent, 1);
    ck_assert(!ioapic_pin_unmasked(&IO, 24));
    ck_assert(ioapic_pin_unmasked(&IO, 1));
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("ioapic");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, 0);
    tcase_add_test(tc, reset_state);
    tcase_add_test(tc, register_masks);
    tcase_add_test(tc, out_of_range_and_misaligned);
    tcase_add_test(tc, edge_pin);
    tcase_add_test(tc, masked_edge_is_lost);
    tcase_add_test(tc, level_pin_remote_irr);
    tcase_add_test(tc, level_masked_then_unmasked);
    tcase_add_test(tc, active_low);
    tcase_add_test(tc, refused_and_bad_pins);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
