/**
 * @file debug_exit.c
 * @brief The guest's debug-exit port (0xF4), modelled on QEMU's
 *        isa-debug-exit: a guest ends its own run by writing its exit code
 *        there.  0 means success; anything else is a failure with that code.
 *
 * Spectrum itself uses the real port the same way to end the whole machine
 * (machine.h); inside a VM the port is emulated, so a guest can only stop
 * its own VM.
 */
#include "io/portbus.h"
#include "vdev/uart8250.h"
#include "vm/vm.h"

#define DEBUG_EXIT_BASE 0xF4

static void debug_exit_write(struct vm *vm, void *st, uint16_t port, unsigned size, uint32_t value)
{
    (void)st;
    (void)port;
    (void)size;
    uart8250_flush(vm);
    vm->exit_code = value;
    if (value == 0)
        vm_stop(vm, true, "guest exited with status 0");
    else
        vm_stop(vm, false, "guest exited with status %u", value);
}

REGISTER_PORT_DEVICE(debug_exit, {
    .name = "debug-exit",
    .base = DEBUG_EXIT_BASE,
    .count = 4,
    .state_size = 0,
    .write = debug_exit_write,
});
