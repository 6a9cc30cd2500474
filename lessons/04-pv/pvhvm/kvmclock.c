/**
 * @file kvmclock.c
 * @brief kvmclock for pvhvm machines: MSR_KVM_SYSTEM_TIME_NEW and
 *        MSR_KVM_WALL_CLOCK_NEW (Documentation/virt/kvm/x86/msr.rst), the
 *        structures of arch/x86/include/asm/pvclock-abi.h written into
 *        guest RAM.
 *
 * Why a guest wants it: an OS must learn how fast its TSC runs before it
 * can use it as a clock, and on a PC it measures that against the 8254 PIT
 * (Linux: quick_pit_calibrate(), "tsc: Fast TSC calibration ..."), tens of
 * thousands of port reads, each an exit here.  A hypervisor knows the
 * answer.  kvmclock hands it over as a function of the TSC the guest
 * evaluates itself, without exits:
 *
 *     ns = system_time + (((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul >> 32)
 *
 * and Linux then takes the TSC's rate from it (kvm_get_tsc_khz(): no PIT
 * calibration), its wall clock at boot from the second MSR, and "kvm-clock"
 * as its clocksource.
 *
 * Here:
 *  - system_time counts nanoseconds since the machine was created (KVM:
 *    since the VM was), at the rate pc_machine.tsc_khz - the host's TSC,
 *    which the guest reads unchanged (no offset, no scaling);
 *  - the pair (tsc_timestamp, system_time) is taken once, at the first
 *    enable, and every later update writes the same pair (KVM's "master
 *    clock").  Each update with a fresh pair would round differently and
 *    could step the clock back by a nanosecond, and a guest that sees
 *    PVCLOCK_TSC_STABLE_BIT does not guard against that;
 *  - flags = PVCLOCK_TSC_STABLE_BIT: one vCPU on an unchanging TSC is
 *    monotonic, which is what the bit promises (CPUID offers
 *    KVM_FEATURE_CLOCKSOURCE_STABLE_BIT, so Linux believes it);
 *  - the version protocol (odd while the fields change, even after) uses a
 *    counter Spectrum keeps, never the guest's copy, so a guest that
 *    scribbles on it gets a well-formed value at the next update;
 *  - updates happen at each WRMSR that enables the clock: the guest is not
 *    running then (one vCPU), so it can never catch an odd version - the
 *    protocol is kept because the ABI asks for it;
 *  - the wall clock is the host time the emulated CMOS clock also shows
 *    (vdev/host_rtc.h), minus the kvmclock's time now: the date at
 *    system_time 0, filled at each write of the MSR.
 *
 * A bad address - misaligned, across a page, not all RAM (pv_area.h) - is
 * refused with #GP(0), and the clock keeps its previous setting.  KVM
 * itself accepts any value and just does not update an area it cannot map;
 * Spectrum prefers the loud answer: the guest's WRMSR faults at the bug, a
 * line says why, and nothing is written anywhere but the guest's RAM.
 * Every other mode: both MSRs pass to lesson 02, which raises #GP as a CPU
 * without them does.
 */
#include "machine/pc_machine.h"
#include "pv/pv_mode.h"
#include "pvhvm/kvm_para.h"
#include "pvhvm/pv_area.h"
#include "pvhvm/pvclock.h"
#include "spectrum/console.h"
#include "spectrum/string.h"
#include "spectrum/x86.h"
#include "vcpu/handler_ext.h"
#include "vdev/host_rtc.h"

#define REFUSALS_SHOWN 8           /* per machine: a guest retrying must not flood the console */
#define NS_PER_S 1000000000ll

/** @brief One machine's kvmclock. */
struct kvmclock {
    uint64_t created_tsc;          /**< TSC at system_time 0 */
    struct pvclock_scale scale;    /**< from pc_machine.tsc_khz */
    bool master;                   /**< the pair below is fixed */
    uint64_t master_tsc;           /**< tsc_timestamp */
    uint64_t master_ns;            /**< system_time at master_tsc */
    uint64_t system_msr;           /**< MSR_KVM_SYSTEM_TIME_NEW as accepted */
    uint64_t wall_msr;             /**< MSR_KVM_WALL_CLOCK_NEW as accepted */
    uint32_t version;              /**< last (even) version of the time structure */
    uint32_t wall_version;         /**< last (even) version of the wall clock */
    uint64_t updates;              /**< time structures written */
    uint64_t wall_writes;          /**< wall clocks written */
    uint64_t refused;              /**< MSR writes refused */
};

static void kvmclock_init(struct pc_machine *m, void *state)
{
    struct kvmclock *k = state;
    k->created_tsc = rdtsc();
    k->scale = pvclock_scale_for(m->tsc_khz * 1000);
}

static struct kvmclock *kvmclock_of(struct vcpu *v)
{
    return pv_mode_has(v->vm, PV_MODE_PVHVM) ? pc_machine_ext_state(v->vm, "kvmclock") : 0;
}

/* The kvmclock's time at TSC @p tsc, as the guest computes it from what we wrote. */
static uint64_t kvmclock_ns(const struct kvmclock *k, uint64_t tsc)
{
    if (k->master)
        return k->master_ns + pvclock_ticks_to_ns(tsc - k->master_tsc, k->scale);
    return pvclock_ticks_to_ns(tsc - k->created_tsc, k->scale);
}

static enum ext_result refuse(struct vcpu *v, struct kvmclock *k, const char *msr, uint64_t value, uint64_t len,
                              enum pv_area_fault f)
{
    if (k->refused++ < REFUSALS_SHOWN)
        kprintf("kvmclock: %s: %s := %#llx refused (#GP): the %llu bytes at GPA %#llx %s\n", v->vm->name, msr,
                (unsigned long long)value, (unsigned long long)len,
                (unsigned long long)(value & ~KVM_MSR_ENABLED), pv_area_fault_name(f));
    return EXT_GP;
}

