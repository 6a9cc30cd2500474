/**
 * @file mmio_bus.h
 * @brief The MMIO bus: which emulated device answers which guest-physical
 *        range, the memory-mapped twin of the port bus (io/portbus.h).
 *
 * A device type registers once with REGISTER_MMIO_DEVICE; every lesson-03
 * machine (machine/pc_machine.h) gets its own instance of every registered
 * type, with private zeroed state, when it is created, and its range
 * becomes a GPM_MMIO region of the machine's guest-physical map, so any
 * guest access to it exits (EPT violation / nested page fault) and reaches
 * the device through mmio/mmio_emul.c.
 *
 * A device sees offsets from its base, sizes of 1, 2, 4 or 8 bytes, and
 * accesses that may be unaligned or straddle registers: it decides what
 * they mean (the xAPIC, for instance, only defines aligned 32-bit
 * accesses).  Accesses inside a GPM_MMIO region that no device claims read
 * all ones and drop writes.
 */
#ifndef SPECTRUM_MMIO_BUS_H
#define SPECTRUM_MMIO_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "spectrum/registry.h"

struct vm;

/** @brief One emulated MMIO device type. */
struct mmio_device {
    const char *name;      /**< e.g. "lapic" */
    uint64_t base;         /**< first guest-physical byte, 4 KiB aligned */
    uint64_t size;         /**< bytes, a multiple of 4 KiB */
    uint32_t state_size;   /**< bytes of per-machine state (zeroed before init) */
    /** Set up one machine's instance (may be NULL). */
    void (*init)(struct vm *vm, void *state);
    /** Read @p size (1, 2, 4 or 8) bytes at @p offset from base. */
    uint64_t (*read)(struct vm *vm, void *state, uint64_t offset, unsigned size);
    /** Write @p size bytes of @p value at @p offset from base. */
    void (*write)(struct vm *vm, void *state, uint64_t offset, unsigned size, uint64_t value);
};

TABLE_DECLARE(struct mmio_device, spectrum_mmiodev);

/** Register an MMIO device type. */
#define REGISTER_MMIO_DEVICE(id, ...)                                         \
    static const struct mmio_device mmiodev_##id TABLE_ENTRY(spectrum_mmiodev) = __VA_ARGS__

#define MMIOBUS_MAX_DEVICES 8      /**< device instances per machine */
#define MMIOBUS_ARENA_SIZE  16384  /**< bytes of device state per machine */

/** @brief One machine's MMIO device instances and their counters. */
struct mmiobus {
    const struct mmio_device *dev[MMIOBUS_MAX_DEVICES]; /**< the types */
    void *state[MMIOBUS_MAX_DEVICES];                   /**< their states */
    uint64_t reads[MMIOBUS_MAX_DEVICES];                /**< accesses per device */
    uint64_t writes[MMIOBUS_MAX_DEVICES];               /**< ... */
    int count;                                          /**< instances */
    uint64_t unclaimed;                                 /**< accesses no device claimed */
    /** Accesses per device and 4-byte register (the first 4 KiB of each
     *  device), to name the busiest registers (machine/io_profile.c). */
    uint32_t reg_hits[MMIOBUS_MAX_DEVICES][1024];
    _Alignas(16) uint8_t arena[MMIOBUS_ARENA_SIZE];     /**< the states' storage */
};

/** @brief Instantiate every registered device type for @p vm (false: too many, or arena full). */
bool mmiobus_init(struct mmiobus *bus, struct vm *vm);

/** @brief The device instance whose range holds @p gpa, or -1. */
int mmiobus_find(const struct mmiobus *bus, uint64_t gpa);

/** @brief Emulate a read of @p size bytes at @p gpa; unclaimed: all ones. */
uint64_t mmiobus_read(struct vm *vm, struct mmiobus *bus, uint64_t gpa, unsigned size);

/** @brief Emulate a write of @p size bytes at @p gpa; unclaimed: dropped. */
void mmiobus_write(struct vm *vm, struct mmiobus *bus, uint64_t gpa, unsigned size, uint64_t value);

/** @brief The state of @p vm's instance of device @p name, or NULL (also for a VM that is no machine). */
void *mmio_state(struct vm *vm, const char *name);

#endif
