/**
 * @file emulate_mailbox.h
 * @brief The hypervisor's side of the mailbox port (guests/mailbox.h):
 *        queue parameters for a guest before it runs, read its results
 *        after.
 */
#ifndef SPECTRUM_EMULATE_MAILBOX_H
#define SPECTRUM_EMULATE_MAILBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "guests/mailbox.h"

struct vm;

/** @brief One VM's mailbox. */
struct emulate_mailbox {
    uint32_t param[MAILBOX_MAX_WORDS];  /**< parameters queued for the guest */
    uint32_t params;                    /**< how many are queued */
    uint32_t next_param;                /**< the next one IN returns */
    uint32_t result[MAILBOX_MAX_WORDS]; /**< words the guest wrote */
    uint32_t results;                   /**< how many it wrote (kept) */
    uint32_t dropped;                   /**< writes beyond MAILBOX_MAX_WORDS */
};

/** @brief @p vm's mailbox (every VM has one, see portbus.h). */
struct emulate_mailbox *emulate_mailbox(struct vm *vm);

/** @brief Queue @p value as the guest's next parameter; false when full. */
bool emulate_mailbox_param(struct vm *vm, uint32_t value);

#endif
