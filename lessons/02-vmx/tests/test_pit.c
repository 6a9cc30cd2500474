/**
 * @file test_pit.c
 * @brief Unit tests of the 8254 logic (vdev/pit8254.c), hosted, with the
 *        Check framework.  Time is the simulated PIT clock passed to each
 *        call, so every expected value follows from the data sheet's mode
 *        descriptions.
 */
#include <check.h>
#include <stdlib.h>

#include "vdev/pit8254.h"

/* Control words ("Control Word Format"): SC | RW | M | BCD. */
#define CW(ch, rw, mode, bcd) (uint8_t)(((ch) << 6) | ((rw) << 4) | ((mode) << 1) | (bcd))

static void program(struct pit8254 *p, unsigned ch, unsigned mode, uint16_t count, uint64_t now)
{
    pit_write(p, 3, CW(ch, 3, mode, 0), now);
    pit_write(p, ch, (uint8_t)count, now);
    pit_write(p, ch, (uint8_t)(count >> 8), now);
}

static uint16_t read_word(struct pit8254 *p, unsigned ch, uint64_t now)
{
    uint16_t lo = pit_read(p, ch, now);
    uint16_t hi = pit_read(p, ch, now);
    return (uint16_t)(lo | hi << 8);
}

START_TEST(rate_generator_edges)
{
    struct pit8254 p;
    pit_reset(&p, 0);
    program(&p, 0, 2, 1193, 100);               /* ~1 kHz from clock 100 */
    ck_assert_uint_eq(pit_next_edge(&p, 0), 100 + 1193);
    ck_assert_uint_eq(pit_take_edges(&p, 0, 100 + 1192), 0);
    ck_assert(pit_out(&p, 0, 100 + 1192) == false);  /* the one-clock low pulse */
    ck_assert(pit_out(&p, 0, 100 + 1193) == true);
    ck_assert_uint_eq(pit_take_edges(&p, 0, 100 + 1193), 1);
    ck_assert_uint_eq(pit_take_edges(&p, 0, 100 + 1193), 0); /* consumed */
    ck_assert_uint_eq(pit_take_edges(&p, 0, 100 + 5 * 1193 + 10), 4);
    ck_assert_uint_eq(pit_next_edge(&p, 0), 100 + 6 * 1193);
}
END_TEST

START_TEST(rate_generator_counter)
{
    struct pit8254 p;
    pit_reset(&p, 0);
    program(&p, 0, 2, 1000, 0);
    ck_assert_uint_eq(read_word(&p, 0, 0), 1000);
    ck_assert_uint_eq(read_word(&p, 0, 250), 750);
    ck_assert_uint_eq(read_word(&p, 0, 2999), 1);
    ck_assert_uint_eq(read_word(&p, 0, 3000), 1000);   /* reloaded */
}
END_TEST

START_TEST(counter_latch)
{
    struct pit8254 p;
    pit_reset(&p, 0);
    program(&p, 0, 2, 5000, 0);
    pit_write(&p, 3, CW(0, 0, 0, 0), 1000);     /* latch channel 0 at 1000 */
    pit_write(&p, 3, CW(0, 0, 0, 0), 2000);     /* ignored: a latch is pending */
    ck_assert_uint_eq(read_word(&p, 0, 3000), 4000);
    ck_assert_uint_eq(read_word(&p, 0, 3000), 2000);   /* live again */
}
END_TEST

START_TEST(mode0_interrupt_on_terminal_count)
{
    struct pit8254 p;
    pit_reset(&p, 0);
    pit_write(&p, 3, CW(0, 3, 0, 0), 0);
    ck_assert(pit_out(&p, 0, 0) == false);      /* control word sets OUT low */
    pit_write(&p, 0, 0x10, 10);
    pit_write(&p, 0, 0x00, 10);                 /* count 16 from clock 10 */
    ck_assert(pit_out(&p, 0, 25) == false);
    ck_assert(pit_out(&p, 0, 26) == true);
    ck_assert_uint_eq(pit_take_edges(&p, 0, 1000000), 1);  /* once, not periodic */
    ck_assert_uint_eq(pit_next_edge(&p, 0), PIT_NEVER);
    ck_assert_uint_eq(read_word(&p, 0, 10 + 16 + 1), 0xffff); /* keeps counting, wrapped */
}
END_TEST

