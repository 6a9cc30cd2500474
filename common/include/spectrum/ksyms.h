/**
 * @file ksyms.h
 * @brief The image's own function names, for readable crash reports.
 *
 * The Makefile links each stage twice: the first link's `nm` output becomes
 * a sorted table (build/NN/ksyms.S) that the second link adds at the end of
 * .rodata.  Code addresses do not move between the two links (the table
 * only adds read-only data after all code; the Makefile checks this).
 */
#ifndef SPECTRUM_KSYMS_H
#define SPECTRUM_KSYMS_H

#include <stdint.h>

/** @brief One function: its start address and its name. */
struct ksym {
    uint64_t addr;      /**< first byte of the function */
    const char *name;   /**< its name */
};

/**
 * @brief The function containing @p addr.
 * @param addr a code address
 * @param offset set to @p addr minus the function's start
 * @return its name, or NULL when @p addr is outside every known function
 *         (or the image was linked without a table).
 */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);

#endif
