/**
 * @file lapic.h
 * @brief The local APIC in xAPIC mode (Intel SDM Vol. 3A ch. 11,
 *        "Advanced Programmable Interrupt Controller (APIC)"): the pure
 *        model, hosted-testable.
 *
 * No VM, no console, no clock of its own: every call that depends on time
 * gets the current TSC (@p now), and lapic_reset() the TSC frequency, so
 * the unit tests (tests/test_lapic.c) drive it with a fake clock.  The
 * per-VM glue (lapic_dev.c, apic_irq.c, ...) owns one per lesson-03
 * machine and gives it the host's rdtsc() and tsc_hz().
 *
 * The timer's clock: the APIC timer counts a "bus clock" divided by the
 * divide configuration register (SDM §11.5.4).  Real CPUs tie that clock
 * to the core crystal or the front-side bus; here it is a fixed
 * LAPIC_BUS_HZ of 1 GHz, whatever the host's TSC rate: one count is one
 * nanosecond times the divider, the same on every host, so a guest (or a
 * test) that assumes a rate gets it, and Linux, which calibrates the
 * timer against the PIT, measures 1 GHz.  The price is one
 * multiply-divide per conversion between TSC ticks and counts.
 *
 * Everything the guest writes is taken apart field by field: read-only
 * and reserved bits keep their values, unimplemented offsets set the ESR's
 * "illegal register address" bit, and accesses other than aligned 32-bit
 * ones (the only ones the xAPIC defines, SDM §11.4.1) read 0, are
 * dropped, and are counted.
 */
#ifndef SPECTRUM_LAPIC_H
#define SPECTRUM_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "apic/apic_msg.h"

#define LAPIC_BASE_DEFAULT 0xfee00000ull  /**< power-up base (SDM §11.4.1) */
#define LAPIC_MMIO_SIZE    0x1000u        /**< the register page */
#define LAPIC_BUS_HZ       1000000000ull  /**< the timer's base clock here (see above) */

/* ---- IA32_APIC_BASE (MSR 0x1B), SDM §11.4.4 Figure 11-5 ---- */
#define APIC_BASE_BSP    (1ull << 8)    /**< this is the bootstrap processor */
#define APIC_BASE_EXTD   (1ull << 10)   /**< x2APIC mode (not offered: CPUID hides x2APIC) */
#define APIC_BASE_ENABLE (1ull << 11)   /**< APIC global enable */
#define APIC_BASE_ADDR   0x000ffffffffff000ull /**< base address, bits 51:12 */

/* ---- Register offsets, SDM §11.4.1 Table 11-1 ---- */
#define LAPIC_ID      0x020  /**< local APIC ID (bits 31:24) */
#define LAPIC_VERSION 0x030  /**< version, max LVT entry */
#define LAPIC_TPR     0x080  /**< task priority */
#define LAPIC_APR     0x090  /**< arbitration priority */
#define LAPIC_PPR     0x0a0  /**< processor priority (read only) */
#define LAPIC_EOI     0x0b0  /**< end of interrupt (write only) */
#define LAPIC_RRD     0x0c0  /**< remote read (read only) */
#define LAPIC_LDR     0x0d0  /**< logical destination (bits 31:24) */
#define LAPIC_DFR     0x0e0  /**< destination format (bits 31:28) */
#define LAPIC_SVR     0x0f0  /**< spurious-interrupt vector */
#define LAPIC_ISR     0x100  /**< in-service, 8 registers 0x100-0x170 */
#define LAPIC_TMR     0x180  /**< trigger mode, 0x180-0x1f0 */
#define LAPIC_IRR     0x200  /**< interrupt request, 0x200-0x270 */
#define LAPIC_ESR     0x280  /**< error status */
#define LAPIC_ICR_LO  0x300  /**< interrupt command, bits 31:0 */
#define LAPIC_ICR_HI  0x310  /**< interrupt command, bits 63:32 */
#define LAPIC_LVT_TIMER   0x320  /**< LVT timer */
#define LAPIC_LVT_THERMAL 0x330  /**< LVT thermal sensor */
#define LAPIC_LVT_PMC     0x340  /**< LVT performance-monitoring counters */
#define LAPIC_LVT_LINT0   0x350  /**< LVT LINT0 */
#define LAPIC_LVT_LINT1   0x360  /**< LVT LINT1 */
#define LAPIC_LVT_ERROR   0x370  /**< LVT error */
#define LAPIC_TIMER_ICR   0x380  /**< timer initial count */
#define LAPIC_TIMER_CCR   0x390  /**< timer current count (read only) */
#define LAPIC_TIMER_DCR   0x3e0  /**< timer divide configuration */

