/**
 * @file machine_ext.h
 * @brief Extension point of the lesson-03 virtual PC: per-machine state
 *        and an end-of-run report for a later lesson's features.
 *
 * A later lesson that keeps something per machine (lesson 04: hypercall
 * counters) registers a struct pc_machine_ext with REGISTER_PC_MACHINE_EXT
 * from its own folder.  Every machine pc_machine_create() builds gets a
 * zeroed private state of state_size bytes for each registered entry
 * (init() runs then), and pc_machine_run() calls report() after the exit
 * statistics, next to the legacy and APIC lines.  Stage 03 registers
 * none, so it runs exactly as before.
 */
#ifndef SPECTRUM_MACHINE_EXT_H
#define SPECTRUM_MACHINE_EXT_H

#include <stdbool.h>
#include <stdint.h>

#include "spectrum/registry.h"

struct pc_machine;
struct vm;

/** @brief One registered per-machine extension. */
struct pc_machine_ext {
    const char *name;       /**< looked up by pc_machine_ext_state() ("hcall") */
    uint32_t state_size;    /**< bytes of per-machine state (zeroed before init) */
    /** Set up one machine's state (may be NULL). */
    void (*init)(struct pc_machine *m, void *state);
    /** Print the machine's counters at the end of pc_machine_run() (may be NULL). */
    void (*report)(struct pc_machine *m, void *state);
};

TABLE_DECLARE(struct pc_machine_ext, spectrum_pc_machine_ext);

/** Register per-machine extension @p id (a struct pc_machine_ext initializer). */
#define REGISTER_PC_MACHINE_EXT(id, ...)                                                           \
    static const struct pc_machine_ext pc_machine_ext_##id TABLE_ENTRY(spectrum_pc_machine_ext) = __VA_ARGS__

#define PC_EXT_MAX 8             /**< extensions per machine */
#define PC_EXT_ARENA_SIZE 1024   /**< bytes of extension state per machine */

/** @brief One machine's extension states. */
struct pc_machine_exts {
    const struct pc_machine_ext *ext[PC_EXT_MAX]; /**< the entries */
    void *state[PC_EXT_MAX];                      /**< their states */
    int count;                                    /**< how many */
    _Alignas(16) uint8_t arena[PC_EXT_ARENA_SIZE]; /**< the states' storage */
};

/**
 * @brief Give @p m a zeroed state for every registered extension and run
 *        their init().
 * @return false if they do not fit (PC_EXT_MAX, PC_EXT_ARENA_SIZE)
 */
bool pc_machine_ext_init(struct pc_machine *m);

/** @brief Call every extension's report() for @p m. */
void pc_machine_ext_report(struct pc_machine *m);

/** @brief The state of extension @p name in @p vm's machine; NULL for a
 *         plain lesson-01/02 VM or an extension that is not there. */
void *pc_machine_ext_state(struct vm *vm, const char *name);

#endif
