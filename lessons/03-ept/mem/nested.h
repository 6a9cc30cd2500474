/**
 * @file nested.h
 * @brief What the vendor attaches (ept_attach.c, npt_attach.c) share:
 *        building a machine's nested tables once, guest-virtual access
 *        through the guest's own tables, and the nested-page-fault exit.
 */
#ifndef SPECTRUM_NESTED_H
#define SPECTRUM_NESTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/pc_machine.h"

/**
 * @brief Make sure @p m's nested tables exist in @p format (built now if
 *        not yet, or if built in another format); prints how many leaves
 *        of each size and how long it took.
 * @return false with the VM stopped if the host ran out of memory.
 */
bool nested_tables_ready(struct pc_machine *m, enum gpm_format format, unsigned large_ok);

/** @brief guest_space_ops.translate for machines (the guest's tables hold GPAs). */
void *nested_translate(struct vcpu *v, uint64_t gva, size_t len);


#endif
