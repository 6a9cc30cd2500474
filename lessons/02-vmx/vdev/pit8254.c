/**
 * @file pit8254.c
 * @brief The 8254's counter logic: control words, count loading, counter
 *        latch and read-back, modes 0-5, the gate, and OUT's edges.
 *
 * Counters are not stepped clock by clock: each channel remembers the
 * clock at which its count started and computes its counter and OUT from
 * the elapsed clocks, so reading a counter costs the same whatever the
 * rate.  Pure (no VM, no I/O): tests/test_pit.c drives it with a
 * simulated clock.  Section names are those of the Intel 8254 data sheet.
 */
#include "vdev/pit8254.h"

#include <stddef.h>

/* "Control Word Format": SC1-SC0 D7-D6 (3 = read-back), RW1-RW0 D5-D4
 * (0 = counter latch), M2-M0 D3-D1 (6 and 7 alias 2 and 3), BCD D0.
 * "Read-Back Command": D5 = 0 latches counts, D4 = 0 latches status,
 * D3-D1 select counters 2-0.  Status byte: OUT D7, NULL COUNT D6, then
 * the channel's control word bits D5-D0. */
#define CW_READ_BACK 3
#define RB_NO_COUNT  0x20
#define RB_NO_STATUS 0x10
#define STATUS_OUT   0x80
#define STATUS_NULL  0x40

enum { ACCESS_LATCH = 0, ACCESS_LSB = 1, ACCESS_MSB = 2, ACCESS_WORD = 3 };

/** Modes 2 and 3 need a count of at least 2 ("Mode 2": a count of 1 is
 *  illegal); a guest that writes 1 gets the shortest legal period. */
static uint64_t period(const struct pit_channel *c)
{
    return c->count < 2 ? 2 : c->count;
}

static bool periodic(const struct pit_channel *c)
{
    return c->mode == 2 || c->mode == 3;
}

/** Clocks from the start of the count to OUT's rising edge in the one-shot
 *  modes: 0 and 1 rise at terminal count, 4 and 5 end their one-clock
 *  strobe one clock later. */
static uint64_t oneshot_edge(const struct pit_channel *c)
{
    return (uint64_t)c->count + (c->mode >= 4 ? 1 : 0);
}

static uint64_t elapsed(const struct pit_channel *c, uint64_t now)
{
    if (c->paused)
        return c->paused_at;
    return now > c->start ? now - c->start : 0;
}

/** Count the edges in (last counted, @p now] into @c pending.  Every change
 *  of a channel does this first, so reprogramming or gating never loses an
 *  edge that already happened, nor invents one. */
static void accrue(struct pit_channel *c, uint64_t now)
{
    if (c->next_edge == PIT_NEVER || now < c->next_edge)
        return;
    uint64_t n = 1;
    if (periodic(c)) {
        n = (now - c->next_edge) / period(c) + 1;
        c->next_edge += n * period(c);
    } else {
        c->next_edge = PIT_NEVER;
    }
    c->pending = c->pending + n < n ? UINT64_MAX : c->pending + n;
}

/** The count starts (load, trigger or gate re-enable) at @p now. */
static void start_count(struct pit_channel *c, uint64_t now)
{
    c->start = now;
    c->paused = false;
    c->armed = false;
    c->next_edge = now + (periodic(c) ? period(c) : oneshot_edge(c));
}

void pit_reset(struct pit8254 *p, uint64_t now)
{
    for (unsigned i = 0; i < 3; i++) {
        struct pit_channel *c = &p->ch[i];
        *c = (struct pit_channel){ 0 };
        c->access = ACCESS_WORD;
        c->count = 0x10000;
        c->start = now;
        c->next_edge = PIT_NEVER;
        c->gate = i != 2;   /* IBM PC/AT: gates 0 and 1 are tied high */
    }
}

static uint32_t bcd_to_bin(uint16_t v)
{
    return (uint32_t)(v & 0xf) + 10u * ((v >> 4) & 0xf) + 100u * ((v >> 8) & 0xf) + 1000u * (v >> 12);
}

static uint16_t bin_to_bcd(uint32_t v)
{
    return (uint16_t)((v % 10) | ((v / 10 % 10) << 4) | ((v / 100 % 10) << 8) | ((v / 1000 % 10) << 12));
}

