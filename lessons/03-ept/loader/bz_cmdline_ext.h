/**
 * @file bz_cmdline_ext.h
 * @brief Extension point of the bzimage loader: words a later lesson adds
 *        to Linux's command line for the devices its machine has.
 *
 * Linux finds some devices only from its command line - a virtio-mmio
 * device from `virtio_mmio.device=SIZE@BASE:IRQ` (Linux's
 * drivers/virtio/virtio_mmio.c, CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES) - as
 * Firecracker and kvmtool tell it.  A lesson that adds such a device
 * registers a struct bz_cmdline_ext with REGISTER_LINUX_CMDLINE_EXT; the
 * loader (bzimage.c) calls every entry after the user's words and
 * tsc_early_khz=, and appends what it writes.  Stage 03 registers none.
 */
#ifndef SPECTRUM_BZ_CMDLINE_EXT_H
#define SPECTRUM_BZ_CMDLINE_EXT_H

#include <stdbool.h>
#include <stddef.h>

#include "spectrum/registry.h"

struct pc_machine;

/** @brief One registered command-line extension. */
struct bz_cmdline_ext {
    const char *name;   /**< who adds the words, for messages */
    /**
     * Write the words to add for machine @p m into @p out (NUL-terminated,
     * no leading blank; empty for none), knowing the user's command line
     * @p given (so a word the user wrote is not added twice).
     * @return false if they do not fit in @p out_len bytes
     */
    bool (*append)(struct pc_machine *m, const char *given, char *out, size_t out_len);
};

TABLE_DECLARE(struct bz_cmdline_ext, spectrum_bz_cmdline_ext);

/** Register command-line extension @p id (a struct bz_cmdline_ext initializer). */
#define REGISTER_LINUX_CMDLINE_EXT(id, ...)                                                        \
    static const struct bz_cmdline_ext bz_cmdline_ext_##id TABLE_ENTRY(spectrum_bz_cmdline_ext) = __VA_ARGS__

#endif
