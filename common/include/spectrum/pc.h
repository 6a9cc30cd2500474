/**
 * @file pc.h
 * @brief PC platform constants, defined once: the 8254 PIT's I/O ports and
 *        input clock, and system control port B (61H), which wires PIT
 *        channel 2's gate and output.
 *
 * Not CPU architecture (that is x86_bits.h) but the IBM PC/AT board every
 * engine emulates: IBM PC/AT Technical Reference, "System Timers" and
 * "System Control Port B"; Intel 8254 data sheet (231164-005).  Used by
 * the host (TSC calibration, the slice timer), by the emulated 8254 and by
 * the test guests.  Macros only, so the kernel, hosted unit tests and
 * guests can include it.
 */
#ifndef SPECTRUM_PC_H
#define SPECTRUM_PC_H

/** The 8254's input clock: the PC's 14.31818 MHz crystal / 12. */
#define PIT_HZ 1193182u

/* ---- 8254 ports: three counters and the control word register ---- */
#define PIT_PORT_CH0 0x40  /**< counter 0: its OUT is IRQ0 */
#define PIT_PORT_CH2 0x42  /**< counter 2: gate and OUT on port 61H */
#define PIT_PORT_CMD 0x43  /**< control word register (write only) */

/* ---- System control port B ---- */
#define PC_PORT_B         0x61  /**< system control port B */
#define PC_PORT_B_GATE2   0x01  /**< bit 0: gate of PIT counter 2 */
#define PC_PORT_B_SPEAKER 0x02  /**< bit 1: speaker data enable */
#define PC_PORT_B_OUT2    0x20  /**< bit 5 (read): OUT of PIT counter 2 */

#endif
