/**
 * @file guest.h
 * @brief The guest runtime: what a tiny test guest links against.
 *
 * A guest is a flat binary: start.S sets up a stack, clears .bss and calls
 * guest_main(); whatever guest_main() returns becomes the guest's exit
 * status through guest_exit().  Status 0 is success, anything else names
 * the check that failed: the hypervisor stops the VM and reports it.
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "guest/console.h"
#include "guest/cpu.h"

/** The debug-exit port (lessons/01-boot/vdev/debug_exit.c, modelled on
 *  QEMU's isa-debug-exit): writing a status there ends the VM. */
#define GUEST_DEBUG_EXIT_PORT 0xF4

/** Status guest_exit() reports when an exception or interrupt arrived
 *  that nobody registered a handler for (see guest/idt.h); the vector is
 *  added, so the status says which one. */
#define GUEST_EXIT_UNHANDLED_TRAP 0x100

/** @brief The guest's program; its return value is the exit status. */
int guest_main(void);

/**
 * @brief End the guest with @p status (0 = success) by writing it to the
 *        debug-exit port.  Never returns: if the hypervisor were to resume
 *        the guest anyway, it halts with interrupts off.
 */
void guest_exit(uint32_t status) __attribute__((noreturn));

#endif
