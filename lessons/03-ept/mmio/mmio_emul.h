/**
 * @file mmio_emul.h
 * @brief Completing a guest instruction that touched an MMIO region: the
 *        nested-page-fault handler's second half.
 *
 * A GPM_MMIO region is never mapped in the nested tables, so the CPU exits
 * (EPT violation, SDM Vol. 3C §29.3.3.2; \#NPF, APM Vol. 2 §15.25.6) before
 * the access happens, with its guest-physical address but without saying
 * what the access was.  mmio_emulate() finds out: it fetches the
 * instruction at CS:RIP through the guest's paging (or takes the bytes an
 * SVM CPU with decode assists saved in the VMCB, APM Vol. 2 §15.33),
 * decodes it, performs it on the machine's MMIO bus (mmio/mmio_bus.h) and
 * moves RIP past it.  The instruction logic is mmio_emul_core.h.
 */
#ifndef SPECTRUM_MMIO_EMUL_H
#define SPECTRUM_MMIO_EMUL_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/mmio_bus.h"
#include "vcpu/exit.h"
#include "vcpu/vcpu.h"

/** @brief Per-machine counters of the MMIO instruction emulation. */
struct mmio_emul_stats {
    uint64_t insns;        /**< instructions emulated (a REP string resumed counts each time) */
    uint64_t elements;     /**< string elements moved by emulated STOS/MOVS */
    uint64_t resumed;      /**< REP strings left for the guest to re-execute (cap reached) */
    uint64_t assisted;     /**< instructions whose bytes came from SVM decode assists */
};

/**
 * @brief The counters of the machine whose MMIO bus is @p bus (zeroed by
 *        mmiobus_init()).  They live at the start of the bus's arena
 *        until struct mmiobus has a field for them.
 */
struct mmio_emul_stats *mmio_emul_stats(struct mmiobus *bus);

/**
 * @brief Emulate the instruction at the guest's CS:RIP, which faulted on
 *        @p gpa inside a GPM_MMIO region of the vCPU's machine.
 *
 * On success the access has reached the bus, registers and flags are
 * updated and RIP is past the instruction (vcpu_skip_insn() with the
 * decoded length: the RFLAGS.TF single-step trap included), or - a REP
 * string that hit the per-exit cap - still on it with rCX/rSI/rDI moved.
 * Anything it cannot emulate stops the VM with a message naming the GPA,
 * the RIP, the instruction bytes in hex and the reason.
 * @param v   the vCPU (its VM must be a pc_machine)
 * @param gpa the faulting guest-physical address (e->npf.gpa)
 * @param e   the exit (only copied, to complete the instruction)
 * @return EXIT_ACTION_RESUME, or EXIT_ACTION_STOP with the VM stopped
 */
enum exit_action mmio_emulate(struct vcpu *v, uint64_t gpa, const struct vm_exit *e);

/**
 * @brief The instruction bytes an SVM CPU with decode assists stored in
 *        the VMCB at this exit (GuestInstrBytes, VMCB 0xD0/0xD1, APM Vol. 2
 *        §15.33.4); 0 when the back end is not SVM, the CPU has no decode
 *        assists (QEMU TCG) or it fetched nothing (mmio_svm_assist.c).
 */
size_t mmio_assist_bytes(struct vcpu *v, uint8_t buf[15]);

#endif
