/**
 * @file virtio_net.c
 * @brief The virtio-net device model (virtio_net.h): frames the driver
 *        sends go to the endpoint (net/net_endpoint.c), its replies come
 *        back in the driver's receive buffers.
 *
 * Transmit (§5.1.6.2): each chain on transmitq is the 12-byte header and
 * one frame, split over its readable buffers however the driver likes
 * (VERSION_1 implies VIRTIO_F_ANY_LAYOUT, §2.6.4).  The device copies at
 * most VNET_TX_MAX bytes of it, gives the chain back at once (written 0)
 * and drops, counted, a chain that is longer, shorter than the header,
 * or whose header asks for offloads that were never negotiated
 * (§5.1.6.2.1: no flags, GSO_NONE without the checksum and GSO features).
 *
 * Receive (§5.1.6.3, §5.1.6.4): a reply takes one chain of receiveq (no
 * VIRTIO_NET_F_MRG_RXBUF: one chain per packet, num_buffers 1) with the
 * header, all zero but num_buffers (no DATA_VALID: the guest checks the
 * checksums itself), then the frame.  A chain too small for both gets
 * the frame dropped and goes back empty (used length 0; Linux counts a
 * length error and reposts it).  No chain posted: the reply waits in a
 * small backlog (VNET_BACKLOG_BYTES in the device's priv, in order)
 * until the driver notifies receiveq; when that is full, it is dropped
 * and counted, as a NIC's receive FIFO overflows.
 *
 * Everything runs inside the exit of the driver's QueueNotify write, and
 * every loop is bounded by what the driver made available (the walker
 * refuses an index that runs more than the queue size ahead).
 */
#include "virtio/virtio_net.h"

#include "spectrum/string.h"

/** @brief The device's own state (the transport zeroes it on reset). */
struct vnet_state {
    uint16_t backlog_used;                 /**< bytes of backlog[] in use */
    uint8_t backlog[VNET_BACKLOG_BYTES];   /**< frames waiting: 2-byte length (LE), then the frame */
};
_Static_assert(sizeof(struct vnet_state) <= VIRTIO_PRIV_SIZE, "virtio-net's state fits in priv");

static const struct net_ep vnet_endpoint = { NET_EP_MAC_INIT, NET_EP_IP_INIT };

/* VIRTIO_NET_S_LINK_UP in status, one pair, MTU 1500: what the fields
 * would say if their features were offered (a driver must not read them). */
static const struct virtio_net_config vnet_config = { VNET_MAC_INIT, 1, 1, ETH_DATA_MAX };

static struct vnet_state *state_of(struct virtio_dev *d)
{
    return (struct vnet_state *)(void *)d->priv;
}

static uint64_t vnet_config_read(struct virtio_dev *d, uint32_t off, unsigned size)
{
    (void)d;
    uint64_t v = 0;
    /* The transport keeps off + size inside config_size; the fields are
     * little-endian (§2.5, VERSION_1) like the host. */
    if (off < sizeof vnet_config && size <= sizeof v && size <= sizeof vnet_config - off)
        memcpy(&v, (const uint8_t *)&vnet_config + off, size);
    return v;
}

/* Copy the chain's readable bytes to buf (the caller checked they fit). */
static bool gather(struct virtio_dev *d, const struct vq_chain *c, uint8_t *buf, uint32_t cap)
{
    uint32_t at = 0;
    for (unsigned i = 0; i < c->nseg && !c->seg[i].write; i++) {
        uint32_t n = c->seg[i].len;
        if (n > cap - at)
            return false;
        if (n && !d->mem->read(d->mem->ctx, c->seg[i].gpa, buf + at, n))
            return false;   /* the walker checked it is RAM: cannot happen */
        at += n;
    }
    return true;
}

/* Write n bytes at offset off of the chain's writable part. */
static bool chain_write(struct virtio_dev *d, const struct vq_chain *c, uint32_t off, const void *src, uint32_t n)
{
    const uint8_t *s = src;
    for (unsigned i = 0; i < c->nseg && n; i++) {
        const struct vq_seg *g = &c->seg[i];
        if (!g->write)
            continue;     /* a readable buffer on receiveq gets nothing */
        if (off >= g->len) {
            off -= g->len;
            continue;
        }
        uint32_t k = g->len - off < n ? g->len - off : n;
        if (!d->mem->write(d->mem->ctx, g->gpa + off, s, k))
            return false;
        s += k;
        n -= k;
        off = 0;
    }
    return n == 0;
}

/* One frame into the next receive chain.  1: written (or dropped into a
 * chain too small, given back empty); 0: no chain posted; -1: the ring
 * broke a rule and the device now needs a reset. */
