/**
 * @file uart_rx.c
 * @brief Guest "p-uart-rx": receive typed text through COM1, first by
 *        polling, then with interrupts through the I/O APIC - the two ways
 *        a driver reads a 16550A.
 *
 * The text comes from Spectrum's guest_input_text= option (vdev/
 * guest_input.c), typed into the receiver once the guest reads RBR or
 * enables the received-data interrupt.  A line ends at '.', '\n' or '\r'
 * ('.' because GRUB, which boots Spectrum on Bochs, eats the backslash of
 * an escape on the kernel command line: the grader's text has none).
 *
 *  1. Setup: both 8259s masked (OCW1 0xFF), the local APIC enabled, every
 *     I/O APIC pin masked, then ISA IRQ 4 on pin 4 (PC wiring, MP spec 1.4
 *     §5.1) to VEC_COM1, level-triggered: the 16550's INTR is a level that
 *     stays up while data waits (PC16550D data sheet, Table IV), so an
 *     interrupt can only arrive with data to read - edge-triggered, a byte
 *     typed while the handler drains would raise a second edge and an
 *     interrupt that finds the FIFO empty after the EOI.
 *     FCR: FIFOs on and cleared, receiver trigger level 4 (data sheet 8.6);
 *     MCR: DTR, RTS and OUT2, which gates INTR onto IRQ 4 on a PC (IBM PC/AT
 *     Technical Reference, Serial/Parallel Adapter).
 *  2. Polling (IER = 0): read RBR once (what a driver does when it starts:
 *     drop stale input; it also tells Spectrum the receiver is ready), then
 *     read RBR whenever LSR.DR (data sheet 8.4) is set, up to the first
 *     line end.  Interrupts are enabled meanwhile: with IER = 0 none may
 *     come.  The rest of the text stays in the FIFO.
 *  3. Interrupts (IER.ERBFI): the handler reads IIR, which must say
 *     "received data available" (at the trigger level) or "character
 *     timeout" (below it), drains RBR while LSR.DR, and EOIs the local
 *     APIC, which clears the entry's remote IRR (SDM Vol. 3A §11.8.5).
 *     Up to the second line end.
 * The guest prints both lines and the counts and hands them to the host
 * in the mailbox (enum uartrx_report) for the scenario's cross-check.
 */
#include "apic_regs.h"
#include "guest/guest.h"
#include "guest/idt.h"
#include "ioapic_regs.h"
#include "irq_guest.h"
#include "uart_rx.h"
#include "vdev/uart16550.h"

#define VEC_COM1     0x24
#define VEC_SPURIOUS 0x2F
#define LINE_MAX     96          /**< bytes kept of a line (more are counted, not kept) */
#define WAIT_US      3000000u    /**< longest wait for a line (Bochs types slowly: one byte per exit) */
#define FCR_TRIGGER4 0x40        /**< FCR bits 7-6 = 01: receiver trigger level 4 bytes */

#define COM1(reg) (UART_COM1_BASE + (reg))

enum {
    FAIL_CALIBRATION = 1 << 0, FAIL_POLL_LINE = 1 << 1, FAIL_POLL_IRQ = 1 << 2, FAIL_IRQ_LINE = 1 << 3,
    FAIL_IRQ_NONE = 1 << 4, FAIL_IIR = 1 << 5, FAIL_OVERRUN = 1 << 6, FAIL_FIFO = 1 << 7,
};

/** @brief One received line. */
struct rx_line {
    char text[LINE_MAX + 1];
    unsigned len;       /**< bytes received, the line end included */
    bool done;          /**< its line end was seen */
};

static struct rx_line polled;
static volatile struct rx_line irq_line;
static volatile unsigned irqs, iir_rda, iir_cti, iir_other, lsr_oe, irq_done, extra_bytes;

static bool line_end(uint8_t c)
{
    return c == '.' || c == '\n' || c == '\r';
}

/* Keep @p c in @p l (unprintable bytes as '?', so the console shows one line). */
static void line_add(volatile struct rx_line *l, uint8_t c)
{
    l->len++;
    if (line_end(c)) {
        l->done = true;
        return;
    }
    if (l->len <= LINE_MAX)
        l->text[l->len - 1] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
}

static void on_com1(struct guest_trap *t)
{
    (void)t;
    irqs++;
    uint8_t iir = guest_inb(COM1(UART_REG_IIR));
    if ((iir & (UART_IIR_ID | UART_IIR_NO_INT)) == UART_IIR_RDA)
        iir_rda++;
    else if ((iir & (UART_IIR_ID | UART_IIR_NO_INT)) == UART_IIR_CTI)
        iir_cti++;
    else
        iir_other++;
    uint8_t lsr;
    while ((lsr = guest_inb(COM1(UART_REG_LSR))) & UART_LSR_DR) {
        if (lsr & UART_LSR_OE)
            lsr_oe++;
        uint8_t c = guest_inb(COM1(UART_REG_RBR));
        if (irq_line.done)
            extra_bytes++;
        else
            line_add(&irq_line, c);
    }
    if (irq_line.done)
        irq_done = 1;
    guest_lapic_write(LAPIC_EOI, 0);
}

