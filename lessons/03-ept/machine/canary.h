/**
 * @file canary.h
 * @brief Proof that a VM did not reach Spectrum's own memory: a hash of
 *        the hypervisor's code and read-only data, and a page of known
 *        pattern, taken before the first VM and compared after every VM.
 */
#ifndef SPECTRUM_CANARY_H
#define SPECTRUM_CANARY_H

#include <stdbool.h>

/** @brief Take the reference (once; later calls do nothing). */
void canary_arm(void);

/**
 * @brief Check Spectrum's memory after VM @p who stopped.  Prints one line "canary: ... intact" or
 *        panics naming what changed: a hypervisor whose own code changed
 *        under it cannot be trusted to go on.
 */
void canary_check(const char *who);

#endif
