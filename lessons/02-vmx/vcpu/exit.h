/**
 * @file exit.h
 * @brief The exit loop and its handler table.
 *
 * vcpu_loop() enters the guest, receives a normalised struct vm_exit,
 * counts it (number and TSC time per reason), and calls the handler that
 * a lesson registered for that reason with REGISTER_EXIT_HANDLER.  A
 * reason without a handler stops the VM with a message naming it.
 */
#ifndef SPECTRUM_EXIT_H
#define SPECTRUM_EXIT_H

#include "spectrum/registry.h"
#include "vcpu/vcpu.h"

/** What the loop does after a handler. */
enum exit_action {
    EXIT_ACTION_RESUME = 0,  /**< enter the guest again */
    EXIT_ACTION_STOP = 1,    /**< the VM is finished (vm_stop() was called) */
};

/** @brief Handles one exit reason. */
typedef enum exit_action (*exit_handler_fn)(struct vcpu *v, const struct vm_exit *e);

/** @brief One row of the handler table. */
struct exit_handler {
    long reason;             /**< enum vm_exit_reason */
    exit_handler_fn fn;      /**< the handler */
    const char *name;        /**< for the statistics table */
};

TABLE_DECLARE(struct exit_handler, spectrum_exit_handler);

/** Register @p fn for exits of @p reason. */
#define REGISTER_EXIT_HANDLER(id, reason, fn)                                 \
    static const struct exit_handler exit_handler_##id TABLE_ENTRY(spectrum_exit_handler) = { reason, fn, #id }

/** @brief Per-VM exit statistics. */
struct exit_stats {
    uint64_t count[EXIT_REASON_COUNT];  /**< exits per reason */
    uint64_t tsc[EXIT_REASON_COUNT];    /**< TSC ticks spent handling them (exit to next entry) */
    uint64_t guest_tsc;                 /**< TSC ticks spent in the guest */
    uint64_t idle_tsc;                  /**< TSC ticks a halted vCPU waited for a wake-up (not in tsc[]) */
};

/** @brief Human name of @p reason ("cpuid", "io", ...). */
const char *exit_reason_name(enum vm_exit_reason reason);

/**
 * @brief Complete the exiting instruction in the CPU's place: advance RIP
 *        past it (wrapping at the code's width, vcpu/rip.h) and, when
 *        RFLAGS.TF is set, queue the single-step \#DB it would have raised.
 */
void vcpu_skip_insn(struct vcpu *v, const struct vm_exit *e);

/**
 * @brief Raise exception @p vector in the guest, as the CPU would have
 *        raised it for the instruction the hypervisor handled (\#GP(0) for
 *        a refused WRMSR, \#UD for MWAIT, ...).
 *
 * Builds the event and hands it to ops->inject, which delivers it on the
 * next VM entry (VMX VM-entry interruption information, SDM Vol. 3C
 * §26.6; SVM EVENTINJ, APM Vol. 2 §15.20).  Injection fails only when an
 * event is already queued; then the VM is stopped with a message naming
 * the vector and @p what, rather than losing the exception.
 * @param v       the vCPU
 * @param vector  exception vector (EXC_GP, EXC_UD, ...)
 * @param has_err whether the exception pushes an error code
 * @param err     the error code (ignored without @p has_err)
 * @param what    what the exception is for, for the message ("a bad CR0 value")
 * @return EXIT_ACTION_RESUME, or EXIT_ACTION_STOP after vm_stop()
 */
enum exit_action vcpu_raise(struct vcpu *v, unsigned vector, bool has_err, uint32_t err, const char *what);

#endif
