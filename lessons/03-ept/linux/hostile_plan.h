/**
 * @file hostile_plan.h
 * @brief The operation plan of the hostile user-space program (hostile.c):
 *        a fixed-seed PRNG that picks each port, MSR, CPUID or APIC-page
 *        access, and the rules that keep it from ending the VM on purpose.
 *
 * Pure C with no system calls, so the same file is linked into the guest
 * program and into its unit test (tests/test_hostile_plan.c): the test can
 * replay a whole run on the host and check what it would touch.
 */
#ifndef SPECTRUM_HOSTILE_PLAN_H
#define SPECTRUM_HOSTILE_PLAN_H

#include <stdbool.h>
#include <stdint.h>

/** @brief The kinds of operation, one per exit path they aim at. */
enum hostile_kind {
    HOSTILE_PORT_IN,       /**< IN of 1, 2 or 4 bytes (I/O exit) */
    HOSTILE_PORT_OUT,      /**< OUT of 1, 2 or 4 bytes */
    HOSTILE_MSR_READ,      /**< RDMSR through /dev/cpu/0/msr */
    HOSTILE_MSR_WRITE,     /**< WRMSR of a value derived from the one read */
    HOSTILE_CPUID,         /**< CPUID of a leaf and subleaf */
    HOSTILE_LAPIC_READ,    /**< load from the local APIC page 0xFEE00000 */
    HOSTILE_LAPIC_WRITE,   /**< store to it */
    HOSTILE_IOAPIC_READ,   /**< load from the I/O APIC page 0xFEC00000 */
    HOSTILE_IOAPIC_WRITE,  /**< store to it */
    HOSTILE_KINDS
};

/** @brief How a MSR write derives its value from the value read. */
enum hostile_msr_value {
    HOSTILE_MSR_SAME,      /**< write back what was read */
    HOSTILE_MSR_FLIP,      /**< flip bit (value & 63) */
    HOSTILE_MSR_RANDOM,    /**< a random 64-bit value */
    HOSTILE_MSR_SMALL,     /**< a random value below 0x10000 */
    HOSTILE_MSR_ZERO,      /**< zero */
    HOSTILE_MSR_ONES,      /**< all ones */
};

/** @brief The local APIC page the MMIO operations reach through /dev/mem
 *         (SDM Vol. 3A §12.4.1: the default APIC base). */
#define HOSTILE_LAPIC_PAGE  0xFEE00000u
/** @brief The I/O APIC page (82093AA datasheet §3.0: IOREGSEL, IOWIN). */
#define HOSTILE_IOAPIC_PAGE 0xFEC00000u
/** @brief The size of each mapping; every access stays inside it. */
#define HOSTILE_PAGE_SIZE   4096u

/** @brief A xorshift64* generator (Marsaglia 2003; Vigna 2016): small,
 *         and the same sequence on every machine for one seed. */
struct hostile_rng {
    uint64_t state;   /**< never 0 */
};

/** @brief One planned operation. */
struct hostile_op {
    enum hostile_kind kind;  /**< what to do */
    uint8_t width;           /**< bytes: 1, 2, 4 (ports), 1, 2, 4, 8 (MMIO), 8 (MSR) */
    uint32_t target;         /**< port, MSR index, CPUID leaf or offset in the page */
    uint32_t sub;            /**< CPUID subleaf; MSR writes: an enum hostile_msr_value */
    uint64_t value;          /**< the value written (MSR: the input of hostile_msr_value()) */
};

/** @brief Seed @p r; every seed (0 included) gives its own sequence. */
void hostile_rng_seed(struct hostile_rng *r, uint64_t seed);

/** @brief The next 64 random bits of @p r. */
uint64_t hostile_rng_next(struct hostile_rng *r);

/** @brief True if an IN of @p width bytes at @p port may be done: every
 *         port but COM1's 0x3F8-0x3FF, the test's console. */
bool hostile_port_read_ok(uint16_t port, unsigned width);

/** @brief True if an OUT of @p width bytes at @p port may be done: not
 *         one that touches a port whose write ends the VM on purpose, nor COM1. */
bool hostile_port_write_ok(uint16_t port, unsigned width);

/** @brief Plan the next operation from @p r, among the kinds whose bit
 *         (1u << kind) is set in @p enabled (CPUID is always possible). */
void hostile_plan_next(struct hostile_rng *r, unsigned enabled, struct hostile_op *op);

/** @brief The bits of MSR @p index a write keeps from the value read:
 *         the ones whose change would only make the guest kill itself
 *         (its syscall entry, its per-CPU base, EFER.LME...). */
uint64_t hostile_msr_keep(uint32_t index);

/** @brief The value a HOSTILE_MSR_WRITE @p op writes, given the value
 *         @p old read from the MSR (0 when the read failed). */
uint64_t hostile_msr_value(const struct hostile_op *op, uint64_t old);

/** @brief A short name of @p kind ("port-in", "msr-write", ...). */
const char *hostile_kind_name(enum hostile_kind kind);

#endif
