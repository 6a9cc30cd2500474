/**
 * @file test_lapic.c
 * @brief Unit tests of the local APIC model (apic/lapic.c), hosted, with
 *        the Check framework and a fake clock: every test programs the
 *        APIC through its registers as a guest would, at chosen TSC values.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "apic/lapic.h"
#include "check_main.h"

#define HZ 2000000000ull   /* fake TSC: 2 GHz, so one bus tick (1 ns) is 2 TSC ticks */

static struct lapic L;

static uint32_t rd(uint32_t off) { return lapic_read(&L, off, 4, 0); }
static uint32_t rd_at(uint32_t off, uint64_t now) { return lapic_read(&L, off, 4, now); }
static void wr(uint32_t off, uint32_t v) { lapic_write(&L, off, 4, v, 0); }
static void wr_at(uint32_t off, uint32_t v, uint64_t now) { lapic_write(&L, off, 4, v, now); }

static bool irr(unsigned v) { return (rd(LAPIC_IRR + (v / 32) * 0x10) >> (v % 32)) & 1; }
static bool isr(unsigned v) { return (rd(LAPIC_ISR + (v / 32) * 0x10) >> (v % 32)) & 1; }
static bool tmr(unsigned v) { return (rd(LAPIC_TMR + (v / 32) * 0x10) >> (v % 32)) & 1; }

static void setup(void)
{
    lapic_reset(&L, HZ);
}

/* A software-enabled APIC, spurious vector 0xff. */
static void enable(void)
{
    wr(LAPIC_SVR, SVR_ENABLE | 0xff);
}

START_TEST(reset_state)
{
    ck_assert_uint_eq(rd(LAPIC_VERSION), 0x00050014u);
    ck_assert_uint_eq(rd(LAPIC_SVR), 0xffu);
    ck_assert_uint_eq(rd(LAPIC_DFR), 0xffffffffu);
    ck_assert_uint_eq(rd(LAPIC_ID), 0);
    ck_assert_uint_eq(rd(LAPIC_TPR), 0);
    ck_assert_uint_eq(rd(LAPIC_PPR), 0);
    for (uint32_t off = LAPIC_LVT_TIMER; off <= LAPIC_LVT_ERROR; off += 0x10)
        ck_assert_uint_eq(rd(off), LVT_MASKED);
    ck_assert_uint_eq(L.apic_base, 0xfee00000u | APIC_BASE_BSP | APIC_BASE_ENABLE);
    ck_assert(lapic_enabled(&L));
    ck_assert(!lapic_sw_enabled(&L));
    ck_assert(lapic_extint_passes(&L));
}
END_TEST

START_TEST(register_masks)
{
    enable();
    wr(LAPIC_ID, 0xffffffffu);
    ck_assert_uint_eq(rd(LAPIC_ID), 0xff000000u);
    wr(LAPIC_TPR, 0xffffffffu);
    ck_assert_uint_eq(rd(LAPIC_TPR), 0xffu);
    wr(LAPIC_LDR, 0x12345678u);
    ck_assert_uint_eq(rd(LAPIC_LDR), 0x12000000u);
    wr(LAPIC_DFR, 0x0u);
    ck_assert_uint_eq(rd(LAPIC_DFR), 0x0fffffffu);
    wr(LAPIC_SVR, 0xffffffffu);
    ck_assert_uint_eq(rd(LAPIC_SVR), 0x3ffu);
    wr(LAPIC_LVT_TIMER, 0xffffffffu);
    ck_assert_uint_eq(rd(LAPIC_LVT_TIMER), 0x000700ffu);
    wr(LAPIC_LVT_LINT0, 0xffffffffu);
    ck_assert_uint_eq(rd(LAPIC_LVT_LINT0), 0x0001a7ffu);
    wr(LAPIC_LVT_ERROR, 0xffffffffu);
    ck_assert_uint_eq(rd(LAPIC_LVT_ERROR), 0x000100ffu);
    wr(LAPIC_ICR_HI, 0xffffffffu);
    ck_assert_uint_eq(rd(LAPIC_ICR_HI), 0xff000000u);
    wr(LAPIC_TIMER_DCR, 0xffffffffu);
    ck_assert_uint_eq(rd(LAPIC_TIMER_DCR), 0xbu);
    /* Read-only registers keep their values. */
    wr(LAPIC_VERSION, 0);
    wr(LAPIC_PPR, 0x55);
    wr(LAPIC_IRR, 0xffffffffu);
    ck_assert_uint_eq(rd(LAPIC_VERSION), 0x00050014u);
    ck_assert_uint_eq(rd(LAPIC_IRR), 0);
    ck_assert_uint_eq(rd(LAPIC_APR), 0);
    ck_assert_uint_eq(L.stats.ro_writes, 3);
}
END_TEST

