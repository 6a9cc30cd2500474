/**
 * @file virtio_mmio.h
 * @brief The virtio-over-MMIO transport (virtio v1.2 §4.2): a page of
 *        registers per device through which a driver resets it,
 *        negotiates features, sets up split virtqueues (virtqueue.h),
 *        notifies it and acknowledges its interrupts.  Device models
 *        (console, ...) register with REGISTER_VIRTIO_DEVICE and never
 *        see a register: they get queue notifications and config-space
 *        accesses.
 *
 * The transport itself is hosted-testable: it knows guest memory only
 * as a struct vq_mem and the interrupt line only as a callback.
 * virtio_bus.c puts the devices on a lesson-03 machine's MMIO bus.
 *
 * Placement (fixed, documented in the lesson's README): device slot n
 * at VIRTIO_MMIO_BASE + n * 4 KiB; the registration names its slot and
 * its ISA IRQ line (I/O APIC pin, apic/isa_wiring.c).  Linux is told
 * with virtio_mmio.device=4K@0xd0000000:5 and so on.
 */
#ifndef SPECTRUM_VIRTIO_MMIO_H
#define SPECTRUM_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#include "spectrum/registry.h"
#include "virtio/virtqueue.h"

#define VIRTIO_MMIO_BASE  0xd0000000ull  /**< slot 0 (a hole of the lesson-03 PC) */
#define VIRTIO_MMIO_SLOT  0x1000u        /**< bytes per device */
#define VIRTIO_SLOTS      4u             /**< device slots */
#define VIRTIO_MAX_QUEUES 4u             /**< queues per device */
#define VIRTIO_PRIV_SIZE  256u           /**< bytes of a device model's own state */

/* ---- Registers (§4.2.2, table "MMIO Device Register Layout") ---- */
#define VIRTIO_MMIO_MAGIC_VALUE        0x000 /**< R: 0x74726976 ("virt") */
#define VIRTIO_MMIO_VERSION            0x004 /**< R: 2 (1 is the legacy layout) */
#define VIRTIO_MMIO_DEVICE_ID          0x008 /**< R: device type (§5), 0 = no device */
#define VIRTIO_MMIO_VENDOR_ID          0x00c /**< R: any value */
#define VIRTIO_MMIO_DEVICE_FEATURES    0x010 /**< R: 32 feature bits, page DeviceFeaturesSel */
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014 /**< W: which page DeviceFeatures shows */
#define VIRTIO_MMIO_DRIVER_FEATURES    0x020 /**< W: 32 accepted bits, page DriverFeaturesSel */
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024 /**< W: which page DriverFeatures writes */
#define VIRTIO_MMIO_QUEUE_SEL          0x030 /**< W: the queue the Queue* registers mean */
#define VIRTIO_MMIO_QUEUE_NUM_MAX      0x034 /**< R: largest size of the selected queue, 0 if none */
#define VIRTIO_MMIO_QUEUE_NUM          0x038 /**< W: size of the selected queue */
#define VIRTIO_MMIO_QUEUE_READY        0x044 /**< RW: the selected queue is set up */
#define VIRTIO_MMIO_QUEUE_NOTIFY       0x050 /**< W: a queue index: it has new buffers */
#define VIRTIO_MMIO_INTERRUPT_STATUS   0x060 /**< R: VIRTIO_INT_* bits pending */
#define VIRTIO_MMIO_INTERRUPT_ACK      0x064 /**< W: VIRTIO_INT_* bits handled */
#define VIRTIO_MMIO_STATUS             0x070 /**< RW: device status (§2.1), 0 resets */
#define VIRTIO_MMIO_QUEUE_DESC_LOW     0x080 /**< W: descriptor table GPA, bits 31:0 */
#define VIRTIO_MMIO_QUEUE_DESC_HIGH    0x084 /**< W: ... bits 63:32 */
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW   0x090 /**< W: available ring GPA, bits 31:0 */
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH  0x094 /**< W: ... bits 63:32 */
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW   0x0a0 /**< W: used ring GPA, bits 31:0 */
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH  0x0a4 /**< W: ... bits 63:32 */
#define VIRTIO_MMIO_SHM_SEL            0x0ac /**< W: shared memory region select (none here) */
#define VIRTIO_MMIO_SHM_LEN_LOW        0x0b0 /**< R: its length, bits 31:0 (~0: no region) */
#define VIRTIO_MMIO_SHM_BASE_HIGH      0x0bc /**< R: its base, bits 63:32 (~0: no region) */
#define VIRTIO_MMIO_CONFIG_GENERATION  0x0fc /**< R: changes when the config space changed */
#define VIRTIO_MMIO_CONFIG             0x100 /**< device configuration space from here */

