/**
 * @file tsc.h
 * @brief Time from the time-stamp counter: its frequency, measured once
 *        against the platform's 8254 PIT, and conversions.
 */
#ifndef SPECTRUM_TSC_H
#define SPECTRUM_TSC_H

#include <stdint.h>

/** @brief TSC ticks per second (calibrated on first use, then cached). */
uint64_t tsc_hz(void);

/** @brief Microseconds in @p ticks TSC ticks. */
uint64_t tsc_to_us(uint64_t ticks);

#endif