START_TEST(bad_accesses_read_zero)
{
    enable();
    wr(LAPIC_TPR, 0x20);
    ck_assert_uint_eq(lapic_read(&L, LAPIC_TPR, 1, 0), 0);
    ck_assert_uint_eq(lapic_read(&L, LAPIC_TPR, 8, 0), 0);
    ck_assert_uint_eq(lapic_read(&L, LAPIC_TPR + 4, 4, 0), 0);
    ck_assert_uint_eq(lapic_read(&L, 0xffe, 4, 0), 0);
    lapic_write(&L, LAPIC_TPR, 2, 0x30, 0);
    lapic_write(&L, LAPIC_TPR + 1, 4, 0x30, 0);
    lapic_write(&L, LAPIC_TPR, 8, 0x30, 0);
    ck_assert_uint_eq(rd(LAPIC_TPR), 0x20);
    ck_assert_uint_eq(L.stats.bad_accesses, 7);
}
END_TEST

START_TEST(esr_write_then_read)
{
    enable();
    rd(0x010);                      /* reserved offset: illegal register address */
    ck_assert_uint_eq(L.stats.illegal_regs, 1);
    ck_assert_uint_eq(rd(LAPIC_ESR), 0);            /* not latched yet */
    wr(LAPIC_ESR, 0);
    ck_assert_uint_eq(rd(LAPIC_ESR), ESR_ILLEGAL_REG);
    wr(LAPIC_ESR, 0);
    ck_assert_uint_eq(rd(LAPIC_ESR), 0);            /* cleared by the next write */
}
END_TEST

START_TEST(error_lvt_interrupt)
{
    enable();
    wr(LAPIC_LVT_ERROR, 0xe0);
    wr(LAPIC_ICR_LO, (ICR_SH_SELF << ICR_SHORTHAND_SHIFT) | 0x05);   /* illegal vector */
    ck_assert(irr(0xe0));
    ck_assert(!irr(0x05));
    wr(LAPIC_ESR, 0);
    ck_assert_uint_eq(rd(LAPIC_ESR), ESR_SEND_ILLEGAL | ESR_RECV_ILLEGAL);
}
END_TEST

START_TEST(sw_disable_masks_lvt)
{
    enable();
    wr(LAPIC_LVT_LINT0, 0x700);
    ck_assert_uint_eq(rd(LAPIC_LVT_LINT0), 0x700);
    ck_assert(lapic_extint_passes(&L));
    wr(LAPIC_SVR, 0xff);    /* software disable */
    ck_assert_uint_eq(rd(LAPIC_LVT_LINT0), 0x700 | LVT_MASKED);
    wr(LAPIC_LVT_LINT0, 0x700);
    ck_assert_uint_eq(rd(LAPIC_LVT_LINT0), 0x700 | LVT_MASKED);
    /* software-disabled: IRR held, nothing pending */
    ck_assert(lapic_accept(&L, 0x40, false));
    ck_assert_int_eq(lapic_pending(&L), -1);
    enable();
    ck_assert_int_eq(lapic_pending(&L), 0x40);
    /* enabled with LINT0 masked: the 8259 is cut off */
    ck_assert(!lapic_extint_passes(&L));
    wr(LAPIC_LVT_LINT0, 0x700);
    ck_assert(lapic_extint_passes(&L));
}
END_TEST