#define VIRTIO_MMIO_MAGIC   0x74726976u  /**< "virt", little-endian */
#define VIRTIO_MMIO_VERSION_MODERN 2u    /**< virtio 1.x (1 is the legacy layout) */
#define VIRTIO_VENDOR_SPECTRUM 0x43455053u /**< "SPEC": any value will do (§4.2.2) */

/* ---- Device types (§5: "Device Types") ---- */
#define VIRTIO_ID_NET     1u /**< network card (§5.1) */
#define VIRTIO_ID_BLOCK   2u /**< block device (§5.2) */
#define VIRTIO_ID_CONSOLE 3u /**< console (§5.3) */

/* ---- Device status bits (§2.1) ---- */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u /**< the guest found the device */
#define VIRTIO_STATUS_DRIVER      2u /**< it has a driver for it */
#define VIRTIO_STATUS_DRIVER_OK   4u /**< the driver is ready: the device is live */
#define VIRTIO_STATUS_FEATURES_OK 8u /**< feature negotiation done (the device may refuse it) */
#define VIRTIO_STATUS_NEEDS_RESET 64u /**< the device hit an error: reset it (device-set) */
#define VIRTIO_STATUS_FAILED      128u /**< the driver gave up */

/* ---- Interrupt status bits (§4.2.2 InterruptStatus) ---- */
#define VIRTIO_INT_USED   1u   /**< a queue has new used buffers */
#define VIRTIO_INT_CONFIG 2u   /**< the configuration (or NEEDS_RESET) changed */

/* ---- Reserved feature bits (§6) ---- */
#define VIRTIO_F_INDIRECT_DESC 28 /**< indirect descriptors (§2.7.5.3) */
#define VIRTIO_F_EVENT_IDX     29 /**< used/avail event indexes (not offered) */
#define VIRTIO_F_VERSION_1     32 /**< a virtio 1.x (non-legacy) driver */

struct virtio_dev;

/** @brief One device model (a struct virtio_device per device type). */
struct virtio_device {
    const char *name;       /**< "console": Spectrum's messages and lookups */
    uint32_t device_id;     /**< §5: 3 console, 2 block, 1 network */
    unsigned slot;          /**< 0..VIRTIO_SLOTS-1: base VIRTIO_MMIO_BASE + slot * 4 KiB */
    unsigned irq;           /**< ISA IRQ line (I/O APIC pin) */
    uint64_t features;      /**< device-specific offered bits; VERSION_1 and INDIRECT_DESC are added */
    unsigned queues;        /**< 1..VIRTIO_MAX_QUEUES */
    uint16_t queue_max;     /**< QueueNumMax, a power of 2 <= VQ_NUM_MAX */
    uint32_t config_size;   /**< bytes of device configuration space at 0x100 */
    /** Read config bytes [off, off+size) (off+size <= config_size); may be NULL (zeros). */
    uint64_t (*config_read)(struct virtio_dev *d, uint32_t off, unsigned size);
    /** Write config bytes; may be NULL (ignored). */
    void (*config_write)(struct virtio_dev *d, uint32_t off, unsigned size, uint64_t value);
    /** The driver notified queue @p q (ready, device live). */
    void (*notify)(struct virtio_dev *d, unsigned q);
    /** The device was reset (priv already zeroed); may be NULL. */
    void (*reset)(struct virtio_dev *d);
    /** The device's machine is ending: flush what is buffered; may be NULL. */
    void (*report)(struct virtio_dev *d);
    /** The machine is being made (after virtio_dev_init): false leaves the
     *  slot empty, for a model with nothing to offer on this machine
     *  (virtio-blk without a disk image); may add to d->features.  May be NULL. */
    bool (*attach)(struct virtio_dev *d);
};

