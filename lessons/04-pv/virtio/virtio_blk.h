/**
 * @file virtio_blk.h
 * @brief virtio-blk (virtio v1.2 §5.2): the wire layouts, and the disk
 *        behind the device as a pure, host-testable request handler.
 *
 * A request is one descriptor chain (§5.2.6), read by the device as two
 * byte streams whatever the descriptors' arrangement (§2.6.4, "Message
 * Framing"):
 *
 *     device-readable:  header { le32 type, le32 reserved, le64 sector }  [data, for OUT]
 *     device-writable:  [data, for IN and GET_ID]  u8 status (the very last byte)
 *
 * vblk_request() takes a chain the walker (virtqueue.h) has checked and
 * either completes it with a status byte - OK, IOERR (out of range, not
 * whole sectors, a write to a read-only disk), UNSUPP (any other type) -
 * or, when it has no 16-byte header or no byte for the status, refuses
 * it: the device model then sets DEVICE_NEEDS_RESET.  It reads and writes
 * guest memory only through struct vq_mem, inside the chain's segments,
 * and the disk only inside [0, capacity * 512).
 */
#ifndef SPECTRUM_VIRTIO_BLK_H
#define SPECTRUM_VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio/virtqueue.h"

/* ---- Feature bits (§5.2.3) ---- */
#define VIRTIO_BLK_F_SEG_MAX  2   /**< seg_max in the config: most data segments per request */
#define VIRTIO_BLK_F_RO       5   /**< the disk is read-only */
#define VIRTIO_BLK_F_FLUSH    9   /**< VIRTIO_BLK_T_FLUSH exists (the disk has a write cache) */

/* ---- Request types (§5.2.6) ---- */
#define VIRTIO_BLK_T_IN     0u    /**< read sectors into the writable data */
#define VIRTIO_BLK_T_OUT    1u    /**< write the readable data to sectors */
#define VIRTIO_BLK_T_FLUSH  4u    /**< make earlier writes durable */
#define VIRTIO_BLK_T_GET_ID 8u    /**< the device ID string, VIRTIO_BLK_ID_BYTES bytes */

/* ---- Status byte (§5.2.6) ---- */
#define VIRTIO_BLK_S_OK     0u    /**< done */
#define VIRTIO_BLK_S_IOERR  1u    /**< failed (range, length, read-only) */
#define VIRTIO_BLK_S_UNSUPP 2u    /**< type not supported */

#define VIRTIO_BLK_SECTOR    512u /**< capacity and sector numbers count 512-byte units (§5.2.4) */
#define VIRTIO_BLK_ID_BYTES  20u  /**< GET_ID answer: NUL-padded, no NUL if all 20 are used (§5.2.6) */
#define VIRTIO_BLK_REQ_QUEUE 0u   /**< the requestq (§5.2.2; one without VIRTIO_BLK_F_MQ) */

/**
 * Data segments offered in seg_max.  Linux puts a request in one indirect
 * table of seg_max + 2 entries (header, data, status), and the walker
 * counts the descriptor that points at the table too, against the queue
 * size: so 3 below VQ_NUM_MAX.
 */
#define VBLK_SEG_MAX (VQ_NUM_MAX - 3u)

/** @brief A request's header, the first 16 device-readable bytes (§5.2.6), little-endian. */
struct virtio_blk_req_hdr {
    uint32_t type;      /**< VIRTIO_BLK_T_* */
    uint32_t reserved;  /**< Linux puts an I/O priority here; unused */
    uint64_t sector;    /**< first 512-byte sector (IN, OUT) */
};
_Static_assert(sizeof(struct virtio_blk_req_hdr) == 16, "virtio v1.2 §5.2.6: the header is 16 bytes");

/**
 * @brief The configuration space (§5.2.4), little-endian, as far as
 *        virtio v1.2 defines it without zoned devices (not offered).
 *        Fields of features not offered read as 0.
 */
