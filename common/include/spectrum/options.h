/**
 * @file options.h
 * @brief The kernel command-line options an image understands, declared
 *        where they are read, so a typo is reported instead of ignored.
 *
 * Every file that reads an option registers it next to the code that
 * reads it:
 *
 *     REGISTER_OPTION(vm_budget_ms, "ms of host time a VM may run (default 30000)");
 *
 * At boot, options_check() prints one line per option that no part of
 * this stage reads ("cmdline: unknown option 'vm_budget' ignored ...") and
 * per option given more than once (only the last one counts, as in
 * Linux), and run=list lists them all with their help.
 */
#ifndef SPECTRUM_OPTIONS_H
#define SPECTRUM_OPTIONS_H

#include "spectrum/cmdline.h"
#include "spectrum/registry.h"

/** @brief One known option. */
struct cmdline_option {
    const char *name;   /**< the key, as written on the command line */
    const char *help;   /**< one line: what it does, its default */
};

TABLE_DECLARE(struct cmdline_option, spectrum_option);

/** Register option @p id (written as on the command line) with @p help. */
#define REGISTER_OPTION(id, help)                                                                  \
    static const struct cmdline_option option_##id TABLE_ENTRY(spectrum_option) = { #id, help }

/** @brief Report unknown and repeated options of @p cl on the console. */
void options_check(const struct cmdline *cl);

/** @brief Print every option this image knows, with its help. */
void options_list(void);

#endif