/** Version register: version 0x14 (integrated APIC), max LVT entry 5
 *  (six entries: no CMCI), no EOI-broadcast suppression (bit 24 = 0). */
#define LAPIC_VERSION_VALUE 0x00050014u

/* ---- LVT fields, SDM §11.5.1 Figure 11-8 ---- */
#define LVT_VECTOR      0x000000ffu  /**< vector */
#define LVT_DM_SHIFT    8            /**< delivery mode, bits 10:8 */
#define LVT_DM_MASK     0x00000700u  /**< delivery mode field */
#define LVT_PENDING     (1u << 12)   /**< delivery status (read only; always 0 here) */
#define LVT_POLARITY    (1u << 13)   /**< LINT: input polarity */
#define LVT_REMOTE_IRR  (1u << 14)   /**< LINT: remote IRR (read only) */
#define LVT_LEVEL       (1u << 15)   /**< LINT: trigger mode */
#define LVT_MASKED      (1u << 16)   /**< mask */
#define LVT_TIMER_MODE_SHIFT 17      /**< timer mode, bits 18:17 */
#define LVT_TIMER_MODE_MASK  (3u << 17) /**< timer mode field */
#define LVT_TIMER_ONESHOT  0u        /**< one-shot */
#define LVT_TIMER_PERIODIC 1u        /**< periodic */
#define LVT_TIMER_DEADLINE 2u        /**< TSC-deadline (SDM §11.5.4.1) */

/* ---- SVR, SDM §11.9 Figure 11-23 ---- */
#define SVR_ENABLE      (1u << 8)    /**< APIC software enable */
#define SVR_WRITABLE    0x3ffu       /**< vector, enable, focus-check disable */

/* ---- ESR bits, SDM §11.5.3 Figure 11-9 ---- */
#define ESR_SEND_ILLEGAL    (1u << 5)  /**< sent an illegal vector */
#define ESR_RECV_ILLEGAL    (1u << 6)  /**< received an illegal vector */
#define ESR_ILLEGAL_REG     (1u << 7)  /**< access to an unimplemented register */

/* ---- ICR, SDM §11.6.1 Figure 11-12 ---- */
#define ICR_DEST_LOGICAL  (1u << 11)   /**< destination mode */
#define ICR_LEVEL_ASSERT  (1u << 14)   /**< level: assert */
#define ICR_TRIGGER_LEVEL (1u << 15)   /**< trigger mode */
#define ICR_SHORTHAND_SHIFT 18         /**< destination shorthand, bits 19:18 */
#define ICR_SH_NONE       0u           /**< the destination field */
#define ICR_SH_SELF       1u           /**< self */
#define ICR_SH_ALL        2u           /**< all including self */
#define ICR_SH_OTHERS     3u           /**< all excluding self */
#define ICR_LO_WRITABLE   0x000ccfffu  /**< bits 0-11, 14, 15, 18, 19 */
#define ICR_HI_WRITABLE   0xff000000u  /**< destination, bits 63:56 */

/** The local vector table, in register order. */
enum lapic_lvt { LVT_TIMER, LVT_THERMAL, LVT_PMC, LVT_LINT0, LVT_LINT1, LVT_ERROR, LVT_COUNT };

