/**
 * @file host_timer.c
 * @brief The host's 8259 pair and the one-shot slice timer on the host's
 *        8254 channel 0 (host_irq.h explains why).
 *
 * 8259A programming (Intel 8259A data sheet, "Initialization Command
 * Words" and "Operation Command Words"): ICW1 11H (edge, cascade, ICW4
 * follows), ICW2 the vector base, ICW3 the cascade wiring (slave on IR2),
 * ICW4 01H (8086 mode); OCW1 the mask; OCW2 20H non-specific EOI; OCW3
 * 0BH selects the in-service register for the next read.
 * 8254 channel 0 in mode 0: control word 30H (channel 0, LSB then MSB,
 * mode 0, binary); OUT goes low on the control word and rises when the
 * count written reaches zero - one IRQ0 edge per arm.
 */
#include "host/host_irq.h"

#include <stdbool.h>

#include "spectrum/cpu.h"
#include "spectrum/init.h"
#include "spectrum/pc.h"
#include "spectrum/tsc.h"
#include "spectrum/x86.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI   0x20
#define PIC_READ_ISR 0x0b
#define PIT_MODE0_CH0 0x30
#define PIT_MAX_COUNT 0xffffu
#define IRQ_TIMER 0
#define IRQ_SPURIOUS_MASTER 7
#define IRQ_SPURIOUS_SLAVE 15

static uint64_t armed_until;      /* TSC at which the armed count ends; 0 = nothing armed */
static uint64_t n_timer, n_other, n_spurious;

static void pic_remap(void)
{
    outb(PIC1_CMD, 0x11);
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, HOST_IRQ_VECTOR_BASE);
    outb(PIC2_DATA, HOST_IRQ_VECTOR_BASE + 8);
    outb(PIC1_DATA, 0x04);
    outb(PIC2_DATA, 0x02);
    outb(PIC1_DATA, 0x01);
    outb(PIC2_DATA, 0x01);
    outb(PIC1_DATA, 0xff);       /* everything masked until the timer is used */
    outb(PIC2_DATA, 0xff);
}

static bool in_service(uint16_t cmd_port, unsigned line)
{
    outb(cmd_port, PIC_READ_ISR);
    return inb(cmd_port) & (1u << line);
}

/* Every host IRQ lands here (interrupts are off in Spectrum except inside
 * host_irq_window() and, on SVM, while the guest runs). */
static void host_irq_handler(struct trap_frame *f)
{
    unsigned irq = (unsigned)(f->vector - HOST_IRQ_VECTOR_BASE);
    /* A request that went away before the INTA cycle shows up as IR7 of
     * the chip with nothing in service: no EOI for it (8259A data sheet,
     * "Interrupt Sequence"); a spurious IR15 still needs the master's EOI
     * for the cascade line. */
    if (irq == IRQ_SPURIOUS_MASTER && !in_service(PIC1_CMD, 7)) {
        n_spurious++;
        return;
    }
    if (irq == IRQ_SPURIOUS_SLAVE && !in_service(PIC2_CMD, 7)) {
        n_spurious++;
        outb(PIC1_CMD, PIC_EOI);
        return;
    }
    if (irq == IRQ_TIMER) {
        n_timer++;
        armed_until = 0;
    } else {
        n_other++;
    }
    if (irq >= 8)
        outb(PIC2_CMD, PIC_EOI);
    outb(PIC1_CMD, PIC_EOI);
}

static void host_irq_init(void)
{
    pic_remap();
    for (unsigned v = HOST_IRQ_VECTOR_BASE; v < HOST_IRQ_VECTOR_BASE + 16; v++)
        trap_set_handler((uint8_t)v, host_irq_handler);
}
REGISTER_INIT(INIT_PLATFORM, host_irq_init);

void host_timer_arm(uint64_t deadline_tsc)
{
    uint64_t now = rdtsc();
    /* An earlier expiry is already armed: the guest exits a little early
     * and the loop arms again - cheaper than three port writes per entry. */
    if (armed_until > now && armed_until <= deadline_tsc)
        return;
    uint64_t ticks = deadline_tsc > now ? deadline_tsc - now : 0;
    if (ticks > tsc_hz())
        ticks = tsc_hz();                         /* beyond the 8254's 55 ms anyway; keeps the product small */
    uint64_t count = ticks * PIT_HZ / tsc_hz();
    if (count < 1)
        count = 1;
    if (count > PIT_MAX_COUNT)
        count = PIT_MAX_COUNT;
    outb(PIT_PORT_CMD, PIT_MODE0_CH0);
    outb(PIT_PORT_CH0, (uint8_t)count);
    outb(PIT_PORT_CH0, (uint8_t)(count >> 8));
    armed_until = now + count * tsc_hz() / PIT_HZ;
    outb(PIC1_DATA, (uint8_t)~(1u << IRQ_TIMER));  /* unmask IRQ0 (idempotent) */
}

void host_irq_window(void)
{
    /* STI takes effect after the next instruction (SDM Vol. 2B "STI"),
     * so the pending interrupt is taken after the NOP, before CLI. */
    __asm__ volatile("sti; nop; cli" ::: "memory");
}

void host_irq_counts(uint64_t *timer, uint64_t *other, uint64_t *spurious)
{
    *timer = n_timer;
    *other = n_other;
    *spurious = n_spurious;
}
