/**
 * @file mc146818.h
 * @brief The PC's CMOS real-time clock: a Motorola MC146818A behind the
 *        index port 0x70 and the data port 0x71.
 *
 * Two layers, as for the PIT (lesson 02).  struct mc146818 and the
 * mc146818_* functions are the pure chip logic: time is passed in as a
 * count of seconds on the caller's clock, so tests/test_cmos.c controls it
 * exactly.  cmos_ports.c puts the chip on a VM's port bus, starts its
 * clock from the host's own RTC (host_rtc.h) and advances it with the
 * host TSC, so the guest's clock ticks with the machine Spectrum runs on.
 *
 * Register map (MC146818A data sheet, "Address Map", Figure 4, and the
 * IBM PC/AT Technical Reference's CMOS RAM map):
 *
 *     0x00 seconds   0x01 alarm s   0x02 minutes  0x03 alarm m
 *     0x04 hours     0x05 alarm h   0x06 weekday  0x07 day of month
 *     0x08 month     0x09 year      0x0A status A 0x0B status B
 *     0x0C status C  0x0D status D  0x0E-0x7F user RAM (0x32: century)
 *
 * Bit 7 of a write to port 0x70 is not part of the index: on a PC it
 * gates the NMI line to the CPU (1 = NMIs masked); the chip has 128
 * bytes, so the index is the low 7 bits.
 */
#ifndef SPECTRUM_VDEV_MC146818_H
#define SPECTRUM_VDEV_MC146818_H

#include <stdbool.h>
#include <stdint.h>

/* ---- PC wiring (IBM PC/AT Technical Reference, I/O address map) ---- */
#define CMOS_PORT_INDEX 0x70   /**< write: register index (bits 6-0), NMI mask (bit 7) */
#define CMOS_PORT_DATA  0x71   /**< read/write: the selected register */
#define CMOS_NMI_MASK   0x80   /**< port 0x70 bit 7: NMIs masked */
#define CMOS_INDEX_MASK 0x7f   /**< the chip's 128 registers */
#define CMOS_SIZE       128    /**< registers and RAM bytes */

/* ---- Register indexes (data sheet "Address Map") ---- */
#define RTC_SECONDS       0x00  /**< 0-59 */
#define RTC_SECONDS_ALARM 0x01  /**< alarm: kept, never fires */
#define RTC_MINUTES       0x02  /**< 0-59 */
#define RTC_MINUTES_ALARM 0x03  /**< alarm: kept, never fires */
#define RTC_HOURS         0x04  /**< 0-23, or 1-12 with bit 7 = PM */
#define RTC_HOURS_ALARM   0x05  /**< alarm: kept, never fires */
#define RTC_WEEKDAY       0x06  /**< 1-7, Sunday = 1 */
#define RTC_DAY           0x07  /**< 1-31 */
#define RTC_MONTH         0x08  /**< 1-12 */
#define RTC_YEAR          0x09  /**< 0-99 */
#define RTC_STATUS_A      0x0A  /**< UIP, divider, rate select */
#define RTC_STATUS_B      0x0B  /**< SET, interrupt enables, DM, 24/12, DSE */
#define RTC_STATUS_C      0x0C  /**< interrupt flags (read-only, cleared by reading) */
#define RTC_STATUS_D      0x0D  /**< VRT: valid RAM and time (read-only) */
#define CMOS_CENTURY      0x32  /**< IBM PC/AT: the century, in the clock's format */

