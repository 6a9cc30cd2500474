/**
 * @file test_uart.c
 * @brief Unit tests of the 16550A model (vdev/uart16550.c) and of the
 *        escapes of guest_input_text= (vdev/guest_input_text.c), hosted,
 *        with the Check framework.  Registers are driven as a guest would
 *        (a read passes the value lesson 01's UART gave, as com1.c does).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "vdev/guest_input.h"
#include "vdev/uart16550.h"

/* What lesson 01 answers for LSR and MSR (vdev/uart8250.c). */
#define L01_LSR (UART_LSR_THRE | UART_LSR_TEMT)
#define L01_MSR 0xb0

static uint8_t rd(struct uart16550 *u, unsigned reg)
{
    uint8_t base = reg == UART_REG_LSR ? L01_LSR : reg == UART_REG_MSR ? L01_MSR : reg == UART_REG_IIR ? 0x01 : 0;
    return uart16550_read(u, reg, false, base);
}

static void thr_write(struct uart16550 *u, uint8_t b)
{
    uart16550_write(u, UART_REG_THR, false, b);
    uart16550_transmit_done(u, b);
}

START_TEST(reset_is_quiet)
{
    struct uart16550 u;
    uart16550_reset(&u);
    ck_assert_uint_eq(rd(&u, UART_REG_IIR), UART_IIR_NO_INT);
    ck_assert_uint_eq(rd(&u, UART_REG_LSR), L01_LSR);        /* no data */
    ck_assert(!uart16550_irq_line(&u));
    ck_assert_uint_eq(uart16550_rx_room(&u), 1);             /* 16450 mode: RBR only */
}
END_TEST

START_TEST(receive_without_fifo)
{
    struct uart16550 u;
    uart16550_reset(&u);
    ck_assert(uart16550_receive(&u, 'a'));
    ck_assert_uint_eq(rd(&u, UART_REG_LSR), L01_LSR | UART_LSR_DR);
    /* A second byte before RBR is read overruns and replaces it. */
    ck_assert(!uart16550_receive(&u, 'b'));
    ck_assert_uint_eq(rd(&u, UART_REG_LSR), L01_LSR | UART_LSR_DR | UART_LSR_OE);
    ck_assert_uint_eq(rd(&u, UART_REG_LSR), L01_LSR | UART_LSR_DR);  /* OE clears on read */
    ck_assert_uint_eq(rd(&u, UART_REG_RBR), 'b');
    ck_assert_uint_eq(rd(&u, UART_REG_LSR), L01_LSR);
    ck_assert_uint_eq(u.overruns, 1);
}
END_TEST

START_TEST(fifo_overrun_keeps_fifo)
{
    struct uart16550 u;
    uart16550_reset(&u);
    uart16550_write(&u, UART_REG_FCR, false, UART_FCR_ENABLE);
    ck_assert_uint_eq(uart16550_rx_room(&u), UART_FIFO_SIZE);
    for (int i = 0; i < UART_FIFO_SIZE; i++)
        ck_assert(uart16550_receive(&u, (uint8_t)('A' + i)));
    ck_assert(!uart16550_receive(&u, '!'));                 /* the 17th is lost */
    ck_assert_uint_eq(rd(&u, UART_REG_LSR) & UART_LSR_OE, UART_LSR_OE);
    for (int i = 0; i < UART_FIFO_SIZE; i++)
        ck_assert_uint_eq(rd(&u, UART_REG_RBR), 'A' + i);
    ck_assert_uint_eq(rd(&u, UART_REG_LSR) & UART_LSR_DR, 0);
    ck_assert_uint_eq(rd(&u, UART_REG_RBR), 0);              /* empty */
    /* The ring wraps. */
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 10; i++)
            uart16550_receive(&u, (uint8_t)i);
        for (int i = 0; i < 10; i++)
            ck_assert_uint_eq(rd(&u, UART_REG_RBR), i);
    }
}
END_TEST

