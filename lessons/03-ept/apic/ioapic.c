/**
 * @file ioapic.c
 * @brief The I/O APIC model: the register window, the redirection table,
 *        edge and level pins, remote IRR and EOI.  See ioapic.h; section
 *        numbers are of the 82093AA datasheet.
 */
#include "apic/ioapic.h"
#include "spectrum/exercise.h"

void ioapic_reset(struct ioapic *io)
{
    io->regsel = 0;
    io->id = 0;
    io->input = 0;
    for (int i = 0; i < IOAPIC_PINS; i++)
        io->redir[i] = IOREDIR_MASKED;
    io->stats = (struct ioapic_stats){ 0 };
}

void ioapic_set_sink(struct ioapic *io, ioapic_deliver_fn fn, void *ctx)
{
    io->deliver = fn;
    io->deliver_ctx = ctx;
}

uint64_t ioapic_entry(const struct ioapic *io, unsigned pin)
{
    return pin < IOAPIC_PINS ? io->redir[pin] : 0;
}

bool ioapic_pin_unmasked(const struct ioapic *io, unsigned pin)
{
    return pin < IOAPIC_PINS && !(io->redir[pin] & IOREDIR_MASKED);
}

/* Is pin @p pin asserted: its input level, seen through its polarity. */
static bool pin_asserted(const struct ioapic *io, unsigned pin)
{
    bool high = (io->input >> pin) & 1;
    return (io->redir[pin] & IOREDIR_ACTIVE_LOW) ? !high : high;
}

/* Send pin @p pin's message. */
static void send(struct ioapic *io, unsigned pin)
{
    uint64_t r = io->redir[pin];
    struct apic_msg m = {
        .vector = (uint8_t)(r & IOREDIR_VECTOR),
        .mode = (uint8_t)((r >> IOREDIR_DM_SHIFT) & 7),
        .dest = (uint8_t)(r >> IOREDIR_DEST_SHIFT),
        .logical = r & IOREDIR_DEST_LOGICAL,
        .level = r & IOREDIR_LEVEL,
    };
    io->stats.messages++;
    if (!io->deliver || !io->deliver(io->deliver_ctx, &m))
        io->stats.refused++;
}

/* A level-triggered pin sends while it is asserted, unmasked and its
 * previous message has not been EOIed yet (remote IRR clear) (§3.2.4). */
static void service_level(struct ioapic *io, unsigned pin)
{
    uint64_t r = io->redir[pin];
    if (!(r & IOREDIR_LEVEL) || (r & (IOREDIR_MASKED | IOREDIR_REMOTE_IRR)) || !pin_asserted(io, pin))
        return;
    io->redir[pin] |= IOREDIR_REMOTE_IRR;
    send(io, pin);
}

void ioapic_set_pin(struct ioapic *io, unsigned pin, bool level)
{
    if (pin >= IOAPIC_PINS)
        return;
    bool was = pin_asserted(io, pin);
    io->input = level ? io->input | (1u << pin) : io->input & ~(1u << pin);
    bool now = pin_asserted(io, pin);
    uint64_t r = io->redir[pin];
    if (r & IOREDIR_LEVEL) {
        service_level(io, pin);
    } else if (now && !was) {
        /* §3.2.4: "Edge-sensitive interrupts signaled on a masked interrupt
         * pin are ignored (i.e., not delivered or held pending)." */
        if (r & IOREDIR_MASKED)
            io->stats.masked_edges++;
        else
            send(io, pin);
    }
}

void ioapic_eoi(struct ioapic *io, uint8_t vector)
{
    for (unsigned pin = 0; pin < IOAPIC_PINS; pin++) {
        uint64_t r = io->redir[pin];
        if ((r & IOREDIR_REMOTE_IRR) && (r & IOREDIR_VECTOR) == vector) {
            io->redir[pin] &= ~IOREDIR_REMOTE_IRR;
            io->stats.eois++;
            service_level(io, pin);   /* still asserted: the next message */
        }
    }
}

/* A write of one half of redirection entry @p pin. */
static void redir_write(struct ioapic *io, unsigned pin, bool high, uint32_t value)
{
    /* EXERCISE 03.ioapic-redir 10 "Write one half of a redirection entry: only the writable bits (IOREDIR_WRITABLE), keep delivery status, remote IRR and reserved bits; switching to edge clears remote IRR; an unmasked level pin that is asserted sends now (82093AA datasheet 3.2.4)" */
    uint64_t old = io->redir[pin];
    uint64_t mask = high ? IOREDIR_WRITABLE & 0xffffffff00000000ull : IOREDIR_WRITABLE & 0xffffffffull;
    uint64_t v = high ? (uint64_t)value << 32 : value;
    uint64_t r = (old & ~mask) | (v & mask);
    if (!(r & IOREDIR_LEVEL))
        r &= ~IOREDIR_REMOTE_IRR;   /* remote IRR means nothing for edge pins */
    io->redir[pin] = r;
    service_level(io, pin);
    /* STUB
    // The write is dropped: the entry keeps its reset state (masked).
    EXERCISE_TODO();
    (void)io;
    (void)pin;
    (void)high;
    (void)value;
    (void)service_level;
    STUB END */
    /* END EXERCISE 03.ioapic-redir */
}

static uint32_t reg_read(struct ioapic *io)
{
    uint32_t index = io->regsel & 0xff;
    switch (index) {
    case IOAPIC_REG_ID: return io->id;
    case IOAPIC_REG_VER: return IOAPIC_VERSION | (uint32_t)(IOAPIC_PINS - 1) << 16;
    case IOAPIC_REG_ARB: return io->id;   /* §3.2.3: loaded from the ID */
    default: break;
    }
    if (index >= IOAPIC_REG_REDIR && index < IOAPIC_REG_REDIR + 2 * IOAPIC_PINS) {
        uint64_t r = io->redir[(index - IOAPIC_REG_REDIR) / 2];
        return (index & 1) ? (uint32_t)(r >> 32) : (uint32_t)r;
    }
    io->stats.bad_index++;
    return 0xffffffffu;
}

static void reg_write(struct ioapic *io, uint32_t value)
{
    uint32_t index = io->regsel & 0xff;
    if (index == IOAPIC_REG_ID) {
        io->id = value & 0x0f000000u;   /* §3.2.1: bits 27:24 */
        return;
    }
    if (index == IOAPIC_REG_VER || index == IOAPIC_REG_ARB)
        return;   /* read only */
    if (index >= IOAPIC_REG_REDIR && index < IOAPIC_REG_REDIR + 2 * IOAPIC_PINS) {
        redir_write(io, (index - IOAPIC_REG_REDIR) / 2, index & 1, value);
        return;
    }
    io->stats.bad_index++;
}

uint32_t ioapic_read(struct ioapic *io, uint32_t offset, unsigned size)
{
    if (offset == IOAPIC_IOREGSEL && (size == 1 || size == 4))
        return io->regsel;
    if (offset == IOAPIC_IOWIN && size == 4)
        return reg_read(io);
    io->stats.bad_accesses++;
    return 0;
}

void ioapic_write(struct ioapic *io, uint32_t offset, unsigned size, uint64_t value)
{
    if (offset == IOAPIC_IOREGSEL && (size == 1 || size == 4))
        io->regsel = (uint32_t)value & 0xff;
    else if (offset == IOAPIC_IOWIN && size == 4)
        reg_write(io, (uint32_t)value);
    else
        io->stats.bad_accesses++;
}
