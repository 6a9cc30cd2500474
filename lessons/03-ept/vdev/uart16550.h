/**
 * @file uart16550.h
 * @brief The 16550A's receiver, FIFOs and interrupt logic: what lesson 03
 *        adds to lesson 01's transmit-only UART (vdev/uart8250.h).
 *
 * Lesson 01's UART keeps the registers it always had (divisor latch, IER,
 * LCR, MCR, scratch) and its transmitter, which is always ready.  This
 * model is the rest of the chip, pure (no VM, no console): tests/
 * test_uart.c drives it.  com1.c plugs it into lesson 01's UART through
 * REGISTER_UART8250_EXT and drives IRQ 4.
 *
 * Reference: National Semiconductor PC16550D data sheet: Table II
 * (registers), Table IV (interrupt identification and priorities),
 * "FIFO Interrupt Mode Operation", section 8.6 (FCR), 8.4 (LSR), 8.7
 * (MCR: loopback, OUT2).  On a PC the chip's INTR pin reaches the ISA
 * IRQ line only while MCR.OUT2 is 1 (IBM PC/AT Technical Reference,
 * "Serial/Parallel Adapter"): drivers set OUT2 to use interrupts.
 */
#ifndef SPECTRUM_VDEV_UART16550_H
#define SPECTRUM_VDEV_UART16550_H

#include <stdbool.h>
#include <stdint.h>

#define UART_COM1_BASE 0x3F8   /**< COM1's first port, on the host and in guests */
#define UART_COM1_IRQ  4       /**< COM1's ISA IRQ */
#define UART_FIFO_SIZE 16      /**< bytes in the receiver FIFO */

/* Register offsets from the base (Table II). */
#define UART_REG_RBR 0   /**< read, DLAB = 0: receiver buffer */
#define UART_REG_THR 0   /**< write, DLAB = 0: transmitter holding */
#define UART_REG_IER 1   /**< DLAB = 0: interrupt enable */
#define UART_REG_IIR 2   /**< read: interrupt identification */
#define UART_REG_FCR 2   /**< write: FIFO control */
#define UART_REG_LCR 3   /**< line control (bit 7: DLAB) */
#define UART_REG_MCR 4   /**< modem control */
#define UART_REG_LSR 5   /**< line status */
#define UART_REG_MSR 6   /**< modem status */

#define UART_IER_ERBFI 0x01   /**< received data available (and character timeout) */
#define UART_IER_ETBEI 0x02   /**< transmitter holding register empty */
#define UART_IER_ELSI  0x04   /**< receiver line status */
#define UART_IER_EDSSI 0x08   /**< modem status */
#define UART_IER_MASK  0x0f   /**< bits 4-7 are always 0 */

#define UART_IIR_NO_INT 0x01  /**< bit 0 = 1: no interrupt pending */
#define UART_IIR_ID     0x0e  /**< bits 3-1: the interrupt, highest priority first: */
#define UART_IIR_RLS    0x06  /**<   receiver line status (OE, PE, FE, BI) - reset by reading LSR */
#define UART_IIR_RDA    0x04  /**<   received data at the trigger level - reset by reading below it */
#define UART_IIR_CTI    0x0c  /**<   character timeout (FIFO mode) - reset by reading RBR */
#define UART_IIR_THRE   0x02  /**<   THR empty - reset by reading IIR (if the source) or writing THR */
#define UART_IIR_MSI    0x00  /**<   modem status - reset by reading MSR */
#define UART_IIR_FIFO   0xc0  /**< bits 7-6 set: FIFOs enabled */

#define UART_FCR_ENABLE   0x01  /**< enable both FIFOs (other bits are ignored without it) */
#define UART_FCR_CLEAR_RX 0x02  /**< clear the receiver FIFO (self-clearing) */
#define UART_FCR_CLEAR_TX 0x04  /**< clear the transmitter FIFO (self-clearing) */
#define UART_FCR_DMA      0x08  /**< DMA mode select (kept, no effect) */
#define UART_FCR_TRIGGER  0xc0  /**< receiver trigger level: 1, 4, 8 or 14 bytes */

#define UART_LSR_DR   0x01   /**< data ready */
#define UART_LSR_OE   0x02   /**< overrun error (cleared by reading LSR) */
#define UART_LSR_THRE 0x20   /**< THR empty */
#define UART_LSR_TEMT 0x40   /**< transmitter empty */

#define UART_MCR_DTR  0x01   /**< data terminal ready */
#define UART_MCR_RTS  0x02   /**< request to send */
#define UART_MCR_OUT1 0x04   /**< user output 1 */
#define UART_MCR_OUT2 0x08   /**< user output 2: on a PC, gates INTR onto the IRQ line */
#define UART_MCR_LOOP 0x10   /**< loopback diagnostic mode */
#define UART_MCR_MASK 0x1f   /**< bits 5-7 are always 0 */

/** @brief The parts of one 16550A lesson 01 does not model. */
struct uart16550 {
    uint8_t fifo[UART_FIFO_SIZE]; /**< received bytes (non-FIFO mode: fifo[head] is RBR) */
    uint8_t head;                 /**< oldest byte */
    uint8_t count;                /**< bytes held */
    uint8_t ier;                  /**< IER as written (masked), mirrored from lesson 01's */
    uint8_t mcr;                  /**< MCR as written (masked), mirrored */
    uint8_t fcr;                  /**< FIFO enable, DMA mode, trigger level */
    uint8_t lsr_errors;           /**< OE until LSR is read */
    bool thre_pending;            /**< the THRE interrupt condition is latched */
    uint64_t rx_bytes;            /**< bytes received */
    uint64_t overruns;            /**< bytes lost to overruns */
};

/** @brief Power-on state (all zero: FIFOs off, nothing received, no interrupt). */
void uart16550_reset(struct uart16550 *u);

/**
 * @brief A guest read of register @p reg (0-7) under @p dlab, which lesson
 *        01 answered with @p value: the value the guest sees, with the
 *        read's side effects (RBR pops, IIR clears THRE, LSR clears OE).
 */
uint8_t uart16550_read(struct uart16550 *u, unsigned reg, bool dlab, uint8_t value);

/**
 * @brief A guest write of @p value to register @p reg (0-7) under @p dlab.
 *        A THR write clears the THRE interrupt; the byte then leaves at
 *        once: call uart16550_transmit_done() after the caller has seen
 *        the line drop, so the next THRE interrupt is a new edge.
 */
void uart16550_write(struct uart16550 *u, unsigned reg, bool dlab, uint8_t value);

/** @brief The byte written to THR (@p byte) has been sent: THR is empty
 *         again (THRE interrupt latched); in loopback mode it is received. */
void uart16550_transmit_done(struct uart16550 *u, uint8_t byte);

/**
 * @brief A byte arrives on the serial input.
 * @return false on overrun (FIFO full, or RBR full without FIFOs): LSR.OE
 *         is set and, as the data sheet says, the FIFO keeps its bytes
 *         (the new one is lost) while a 16450-mode RBR is overwritten.
 */
bool uart16550_receive(struct uart16550 *u, uint8_t byte);

/** @brief Bytes that can arrive now without an overrun. */
unsigned uart16550_rx_room(const struct uart16550 *u);

/** @brief IIR as a read would return it now (no side effects). */
uint8_t uart16550_iir(const struct uart16550 *u);

/** @brief The IRQ line on a PC: an interrupt is pending and MCR.OUT2 is
 *         set (and not in loopback mode, which holds OUT2 inactive). */
bool uart16550_irq_line(const struct uart16550 *u);

#endif