START_TEST(iir_priorities)
{
    struct uart16550 u;
    uart16550_reset(&u);
    uart16550_write(&u, UART_REG_IER, false, UART_IER_ERBFI | UART_IER_ETBEI | UART_IER_ELSI);
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_THRE);     /* THR is empty */
    uart16550_receive(&u, 'x');
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_RDA);      /* data beats THRE */
    uart16550_receive(&u, 'y');                              /* overrun */
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_RLS);      /* line status beats data */
    rd(&u, UART_REG_LSR);                                    /* clears OE */
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_RDA);
    rd(&u, UART_REG_RBR);
    ck_assert_uint_eq(rd(&u, UART_REG_IIR), UART_IIR_THRE);  /* reading IIR clears THRE ... */
    ck_assert_uint_eq(rd(&u, UART_REG_IIR), UART_IIR_NO_INT);
    /* ... but only when THRE is what it reported. */
    thr_write(&u, 'z');
    uart16550_receive(&u, 'w');
    ck_assert_uint_eq(rd(&u, UART_REG_IIR), UART_IIR_RDA);
    rd(&u, UART_REG_RBR);
    ck_assert_uint_eq(rd(&u, UART_REG_IIR), UART_IIR_THRE);
}
END_TEST

START_TEST(disabled_sources_not_reported)
{
    struct uart16550 u;
    uart16550_reset(&u);
    uart16550_receive(&u, 'x');
    uart16550_receive(&u, 'y');
    thr_write(&u, 'z');
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_NO_INT);   /* IER = 0 */
    uart16550_write(&u, UART_REG_IER, false, UART_IER_ETBEI);
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_THRE);
    uart16550_write(&u, UART_REG_IER, true, 0);              /* DLAB = 1: that is DLM, not IER */
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_THRE);
    ck_assert_uint_eq(u.ier, UART_IER_ETBEI);
}
END_TEST

START_TEST(thre_interrupt_rules)
{
    struct uart16550 u;
    uart16550_reset(&u);
    /* Enabling ETBEI with THR empty interrupts at once (Linux's THRE test). */
    uart16550_write(&u, UART_REG_IER, false, UART_IER_ETBEI);
    ck_assert_uint_eq(rd(&u, UART_REG_IIR), UART_IIR_THRE);
    ck_assert_uint_eq(rd(&u, UART_REG_IIR), UART_IIR_NO_INT);
    uart16550_write(&u, UART_REG_IER, false, 0);
    uart16550_write(&u, UART_REG_IER, false, UART_IER_ETBEI);
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_THRE);
    /* A THR write clears it; the byte leaves and it is set again. */
    uart16550_write(&u, UART_REG_THR, false, 'a');
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_NO_INT);
    uart16550_transmit_done(&u, 'a');
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_THRE);
    /* Re-writing IER with ETBEI already set does not re-arm a cleared THRE. */
    rd(&u, UART_REG_IIR);
    uart16550_write(&u, UART_REG_IER, false, UART_IER_ETBEI);
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_NO_INT);
    /* DLAB = 1: offset 0 is the divisor latch, not THR. */
    uart16550_write(&u, UART_REG_THR, true, 0x01);
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_NO_INT);
}
END_TEST

START_TEST(fifo_trigger_and_timeout)
{
    struct uart16550 u;
    uart16550_reset(&u);
    uart16550_write(&u, UART_REG_IER, false, UART_IER_ERBFI);
    uart16550_write(&u, UART_REG_FCR, false, UART_FCR_ENABLE | 0x80);   /* trigger at 8 bytes */
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_FIFO | UART_IIR_NO_INT);
    for (int i = 0; i < 7; i++)
        uart16550_receive(&u, 'a');
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_FIFO | UART_IIR_CTI); /* below the trigger */
    uart16550_receive(&u, 'a');
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_FIFO | UART_IIR_RDA); /* at the trigger */
    rd(&u, UART_REG_RBR);
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_FIFO | UART_IIR_CTI);
    /* FCR bit 1 empties the receiver FIFO. */
    uart16550_write(&u, UART_REG_FCR, false, UART_FCR_ENABLE | UART_FCR_CLEAR_RX | 0x80);
    ck_assert_uint_eq(rd(&u, UART_REG_LSR) & UART_LSR_DR, 0);
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_FIFO | UART_IIR_NO_INT);
    /* FCR bits are ignored without bit 0, which also leaves FIFO mode (emptying it). */
    uart16550_receive(&u, 'q');
    uart16550_write(&u, UART_REG_FCR, false, 0xc0);
    ck_assert_uint_eq(u.fcr, 0);
    ck_assert_uint_eq(rd(&u, UART_REG_LSR) & UART_LSR_DR, 0);
    ck_assert_uint_eq(uart16550_iir(&u), UART_IIR_NO_INT);   /* bits 7-6 clear again */
}
END_TEST

