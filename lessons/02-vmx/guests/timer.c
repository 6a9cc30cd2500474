/**
 * @file timer.c
 * @brief Guest "timer": take IRQ0 from the emulated 8254 through the
 *        emulated 8259, HLT between ticks, and check the time it took.
 *
 * Like a PC kernel's early timer setup:
 *  1. measure its own TSC rate against PIT channel 2 (gate and output on
 *     port 0x61, Linux's pit_calibrate_tsc());
 *  2. initialise the PIC pair (ICW1-ICW4: vectors 0x20/0x28, cascade on
 *     IR2, 8086 mode) and unmask only IRQ0;
 *  3. program channel 0 as a rate generator (mode 2) at 1 kHz;
 *  4. STI; HLT until TICKS interrupts arrived; the handler checks that the
 *     PIC shows IRQ0 in service (OCW3 read ISR), counts, and sends EOI.
 * Then the elapsed TSC must fit the ticks: never shorter than TICKS-1
 * periods (ticks cannot come early), and not absurdly longer.
 */
#include "guest/guest.h"
#include "guest/idt.h"
#include "pc_timer.h"

#define TICK_HZ    1000u
#define PIT_COUNT  ((PIT_HZ + TICK_HZ / 2) / TICK_HZ)   /* 1193 */
#define TICKS      100u
#define IRQ0_VECTOR 0x20
#define HLT_LIMIT  100000u            /* never HLT for ever if ticks stop */

enum {
    FAIL_CALIBRATION = 1 << 0,
    FAIL_MASK_READBACK = 1 << 1,
    FAIL_COUNTER = 1 << 2,
    FAIL_NOT_IN_SERVICE = 1 << 3,
    FAIL_TOO_FEW_TICKS = 1 << 4,
    FAIL_TOO_FAST = 1 << 5,
    FAIL_TOO_SLOW = 1 << 6,
};

static volatile unsigned ticks;
static volatile unsigned not_in_service;

static void on_irq0(struct guest_trap *t)
{
    (void)t;
    guest_outb(PC_PIC1_CMD, 0x0b);    /* OCW3: next read returns ISR */
    if (!(guest_inb(PC_PIC1_CMD) & 0x01))
        not_in_service++;
    ticks++;
    guest_outb(PC_PIC1_CMD, PC_PIC_EOI);
}

int guest_main(void)
{
    int failed = 0;
    guest_idt_init();
    guest_idt_set_handler(IRQ0_VECTOR, on_irq0);

    uint64_t hz = pc_tsc_hz();
    if (!hz)
        failed |= FAIL_CALIBRATION;
    guest_printf("timer: TSC %llu kHz by PIT channel 2\n", (unsigned long long)(hz / 1000));

    pc_pic_init(IRQ0_VECTOR, 0xfe, 0xff);   /* only IRQ0 */
    if (guest_inb(PC_PIC1_DATA) != 0xfe || guest_inb(PC_PIC2_DATA) != 0xff)
        failed |= FAIL_MASK_READBACK;

    pc_pit_periodic(PIT_COUNT);
    guest_outb(PIT_PORT_CMD, 0x00);     /* counter latch, channel 0 */
    unsigned count = guest_inb(PIT_PORT_CH0);
    count |= (unsigned)guest_inb(PIT_PORT_CH0) << 8;
    if (count == 0 || count > PIT_COUNT)
        failed |= FAIL_COUNTER;

    uint64_t t0 = guest_rdtsc();
    unsigned hlts = 0;
    while (ticks < TICKS && hlts < HLT_LIMIT) {
        guest_sti_hlt();
        hlts++;
    }
    guest_cli();
    uint64_t t1 = guest_rdtsc();
    guest_outb(PC_PIC1_DATA, 0xff);   /* quiet again */

    if (ticks < TICKS)
        failed |= FAIL_TOO_FEW_TICKS;
    if (not_in_service)
        failed |= FAIL_NOT_IN_SERVICE;
    uint64_t period_us = (uint64_t)PIT_COUNT * 1000000u / PIT_HZ;
    uint64_t us = hz ? (t1 - t0) * 1000000u / hz : 0;
    uint64_t expect_us = (uint64_t)TICKS * PIT_COUNT * 1000000u / PIT_HZ;
    if (hz && us < (TICKS - 1) * period_us * 9 / 10)
        failed |= FAIL_TOO_FAST;
    if (hz && us > 4 * expect_us)
        failed |= FAIL_TOO_SLOW;

    guest_printf("timer: channel 0 counter read %u of %u after programming\n", count, PIT_COUNT);
    guest_printf("timer: %u ticks at %u Hz in %llu us (expected %llu us), %u HLTs\n", ticks, TICK_HZ,
                 (unsigned long long)us, (unsigned long long)expect_us, hlts);
    guest_printf("timer: checks %s (%#x)\n", failed ? "FAILED" : "passed", (unsigned)failed);
    return failed;
}