/* Write the time structure at @p gpa with the version protocol. */
static void time_update(struct pc_machine *m, struct kvmclock *k, uint64_t gpa)
{
    if (!k->master) {
        k->master_tsc = rdtsc();
        k->master_ns = pvclock_ticks_to_ns(k->master_tsc - k->created_tsc, k->scale);
        k->master = true;
    }
    struct pvclock_vcpu_time_info t;
    memset(&t, 0, sizeof t);
    t.version = k->version + 1;   /* odd: updating */
    gpm_write(&m->mem, gpa, &t.version, sizeof t.version);
    t.tsc_timestamp = k->master_tsc;
    t.system_time = k->master_ns;
    t.tsc_to_system_mul = k->scale.mul;
    t.tsc_shift = k->scale.shift;
    t.flags = PVCLOCK_TSC_STABLE_BIT;
    gpm_write(&m->mem, gpa + sizeof t.version, (const uint8_t *)&t + sizeof t.version, sizeof t - sizeof t.version);
    k->version += 2;              /* even: done */
    gpm_write(&m->mem, gpa, &k->version, sizeof k->version);
    k->updates++;
}

static enum ext_result system_time_read(struct vcpu *v, uint64_t *value)
{
    struct kvmclock *k = kvmclock_of(v);
    if (!k)
        return EXT_PASS;
    *value = k->system_msr;
    return EXT_DONE;
}

static enum ext_result system_time_write(struct vcpu *v, uint64_t value)
{
    struct kvmclock *k = kvmclock_of(v);
    if (!k)
        return EXT_PASS;
    struct pc_machine *m = pc_machine_of(v->vm);
    if (value & KVM_MSR_ENABLED) {
        uint64_t gpa = value & ~KVM_MSR_ENABLED;
        enum pv_area_fault f = pv_area_check(&m->mem, gpa, sizeof(struct pvclock_vcpu_time_info), KVM_PVCLOCK_ALIGN);
        if (f != PV_AREA_OK)
            return refuse(v, k, "MSR_KVM_SYSTEM_TIME_NEW", value, sizeof(struct pvclock_vcpu_time_info), f);
        time_update(m, k, gpa);
    }
    /* Bit 0 clear: the clock is off, nothing is written any more. */
    k->system_msr = value;
    return EXT_DONE;
}

static enum ext_result wall_clock_read(struct vcpu *v, uint64_t *value)
{
    struct kvmclock *k = kvmclock_of(v);
    if (!k)
        return EXT_PASS;
    *value = k->wall_msr;
    return EXT_DONE;
}

static enum ext_result wall_clock_write(struct vcpu *v, uint64_t value)
{
    struct kvmclock *k = kvmclock_of(v);
    if (!k)
        return EXT_PASS;
    struct pc_machine *m = pc_machine_of(v->vm);
    enum pv_area_fault f = pv_area_check(&m->mem, value, sizeof(struct pvclock_wall_clock), KVM_PVCLOCK_ALIGN);
    if (f != PV_AREA_OK)
        return refuse(v, k, "MSR_KVM_WALL_CLOCK_NEW", value, sizeof(struct pvclock_wall_clock), f);
    /* The date now minus the kvmclock's time now: the date at its 0. */
    int64_t sec;
    uint32_t nsec;
    host_rtc_now_ns(&sec, &nsec);
    int64_t at_zero = sec * NS_PER_S + nsec - (int64_t)kvmclock_ns(k, rdtsc());
    if (at_zero < 0)
        at_zero = 0;
    struct pvclock_wall_clock w;
    w.version = k->wall_version + 1;
    gpm_write(&m->mem, value, &w.version, sizeof w.version);
    w.sec = (uint32_t)(at_zero / NS_PER_S);
    w.nsec = (uint32_t)(at_zero % NS_PER_S);
    gpm_write(&m->mem, value + sizeof w.version, &w.sec, sizeof w - sizeof w.version);
    k->wall_version += 2;
    gpm_write(&m->mem, value, &k->wall_version, sizeof k->wall_version);
    k->wall_writes++;
    k->wall_msr = value;
    return EXT_DONE;
}

REGISTER_MSR_HANDLER(kvm_system_time, MSR_KVM_SYSTEM_TIME_NEW, system_time_read, system_time_write);
REGISTER_MSR_HANDLER(kvm_wall_clock, MSR_KVM_WALL_CLOCK_NEW, wall_clock_read, wall_clock_write);

/* One line at the end of a pvhvm machine's run:
 *   kvmclock: VM: on at GPA G, 2613441 kHz as mul M shift S, U updates; wall clock written W times; R writes refused */
static void kvmclock_report(struct pc_machine *m, void *state)
{
    const struct kvmclock *k = state;
    if (!pv_mode_has(&m->vm, PV_MODE_PVHVM) || !(k->updates || k->wall_writes || k->refused))
        return;
    kprintf("kvmclock: %s: %s at GPA %#llx, %llu kHz as mul %#x shift %d, %llu updates; wall clock written %llu "
            "times; %llu writes refused\n",
            m->vm.name, (k->system_msr & KVM_MSR_ENABLED) ? "on" : "off",
            (unsigned long long)(k->system_msr & ~KVM_MSR_ENABLED), (unsigned long long)m->tsc_khz, k->scale.mul,
            k->scale.shift, (unsigned long long)k->updates, (unsigned long long)k->wall_writes,
            (unsigned long long)k->refused);
}
REGISTER_PC_MACHINE_EXT(kvmclock, { "kvmclock", sizeof(struct kvmclock), kvmclock_init, kvmclock_report });