TABLE_DECLARE(struct virtio_device, spectrum_virtio);

/** Register virtio device model @p id (a struct virtio_device initializer). */
#define REGISTER_VIRTIO_DEVICE(id, ...)                                                            \
    static const struct virtio_device virtio_device_##id TABLE_ENTRY(spectrum_virtio) = __VA_ARGS__

/** @brief Counters of one device instance. */
struct virtio_stats {
    uint32_t notifies;      /**< QueueNotify writes acted on */
    uint32_t chains;        /**< chains taken */
    uint32_t interrupts;    /**< line raised */
    uint32_t bad_accesses;  /**< register accesses not 32-bit aligned, unknown registers */
};

/** @brief One device instance: transport state, queues and the model's own bytes. */
struct virtio_dev {
    const struct virtio_device *type;  /**< NULL: empty slot */
    const struct vq_mem *mem;          /**< guest RAM */
    /** Drive the interrupt line (true: asserted). */
    void (*irq)(void *ctx, unsigned line, bool level);
    /** Report a refusal once (queue, rule, GPA); may be NULL. */
    void (*refused)(void *ctx, struct virtio_dev *d, unsigned q, const struct vq_fault *f);
    void *ctx;                         /**< the callbacks' argument (the VM) */
    uint64_t features;                 /**< offered bits: virtio_offered(type), plus attach()'s */
    uint32_t status;                   /**< device status (§2.1) */
    uint32_t dev_features_sel;         /**< DeviceFeaturesSel */
    uint32_t drv_features_sel;         /**< DriverFeaturesSel */
    uint64_t drv_features;             /**< what the driver wrote */
    uint32_t queue_sel;                /**< QueueSel */
    uint32_t isr;                      /**< InterruptStatus */
    uint32_t config_generation;        /**< ConfigGeneration */
    bool broken;                       /**< DEVICE_NEEDS_RESET set: nothing more until reset */
    struct vq q[VIRTIO_MAX_QUEUES];    /**< the queues */
    struct virtio_stats stats;         /**< counters */
    _Alignas(8) uint8_t priv[VIRTIO_PRIV_SIZE]; /**< the model's state, zeroed on reset */
};

/** @brief All features the transport offers for @p t (model's plus VERSION_1, INDIRECT_DESC). */
uint64_t virtio_offered(const struct virtio_device *t);

/** @brief Bind @p d to model @p t (offering virtio_offered(t)) and reset it (the callbacks must be set already). */
void virtio_dev_init(struct virtio_dev *d, const struct virtio_device *t);

/** @brief Device reset (§2.4): status 0, queues gone, line low, priv zeroed. */
void virtio_dev_reset(struct virtio_dev *d);

/** @brief A driver read of @p size bytes at @p off of the device's page. */
uint64_t virtio_mmio_read(struct virtio_dev *d, uint64_t off, unsigned size);

/** @brief A driver write. */
void virtio_mmio_write(struct virtio_dev *d, uint64_t off, unsigned size, uint64_t value);

/* ---- For device models ---- */

/** @brief True if queue @p q can carry buffers: set up (QueueReady), the
 *         driver live (DRIVER_OK, not FAILED) and the device not refused. */
bool virtio_queue_live(const struct virtio_dev *d, unsigned q);

/**
 * @brief Take the next chain of queue @p q.
 * @return 1: one chain in @p c; 0: none; -1: the chain broke a rule and
 *         the device now needs a reset (nothing more to do).
 */
int virtio_pop(struct virtio_dev *d, unsigned q, struct vq_chain *c);

/** @brief Give a chain back, then interrupt unless the driver asked not to. */
void virtio_push(struct virtio_dev *d, unsigned q, uint16_t head, uint32_t written);

/** @brief Refuse: set DEVICE_NEEDS_RESET, raise a config interrupt, report @p f once. */
void virtio_needs_reset(struct virtio_dev *d, unsigned q, const struct vq_fault *f);

#endif
