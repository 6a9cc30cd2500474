/**
 * @file lapic_hook.h
 * @brief Extension point of a lesson-03 machine's local APIC: hooks for a
 *        later lesson that lets the guest change APIC state without an
 *        exit (lesson 04: PV EOI, where the guest signals an EOI by
 *        clearing a bit in its own memory).
 *
 * Such state must be brought into the model before anything looks at it,
 * and the hook must hear of every vector the vCPU takes:
 *  - sync(): before the delivery decision of each entry (apic_irq.c's
 *    update, the first thing the pre-entry path does) and before every
 *    guest access to the APIC page (lapic_dev.c), so that ISR, PPR and the
 *    next vector are what the guest has made them - the same places
 *    apic_tpr_sync_in() brings in a CR8 the guest wrote through V_TPR;
 *  - delivered(): right after a vector moved from IRR to ISR because it
 *    was injected (apic_irq.c's ack), the moment KVM's lapic.c also picks
 *    to offer a PV EOI.
 * Lesson 03 registers none: the loops below run zero times, and stage 03
 * behaves exactly as before.
 */
#ifndef SPECTRUM_LAPIC_HOOK_H
#define SPECTRUM_LAPIC_HOOK_H

#include <stdint.h>

#include "apic/lapic.h"
#include "spectrum/registry.h"

struct vm;

/** @brief One set of hooks (either may be NULL). */
struct lapic_hook {
    const char *name;   /**< for messages */
    /** Bring guest-side state of @p vm into its APIC @p l. */
    void (*sync)(struct vm *vm, struct lapic *l);
    /** @p vector was just injected into @p vm's vCPU (now in service in @p l). */
    void (*delivered)(struct vm *vm, struct lapic *l, uint8_t vector);
};

TABLE_DECLARE(struct lapic_hook, spectrum_lapic_hook);

/** Register local-APIC hooks: REGISTER_LAPIC_HOOK(id, { .name = ..., .sync = ..., .delivered = ... }). */
#define REGISTER_LAPIC_HOOK(id, ...)                                                               \
    static const struct lapic_hook lapic_hook_##id TABLE_ENTRY(spectrum_lapic_hook) = __VA_ARGS__

/** @brief Run every sync() hook for @p vm's APIC @p l. */
static inline void lapic_hooks_sync(struct vm *vm, struct lapic *l)
{
    TABLE_FOREACH(struct lapic_hook, spectrum_lapic_hook, h)
        if (h->sync)
            h->sync(vm, l);
}

/** @brief Run every delivered() hook: @p vector was injected. */
static inline void lapic_hooks_delivered(struct vm *vm, struct lapic *l, uint8_t vector)
{
    TABLE_FOREACH(struct lapic_hook, spectrum_lapic_hook, h)
        if (h->delivered)
            h->delivered(vm, l, vector);
}

#endif
