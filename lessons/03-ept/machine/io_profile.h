/**
 * @file io_profile.h
 * @brief Which ports and MMIO registers a machine's guest used most: the
 *        first thing to look at when a guest takes too many exits (a
 *        polling loop on a status port, a timer EOI per tick...).
 */
#ifndef SPECTRUM_IO_PROFILE_H
#define SPECTRUM_IO_PROFILE_H

#include <stdbool.h>

struct pc_machine;

/** @brief Start counting @p m's port accesses (one counter per port). */
bool io_profile_start(struct pc_machine *m);

/**
 * @brief Print the busiest ports and MMIO registers of @p m's VM, one line
 *        each ("pc: NAME: busiest ports: 0x3f8 1234, ..."), nothing if the
 *        guest used none.
 */
void io_profile_print(struct pc_machine *m);

/** @brief Free the counters. */
void io_profile_stop(struct pc_machine *m);

#endif