/* Step 1: interrupt controllers and the UART. */
static void setup(uint32_t apic_id)
{
    guest_lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
    guest_lapic_write(LAPIC_TPR, 0);
    unsigned pins = ((guest_ioapic_read(IOAPIC_REG_VER) >> 16) & 0xFF) + 1;
    for (unsigned pin = 0; pin < pins && pin < 64; pin++)
        guest_ioapic_route(pin, (uint32_t)IOREDIR_MASKED, 0);
    guest_ioapic_route(IOAPIC_PIN_COM1, (uint32_t)IOREDIR_LEVEL | IOREDIR_DM(APIC_DM_FIXED) | VEC_COM1,
                       (uint8_t)apic_id);
    guest_outb(COM1(UART_REG_IER), 0);
    guest_outb(COM1(UART_REG_FCR), UART_FCR_ENABLE | UART_FCR_CLEAR_RX | UART_FCR_CLEAR_TX | FCR_TRIGGER4);
    guest_outb(COM1(UART_REG_MCR), UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2);
}

/* Step 2: poll LSR.DR with IER = 0 until the first line end. */
static int poll_line(uint64_t hz)
{
    (void)guest_inb(COM1(UART_REG_RBR));       /* the start-up drain: the receiver is ready */
    uint64_t deadline = guest_rdtsc() + irq_us_to_tsc(hz, WAIT_US);
    guest_sti();
    while (!polled.done && guest_rdtsc() < deadline) {
        uint8_t lsr = guest_inb(COM1(UART_REG_LSR));
        if (lsr & UART_LSR_OE)
            lsr_oe++;
        if (lsr & UART_LSR_DR)
            line_add(&polled, guest_inb(COM1(UART_REG_RBR)));
    }
    guest_cli();
    int failed = 0;
    if (!polled.done || polled.len < 2)
        failed |= FAIL_POLL_LINE;
    if (irqs)
        failed |= FAIL_POLL_IRQ;
    guest_printf("uart-rx: polled '%s' (%u bytes with the line end), IER 0, %u interrupts\n", polled.text,
                 polled.len, irqs);
    return failed;
}

/* Step 3: IER.ERBFI; the handler reads the second line. */
static int irq_receive(uint64_t hz)
{
    uint8_t iir = guest_inb(COM1(UART_REG_IIR));
    guest_outb(COM1(UART_REG_IER), UART_IER_ERBFI);
    irq_wait_count(&irq_done, 1, irq_us_to_tsc(hz, WAIT_US));
    guest_outb(COM1(UART_REG_IER), 0);
    int failed = 0;
    if (!irq_line.done || irq_line.len < 2)
        failed |= FAIL_IRQ_LINE;
    if (!irqs)
        failed |= FAIL_IRQ_NONE;
    if (iir_other || iir_rda + iir_cti != irqs)
        failed |= FAIL_IIR;
    if ((iir & UART_IIR_FIFO) != UART_IIR_FIFO)
        failed |= FAIL_FIFO;
    guest_printf("uart-rx: interrupts: '%s' (%u bytes with the line end) in %u RX interrupts\n",
                 (const char *)irq_line.text, irq_line.len, irqs);
    guest_printf("uart-rx: IIR said received data %u, character timeout %u, %s %u; FIFOs %s\n", iir_rda, iir_cti,
                 iir_other ? "SOMETHING ELSE" : "something else", iir_other,
                 (iir & UART_IIR_FIFO) == UART_IIR_FIFO ? "on" : "OFF");
    return failed;
}

int guest_main(void)
{
    int failed = 0;
    guest_idt_init();
    guest_idt_set_handler(VEC_COM1, on_com1);
    guest_outb(0x21, 0xFF);   /* OCW1: every 8259 input masked */
    guest_outb(0xA1, 0xFF);
    uint64_t hz = irq_tsc_hz("uart-rx");
    if (!hz)
        return FAIL_CALIBRATION;
    setup(guest_lapic_read(LAPIC_ID) >> 24);
    failed |= poll_line(hz);
    failed |= irq_receive(hz);
    if (lsr_oe)
        failed |= FAIL_OVERRUN;
    guest_ioapic_route(IOAPIC_PIN_COM1, (uint32_t)IOREDIR_MASKED | (uint32_t)IOREDIR_LEVEL | VEC_COM1, 0);
    guest_outb(COM1(UART_REG_MCR), UART_MCR_DTR | UART_MCR_RTS);
    uint64_t rep[UARTRX_REP_COUNT] = {
        [UARTRX_REP_POLL_BYTES] = polled.len, [UARTRX_REP_IRQ_BYTES] = irq_line.len,
        [UARTRX_REP_EXTRA_BYTES] = extra_bytes, [UARTRX_REP_IRQS] = irqs,
    };
    plat_report(rep, UARTRX_REP_COUNT);
    guest_printf("uart-rx: %u bytes after the second line end, %u overruns seen in LSR\n", extra_bytes, lsr_oe);
    guest_printf("uart-rx: checks %s (%#x)\n", failed ? "FAILED" : "passed", (unsigned)failed);
    return failed;
}
