/**
 * @file pic8259.c
 * @brief The 8259A pair's logic: initialisation words, masking, priority
 *        resolution, acknowledge and end-of-interrupt, and the cascade.
 *
 * Pure: no VM and no I/O, so the unit test drives it directly.  Section
 * names below are those of the Intel 8259A data sheet (231468-003).
 */
#include "vdev/pic8259.h"

#include <stddef.h>

/* ICW1 (A0=0, D4=1): LTIM D3, SNGL D1, IC4 D0.  ICW4: SFNM D4, AEOI D1,
 * uPM D0.  OCW3 (A0=0, D4=0, D3=1): ESMM D6, SMM D5, P D2, RR D1, RIS D0.
 * OCW2 (A0=0, D4=0, D3=0): R D7, SL D6, EOI D5, L2-L0.  Data sheet,
 * "Initialization Command Words" and "Operation Command Words". */
#define ICW1_SELECT 0x10
#define ICW1_LTIM   0x08
#define ICW1_SNGL   0x02
#define ICW1_IC4    0x01
#define ICW4_SFNM   0x10
#define ICW4_AEOI   0x02
#define ICW4_UPM    0x01
#define OCW3_SELECT 0x08
#define OCW3_ESMM   0x40
#define OCW3_SMM    0x20
#define OCW3_POLL   0x04
#define OCW3_RR     0x02
#define OCW3_RIS    0x01

/** Priority of level @p irq: 0 (highest) to 7.  After ICW1 IR0 is highest;
 *  rotation makes the level after @c lowest the highest ("Rotation"). */
static unsigned priority_of(const struct pic8259 *c, unsigned irq)
{
    return (irq - c->lowest - 1u) & 7u;
}

/** The highest-priority level set in @p bits, or -1. */
static int highest(const struct pic8259 *c, uint8_t bits)
{
    for (unsigned p = 0; p < 8; p++) {
        unsigned irq = (c->lowest + 1u + p) & 7u;
        if (bits & (1u << irq))
            return (int)irq;
    }
    return -1;
}

/** The level chip @p c would interrupt the CPU for, or -1 ("Interrupt
 *  Sequence", "Fully Nested Mode", "Special Mask Mode"). */
static int chip_request(const struct pic8259 *c, bool is_master)
{
    if (!c->initialized)
        return -1;
    int irq = highest(c, c->irr & (uint8_t)~c->imr);
    if (irq < 0)
        return -1;
    uint8_t blocking = c->isr;
    if (c->special_mask)
        blocking &= (uint8_t)~c->imr;     /* masked levels in service do not block */
    int cur = highest(c, blocking);
    if (cur < 0 || priority_of(c, (unsigned)irq) < priority_of(c, (unsigned)cur))
        return irq;
    /* Same level in service: in special fully nested mode a slave's input
     * is not locked out by its own service, since the slave only raises
     * INT again for a level above the one in service ("Special Fully
     * Nested Mode").  Lower master levels stay blocked as in fully nested
     * mode. */
    if (is_master && c->special_nested && !c->single && cur == irq &&
        (c->icw3 & (1u << irq)))
        return irq;
    return -1;
}

/** One input of one chip changes level ("Edge and Level Triggered Modes"). */
static void chip_set_input(struct pic8259 *c, unsigned irq, bool level)
{
    uint8_t bit = (uint8_t)(1u << irq);
    if (c->level_triggered) {
        if (level)
            c->irr |= bit;
        else
            c->irr &= (uint8_t)~bit;
    } else if (level && !(c->line & bit)) {
        c->irr |= bit;                    /* a rising edge latches a request */
    }
    if (level)
        c->line |= bit;
    else
        c->line &= (uint8_t)~bit;
}

/** The slave's INT output drives the master's IR2 ("Cascading"). */
static void update_cascade(struct pic_pair *p)
{
    bool slave_int = chip_request(&p->chip[PIC_SLAVE], false) >= 0;
    chip_set_input(&p->chip[PIC_MASTER], PIC_CASCADE_IRQ, slave_int);
}

