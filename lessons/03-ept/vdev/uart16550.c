/**
 * @file uart16550.c
 * @brief The 16550A's receiver FIFO, line status, interrupt priorities
 *        and FIFO control (uart16550.h).
 *
 * Time does not exist here: a byte is received when the caller says so
 * and a transmitted byte is gone at once.  Two consequences:
 *  - the "character timeout" interrupt (FIFO mode, data below the trigger
 *    level and no activity for 4 character times) is reported as soon as
 *    the FIFO holds data below the trigger level: Spectrum hands over
 *    what it has in one go, so nothing more would arrive in those 4
 *    character times anyway;
 *  - the modem status inputs never change (lesson 01's MSR: CTS, DSR,
 *    DCD asserted), so the modem status interrupt never occurs; in
 *    loopback mode MSR shows MCR's outputs as the data sheet wires them.
 * Every input is a byte or a register number the caller masked to 0-7:
 * no guest value indexes anything but the FIFO, modulo its size.
 */
#include "vdev/uart16550.h"

#include "spectrum/exercise.h"

void uart16550_reset(struct uart16550 *u)
{
    *u = (struct uart16550){ 0 };
}

static bool fifo_mode(const struct uart16550 *u)
{
    return u->fcr & UART_FCR_ENABLE;
}

static unsigned capacity(const struct uart16550 *u)
{
    return fifo_mode(u) ? UART_FIFO_SIZE : 1;
}

/* Receiver trigger level, FCR bits 7-6 (data sheet 8.6). */
static unsigned trigger_level(const struct uart16550 *u)
{
    static const uint8_t level[4] = { 1, 4, 8, 14 };
    return level[(u->fcr & UART_FCR_TRIGGER) >> 6];
}

unsigned uart16550_rx_room(const struct uart16550 *u)
{
    return capacity(u) - u->count;
}

bool uart16550_receive(struct uart16550 *u, uint8_t byte)
{
    if (u->count >= capacity(u)) {
        u->lsr_errors |= UART_LSR_OE;
        u->overruns++;
        if (!fifo_mode(u))
            u->fifo[u->head] = byte;   /* 16450 mode: the new byte destroys the old one */
        return false;
    }
    u->fifo[(u->head + u->count) % UART_FIFO_SIZE] = byte;
    u->count++;
    u->rx_bytes++;
    return true;
}

static uint8_t pop(struct uart16550 *u)
{
    if (!u->count)
        return 0;                      /* nothing received: lesson 01's RBR value */
    uint8_t b = u->fifo[u->head];
    u->head = (uint8_t)((u->head + 1) % UART_FIFO_SIZE);
    u->count--;
    return b;
}

static void clear_rx(struct uart16550 *u)
{
    u->head = 0;
    u->count = 0;
}

uint8_t uart16550_iir(const struct uart16550 *u)
{
    uint8_t fifo = fifo_mode(u) ? UART_IIR_FIFO : 0;
    if (!(u->ier & UART_IER_MASK))
        return fifo | UART_IIR_NO_INT;   /* nothing enabled, nothing to identify */
    /* EXERCISE 03.uart-iir 10 "IIR reports the highest-priority enabled interrupt: line status (OE), then received data (at the FIFO trigger level; below it, in FIFO mode, the character timeout), then THR empty; bit 0 set if none, bits 7-6 set in FIFO mode (PC16550D data sheet, Table IV and FIFO Interrupt Mode Operation)" */
    if ((u->ier & UART_IER_ELSI) && u->lsr_errors)
        return fifo | UART_IIR_RLS;
    if ((u->ier & UART_IER_ERBFI) && u->count) {
        if (!fifo_mode(u) || u->count >= trigger_level(u))
            return fifo | UART_IIR_RDA;
        return fifo | UART_IIR_CTI;
    }
    if ((u->ier & UART_IER_ETBEI) && u->thre_pending)
        return fifo | UART_IIR_THRE;
    return fifo | UART_IIR_NO_INT;       /* modem status never changes (see above) */
    /* STUB
    EXERCISE_TODO();
    (void)trigger_level(u);            // the receiver FIFO's trigger level, for your solution
    return fifo | UART_IIR_NO_INT;
    STUB END */
    /* END EXERCISE 03.uart-iir */
}

