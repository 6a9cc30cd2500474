/**
 * @file pc_timer.c
 * @brief PIT calibration, 8259 initialisation and PIT channel 0 for the
 *        lesson-02 test guests (see pc_timer.h).
 */
#include "pc_timer.h"

#include "guest/guest.h"

#define CALIB_COUNT 11932u          /* 10 ms of channel 2 */
#define CALIB_POLLS 10000000u       /* never spin for ever if the PIT is dead */

/* One 10 ms measurement of the TSC against PIT channel 2 (0: the PIT
 * never counted down). */
static uint64_t measure_once(void)
{
    uint8_t b = guest_inb(PC_PORT_B);
    guest_outb(PC_PORT_B, (uint8_t)((b & ~PC_PORT_B_SPEAKER) | PC_PORT_B_GATE2));  /* gate 2 on, speaker off */
    guest_outb(PIT_PORT_CMD, 0xb0);   /* channel 2, LSB then MSB, mode 0, binary */
    guest_outb(PIT_PORT_CH2, CALIB_COUNT & 0xff);
    uint64_t t0 = guest_rdtsc();
    guest_outb(PIT_PORT_CH2, CALIB_COUNT >> 8);
    bool done = false;
    for (unsigned i = 0; i < CALIB_POLLS && !done; i++)
        done = guest_inb(PC_PORT_B) & PC_PORT_B_OUT2;
    uint64_t t1 = guest_rdtsc();
    guest_outb(PC_PORT_B, b);
    return done ? (t1 - t0) * PIT_HZ / CALIB_COUNT : 0;
}

/* The least of three measurements: under an emulator on a busy host the
 * guest can be descheduled inside one, and a stall only ever makes the TSC
 * look faster (a 3.7 GHz reading of a 2.6 GHz TSC was seen with other jobs
 * running), never slower. */
uint64_t pc_tsc_hz(void)
{
    uint64_t best = 0;
    for (int i = 0; i < 3; i++) {
        uint64_t hz = measure_once();
        if (hz && (!best || hz < best))
            best = hz;
    }
    return best;
}

void pc_pic_init(uint8_t base, uint8_t mask1, uint8_t mask2)
{
    guest_outb(PC_PIC1_CMD, 0x11);    /* ICW1: edge, cascade, ICW4 follows */
    guest_outb(PC_PIC2_CMD, 0x11);
    guest_outb(PC_PIC1_DATA, base);   /* ICW2: vector base */
    guest_outb(PC_PIC2_DATA, (uint8_t)(base + 8));
    guest_outb(PC_PIC1_DATA, 0x04);   /* ICW3: slave on IR2 */
    guest_outb(PC_PIC2_DATA, 0x02);   /*        slave ID 2 */
    guest_outb(PC_PIC1_DATA, 0x01);   /* ICW4: 8086 mode */
    guest_outb(PC_PIC2_DATA, 0x01);
    guest_outb(PC_PIC1_DATA, mask1);  /* OCW1 */
    guest_outb(PC_PIC2_DATA, mask2);
}

void pc_pit_periodic(uint16_t count)
{
    guest_outb(PIT_PORT_CMD, 0x34);   /* channel 0, LSB then MSB, mode 2, binary */
    guest_outb(PIT_PORT_CH0, (uint8_t)count);
    guest_outb(PIT_PORT_CH0, (uint8_t)(count >> 8));
}
