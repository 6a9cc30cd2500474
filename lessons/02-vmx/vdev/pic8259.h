/**
 * @file pic8259.h
 * @brief The PC's two cascaded Intel 8259A programmable interrupt
 *        controllers: master at ports 0x20/0x21, slave at 0xA0/0xA1, the
 *        slave's INT output wired to the master's IR2.
 *
 * Two layers.  struct pic_pair and the pic_pair_* functions are the pure
 * chip logic (no VM, no console), unit-tested hosted in
 * tests/test_pic.c.  pic_raise_irq() and friends are the per-VM glue
 * (pic_ports.c) the other device models and the interrupt-injection code
 * use.
 *
 * Reference: Intel 8259A Programmable Interrupt Controller data sheet
 * (order number 231468-003), "Interrupt Sequence", "Programming the
 * 8259A" (ICW1-ICW4, OCW1-OCW3) and "Cascading".
 */
#ifndef SPECTRUM_VDEV_PIC8259_H
#define SPECTRUM_VDEV_PIC8259_H

#include <stdbool.h>
#include <stdint.h>

/** Master and slave in struct pic_pair. */
enum { PIC_MASTER = 0, PIC_SLAVE = 1 };

/** The master input the slave's INT drives (IBM PC/AT wiring). */
#define PIC_CASCADE_IRQ 2

/** @brief One 8259A. */
struct pic8259 {
    uint8_t irr;          /**< interrupt request register */
    uint8_t isr;          /**< in-service register */
    uint8_t imr;          /**< interrupt mask register (OCW1) */
    uint8_t line;         /**< current input levels (edge detection) */
    uint8_t vector_base;  /**< ICW2 with T2-T0 cleared: vector of IR0 */
    uint8_t icw3;         /**< master: IR lines with a slave; slave: its ID */
    uint8_t lowest;       /**< IR level with the lowest priority (7 after ICW1) */
    uint8_t init_step;    /**< 0: operational; 2..4: the ICW expected next */
    bool initialized;     /**< a full ICW sequence has completed */
    bool icw4_needed;     /**< ICW1.IC4 */
    bool single;          /**< ICW1.SNGL: no ICW3, no cascade */
    bool level_triggered; /**< ICW1.LTIM */
    bool x86_mode;        /**< ICW4.uPM: 8086/8088 mode (else MCS-80/85) */
    bool auto_eoi;        /**< ICW4.AEOI */
    bool special_nested;  /**< ICW4.SFNM */
    bool rotate_on_aeoi;  /**< OCW2 R=1 SL=0 EOI=0: rotate in AEOI mode */
    bool read_isr;        /**< OCW3 RR/RIS: reads of A0=0 return ISR (else IRR) */
    bool poll;            /**< OCW3 P: the next A0=0 read is a poll */
    bool special_mask;    /**< OCW3 ESMM/SMM: special mask mode */
};

/** @brief The master/slave pair, as wired in a PC. */
struct pic_pair {
    struct pic8259 chip[2];       /**< PIC_MASTER, PIC_SLAVE */
    uint64_t acks;                /**< interrupt-acknowledge cycles (interrupts delivered) */
    uint64_t spurious;            /**< of which with nothing to deliver (IR7 vector) */
    uint64_t unsupported_writes;  /**< ICW values this model ignores (MCS-80 mode) */
};

/** @brief Power-on state: not initialised, every input masked. */
void pic_pair_reset(struct pic_pair *p);

/** @brief A write of @p value to chip @p chip's port A0=@p a0 (0: 0x20/0xA0, 1: 0x21/0xA1). */
void pic_pair_write(struct pic_pair *p, unsigned chip, unsigned a0, uint8_t value);

/** @brief A read of chip @p chip's port A0=@p a0: IRR/ISR/poll (A0=0) or IMR (A0=1). */
uint8_t pic_pair_read(struct pic_pair *p, unsigned chip, unsigned a0);

/**
 * @brief Drive input @p irq (0-7 master, 8-15 slave) to @p level.
 *        Edge-triggered inputs latch a request on a low-to-high transition,
 *        level-triggered ones request while high.
 */
void pic_pair_set_irq(struct pic_pair *p, unsigned irq, bool level);

/** @brief The vector the pair would deliver now, or -1 if its INT output is low. */
int pic_pair_pending(const struct pic_pair *p);

/**
 * @brief The CPU's interrupt-acknowledge cycle: move the highest request
 *        to in-service and return its vector (the IR7 vector of the chip
 *        with no request left: a spurious interrupt, data sheet
 *        "Interrupt Sequence").
 */
int pic_pair_ack(struct pic_pair *p);

/**
 * @brief Whether a request on input @p irq could reach the CPU: the chips
 *        on its path are initialised and do not mask it (the slave's
 *        inputs also need the master's cascade input unmasked).
 */
bool pic_pair_irq_unmasked(const struct pic_pair *p, unsigned irq);

struct vm;

/** @brief Raise input @p irq (0-15) of @p vm's PIC pair. */
void pic_raise_irq(struct vm *vm, unsigned irq);
/** @brief Lower input @p irq of @p vm's PIC pair. */
void pic_lower_irq(struct vm *vm, unsigned irq);
/** @brief Raise then lower @p irq: one edge, as a timer output pulse gives. */
void pic_pulse_irq(struct vm *vm, unsigned irq);
/** @brief The vector @p vm's PICs would deliver now, or -1. */
int pic_pending_vector(struct vm *vm);
/** @brief Acknowledge: the vector to inject into @p vm (see pic_pair_ack()). */
int pic_ack(struct vm *vm);
/** @brief pic_pair_irq_unmasked() for @p vm's PIC pair. */
bool pic_irq_unmasked(struct vm *vm, unsigned irq);
/** @brief @p vm's PIC pair (NULL if this stage has none). */
struct pic_pair *pic_of(struct vm *vm);

#endif
