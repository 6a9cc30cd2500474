/**
 * @file virtqueue.h
 * @brief The device side of a split virtqueue (virtio v1.2 §2.7): take
 *        the next available descriptor chain, check every value in it,
 *        hand it to a device as a list of guest-physical segments, and
 *        give it back through the used ring.
 *
 * Three areas of guest RAM, all written by a driver Spectrum does not
 * trust (sizes for a queue of N entries, §2.7 table "Virtqueue Part
 * Alignment and Size"):
 *
 *     descriptor table  16*N bytes, 16-aligned   { addr, len, flags, next }
 *     available ring    6+2*N bytes, 2-aligned   { flags, idx, ring[N] }   driver -> device
 *     used ring         6+8*N bytes, 4-aligned   { flags, idx, ring[N]{id,len} }  device -> driver
 *
 * The walker is a pure function over a guest-memory interface (struct
 * vq_mem): the kernel gives it the machine's guest-physical map, the
 * hosted unit tests and the libFuzzer target a byte array.  It never
 * dereferences a guest address itself, every loop is bounded by the
 * queue size, and any value out of the rules below is refused with the
 * rule's number (enum vq_rule) and the offending GPA: the transport then
 * sets DEVICE_NEEDS_RESET (§2.1.2) and stops the device.
 */
#ifndef SPECTRUM_VIRTQUEUE_H
#define SPECTRUM_VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>

/** Largest queue Spectrum offers (QueueNumMax): also the longest chain. */
#define VQ_NUM_MAX 64u

/* Descriptor flags (§2.7.5). */
#define VIRTQ_DESC_F_NEXT     1u  /**< the chain continues at @c next */
#define VIRTQ_DESC_F_WRITE    2u  /**< device-writable buffer (otherwise device-readable) */
#define VIRTQ_DESC_F_INDIRECT 4u  /**< the buffer is a table of descriptors (§2.7.5.3) */

/* Ring flags (§2.7.6, §2.7.8). */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1u  /**< the driver needs no used-buffer interrupt */

/** @brief One descriptor as the guest lays it out (§2.7.5), little-endian. */
struct virtq_desc {
    uint64_t addr;   /**< guest-physical address of the buffer */
    uint32_t len;    /**< its length in bytes */
    uint16_t flags;  /**< VIRTQ_DESC_F_* */
    uint16_t next;   /**< next descriptor if VIRTQ_DESC_F_NEXT */
};
_Static_assert(sizeof(struct virtq_desc) == 16, "virtio v1.2 §2.7.5: a descriptor is 16 bytes");

/** @brief One used-ring element (§2.7.8). */
struct virtq_used_elem {
    uint32_t id;     /**< head index of the chain given back */
    uint32_t len;    /**< bytes the device wrote into it */
};
_Static_assert(sizeof(struct virtq_used_elem) == 8, "virtio v1.2 §2.7.8: a used element is 8 bytes");

/** @brief Guest memory as the walker sees it (all addresses guest-physical, all hostile). */
struct vq_mem {
    void *ctx;   /**< the callbacks' argument */
    /** Copy [gpa, gpa+len) out of guest RAM; false if any byte is not RAM. */
    bool (*read)(void *ctx, uint64_t gpa, void *dst, uint32_t len);
    /** Copy into guest RAM; false if any byte is not RAM. */
    bool (*write)(void *ctx, uint64_t gpa, const void *src, uint32_t len);
    /** Whether all of [gpa, gpa+len) (len > 0, no wrap) is guest RAM. */
    bool (*is_ram)(void *ctx, uint64_t gpa, uint64_t len);
};

