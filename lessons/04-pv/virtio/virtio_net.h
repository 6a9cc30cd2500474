/**
 * @file virtio_net.h
 * @brief virtio-net (virtio v1.2 §5.1), device id 1, in slot 2
 *        (0xd0002000, ISA IRQ 11): the guest's network card, cabled to
 *        the endpoint inside Spectrum (net/net_endpoint.h).
 *
 * The smallest device Linux's unmodified virtio_net driver takes: one
 * queue pair, receiveq 0 and transmitq 1 (§5.1.2), and one feature,
 * VIRTIO_NET_F_MAC (the MAC in the configuration space, §5.1.4), besides
 * VERSION_1: no offloads, no mergeable receive buffers, no control queue.
 * Every packet on either queue is preceded by struct virtio_net_hdr.
 */
#ifndef SPECTRUM_VIRTIO_NET_H
#define SPECTRUM_VIRTIO_NET_H

#include <stddef.h>
#include <stdint.h>

#include "net/net_endpoint.h"
#include "virtio/virtio_mmio.h"

#define VNET_SLOT 2u    /**< 0xd0002000 */
#define VNET_IRQ  11u   /**< ISA IRQ line = I/O APIC pin */
#define VNET_RXQ  0u    /**< receiveq1 (§5.1.2): the device writes frames into the driver's buffers */
#define VNET_TXQ  1u    /**< transmitq1: the driver's frames */

/* ---- Feature bits (§5.1.3) ---- */
#define VIRTIO_NET_F_MAC    5    /**< the device has a MAC in its configuration space */

/** The guest's MAC (QEMU's default for a first NIC; locally administered). */
#define VNET_MAC_INIT { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }

/* ---- struct virtio_net_hdr fields (§5.1.6) ---- */
#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1u   /**< the driver left a checksum to the device (needs VIRTIO_NET_F_CSUM) */
#define VIRTIO_NET_HDR_GSO_NONE     0u   /**< not a segmentation-offload packet */

/**
 * @brief The header before every packet (§5.1.6), little-endian.  With
 *        VERSION_1 num_buffers is always there (12 bytes); without
 *        VIRTIO_NET_F_MRG_RXBUF the device sets it to 1 on receive
 *        (§5.1.6.4.1) and the driver's value on transmit means nothing.
 */
struct virtio_net_hdr {
    uint8_t flags;          /**< VIRTIO_NET_HDR_F_*: 0 here, no checksum offload */
    uint8_t gso_type;       /**< VIRTIO_NET_HDR_GSO_NONE here */
    uint16_t hdr_len;       /**< length of the headers (GSO/checksum offload only) */
    uint16_t gso_size;      /**< segment size (GSO only) */
    uint16_t csum_start;    /**< where checksumming starts (NEEDS_CSUM only) */
    uint16_t csum_offset;   /**< where the checksum goes, from csum_start */
    uint16_t num_buffers;   /**< receive buffers this packet took (1) */
};
_Static_assert(sizeof(struct virtio_net_hdr) == 12, "virtio v1.2 §5.1.6: 12 bytes with num_buffers");
_Static_assert(offsetof(struct virtio_net_hdr, num_buffers) == 10, "virtio v1.2 §5.1.6 layout");

/** @brief The configuration space (§5.1.4) up to mtu; only mac is valid with our features. */
struct virtio_net_config {
    uint8_t mac[ETH_ALEN];          /**< valid with VIRTIO_NET_F_MAC */
    uint16_t status;                /**< valid with VIRTIO_NET_F_STATUS (not offered): link up anyway */
    uint16_t max_virtqueue_pairs;   /**< valid with VIRTIO_NET_F_MQ (not offered) */
    uint16_t mtu;                   /**< valid with VIRTIO_NET_F_MTU (not offered) */
};
_Static_assert(sizeof(struct virtio_net_config) == 12, "virtio v1.2 §5.1.4: mac, status, pairs, mtu");
_Static_assert(offsetof(struct virtio_net_config, status) == 6 &&
                   offsetof(struct virtio_net_config, mtu) == 10,
               "virtio v1.2 §5.1.4 layout");

/** Bytes of one transmitted chain the device takes: header and the largest frame. */
#define VNET_TX_MAX (sizeof(struct virtio_net_hdr) + ETH_FRAME_MAX)

/**
 * Bytes of replies held while the driver has no receive buffer posted
 * (each frame costs 2 more for its length): two ARP replies and a
 * default ping's echo reply fit, a full-sized reply does not.  It lives
 * in the device's priv, so a reset empties it.
 */
#define VNET_BACKLOG_BYTES 240u

/** @brief The counters of one machine's virtio-net (virtio_net_stats.c); a reset keeps them. */
struct vnet_stats {
    uint32_t tx_frames;          /**< chains taken from transmitq */
    uint32_t tx_oversized;       /**< ... dropped: more than VNET_TX_MAX readable bytes */
    uint32_t tx_short;           /**< ... dropped: not even a whole virtio_net_hdr */
    uint32_t tx_bad_header;      /**< ... dropped: offload flags or GSO that were not negotiated */
    uint32_t rx_frames;          /**< frames written into receive buffers */
    uint32_t rx_backlogged;      /**< replies that waited for a receive buffer */
    uint32_t rx_backlog_full;    /**< replies dropped: no receive buffer and no room to wait */
    uint32_t rx_small_buffer;    /**< replies dropped: the receive chain was too small (given back empty) */
    uint32_t rx_refused;         /**< replies lost: the receive ring broke a rule (DEVICE_NEEDS_RESET) */
    uint32_t verdicts[NET_VERDICTS]; /**< what the endpoint made of each frame handed to it */
};

/**
 * @brief The counters of @p d's machine, or NULL (virtio_net_stats.c in
 *        the kernel; the unit test has its own).
 */
struct vnet_stats *vnet_stats_of(struct virtio_dev *d);

/** @brief Print @p d's end-of-run line (virtio_net_stats.c; the unit test has its own). */
void vnet_report(struct virtio_dev *d);

#endif
