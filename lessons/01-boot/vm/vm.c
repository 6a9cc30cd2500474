/**
 * @file vm.c
 * @brief Creating, stopping and destroying a VM.
 */
#include "vm/vm.h"

#include <stdarg.h>

#include "spectrum/console.h"
#include "spectrum/fmt.h"
#include "spectrum/mem.h"

void vm_init(struct vm *vm, const char *name, uint64_t mem_bytes)
{
    uint64_t pages = (mem_bytes + PAGE_SIZE - 1) / PAGE_SIZE;
    vm->name = name;
    /* 0 bytes: a later lesson keeps the guest's memory elsewhere (vm.ext). */
    vm->mem.host = pages ? page_alloc(pages, 1) : 0;
    vm->mem.size = pages * PAGE_SIZE;
    vm->state = VM_RUNNING;
    vm->passed = false;
    vm->exit_code = 0;
    vm->stop_reason[0] = '\0';
    vm->ext = 0;
    portbus_init(&vm->io, vm);
}

void vm_destroy(struct vm *vm)
{
    if (vm->mem.host)
        page_free(vm->mem.host, vm->mem.size / PAGE_SIZE);
    vm->mem.host = 0;
    vm->mem.size = 0;
}

void vm_stop(struct vm *vm, bool passed, const char *fmt, ...)
{
    if (vm->state == VM_STOPPED)
        return;
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(vm->stop_reason, sizeof vm->stop_reason, fmt, ap);
    va_end(ap);
    vm->state = VM_STOPPED;
    vm->passed = passed;
    kprintf("vm %s: stopped: %s\n", vm->name, vm->stop_reason);
}
