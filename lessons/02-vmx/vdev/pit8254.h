/**
 * @file pit8254.h
 * @brief The PC's Intel 8254 programmable interval timer: three 16-bit
 *        down-counters at ports 0x40-0x42 and a control word register at
 *        0x43, clocked at 1.193182 MHz.  Channel 0's output is IRQ0;
 *        channel 2's gate and output are bits 0 and 5 of port 0x61.
 *
 * Two layers.  struct pit8254 and the pit_* functions below are the pure
 * counter logic, with time passed in as a count of PIT input clocks, so
 * the unit test (tests/test_pit.c) controls time exactly.  pit_ports.c
 * puts it on a VM's port bus, derives time from the host TSC and turns
 * channel 0's rising output edges into IRQ0 pulses on the PIC.
 *
 * Reference: Intel 8254 Programmable Interval Timer data sheet
 * (231164-005): "Control Word Format", "Read Operations" (counter latch,
 * read-back), "Modes" 0-5 and "Gate Pin Operations Summary".
 */
#ifndef SPECTRUM_VDEV_PIT8254_H
#define SPECTRUM_VDEV_PIT8254_H

#include <stdbool.h>
#include <stdint.h>

#include "spectrum/pc.h"   /* PIT_HZ, the input clock, and the PC's PIT ports */

/** A time that never comes. */
#define PIT_NEVER UINT64_MAX

/** @brief One counter. */
struct pit_channel {
    uint32_t count;        /**< reload value in clocks: 1..0x10000 (binary) or 1..10000 (BCD) */
    uint64_t start;        /**< clock at which the current count started */
    uint64_t paused_at;    /**< elapsed clocks when the gate stopped counting */
    uint64_t next_edge;    /**< next rising edge of OUT not yet counted, or PIT_NEVER */
    uint64_t pending;      /**< edges counted but not yet taken (pit_take_edges()) */
    uint16_t latched;      /**< counter latch / read-back value */
    uint8_t mode;          /**< 0..5 */
    uint8_t access;        /**< RW1:RW0 = 1 LSB, 2 MSB, 3 LSB then MSB */
    uint8_t write_lsb;     /**< access 3: the LSB waiting for its MSB */
    uint8_t status;        /**< read-back status byte waiting to be read */
    uint8_t latch_bytes;   /**< bytes of @c latched still to be read */
    bool bcd;              /**< count in binary-coded decimal */
    bool gate;             /**< GATE input level */
    bool loaded;           /**< a count was written since the control word */
    bool armed;            /**< modes 1, 5: waiting for a gate trigger */
    bool paused;           /**< the gate is low and stops counting */
    bool write_msb_next;   /**< access 3: next write is the MSB */
    bool read_msb_next;    /**< access 3: next read is the MSB */
    bool status_latched;   /**< @c status waits to be read */
};

/** @brief The three channels. */
struct pit8254 {
    struct pit_channel ch[3]; /**< channels 0, 1, 2 */
};

/** @brief Power-on state at clock @p now: nothing programmed; gates 0 and 1
 *         high (PC wiring), gate 2 low (port 0x61 bit 0 clear). */
void pit_reset(struct pit8254 *p, uint64_t now);

/** @brief Write @p value to register @p reg (0-2 counters, 3 control word). */
void pit_write(struct pit8254 *p, unsigned reg, uint8_t value, uint64_t now);

/** @brief Read register @p reg (0-2; the control word register reads 0xff). */
uint8_t pit_read(struct pit8254 *p, unsigned reg, uint64_t now);

/** @brief Drive channel @p ch's GATE input to @p level. */
void pit_set_gate(struct pit8254 *p, unsigned ch, bool level, uint64_t now);

/** @brief Channel @p ch's OUT level at @p now. */
bool pit_out(const struct pit8254 *p, unsigned ch, uint64_t now);

/** @brief Channel @p ch's counting element at @p now, as a read would see it
 *         (BCD-encoded in BCD mode). */
uint16_t pit_counter(const struct pit8254 *p, unsigned ch, uint64_t now);

/**
 * @brief Rising edges of channel @p ch's OUT in (last call, @p now]: the
 *        number, and they are consumed.  A periodic mode reports every
 *        period that elapsed, however many.
 */
uint64_t pit_take_edges(struct pit8254 *p, unsigned ch, uint64_t now);

/** @brief Clock of channel @p ch's next rising edge not yet taken, or PIT_NEVER. */
uint64_t pit_next_edge(const struct pit8254 *p, unsigned ch);

struct vm;

/**
 * @brief Bring @p vm's timer up to the present: if channel 0's output
 *        rose since the last call, pulse IRQ0 once; further periods that
 *        elapsed meanwhile are counted as lost ticks, not replayed.
 */
void pit_update(struct vm *vm);

/** @brief Host TSC value at which @p vm's channel 0 next raises IRQ0, or UINT64_MAX. */
uint64_t pit_next_irq_tsc(struct vm *vm);

/** @brief What a VM's PIT did with IRQ0, for checks against host time. */
struct pit_irq_stats {
    uint64_t delivered;    /**< IRQ0 pulses given to the PIC */
    uint64_t lost;         /**< periods merged into an earlier pulse (the guest was not entered in time) */
    uint64_t first_tsc;    /**< host TSC at which the first pulse was due (0: none yet) */
    uint64_t last_tsc;     /**< host TSC of the last update: edges up to here are counted */
};

/** @brief @p vm's IRQ0 statistics so far into @p out (false: no PIT). */
bool pit_irq_stats(struct vm *vm, struct pit_irq_stats *out);

#endif
