/**
 * @file lapic.c
 * @brief The local APIC model (xAPIC mode): registers, priorities, the
 *        timer, self-IPIs and EOI.  See lapic.h; section numbers are of
 *        the Intel SDM Vol. 3A, chapter 11.
 */
#include "apic/lapic.h"
#include "spectrum/exercise.h"

#define NO_TIME UINT64_MAX

/* Bits of IA32_APIC_BASE a WRMSR must leave 0: 7:0, 9, and 63:52 (above
 * any MAXPHYADDR; §11.4.4).  EXTD (10) is refused separately. */
#define APIC_BASE_RESERVED (0xffull | (1ull << 9) | 0xfff0000000000000ull)

/* Writable bits of each LVT entry (§11.5.1 Figure 11-8): the timer has no
 * delivery mode but a timer mode; only LINT0/1 have polarity and trigger. */
static const uint32_t lvt_writable[LVT_COUNT] = {
    [LVT_TIMER] = LVT_VECTOR | LVT_MASKED | LVT_TIMER_MODE_MASK,
    [LVT_THERMAL] = LVT_VECTOR | LVT_DM_MASK | LVT_MASKED,
    [LVT_PMC] = LVT_VECTOR | LVT_DM_MASK | LVT_MASKED,
    [LVT_LINT0] = LVT_VECTOR | LVT_DM_MASK | LVT_POLARITY | LVT_LEVEL | LVT_MASKED,
    [LVT_LINT1] = LVT_VECTOR | LVT_DM_MASK | LVT_POLARITY | LVT_LEVEL | LVT_MASKED,
    [LVT_ERROR] = LVT_VECTOR | LVT_MASKED,
};

/* ---- 256-bit registers (ISR, TMR, IRR): bit v in word v / 32 ---- */

static bool bit_get(const uint32_t *r, unsigned v) { return (r[v >> 5] >> (v & 31)) & 1; }
static void bit_set(uint32_t *r, unsigned v) { r[v >> 5] |= 1u << (v & 31); }
static void bit_clear(uint32_t *r, unsigned v) { r[v >> 5] &= ~(1u << (v & 31)); }

static int bit_highest(const uint32_t *r)
{
    for (int i = 7; i >= 0; i--)
        if (r[i])
            return i * 32 + 31 - __builtin_clz(r[i]);
    return -1;
}

/* ---- state ---- */

static unsigned timer_mode(const struct lapic *l)
{
    return (l->lvt[LVT_TIMER] & LVT_TIMER_MODE_MASK) >> LVT_TIMER_MODE_SHIFT;
}

/* Registers to their power-up values (§11.4.7.1); IA32_APIC_BASE, the
 * clock, the EOI hook and the counters are the caller's. */
static void regs_reset(struct lapic *l)
{
    l->id = 0;
    l->tpr = l->ldr = l->esr = l->esr_pending = l->icr_lo = l->icr_hi = 0;
    l->dfr = 0xffffffffu;
    l->svr = 0xffu;
    for (int i = 0; i < LVT_COUNT; i++)
        l->lvt[i] = LVT_MASKED;
    for (int i = 0; i < 8; i++)
        l->isr[i] = l->tmr[i] = l->irr[i] = 0;
    l->timer_initial = l->timer_dcr = l->timer_base = 0;
    l->timer_armed = false;
    l->timer_start = l->timer_periods = l->tsc_deadline = 0;
}

void lapic_reset(struct lapic *l, uint64_t tsc_hz)
{
    /* The conversions below multiply a remainder below tsc_hz by 1e9 in 64
     * bits: keep the rate within what a TSC can be (1 MHz .. 10 GHz). */
    if (tsc_hz < 1000000u)
        tsc_hz = LAPIC_BUS_HZ;
    if (tsc_hz > 10000000000ull)
        tsc_hz = 10000000000ull;
    l->tsc_hz = tsc_hz;
    l->apic_base = LAPIC_BASE_DEFAULT | APIC_BASE_BSP | APIC_BASE_ENABLE;
    l->stats = (struct lapic_stats){ 0 };
    regs_reset(l);
}

