/**
 * @file host_irq.h
 * @brief The hypervisor's own interrupts: the host's 8259 pair, a one-shot
 *        timer on the host's 8254 channel 0 that ends a guest's time slice,
 *        and host NMIs.
 *
 * A hypervisor must get the CPU back from a guest that never exits on its
 * own (a CPU-bound loop, "cli; jmp ."), and must not let interrupts and
 * NMIs meant for the host end up in a guest.  Spectrum runs with RFLAGS.IF
 * = 0 and takes its interrupts at chosen points only:
 *  - the back ends make host interrupts exit the guest (VMX: "external-
 *    interrupt exiting", SDM Vol. 3C §26.2; SVM: the INTR intercept with
 *    V_INTR_MASKING = 1 and the host's IF = 1 while the guest runs, APM
 *    Vol. 2 §15.21.1) and host NMIs too (VMX "NMI exiting", SVM NMI
 *    intercept);
 *  - after such an exit the interrupt is still pending (VMX: "acknowledge
 *    interrupt on exit" is off; SVM: GIF was 0), and host_irq_window()
 *    opens interrupts for one instruction so the host's own handler takes
 *    it from the 8259 and acknowledges it (EOI);
 *  - the timer: host_timer_arm() programs channel 0 of the host's 8254 in
 *    mode 0 ("interrupt on terminal count", 8254 data sheet) so that IRQ0
 *    arrives at the end of the slice.  The VMX back end prefers the
 *    VMX-preemption timer (no interrupt at all) and uses this only when
 *    the CPU lacks it; the SVM back end always uses it (SVM has no
 *    preemption timer).
 * The host's 8259s are remapped to vectors 0x20-0x2F (the BIOS leaves the
 * master on 0x08, where the CPU's own exceptions live) with every line but
 * IRQ0 masked.
 */
#ifndef SPECTRUM_HOST_IRQ_H
#define SPECTRUM_HOST_IRQ_H

#include <stdint.h>

/** First vector of the host's master 8259 after remapping. */
#define HOST_IRQ_VECTOR_BASE 0x20

/** @brief Arm the host timer so that IRQ0 arrives by host TSC @p deadline_tsc
 *         (at the latest about 55 ms from now, the 8254's longest count). */
void host_timer_arm(uint64_t deadline_tsc);

/** @brief Let pending host interrupts run their handlers: STI; NOP; CLI. */
void host_irq_window(void);

/** @brief Host interrupts handled since boot: @p timer (IRQ0), @p other, @p spurious. */
void host_irq_counts(uint64_t *timer, uint64_t *other, uint64_t *spurious);

/** @brief NMIs the host has handled since boot (host_nmi.c). */
uint64_t host_nmi_count(void);

/** @brief Run the host's NMI handler now, as if an NMI had arrived (INT 2):
 *         what a VMX back end does after an NMI-caused VM exit, because
 *         the NMI itself was consumed by the exit (SDM Vol. 3C §28.2). */
void host_nmi_reflect(void);

#endif
