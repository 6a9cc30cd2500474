/**
 * @file virtio_drv.h
 * @brief What the lesson-04 test guests' virtio drivers share (guests
 *        virtio_guest.c, vblk_guest.c, net_guest.c): the virtio-mmio
 *        register offsets (virtio v1.2 §4.2.2), the device status bits
 *        (§2.1), the split-ring descriptor and its flags (§2.7.5), and
 *        32-bit register access at VIO, the device's page, which the guest
 *        defines before including this.
 *
 * Written again from the spec rather than taken from Spectrum's own
 * virtio/virtio_mmio.h: a test guest is the driver's side and must not
 * share the device's mistakes.
 */
#ifndef SPECTRUM_GUEST_VIRTIO_DRV_H
#define SPECTRUM_GUEST_VIRTIO_DRV_H

#include <stdint.h>

#include "guests/rt_guest.h"

#ifndef VIO
#error "define VIO, the device's MMIO base, before including guests/virtio_drv.h"
/**
 * @brief Give queue @p q of QSIZE entries its three areas and mark it
 *        ready (§4.2.3.2: QueueSel, QueueNum, the Desc/Driver/Device
 *        addresses, QueueReady; the guests live below 4 GiB).
 */
static inline void vdrv_queue_setup(unsigned q, unsigned num, const volatile void *desc, const volatile void *avail,
                                    const volatile void *used)
{
    wr(QUEUE_SEL, q);
    wr(QUEUE_NUM, num);
    wr(DESC_LO, (uint32_t)(unsigned long)desc);
    wr(DESC_HI, 0);
    wr(DRIVER_LO, (uint32_t)(unsigned long)avail);
    wr(DRIVER_HI, 0);
    wr(DEVICE_LO, (uint32_t)(unsigned long)used);
    wr(DEVICE_HI, 0);
    wr(QUEUE_READY, 1);
}

#endif

/** Register offsets (§4.2.2, "MMIO Device Register Layout"). */
enum {
    MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, DEV_FEATURES = 0x010, DEV_FEATURES_SEL = 0x014,
    DRV_FEATURES = 0x020, DRV_FEATURES_SEL = 0x024, QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034, QUEUE_NUM = 0x038,
    QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050, INT_STATUS = 0x060, INT_ACK = 0x064, STATUS = 0x070,
    DESC_LO = 0x080, DESC_HI = 0x084, DRIVER_LO = 0x090, DRIVER_HI = 0x094, DEVICE_LO = 0x0a0, DEVICE_HI = 0x0a4,
    CONFIG = 0x100,
};

#define S_ACK         1u   /**< the driver found the device */
#define S_DRIVER      2u   /**< ... and knows how to drive it */
#define S_DRIVER_OK   4u   /**< the driver is ready */
#define S_FEATURES_OK 8u   /**< feature negotiation done */
#define S_NEEDS_RESET 64u  /**< the device refused something: reset it */

#define F_NEXT     1u      /**< VIRTQ_DESC_F_NEXT: the chain goes on at @c next */
#define F_WRITE    2u      /**< VIRTQ_DESC_F_WRITE: the device writes this buffer */
#define F_INDIRECT 4u      /**< VIRTQ_DESC_F_INDIRECT: the buffer is a table of descriptors */

/** @brief A split-ring descriptor (§2.7.5). */
struct desc {
    uint64_t addr;          /**< guest-physical address of the buffer */
    uint32_t len;           /**< its length */
    uint16_t flags;         /**< F_* */
    uint16_t next;          /**< the next descriptor's index, with F_NEXT */
};
_Static_assert(sizeof(struct desc) == 16, "a virtq_desc is 16 bytes (§2.7.5)");

/** @brief Read the 32-bit register at @p off of the device's page. */
static inline uint32_t rd(unsigned off)
{
    return *(volatile uint32_t *)rt_phys(VIO + off);
}

/** @brief Write the 32-bit register at @p off of the device's page. */
static inline void wr(unsigned off, uint32_t v)
{
    *(volatile uint32_t *)rt_phys(VIO + off) = v;
}

/**
 * @brief Give queue @p q of QSIZE entries its three areas and mark it
 *        ready (§4.2.3.2: QueueSel, QueueNum, the Desc/Driver/Device
 *        addresses, QueueReady; the guests live below 4 GiB).
 */
static inline void vdrv_queue_setup(unsigned q, unsigned num, const volatile void *desc, const volatile void *avail,
                                    const volatile void *used)
{
    wr(QUEUE_SEL, q);
    wr(QUEUE_NUM, num);
    wr(DESC_LO, (uint32_t)(unsigned long)desc);
    wr(DESC_HI, 0);
    wr(DRIVER_LO, (uint32_t)(unsigned long)avail);
    wr(DRIVER_HI, 0);
    wr(DEVICE_LO, (uint32_t)(unsigned long)used);
    wr(DEVICE_HI, 0);
    wr(QUEUE_READY, 1);
}

#endif
