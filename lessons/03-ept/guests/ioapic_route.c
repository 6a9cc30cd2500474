/**
 * @file ioapic_route.c
 * @brief Guest "p-ioapic": interrupts through the I/O APIC, as an OS
 *        without the 8259 takes them - the PIT on pin 2 (edge) and COM1's
 *        transmitter-empty interrupt on pin 4 (level, with remote IRR).
 *
 *  1. Mask both 8259s (OCW1 0xFF to ports 0x21/0xA1), enable the local
 *     APIC (SVR), mask every redirection entry.
 *  2. PIT channel 0 at 200 Hz, ISA IRQ0 routed to pin 2 (the PC's
 *     interrupt-source override, MP spec 1.4 §5.1): count TICKS with HLT
 *     and time them with the TSC; the local APIC shows the vector as
 *     edge-triggered (TMR bit clear, SDM Vol. 3A §11.8.4).  Masking the
 *     pin stops the ticks.
 *  3. COM1 on pin 4, level-triggered: IER bit 1 (ETBEI) raises the
 *     THR-empty interrupt at once, MCR.OUT2 gates it onto the IRQ line
 *     (PC/AT wiring; NS16550A data sheet, IER/IIR/MCR).  In the handler
 *     the entry's remote IRR is set and the APIC's TMR bit is set; reading
 *     IIR clears the source, and the EOI to the local APIC, broadcast to
 *     the I/O APIC for a level vector (SDM Vol. 3A §11.8.5), clears remote
 *     IRR.  In the last round the handler leaves the source active: the
 *     still-asserted line must be delivered again after the EOI
 *     (82093AA §3.2.4, remote IRR).
 */
#include "apic_regs.h"
#include "guest/guest.h"
#include "guest/idt.h"
#include "ioapic_regs.h"
#include "irq_guest.h"
#include "pc_timer.h"

#define VEC_PIT   0x22
#define VEC_COM1  0x24
#define VEC_SPURIOUS 0x2F
/* 200 Hz: each tick costs an interrupt-window exit and an MMIO exit (the
 * EOI), about 0.4 ms of emulated time under Bochs - at 1 kHz the guest
 * would do nothing but take ticks. */
#define TICK_HZ   200u
#define PIT_COUNT ((PIT_HZ + TICK_HZ / 2) / TICK_HZ)
#define TICKS     20u
#define UART_ROUNDS 5u

#define COM1      0x3F8
#define UART_IER  1
#define UART_IIR  2
#define UART_MCR  4
#define UART_IER_ETBEI 0x02   /* transmitter holding register empty interrupt */
#define UART_IIR_NONE  0x01   /* no interrupt pending */
#define UART_IIR_THRE  0x02   /* interrupt id: THR empty */
#define UART_MCR_DTR_RTS 0x03
#define UART_MCR_OUT2  0x08   /* PC: gates INTR onto IRQ4 */

enum {
    FAIL_CALIBRATION = 1 << 0, FAIL_VERSION = 1 << 1, FAIL_PIT_TICKS = 1 << 2, FAIL_PIT_TIME = 1 << 3,
    FAIL_PIT_EDGE = 1 << 4, FAIL_PIT_MASK = 1 << 5, FAIL_UART_COUNT = 1 << 6, FAIL_REMOTE_IRR = 1 << 7,
    FAIL_REMOTE_EOI = 1 << 8, FAIL_UART_IIR = 1 << 9, FAIL_LEVEL_TMR = 1 << 10, FAIL_REDELIVER = 1 << 11,
};

static volatile unsigned pit_ticks, pit_level, uart_irqs, irr_set, irr_cleared, iir_ok, tmr_level;
static volatile uint64_t pit_tsc;
static volatile bool leave_active;   /* last round: EOI with the source still active */
static uint64_t tsc_hz;

static void on_pit(struct guest_trap *t)
{
    (void)t;
    pit_tsc = guest_rdtsc();
    if (pit_ticks++ == 0 && guest_lapic_vector_bit(LAPIC_TMR, VEC_PIT))   /* once: it is an MMIO exit */
        pit_level++;
    guest_lapic_write(LAPIC_EOI, 0);
}

static void on_com1(struct guest_trap *t)
{
    (void)t;
    uart_irqs++;
    if (guest_ioapic_read(IOAPIC_REDIR_LO(IOAPIC_PIN_COM1)) & IOREDIR_REMOTE_IRR)
        irr_set++;
    if (guest_lapic_vector_bit(LAPIC_TMR, VEC_COM1))
        tmr_level++;
    if (leave_active) {
        leave_active = false;          /* once: the line stays high over the EOI */
    } else {
        if ((guest_inb(COM1 + UART_IIR) & 0x0F) == UART_IIR_THRE)   /* reading IIR clears THRE */
            iir_ok++;
        guest_outb(COM1 + UART_IER, 0);
    }
    guest_lapic_write(LAPIC_EOI, 0);
    if (!(guest_ioapic_read(IOAPIC_REDIR_LO(IOAPIC_PIN_COM1)) & IOREDIR_REMOTE_IRR))
        irr_cleared++;
}