/** A complete count was written ("Counter Loading"; 0 means the maximum,
 *  2^16 binary or 10^4 BCD). */
static void load(struct pit_channel *c, uint16_t raw, uint64_t now)
{
    accrue(c, now);
    uint32_t n = c->bcd ? bcd_to_bin(raw) : raw;
    c->count = n ? n : (c->bcd ? 10000u : 0x10000u);
    c->loaded = true;
    c->next_edge = PIT_NEVER;
    if (c->mode == 1 || c->mode == 5) {
        c->armed = true;            /* hardware-triggered: waits for a gate edge */
        c->paused = false;
    } else if (!c->gate) {
        c->start = now;             /* loaded, but the low gate holds it */
        c->paused = true;
        c->paused_at = 0;
        c->armed = false;
    } else {
        start_count(c, now);
    }
}

static void write_count(struct pit_channel *c, uint8_t v, uint64_t now)
{
    switch (c->access) {
    case ACCESS_LSB: load(c, v, now); break;
    case ACCESS_MSB: load(c, (uint16_t)(v << 8), now); break;
    default:
        if (!c->write_msb_next) {
            c->write_lsb = v;
            c->write_msb_next = true;
            if (c->mode == 0) {
                /* "Mode 0": writing the first byte disables counting and
                 * sets OUT low at once. */
                accrue(c, now);
                c->loaded = false;
                c->next_edge = PIT_NEVER;
            }
        } else {
            c->write_msb_next = false;
            load(c, (uint16_t)(c->write_lsb | (v << 8)), now);
        }
        break;
    }
}

bool pit_out(const struct pit8254 *p, unsigned ch, uint64_t now)
{
    if (ch > 2)
        return false;
    const struct pit_channel *c = &p->ch[ch];
    if (!c->loaded)
        return c->mode != 0;        /* control word: mode 0 low, others high */
    if (c->armed)
        return true;
    uint64_t d = elapsed(c, now);
    switch (c->mode) {
    case 0:
    case 1: return d >= c->count;
    case 2: return c->paused || d % period(c) != period(c) - 1;
    case 3: return c->paused || d % period(c) < (period(c) + 1) / 2;
    default: return d != c->count; /* 4, 5: one-clock low strobe */
    }
}

uint16_t pit_counter(const struct pit8254 *p, unsigned ch, uint64_t now)
{
    if (ch > 2)
        return 0;
    const struct pit_channel *c = &p->ch[ch];
    uint32_t modulus = c->bcd ? 10000u : 0x10000u;
    uint64_t v;
    if (!c->loaded || c->armed) {
        v = c->count;
    } else {
        uint64_t d = elapsed(c, now);
        if (c->mode == 2)
            v = period(c) - d % period(c);
        else if (c->mode == 3)
            v = (period(c) - (2 * d) % period(c)) & ~1ull; /* "Mode 3" counts down by two */
        else
            v = (c->count + modulus - d % modulus) % modulus; /* wraps after terminal count */
    }
    v %= modulus;
    return c->bcd ? bin_to_bcd((uint32_t)v) : (uint16_t)v;
}

static uint8_t status_byte(const struct pit8254 *p, unsigned ch, uint64_t now)
{
    const struct pit_channel *c = &p->ch[ch];
    uint8_t s = (uint8_t)(c->access << 4 | c->mode << 1 | (c->bcd ? 1 : 0));
    if (pit_out(p, ch, now))
        s |= STATUS_OUT;
    if (!c->loaded || c->armed)
        s |= STATUS_NULL;           /* the written count is not in the counter yet */
    return s;
}

static void latch_count(struct pit8254 *p, unsigned ch, uint64_t now)
{
    struct pit_channel *c = &p->ch[ch];
    if (c->latch_bytes)
        return;                     /* "Counter Latch Command": later latches are ignored */
    c->latched = pit_counter(p, ch, now);
    c->latch_bytes = c->access == ACCESS_WORD ? 2 : 1;
}

