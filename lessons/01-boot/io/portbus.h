/**
 * @file portbus.h
 * @brief The port bus: which emulated device answers which I/O port.
 *
 * A device *type* registers once with REGISTER_PORT_DEVICE (a registration
 * table, see registry.h); every VM gets its own instance of every registered
 * type, with private state, when its bus is initialised.  The interpreter
 * (lesson 01) and the VM-exit handlers (lesson 02 on) both deliver IN/OUT
 * here, so a device model is written once for every way of running a guest.
 *
 * Ports nobody claims behave like an empty ISA bus: reads return all ones,
 * writes are dropped (what Linux expects when it probes, see FACTS.md).
 */
#ifndef SPECTRUM_PORTBUS_H
#define SPECTRUM_PORTBUS_H

#include <stdbool.h>
#include <stdint.h>

#include "spectrum/registry.h"

struct vm;

/** @brief One emulated port-I/O device type. */
struct port_device {
    const char *name;      /**< e.g. "uart8250" */
    uint16_t base;         /**< first port */
    uint16_t count;        /**< number of ports */
    uint32_t state_size;   /**< bytes of per-VM state (zeroed before init) */
    /** Set up one VM's instance (may be NULL). */
    void (*init)(struct vm *vm, void *state);
    /** Read @p size (1, 2 or 4) bytes at @p port; return the value. */
    uint32_t (*read)(struct vm *vm, void *state, uint16_t port, unsigned size);
    /** Write @p size bytes of @p value to @p port. */
    void (*write)(struct vm *vm, void *state, uint16_t port, unsigned size, uint32_t value);
};

TABLE_DECLARE(struct port_device, spectrum_portdev);

/** Register a port device type. */
#define REGISTER_PORT_DEVICE(id, ...)                                         \
    static const struct port_device portdev_##id TABLE_ENTRY(spectrum_portdev) = __VA_ARGS__

#define PORTBUS_MAX_DEVICES 16    /**< device instances per VM */
#define PORTBUS_ARENA_SIZE  4096  /**< bytes of device state per VM */

/** @brief One VM's device instances. */
struct portbus {
    const struct port_device *dev[PORTBUS_MAX_DEVICES]; /**< the types */
    void *state[PORTBUS_MAX_DEVICES];                   /**< their states */
    int count;                                          /**< instances */
    uint64_t unclaimed_reads;   /**< accesses to ports no device claims */
    uint64_t unclaimed_writes;  /**< ... writes */
    /** Extension point: called for every access, claimed or not (lesson
     *  03 counts accesses per port to name the busiest); NULL before. */
    void (*observe)(struct vm *vm, uint16_t port, bool write);
    uint32_t arena_used;                                /**< bytes of @c arena handed out */
    _Alignas(16) uint8_t arena[PORTBUS_ARENA_SIZE];     /**< the states' storage */
};

/** @brief Instantiate every registered device type for @p vm. */
void portbus_init(struct portbus *bus, struct vm *vm);

/**
 * @brief Add an instance of @p d to @p vm's bus after portbus_init(): the
 *        extension point for devices only some VMs have (lesson 03's PC
 *        machines).  Its state is zeroed, then @c d->init runs.
 * @return false (nothing added) when the bus has no room left for it.
 */
bool portbus_add(struct portbus *bus, struct vm *vm, const struct port_device *d);

/** @brief What IN of @p size bytes (1, 2 or 4) reads where nothing answers:
 *         all ones, as an empty ISA bus floats high. */
static inline uint32_t portbus_all_ones(unsigned size)
{
    return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/** @brief Emulate IN of @p size bytes; unclaimed ports read all ones. */
uint32_t portbus_read(struct vm *vm, uint16_t port, unsigned size);

/** @brief Emulate OUT of @p size bytes; unclaimed ports drop the write. */
void portbus_write(struct vm *vm, uint16_t port, unsigned size, uint32_t value);

/** @brief The state of @p vm's instance of device @p name, or NULL. */
void *portbus_state(struct vm *vm, const char *name);

#endif
