/**
 * @file hvm_guest.h
 * @brief Run a flat guest image on the hardware vCPU in two calls.
 *
 *     struct vm vm;
 *     vm_init(&vm, "g-hello", 4 << 20);
 *     struct vcpu *v = hvm_guest_create(&vm, image, image_len, VCPU_MODE_LONG64);
 *     bool ok = hvm_guest_run(&vm, v, NULL);   // runs, prints the exit table, frees v
 *     vm_destroy(&vm);
 *
 * The image is linked to run at GUEST_LOAD_GVA (guest_space.h) and entered
 * at its first byte, already in the requested mode: 32-bit protected mode
 * with paging, or 64-bit long mode, flat segments (CS = GUEST_SEL_CODE32
 * or GUEST_SEL_CODE64, data = GUEST_SEL_DATA), interrupts disabled, no IDT,
 * the stack pointer at the top of guest memory.  It reports through the
 * emulated devices: COM1 (0x3F8) for text, port 0xF4 to exit (0 = pass).
 */
#ifndef SPECTRUM_HVM_GUEST_H
#define SPECTRUM_HVM_GUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "vcpu/exit.h"
#include "vcpu/vcpu.h"
#include "vm/vm.h"

/**
 * @brief Whether a hardware vCPU exists.  If not, print one line
 *        "WHO: needs hardware virtualization: <why>" (the reason from the
 *        boot's "vcpu:" line) and return false: a scenario that needs a
 *        vCPU says so and does nothing else.
 */
bool hvm_guest_available(const char *who);

/**
 * @brief Build the address space (guest_space.h), load @p image at
 *        GUEST_LOAD_GVA and create a vCPU on the chosen back end.
 * @return the vCPU, or NULL with @p vm stopped and the reason printed
 *         (no hardware virtualization, image too large, ...).
 */
struct vcpu *hvm_guest_create(struct vm *vm, const void *image, size_t len, enum vcpu_mode mode);

/**
 * @brief Run @p v until @p vm stops, print the exit statistics, destroy @p v.
 *        @p vm itself stays (its exit_code and stop_reason can be read).
 * @param vm the VM @p v belongs to
 * @param v  the vCPU from hvm_guest_create() (NULL: nothing runs)
 * @param st if not NULL, receives the exit statistics
 * @return vm->passed (false when @p v is NULL)
 */
bool hvm_guest_run(struct vm *vm, struct vcpu *v, struct exit_stats *st);

#endif