START_TEST(ppr_and_tpr)
{
    enable();
    lapic_accept(&L, 0x45, false);
    wr(LAPIC_TPR, 0x50);
    ck_assert_uint_eq(rd(LAPIC_PPR), 0x50);
    ck_assert_int_eq(lapic_pending(&L), -1);
    wr(LAPIC_TPR, 0x40);                  /* same class: still blocked */
    ck_assert_int_eq(lapic_pending(&L), -1);
    wr(LAPIC_TPR, 0x3f);
    ck_assert_int_eq(lapic_pending(&L), 0x45);
    ck_assert_int_eq(lapic_ack(&L), 0x45);
    ck_assert(isr(0x45));
    ck_assert(!irr(0x45));
    /* PPR now from the ISR class: 0x40 > TPR class 0x30 */
    ck_assert_uint_eq(rd(LAPIC_PPR), 0x40);
    lapic_accept(&L, 0x41, false);
    ck_assert_int_eq(lapic_pending(&L), -1);
    lapic_accept(&L, 0x51, false);
    ck_assert_int_eq(lapic_pending(&L), 0x51);
    /* CR8 is TPR[7:4] */
    ck_assert_uint_eq(lapic_cr8(&L), 3);
    lapic_set_cr8(&L, 0xf);
    ck_assert_uint_eq(rd(LAPIC_TPR), 0xf0);
    ck_assert_int_eq(lapic_pending(&L), -1);
}
END_TEST

static int eoi_calls;
static uint8_t eoi_vector;
static void eoi_hook(void *ctx, uint8_t vector)
{
    (void)ctx;
    eoi_calls++;
    eoi_vector = vector;
}

START_TEST(eoi_clears_highest_isr)
{
    enable();
    eoi_calls = 0;
    lapic_set_eoi_hook(&L, eoi_hook, 0);
    lapic_accept(&L, 0x30, true);     /* level */
    ck_assert(tmr(0x30));
    ck_assert_int_eq(lapic_ack(&L), 0x30);
    lapic_accept(&L, 0x60, false);    /* edge, nests above */
    ck_assert_int_eq(lapic_ack(&L), 0x60);
    ck_assert(isr(0x30) && isr(0x60));
    wr(LAPIC_EOI, 0);
    ck_assert(!isr(0x60) && isr(0x30));
    ck_assert_int_eq(eoi_calls, 0);   /* edge: the I/O APIC is not told */
    wr(LAPIC_EOI, 0);
    ck_assert(!isr(0x30));
    ck_assert_int_eq(eoi_calls, 1);
    ck_assert_uint_eq(eoi_vector, 0x30);
    wr(LAPIC_EOI, 0);                 /* nothing in service: no effect */
    ck_assert_uint_eq(L.stats.eois, 2);
}
END_TEST

START_TEST(self_ipi)
{
    enable();
    wr(LAPIC_ID, 0x03000000u);
    wr(LAPIC_ICR_LO, (ICR_SH_SELF << ICR_SHORTHAND_SHIFT) | 0x41);
    ck_assert(irr(0x41));
    ck_assert_uint_eq(rd(LAPIC_ICR_LO) & (1u << 12), 0);   /* delivery status idle */
    wr(LAPIC_ICR_HI, 0x03000000u);                         /* own ID, physical */
    wr(LAPIC_ICR_LO, 0x42);
    ck_assert(irr(0x42));
    wr(LAPIC_ICR_HI, 0x05000000u);                         /* another APIC ID */
    wr(LAPIC_ICR_LO, 0x43);
    ck_assert(!irr(0x43));
    wr(LAPIC_ICR_HI, 0x03000000u);
    wr(LAPIC_ICR_LO, (APIC_DM_INIT << 8) | ICR_LEVEL_ASSERT);    /* INIT */
    wr(LAPIC_ICR_LO, (APIC_DM_STARTUP << 8) | 0x10);             /* SIPI */
    wr(LAPIC_ICR_LO, (ICR_SH_OTHERS << ICR_SHORTHAND_SHIFT) | 0x44);
    ck_assert(!irr(0x44));
    wr(LAPIC_ICR_LO, (ICR_SH_ALL << ICR_SHORTHAND_SHIFT) | 0x45);
    ck_assert(irr(0x45));
    ck_assert_uint_eq(L.stats.ipis_self, 3);
    ck_assert_uint_eq(L.stats.ipis_ignored, 4);
}
END_TEST

