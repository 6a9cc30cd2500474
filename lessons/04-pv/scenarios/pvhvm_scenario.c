/**
 * @file pvhvm_scenario.c
 * @brief Scenario "p-pvhvm": the pvhvm guest (guests/pvhvm_guest.c) on a
 *        mode=pvhvm machine, where it finds KVM's interface and checks
 *        CPUID, kvmclock, the wall clock, hostile MSR writes and PV EOI,
 *        then on a mode=hvm machine, where none of it may be there.
 *
 * Passes when both guests exited 0 and, for the pvhvm machine, the host's
 * PV EOI counters (pvhvm/pv_eoi_dev.c) agree with what the guest counted:
 * every EOI it did by clearing the bit was done for it by the host, every
 * other one was an EOI-register write, and some went without an exit (on
 * a quiet host nearly all of the timer's).  The machines' modes are set
 * here (pv_mode_set_next()), whatever mode= says.
 */
#include "apic/apic.h"
#include "guests/pvhvm_params.h"
#include "guests/rt.h"
#include "pv/pv_mode.h"
#include "pvhvm/pv_eoi.h"
#include "scenarios/pc_guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"
#include "spectrum/tsc.h"
#include "vcpu/hvm_guest.h"

PC_GUEST_IMAGE_DECLARE(pvhvm64);

/** @brief What the inspection copies out of a machine before it goes. */
struct pvhvm_seen {
    struct pvhvm_params params;   /**< the block as the guest left it */
    struct pv_eoi_stats pv;       /**< the host's PV EOI counters */
    uint64_t eois;                /**< the local APIC's EOIs, both kinds */
};

static void inspect(struct pc_machine *m, void *ctx)
{
    struct pvhvm_seen *s = ctx;
    gpm_read(&m->mem, RT_PARAM_GPA, &s->params, sizeof s->params);
    const struct pv_eoi_stats *pv = pv_eoi_stats_of(&m->vm);
    if (pv)
        s->pv = *pv;
    const struct lapic *l = lapic_of(&m->vm);
    s->eois = l ? l->stats.eois : 0;
}

static bool one(const char *vm_name, enum pv_mode mode, struct pvhvm_seen *seen)
{
    struct pvhvm_params p = { PVHVM_PARAMS_MAGIC, mode == PV_MODE_PVHVM, (uint32_t)PC_GUEST_RAM_DEFAULT,
                              (uint32_t)(tsc_hz() / 1000), 0, 0, 0, 0 };
    memset(seen, 0, sizeof *seen);
    struct pc_guest_options opt = { .params = &p, .params_len = sizeof p, .inspect = inspect, .ctx = seen };
    struct pc_guest_outcome o;
    struct pc_guest_image img = PC_GUEST_IMAGE(pvhvm64);
    pv_mode_set_next(mode);
    pc_guest_run(vm_name, &img, &opt, &o);
    return o.passed && o.exit_code == 0;
}

static bool p_pvhvm(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("p-pvhvm"))
        return false;
    struct pvhvm_seen s;
    bool ok = one("p-pvhvm", PV_MODE_PVHVM, &s);
    /* The guest's counts against the host's: every EOI through the bit was
     * done by the host at a later exit, every other one came as a register
     * write, and some of the timer's EOIs went without an exit (an exit
     * in the handler withdraws the offer: how often is the host's load). */
    const struct pvhvm_params *g = &s.params;
    bool counts = g->done == PVHVM_DONE_MAGIC && s.pv.pv_eois == g->pv_eois &&
                  s.eois - s.pv.pv_eois == g->mmio_eois && s.pv.offered == s.pv.pv_eois + s.pv.withdrawn &&
                  s.pv.level >= 1 && s.pv.irr >= 1 && s.pv.withdrawn >= 1 && g->pv_eois >= 1;
    kprintf("p-pvhvm: PV EOI: the guest cleared the bit %u times and wrote the register %u times, the host did %llu "
            "EOIs for it and saw %llu register writes: %s\n",
            g->pv_eois, g->mmio_eois, (unsigned long long)s.pv.pv_eois,
            (unsigned long long)(s.eois - s.pv.pv_eois), counts ? "as expected" : "WRONG");
    ok = counts && ok;
    ok = one("p-pvhvm-hvm", PV_MODE_HVM, &s) && ok;
    return ok;
}
REGISTER_SCENARIO(p_pvhvm, "p-pvhvm",
                  "lesson 04: KVM's paravirtual CPU interface (CPUID, kvmclock, PV EOI) in mode=pvhvm, and its "
                  "absence in mode=hvm",
                  p_pvhvm, 0);
