/**
 * @file kvm_para.h
 * @brief KVM's paravirtual CPU interface as a guest sees it: the CPUID
 *        leaves, the feature bits, the MSRs and the structures the
 *        hypervisor writes into guest memory.  Spectrum implements the
 *        part named in SPECTRUM_KVM_FEATURES, so an unmodified Linux
 *        (CONFIG_KVM_GUEST) turns its KVM guest support on.
 *
 * Sources (facts, not code): Linux Documentation/virt/kvm/x86/cpuid.rst
 * (leaves, feature bits), Documentation/virt/kvm/x86/msr.rst (MSRs,
 * layouts, enable bits, alignment), arch/x86/include/asm/pvclock-abi.h
 * (struct pvclock_vcpu_time_info, struct pvclock_wall_clock, flags).
 *
 * Only macros and packed structures with fixed-width fields, so the kernel
 * (pvhvm/), the test guest (guests/pvhvm_guest.c, 64-bit) and the hosted
 * unit tests share one copy.
 */
#ifndef SPECTRUM_KVM_PARA_H
#define SPECTRUM_KVM_PARA_H

#include <stddef.h>
#include <stdint.h>

/* ---- CPUID (cpuid.rst) ---- */
#define KVM_CPUID_SIGNATURE 0x40000000u  /**< EAX: highest KVM leaf; EBX, ECX, EDX: "KVMKVMKVM\0\0\0" */
#define KVM_CPUID_FEATURES  0x40000001u  /**< EAX: feature bits; EDX: hints */
#define KVM_SIG_EBX 0x4b4d564bu          /**< "KVMK" (little-endian) */
#define KVM_SIG_ECX 0x564b4d56u          /**< "VMKV" */
#define KVM_SIG_EDX 0x0000004du          /**< "M\0\0\0" */

/* Feature bits of KVM_CPUID_FEATURES.EAX (cpuid.rst's table). */
#define KVM_FEATURE_CLOCKSOURCE            0   /**< kvmclock at the old MSRs 0x11/0x12 (not offered) */
#define KVM_FEATURE_NOP_IO_DELAY           1   /**< port I/O needs no delays */
#define KVM_FEATURE_CLOCKSOURCE2           3   /**< kvmclock at MSRs 0x4b564d00/0x4b564d01 */
#define KVM_FEATURE_ASYNC_PF               4   /**< async page faults (not offered) */
#define KVM_FEATURE_STEAL_TIME             5   /**< steal time (not offered) */
#define KVM_FEATURE_PV_EOI                 6   /**< PV end of interrupt at MSR 0x4b564d04 */
#define KVM_FEATURE_PV_UNHALT              7   /**< PV spinlocks (not offered: one vCPU) */
#define KVM_FEATURE_CLOCKSOURCE_STABLE_BIT 24  /**< PVCLOCK_TSC_STABLE_BIT may be trusted */

/**
 * What Spectrum offers in pvhvm mode, and nothing else:
 *  - CLOCKSOURCE2 + CLOCKSOURCE_STABLE_BIT: kvmclock (pvhvm/kvmclock.c);
 *  - PV_EOI: pvhvm/pv_eoi.c;
 *  - NOP_IO_DELAY: a promise, not a mechanism - Spectrum's devices answer
 *    every port access synchronously, so the delays an OS puts between
 *    accesses to slow ISA chips (writes to port 0x80) buy nothing.
 */
#define SPECTRUM_KVM_FEATURES                                                                      \
    ((1u << KVM_FEATURE_NOP_IO_DELAY) | (1u << KVM_FEATURE_CLOCKSOURCE2) | (1u << KVM_FEATURE_PV_EOI) | \
     (1u << KVM_FEATURE_CLOCKSOURCE_STABLE_BIT))

