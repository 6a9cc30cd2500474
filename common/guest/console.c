/**
 * @file console.c
 * @brief guest_putc()/guest_printf() over COM1, polling the line status.
 */
#include "guest/console.h"

#include "guest/cpu.h"
#include "spectrum/fmt.h"

/* PC16550D data sheet, Table II: THR at base+0, LSR at base+5; LSR bit 5
 * (THRE) says the transmit holding register can take a byte. */
#define COM1_BASE 0x3F8
#define COM1_LSR  (COM1_BASE + 5)
#define LSR_THRE  0x20

/* A UART that never becomes ready must not hang the guest for ever: after
 * this many polls the byte is sent anyway (a real 16550 at 115200 baud
 * drains a byte in ~87 us, a few hundred polls). */
#define GUEST_UART_POLLS 100000

void guest_putc(char c)
{
    for (unsigned i = 0; i < GUEST_UART_POLLS; i++)
        if (guest_inb(COM1_LSR) & LSR_THRE)
            break;
    guest_outb(COM1_BASE, (uint8_t)c);
}

void guest_puts(const char *s)
{
    while (*s)
        guest_putc(*s++);
}

static void sink(void *ctx, char c)
{
    (void)ctx;
    guest_putc(c);
}

int guest_vprintf(const char *fmt, va_list ap)
{
    return fmt_vformat(sink, 0, fmt, ap);
}

int guest_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = guest_vprintf(fmt, ap);
    va_end(ap);
    return n;
}
