/**
 * @file hcall_scenario.c
 * @brief Scenario "p-hcall": the hcall guest (guests/hcall_guest.c), once
 *        64-bit and once 32-bit, makes good, unknown, hostile and ring-3
 *        hypercalls.  Passes when each guest exited 0 (every result was the
 *        one KVM's convention and hcall_abi.h promise, the argument
 *        registers came back unchanged), its VM was never stopped by a bad
 *        call, and the machine's counters (hcall/hcall_stats.c) and the
 *        exit counts say what the guest did.
 */
#include "guests/hcall_params.h"
#include "hcall/hypercall.h"
#include "machine/machine_ext.h"
#include "scenarios/pc_guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"
#include "vcpu/hvm_guest.h"

PC_GUEST_IMAGE_DECLARE(hcall64);
PC_GUEST_IMAGE_DECLARE(hcall32);

static void copy_stats(struct pc_machine *m, void *ctx)
{
    const struct hcall_stats *s = pc_machine_ext_state(&m->vm, "hcall");
    if (s)
        memcpy(ctx, s, sizeof *s);
}

/* What the guest of @p bits does (hcall_guest.c): the counts it must leave. */
static bool one(const char *vm_name, struct pc_guest_image img, const struct hcall_stats *want)
{
    struct hcall_params p = { HCALL_PARAMS_MAGIC, (uint32_t)PC_GUEST_RAM_DEFAULT };
    struct hcall_stats got;
    memset(&got, 0, sizeof got);
    struct pc_guest_options opt = { .params = &p, .params_len = sizeof p, .inspect = copy_stats, .ctx = &got };
    struct pc_guest_outcome o;
    pc_guest_run(vm_name, &img, &opt, &o);
    bool counts = got.calls == want->calls && got.completed == want->completed && got.errors == want->errors &&
                  got.unknown == want->unknown && got.refused == want->refused &&
                  o.stats.count[EXIT_HYPERCALL] == want->calls;
    kprintf("p-hcall: %s: %llu hypercall exits, counters %s\n", vm_name,
            (unsigned long long)o.stats.count[EXIT_HYPERCALL], counts ? "as expected" : "WRONG");
    return o.passed && o.exit_code == 0 && counts;
}

static bool p_hcall(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("p-hcall"))
        return false;
    /* 64-bit: 10 good or unknown calls + 2 with bits above 31 + 8 hostile
     * buffers in ring 0, 3 calls in ring 3. */
    static const struct hcall_stats want64 = { .calls = 21, .completed = 6, .errors = 8, .unknown = 4, .refused = 3 };
    static const struct hcall_stats want32 = { .calls = 19, .completed = 5, .errors = 8, .unknown = 3, .refused = 3 };
    bool ok = one("p-hcall64", PC_GUEST_IMAGE(hcall64), &want64);
    ok = one("p-hcall32", PC_GUEST_IMAGE(hcall32), &want32) && ok;
    return ok;
}
REGISTER_SCENARIO(p_hcall, "p-hcall",
                  "lesson 04: hypercalls with KVM's convention, from 64-bit and 32-bit guests, hostile ones included",
                  p_hcall, 0);
