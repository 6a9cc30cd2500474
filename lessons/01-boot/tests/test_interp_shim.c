/**
 * @file test_interp_shim.c
 * @brief Hosted vm_stop(), portbus_read() and portbus_write() for the
 *        interpreter's tests and fuzzer (see test_interp_shim.h).
 */
#include "test_interp_shim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct shim_ports shim_ports;

void shim_vm_init(struct vm *vm, uint64_t bytes)
{
    memset(vm, 0, sizeof *vm);
    vm->name = "test";
    vm->mem.host = calloc(1, bytes ? bytes : 1);
    if (!vm->mem.host)
        abort();
    vm->mem.size = bytes;
    vm->state = VM_RUNNING;
    memset(&shim_ports, 0, sizeof shim_ports);
}

void shim_vm_free(struct vm *vm)
{
    free(vm->mem.host);
    vm->mem.host = NULL;
    vm->mem.size = 0;
}

void vm_stop(struct vm *vm, bool passed, const char *fmt, ...)
{
    if (vm->state == VM_STOPPED)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(vm->stop_reason, sizeof vm->stop_reason, fmt, ap);
    va_end(ap);
    vm->state = VM_STOPPED;
    vm->passed = passed;
}

uint32_t portbus_read(struct vm *vm, uint16_t port, unsigned size)
{
    (void)vm;
    shim_ports.ins++;
    /* COM1's line status: transmitter empty, so guest_putc() never waits. */
    if (port == 0x3fd)
        return 0x60;
    return shim_ports.in_value & (size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1);
}

void portbus_write(struct vm *vm, uint16_t port, unsigned size, uint32_t value)
{
    unsigned i = shim_ports.outs++;
    if (i < SHIM_MAX_OUT) {
        shim_ports.out_port[i] = port;
        shim_ports.out_value[i] = value;
        shim_ports.out_size[i] = (uint8_t)size;
    }
    if (port == 0xf4) {
        vm->exit_code = value;
        vm_stop(vm, value == 0, "guest exited with status %u", value);
    }
}
