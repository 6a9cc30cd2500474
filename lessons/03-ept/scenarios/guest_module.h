/**
 * @file guest_module.h
 * @brief Run the guest given as Spectrum's first multiboot module
 *        (scenario "guest", guest_module.c), for scenarios of later
 *        lessons that run it more than once (lesson 04's benchmark).
 */
#ifndef SPECTRUM_GUEST_MODULE_H
#define SPECTRUM_GUEST_MODULE_H

#include <stdbool.h>

#include "spectrum/bootinfo.h"
#include "spectrum/cmdline.h"
#include "vcpu/exit.h"

/**
 * @brief Module @p m's string as every engine gives it: without the file
 *        name QEMU's multiboot 1 puts first (GRUB's multiboot 2 passes only
 *        what follows the file name).  Spectrum's own modules are found by
 *        it ("spectrum.disk=rw", lesson 04's virtio-blk).
 */
const char *guest_module_args(const struct boot_info *bi, const struct boot_module *m);

/**
 * @brief Build a fresh lesson-03 machine, load the guest image (module 0)
 *        with its modules, run it to its end and print the
 *        "guest NAME: exit status N, passed|failed: REASON" line.
 * @param cl  Spectrum's command line (guest_mem_mb=, guest_name=)
 * @param st  the run's exit statistics (zeroed if the guest never ran)
 * @return true if the guest passed (exit status 0 or a clean end)
 */
bool guest_module_boot(const struct cmdline *cl, struct exit_stats *st);

#endif
