/**
 * @file test_virtio_net.c
 * @brief Unit tests of the virtio-net device (virtio/virtio_net.c) behind
 *        the real transport and walker, driven through its registers as
 *        Linux's virtio_net does, on a byte-array guest memory
 *        (vq_test_mem.h): the configuration space, a round trip per
 *        protocol, the header on both queues, the backlog while no
 *        receive buffer is posted (order, overflow, reset), and the
 *        hostile cases: oversized, short and offload-asking transmit
 *        chains, receive chains too small, and a receive ring that
 *        breaks a rule.
 */
#include <check.h>
#include <stdint.h>

#include "check_main.h"
#include "net_test_frames.h"
#include "virtio/virtio_net.h"
#include "vq_test_mem.h"

/* receiveq on vq_test_mem.h's rings, transmitq on its own, buffers after. */
#define RXQ_DESC  VQT_DESC
#define RXQ_AVAIL VQT_AVAIL
#define RXQ_USED  VQT_USED
#define TXQ_DESC  (VQT_RAM_BASE + 0x3000)
#define TXQ_AVAIL (VQT_RAM_BASE + 0x3400)
#define TXQ_USED  (VQT_RAM_BASE + 0x3800)
#define TX_BUF    (VQT_RAM_BASE + 0x4000)   /* transmit frames: 8 KiB */
#define RX_BUF    (VQT_RAM_BASE + 0x8000)   /* 8 receive buffers of 0x800 */
#define QN        8u

static struct vqt_mem g;
static struct vq_mem mem;
static struct virtio_dev d;
static struct vnet_stats stats;
static unsigned refusals;
static int line;
static uint16_t rx_avail, tx_avail;   /* the driver's avail idx per queue */
static uint16_t rx_used_seen;         /* receive used entries checked so far */
static uint8_t frame[2048];

/* The kernel's hooks (virtio_net_stats.c): one machine, these counters. */
struct vnet_stats *vnet_stats_of(struct virtio_dev *dv)
{
    (void)dv;
    return &stats;
}

void vnet_report(struct virtio_dev *dv)
{
    (void)dv;
}

static void irq(void *ctx, unsigned l, bool level)
{
    (void)ctx;
    ck_assert_uint_eq(l, VNET_IRQ);
    line = level;
}

static void refused(void *ctx, struct virtio_dev *dv, unsigned q, const struct vq_fault *f)
{
    (void)ctx;
    (void)dv;
    (void)q;
    (void)f;
    refusals++;
}

static uint32_t rd(uint64_t off) { return (uint32_t)virtio_mmio_read(&d, off, 4); }
static void wr(uint64_t off, uint32_t v) { virtio_mmio_write(&d, off, 4, v); }

static const struct virtio_device *net_type(void)
{
    TABLE_FOREACH(struct virtio_device, spectrum_virtio, t)
        if (t->device_id == VIRTIO_ID_NET)
            return t;
    return 0;
}

static void queue(unsigned q, uint64_t desc, uint64_t avail, uint64_t used)
{
    wr(VIRTIO_MMIO_QUEUE_SEL, q);
    wr(VIRTIO_MMIO_QUEUE_NUM, QN);
    wr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
    wr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
    wr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
    wr(VIRTIO_MMIO_QUEUE_READY, 1);
}

/* Linux's bring-up (§3.1.1, §5.1.5): features VERSION_1 + MAC, both queues. */
static void bring_up(void)
{
    memset(g.b, 0, 0x4000);            /* fresh rings */
    rx_avail = tx_avail = rx_used_seen = 0;
    wr(VIRTIO_MMIO_STATUS, 0);
    wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, 1);
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, 1u << VIRTIO_NET_F_MAC);
    wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    ck_assert(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);
    queue(VNET_RXQ, RXQ_DESC, RXQ_AVAIL, RXQ_USED);
    queue(VNET_TXQ, TXQ_DESC, TXQ_AVAIL, TXQ_USED);
    wr(VIRTIO_MMIO_STATUS,
       VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

static void setup(void)
{
    vqt_init(&g, &mem);
    memset(&d, 0, sizeof d);
    memset(&stats, 0, sizeof stats);
    refusals = 0;
    line = 0;
    d.mem = &mem;
    d.irq = irq;
    d.refused = refused;
    const struct virtio_device *t = net_type();
    ck_assert_ptr_nonnull(t);
    virtio_dev_init(&d, t);
    bring_up();
}

static void teardown(void)
{
    ck_assert_uint_eq(g.strays, 0);
}

static void offer(uint64_t avail, uint16_t *idx, uint16_t head, unsigned q)
{
    vqt_put16(&g, avail + 4 + 2u * (*idx % QN), head);
    *idx = (uint16_t)(*idx + 1);
    vqt_put16(&g, avail + 2, *idx);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, q);
}

