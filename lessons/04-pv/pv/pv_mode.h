/**
 * @file pv_mode.h
 * @brief Where on the PV/HVM spectrum a lesson-04 machine sits, chosen on
 *        Spectrum's command line with `mode=`:
 *
 *   mode=hvm     (default) the lesson-03 PC: emulated devices only (8250
 *                UART, PIT, CMOS, 8042, LAPIC/IOAPIC), Spectrum's own
 *                CPUID signature "SpectrumHV";
 *   mode=hvm+pv  adds the virtio-mmio devices (virtio/virtio_bus.c):
 *                paravirtual I/O, still an HVM CPU and platform;
 *   mode=pvhvm   adds the KVM paravirtual interface (CPUID "KVMKVMKVM",
 *                kvmclock, PV EOI) so an unmodified Linux turns its KVM
 *                guest support on: what Xen calls PV-on-HVM.
 *
 * A machine's mode is fixed when pc_machine_create() builds it (the
 * benchmark, run=spectrum, builds one machine per mode in one Spectrum
 * run with pv_mode_set_next()); a plain lesson-01/02 VM is always HVM.
 */
#ifndef SPECTRUM_PV_MODE_H
#define SPECTRUM_PV_MODE_H

#include <stdbool.h>

struct vm;

/** @brief The three modes, in the order of the spectrum. */
enum pv_mode {
    PV_MODE_HVM = 0,     /**< emulated devices only */
    PV_MODE_HVM_PV = 1,  /**< + virtio devices */
    PV_MODE_PVHVM = 2,   /**< + KVM paravirtual CPU features (kvmclock, PV EOI) */
    PV_MODE_COUNT = 3,
    PV_MODE_BAD = -1,    /**< mode= names none of them */
};

/** @brief The mode's name as written on the command line ("hvm+pv"). */
const char *pv_mode_name(enum pv_mode mode);

/** @brief Parse @p s ("hvm", "hvm+pv", "pvhvm"); PV_MODE_BAD if none. */
enum pv_mode pv_mode_parse(const char *s);

/**
 * @brief The mode the next machine gets: the one pv_mode_set_next() chose,
 *        else mode= from Spectrum's command line, else PV_MODE_HVM.
 */
enum pv_mode pv_mode_next(void);

/** @brief Make every later machine get @p mode (the benchmark's loop). */
void pv_mode_set_next(enum pv_mode mode);

/** @brief @p vm's mode: its machine's, PV_MODE_HVM for a plain VM. */
enum pv_mode pv_mode_of(struct vm *vm);

/** @brief True if @p vm's mode is at least @p mode on the spectrum. */
static inline bool pv_mode_has(struct vm *vm, enum pv_mode mode)
{
    return pv_mode_of(vm) >= mode;
}

#endif