START_TEST(logical_destinations)
{
    enable();
    wr(LAPIC_LDR, 0x04000000u);    /* flat: bit 2 */
    ck_assert(lapic_match_dest(&L, 0x04, true));
    ck_assert(lapic_match_dest(&L, 0x0c, true));
    ck_assert(!lapic_match_dest(&L, 0x08, true));
    ck_assert(lapic_match_dest(&L, 0xff, true));
    wr(LAPIC_DFR, 0x0fffffffu);    /* cluster model */
    wr(LAPIC_LDR, 0x21000000u);    /* cluster 2, member bit 0 */
    ck_assert(lapic_match_dest(&L, 0x21, true));
    ck_assert(lapic_match_dest(&L, 0x23, true));
    ck_assert(!lapic_match_dest(&L, 0x31, true));
    ck_assert(!lapic_match_dest(&L, 0x22, true));
    ck_assert(lapic_match_dest(&L, 0x00, false));   /* physical ID 0 */
    ck_assert(!lapic_match_dest(&L, 0x01, false));
}
END_TEST

START_TEST(receive_messages)
{
    enable();
    struct apic_msg m = { .vector = 0x50, .mode = APIC_DM_FIXED, .dest = 0, .logical = false, .level = true };
    ck_assert(lapic_receive(&L, &m));
    ck_assert(irr(0x50) && tmr(0x50));
    m.dest = 1;
    ck_assert(!lapic_receive(&L, &m));
    m.dest = 0;
    m.mode = APIC_DM_NMI;
    ck_assert(!lapic_receive(&L, &m));
    m.mode = APIC_DM_LOWEST;
    m.vector = 0x51;
    m.level = false;
    ck_assert(lapic_receive(&L, &m));
    ck_assert(irr(0x51) && !tmr(0x51));
    m.vector = 0x0f;   /* illegal */
    ck_assert(!lapic_receive(&L, &m));
    ck_assert_uint_eq(L.stats.msgs_ignored, 2);
}
END_TEST

START_TEST(divide_values)
{
    static const struct { uint32_t dcr; unsigned div; } t[] = {
        { 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 }, { 0x8, 32 }, { 0x9, 64 }, { 0xa, 128 }, { 0xb, 1 },
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        wr(LAPIC_TIMER_DCR, t[i].dcr);
        ck_assert_uint_eq(lapic_timer_divider(&L), t[i].div);
    }
}
END_TEST

START_TEST(timer_oneshot)
{
    enable();
    wr(LAPIC_LVT_TIMER, 0x40);               /* one-shot, vector 0x40 */
    wr(LAPIC_TIMER_DCR, 0x0);                /* divide by 2: a count is 2 ns = 4 TSC ticks */
    wr_at(LAPIC_TIMER_ICR, 1000, 10000);     /* expires at 10000 + 4000 */
    ck_assert_uint_eq(rd_at(LAPIC_TIMER_ICR, 10000), 1000);
    ck_assert_uint_eq(rd_at(LAPIC_TIMER_CCR, 10000), 1000);
    ck_assert_uint_eq(rd_at(LAPIC_TIMER_CCR, 11000), 750);
    ck_assert_uint_eq(lapic_timer_next(&L), 14000);
    lapic_update(&L, 13999);
    ck_assert(!irr(0x40));
    lapic_update(&L, 14000);
    ck_assert(irr(0x40));
    ck_assert_uint_eq(rd_at(LAPIC_TIMER_CCR, 14001), 0);
    ck_assert_uint_eq(lapic_timer_next(&L), UINT64_MAX);
    /* One shot only. */
    ck_assert_int_eq(lapic_ack(&L), 0x40);
    lapic_update(&L, 100000);
    ck_assert(!irr(0x40));
    ck_assert_uint_eq(L.stats.timer_fires, 1);
}
END_TEST