bool uart16550_irq_line(const struct uart16550 *u)
{
    if (!(u->mcr & UART_MCR_OUT2) || (u->mcr & UART_MCR_LOOP))
        return false;
    return !(uart16550_iir(u) & UART_IIR_NO_INT);
}

/* MSR in loopback mode (data sheet 8.7): CTS = RTS, DSR = DTR, RI = OUT1,
 * DCD = OUT2; the delta bits stay 0. */
static uint8_t loopback_msr(const struct uart16550 *u)
{
    uint8_t m = u->mcr;
    return (uint8_t)((m & UART_MCR_RTS ? 0x10 : 0) | (m & UART_MCR_DTR ? 0x20 : 0) |
                     (m & UART_MCR_OUT1 ? 0x40 : 0) | (m & UART_MCR_OUT2 ? 0x80 : 0));
}

uint8_t uart16550_read(struct uart16550 *u, unsigned reg, bool dlab, uint8_t value)
{
    switch (reg) {
    case UART_REG_RBR:
        return dlab ? value : pop(u);
    case UART_REG_IIR: {
        uint8_t iir = uart16550_iir(u);
        if ((iir & (UART_IIR_ID | UART_IIR_NO_INT)) == UART_IIR_THRE)
            u->thre_pending = false;     /* "reading the IIR (if source of interrupt)" */
        return iir;
    }
    case UART_REG_LSR: {
        uint8_t lsr = (uint8_t)(value | u->lsr_errors | (u->count ? UART_LSR_DR : 0));
        u->lsr_errors = 0;
        return lsr;
    }
    case UART_REG_MSR:
        return u->mcr & UART_MCR_LOOP ? loopback_msr(u) : value;
    default:
        return value;                    /* IER, LCR, MCR, scratch, divisor latch: lesson 01's */
    }
}

static void write_fcr(struct uart16550 *u, uint8_t v)
{
    if (!(v & UART_FCR_ENABLE)) {
        if (fifo_mode(u))
            clear_rx(u);                 /* leaving FIFO mode empties the FIFOs */
        u->fcr = 0;
        return;
    }
    if (!fifo_mode(u))
        clear_rx(u);                     /* so does entering it */
    if (v & UART_FCR_CLEAR_RX)
        clear_rx(u);
    u->fcr = v & (UART_FCR_ENABLE | UART_FCR_DMA | UART_FCR_TRIGGER);
}

void uart16550_write(struct uart16550 *u, unsigned reg, bool dlab, uint8_t value)
{
    switch (reg) {
    case UART_REG_THR:
        if (!dlab)
            u->thre_pending = false;     /* "writing into the THR" resets THRE */
        break;
    case UART_REG_IER:
        if (!dlab) {
            uint8_t old = u->ier;
            u->ier = value & UART_IER_MASK;
            /* Enabling ETBEI while THR is empty (here: always) raises the
             * THRE interrupt; drivers test for exactly that. */
            if ((u->ier & UART_IER_ETBEI) && !(old & UART_IER_ETBEI))
                u->thre_pending = true;
        }
        break;
    case UART_REG_FCR:
        write_fcr(u, value);
        break;
    case UART_REG_MCR:
        u->mcr = value & UART_MCR_MASK;
        break;
    default:
        break;
    }
}

void uart16550_transmit_done(struct uart16550 *u, uint8_t byte)
{
    u->thre_pending = true;
    if (u->mcr & UART_MCR_LOOP)
        uart16550_receive(u, byte);      /* loopback: the shift register feeds the receiver */
}