/** The rules; VQ_OK and VQ_EMPTY are not faults. */
enum vq_rule {
    VQ_OK = 0,
    VQ_EMPTY,              /**< no chain available: not an error */
    VQ_BAD_SIZE,           /**< QueueNum 0, above QueueNumMax or not a power of 2 (§2.7) */
    VQ_RING_ALIGN,         /**< a ring area misaligned (§2.7 alignment table) */
    VQ_RING_RANGE,         /**< a ring area not wholly in guest RAM, or wrapping */
    VQ_AVAIL_JUMP,         /**< avail idx ran more than N ahead of the device (§2.7.6) */
    VQ_HEAD_RANGE,         /**< an avail ring entry names no descriptor (>= N) */
    VQ_NEXT_RANGE,         /**< a next field names no descriptor of its table */
    VQ_CHAIN_LOOP,         /**< more descriptors than the queue size: a loop (§2.7.5.3.1, §2.7.13.2) */
    VQ_INDIRECT_NESTED,    /**< an indirect descriptor inside an indirect table (§2.7.5.3.1) */
    VQ_INDIRECT_NEXT,      /**< INDIRECT together with NEXT (§2.7.5.3.1) */
    VQ_INDIRECT_FEATURE,   /**< INDIRECT without VIRTIO_F_INDIRECT_DESC negotiated */
    VQ_INDIRECT_LEN,       /**< indirect table length 0, not a multiple of 16, or above N entries */
    VQ_INDIRECT_RANGE,     /**< indirect table not wholly in guest RAM, or wrapping */
    VQ_BUF_RANGE,          /**< a buffer not wholly in guest RAM, or wrapping */
    VQ_TOTAL_LEN,          /**< the chain's lengths add up past 2^32 - 1 (used len is 32-bit) */
    VQ_READ_AFTER_WRITE,   /**< a device-readable buffer after a device-writable one (§2.7.4.2) */
    VQ_USED_ID,            /**< the device gave back a head it does not hold (a device bug) */
    VQ_DEVICE_FORMAT,      /**< a chain the device type cannot parse (its §5 framing: no header, no status byte);
                                never the walker's: a device model's refusal through virtio_needs_reset() */
    VQ_RULES
};

/** @brief A rule's name, for the one line Spectrum prints ("chain loop"). */
const char *vq_rule_name(enum vq_rule r);

/** @brief One buffer of a chain: guest-physical, checked to be RAM. */
struct vq_seg {
    uint64_t gpa;    /**< first byte */
    uint32_t len;    /**< bytes (may be 0) */
    bool write;      /**< device-writable */
};

/** @brief One chain taken from the available ring. */
struct vq_chain {
    uint16_t head;                  /**< its head index: give it back with vq_push() */
    unsigned nseg;                  /**< segments */
    uint32_t readable;              /**< bytes in device-readable segments */
    uint32_t writable;              /**< bytes in device-writable segments */
    struct vq_seg seg[VQ_NUM_MAX];  /**< readable ones first, then writable ones */
};

/** @brief One queue's device-side state. */
struct vq {
    uint16_t num;          /**< QueueNum (entries) */
    bool ready;            /**< QueueReady */
    bool indirect_ok;      /**< VIRTIO_F_INDIRECT_DESC negotiated */
    uint64_t desc;         /**< descriptor table GPA */
    uint64_t avail;        /**< available ring GPA ("driver area") */
    uint64_t used;         /**< used ring GPA ("device area") */
    uint16_t last_avail;   /**< the next avail ring position the device takes */
    uint16_t used_idx;     /**< the device's used idx */
    uint16_t in_flight;    /**< chains taken and not yet given back */
};

/** @brief Where a refusal happened. */
struct vq_fault {
    enum vq_rule rule;     /**< which rule */
    uint64_t gpa;          /**< the offending guest-physical address (0 if none) */
};

/**
 * @brief Check a queue's size and ring areas, as the transport does when
 *        the driver sets QueueReady (§4.2.3.2).
 * @return VQ_OK or the rule broken (@p f filled).
 */
enum vq_rule vq_check_layout(const struct vq_mem *mem, const struct vq *q, uint16_t num_max, struct vq_fault *f);

/**
 * @brief Take the next available chain of @p q into @p c.
 * @return VQ_OK (one chain, q->last_avail advanced), VQ_EMPTY, or the
 *         rule broken (@p f filled; the queue is then unusable).
 */
enum vq_rule vq_pop(const struct vq_mem *mem, struct vq *q, struct vq_chain *c, struct vq_fault *f);

/**
 * @brief Give chain @p head back with @p written bytes written into it:
 *        one used element, then the used idx (§2.7.8, §2.7.13.3).
 * @return VQ_OK or the rule broken (@p f filled).
 */
enum vq_rule vq_push(const struct vq_mem *mem, struct vq *q, uint16_t head, uint32_t written, struct vq_fault *f);

/** @brief Whether the driver asked for no used-buffer interrupt (avail flags, §2.7.7). */
bool vq_want_interrupt(const struct vq_mem *mem, const struct vq *q);

#endif