/** INTA on one chip for level @p irq: IRR -> ISR (or automatic EOI). */
static void chip_ack(struct pic8259 *c, unsigned irq)
{
    uint8_t bit = (uint8_t)(1u << irq);
    c->irr &= (uint8_t)~bit;
    if (c->level_triggered)
        c->irr |= c->line & bit;          /* still requesting while the line is high */
    if (c->auto_eoi) {
        if (c->rotate_on_aeoi)
            c->lowest = (uint8_t)irq;
    } else {
        c->isr |= bit;
    }
}

void pic_pair_reset(struct pic_pair *p)
{
    for (unsigned i = 0; i < 2; i++) {
        struct pic8259 *c = &p->chip[i];
        *c = (struct pic8259){ 0 };
        c->imr = 0xff;   /* nothing is delivered before the guest programs the chip */
        c->lowest = 7;
    }
    p->acks = 0;
    p->spurious = 0;
    p->unsupported_writes = 0;
}

static void write_icw1(struct pic_pair *p, struct pic8259 *c, uint8_t v)
{
    /* "Initialization Command Words": the edge sense latch is cleared
     * (requests need a fresh rising edge), IMR is cleared, IR7 gets the
     * lowest priority, special mask mode is cleared and reads return IRR;
     * without IC4 every ICW4 function is zero. */
    c->level_triggered = v & ICW1_LTIM;
    c->single = v & ICW1_SNGL;
    c->icw4_needed = v & ICW1_IC4;
    c->irr = c->level_triggered ? c->line : 0;
    c->isr = 0;
    c->imr = 0;
    c->lowest = 7;
    c->special_mask = false;
    c->read_isr = false;
    c->poll = false;
    c->rotate_on_aeoi = false;
    c->auto_eoi = false;
    c->special_nested = false;
    c->x86_mode = false;
    c->initialized = false;
    c->init_step = 2;
    if (!c->icw4_needed)
        p->unsupported_writes++;  /* MCS-80/85 mode: vectors are still delivered 8086-style */
}

static void write_ocw2(struct pic8259 *c, uint8_t v)
{
    unsigned level = v & 7u;
    switch (v >> 5) {
    case 0: c->rotate_on_aeoi = false; break;           /* clear rotate in AEOI mode */
    case 4: c->rotate_on_aeoi = true; break;            /* set rotate in AEOI mode */
    case 1:                                             /* non-specific EOI */
    case 5: {                                           /* rotate on non-specific EOI */
        int irq = highest(c, c->isr);
        if (irq >= 0) {
            c->isr &= (uint8_t)~(1u << irq);
            if (v >> 5 == 5)
                c->lowest = (uint8_t)irq;
        }
        break;
    }
    case 3: c->isr &= (uint8_t)~(1u << level); break;   /* specific EOI */
    case 7:                                             /* rotate on specific EOI */
        c->isr &= (uint8_t)~(1u << level);
        c->lowest = (uint8_t)level;
        break;
    case 6: c->lowest = (uint8_t)level; break;          /* set priority */
    default: break;                                     /* 2: no operation */
    }
}

static void write_data(struct pic_pair *p, struct pic8259 *c, uint8_t v)
{
    switch (c->init_step) {
    case 2:                                   /* ICW2: T7-T3 of the vectors */
        c->vector_base = v & 0xf8;
        c->init_step = c->single ? (c->icw4_needed ? 4 : 0) : 3;
        break;
    case 3:                                   /* ICW3: cascade wiring */
        c->icw3 = v;
        c->init_step = c->icw4_needed ? 4 : 0;
        break;
    case 4:                                   /* ICW4; BUF and M/S do not matter here */
        c->x86_mode = v & ICW4_UPM;
        c->auto_eoi = v & ICW4_AEOI;
        c->special_nested = v & ICW4_SFNM;
        if (!c->x86_mode)
            p->unsupported_writes++;
        c->init_step = 0;
        break;
    default:                                  /* OCW1: the mask */
        c->imr = v;
        return;
    }
    if (c->init_step == 0)
        c->initialized = true;
}