static int rx_put(struct virtio_dev *d, struct vnet_stats *st, const uint8_t *frame, uint32_t len)
{
    struct vq_chain c;
    int r = virtio_pop(d, VNET_RXQ, &c);
    if (r != 1)
        return r;
    struct virtio_net_hdr h;
    memset(&h, 0, sizeof h);
    h.num_buffers = 1;    /* §5.1.6.4.1: 1 without VIRTIO_NET_F_MRG_RXBUF */
    uint32_t total = (uint32_t)sizeof h + len;
    if (c.writable < total || !chain_write(d, &c, 0, &h, sizeof h) || !chain_write(d, &c, sizeof h, frame, len)) {
        /* §5.1.6.3.1: buffers SHOULD hold 1526 bytes; a smaller one
         * cannot take this frame, and a partial frame would be a lie. */
        st->rx_small_buffer++;
        virtio_push(d, VNET_RXQ, c.head, 0);
        return 1;
    }
    virtio_push(d, VNET_RXQ, c.head, total);
    st->rx_frames++;
    return 1;
}

/* Deliver what waits, oldest first, while the driver has chains posted. */
static void backlog_flush(struct virtio_dev *d, struct vnet_stats *st)
{
    struct vnet_state *s = state_of(d);
    while (s->backlog_used >= 2) {
        uint32_t len = (uint32_t)(s->backlog[0] | s->backlog[1] << 8);
        if (len > s->backlog_used - 2u) {   /* our own bytes: cannot happen */
            s->backlog_used = 0;
            return;
        }
        if (rx_put(d, st, s->backlog + 2, len) != 1)
            return;
        s->backlog_used = (uint16_t)(s->backlog_used - 2 - len);
        memmove(s->backlog, s->backlog + 2 + len, s->backlog_used);
    }
}

static void deliver(struct virtio_dev *d, struct vnet_stats *st, const uint8_t *frame, uint32_t len)
{
    struct vnet_state *s = state_of(d);
    backlog_flush(d, st);
    /* Nothing may overtake a frame that waits. */
    if (!s->backlog_used) {
        int r = rx_put(d, st, frame, len);
        if (r == 1)
            return;
        if (r < 0) {      /* the device is stopped until reset: the reply is lost */
            st->rx_refused++;
            return;
        }
    }
    if (len + 2u <= VNET_BACKLOG_BYTES - s->backlog_used) {
        s->backlog[s->backlog_used] = (uint8_t)len;
        s->backlog[s->backlog_used + 1] = (uint8_t)(len >> 8);
        memcpy(s->backlog + s->backlog_used + 2, frame, len);
        s->backlog_used = (uint16_t)(s->backlog_used + 2 + len);
        st->rx_backlogged++;
    } else {
        st->rx_backlog_full++;
    }
}

static void tx(struct virtio_dev *d, struct vnet_stats *st)
{
    struct vq_chain c;
    while (virtio_pop(d, VNET_TXQ, &c) == 1) {
        /* 3 KiB of the kernel's 32 KiB stack, inside one exit. */
        uint8_t pkt[VNET_TX_MAX];
        uint8_t reply[ETH_FRAME_MAX];
        size_t reply_len = 0;
        bool fits = c.readable <= sizeof pkt;
        bool copied = fits && gather(d, &c, pkt, sizeof pkt);
        /* The frame is ours now: the buffers go back to the driver. */
        virtio_push(d, VNET_TXQ, c.head, 0);
        st->tx_frames++;
        struct virtio_net_hdr h;
        if (!fits) {
            st->tx_oversized++;
            continue;
        }
        if (!copied || c.readable < sizeof h) {
            st->tx_short++;
            continue;
        }
        memcpy(&h, pkt, sizeof h);
        /* §5.1.6.2.1: flags 0 (no NEEDS_CSUM without VIRTIO_NET_F_CSUM,
         * never DATA_VALID or RSC_INFO), gso_type NONE without the
         * VIRTIO_NET_F_HOST_* features. */
        if (h.flags != 0 || h.gso_type != VIRTIO_NET_HDR_GSO_NONE) {
            st->tx_bad_header++;
            continue;
        }
        enum net_verdict v =
            net_ep_input(&vnet_endpoint, pkt + sizeof h, c.readable - sizeof h, reply, sizeof reply, &reply_len);
        st->verdicts[v]++;
        if (reply_len)
            deliver(d, st, reply, (uint32_t)reply_len);
    }
}

static void vnet_notify(struct virtio_dev *d, unsigned q)
{
    static struct vnet_stats sink;   /* a device without a machine (none in the kernel) counts here */
    struct vnet_stats *st = vnet_stats_of(d);
    if (!st)
        st = &sink;
    if (q == VNET_TXQ)
        tx(d, st);
    else if (q == VNET_RXQ)
        backlog_flush(d, st);   /* new buffers: what waited goes now */
}

REGISTER_VIRTIO_DEVICE(net, {
    .name = "net",
    .device_id = VIRTIO_ID_NET,
    .slot = VNET_SLOT,
    .irq = VNET_IRQ,
    .features = 1ull << VIRTIO_NET_F_MAC,
    .queues = 2,
    .queue_max = VQ_NUM_MAX,
    .config_size = sizeof(struct virtio_net_config),
    .config_read = vnet_config_read,
    .notify = vnet_notify,
    .report = vnet_report,
});