START_TEST(mode0_first_byte_stops_counting)
{
    struct pit8254 p;
    pit_reset(&p, 0);
    program(&p, 0, 0, 100, 0);
    pit_write(&p, 0, 50, 40);                   /* LSB of a new count */
    ck_assert(pit_out(&p, 0, 200) == false);
    ck_assert_uint_eq(pit_take_edges(&p, 0, 200), 0);
    pit_write(&p, 0, 0, 200);                   /* MSB: count 50 from 200 */
    ck_assert_uint_eq(pit_next_edge(&p, 0), 250);
}
END_TEST

START_TEST(square_wave)
{
    struct pit8254 p;
    pit_reset(&p, 0);
    program(&p, 0, 3, 100, 0);
    ck_assert(pit_out(&p, 0, 0) == true);
    ck_assert(pit_out(&p, 0, 49) == true);
    ck_assert(pit_out(&p, 0, 50) == false);
    ck_assert(pit_out(&p, 0, 99) == false);
    ck_assert(pit_out(&p, 0, 100) == true);
    ck_assert_uint_eq(read_word(&p, 0, 10), 80); /* counts down by two */
    ck_assert_uint_eq(read_word(&p, 0, 60), 80); /* second half: again from the top */
    ck_assert_uint_eq(pit_take_edges(&p, 0, 350), 3);
    /* Mode 7 is mode 3 ("Control Word Format": M2 is don't-care). */
    pit_write(&p, 3, CW(1, 3, 7, 0), 0);
    pit_write(&p, 3, 0xe4, 0);                  /* read-back status of channel 1 */
    ck_assert_uint_eq(pit_read(&p, 1, 0) & 0x0e, 3 << 1);
}
END_TEST

/* Mode 3 with an odd count N ("Mode 3", odd counts): OUT is high for
 * (N+1)/2 clocks and low for (N-1)/2, and the period stays N. */
START_TEST(square_wave_odd_count)
{
    static const uint16_t counts[] = { 3, 5, 7, 1001 };
    for (unsigned i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        struct pit8254 p;
        uint64_t n = counts[i], t0 = 1000;
        pit_reset(&p, 0);
        program(&p, 0, 3, counts[i], t0);
        for (uint64_t period = 0; period < 3; period++) {
            uint64_t start = t0 + period * n;
            for (uint64_t d = 0; d < n; d++) {
                bool high = d < (n + 1) / 2;
                ck_assert_msg(pit_out(&p, 0, start + d) == high, "count %u, clock %u of the period: OUT %s",
                              (unsigned)n, (unsigned)d, high ? "should be high" : "should be low");
            }
        }
        ck_assert_uint_eq(pit_take_edges(&p, 0, t0 + 3 * n), 3);
        ck_assert_uint_eq(pit_next_edge(&p, 0), t0 + 4 * n);
    }
    /* The same through the read-back status byte (OUT is D7): high on the
     * last clock of the longer half, low on the first of the shorter. */
    struct pit8254 p;
    pit_reset(&p, 0);
    program(&p, 0, 3, 5, 0);
    pit_write(&p, 3, 0xe2, 2);                  /* status of channel 0 at clock 2 */
    ck_assert_uint_eq(pit_read(&p, 0, 2) & 0x80, 0x80);
    pit_write(&p, 3, 0xe2, 3);
    ck_assert_uint_eq(pit_read(&p, 0, 3) & 0x80, 0x00);
}
END_TEST

START_TEST(read_back_status)
{
    struct pit8254 p;
    pit_reset(&p, 0);
    pit_write(&p, 3, CW(2, 3, 0, 0), 0);
    pit_write(&p, 3, 0xe8, 0);                  /* status only, channel 2 */
    /* OUT low, null count (no count written), RW=3, mode 0, binary. */
    ck_assert_uint_eq(pit_read(&p, 2, 0), 0x70);
    pit_set_gate(&p, 2, true, 0);
    pit_write(&p, 2, 10, 0);
    pit_write(&p, 2, 0, 0);
    pit_write(&p, 3, 0xc8, 20);                 /* count and status, channel 2 */
    ck_assert_uint_eq(pit_read(&p, 2, 30), 0xb0); /* OUT high, count loaded */
    ck_assert_uint_eq(read_word(&p, 2, 30), 0xfff6); /* latched at 20: 10 - 20 wrapped */
}
END_TEST

