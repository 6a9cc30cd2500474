/**
 * @file apic.h
 * @brief A lesson-03 machine's APICs, as the rest of Spectrum reaches them:
 *        the per-VM local APIC ("lapic", MMIO 0xFEE00000) and I/O APIC
 *        ("ioapic", MMIO 0xFEC00000) instances, their counters, and the
 *        CR8/V_TPR synchronisation.
 *
 * How the pieces fit (each file one concept):
 *  - lapic.c / ioapic.c: the pure models (hosted unit tests);
 *  - lapic_dev.c / ioapic_dev.c: the MMIO devices and their wiring to each
 *    other (I/O APIC messages to the local APIC, level EOIs back);
 *  - isa_wiring.c: ISA IRQ lines to I/O APIC pins (IRQ0 -> INTIN2);
 *  - apic_irq.c: the local APIC as the interrupt controller in front of
 *    the 8259 (vdev/irq_controller.h);
 *  - apic_msr.c, apic_cpuid.c, apic_tpr.c: IA32_APIC_BASE and
 *    IA32_TSC_DEADLINE, CPUID, and CR8 (VMX exits, SVM's V_TPR);
 *  - lapic_hook.h: the extension point for a later lesson's APIC state
 *    the guest changes without exits (lesson 04: PV EOI).
 * Everything acts only for VMs that are lesson-03 machines: for a plain
 * lesson-01/02 VM lapic_of() is NULL and every hook passes.
 */
#ifndef SPECTRUM_APIC_H
#define SPECTRUM_APIC_H

#include "apic/ioapic.h"
#include "apic/lapic.h"

struct vm;
struct vcpu;

/** @brief @p vm's local APIC, or NULL (not a lesson-03 machine). */
struct lapic *lapic_of(struct vm *vm);

/** @brief @p vm's I/O APIC, or NULL. */
struct ioapic *ioapic_of(struct vm *vm);

/** @brief Print one line of APIC counters for @p vm (nothing for a plain VM):
 *
 *     apic: NAME: lapic timer F fired (M masked, L lost), D delivered, E eois (V level),
 *           self-ipis S, ipis ignored I, bad accesses B; ioapic messages N (R refused), ...
 */
void apic_print_stats(struct vm *vm);

/** @brief SVM: take a CR8 value the guest wrote into V_TPR since the last
 *         entry into the local APIC's TPR (no-op on VMX and plain VMs). */
void apic_tpr_sync_in(struct vm *vm);

/** @brief SVM: before an entry, put TPR[7:4] into V_TPR, so MOV from CR8
 *         reads what the guest's APIC holds. */
void apic_tpr_push(struct vcpu *v);

#endif