static int ioapic_pit(uint32_t apic_id)
{
    int failed = 0;
    guest_ioapic_route(IOAPIC_PIN_PIT, IOREDIR_DM(APIC_DM_FIXED) | VEC_PIT, (uint8_t)apic_id);
    uint64_t t0 = guest_rdtsc();
    pc_pit_periodic(PIT_COUNT);
    irq_hlt_count(&pit_ticks, TICKS, irq_us_to_tsc(tsc_hz, 2000000), 100000);
    uint64_t us = irq_tsc_to_us(tsc_hz, pit_tsc - t0);
    guest_ioapic_route(IOAPIC_PIN_PIT, (uint32_t)IOREDIR_MASKED | IOREDIR_DM(APIC_DM_FIXED) | VEC_PIT, (uint8_t)apic_id);
    unsigned at_mask = pit_ticks;
    irq_wait_count(&pit_ticks, at_mask + 2, irq_us_to_tsc(tsc_hz, 5000));   /* one may be in flight */
    unsigned after_mask = pit_ticks - at_mask;
    uint64_t expect_us = (uint64_t)TICKS * PIT_COUNT * 1000000u / PIT_HZ;
    if (at_mask < TICKS)
        failed |= FAIL_PIT_TICKS;
    if (us * 10 < (expect_us - expect_us / TICKS) * 9 || us > 20 * expect_us)
        failed |= FAIL_PIT_TIME;
    if (pit_level)
        failed |= FAIL_PIT_EDGE;
    if (after_mask > 1)
        failed |= FAIL_PIT_MASK;
    guest_printf("ioapic: pit on pin %u: %u ticks in %llu us (expected %llu us)\n", IOAPIC_PIN_PIT, at_mask,
                 (unsigned long long)us, (unsigned long long)expect_us);
    guest_printf("ioapic: pit: %s, %u ticks after masking\n", pit_level ? "LEVEL in TMR" : "edge (tmr clear)",
                 after_mask);
    return failed;
}

static int ioapic_uart(uint32_t apic_id)
{
    int failed = 0;
    guest_ioapic_route(IOAPIC_PIN_COM1, (uint32_t)IOREDIR_LEVEL | IOREDIR_DM(APIC_DM_FIXED) | VEC_COM1, (uint8_t)apic_id);
    guest_outb(COM1 + UART_MCR, UART_MCR_DTR_RTS | UART_MCR_OUT2);
    unsigned rounds_ok = 0;
    for (unsigned r = 0; r < UART_ROUNDS; r++) {
        unsigned before = uart_irqs;
        leave_active = r == UART_ROUNDS - 1;
        guest_outb(COM1 + UART_IER, UART_IER_ETBEI);   /* THR is empty: the interrupt is due now */
        unsigned want = before + (leave_active ? 2 : 1);
        irq_wait_count(&uart_irqs, want, irq_us_to_tsc(tsc_hz, 50000));
        guest_outb(COM1 + UART_IER, 0);
        if (uart_irqs == want)
            rounds_ok++;
    }
    bool redelivered = !leave_active && rounds_ok == UART_ROUNDS;
    uint8_t iir = guest_inb(COM1 + UART_IIR);
    guest_outb(COM1 + UART_MCR, UART_MCR_DTR_RTS);
    guest_ioapic_route(IOAPIC_PIN_COM1, (uint32_t)IOREDIR_MASKED | (uint32_t)IOREDIR_LEVEL | VEC_COM1, (uint8_t)apic_id);
    unsigned expected = UART_ROUNDS + 1;
    if (uart_irqs != expected)
        failed |= FAIL_UART_COUNT;
    if (irr_set != uart_irqs)
        failed |= FAIL_REMOTE_IRR;
    /* After the EOI of the round that left the line active, the I/O APIC may
     * already have delivered it again (remote IRR set anew): one may miss. */
    if (irr_cleared + 1 < uart_irqs)
        failed |= FAIL_REMOTE_EOI;
    if (iir_ok != UART_ROUNDS || (iir & 0x0F) != UART_IIR_NONE)
        failed |= FAIL_UART_IIR;
    if (tmr_level != uart_irqs)
        failed |= FAIL_LEVEL_TMR;
    if (!redelivered)
        failed |= FAIL_REDELIVER;
    guest_printf("ioapic: com1 on pin %u (level): %u THR-empty interrupts (expected %u), IIR said so %u\n",
                 IOAPIC_PIN_COM1, uart_irqs, expected, iir_ok);
    guest_printf("ioapic: com1: remote IRR set in the handler %u, clear after EOI %u, level in TMR %u\n", irr_set,
                 irr_cleared, tmr_level);
    guest_printf("ioapic: com1: line left active over the EOI %s\n", redelivered ? "delivered again" : "LOST");
    return failed;
}

int guest_main(void)
{
    int failed = 0;
    guest_idt_init();
    guest_idt_set_handler(VEC_PIT, on_pit);
    guest_idt_set_handler(VEC_COM1, on_com1);
    guest_outb(0x21, 0xFF);   /* OCW1: every 8259 input masked */
    guest_outb(0xA1, 0xFF);
    tsc_hz = irq_tsc_hz("ioapic");
    if (!tsc_hz)
        return FAIL_CALIBRATION;

    guest_lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
    guest_lapic_write(LAPIC_TPR, 0);
    uint32_t apic_id = guest_lapic_read(LAPIC_ID) >> 24;
    uint32_t id = guest_ioapic_read(IOAPIC_REG_ID);
    uint32_t ver = guest_ioapic_read(IOAPIC_REG_VER);
    unsigned pins = ((ver >> 16) & 0xFF) + 1;
    if (pins < 16 || (ver & 0xFF) < 0x11)
        failed |= FAIL_VERSION;
    else
        for (unsigned pin = 0; pin < pins; pin++)
            guest_ioapic_route(pin, (uint32_t)IOREDIR_MASKED, 0);
    guest_printf("ioapic: id %u, version %#x, %u pins, local APIC id %u\n", (unsigned)(id >> 24) & 0xF,
                 (unsigned)(ver & 0xFF), pins, (unsigned)apic_id);
    if (!failed) {
        failed |= ioapic_pit(apic_id);
        failed |= ioapic_uart(apic_id);
    }
    guest_printf("ioapic: checks %s (%#x)\n", failed ? "FAILED" : "passed", (unsigned)failed);
    return failed;
}