struct virtio_blk_config {
    uint64_t capacity;                 /**< 512-byte sectors */
    uint32_t size_max;                 /**< VIRTIO_BLK_F_SIZE_MAX (not offered) */
    uint32_t seg_max;                  /**< VIRTIO_BLK_F_SEG_MAX */
    uint16_t cylinders;                /**< geometry: VIRTIO_BLK_F_GEOMETRY (not offered) */
    uint8_t heads;                     /**< geometry */
    uint8_t sectors;                   /**< geometry */
    uint32_t blk_size;                 /**< VIRTIO_BLK_F_BLK_SIZE (not offered: 512) */
    uint8_t physical_block_exp;        /**< topology: VIRTIO_BLK_F_TOPOLOGY (not offered) */
    uint8_t alignment_offset;          /**< topology */
    uint16_t min_io_size;              /**< topology */
    uint32_t opt_io_size;              /**< topology */
    uint8_t writeback;                 /**< VIRTIO_BLK_F_CONFIG_WCE (not offered) */
    uint8_t unused0;                   /**< reserved */
    uint16_t num_queues;               /**< VIRTIO_BLK_F_MQ (not offered) */
    uint32_t max_discard_sectors;      /**< VIRTIO_BLK_F_DISCARD (not offered) */
    uint32_t max_discard_seg;          /**< discard */
    uint32_t discard_sector_alignment; /**< discard */
    uint32_t max_write_zeroes_sectors; /**< VIRTIO_BLK_F_WRITE_ZEROES (not offered) */
    uint32_t max_write_zeroes_seg;     /**< write zeroes */
    uint8_t write_zeroes_may_unmap;    /**< write zeroes */
    uint8_t unused1[3];                /**< reserved */
    uint32_t max_secure_erase_sectors; /**< VIRTIO_BLK_F_SECURE_ERASE (not offered) */
    uint32_t max_secure_erase_seg;     /**< secure erase */
    uint32_t secure_erase_sector_alignment; /**< secure erase */
};
_Static_assert(__builtin_offsetof(struct virtio_blk_config, seg_max) == 12, "§5.2.4: seg_max at 12");
_Static_assert(__builtin_offsetof(struct virtio_blk_config, blk_size) == 20, "§5.2.4: blk_size at 20");
_Static_assert(__builtin_offsetof(struct virtio_blk_config, writeback) == 32, "§5.2.4: writeback at 32");
_Static_assert(__builtin_offsetof(struct virtio_blk_config, max_discard_sectors) == 36, "§5.2.4: discard at 36");
_Static_assert(__builtin_offsetof(struct virtio_blk_config, max_secure_erase_sectors) == 60, "§5.2.4: erase at 60");
_Static_assert(sizeof(struct virtio_blk_config) == 72, "§5.2.4: 72 bytes before the zoned fields");

/** @brief What one disk has done (the end-of-run line). */
struct vblk_stats {
    uint32_t reads;        /**< IN requests completed OK */
    uint32_t writes;       /**< OUT requests completed OK */
    uint32_t flushes;      /**< FLUSH requests */
    uint32_t ids;          /**< GET_ID requests answered */
    uint32_t errors;       /**< requests completed with IOERR or UNSUPP */
    uint32_t refused;      /**< chains refused (DEVICE_NEEDS_RESET) */
    uint64_t bytes_read;   /**< data bytes copied to the guest */
    uint64_t bytes_written; /**< data bytes copied to the disk */
};

/** @brief The disk behind a virtio-blk device: an image in host memory. */
struct vblk_disk {
    uint8_t *data;            /**< the image (Spectrum's copy of the multiboot module) */
    uint64_t size;            /**< its bytes; capacity is size / 512 (a partial last sector is never used) */
    bool ro;                  /**< read-only: VIRTIO_BLK_F_RO offered, OUT fails with IOERR */
    struct vblk_stats stats;  /**< counters */
};

/** @brief How vblk_request() ended. */
enum vblk_outcome {
    VBLK_DONE,       /**< completed: give the chain back with @c written bytes */
    VBLK_REFUSED,    /**< no header or no status byte: the device needs a reset */
};

/** @brief The result of one request. */
struct vblk_result {
    uint8_t status;       /**< VIRTIO_BLK_S_* written (VBLK_DONE) */
    uint32_t written;     /**< bytes written into the chain, status included (the used length) */
    uint32_t type;        /**< the request type (0 if there was no header) */
    uint64_t sector;      /**< its sector */
    const char *why;      /**< IOERR, UNSUPP, REFUSED: what was wrong, for a message; NULL when OK */
    uint64_t gpa;         /**< REFUSED: the chain's first buffer (0 if none) */
};

/** @brief 512-byte sectors of @p disk. */
static inline uint64_t vblk_capacity(const struct vblk_disk *disk)
{
    return disk->size / VIRTIO_BLK_SECTOR;
}

/**
 * @brief Carry out one request (a chain from the walker) on @p disk.
 * @param mem guest memory, the chain's segments already checked to be RAM
 * @param disk the disk; its counters are updated
 * @param c the chain
 * @param id the GET_ID answer (at most VIRTIO_BLK_ID_BYTES bytes used)
 * @param r the result
 * @return VBLK_DONE (status written into the chain's last writable byte)
 *         or VBLK_REFUSED (nothing written, guest memory and disk untouched)
 */
enum vblk_outcome vblk_request(const struct vq_mem *mem, struct vblk_disk *disk, const struct vq_chain *c,
                               const char *id, struct vblk_result *r);

/**
 * @brief Read @p size bytes (1, 2, 4 or 8) at @p off of the configuration
 *        space of @p disk (off + size <= sizeof(struct virtio_blk_config)).
 */
uint64_t vblk_config_read(const struct vblk_disk *disk, uint32_t off, unsigned size);

#endif