static void write_control(struct pit8254 *p, uint8_t v, uint64_t now)
{
    unsigned sc = v >> 6;
    if (sc == CW_READ_BACK) {
        for (unsigned ch = 0; ch < 3; ch++) {
            if (!(v & (2u << ch)))
                continue;
            if (!(v & RB_NO_COUNT))
                latch_count(p, ch, now);
            if (!(v & RB_NO_STATUS) && !p->ch[ch].status_latched) {
                p->ch[ch].status = status_byte(p, ch, now);
                p->ch[ch].status_latched = true;
            }
        }
        return;
    }
    unsigned access = (v >> 4) & 3;
    if (access == ACCESS_LATCH) {
        latch_count(p, sc, now);
        return;
    }
    struct pit_channel *c = &p->ch[sc];
    accrue(c, now);
    unsigned mode = (v >> 1) & 7;
    c->mode = (uint8_t)(mode >= 6 ? mode - 4 : mode);
    c->bcd = v & 1;
    c->access = (uint8_t)access;
    c->loaded = false;              /* a new count must follow */
    c->armed = false;
    c->paused = false;
    c->next_edge = PIT_NEVER;
    c->write_msb_next = false;
    c->read_msb_next = false;
    c->latch_bytes = 0;
    c->status_latched = false;
}

void pit_write(struct pit8254 *p, unsigned reg, uint8_t value, uint64_t now)
{
    if (reg == 3)
        write_control(p, value, now);
    else if (reg < 3)
        write_count(&p->ch[reg], value, now);
}

/** One byte of a 16-bit value as the access mode orders them. */
static uint8_t read_byte(struct pit_channel *c, uint16_t v)
{
    switch (c->access) {
    case ACCESS_LSB: return (uint8_t)v;
    case ACCESS_MSB: return (uint8_t)(v >> 8);
    default:
        c->read_msb_next = !c->read_msb_next;
        return c->read_msb_next ? (uint8_t)v : (uint8_t)(v >> 8);
    }
}

uint8_t pit_read(struct pit8254 *p, unsigned reg, uint64_t now)
{
    if (reg > 2)
        return 0xff;                /* the control word register is write-only */
    struct pit_channel *c = &p->ch[reg];
    if (c->status_latched) {
        c->status_latched = false;  /* "Read-Back Command": status comes first */
        return c->status;
    }
    if (c->latch_bytes) {
        c->latch_bytes--;
        return read_byte(c, c->latched);
    }
    return read_byte(c, pit_counter(p, reg, now));
}

void pit_set_gate(struct pit8254 *p, unsigned ch, bool level, uint64_t now)
{
    if (ch > 2)
        return;
    struct pit_channel *c = &p->ch[ch];
    if (c->gate == level)
        return;
    accrue(c, now);
    c->gate = level;
    if (!c->loaded)
        return;
    /* "Gate Pin Operations Summary". */
    switch (c->mode) {
    case 0:
    case 4:                         /* low disables counting, high enables it */
        if (!level) {
            c->paused_at = elapsed(c, now);
            c->paused = true;
            c->next_edge = PIT_NEVER;
        } else if (c->paused) {
            uint64_t done = c->paused_at;
            c->paused = false;
            c->start = now - done;
            c->next_edge = done < oneshot_edge(c) ? c->start + oneshot_edge(c) : PIT_NEVER;
        }
        break;
    case 2:
    case 3:                         /* low stops counting (OUT high), rising edge reloads */
        if (!level) {
            c->paused_at = elapsed(c, now);
            c->paused = true;
            c->next_edge = PIT_NEVER;
        } else {
            start_count(c, now);
        }
        break;
    default:                        /* 1, 5: a rising edge (re)triggers */
        if (level)
            start_count(c, now);
        break;
    }
}

uint64_t pit_take_edges(struct pit8254 *p, unsigned ch, uint64_t now)
{
    if (ch > 2)
        return 0;
    struct pit_channel *c = &p->ch[ch];
    accrue(c, now);
    uint64_t n = c->pending;
    c->pending = 0;
    return n;
}

uint64_t pit_next_edge(const struct pit8254 *p, unsigned ch)
{
    if (ch > 2)
        return PIT_NEVER;
    const struct pit_channel *c = &p->ch[ch];
    return c->pending ? 0 : c->next_edge;
}
