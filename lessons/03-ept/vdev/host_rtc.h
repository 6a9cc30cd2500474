/**
 * @file host_rtc.h
 * @brief The date and time of the machine Spectrum runs on, read once from
 *        its CMOS clock and then advanced with the TSC.
 *
 * Spectrum is itself a kernel on a PC (QEMU's or Bochs's), so it can read
 * the real MC146818 at ports 0x70/0x71 as a BIOS would.  Reading it for
 * every VM would cost an update-cycle wait each time, so the first call
 * reads it and remembers the TSC; later calls add the TSC time since.
 */
#ifndef SPECTRUM_VDEV_HOST_RTC_H
#define SPECTRUM_VDEV_HOST_RTC_H

#include <stdbool.h>
#include <stdint.h>

#include "vdev/mc146818.h"

/**
 * @brief The host's time now, in seconds since 1970-01-01 00:00:00 (the
 *        RTC's own time zone, normally UTC).
 * @return false if the host clock could not be read consistently (then
 *         @p out is 2000-01-01 00:00:00 advanced by the TSC: a guest still
 *         sees a ticking clock).
 */
bool host_rtc_now(int64_t *out);

/**
 * @brief The same clock with nanoseconds: @p sec as host_rtc_now() gives
 *        it, and @p nsec (below 10^9) from the TSC since the RTC was read
 *        (lesson 04's kvmclock wall clock, which has nanoseconds).
 * @return as host_rtc_now()
 */
bool host_rtc_now_ns(int64_t *sec, uint32_t *nsec);

#endif
