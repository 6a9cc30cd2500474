/**
 * @file pv_eoi.h
 * @brief PV EOI (MSR_KVM_PV_EOI_EN, Documentation/virt/kvm/x86/msr.rst):
 *        most EOIs without an exit.  The pure model over the machine's
 *        memory map and its APIC models, hosted-testable
 *        (tests/test_pv_eoi.c, tests/fuzz_pv_eoi.c); pv_eoi_dev.c is the
 *        glue.
 *
 * An EOI is a write to the local APIC's EOI register: an MMIO exit every
 * time, one per interrupt.  With PV EOI the guest names a word of its RAM,
 * and the protocol is (the semantics of KVM's arch/x86/kvm/lapic.c):
 *
 *   hypervisor, when it injects vector V: if the guest may skip the EOI
 *       write, set bit 0 of the word ("pending", remembered on the host);
 *   guest, at its EOI: clear bit 0 with one instruction that also tests
 *       it (Linux: __test_and_clear_bit); if it was set, that is the whole
 *       EOI - no exit.  Else write the EOI register as usual;
 *   hypervisor, at the next exit (sync): if it had set the bit and the
 *       guest cleared it, do the EOI for the guest - the APIC model's ISR
 *       bit goes; if the bit is still set (the guest has not reached its
 *       EOI yet), clear it itself: the guest then writes the register.
 *
 * When may the EOI be skipped?  Only when nothing needs to see it at once:
 *  - V is edge-triggered (TMR clear).  A level-triggered vector's EOI goes
 *    on to the I/O APIC (remote IRR, SDM Vol. 3A §11.8.5; 82093AA §3.2.4),
 *    which must re-send a line still asserted: that cannot wait for some
 *    later exit.  For the same reason no vector that an unmasked
 *    level-triggered I/O APIC entry sends is offered, whatever its TMR bit
 *    says now;
 *  - no other vector waits in the IRR: the EOI lowers the processor
 *    priority and may let it through, and delivering it needs an exit.
 * Whenever the bit is not set the guest simply writes the register: "It is
 * always safe for the guest to ignore the optimization" (msr.rst).
 *
 * Why clear the bit at the next exit instead of leaving it: at that exit
 * new interrupts may arrive (a device's, the timer's), and an EOI the guest
 * then does through the bit would sit unseen until some later exit, with
 * the new vector waiting behind it.  So the bit only ever stands for "no
 * exit since the injection".
 */
#ifndef SPECTRUM_PV_EOI_H
#define SPECTRUM_PV_EOI_H

#include <stdbool.h>
#include <stdint.h>

#include "pvhvm/pv_area.h"

struct gpm;
struct lapic;
struct ioapic;
struct vm;

/** @brief Counters (the EOIs by MMIO write are the APIC's EOIs minus pv_eois). */
struct pv_eoi_stats {
    uint64_t offered;     /**< injections that set the guest's bit */
    uint64_t pv_eois;     /**< EOIs done for the guest: it had cleared the bit */
    uint64_t withdrawn;   /**< bit still set at the next exit: cleared, the guest writes the EOI */
    uint64_t level;       /**< injections not offered: level-triggered */
    uint64_t irr;         /**< injections not offered: another vector waiting in the IRR */
    uint64_t lost;        /**< the area stopped being RAM (cannot happen with a fixed map): PV EOI off */
};

/** @brief One vCPU's PV EOI state. */
struct pv_eoi {
    uint64_t msr;         /**< MSR_KVM_PV_EOI_EN as last written (accepted) */
    bool pending;         /**< the bit was set by us at an injection, no sync since */
    uint8_t vector;       /**< ... for this vector */
    struct pv_eoi_stats stats; /**< counters */
};

/** @brief Whether PV EOI is on (bit 0 of the MSR). */
bool pv_eoi_enabled(const struct pv_eoi *p);

/**
 * @brief WRMSR MSR_KVM_PV_EOI_EN of @p value.  A pending bit of the old
 *        setting is synced first (pv_eoi_sync()).  Bit 1 set (not a 4-byte
 *        aligned address), or with bit 0 an area that is not 4 bytes of
 *        RAM in one page (pv_area.h), is refused and nothing changes.
 * @return PV_AREA_OK (accepted), else why not: the WRMSR raises \#GP
 */
enum pv_area_fault pv_eoi_set_msr(struct pv_eoi *p, const struct gpm *m, struct lapic *l, uint64_t value,
                                  uint64_t now);

/**
 * @brief @p vector was just injected (IRR -> ISR in @p l): set the guest's
 *        bit if the EOI may be skipped (see the file comment).  @p io may
 *        be NULL (no I/O APIC).
 */
void pv_eoi_delivered(struct pv_eoi *p, const struct gpm *m, struct lapic *l, const struct ioapic *io,
                      uint8_t vector, uint64_t now);

/** @brief At an exit: if the bit is ours, EOI for the guest if it cleared
 *         it, else clear it (the guest will write the register). */
void pv_eoi_sync(struct pv_eoi *p, const struct gpm *m, struct lapic *l, uint64_t now);

/** @brief The PV EOI counters of @p vm's machine (pv_eoi_dev.c), NULL for a
 *         plain lesson-01/02 VM: for scenarios that compare them with what
 *         their guest saw. */
const struct pv_eoi_stats *pv_eoi_stats_of(struct vm *vm);

#endif