/* ---- Status bits (data sheet "Register A" ... "Register D") ---- */
#define RTC_A_UIP      0x80  /**< update in progress: time registers about to change */
#define RTC_A_DEFAULT  0x26  /**< DV = 010 (32.768 kHz time base), RS = 0110 (1024 Hz) */
#define RTC_B_SET      0x80  /**< the guest is setting the clock: updates stop */
#define RTC_B_PIE      0x40  /**< periodic interrupt enable */
#define RTC_B_AIE      0x20  /**< alarm interrupt enable */
#define RTC_B_UIE      0x10  /**< update-ended interrupt enable */
#define RTC_B_SQWE     0x08  /**< square-wave enable */
#define RTC_B_DM       0x04  /**< data mode: 1 binary, 0 BCD */
#define RTC_B_24H      0x02  /**< 1: 24-hour mode, 0: 12-hour mode with bit 7 of hours = PM */
#define RTC_B_DSE      0x01  /**< daylight saving enable (not modelled) */
#define RTC_B_DEFAULT  RTC_B_24H  /**< what a PC BIOS leaves: BCD, 24-hour */
#define RTC_D_VRT      0x80  /**< valid RAM and time: the battery is good */
#define RTC_HOURS_PM   0x80  /**< 12-hour mode: PM */

/** @brief A calendar time, as the clock counts it (no time zone: the PC
 *         convention is whatever the host's RTC holds, usually UTC). */
struct rtc_time {
    uint16_t year;    /**< full year, e.g. 2024 */
    uint8_t month;    /**< 1-12 */
    uint8_t day;      /**< 1-31 */
    uint8_t hour;     /**< 0-23 */
    uint8_t minute;   /**< 0-59 */
    uint8_t second;   /**< 0-59 */
};

/** @brief One MC146818A and its RAM. */
struct mc146818 {
    uint8_t ram[CMOS_SIZE];  /**< status A/B, alarms and user RAM (time registers are computed) */
    int64_t base;            /**< the clock, in seconds since 1970-01-01 00:00:00, at @c base_at */
    uint64_t base_at;        /**< caller's clock (seconds) at which @c base was right */
    uint8_t index;           /**< selected register (7 bits) */
    bool nmi_masked;         /**< bit 7 of the last index write */
    uint64_t reads;          /**< data-port reads */
    uint64_t writes;         /**< data-port writes */
    uint64_t index_writes;   /**< index-port writes */
};

/** @brief Power-on state: status registers as a BIOS leaves them, RAM
 *         zeroed, the clock showing @p t at caller's time @p now. */
void mc146818_reset(struct mc146818 *c, const struct rtc_time *t, uint64_t now);

/** @brief A write to port 0x70: select register @p v & 0x7f, record bit 7 (NMI mask). */
void mc146818_write_index(struct mc146818 *c, uint8_t v);

/** @brief A read of port 0x71 at caller's time @p now (seconds). */
uint8_t mc146818_read_data(struct mc146818 *c, uint64_t now);

/** @brief A write of @p v to port 0x71 at caller's time @p now (seconds). */
void mc146818_write_data(struct mc146818 *c, uint8_t v, uint64_t now);

/** @brief The time the clock shows at @p now. */
void mc146818_time(const struct mc146818 *c, uint64_t now, struct rtc_time *out);

/** @brief Encode @p v (0-99) for a time register in the format status
 *         register B selects: BCD unless B.DM (data sheet Table 3). */
uint8_t rtc_encode(uint8_t status_b, uint8_t v);

/** @brief Decode a time-register byte written in @p status_b's format;
 *         invalid BCD digits are taken modulo 10. */
uint8_t rtc_decode(uint8_t status_b, uint8_t raw);

/** @brief Decode an hours byte (0-23 in 24-hour mode; 1-12 with bit 7 = PM
 *         otherwise) written in @p status_b's format, as an hour 0-23. */
uint8_t rtc_decode_hour(uint8_t status_b, uint8_t raw);

/** @brief Seconds since 1970-01-01 00:00:00 of @p t (proleptic Gregorian; may be negative). */
int64_t rtc_to_seconds(const struct rtc_time *t);

/** @brief The calendar time @p s seconds after 1970-01-01 00:00:00. */
void rtc_from_seconds(int64_t s, struct rtc_time *out);

/** @brief Day of the week of @p t, 1-7 with Sunday = 1 (the chip's convention). */
uint8_t rtc_weekday(const struct rtc_time *t);

#endif
