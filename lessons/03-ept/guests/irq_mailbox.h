/**
 * @file irq_mailbox.h
 * @brief The platform guests' mailbox: a few words of guest RAM at a fixed
 *        guest-physical address through which a scenario tells a guest
 *        what to do (which hostile case to run) and the guest hands back
 *        what it measured (the RTC date, batch timings).
 *
 * Both sides include this file: the guests (lessons/03-ept/guests/) and the
 * scenarios (lessons/03-ept/scenarios/p_*.c), which read and write it with
 * gpm_read()/gpm_write().  The host treats everything the guest wrote here
 * as hostile: it checks the magic and the range of every field.
 *
 * It is the runtime's parameter block (guests/rt.h, RT_PARAM_GPA): the
 * scenario hands the request in through pc_guest_run()'s params and reads
 * the report back through its inspect hook.
 */
#ifndef SPECTRUM_IRQ_MAILBOX_H
#define SPECTRUM_IRQ_MAILBOX_H

#include <stddef.h>
#include <stdint.h>

#include "rt.h"

#define PLAT_MAILBOX_GPA   RT_PARAM_GPA /**< where the mailbox lives */
#define PLAT_MAILBOX_MAGIC 0x54414c50u  /**< "PLAT": the host wrote a request */
#define PLAT_REPORT_MAGIC  0x54524552u  /**< "RERT": the guest's report is complete */
#define PLAT_MAILBOX_VALS  12           /**< report words */

/** @brief The mailbox (little-endian, no padding). */
struct plat_mailbox {
    uint32_t magic;         /**< PLAT_MAILBOX_MAGIC, written by the host before the run */
    uint32_t request;       /**< host to guest: which case to run (hostile guests), else 0 */
    uint32_t report_magic;  /**< PLAT_REPORT_MAGIC once the guest filled @c val */
    uint32_t report_count;  /**< how many @c val words the guest filled */
    uint64_t val[PLAT_MAILBOX_VALS]; /**< guest to host: measurements (meaning per guest, below) */
};
_Static_assert(sizeof(struct plat_mailbox) == 16 + 8 * PLAT_MAILBOX_VALS, "no padding");
_Static_assert(offsetof(struct plat_mailbox, val) == 16, "values after the four header words");
_Static_assert(sizeof(struct plat_mailbox) <= RT_PARAM_MAX, "fits the parameter block");

/** Report words of the CMOS guest (guests/cmos_date.c). */
enum cmos_report {
    CMOS_REP_YEAR, CMOS_REP_MONTH, CMOS_REP_DAY, CMOS_REP_HOUR, CMOS_REP_MINUTE, CMOS_REP_SECOND,
    CMOS_REP_ADVANCED_MS,   /**< TSC time in ms over which the seconds register advanced */
    CMOS_REP_COUNT
};

/** Report words of the bench guest (guests/bench_exits.c). */
enum bench_report {
    BENCH_REP_N,            /**< accesses per batch */
    BENCH_REP_PIO_TSC,      /**< guest TSC ticks for the port-I/O batch */
    BENCH_REP_MMIO_TSC,     /**< guest TSC ticks for the MMIO batch */
    BENCH_REP_LOOP_TSC,     /**< guest TSC ticks for the same loop without an access */
    BENCH_REP_TSC_HZ,       /**< the guest's TSC calibration (Hz) */
    BENCH_REP_COUNT
};

/** Cases of the hostile device guests (request word). */
enum hostile_case {
    HOSTILE_NONE = 0,
    HOSTILE_APIC_MMIO,      /**< misaligned, 8-byte, read-only and reserved LAPIC accesses */
    HOSTILE_APIC_TIMER,     /**< divide 0b1011, counts 0xFFFFFFFF and 1, deadlines in the past */
    HOSTILE_APIC_ICR,       /**< every delivery mode and shorthand, INIT/SIPI to other IDs */
    HOSTILE_IOAPIC,         /**< IOREGSEL out of range, reserved vectors, odd modes, huge IDs */
    HOSTILE_PIT_PIC,        /**< fastest PIT, PIC garbage, EOIs with nothing in service */
    HOSTILE_PORTS,          /**< a sweep of every port, all widths, string I/O */
    HOSTILE_CASES
};

#endif