/* Post receive buffer i (descriptor i, one writable buffer of len bytes). */
static void post_rx(unsigned i, uint32_t len)
{
    vqt_desc(&g, RXQ_DESC, i, RX_BUF + 0x800u * i, len, VIRTQ_DESC_F_WRITE, 0);
    offer(RXQ_AVAIL, &rx_avail, (uint16_t)i, VNET_RXQ);
}

/* Send @p n bytes of frame[] on transmitq with header @p h, split the
 * way Linux does it when it cannot push the header: descriptor 0 the
 * header, descriptor 1 the frame. */
static void send_hdr(const struct virtio_net_hdr *h, size_t n)
{
    uint64_t hdr_gpa = TX_BUF, data_gpa = TX_BUF + 0x100;
    memcpy(&g.b[hdr_gpa - VQT_RAM_BASE], h, sizeof *h);
    memcpy(&g.b[data_gpa - VQT_RAM_BASE], frame, n);
    vqt_desc(&g, TXQ_DESC, 0, hdr_gpa, sizeof *h, VIRTQ_DESC_F_NEXT, 1);
    vqt_desc(&g, TXQ_DESC, 1, data_gpa, (uint32_t)n, 0, 0);
    uint16_t before = vqt_get16(&g, TXQ_USED + 2);
    offer(TXQ_AVAIL, &tx_avail, 0, VNET_TXQ);
    ck_assert_uint_eq(vqt_get16(&g, TXQ_USED + 2), (uint16_t)(before + 1));   /* always given back */
    ck_assert_uint_eq(vqt_get32(&g, TXQ_USED + 4 + 8u * before + 4), 0);      /* nothing written */
}

static void send(size_t n)
{
    struct virtio_net_hdr h;
    memset(&h, 0, sizeof h);
    send_hdr(&h, n);
}

/* The next used receive entry: its buffer's id, and its length. */
static bool next_rx(uint32_t *id, uint32_t *len)
{
    if (vqt_get16(&g, RXQ_USED + 2) == rx_used_seen)
        return false;
    uint64_t e = RXQ_USED + 4 + 8u * (rx_used_seen % QN);
    *id = vqt_get32(&g, e);
    *len = vqt_get32(&g, e + 4);
    rx_used_seen++;
    return true;
}

/* The frame written into receive buffer id: header checked, frame returned. */
static const uint8_t *rx_frame(uint32_t id)
{
    const uint8_t *b = &g.b[RX_BUF + 0x800u * id - VQT_RAM_BASE];
    struct virtio_net_hdr h;
    memcpy(&h, b, sizeof h);
    ck_assert_uint_eq(h.flags, 0);
    ck_assert_uint_eq(h.gso_type, 0);
    ck_assert_uint_eq(h.num_buffers, 1);
    return b + sizeof h;
}

START_TEST(identity_and_config)
{
    ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_ID), 1);
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_FEATURES) & (1u << VIRTIO_NET_F_MAC), 1u << VIRTIO_NET_F_MAC);
    /* Linux reads the MAC one byte at a time (virtio_cread_bytes). */
    for (unsigned i = 0; i < 6; i++)
        ck_assert_uint_eq(virtio_mmio_read(&d, VIRTIO_MMIO_CONFIG + i, 1), nt_guest_mac[i]);
    ck_assert_uint_eq(virtio_mmio_read(&d, VIRTIO_MMIO_CONFIG + 6, 2), 1);        /* link up */
    ck_assert_uint_eq(virtio_mmio_read(&d, VIRTIO_MMIO_CONFIG + 10, 2), 1500);
    ck_assert_uint_eq(virtio_mmio_read(&d, VIRTIO_MMIO_CONFIG + 11, 2), 0);       /* past the end */
    ck_assert_uint_eq(d.stats.bad_accesses, 1);
    ck_assert_uint_eq(d.type->slot, 2);
    ck_assert_uint_eq(d.type->irq, 11);
}
END_TEST

