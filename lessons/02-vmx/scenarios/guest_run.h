/**
 * @file guest_run.h
 * @brief Run one of lesson 02's embedded test guests in a fresh VM and
 *        collect what the scenarios check: the guest's own verdict (its
 *        exit status on port 0xF4), why the VM stopped, and the exit
 *        statistics the hypervisor gathered.
 */
#ifndef SPECTRUM_GUEST_RUN_H
#define SPECTRUM_GUEST_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "vcpu/exit.h"
#include "vcpu/vcpu.h"
#include "vm/vm.h"

/** Declare embedded image @p id (guests/images.S defines the symbols). */
#define GUEST_IMAGE_DECLARE(id) extern const uint8_t guest_image_##id[], guest_image_##id##_end[]

/** A struct guest_image for image @p id started in @p mode. */
#define GUEST_IMAGE(id, mode) ((struct guest_image){ #id, guest_image_##id, guest_image_##id##_end, mode })

/** @brief An embedded guest and how to start it. */
struct guest_image {
    const char *name;           /**< short name ("hello64") */
    const uint8_t *start;       /**< first byte of the flat binary */
    const uint8_t *end;         /**< one past its last byte */
    enum vcpu_mode mode;        /**< 32-bit paged or 64-bit */
};

/** @brief What one run produced. */
struct guest_outcome {
    bool created;               /**< a vCPU was created (else nothing ran) */
    bool passed;                /**< the VM stopped with a pass (the guest exited 0) */
    uint32_t exit_code;         /**< the guest's exit status, if it gave one */
    char stop_reason[192];      /**< the VM's stop reason */
    struct exit_stats stats;    /**< the exit loop's counters */
    uint64_t run_tsc;           /**< host TSC ticks from first entry to stop */
    uint64_t pit_irqs;          /**< IRQ0 pulses the PIT delivered to the PIC */
    uint64_t pit_lost;          /**< timer periods merged into an earlier pulse */
    uint64_t pit_first_tsc;     /**< host TSC at which the first IRQ0 pulse was due (0: none) */
    uint64_t pit_last_tsc;      /**< host TSC up to which the PIT's pulses are counted */
    uint64_t end_tsc;           /**< host TSC when the VM stopped */
    uint64_t pic_acks;          /**< interrupts the PIC pair handed to the CPU */
    uint64_t pic_spurious;      /**< of which spurious */
};

/** Guest memory for every lesson-02 test guest: image at 1 MiB, plus room. */
#define GUEST_RUN_MEM (4ull << 20)

/**
 * @brief Run @p img in a new VM named @p vm_name until it stops; print the
 *        exit statistics and one summary line
 *        "guest VM_NAME: exit status N, passed|failed: REASON"; fill @p out.
 * @return out->passed
 */
bool guest_run(const char *vm_name, const struct guest_image *img, struct guest_outcome *out);

/**
 * @brief Check, from the host's side, that the guest's PIT ticked at
 *        @p hz: from the first IRQ0 pulse to the PIT's last update, the pulses
 *        delivered plus the periods lost must match the host time that
 *        passed (tsc_hz() was measured against the engine's own PIT at
 *        boot, so this does not trust the emulated PIT), and at most a
 *        third may have been lost (merged because the guest was not
 *        entered in time).  Prints "WHO: host check: ..." and returns
 *        whether it held.
 */
bool guest_ticks_on_time(const char *who, const struct guest_outcome *o, unsigned hz);

/**
 * @brief guest_run() on a VM the caller created with vm_init() (to queue
 *        mailbox parameters first, say) and destroys afterwards (after
 *        reading what the guest left in its devices).
 * @return out->passed
 */
bool guest_run_in(struct vm *vm, const struct guest_image *img, struct guest_outcome *out);

#endif