START_TEST(out2_gates_the_irq_line)
{
    struct uart16550 u;
    uart16550_reset(&u);
    uart16550_write(&u, UART_REG_IER, false, UART_IER_ERBFI);
    uart16550_receive(&u, 'k');
    ck_assert(!uart16550_irq_line(&u));                      /* pending, but OUT2 = 0 */
    uart16550_write(&u, UART_REG_MCR, false, UART_MCR_OUT2 | UART_MCR_DTR | UART_MCR_RTS);
    ck_assert(uart16550_irq_line(&u));
    rd(&u, UART_REG_RBR);
    ck_assert(!uart16550_irq_line(&u));                      /* level: follows "pending" */
    uart16550_receive(&u, 'k');
    ck_assert(uart16550_irq_line(&u));
    uart16550_write(&u, UART_REG_MCR, false, UART_MCR_OUT2 | UART_MCR_LOOP);
    ck_assert(!uart16550_irq_line(&u));                      /* loopback holds OUT2 inactive */
}
END_TEST

START_TEST(loopback)
{
    struct uart16550 u;
    uart16550_reset(&u);
    uart16550_write(&u, UART_REG_MCR, false, UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_OUT2);
    ck_assert_uint_eq(rd(&u, UART_REG_MSR), 0x90);            /* CTS and DCD, as Linux's probe expects */
    uart16550_write(&u, UART_REG_MCR, false, UART_MCR_LOOP | UART_MCR_DTR | UART_MCR_OUT1);
    ck_assert_uint_eq(rd(&u, UART_REG_MSR), 0x60);            /* DSR and RI */
    thr_write(&u, 0x5a);
    ck_assert_uint_eq(rd(&u, UART_REG_RBR), 0x5a);
    uart16550_write(&u, UART_REG_MCR, false, 0);
    ck_assert_uint_eq(rd(&u, UART_REG_MSR), L01_MSR);
}
END_TEST

START_TEST(dlab_reads_pass_through)
{
    struct uart16550 u;
    uart16550_reset(&u);
    uart16550_receive(&u, 'r');
    ck_assert_uint_eq(uart16550_read(&u, UART_REG_RBR, true, 0x0c), 0x0c);   /* DLL, nothing popped */
    ck_assert_uint_eq(uart16550_read(&u, UART_REG_IER, true, 0x00), 0x00);   /* DLM */
    ck_assert_uint_eq(rd(&u, UART_REG_RBR), 'r');
    ck_assert_uint_eq(uart16550_read(&u, 3, false, 0x83), 0x83);             /* LCR */
    ck_assert_uint_eq(uart16550_read(&u, 7, false, 0x42), 0x42);             /* scratch */
}
END_TEST

static size_t decode_all(const char *s, uint8_t *out, size_t max)
{
    size_t pos = 0, n = 0, k;
    uint8_t b;
    while (n < max && (k = guest_input_unescape(s, pos, &b)) != 0) {
        pos += k;
        out[n++] = b;
    }
    return n;
}

START_TEST(text_escapes)
{
    uint8_t out[32];
    size_t n = decode_all("ls -l\\n", out, sizeof out);
    ck_assert_uint_eq(n, 6);
    ck_assert_int_eq(memcmp(out, "ls -l\n", 6), 0);
    n = decode_all("\\r\\t\\e\\\\\\x41\\x7\\xg\\q", out, sizeof out);
    const uint8_t want[] = { '\r', '\t', 0x1b, '\\', 'A', 7, 'x', 'g', 'q' };
    ck_assert_uint_eq(n, sizeof want);
    ck_assert_int_eq(memcmp(out, want, sizeof want), 0);
    n = decode_all("end\\", out, sizeof out);                /* a final lone backslash */
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(out[3], '\\');
    ck_assert_uint_eq(decode_all("", out, sizeof out), 0);
}
END_TEST

static Suite *uart_suite(void)
{
    Suite *s = suite_create("uart16550");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, reset_is_quiet);
    tcase_add_test(tc, receive_without_fifo);
    tcase_add_test(tc, fifo_overrun_keeps_fifo);
    tcase_add_test(tc, iir_priorities);
    tcase_add_test(tc, disabled_sources_not_reported);
    tcase_add_test(tc, thre_interrupt_rules);
    tcase_add_test(tc, fifo_trigger_and_timeout);
    tcase_add_test(tc, out2_gates_the_irq_line);
    tcase_add_test(tc, loopback);
    tcase_add_test(tc, dlab_reads_pass_through);
    tcase_add_test(tc, text_escapes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(uart_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