void lapic_set_eoi_hook(struct lapic *l, lapic_eoi_fn fn, void *ctx)
{
    l->eoi_level = fn;
    l->eoi_ctx = ctx;
}

bool lapic_enabled(const struct lapic *l)
{
    return l->apic_base & APIC_BASE_ENABLE;
}

bool lapic_sw_enabled(const struct lapic *l)
{
    return lapic_enabled(l) && (l->svr & SVR_ENABLE);
}

/* ---- priorities and acceptance (§11.8) ---- */

uint32_t lapic_ppr(const struct lapic *l)
{
    /* §11.8.3.1: PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4] << 4,
     * where ISRV is the highest vector in service (0 if none). */
    int isrv = bit_highest(l->isr);
    uint32_t isr_class = isrv < 0 ? 0 : ((uint32_t)isrv & 0xf0u);
    return (l->tpr & 0xf0u) >= isr_class ? (l->tpr & 0xffu) : isr_class;
}

/* An error (§11.5.3): latched for the next ESR write, and signalled
 * through the LVT error entry when it is unmasked. */
static void lapic_error(struct lapic *l, uint32_t bits)
{
    l->esr_pending |= bits;
    uint32_t e = l->lvt[LVT_ERROR];
    unsigned vector = e & LVT_VECTOR;
    if (!(e & LVT_MASKED) && vector >= APIC_VECTOR_MIN) {
        bit_set(l->irr, vector);
        bit_clear(l->tmr, vector);
    }
}

bool lapic_accept(struct lapic *l, uint8_t vector, bool level)
{
    if (vector < APIC_VECTOR_MIN) {
        /* §11.5.2: vectors 0-15 are reserved; the APIC refuses them. */
        lapic_error(l, ESR_RECV_ILLEGAL);
        return false;
    }
    if (bit_get(l->irr, vector))
        l->stats.coalesced++;
    bit_set(l->irr, vector);
    /* §11.8.4: TMR set for level-triggered, cleared for edge, on acceptance. */
    if (level)
        bit_set(l->tmr, vector);
    else
        bit_clear(l->tmr, vector);
    l->stats.accepted++;
    return true;
}

bool lapic_match_dest(const struct lapic *l, uint8_t dest, bool logical)
{
    if (dest == APIC_DEST_BROADCAST)
        return true;
    if (!logical)
        return dest == (l->id >> 24);
    /* §11.6.2.2: flat model (DFR[31:28] = 1111b) ANDs the 8-bit MDA with
     * LDR[31:24]; cluster model (0000b) compares the cluster in bits 7:4
     * and ANDs the member bits 3:0. */
    uint8_t ldr = (uint8_t)(l->ldr >> 24);
    if ((l->dfr >> 28) == 0xf)
        return (ldr & dest) != 0;
    return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xf);
}

bool lapic_receive(struct lapic *l, const struct apic_msg *m)
{
    if (lapic_enabled(l) && lapic_match_dest(l, m->dest, m->logical) &&
        (m->mode == APIC_DM_FIXED || m->mode == APIC_DM_LOWEST))
        return lapic_accept(l, m->vector, m->level);
    /* Not for this APIC (no other CPU exists), or NMI/SMI/INIT/ExtINT,
     * which this model does not deliver through messages. */
    l->stats.msgs_ignored++;
    return false;
}

int lapic_pending(const struct lapic *l)
{
    /* §11.4.7.2: a software-disabled APIC holds its IRR; §11.8.3: only a
     * vector whose priority class is above PPR[7:4] is dispatched. */
    if (!lapic_sw_enabled(l))
        return -1;
    int v = bit_highest(l->irr);
    if (v < 0 || ((unsigned)v & 0xf0u) <= (lapic_ppr(l) & 0xf0u))
        return -1;
    return v;
}

int lapic_ack(struct lapic *l)
{
    int v = lapic_pending(l);
    if (v < 0)
        return -1;
    bit_clear(l->irr, (unsigned)v);
    bit_set(l->isr, (unsigned)v);
    l->stats.delivered++;
    return v;
}

