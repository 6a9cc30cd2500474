/**
 * @file console.c
 * @brief Polling driver for the host's COM1 8250/16550 UART, plus a mirror
 *        to the 0xE9 debug port (Bochs "port_e9_hack", QEMU "-debugcon").
 *
 * Register layout and bits: National Semiconductor PC16550D data sheet,
 * Table II.  We poll (no interrupts): the console must work before the IDT
 * exists and while a VM exit is being handled.
 */
#include "spectrum/console.h"

#include <stdbool.h>
#include <stdint.h>

#include "spectrum/fmt.h"
#include "spectrum/x86.h"

#define COM1        0x3F8
#define UART_THR    0   /* transmit holding register (DLAB=0) */
#define UART_DLL    0   /* divisor latch low (DLAB=1) */
#define UART_IER    1   /* interrupt enable (DLAB=0) */
#define UART_DLM    1   /* divisor latch high (DLAB=1) */
#define UART_FCR    2   /* FIFO control */
#define UART_LCR    3   /* line control */
#define UART_MCR    4   /* modem control */
#define UART_LSR    5   /* line status */
#define LSR_THRE    0x20 /* THR empty: we may write the next byte */
#define LSR_TEMT    0x40 /* transmitter empty: every byte is on the wire */
#define DEBUG_PORT  0xE9

/* Bounded polling: a UART that never becomes ready (no UART at all reads
 * 0xFF, which looks "ready"; a wedged one might not) must not hang us. */
#define UART_SPIN_LIMIT 1000000

static bool console_ready;

void console_init(void)
{
    outb(COM1 + UART_IER, 0x00);   /* no interrupts: we poll */
    outb(COM1 + UART_LCR, 0x80);   /* DLAB=1 to reach the divisor */
    outb(COM1 + UART_DLL, 0x01);   /* 115200 / 1 = 115200 baud */
    outb(COM1 + UART_DLM, 0x00);
    outb(COM1 + UART_LCR, 0x03);   /* DLAB=0, 8 data bits, no parity, 1 stop */
    outb(COM1 + UART_FCR, 0x07);   /* enable and clear both FIFOs */
    outb(COM1 + UART_MCR, 0x03);   /* DTR + RTS */
    console_ready = true;
}

static void uart_putc(char c)
{
    for (int i = 0; i < UART_SPIN_LIMIT; i++) {
        if (inb(COM1 + UART_LSR) & LSR_THRE)
            break;
        cpu_pause();
    }
    outb(COM1 + UART_THR, (uint8_t)c);
}

void console_putc(char c)
{
    if (!console_ready)
        console_init();
    if (c == '\n')
        uart_putc('\r');
    uart_putc(c);
    outb(DEBUG_PORT, (uint8_t)c);
}

void console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        console_putc(s[i]);
}

void console_drain(void)
{
    for (int i = 0; i < UART_SPIN_LIMIT; i++) {
        if (inb(COM1 + UART_LSR) & LSR_TEMT)
            return;
        cpu_pause();
    }
}

static void console_sink(void *ctx, char c)
{
    (void)ctx;
    console_putc(c);
}

int kvprintf(const char *fmt, va_list ap)
{
    return fmt_vformat(console_sink, 0, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}