START_TEST(gate_controls_channel2_mode0)
{
    /* tsc.c's calibration sequence: gate off at reset, mode 0, gate on. */
    struct pit8254 p;
    pit_reset(&p, 0);
    program(&p, 2, 0, 1000, 5);
    ck_assert(pit_out(&p, 2, 5000) == false);   /* gate low: not counting */
    pit_set_gate(&p, 2, true, 5000);
    ck_assert(pit_out(&p, 2, 5999) == false);
    ck_assert(pit_out(&p, 2, 6000) == true);
    ck_assert_uint_eq(pit_take_edges(&p, 2, 7000), 1);
    /* Gate low in the middle freezes the count. */
    program(&p, 2, 0, 1000, 7000);
    pit_set_gate(&p, 2, false, 7400);
    ck_assert_uint_eq(read_word(&p, 2, 9000), 600);
    pit_set_gate(&p, 2, true, 9000);
    ck_assert_uint_eq(pit_next_edge(&p, 2), 9600);
}
END_TEST

START_TEST(gate_reloads_rate_generator)
{
    struct pit8254 p;
    pit_reset(&p, 0);
    pit_set_gate(&p, 2, true, 0);
    program(&p, 2, 2, 100, 0);
    pit_set_gate(&p, 2, false, 150);
    ck_assert(pit_out(&p, 2, 199) == true);     /* forced high while gated off */
    ck_assert_uint_eq(pit_take_edges(&p, 2, 1000), 1); /* the edge at 100 only */
    pit_set_gate(&p, 2, true, 1000);
    ck_assert_uint_eq(read_word(&p, 2, 1000), 100);
    ck_assert_uint_eq(pit_next_edge(&p, 2), 1100);
}
END_TEST

START_TEST(hardware_one_shot)
{
    struct pit8254 p;
    pit_reset(&p, 0);
    program(&p, 2, 1, 50, 0);
    ck_assert(pit_out(&p, 2, 10) == true);
    ck_assert_uint_eq(pit_take_edges(&p, 2, 10000), 0); /* waits for a trigger */
    pit_set_gate(&p, 2, true, 10000);
    ck_assert(pit_out(&p, 2, 10001) == false);
    ck_assert(pit_out(&p, 2, 10050) == true);
    ck_assert_uint_eq(pit_take_edges(&p, 2, 20000), 1);
}
END_TEST

START_TEST(software_strobe)
{
    struct pit8254 p;
    pit_reset(&p, 0);
    program(&p, 1, 4, 30, 0);
    ck_assert(pit_out(&p, 1, 29) == true);
    ck_assert(pit_out(&p, 1, 30) == false);
    ck_assert(pit_out(&p, 1, 31) == true);
    ck_assert_uint_eq(pit_next_edge(&p, 1), 31);
}
END_TEST

START_TEST(byte_access_modes)
{
    struct pit8254 p;
    pit_reset(&p, 0);
    pit_write(&p, 3, CW(1, 1, 2, 0), 0);        /* LSB only */
    pit_write(&p, 1, 200, 0);
    ck_assert_uint_eq(pit_read(&p, 1, 50), 150);
    ck_assert_uint_eq(pit_read(&p, 1, 50), 150); /* no toggling */
    pit_write(&p, 3, CW(1, 2, 2, 0), 0);        /* MSB only */
    pit_write(&p, 1, 0x02, 0);                  /* count 0x200 */
    ck_assert_uint_eq(pit_read(&p, 1, 0x100), 0x01);
}
END_TEST

START_TEST(zero_is_maximum)
{
    struct pit8254 p;
    pit_reset(&p, 0);
    program(&p, 0, 2, 0, 0);
    ck_assert_uint_eq(pit_next_edge(&p, 0), 65536);
    ck_assert_uint_eq(read_word(&p, 0, 1), 65535);
}
END_TEST

START_TEST(bcd_counting)
{
    struct pit8254 p;
    pit_reset(&p, 0);
    pit_write(&p, 3, CW(0, 3, 2, 1), 0);
    pit_write(&p, 0, 0x00, 0);
    pit_write(&p, 0, 0x10, 0);                  /* BCD 1000 */
    ck_assert_uint_eq(pit_next_edge(&p, 0), 1000);
    ck_assert_uint_eq(read_word(&p, 0, 1), 0x0999);
    pit_write(&p, 0, 0x00, 0);
    pit_write(&p, 0, 0x00, 0);                  /* BCD 0 = 10000 */
    ck_assert_uint_eq(pit_next_edge(&p, 0), 10000);
}
END_TEST