static void lapic_eoi(struct lapic *l)
{
    /* §11.8.5: EOI ends the highest-priority vector in service; for a
     * level-triggered one (TMR set) the EOI is broadcast to the I/O APICs. */
    int v = bit_highest(l->isr);
    if (v < 0)
        return;
    bit_clear(l->isr, (unsigned)v);
    l->stats.eois++;
    if (bit_get(l->tmr, (unsigned)v)) {
        l->stats.level_eois++;
        if (l->eoi_level)
            l->eoi_level(l->eoi_ctx, (uint8_t)v);
    }
}

bool lapic_extint_passes(const struct lapic *l)
{
    /* A globally disabled APIC makes LINT0 the plain INTR pin (§11.4.3);
     * a software-disabled one is treated the same (no firmware here sets
     * LINT0 up for "virtual wire mode"); otherwise LINT0 must be unmasked
     * with delivery mode ExtINT (§11.5.1, MP Specification §3.6.2.2). */
    uint32_t lint0 = l->lvt[LVT_LINT0];
    return !lapic_sw_enabled(l) ||
           (!(lint0 & LVT_MASKED) && ((lint0 & LVT_DM_MASK) >> LVT_DM_SHIFT) == APIC_DM_EXTINT);
}

uint64_t lapic_cr8(const struct lapic *l)
{
    return (l->tpr >> 4) & 0xf;
}

void lapic_set_cr8(struct lapic *l, uint64_t value)
{
    /* §11.8.6.1: MOV to CR8 writes TPR[7:4] and clears TPR[3:0]. */
    l->tpr = (uint32_t)(value & 0xf) << 4;
}

/* ---- the timer (§11.5.4) ---- */

unsigned lapic_timer_divider(const struct lapic *l)
{
    /* Figure 11-10: bits 3,1:0 = 000b..110b divide by 2..128, 111b by 1. */
    unsigned code = (l->timer_dcr & 3) | ((l->timer_dcr >> 1) & 4);
    return code == 7 ? 1 : 2u << code;
}

/* Counts elapsed between timer_start and @p now: TSC ticks to bus ticks
 * (LAPIC_BUS_HZ), divided by the divider.  Split so nothing overflows:
 * the remainder is below tsc_hz <= 1e10, times 1e9 < 2^64. */
static uint64_t counts_elapsed(const struct lapic *l, uint64_t now)
{
    if (now <= l->timer_start)
        return 0;
    uint64_t d = now - l->timer_start, hz = l->tsc_hz;
    uint64_t ticks = d / hz * LAPIC_BUS_HZ + d % hz * LAPIC_BUS_HZ / hz;
    return ticks / lapic_timer_divider(l);
}

/* The first TSC at which counts_elapsed() reaches @p counts (rounded up,
 * so the two conversions agree). */
static uint64_t tsc_after_counts(const struct lapic *l, uint64_t counts)
{
    uint64_t ticks = counts * lapic_timer_divider(l);
    uint64_t t = ticks / LAPIC_BUS_HZ * l->tsc_hz + (ticks % LAPIC_BUS_HZ * l->tsc_hz + LAPIC_BUS_HZ - 1) / LAPIC_BUS_HZ;
    return l->timer_start + t < l->timer_start ? NO_TIME : l->timer_start + t;
}

/* Count position (counts after timer_start) of expiry number @p k (0
 * first): the base count, then one initial count per periodic reload. */
static uint64_t expiry_pos(const struct lapic *l, uint64_t k)
{
    return (uint64_t)l->timer_base + k * l->timer_initial;
}

static void timer_fire(struct lapic *l)
{
    l->stats.timer_fires++;
    uint32_t e = l->lvt[LVT_TIMER];
    if (e & LVT_MASKED)
        l->stats.timer_masked++;   /* §11.5.1: the mask stops delivery, not counting */
    else
        lapic_accept(l, (uint8_t)(e & LVT_VECTOR), false);
}

