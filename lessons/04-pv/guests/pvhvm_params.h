/**
 * @file pvhvm_params.h
 * @brief The parameter block the p-pvhvm scenario writes at RT_PARAM_GPA
 *        for the pvhvm guest (guests/pvhvm_guest.c), and the counts the
 *        guest writes back into it before it exits, which the scenario
 *        reads from guest memory and compares with the host's counters.
 */
#ifndef SPECTRUM_PVHVM_PARAMS_H
#define SPECTRUM_PVHVM_PARAMS_H

#include <stdint.h>

#define PVHVM_PARAMS_MAGIC 0x4d564850u   /**< "PHVM" */
#define PVHVM_DONE_MAGIC   0x454e4f44u   /**< "DONE": the counts below are final */

/** @brief In: what the machine is; out: what the guest saw of PV EOI. */
struct pvhvm_params {
    uint32_t magic;       /**< PVHVM_PARAMS_MAGIC */
    uint32_t kvm;         /**< 1: a mode=pvhvm machine (KVM interface expected), 0: mode=hvm */
    uint32_t ram_top;     /**< one past the last RAM byte */
    uint32_t tsc_khz;     /**< the machine's TSC rate (pc_machine.tsc_khz): kvmclock's must match */
    uint32_t done;        /**< out: PVHVM_DONE_MAGIC once the counts are written */
    uint32_t pv_eois;     /**< out: EOIs the guest did by clearing the PV EOI bit */
    uint32_t mmio_eois;   /**< out: EOIs it wrote to the local APIC's EOI register */
    uint32_t ticks;       /**< out: APIC timer interrupts taken */
};
_Static_assert(sizeof(struct pvhvm_params) == 32, "eight 32-bit words");

#endif