/** @brief Counters, for statistics and tests. */
struct lapic_stats {
    uint64_t timer_fires;        /**< the timer reached zero / its deadline */
    uint64_t timer_masked;       /**< ... while its LVT entry was masked (nothing delivered) */
    uint64_t timer_lost;         /**< periodic expiries folded into one (the guest was not entered in time) */
    uint64_t accepted;           /**< interrupts accepted into the IRR */
    uint64_t coalesced;          /**< ... whose IRR bit was already set */
    uint64_t delivered;          /**< vectors acknowledged (IRR -> ISR: injected into the guest) */
    uint64_t eois;               /**< EOI writes that ended an in-service vector */
    uint64_t level_eois;         /**< ... of level-triggered vectors (told to the I/O APIC) */
    uint64_t ipis_self;          /**< ICR fixed IPIs to itself */
    uint64_t ipis_ignored;       /**< ICR IPIs to other APICs, INIT, SIPI, NMI, SMI: no other CPU here */
    uint64_t msgs_ignored;       /**< I/O APIC messages not accepted (not for us, NMI/SMI/INIT/ExtINT) */
    uint64_t bad_accesses;       /**< unaligned or non-32-bit register accesses (read 0 / dropped) */
    uint64_t illegal_regs;       /**< accesses to unimplemented offsets (ESR bit 7) */
    uint64_t ro_writes;          /**< writes to read-only registers (dropped) */
};

/** @brief Called on the EOI of a level-triggered vector (to tell the I/O APIC). */
typedef void (*lapic_eoi_fn)(void *ctx, uint8_t vector);

/** @brief One local APIC (xAPIC mode). */
struct lapic {
    uint64_t apic_base;          /**< IA32_APIC_BASE as the guest reads it */
    uint32_t id;                 /**< ID register (APIC ID in bits 31:24) */
    uint32_t tpr;                /**< task priority, bits 7:0 */
    uint32_t ldr;                /**< logical destination, bits 31:24 */
    uint32_t dfr;                /**< destination format: bits 31:28, 27:0 read 1 */
    uint32_t svr;                /**< spurious-interrupt vector register */
    uint32_t esr;                /**< error status as last latched by an ESR write */
    uint32_t esr_pending;        /**< errors seen since that write */
    uint32_t icr_lo;             /**< interrupt command, low half (vector, mode, shorthand) */
    uint32_t icr_hi;             /**< interrupt command, high half (destination) */
    uint32_t lvt[LVT_COUNT];     /**< local vector table */
    uint32_t isr[8];             /**< in service: 256 bits, bit v of word v/32 */
    uint32_t tmr[8];             /**< trigger mode (1 = level) of each accepted vector */
    uint32_t irr[8];             /**< requested: 256 bits, bit v of word v/32 */
    uint32_t timer_initial;      /**< timer initial count register */
    uint32_t timer_dcr;          /**< divide configuration register (bits 0, 1, 3) */
    bool timer_armed;            /**< one-shot/periodic: counting */
    uint64_t timer_start;        /**< TSC when counting started (or restarted after a divide change) */
    uint32_t timer_base;         /**< the count at timer_start */
    uint64_t timer_periods;      /**< expiries already handled since timer_start */
    uint64_t tsc_deadline;       /**< IA32_TSC_DEADLINE: 0 = disarmed */
    uint64_t tsc_hz;             /**< TSC ticks per second */
    lapic_eoi_fn eoi_level;      /**< may be NULL */
    void *eoi_ctx;               /**< its argument */
    struct lapic_stats stats;    /**< counters */
};

/** @brief Power-up state (SDM §11.4.7.1): LVTs masked, SVR 0xFF, DFR all
 *         ones, everything else 0; IA32_APIC_BASE = base | BSP | enable.
 *         Keeps the EOI callback; counters cleared. */