static uint32_t timer_current(const struct lapic *l, uint64_t now)
{
    /* §11.5.4: in TSC-deadline mode the current count reads 0; a one-shot
     * timer that expired stays at 0; a periodic one counts initial..1. */
    if (timer_mode(l) == LVT_TIMER_DEADLINE || !l->timer_armed)
        return 0;
    uint64_t e = counts_elapsed(l, now);
    if (e < l->timer_base)
        return (uint32_t)(l->timer_base - e);
    if (timer_mode(l) == LVT_TIMER_PERIODIC && l->timer_initial)
        return (uint32_t)(l->timer_initial - (e - l->timer_base) % l->timer_initial);
    return 0;
}

void lapic_update(struct lapic *l, uint64_t now)
{
    if (timer_mode(l) == LVT_TIMER_DEADLINE) {
        /* §11.5.4.1: the timer fires once when the TSC reaches the
         * deadline, and the deadline MSR then reads 0. */
        if (l->tsc_deadline && now >= l->tsc_deadline) {
            l->tsc_deadline = 0;
            timer_fire(l);
        }
        return;
    }
    if (!l->timer_armed)
        return;
    /* EXERCISE 03.lapic-timer 10 "One-shot and periodic expiry: counts elapsed since timer_start (counts_elapsed), fire at expiry_pos(periods); one-shot stops, periodic reloads from the initial count and folds missed periods into one interrupt (SDM Vol. 3A 11.5.4)" */
    uint64_t e = counts_elapsed(l, now);
    if (e < expiry_pos(l, l->timer_periods))
        return;
    if (timer_mode(l) != LVT_TIMER_PERIODIC || !l->timer_initial) {
        l->timer_armed = false;   /* one-shot (and the reserved mode 3): stays at 0 */
    } else {
        uint64_t done = (e - l->timer_base) / l->timer_initial + 1;   /* expiries up to now */
        l->stats.timer_lost += done - l->timer_periods - 1;
        l->timer_periods = done;
    }
    timer_fire(l);
    /* STUB
    // The timer never fires: disarm it so this is said once per start.
    EXERCISE_TODO();
    (void)counts_elapsed;
    (void)expiry_pos;
    (void)timer_fire;
    l->timer_armed = false;
    STUB END */
    /* END EXERCISE 03.lapic-timer */
}

uint64_t lapic_timer_next(const struct lapic *l)
{
    uint32_t e = l->lvt[LVT_TIMER];
    unsigned vector = e & LVT_VECTOR;
    /* Masked: expiries change nothing the guest sees (the current count is
     * computed from the clock when read).  Vector already requested: one
     * more expiry would coalesce with it; the guest's EOI or acceptance
     * exits anyway, and lapic_update() catches up then. */
    if (!lapic_sw_enabled(l) || (e & LVT_MASKED) || (vector >= APIC_VECTOR_MIN && bit_get(l->irr, vector)))
        return NO_TIME;
    if (timer_mode(l) == LVT_TIMER_DEADLINE)
        return l->tsc_deadline ? l->tsc_deadline : NO_TIME;
    if (!l->timer_armed)
        return NO_TIME;
    return tsc_after_counts(l, expiry_pos(l, l->timer_periods));
}

/* A new initial count: one-shot and periodic start counting from it; 0
 * stops the timer (§11.5.4); in TSC-deadline mode it is ignored. */
static void timer_start(struct lapic *l, uint32_t count, uint64_t now)
{
    if (timer_mode(l) == LVT_TIMER_DEADLINE)
        return;
    l->timer_initial = count;
    l->timer_base = count;
    l->timer_start = now;
    l->timer_periods = 0;
    l->timer_armed = count != 0;
}

/* A new divider: keep the current count and go on counting from it at the
 * new rate (a periodic timer still reloads the initial count). */
static void timer_set_divide(struct lapic *l, uint32_t value, uint64_t now)
{
    lapic_update(l, now);
    uint32_t cur = timer_current(l, now);
    l->timer_dcr = value & 0xbu;
    if (l->timer_armed && cur) {
        l->timer_start = now;
        l->timer_base = cur;
        l->timer_periods = 0;
    }
}

static void timer_set_lvt(struct lapic *l, uint32_t value, uint64_t now)
{
    lapic_update(l, now);   /* expiries due under the old entry first */
    unsigned old = timer_mode(l);
    l->lvt[LVT_TIMER] = value;
    if (timer_mode(l) != old) {
        /* §11.5.4.1: changing the mode disarms the timer (deadline and
         * initial count alike). */
        l->timer_armed = false;
        l->timer_initial = 0;
        l->tsc_deadline = 0;
    }
}

