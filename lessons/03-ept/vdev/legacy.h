/**
 * @file legacy.h
 * @brief The rest of a PC's legacy platform in lesson 03, as Spectrum's
 *        own code sees it: the CMOS clock (0x70/0x71), the POST port
 *        (0x80), fw_cfg (0x510/0x511) and COM1's additions, with their
 *        counters.
 */
#ifndef SPECTRUM_VDEV_LEGACY_H
#define SPECTRUM_VDEV_LEGACY_H

#include <stdbool.h>
#include <stdint.h>

struct vm;
struct mc146818;
struct fwcfg;

#define POST_PORT 0x80   /**< POST diagnostic port (IBM PC/AT I/O map) */

/** @brief Port 0x80's state. */
struct post_port {
    uint64_t writes;   /**< bytes written (Linux: one per outb_p/inb_p delay) */
    uint64_t reads;    /**< reads */
    uint8_t last;      /**< the last byte written: what reads return */
};

/** @brief @p vm's CMOS chip (counters, NVRAM, clock), or NULL on a stage without it. */
struct mc146818 *cmos_of(struct vm *vm);

/**
 * @brief Write the memory-size bytes a PC BIOS leaves in CMOS RAM (base,
 *        extended and above-16-MiB memory) for a machine of @p ram bytes;
 *        nothing if @p vm has no CMOS.
 */
void cmos_set_memory_size(struct vm *vm, uint64_t ram);

/** @brief Whether @p vm's guest last wrote port 0x70 with bit 7 set (NMIs masked). */
bool cmos_nmi_masked(struct vm *vm);

/** @brief @p vm's port 0x80, or NULL. */
struct post_port *post_port_of(struct vm *vm);

/** @brief @p vm's fw_cfg device, or NULL if @p vm is not a lesson-03 machine. */
struct fwcfg *fwcfg_of(struct vm *vm);

/**
 * @brief Print one line per legacy device @p vm's guest used, for the
 *        statistics after a run:
 *
 *     legacy: cmos reads R writes W index writes I nmi masked|enabled
 *     legacy: post80 writes W reads R last 0xNN
 *     legacy: fw_cfg selects S data reads R
 *     legacy: com1 rx R overruns O irq4 raises N typed text T host H
 */
void legacy_stats_print(struct vm *vm);

#endif
