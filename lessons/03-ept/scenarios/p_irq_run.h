/**
 * @file p_irq_run.h
 * @brief Run one of lesson 03's platform test guests (guests/apic_*,
 *        ioapic_*, cmos_*, irq_*, bench_*) in a fresh virtual PC and
 *        collect what the p-* scenarios check: the guest's verdict, why
 *        the VM stopped, the exit statistics, the mailbox
 *        (guests/irq_mailbox.h) and the device counters (MMIO accesses per
 *        device, PIT pulses, 8259 acknowledges).
 *
 * A thin layer over pc_guest_run() (scenarios/pc_guest_run.h): the image
 * starts in real mode at 0800:0000 and the lesson-03 runtime takes it to
 * long mode; the mailbox goes in as the runtime's parameter block and
 * comes back, with the device counters, through the inspect hook.
 */
#ifndef SPECTRUM_P_IRQ_RUN_H
#define SPECTRUM_P_IRQ_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "guests/irq_mailbox.h"
#include "mmio/mmio_bus.h"
#include "scenarios/pc_guest_run.h"
#include "vcpu/exit.h"

#define PLAT_RAM_BYTES  (16ull << 20)        /**< RAM of every platform test machine */

/** @brief One run: what to run (in) and what came of it (out). */
struct plat_run {
    /* in */
    const char *vm_name;          /**< the VM's name (prefix of its console lines) */
    struct pc_guest_image image;  /**< the embedded image (PC_GUEST_IMAGE(id)) */
    uint32_t request;             /**< the mailbox's request word (enum hostile_case, or 0) */
    /* out */
    bool created;                 /**< the machine was created and the image loaded */
    bool passed;                  /**< the guest exited with status 0 */
    uint32_t exit_code;           /**< its exit status */
    char stop_reason[192];        /**< the VM's stop reason */
    struct exit_stats stats;      /**< exit counts and times per reason */
    uint64_t run_tsc;             /**< host TSC ticks the run took */
    bool report;                  /**< the guest completed a mailbox report (magic and count valid) */
    struct plat_mailbox mailbox;  /**< the mailbox after the run, as the guest left it (hostile) */
    int mmio_devices;             /**< MMIO device instances the machine had */
    const char *mmio_name[MMIOBUS_MAX_DEVICES]; /**< their names */
    uint64_t mmio_reads[MMIOBUS_MAX_DEVICES];   /**< reads each device emulated */
    uint64_t mmio_writes[MMIOBUS_MAX_DEVICES];  /**< writes each device emulated */
    uint64_t mmio_unclaimed;      /**< MMIO accesses no device claimed */
    uint64_t pit_irqs;            /**< IRQ0 pulses of the PIT */
    uint64_t pic_acks;            /**< interrupts the 8259 pair handed over */
};

/**
 * @brief pc_guest_run() with PLAT_RAM_BYTES of RAM and the mailbox request
 *        as parameters; gathers the mailbox and device counters before the
 *        machine goes.  Prints the exit statistics and "guest VM: exit
 *        status N, passed|failed: REASON".
 * @return r->passed
 */
bool plat_run(struct plat_run *r);

/** @brief Reads (@p write false) or writes of MMIO device @p name in @p r; 0 if it had none. */
uint64_t plat_mmio_count(const struct plat_run *r, const char *name, bool write);

/** @brief Report word @p i of @p r's mailbox, or 0 if the guest's report does not reach it. */
uint64_t plat_report_val(const struct plat_run *r, unsigned i);

/** @brief Average host TSC ticks to handle one exit of @p reason (0 if none). */
uint64_t plat_exit_avg(const struct plat_run *r, enum vm_exit_reason reason);

#endif
