/**
 * @file backend.h
 * @brief The table of vCPU back ends (VMX, SVM) and the one chosen at boot.
 *
 * A back end registers its struct vcpu_ops with one line:
 *
 *     REGISTER_VCPU_BACKEND(svm, &svm_ops, "AMD-V");
 *
 * At INIT_VIRT, backend.c probes every registered back end (ops->probe:
 * CPUID and the vendor's enable MSRs), picks the one the CPU supports, or
 * the one named by the command-line option "vcpu=vmx|svm|none", calls its
 * enable(), and prints one line:
 *
 *     vcpu: using svm (AMD-V)
 *     vcpu: using vmx (Intel VT-x)
 *     vcpu: no hardware virtualization: <why>
 *
 * vcpu_backend() (declared in vcpu.h) then returns it, or NULL.
 */
#ifndef SPECTRUM_VCPU_BACKEND_H
#define SPECTRUM_VCPU_BACKEND_H

#include "spectrum/registry.h"
#include "vcpu/vcpu.h"

/** @brief One row of the back-end table. */
struct vcpu_backend_entry {
    const struct vcpu_ops *ops;  /**< the implementation */
    const char *technology;      /**< the vendor's name for it: "AMD-V", "Intel VT-x" */
};

TABLE_DECLARE(struct vcpu_backend_entry, spectrum_vcpu_backend);

/** Register back end @p id whose operations are @p ops_ptr. */
#define REGISTER_VCPU_BACKEND(id, ops_ptr, technology_name)                                        \
    static const struct vcpu_backend_entry vcpu_backend_##id TABLE_ENTRY(spectrum_vcpu_backend) = { \
        ops_ptr, technology_name}

#endif
