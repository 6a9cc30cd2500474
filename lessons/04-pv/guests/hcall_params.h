/**
 * @file hcall_params.h
 * @brief The parameter block the p-hcall scenario writes at RT_PARAM_GPA
 *        for the hcall guests (guests/hcall_guest.c).
 */
#ifndef SPECTRUM_HCALL_PARAMS_H
#define SPECTRUM_HCALL_PARAMS_H

#include <stdint.h>

#define HCALL_PARAMS_MAGIC 0x4c434850u   /**< "PHCL" */

/** @brief What the guest needs to aim its hostile buffers. */
struct hcall_params {
    uint32_t magic;     /**< HCALL_PARAMS_MAGIC */
    uint32_t ram_top;   /**< one past the last RAM byte (the machine's RAM size) */
};

#endif
