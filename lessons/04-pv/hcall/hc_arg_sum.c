/**
 * @file hc_arg_sum.c
 * @brief Spectrum's hypercall SPECTRUM_HC_ARG_SUM (hcall_abi.h): returns
 *        RBX + 2*RCX + 3*RDX + 4*RSI, so a test guest sees each argument
 *        arrive in its own register, cut to its width.
 */
#include "hcall/hypercall.h"

static int64_t hc_arg_sum(const struct hcall_args *a)
{
    uint64_t sum = a->arg[0] + 2 * a->arg[1] + 3 * a->arg[2] + 4 * a->arg[3];
    if (!a->long64)
        sum = (uint32_t)sum;
    /* A sum with the top bit set is no error: return the bits as they are
     * (the handler counts it as an error, the guest compares the value). */
    return (int64_t)sum;
}
REGISTER_HYPERCALL(arg_sum, SPECTRUM_HC_ARG_SUM, hc_arg_sum);
