/**
 * @file vmx_ops.c
 * @brief The Intel VT-x back end's struct vcpu_ops, registered as "vmx".
 */
#include "vmx/vmx.h"

#include "vcpu/backend.h"

const struct vcpu_ops vmx_ops = {
    .name = "vmx",
    .probe = vmx_probe,
    .enable = vmx_enable,
    .create = vmx_create,
    .run = vmx_run,
    .get_ctl = vmx_get_ctl,
    .code_bits = vmx_code_bits,
    .set_ctl = vmx_set_ctl,
    .inject = vmx_inject,
    .intr_allowed = vmx_intr_allowed,
    .check = vmx_check,
    .dump = vmx_dump,
    .destroy = vmx_destroy,
    .exit_name = vmx_exit_name,
};
REGISTER_VCPU_BACKEND(vmx, &vmx_ops, "Intel VT-x");