void pic_pair_write(struct pic_pair *p, unsigned chip, unsigned a0, uint8_t value)
{
    if (chip > PIC_SLAVE)
        return;
    struct pic8259 *c = &p->chip[chip];
    if (a0 & 1) {
        write_data(p, c, value);
    } else if (value & ICW1_SELECT) {
        write_icw1(p, c, value);
    } else if (value & OCW3_SELECT) {
        if (value & OCW3_POLL)
            c->poll = true;
        if (value & OCW3_RR)
            c->read_isr = value & OCW3_RIS;
        if (value & OCW3_ESMM)
            c->special_mask = value & OCW3_SMM;
    } else {
        write_ocw2(c, value);
    }
    update_cascade(p);
}

uint8_t pic_pair_read(struct pic_pair *p, unsigned chip, unsigned a0)
{
    if (chip > PIC_SLAVE)
        return 0xff;
    struct pic8259 *c = &p->chip[chip];
    if (c->poll) {
        /* "Poll Command": the read acts as INTA; D7 = a request was
         * pending, W2-W0 = its level. */
        c->poll = false;
        int irq = chip_request(c, chip == PIC_MASTER);
        if (irq < 0)
            return 0;
        chip_ack(c, (unsigned)irq);
        update_cascade(p);
        return (uint8_t)(0x80 | irq);
    }
    if (a0 & 1)
        return c->imr;
    return c->read_isr ? c->isr : c->irr;
}

void pic_pair_set_irq(struct pic_pair *p, unsigned irq, bool level)
{
    if (irq >= 16)
        return;
    if (irq >= 8)
        chip_set_input(&p->chip[PIC_SLAVE], irq - 8, level);
    else
        chip_set_input(&p->chip[PIC_MASTER], irq, level);
    update_cascade(p);
}

/** Does the master fetch the vector of level @p irq from a slave? */
static bool is_cascade(const struct pic8259 *m, int irq)
{
    return !m->single && (m->icw3 & (1u << irq));
}

int pic_pair_pending(const struct pic_pair *p)
{
    const struct pic8259 *m = &p->chip[PIC_MASTER];
    int irq = chip_request(m, true);
    if (irq < 0)
        return -1;
    if (!is_cascade(m, irq))
        return m->vector_base + irq;
    const struct pic8259 *s = &p->chip[PIC_SLAVE];
    int sirq = chip_request(s, false);
    return s->vector_base + (sirq < 0 ? 7 : sirq);
}

int pic_pair_ack(struct pic_pair *p)
{
    struct pic8259 *m = &p->chip[PIC_MASTER];
    p->acks++;
    int irq = chip_request(m, true);
    int vector;
    if (irq < 0) {
        p->spurious++;
        vector = m->vector_base + 7;      /* spurious IR7, no ISR bit set */
    } else {
        chip_ack(m, (unsigned)irq);
        if (is_cascade(m, irq)) {
            struct pic8259 *s = &p->chip[PIC_SLAVE];
            int sirq = chip_request(s, false);
            if (sirq < 0) {
                p->spurious++;
                vector = s->vector_base + 7;
            } else {
                chip_ack(s, (unsigned)sirq);
                vector = s->vector_base + sirq;
            }
        } else {
            vector = m->vector_base + irq;
        }
    }
    update_cascade(p);
    return vector;
}

bool pic_pair_irq_unmasked(const struct pic_pair *p, unsigned irq)
{
    const struct pic8259 *m = &p->chip[PIC_MASTER];
    if (irq >= 16 || !m->initialized)
        return false;
    if (irq < 8)
        return !(m->imr & (1u << irq));
    const struct pic8259 *s = &p->chip[PIC_SLAVE];
    return s->initialized && !(s->imr & (1u << (irq - 8))) && !(m->imr & (1u << PIC_CASCADE_IRQ));
}