START_TEST(reprogramming_keeps_past_edges)
{
    struct pit8254 p;
    pit_reset(&p, 0);
    program(&p, 0, 2, 100, 0);
    program(&p, 0, 2, 1000, 350);               /* 3 edges happened before this */
    ck_assert_uint_eq(pit_next_edge(&p, 0), 0);  /* some are waiting */
    ck_assert_uint_eq(pit_take_edges(&p, 0, 400), 3);
    ck_assert_uint_eq(pit_next_edge(&p, 0), 1350);
}
END_TEST

START_TEST(control_register_reads_ff)
{
    struct pit8254 p;
    pit_reset(&p, 0);
    ck_assert_uint_eq(pit_read(&p, 3, 0), 0xff);
    ck_assert_uint_eq(pit_read(&p, 7, 0), 0xff);
    pit_write(&p, 9, 0x12, 0);                  /* ignored */
    ck_assert_uint_eq(pit_take_edges(&p, 5, 100), 0);
}
END_TEST

START_TEST(gate_square_wave_channel2)
{
    /* Lesson 03: port 61H's gate (bit 0) and OUT2 (bit 5) in mode 3, the
     * PC speaker's mode ("Mode 3": a low gate forces OUT high at once,
     * a rising gate reloads the count). */
    struct pit8254 p;
    pit_reset(&p, 0);
    program(&p, 2, 3, 100, 0);                  /* loaded while the gate is low */
    ck_assert(pit_out(&p, 2, 10) == true);
    ck_assert_uint_eq(pit_take_edges(&p, 2, 1000), 0);   /* not counting */
    pit_set_gate(&p, 2, true, 1000);
    ck_assert(pit_out(&p, 2, 1049) == true);    /* high for N/2 ... */
    ck_assert(pit_out(&p, 2, 1050) == false);   /* ... low for N/2 */
    ck_assert(pit_out(&p, 2, 1100) == true);
    pit_set_gate(&p, 2, false, 1160);           /* in the low half */
    ck_assert(pit_out(&p, 2, 1160) == true);    /* forced high at once */
    ck_assert_uint_eq(pit_take_edges(&p, 2, 5000), 1); /* the edge at 1100 only */
    pit_set_gate(&p, 2, true, 5000);
    ck_assert(pit_out(&p, 2, 5050) == false);
    ck_assert_uint_eq(pit_next_edge(&p, 2), 5100);
}
END_TEST

START_TEST(rate_generator_loaded_with_gate_low)
{
    struct pit8254 p;
    pit_reset(&p, 0);
    program(&p, 2, 2, 50, 0);
    ck_assert(pit_out(&p, 2, 49) == true);      /* "Mode 2": OUT high, the count held */
    ck_assert_uint_eq(read_word(&p, 2, 500), 50);
    ck_assert_uint_eq(pit_next_edge(&p, 2), PIT_NEVER);
    pit_set_gate(&p, 2, true, 500);
    ck_assert(pit_out(&p, 2, 549) == false);    /* the one-clock low pulse */
    ck_assert_uint_eq(pit_take_edges(&p, 2, 600), 2);
}
END_TEST

static Suite *pit_suite(void)
{
    Suite *s = suite_create("pit8254");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, rate_generator_edges);
    tcase_add_test(tc, rate_generator_counter);
    tcase_add_test(tc, counter_latch);
    tcase_add_test(tc, mode0_interrupt_on_terminal_count);
    tcase_add_test(tc, mode0_first_byte_stops_counting);
    tcase_add_test(tc, square_wave);
    tcase_add_test(tc, square_wave_odd_count);
    tcase_add_test(tc, read_back_status);
    tcase_add_test(tc, gate_controls_channel2_mode0);
    tcase_add_test(tc, gate_reloads_rate_generator);
    tcase_add_test(tc, hardware_one_shot);
    tcase_add_test(tc, software_strobe);
    tcase_add_test(tc, byte_access_modes);
    tcase_add_test(tc, zero_is_maximum);
    tcase_add_test(tc, bcd_counting);
    tcase_add_test(tc, reprogramming_keeps_past_edges);
    tcase_add_test(tc, control_register_reads_ff);
    tcase_add_test(tc, gate_square_wave_channel2);
    tcase_add_test(tc, rate_generator_loaded_with_gate_low);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pit_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
