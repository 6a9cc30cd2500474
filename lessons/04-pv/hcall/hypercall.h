/**
 * @file hypercall.h
 * @brief Hypercalls: the VMCALL/VMMCALL exit (lesson 02 decodes both into
 *        EXIT_HYPERCALL) dispatched through a table of calls that lessons
 *        fill with REGISTER_HYPERCALL.
 *
 * The ABI (registers, error numbers, Spectrum's call numbers) is in
 * hcall/hcall_abi.h.  The exit handler (hcall_exit.c):
 *  1. reads the number and the four arguments, cut to 32 bits outside
 *     64-bit mode;
 *  2. refuses a caller at CPL > 0 with -KVM_EPERM, as KVM does: neither
 *     VMCALL in VMX non-root operation (SDM Vol. 2B "VMCALL": it exits at
 *     any CPL) nor an intercepted VMMCALL (APM Vol. 3 "VMMCALL") checks the
 *     privilege level, so the hypervisor must, or any user program could
 *     ask for what only the kernel should;
 *  3. looks the number up; an unknown one returns -KVM_ENOSYS;
 *  4. writes the result to RAX and moves RIP past the 3-byte instruction.
 * The guest is never stopped by a bad call: it gets an error code.
 */
#ifndef SPECTRUM_HYPERCALL_H
#define SPECTRUM_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "hcall/hcall_abi.h"
#include "spectrum/registry.h"

struct vcpu;
struct gpm;

/** @brief One call as the handler sees it: arguments already cut to the
 *         caller's width. */
struct hcall_args {
    struct vcpu *v;          /**< the calling vCPU */
    const struct gpm *mem;   /**< its guest-physical memory, NULL for a lesson-02 VM */
    uint64_t nr;             /**< the call number (RAX) */
    uint64_t arg[4];         /**< RBX, RCX, RDX, RSI */
    bool long64;             /**< the caller runs 64-bit code */
};

/** @brief A hypercall: returns the value for RAX (negative: -KVM_Exxx). */
typedef int64_t (*hcall_fn)(const struct hcall_args *a);

/** @brief One row of the hypercall table. */
struct hypercall {
    uint64_t nr;             /**< the number the guest puts in RAX */
    const char *name;        /**< for messages and counters */
    hcall_fn fn;             /**< the implementation */
};

TABLE_DECLARE(struct hypercall, spectrum_hypercall);

/** Register @p fn as hypercall @p nr; @p id names it ("console_write"). */
#define REGISTER_HYPERCALL(id, nr, fn)                                                             \
    static const struct hypercall hypercall_##id TABLE_ENTRY(spectrum_hypercall) = { nr, #id, fn }

/**
 * @brief The table row for call @p nr, or NULL if none.  When two rows
 *        claim one number the first registered wins (a message names both
 *        the first time).
 */
const struct hypercall *hcall_find(uint64_t nr);

/** @brief Per-machine hypercall counters (hcall_stats.c). */
struct hcall_stats {
    uint64_t calls;          /**< hypercall exits */
    uint64_t completed;      /**< calls that returned a result >= 0 */
    uint64_t errors;         /**< calls that returned an error (-KVM_EFAULT, -KVM_E2BIG, ...) */
    uint64_t unknown;        /**< unknown numbers (-KVM_ENOSYS) */
    uint64_t refused;        /**< calls from CPL > 0 (-KVM_EPERM) */
};

/** @brief The counters of @p v's machine, or NULL (a lesson-02 VM has none). */
struct hcall_stats *hcall_stats_of(struct vcpu *v);

#endif
