/**
 * @file uart8250.c
 * @brief An emulated 8250/16550 UART at COM1 (ports 0x3F8-0x3FF).
 *
 * Enough of the chip for a guest that polls: the transmitter is always
 * ready (LSR.THRE and LSR.TEMT set), written bytes appear on Spectrum's
 * console one line at a time as "[guest-name] text", the divisor latch and
 * scratch/control registers read back what was written, and the receiver
 * never has data.  Register map: PC16550D data sheet, Table II.
 * A later lesson may add the rest of the chip through the extension point
 * in uart8250.h (lesson 03: receiver, FIFO, interrupts); none is
 * registered in stages 01 and 02.
 */
#include "io/portbus.h"
#include "spectrum/console.h"
#include "spectrum/exercise.h"
#include "vdev/uart8250.h"
#include "vm/vm.h"

#define UART_BASE 0x3F8
#define LSR_THRE  0x20
#define LSR_TEMT  0x40
#define LINE_MAX  120

/** Per-VM UART state. */
struct uart_state {
    uint8_t ier, lcr, mcr, scr, dll, dlm;
    uint16_t len;                /**< bytes in @c line */
    char line[LINE_MAX + 1];     /**< output not yet printed */
    uint64_t bytes;              /**< bytes the guest transmitted */
    /** Extension point: a later lesson's state (uart8250.h), unused before. */
    _Alignas(8) uint8_t ext[UART8250_EXT_STATE];
};

/* Extension point: the later lesson's UART additions, NULL in stages 01
 * and 02 (uart8250.h). */
static const struct uart8250_ext *uart_ext(void)
{
    return TABLE_COUNT(spectrum_uart8250_ext) ? &__start_spectrum_uart8250_ext[0] : 0;
}

static void flush(struct vm *vm, struct uart_state *u)
{
    u->line[u->len] = '\0';
    kprintf("[%s] %s\n", vm->name, u->line);
    u->len = 0;
}

static void uart_write(struct vm *vm, void *st, uint16_t port, unsigned size, uint32_t value)
{
    struct uart_state *u = st;
    uint8_t v = (uint8_t)value;
    (void)size;
    bool dlab = u->lcr & 0x80;   /* divisor latch access bit */
    switch (port - UART_BASE) {
    case 0:
        if (dlab) {
            u->dll = v;
            break;
        }
        /* EXERCISE 01.uart-tx 5 "The transmit path: a byte written to THR (port 0x3F8, DLAB = 0) goes into the line buffer, shown as [vm] text at a newline or a full line; non-printable bytes become a dot (PC16550D data sheet, Table II)" */
        u->bytes++;
        if (v == '\n') {
            flush(vm, u);
        } else if (v != '\r') {
            /* Non-printable bytes are shown as '.', so a guest cannot send
             * escape sequences to the host's terminal. */
            u->line[u->len++] = (v >= 0x20 && v < 0x7f) ? (char)v : '.';
            if (u->len == LINE_MAX)
                flush(vm, u);
        }
        /* STUB
        EXERCISE_TODO();
        vm_stop(vm, false, "the guest sent a byte to the UART, which cannot transmit yet");
        STUB END */
        /* END EXERCISE 01.uart-tx */
        break;
    case 1: if (dlab) u->dlm = v; else u->ier = v & 0x0f; break;
    case 3: u->lcr = v; break;
    case 4: u->mcr = v & 0x1f; break;
    case 7: u->scr = v; break;
    default: break;              /* FCR and read-only registers */
    }
    const struct uart8250_ext *x = uart_ext();   /* extension point, NULL before lesson 03 */
    if (x && x->write)
        x->write(vm, u->ext, (unsigned)(port - UART_BASE), dlab, v);
}

static uint8_t uart_read_regs(struct uart_state *u, uint16_t port);

static uint32_t uart_read(struct vm *vm, void *st, uint16_t port, unsigned size)
{
    struct uart_state *u = st;
    (void)size;
    uint8_t v = uart_read_regs(u, port);
    const struct uart8250_ext *x = uart_ext();   /* extension point, NULL before lesson 03 */
    if (x && x->read)
        v = x->read(vm, u->ext, (unsigned)(port - UART_BASE), u->lcr & 0x80, v);
    return v;
}

static uint8_t uart_read_regs(struct uart_state *u, uint16_t port)
{
    bool dlab = u->lcr & 0x80;
    switch (port - UART_BASE) {
    case 0: return dlab ? u->dll : 0;      /* RBR: nothing received */
    case 1: return dlab ? u->dlm : u->ier;
    case 2: return 0x01;                   /* IIR: no interrupt pending */
    case 3: return u->lcr;
    case 4: return u->mcr;
    case 5: return LSR_THRE | LSR_TEMT;    /* always ready to send */
    case 6: return 0xb0;                   /* MSR: DCD, DSR, CTS */
    case 7: return u->scr;
    default: return 0xff;
    }
}

REGISTER_PORT_DEVICE(uart8250, {
    .name = "uart8250",
    .base = UART_BASE,
    .count = 8,
    .state_size = sizeof(struct uart_state),
    .read = uart_read,
    .write = uart_write,
});

void *uart8250_ext_state(struct vm *vm)
{
    struct uart_state *u = portbus_state(vm, "uart8250");
    return u ? u->ext : 0;
}

void uart8250_flush(struct vm *vm)
{
    struct uart_state *u = portbus_state(vm, "uart8250");
    if (u && u->len)
        flush(vm, u);
}