START_TEST(timer_divide_128)
{
    enable();
    wr(LAPIC_LVT_TIMER, 0x40);
    wr(LAPIC_TIMER_DCR, 0xa);                /* 128: a count is 128 ns = 256 TSC ticks */
    wr_at(LAPIC_TIMER_ICR, 10, 0);
    ck_assert_uint_eq(lapic_timer_next(&L), 2560);
    ck_assert_uint_eq(rd_at(LAPIC_TIMER_CCR, 256 * 3), 7);
    /* Changing the divider keeps the current count and counts on at the new rate. */
    wr_at(LAPIC_TIMER_DCR, 0xb, 256 * 3);    /* by 1: 2 TSC ticks per count */
    ck_assert_uint_eq(rd_at(LAPIC_TIMER_CCR, 256 * 3), 7);
    ck_assert_uint_eq(lapic_timer_next(&L), 256 * 3 + 14);
    lapic_update(&L, 256 * 3 + 14);
    ck_assert(irr(0x40));
}
END_TEST

START_TEST(timer_periodic)
{
    enable();
    wr(LAPIC_LVT_TIMER, (LVT_TIMER_PERIODIC << LVT_TIMER_MODE_SHIFT) | 0x41);
    wr(LAPIC_TIMER_DCR, 0xb);                /* by 1: one count per 2 TSC ticks */
    wr_at(LAPIC_TIMER_ICR, 100, 0);          /* period 200 TSC ticks */
    lapic_update(&L, 200);
    ck_assert(irr(0x41));
    ck_assert_uint_eq(rd_at(LAPIC_TIMER_CCR, 200), 100);   /* reloaded */
    ck_assert_uint_eq(rd_at(LAPIC_TIMER_CCR, 300), 50);
    ck_assert_int_eq(lapic_ack(&L), 0x41);
    wr(LAPIC_EOI, 0);
    ck_assert_uint_eq(lapic_timer_next(&L), 400);
    /* Three periods go by without an update: one interrupt, two lost. */
    lapic_update(&L, 1000);
    ck_assert(irr(0x41));
    ck_assert_uint_eq(L.stats.timer_fires, 2);
    ck_assert_uint_eq(L.stats.timer_lost, 3);
    /* Vector already requested: the next expiry is not worth an exit. */
    ck_assert_uint_eq(lapic_timer_next(&L), UINT64_MAX);
    ck_assert_int_eq(lapic_ack(&L), 0x41);
    wr(LAPIC_EOI, 0);
    ck_assert_uint_eq(lapic_timer_next(&L), 1200);
    /* Initial count 0 stops it. */
    wr_at(LAPIC_TIMER_ICR, 0, 1100);
    lapic_update(&L, 5000);
    ck_assert(!irr(0x41));
    ck_assert_uint_eq(rd_at(LAPIC_TIMER_CCR, 5000), 0);
}
END_TEST

START_TEST(timer_masked_counts_on)
{
    enable();
    wr(LAPIC_LVT_TIMER, LVT_MASKED | 0x40);
    wr(LAPIC_TIMER_DCR, 0xb);
    wr_at(LAPIC_TIMER_ICR, 100, 0);
    ck_assert_uint_eq(lapic_timer_next(&L), UINT64_MAX);
    ck_assert_uint_eq(rd_at(LAPIC_TIMER_CCR, 100), 50);
    lapic_update(&L, 200);
    ck_assert(!irr(0x40));
    ck_assert_uint_eq(L.stats.timer_masked, 1);
}
END_TEST

