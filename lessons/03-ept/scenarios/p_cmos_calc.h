/**
 * @file p_cmos_calc.h
 * @brief Pure helpers of scenario p-cmos: decode MC146818 clock registers
 *        (BCD or binary, 12- or 24-hour) and tell how far apart two
 *        dates are, so the guest's reading can be compared with the
 *        host's clock.  Hosted-testable (scenarios/p_cmos_test.c).
 */
#ifndef SPECTRUM_P_CMOS_CALC_H
#define SPECTRUM_P_CMOS_CALC_H

#include <stdbool.h>
#include <stdint.h>

/** @brief A calendar date and time of day (proleptic Gregorian, 24-hour). */
struct cmos_date {
    uint64_t year;    /**< full year, e.g. 2026 */
    uint64_t month;   /**< 1-12 */
    uint64_t day;     /**< 1-31 */
    uint64_t hour;    /**< 0-23 */
    uint64_t minute;  /**< 0-59 */
    uint64_t second;  /**< 0-59 */
};

/** @brief The raw RTC registers (MC146818A data sheet, registers 0-9 and B; century at 0x32). */
struct cmos_raw {
    uint8_t sec;       /**< register 0x00: seconds */
    uint8_t min;       /**< 0x02: minutes */
    uint8_t hour;      /**< 0x04: hours (12-hour mode: bit 7 = PM) */
    uint8_t day;       /**< 0x07: day of the month */
    uint8_t mon;       /**< 0x08: month */
    uint8_t year;      /**< 0x09: year of the century */
    uint8_t century;   /**< 0x32: century (PC/AT) */
    uint8_t status_b;  /**< 0x0B: status register B (data mode, 24/12) */
};

/** @brief Whether every field of @p d is in range (day against the month's length, leap years included). */
bool cmos_date_valid(const struct cmos_date *d);

/** @brief Decode @p raw as register B says; false if a BCD digit is not 0-9 or the result is out of range. */
bool cmos_decode(const struct cmos_raw *raw, struct cmos_date *out);

/**
 * @brief Seconds since 1970-01-01 00:00:00 of a valid @p d (days from the
 *        civil date, H. Hinnant's algorithm, computed in 64 bits).
 */
uint64_t cmos_epoch_seconds(const struct cmos_date *d);

#endif
