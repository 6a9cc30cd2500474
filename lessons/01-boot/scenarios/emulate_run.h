/**
 * @file emulate_run.h
 * @brief Running one embedded guest image under the interpreter, timed:
 *        what every "emulate" scenario of lesson 01 shares.
 */
#ifndef SPECTRUM_EMULATE_RUN_H
#define SPECTRUM_EMULATE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spectrum/cmdline.h"
#include "x86/interp.h"

struct vm;

/** @brief A flat guest image and where and how it runs. */
struct emulate_guest {
    const uint8_t *image;    /**< the flat binary */
    size_t size;             /**< its bytes */
    uint32_t load;           /**< guest-physical load address = entry point */
    enum interp_mode mode;   /**< real mode (entry CS:IP = 0000:load) or flat 32-bit */
};

/** @brief What a run measured. */
struct emulate_stats {
    uint64_t insns;   /**< instructions executed */
    uint64_t us;      /**< wall-clock microseconds (TSC) */
    uint64_t per_s;   /**< instructions per second */
};

/**
 * @brief Copy @p g into @p vm's memory, run it under the interpreter until
 *        the VM stops, and print "emulate: N instructions in T us, R
 *        instructions/s".  The options "insn_limit=" (instruction budget)
 *        and "halt=pass" (HLT ends the guest successfully) come from
 *        @p cl.  The caller creates and destroys @p vm.
 * @return whether the guest passed (exited with status 0).
 */
bool emulate_run(const struct cmdline *cl, struct vm *vm, const struct emulate_guest *g,
                 struct emulate_stats *stats);

#endif