START_TEST(arp_round_trip)
{
    post_rx(0, 1526);
    post_rx(1, 1526);
    send(nt_arp_request(frame, nt_guest_mac, nt_guest_ip, nt_ep_ip));
    uint32_t id, len;
    ck_assert(next_rx(&id, &len));
    ck_assert_uint_eq(id, 0);
    ck_assert_uint_eq(len, 12 + 42);
    const uint8_t *f = rx_frame(id);
    ck_assert(!memcmp(f, nt_guest_mac, 6));
    ck_assert_uint_eq(nt_get16(f + 14 + 6), 2);
    ck_assert(!memcmp(f + 14 + 8, nt_ep_mac, 6));
    ck_assert(!next_rx(&id, &len));
    ck_assert(line);
    ck_assert(rd(VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_INT_USED);
    ck_assert_uint_eq(stats.tx_frames, 1);
    ck_assert_uint_eq(stats.rx_frames, 1);
    ck_assert_uint_eq(stats.verdicts[NET_ARP_REPLY], 1);
}
END_TEST

START_TEST(ping_and_udp_round_trip)
{
    for (unsigned i = 0; i < 4; i++)
        post_rx(i, 1526);
    uint32_t id, len;
    for (uint16_t seq = 1; seq <= 3; seq++) {
        size_t n = nt_icmp_echo(frame, 77, seq, 56);
        send(n);
        ck_assert(next_rx(&id, &len));
        ck_assert_uint_eq(len, 12 + n);
        const uint8_t *f = rx_frame(id);
        ck_assert(nt_ip_reply_ok(f, n, 1));
        ck_assert_uint_eq(nt_get16(f + 34 + 6), seq);
    }
    static const uint8_t data[] = "hello, echo";
    size_t n = nt_udp(frame, 1234, 7, data, sizeof data, true);
    send(n);
    ck_assert(next_rx(&id, &len));
    ck_assert_uint_eq(len, 12 + n);
    const uint8_t *f = rx_frame(id);
    ck_assert(nt_ip_reply_ok(f, n, 17));
    ck_assert(!memcmp(f + 42, data, sizeof data));
    ck_assert_uint_eq(stats.verdicts[NET_ICMP_ECHO], 3);
    ck_assert_uint_eq(stats.verdicts[NET_UDP_ECHO], 1);
    ck_assert_uint_eq(stats.rx_frames, 4);
}
END_TEST

/* Linux pushes the header into the frame's headroom: one descriptor;
 * a receive chain of two writable buffers splits the header itself. */
START_TEST(one_descriptor_and_split_receive)
{
    vqt_desc(&g, RXQ_DESC, 2, RX_BUF + 0x1000, 6, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 3);
    vqt_desc(&g, RXQ_DESC, 3, RX_BUF + 0x1006, 1520, VIRTQ_DESC_F_WRITE, 0);
    offer(RXQ_AVAIL, &rx_avail, 2, VNET_RXQ);
    uint8_t *b = &g.b[TX_BUF - VQT_RAM_BASE];
    memset(b, 0, 12);
    size_t n = nt_icmp_echo(b + 12, 5, 5, 100);
    vqt_desc(&g, TXQ_DESC, 4, TX_BUF, (uint32_t)(12 + n), 0, 0);
    offer(TXQ_AVAIL, &tx_avail, 4, VNET_TXQ);
    uint32_t id, len;
    ck_assert(next_rx(&id, &len));
    ck_assert_uint_eq(id, 2);
    ck_assert_uint_eq(len, 12 + n);
    const uint8_t *r = &g.b[RX_BUF + 0x1000 - VQT_RAM_BASE];   /* contiguous here: read it whole */
    ck_assert_uint_eq(r[10], 1);                                /* num_buffers */
    ck_assert(nt_ip_reply_ok(r + 12, n, 1));
}
END_TEST

START_TEST(backlog_until_buffers_come)
{
    static const uint8_t ip_a[4] = { 10, 0, 2, 15 }, ip_b[4] = { 10, 0, 2, 16 };
    send(nt_arp_request(frame, nt_guest_mac, ip_a, nt_ep_ip));
    send(nt_arp_request(frame, nt_guest_mac, ip_b, nt_ep_ip));
    uint32_t id, len;
    ck_assert(!next_rx(&id, &len));
    ck_assert_uint_eq(stats.rx_backlogged, 2);
    post_rx(0, 1526);                  /* one buffer: the older reply */
    ck_assert(next_rx(&id, &len));
    ck_assert(!memcmp(rx_frame(id) + 14 + 24, ip_a, 4));
    ck_assert(!next_rx(&id, &len));
    post_rx(1, 1526);
    ck_assert(next_rx(&id, &len));
    ck_assert(!memcmp(rx_frame(id) + 14 + 24, ip_b, 4));
    ck_assert_uint_eq(stats.rx_frames, 2);
    ck_assert_uint_eq(stats.rx_backlog_full, 0);
}
END_TEST

START_TEST(backlog_full_drops)
{
    /* 5 ARP replies (44 bytes each with their length) fit in 240, the 6th not. */
    for (unsigned i = 0; i < 6; i++)
        send(nt_arp_request(frame, nt_guest_mac, nt_guest_ip, nt_ep_ip));
    ck_assert_uint_eq(stats.rx_backlogged, 5);
    ck_assert_uint_eq(stats.rx_backlog_full, 1);
    send(nt_icmp_echo(frame, 1, 1, 1000));   /* far too big to wait */
    ck_assert_uint_eq(stats.rx_backlog_full, 2);
    for (unsigned i = 0; i < 7; i++)
        post_rx(i, 1526);
    uint32_t id, len;
    for (unsigned i = 0; i < 5; i++) {
        ck_assert(next_rx(&id, &len));
        ck_assert_uint_eq(len, 12 + 42);
    }
    ck_assert(!next_rx(&id, &len));
    /* Empty now: the next reply goes straight to a buffer. */
    send(nt_icmp_echo(frame, 1, 2, 8));
    ck_assert(next_rx(&id, &len));
    ck_assert_uint_eq(stats.rx_frames, 6);
}
END_TEST

START_TEST(reset_empties_backlog)
{
    send(nt_arp_request(frame, nt_guest_mac, nt_guest_ip, nt_ep_ip));
    ck_assert_uint_eq(stats.rx_backlogged, 1);
    bring_up();
    post_rx(0, 1526);
    uint32_t id, len;
    ck_assert(!next_rx(&id, &len));
    ck_assert_uint_eq(stats.tx_frames, 1);   /* the counters outlive the reset */
}
END_TEST

START_TEST(hostile_transmit_chains)
{
    post_rx(0, 1526);
    /* 1515 bytes of frame: one too many. */
    size_t n = nt_icmp_echo(frame, 1, 1, 1472);
    frame[n] = 0;
    send(n + 1);
    ck_assert_uint_eq(stats.tx_oversized, 1);
    /* 8 bytes: not a header. */
    vqt_desc(&g, TXQ_DESC, 5, TX_BUF, 8, 0, 0);
    offer(TXQ_AVAIL, &tx_avail, 5, VNET_TXQ);
    ck_assert_uint_eq(stats.tx_short, 1);
    /* A header alone: an empty frame, a runt to the endpoint. */
    struct virtio_net_hdr h;
    memset(&h, 0, sizeof h);
    send_hdr(&h, 0);
    ck_assert_uint_eq(stats.verdicts[NET_RUNT], 1);
    /* Checksum offload and GSO were never negotiated. */
    n = nt_icmp_echo(frame, 1, 1, 8);
    h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
    send_hdr(&h, n);
    h.flags = 2;   /* DATA_VALID: a receive-only flag */
    send_hdr(&h, n);
    h.flags = 0;
    h.gso_type = 1;   /* TCPv4 */
    send_hdr(&h, n);
    ck_assert_uint_eq(stats.tx_bad_header, 3);
    /* A chain of 64 KiB (many descriptors on one buffer) is refused whole. */
    for (unsigned i = 0; i < QN; i++)
        vqt_desc(&g, TXQ_DESC, i, TX_BUF, 0x2000, i + 1 < QN ? VIRTQ_DESC_F_NEXT : 0, (uint16_t)(i + 1));
    offer(TXQ_AVAIL, &tx_avail, 0, VNET_TXQ);
    ck_assert_uint_eq(stats.tx_oversized, 2);
    /* A writable buffer on transmitq gets nothing written. */
    memset(&g.b[TX_BUF + 0x1000 - VQT_RAM_BASE], 0x5a, 16);
    n = nt_icmp_echo(frame, 1, 1, 8);
    memset(&g.b[TX_BUF - VQT_RAM_BASE], 0, 12);
    memcpy(&g.b[TX_BUF + 12 - VQT_RAM_BASE], frame, n);
    vqt_desc(&g, TXQ_DESC, 6, TX_BUF, (uint32_t)(12 + n), VIRTQ_DESC_F_NEXT, 7);
    vqt_desc(&g, TXQ_DESC, 7, TX_BUF + 0x1000, 16, VIRTQ_DESC_F_WRITE, 0);
    offer(TXQ_AVAIL, &tx_avail, 6, VNET_TXQ);
    ck_assert_uint_eq(g.b[TX_BUF + 0x1000 - VQT_RAM_BASE], 0x5a);
    /* None of it hurt the device: the echo above was answered. */
    uint32_t id, len;
    ck_assert(next_rx(&id, &len));
    ck_assert_uint_eq(len, 12 + n);
    ck_assert_uint_eq(stats.verdicts[NET_ICMP_ECHO], 1);
    ck_assert(!(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET));
    ck_assert_uint_eq(stats.tx_frames, 8);
}
END_TEST

START_TEST(receive_buffer_too_small)
{
    post_rx(0, 12 + 41);               /* one byte short of an ARP reply */
    memset(&g.b[RX_BUF - VQT_RAM_BASE], 0x77, 64);
    send(nt_arp_request(frame, nt_guest_mac, nt_guest_ip, nt_ep_ip));
    uint32_t id, len;
    ck_assert(next_rx(&id, &len));
    ck_assert_uint_eq(len, 0);          /* given back empty */
    ck_assert_uint_eq(g.b[RX_BUF - VQT_RAM_BASE], 0x77);
    ck_assert_uint_eq(stats.rx_small_buffer, 1);
    ck_assert_uint_eq(stats.rx_frames, 0);
    /* A buffer without a writable byte: the same. */
    vqt_desc(&g, RXQ_DESC, 1, RX_BUF, 64, 0, 0);
    offer(RXQ_AVAIL, &rx_avail, 1, VNET_RXQ);
    send(nt_arp_request(frame, nt_guest_mac, nt_guest_ip, nt_ep_ip));
    ck_assert(next_rx(&id, &len));
    ck_assert_uint_eq(len, 0);
    ck_assert_uint_eq(stats.rx_small_buffer, 2);
}
END_TEST

START_TEST(hostile_receive_ring)
{
    /* A receive buffer past the end of RAM: the walker refuses the chain
     * when a reply needs it, and the device stops until reset. */
    vqt_desc(&g, RXQ_DESC, 0, VQT_RAM_BASE + VQT_BYTES - 16, 1526, VIRTQ_DESC_F_WRITE, 0);
    offer(RXQ_AVAIL, &rx_avail, 0, VNET_RXQ);
    send(nt_arp_request(frame, nt_guest_mac, nt_guest_ip, nt_ep_ip));
    ck_assert_uint_eq(refusals, 1);
    ck_assert(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    ck_assert_uint_eq(vqt_get16(&g, RXQ_USED + 2), 0);
    ck_assert_uint_eq(stats.rx_refused, 1);
    /* A stopped device takes nothing more. */
    offer(TXQ_AVAIL, &tx_avail, 0, VNET_TXQ);
    ck_assert_uint_eq(stats.tx_frames, 1);
    /* And a reset brings it back. */
    bring_up();
    post_rx(0, 1526);
    send(nt_arp_request(frame, nt_guest_mac, nt_guest_ip, nt_ep_ip));
    uint32_t id, len;
    ck_assert(next_rx(&id, &len));
    ck_assert_uint_eq(len, 12 + 42);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("virtio_net");
    TCase *t = tcase_create("device");
    tcase_set_timeout(t, 5);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, identity_and_config);
    tcase_add_test(t, arp_round_trip);
    tcase_add_test(t, ping_and_udp_round_trip);
    tcase_add_test(t, one_descriptor_and_split_receive);
    tcase_add_test(t, backlog_until_buffers_come);
    tcase_add_test(t, backlog_full_drops);
    tcase_add_test(t, reset_empties_backlog);
    tcase_add_test(t, hostile_transmit_chains);
    tcase_add_test(t, receive_buffer_too_small);
    tcase_add_test(t, hostile_receive_ring);
    suite_add_tcase(s, t);
    return s;
}

CHECK_MAIN(suite)