void lapic_reset(struct lapic *l, uint64_t tsc_hz);

/** @brief Set the function told about EOIs of level-triggered vectors. */
void lapic_set_eoi_hook(struct lapic *l, lapic_eoi_fn fn, void *ctx);

/** @brief A guest read of @p size bytes at register offset @p offset (0..0xfff). */
uint32_t lapic_read(struct lapic *l, uint32_t offset, unsigned size, uint64_t now);

/** @brief A guest write of @p size bytes of @p value at register offset @p offset. */
void lapic_write(struct lapic *l, uint32_t offset, unsigned size, uint64_t value, uint64_t now);

/** @brief Globally enabled (IA32_APIC_BASE[11])? */
bool lapic_enabled(const struct lapic *l);
/** @brief Software enabled (SVR[8], and globally enabled)? */
bool lapic_sw_enabled(const struct lapic *l);

/** @brief IA32_APIC_BASE write outcome. */
enum lapic_base_result {
    LAPIC_BASE_OK,           /**< done */
    LAPIC_BASE_MOVED,        /**< done, but the base stays at 0xFEE00000 (relocation not supported) */
    LAPIC_BASE_GP,           /**< reserved bits or x2APIC: the WRMSR raises \#GP(0) */
};
/** @brief WRMSR IA32_APIC_BASE (SDM §11.4.4); disabling and enabling again resets the APIC. */
enum lapic_base_result lapic_set_base(struct lapic *l, uint64_t value);

/** @brief RDMSR IA32_TSC_DEADLINE: the armed deadline, 0 if none or not in TSC-deadline mode. */
uint64_t lapic_tsc_deadline(const struct lapic *l);
/** @brief WRMSR IA32_TSC_DEADLINE (ignored outside TSC-deadline mode; 0 disarms). */
void lapic_set_tsc_deadline(struct lapic *l, uint64_t deadline, uint64_t now);

/** @brief MOV from CR8: TPR[7:4] (SDM §11.8.6). */
uint64_t lapic_cr8(const struct lapic *l);
/** @brief MOV to CR8 of @p value (bits 3:0; the caller refuses the rest): TPR = value << 4. */
void lapic_set_cr8(struct lapic *l, uint64_t value);

/** @brief Processor priority (SDM §11.8.3.1). */
uint32_t lapic_ppr(const struct lapic *l);

/** @brief Let the timer catch up with @p now: expiries set the IRR (if unmasked). */
void lapic_update(struct lapic *l, uint64_t now);

/** @brief TSC of the next timer expiry that would change what the guest
 *         sees (unmasked, vector not already requested), or UINT64_MAX. */
uint64_t lapic_timer_next(const struct lapic *l);

/** @brief Accept @p vector into the IRR (TMR = @p level); false for an illegal vector. */
bool lapic_accept(struct lapic *l, uint8_t vector, bool level);

/** @brief A message from the APIC bus (an I/O APIC): accepted if it is
 *         for this APIC and fixed or lowest priority. */
bool lapic_receive(struct lapic *l, const struct apic_msg *m);

/** @brief Does destination @p dest (mode @p logical) name this APIC? (SDM §11.6.2) */
bool lapic_match_dest(const struct lapic *l, uint8_t dest, bool logical);

/** @brief The vector the APIC would hand the CPU now (highest IRR above PPR), or -1. */
int lapic_pending(const struct lapic *l);

/** @brief The CPU takes the pending vector: IRR -> ISR; returns it (-1 if none). */
int lapic_ack(struct lapic *l);

/** @brief Whether the 8259's INT output reaches the CPU through LINT0:
 *         the APIC globally or software disabled, or LINT0 unmasked ExtINT. */
bool lapic_extint_passes(const struct lapic *l);

/** @brief The timer's divider (1..128) from the divide configuration register. */
unsigned lapic_timer_divider(const struct lapic *l);

#endif