uint64_t lapic_tsc_deadline(const struct lapic *l)
{
    return timer_mode(l) == LVT_TIMER_DEADLINE ? l->tsc_deadline : 0;
}

void lapic_set_tsc_deadline(struct lapic *l, uint64_t deadline, uint64_t now)
{
    /* §11.5.4.1: "In other timer modes (LVT bit 18 = 0), the
     * IA32_TSC_DEADLINE MSR reads zero and writes are ignored." */
    if (timer_mode(l) != LVT_TIMER_DEADLINE)
        return;
    l->tsc_deadline = deadline;
    if (deadline)
        lapic_update(l, now);   /* a deadline already past fires at once */
}

/* ---- IPIs (§11.6) ---- */

static void icr_send(struct lapic *l)
{
    uint32_t lo = l->icr_lo;
    unsigned mode = (lo & LVT_DM_MASK) >> LVT_DM_SHIFT;
    unsigned shorthand = (lo >> ICR_SHORTHAND_SHIFT) & 3;
    uint8_t vector = (uint8_t)(lo & LVT_VECTOR);
    bool self;
    switch (shorthand) {
    case ICR_SH_SELF:
    case ICR_SH_ALL: self = true; break;
    case ICR_SH_OTHERS: self = false; break;
    default: self = lapic_match_dest(l, (uint8_t)(l->icr_hi >> 24), lo & ICR_DEST_LOGICAL); break;
    }
    /* One vCPU: only fixed (or lowest-priority, which then can only pick
     * this APIC) interrupts to itself have an effect; INIT, SIPI, NMI, SMI
     * and anything for other APIC IDs has no one to reach. */
    bool fixed = mode == APIC_DM_FIXED || (mode == APIC_DM_LOWEST && shorthand == ICR_SH_NONE);
    if (!self || !fixed) {
        l->stats.ipis_ignored++;
        return;
    }
    if (vector < APIC_VECTOR_MIN) {
        lapic_error(l, ESR_SEND_ILLEGAL);   /* §11.5.3: and the receiving side refuses it */
        lapic_accept(l, vector, false);
        return;
    }
    l->stats.ipis_self++;
    lapic_accept(l, vector, false);
}

/* ---- register access (§11.4.1 Table 11-1) ---- */

static bool access_ok(struct lapic *l, uint32_t offset, unsigned size)
{
    if (size == 4 && (offset & 0xf) == 0 && offset < LAPIC_MMIO_SIZE)
        return true;
    l->stats.bad_accesses++;
    return false;
}

static int lvt_index(uint32_t offset)
{
    return offset >= LAPIC_LVT_TIMER && offset <= LAPIC_LVT_ERROR ? (int)((offset - LAPIC_LVT_TIMER) >> 4) : -1;
}

uint32_t lapic_read(struct lapic *l, uint32_t offset, unsigned size, uint64_t now)
{
    if (!access_ok(l, offset, size))
        return 0;
    if (offset >= LAPIC_ISR && offset < LAPIC_ISR + 0x80)
        return l->isr[(offset - LAPIC_ISR) >> 4];
    if (offset >= LAPIC_TMR && offset < LAPIC_TMR + 0x80)
        return l->tmr[(offset - LAPIC_TMR) >> 4];
    if (offset >= LAPIC_IRR && offset < LAPIC_IRR + 0x80)
        return l->irr[(offset - LAPIC_IRR) >> 4];
    int lvt = lvt_index(offset);
    if (lvt >= 0)
        return l->lvt[lvt];
    switch (offset) {
    case LAPIC_ID: return l->id;
    case LAPIC_VERSION: return LAPIC_VERSION_VALUE;
    case LAPIC_TPR: return l->tpr;
    case LAPIC_APR: return 0;   /* arbitration priority: no bus arbitration here */
    case LAPIC_PPR: return lapic_ppr(l);
    case LAPIC_EOI: return 0;   /* write-only */
    case LAPIC_RRD: return 0;   /* remote read: never used, reads "invalid" */
    case LAPIC_LDR: return l->ldr;
    case LAPIC_DFR: return l->dfr;
    case LAPIC_SVR: return l->svr;
    case LAPIC_ESR: return l->esr;
    case LAPIC_ICR_LO: return l->icr_lo;   /* delivery status (bit 12) 0: delivery is instant */
    case LAPIC_ICR_HI: return l->icr_hi;
    case LAPIC_TIMER_ICR: return l->timer_initial;
    case LAPIC_TIMER_CCR: return timer_current(l, now);
    case LAPIC_TIMER_DCR: return l->timer_dcr;
    default:
        l->stats.illegal_regs++;
        lapic_error(l, ESR_ILLEGAL_REG);
        return 0;
    }
}

