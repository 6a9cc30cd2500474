/**
 * @file p_cmos_calc.c
 * @brief Date decoding and arithmetic for scenario p-cmos (p_cmos_calc.h).
 *        Freestanding and hosted: no library calls.
 */
#include "scenarios/p_cmos_calc.h"

#include "vdev/mc146818.h"


static bool leap(uint64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool cmos_date_valid(const struct cmos_date *d)
{
    static const uint8_t mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (d->year < 1970 || d->year > 9999 || d->month < 1 || d->month > 12 || d->day < 1)
        return false;
    uint64_t last = mdays[d->month - 1] + (d->month == 2 && leap(d->year) ? 1 : 0);
    return d->day <= last && d->hour < 24 && d->minute < 60 && d->second < 60;
}

static bool from_bcd(uint8_t v, uint64_t *out)
{
    if ((v >> 4) > 9 || (v & 0x0F) > 9)
        return false;
    *out = (uint64_t)(v >> 4) * 10 + (v & 0x0F);
    return true;
}

bool cmos_decode(const struct cmos_raw *raw, struct cmos_date *out)
{
    bool pm = !(raw->status_b & RTC_B_24H) && (raw->hour & RTC_HOURS_PM);
    uint8_t hour = (uint8_t)(raw->hour & (raw->status_b & RTC_B_24H ? 0xFF : ~RTC_HOURS_PM));
    uint64_t century;
    if (raw->status_b & RTC_B_DM) {
        out->second = raw->sec, out->minute = raw->min, out->hour = hour;
        out->day = raw->day, out->month = raw->mon, out->year = raw->year;
        century = raw->century;
    } else if (!from_bcd(raw->sec, &out->second) || !from_bcd(raw->min, &out->minute) ||
               !from_bcd(hour, &out->hour) || !from_bcd(raw->day, &out->day) || !from_bcd(raw->mon, &out->month) ||
               !from_bcd(raw->year, &out->year) || !from_bcd(raw->century, &century)) {
        return false;
    }
    if (out->year > 99)
        return false;
    out->year += century * 100;
    if (!(raw->status_b & RTC_B_24H)) {
        if (out->hour < 1 || out->hour > 12)
            return false;
        out->hour = out->hour % 12 + (pm ? 12 : 0);
    }
    return cmos_date_valid(out);
}

uint64_t cmos_epoch_seconds(const struct cmos_date *d)
{
    /* Days from 1970-01-01, counting years from March so February's
     * leap day comes last (Hinnant, "chrono-compatible low-level date
     * algorithms", days_from_civil). */
    uint64_t y = d->year - (d->month <= 2);
    uint64_t era = y / 400;
    uint64_t yoe = y - era * 400;
    uint64_t mp = (d->month + 9) % 12;
    uint64_t doy = (153 * mp + 2) / 5 + d->day - 1;
    uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    uint64_t days = era * 146097 + doe - 719468;
    return days * 86400 + d->hour * 3600 + d->minute * 60 + d->second;
}
