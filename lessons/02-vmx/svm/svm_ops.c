/**
 * @file svm_ops.c
 * @brief The AMD-V back end's struct vcpu_ops, registered as "svm".
 */
#include "svm/svm.h"

#include "vcpu/backend.h"

const struct vcpu_ops svm_ops = {
    .name = "svm",
    .probe = svm_probe,
    .enable = svm_enable,
    .create = svm_create,
    .run = svm_run,
    .get_ctl = svm_get_ctl,
    .code_bits = svm_code_bits,
    .set_ctl = svm_set_ctl,
    .inject = svm_inject,
    .intr_allowed = svm_intr_allowed,
    .check = svm_check,
    .dump = svm_dump,
    .destroy = svm_destroy,
    .exit_name = svm_exit_name,
};

REGISTER_VCPU_BACKEND(svm, &svm_ops, "AMD-V");
