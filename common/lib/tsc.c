/**
 * @file tsc.c
 * @brief Calibrate the TSC against PIT channel 2.
 *
 * The 8254 PIT counts at 1.193182 MHz on every PC (Intel 8254 data sheet;
 * the PC's 14.31818 MHz crystal / 12).  Channel 2's gate and output are
 * wired to port 0x61 bits 0 and 5, so we can run it in mode 0 ("interrupt
 * on terminal count") for a known number of PIT ticks without touching the
 * interrupt controller, and count TSC ticks meanwhile.  CPUID leaf 0x15
 * would give the TSC frequency directly, but neither QEMU's qemu64 nor
 * Bochs report it, and a guest-visible PIT exists on every engine we use.
 * Under emulation both clocks advance in the emulator's notion of time, so
 * the ratio is what a guest would measure too.
 */
#include "spectrum/tsc.h"

#include "spectrum/pc.h"
#include "spectrum/x86.h"

#define CALIBRATE_TICKS 11932u       /* 10 ms of PIT time */
#define SPIN_LIMIT      100000000u   /* never hang if there is no PIT */
#define FALLBACK_HZ     1000000000ull

static uint64_t cached_hz;

static uint64_t calibrate(void)
{
    uint8_t b = inb(PC_PORT_B);
    outb(PC_PORT_B, (uint8_t)((b & ~PC_PORT_B_SPEAKER) | PC_PORT_B_GATE2));  /* gate on, speaker off */
    outb(PIT_PORT_CMD, 0xB0);                    /* ch2, lobyte/hibyte, mode 0, binary */
    outb(PIT_PORT_CH2, CALIBRATE_TICKS & 0xff);
    /* Loading the high byte (re)starts the count in mode 0. */
    uint64_t start = rdtsc();
    outb(PIT_PORT_CH2, CALIBRATE_TICKS >> 8);
    uint32_t spins = 0;
    while (!(inb(PC_PORT_B) & PC_PORT_B_OUT2) && ++spins < SPIN_LIMIT)
        ;
    uint64_t end = rdtsc();
    outb(PC_PORT_B, b);
    if (spins >= SPIN_LIMIT || end <= start)
        return FALLBACK_HZ;
    return (end - start) * PIT_HZ / CALIBRATE_TICKS;
}

uint64_t tsc_hz(void)
{
    if (!cached_hz)
        cached_hz = calibrate();
    return cached_hz;
}

uint64_t tsc_to_us(uint64_t ticks)
{
    uint64_t hz = tsc_hz();
    /* Split to avoid overflowing ticks * 1e6 for long runs. */
    return ticks / hz * 1000000ull + ticks % hz * 1000000ull / hz;
}
