/**
 * @file cmos_regs.h
 * @brief The PC's real-time clock as a guest reads it: index and data
 *        ports, the clock registers and status bits.
 *
 * Motorola MC146818A data sheet: registers 0-9 (seconds ... year),
 * register A bit 7 UIP ("update in progress": the clock registers are
 * being updated, read them only while it is clear, or within 244 us of it
 * clearing), register B bit 2 DM (1 = binary, 0 = BCD) and bit 1 24/12
 * (1 = 24-hour).  In 12-hour mode bit 7 of the hours register is PM.  The
 * century byte at index 0x32 is the IBM PC/AT convention (PC/AT Technical
 * Reference, "CMOS RAM address map"), not part of the MC146818 itself.
 * Port 0x70 bit 7 masks NMI on a PC: write indexes with it clear.
 */
#ifndef GUEST_CMOS_REGS_H
#define GUEST_CMOS_REGS_H

#define CMOS_PORT_INDEX 0x70
#define CMOS_PORT_DATA  0x71

#define CMOS_SECONDS 0x00
#define CMOS_MINUTES 0x02
#define CMOS_HOURS   0x04
#define CMOS_WEEKDAY 0x06
#define CMOS_DAY     0x07
#define CMOS_MONTH   0x08
#define CMOS_YEAR    0x09
#define CMOS_STATUS_A 0x0A
#define CMOS_STATUS_B 0x0B
#define CMOS_CENTURY 0x32

#define CMOS_A_UIP    0x80   /**< update in progress */
#define CMOS_B_24H    0x02   /**< 24-hour mode */
#define CMOS_B_BINARY 0x04   /**< binary (else BCD) */
#define CMOS_HOUR_PM  0x80   /**< 12-hour mode: PM */

#endif
