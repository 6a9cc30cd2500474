/**
 * @file pc_timer.h
 * @brief What a PC kernel does first with its timer, for lesson 02's test
 *        guests (guests/timer.c, guests/busy.c): measure the TSC against
 *        PIT channel 2, initialise the 8259 pair, start PIT channel 0.
 *
 * The ports and bits: Intel 8259A data sheet (ICW1-ICW4, OCW1-OCW3),
 * Intel 8254 data sheet (control word, modes 0 and 2), IBM PC/AT
 * Technical Reference (port 61H: channel 2 gate in bit 0, its output in
 * bit 5).
 */
#ifndef GUEST_PC_TIMER_H
#define GUEST_PC_TIMER_H

#include <stdint.h>

/* The 8254's ports and input clock and port 61H: PIT_PORT_CH0,
 * PIT_PORT_CH2, PIT_PORT_CMD, PIT_HZ, PC_PORT_B (plain macros, shared with
 * the host and the emulated 8254). */
#include "spectrum/pc.h"

#define PC_PIC1_CMD   0x20      /**< master 8259: command / status */
#define PC_PIC1_DATA  0x21      /**< master 8259: interrupt mask */
#define PC_PIC2_CMD   0xA0      /**< slave 8259: command / status */
#define PC_PIC2_DATA  0xA1      /**< slave 8259: interrupt mask */
#define PC_PIC_EOI    0x20      /**< OCW2: non-specific end of interrupt */

/** @brief TSC ticks per second, measured over 10 ms of PIT channel 2 in
 *         mode 0 (as Linux's pit_calibrate_tsc()); 0 if its output never rose. */
uint64_t pc_tsc_hz(void);

/** @brief ICW1-ICW4 for both 8259s (edge, cascade on IR2, 8086 mode,
 *         vectors @p base and @p base + 8), then masks @p mask1 / @p mask2. */
void pc_pic_init(uint8_t base, uint8_t mask1, uint8_t mask2);

/** @brief PIT channel 0 as a rate generator (mode 2) dividing by @p count. */
void pc_pit_periodic(uint16_t count);

#endif
