/**
 * @file lapic_dev.h
 * @brief The per-machine state of MMIO device "lapic" (lapic_dev.c): the
 *        model plus what the glue around it keeps.  Internal to apic/.
 */
#ifndef SPECTRUM_LAPIC_DEV_H
#define SPECTRUM_LAPIC_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include "apic/lapic.h"

struct vm;

/** @brief One machine's local APIC device. */
struct lapic_dev {
    struct lapic l;              /**< the model */
    uint64_t disabled_accesses;  /**< MMIO accesses while globally disabled */
    unsigned base_moves;         /**< IA32_APIC_BASE relocations refused (the first few are printed) */
    bool vtpr_pushed;            /**< SVM: vtpr holds what the last entry put in V_TPR */
    uint8_t vtpr;                /**< ... that value */
};

/** @brief @p vm's "lapic" device state, or NULL. */
struct lapic_dev *lapic_dev_of(struct vm *vm);

#endif
