/**
 * @file init.h
 * @brief Init hooks: code a lesson wants run once at boot, in level order.
 *
 * kmain() runs the common boot steps itself (console, descriptor tables,
 * boot information, page allocator), then every registered hook, lowest
 * level first, then the scenario chosen on the command line.
 */
#ifndef SPECTRUM_INIT_H
#define SPECTRUM_INIT_H

#include "spectrum/registry.h"

/** Init levels: a hook may rely on every lower level having run. */
enum init_level {
    INIT_PLATFORM = 1,  /**< buses and tables (port bus, exit-handler tables) */
    INIT_DEVICES = 2,   /**< device models that register on those buses */
    INIT_VIRT = 3,      /**< virtualization back ends (VMX/SVM detection) */
    INIT_LATE = 4,      /**< everything else */
};

/** @brief One init hook. */
struct init_hook {
    const char *name;   /**< shown in the boot log */
    void (*fn)(void);   /**< the hook */
    long level;         /**< enum init_level */
};

TABLE_DECLARE(struct init_hook, spectrum_init);

/** Register @p fn to run at boot at @p lvl. */
#define REGISTER_INIT(lvl, fn)                                                \
    static const struct init_hook init_hook_##fn TABLE_ENTRY(spectrum_init) = { #fn, fn, lvl }

/** @brief Run every hook, by level. */
void init_run_all(void);

#endif