START_TEST(timer_tsc_deadline)
{
    enable();
    lapic_set_tsc_deadline(&L, 5000, 0);        /* one-shot mode: ignored */
    ck_assert_uint_eq(lapic_tsc_deadline(&L), 0);
    wr(LAPIC_LVT_TIMER, (LVT_TIMER_DEADLINE << LVT_TIMER_MODE_SHIFT) | 0x42);
    wr_at(LAPIC_TIMER_ICR, 1000, 0);            /* ignored in deadline mode */
    ck_assert_uint_eq(rd(LAPIC_TIMER_CCR), 0);
    lapic_set_tsc_deadline(&L, 5000, 100);
    ck_assert_uint_eq(lapic_tsc_deadline(&L), 5000);
    ck_assert_uint_eq(lapic_timer_next(&L), 5000);
    lapic_update(&L, 4999);
    ck_assert(!irr(0x42));
    lapic_update(&L, 5000);
    ck_assert(irr(0x42));
    ck_assert_uint_eq(lapic_tsc_deadline(&L), 0);
    ck_assert_int_eq(lapic_ack(&L), 0x42);
    /* A deadline in the past fires at once. */
    lapic_set_tsc_deadline(&L, 10, 6000);
    ck_assert(irr(0x42));
    /* Leaving deadline mode disarms. */
    lapic_set_tsc_deadline(&L, 9000, 6000);
    wr_at(LAPIC_LVT_TIMER, 0x42, 6000);
    ck_assert_uint_eq(L.tsc_deadline, 0);
    ck_assert_uint_eq(lapic_timer_next(&L), UINT64_MAX);
}
END_TEST

START_TEST(apic_base_msr)
{
    enable();
    ck_assert_int_eq(lapic_set_base(&L, 0xfee00000u | APIC_BASE_ENABLE | APIC_BASE_EXTD), LAPIC_BASE_GP);
    ck_assert_int_eq(lapic_set_base(&L, 0xfee00000u | APIC_BASE_ENABLE | 1), LAPIC_BASE_GP);
    ck_assert_int_eq(lapic_set_base(&L, 0xfed00000u | APIC_BASE_ENABLE), LAPIC_BASE_MOVED);
    ck_assert_uint_eq(L.apic_base, 0xfee00000u | APIC_BASE_BSP | APIC_BASE_ENABLE);
    wr(LAPIC_TPR, 0x20);
    ck_assert_int_eq(lapic_set_base(&L, 0xfee00000u), LAPIC_BASE_OK);     /* global disable */
    ck_assert(!lapic_enabled(&L));
    ck_assert(lapic_extint_passes(&L));
    struct apic_msg m = { .vector = 0x50, .mode = APIC_DM_FIXED };
    ck_assert(!lapic_receive(&L, &m));
    ck_assert_int_eq(lapic_set_base(&L, 0xfee00000u | APIC_BASE_ENABLE), LAPIC_BASE_OK);
    ck_assert_uint_eq(rd(LAPIC_TPR), 0);        /* power-up state again */
    ck_assert_uint_eq(rd(LAPIC_SVR), 0xff);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("lapic");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, 0);
    tcase_add_test(tc, reset_state);
    tcase_add_test(tc, register_masks);
    tcase_add_test(tc, bad_accesses_read_zero);
    tcase_add_test(tc, esr_write_then_read);
    tcase_add_test(tc, error_lvt_interrupt);
    tcase_add_test(tc, sw_disable_masks_lvt);
    tcase_add_test(tc, ppr_and_tpr);
    tcase_add_test(tc, eoi_clears_highest_isr);
    tcase_add_test(tc, self_ipi);
    tcase_add_test(tc, logical_destinations);
    tcase_add_test(tc, receive_messages);
    tcase_add_test(tc, divide_values);
    tcase_add_test(tc, timer_oneshot);
    tcase_add_test(tc, timer_divide_128);
    tcase_add_test(tc, timer_periodic);
    tcase_add_test(tc, timer_masked_counts_on);
    tcase_add_test(tc, timer_tsc_deadline);
    tcase_add_test(tc, apic_base_msr);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