/* ---- MSRs (msr.rst; KVM's range 0x4b564d00-0x4b564dff, "KVM" in ASCII) ---- */
#define MSR_KVM_WALL_CLOCK_NEW  0x4b564d00u  /**< GPA of a struct pvclock_wall_clock, filled at the write */
#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01u  /**< GPA of a struct pvclock_vcpu_time_info | enable */
#define MSR_KVM_PV_EOI_EN       0x4b564d04u  /**< GPA of the PV EOI word | enable */

#define KVM_MSR_ENABLED     1ull  /**< bit 0 of SYSTEM_TIME_NEW and PV_EOI_EN: on */
#define KVM_PV_EOI_RESERVED 2ull  /**< bit 1 of PV_EOI_EN: reserved, must be 0 */
#define KVM_PV_EOI_BIT      1u    /**< bit 0 of the PV EOI word: "the EOI may be skipped" */

#define KVM_PV_EOI_AREA   4u   /**< bytes of the PV EOI area: 4, 4-byte aligned */
#define KVM_PVCLOCK_ALIGN 4u   /**< msr.rst: both clock areas are 4-byte aligned */

/* ---- pvclock (pvclock-abi.h) ---- */
#define PVCLOCK_TSC_STABLE_BIT (1u << 0)  /**< flags: time is monotonic across vCPUs */
#define PVCLOCK_GUEST_STOPPED  (1u << 1)  /**< flags: the host paused the guest (never set here) */

/**
 * @brief The per-vCPU time structure (MSR_KVM_SYSTEM_TIME_NEW).  The guest
 *        computes nanoseconds as
 *
 *            delta = tsc - tsc_timestamp
 *            delta = tsc_shift >= 0 ? delta << tsc_shift : delta >> -tsc_shift
 *            ns    = system_time + ((delta * tsc_to_system_mul) >> 32)
 *
 *        with a 96-bit product, reading version before and after: equal
 *        and even, else the hypervisor was writing, and it reads again.
 */
struct pvclock_vcpu_time_info {
    uint32_t version;            /**< odd while the hypervisor updates the fields */
    uint32_t pad0;               /**< 0 */
    uint64_t tsc_timestamp;      /**< guest TSC at system_time */
    uint64_t system_time;        /**< nanoseconds since the machine started, at tsc_timestamp */
    uint32_t tsc_to_system_mul;  /**< TSC ticks to ns: a 32.32 fixed-point factor ... */
    int8_t tsc_shift;            /**< ... after this shift (negative: right) */
    uint8_t flags;               /**< PVCLOCK_* */
    uint8_t pad[2];              /**< 0 */
} __attribute__((packed));
_Static_assert(sizeof(struct pvclock_vcpu_time_info) == 32, "pvclock-abi.h: 32 bytes");
_Static_assert(offsetof(struct pvclock_vcpu_time_info, tsc_timestamp) == 8, "pvclock layout");
_Static_assert(offsetof(struct pvclock_vcpu_time_info, system_time) == 16, "pvclock layout");
_Static_assert(offsetof(struct pvclock_vcpu_time_info, tsc_to_system_mul) == 24, "pvclock layout");
_Static_assert(offsetof(struct pvclock_vcpu_time_info, tsc_shift) == 28, "pvclock layout");
_Static_assert(offsetof(struct pvclock_vcpu_time_info, flags) == 29, "pvclock layout");

/**
 * @brief The wall clock (MSR_KVM_WALL_CLOCK_NEW): the date at which the
 *        kvmclock's system_time was 0, written once per MSR write; the
 *        date now is this plus the kvmclock's time.
 */
struct pvclock_wall_clock {
    uint32_t version;  /**< odd while the hypervisor updates it */
    uint32_t sec;      /**< seconds since 1970-01-01 00:00:00 UTC at system_time 0 */
    uint32_t nsec;     /**< ... and nanoseconds (below 10^9) */
} __attribute__((packed));
_Static_assert(sizeof(struct pvclock_wall_clock) == 12, "pvclock-abi.h: 12 bytes");
_Static_assert(offsetof(struct pvclock_wall_clock, nsec) == 8, "wall clock layout");

#endif
