/**
 * @file vm.h
 * @brief A virtual machine as every lesson sees it: a name, guest memory,
 *        a port bus with its device instances, and whether it still runs.
 *
 * How the guest's instructions execute is not here: lesson 01 interprets
 * them (x86/interp.h), lesson 02 runs them on VT-x or AMD-V.  Those embed a
 * struct vm in their own structure and find it again with container_of.
 */
#ifndef SPECTRUM_VM_H
#define SPECTRUM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/portbus.h"
#include "vm/gmem.h"

/** @brief From a pointer to @p member, the structure of @p type holding it. */
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

/** @brief Life cycle of a VM. */
enum vm_state {
    VM_RUNNING,   /**< may be entered */
    VM_STOPPED,   /**< finished or killed; see @c passed and @c stop_reason */
};

/** @brief One virtual machine. */
struct vm {
    const char *name;          /**< prefix of its console output */
    struct guest_mem mem;      /**< guest-physical memory */
    struct portbus io;         /**< its port devices */
    enum vm_state state;       /**< running or stopped */
    bool passed;               /**< when stopped: did the guest report success */
    uint32_t exit_code;        /**< the guest's own exit code, if it gave one */
    char stop_reason[192];     /**< why it stopped, for the log */
    /** Extension point: the richer machine a later lesson builds around
     *  this VM (lesson 03: struct pc_machine), NULL before.  Device models
     *  of that lesson find their machine through it. */
    void *ext;
};

/**
 * @brief Create @p vm with @p mem_bytes of zeroed guest memory (rounded up
 *        to pages) and its own instance of every port device.
 */
void vm_init(struct vm *vm, const char *name, uint64_t mem_bytes);

/** @brief Free the VM's memory. */
void vm_destroy(struct vm *vm);

/**
 * @brief Stop @p vm: it will not be entered again.  The first reason
 *        given wins, so the root cause is what gets reported.
 */
void vm_stop(struct vm *vm, bool passed, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/** @brief Whether @p vm may still be entered. */
static inline bool vm_running(const struct vm *vm) { return vm->state == VM_RUNNING; }

#endif