void lapic_write(struct lapic *l, uint32_t offset, unsigned size, uint64_t value64, uint64_t now)
{
    if (!access_ok(l, offset, size))
        return;
    uint32_t value = (uint32_t)value64;
    int lvt = lvt_index(offset);
    if (lvt >= 0) {
        value &= lvt_writable[lvt];
        if (!lapic_sw_enabled(l))
            value |= LVT_MASKED;   /* §11.4.7.2: masks cannot be cleared while disabled */
        if (lvt == LVT_TIMER)
            timer_set_lvt(l, value, now);
        else
            l->lvt[lvt] = value;
        return;
    }
    if ((offset >= LAPIC_ISR && offset < LAPIC_IRR + 0x80)) {
        l->stats.ro_writes++;   /* ISR, TMR, IRR are read-only */
        return;
    }
    switch (offset) {
    case LAPIC_ID: l->id = value & 0xff000000u; break;
    case LAPIC_TPR: l->tpr = value & 0xffu; break;
    case LAPIC_EOI: lapic_eoi(l); break;
    case LAPIC_LDR: l->ldr = value & 0xff000000u; break;
    case LAPIC_DFR: l->dfr = (value & 0xf0000000u) | 0x0fffffffu; break;
    case LAPIC_SVR:
        l->svr = value & SVR_WRITABLE;
        if (!(l->svr & SVR_ENABLE))
            for (int i = 0; i < LVT_COUNT; i++)
                l->lvt[i] |= LVT_MASKED;   /* §11.4.7.2 */
        break;
    case LAPIC_ESR:
        /* §11.5.3: a write latches the errors seen since the last write
         * into the readable register and starts collecting anew. */
        l->esr = l->esr_pending;
        l->esr_pending = 0;
        break;
    case LAPIC_ICR_LO:
        l->icr_lo = value & ICR_LO_WRITABLE;
        icr_send(l);
        break;
    case LAPIC_ICR_HI: l->icr_hi = value & ICR_HI_WRITABLE; break;
    case LAPIC_TIMER_ICR: timer_start(l, value, now); break;
    case LAPIC_TIMER_DCR: timer_set_divide(l, value, now); break;
    case LAPIC_VERSION:
    case LAPIC_APR:
    case LAPIC_PPR:
    case LAPIC_RRD:
    case LAPIC_TIMER_CCR: l->stats.ro_writes++; break;
    default:
        l->stats.illegal_regs++;
        lapic_error(l, ESR_ILLEGAL_REG);
        break;
    }
}

enum lapic_base_result lapic_set_base(struct lapic *l, uint64_t value)
{
    if ((value & APIC_BASE_RESERVED) || (value & APIC_BASE_EXTD))
        return LAPIC_BASE_GP;
    bool moved = (value & APIC_BASE_ADDR) != LAPIC_BASE_DEFAULT;
    bool was = lapic_enabled(l), en = value & APIC_BASE_ENABLE;
    if (en && !was)
        regs_reset(l);   /* enabled again: from the power-up state (§11.4.3) */
    /* The BSP flag is the platform's, not the guest's; the base stays. */
    l->apic_base = LAPIC_BASE_DEFAULT | APIC_BASE_BSP | (en ? APIC_BASE_ENABLE : 0);
    return moved ? LAPIC_BASE_MOVED : LAPIC_BASE_OK;
}
