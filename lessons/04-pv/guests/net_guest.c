/**
 * @file net_guest.c
 * @brief Guest "net" (64-bit): a virtio-net driver written from the spec
 *        for Spectrum's card (slot 2, 0xd0002000), talking to the
 *        endpoint inside Spectrum (10.0.2.2) - good frames and hostile
 *        ones.
 *
 * Good: identification (device 1, VIRTIO_NET_F_MAC offered, the MAC in
 * the configuration space), the handshake of virtio v1.2 §3.1.1 with
 * VERSION_1 and MAC, receiveq 0 and transmitq 1 with 8 entries each; an
 * ARP request sent before any receive buffer is posted (its reply waits
 * in the device and arrives when one is), an ICMP echo and a UDP echo,
 * each reply checked byte for byte (addresses, checksums, data).
 * Hostile, each with a receive buffer posted that must stay unused and
 * the device still live afterwards: a runt frame, an IP total length
 * that lies, a bad IP header checksum, a bad ICMP checksum, a UDP length
 * that lies, a fragment, a chain longer than the largest frame, a chain
 * shorter than the virtio-net header, a header that asks for checksum
 * offload; then a receive buffer too small for the reply (given back
 * empty), six replies with no buffer posted (five wait, one is dropped),
 * and a receive buffer in the local APIC's page (DEVICE_NEEDS_RESET when
 * a reply needs it).  Last, after a reset, a ping still works.  The
 * scenario (scenarios/net_scenario.c) checks the device's counters.
 * Exit status: the number of checks that went wrong.
 */
#include "guests/rt_guest.h"

#define VIO     0xd0002000ul     /* virtio/virtio_net.h: slot 2 */
#include "guests/virtio_drv.h"
#define QSIZE   8u
#define RXQ     0u               /* receiveq1 (§5.1.2) */
#define TXQ     1u               /* transmitq1 */
#define HDR     12u              /* struct virtio_net_hdr with num_buffers (§5.1.6) */
#define BUF     2048u
#define F_MAC   5u               /* VIRTIO_NET_F_MAC (§5.1.3) */

static struct desc rx_desc[QSIZE] __attribute__((aligned(4096)));
static volatile uint16_t rx_avail[3 + QSIZE] __attribute__((aligned(4096)));
static volatile uint32_t rx_used[2 + 2 * QSIZE] __attribute__((aligned(4096)));
static struct desc tx_desc[QSIZE] __attribute__((aligned(4096)));
static volatile uint16_t tx_avail[3 + QSIZE] __attribute__((aligned(4096)));
static volatile uint32_t tx_used[2 + 2 * QSIZE] __attribute__((aligned(4096)));
static uint8_t rx_buf[QSIZE][BUF] __attribute__((aligned(64)));
static uint8_t tx_buf[HDR + 1600] __attribute__((aligned(64)));
static uint8_t frame[1600];

static const uint8_t guest_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t ep_mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x02, 0x02 };
static const uint8_t guest_ip[4] = { 10, 0, 2, 15 };
static const uint8_t ep_ip[4] = { 10, 0, 2, 2 };

static unsigned failures;
static unsigned rx_posted;       /* receive buffers posted since the bring-up */
static uint16_t rx_seen;         /* receive used entries looked at */

static void check(bool ok, const char *what)
{
    guest_printf("net: %s: %s\n", what, ok ? "ok" : "WRONG");
    if (!ok)
        failures++;
}

/* Byte loops through volatile, so GCC does not turn them into calls to a
 * memcpy/memcmp this freestanding image does not have. */
static void copy(void *dst, const void *src, unsigned n)
{
    volatile uint8_t *d = dst;
    const uint8_t *s = src;
    for (unsigned i = 0; i < n; i++)
        d[i] = s[i];
}

static bool same(const void *a, const void *b, unsigned n)
{
    const volatile uint8_t *x = a;
    const uint8_t *y = b;
    for (unsigned i = 0; i < n; i++)
        if (x[i] != y[i])
            return false;
    return true;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* RFC 1071's one's complement sum, from @p start. */
static uint32_t sum(uint32_t start, const uint8_t *p, unsigned n)
{
    uint32_t s = start;
    for (unsigned i = 0; i < n; i++)
        s += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return s;
}

static uint32_t pseudo(const uint8_t *src, const uint8_t *dst, uint16_t len)
{
    uint8_t p[12];
    copy(p, src, 4);
    copy(p + 4, dst, 4);
    p[8] = 0;
    p[9] = 17;
    put16(p + 10, len);
    return sum(0, p, 12);
}

/* --- the driver --- */

static bool bring_up(void)
{
    wr(STATUS, 0);
    for (unsigned i = 0; i < 3 + QSIZE; i++)
        rx_avail[i] = tx_avail[i] = 0;
    for (unsigned i = 0; i < 2 + 2 * QSIZE; i++)
        rx_used[i] = tx_used[i] = 0;
    rx_posted = 0;
    rx_seen = 0;
    wr(STATUS, S_ACK);
    wr(STATUS, S_ACK | S_DRIVER);
    wr(DRV_FEATURES_SEL, 1);
    wr(DRV_FEATURES, 1u);               /* VERSION_1 (bit 32) */
    wr(DRV_FEATURES_SEL, 0);
    wr(DRV_FEATURES, 1u << F_MAC);
    wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
    if (!(rd(STATUS) & S_FEATURES_OK))
        return false;
    vdrv_queue_setup(RXQ, QSIZE, rx_desc, rx_avail, rx_used);
    vdrv_queue_setup(TXQ, QSIZE, tx_desc, tx_avail, tx_used);
    wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    return rd(QUEUE_READY) == 1 && !(rd(STATUS) & S_NEEDS_RESET);
}

static void offer(volatile uint16_t *avail, uint16_t head, unsigned q)
{
    uint16_t idx = avail[1];
    avail[2 + idx % QSIZE] = head;
    __asm__ volatile("" ::: "memory");   /* the entry before the index (§2.7.13.2) */
    avail[1] = (uint16_t)(idx + 1);
    wr(QUEUE_NOTIFY, q);
}

/* Post receive buffer (the next descriptor) of @p len bytes at @p gpa. */
static void post_rx_at(unsigned long gpa, uint32_t len)
{
    unsigned i = rx_posted++ % QSIZE;
    rx_desc[i] = (struct desc){ gpa, len, F_WRITE, 0 };
    offer(rx_avail, (uint16_t)i, RXQ);
}

static void post_rx(void)
{
    post_rx_at((unsigned long)rx_buf[rx_posted % QSIZE], BUF);
}

/* Send frame[0..n) after a header with @p flags; true if the chain came back. */
static bool send_flags(unsigned n, uint8_t flags)
{
    for (unsigned i = 0; i < HDR; i++)
        tx_buf[i] = 0;
    tx_buf[0] = flags;
    copy(tx_buf + HDR, frame, n);
    tx_desc[0] = (struct desc){ (unsigned long)tx_buf, HDR + n, 0, 0 };
    uint16_t before = (uint16_t)(tx_used[0] >> 16);
    offer(tx_avail, 0, TXQ);
    return (uint16_t)(tx_used[0] >> 16) == (uint16_t)(before + 1);
}

static bool send(unsigned n) { return send_flags(n, 0); }

/* The next used receive buffer: its frame (after the header) and length. */
static const uint8_t *received(uint32_t *len)
{
    if ((uint16_t)(rx_used[0] >> 16) == rx_seen)
        return 0;
    unsigned e = rx_seen++ % QSIZE;
    uint32_t id = rx_used[1 + 2 * e];
    *len = rx_used[2 + 2 * e];
    wr(INT_ACK, rd(INT_STATUS));
    if (id >= QSIZE || *len < HDR)
        return 0;
    *len -= HDR;
    return rx_desc[id].addr == (unsigned long)rx_buf[id] && rx_buf[id][10] == 1 ? rx_buf[id] + HDR : 0;
}

static bool nothing_received(void)
{
    return (uint16_t)(rx_used[0] >> 16) == rx_seen;
}

/* --- frames: the guest asks, the endpoint answers --- */

static void eth(uint8_t *f, const uint8_t *dst, uint16_t type)
{
    copy(f, dst, 6);
    copy(f + 6, guest_mac, 6);
    put16(f + 12, type);
}

static unsigned arp_request(void)
{
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    eth(frame, bcast, 0x0806);
    uint8_t *a = frame + 14;
    put16(a, 1);
    put16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, 1);
    copy(a + 8, guest_mac, 6);
    copy(a + 14, guest_ip, 4);
    for (unsigned i = 18; i < 24; i++)
        a[i] = 0;
    copy(a + 24, ep_ip, 4);
    return 42;
}

/* IPv4 header for @p n bytes of @p proto already at frame + 34. */
static unsigned ip_frame(uint8_t proto, unsigned n)
{
    eth(frame, ep_mac, 0x0800);
    uint8_t *h = frame + 14;
    h[0] = 0x45;
    h[1] = 0;
    put16(h + 2, (uint16_t)(20 + n));
    put16(h + 4, 0x77);
    put16(h + 6, 0x4000);
    h[8] = 64;
    h[9] = proto;
    put16(h + 10, 0);
    copy(h + 12, guest_ip, 4);
    copy(h + 16, ep_ip, 4);
    put16(h + 10, (uint16_t)~sum(0, h, 20));
    return 34 + n;
}

static void fix_ip_checksum(void)
{
    put16(frame + 24, 0);
    put16(frame + 24, (uint16_t)~sum(0, frame + 14, 20));
}

static unsigned icmp_echo(uint16_t seq, unsigned n)
{
    uint8_t *m = frame + 34;
    m[0] = 8;
    m[1] = 0;
    put16(m + 2, 0);
    put16(m + 4, 0x5045);
    put16(m + 6, seq);
    for (unsigned i = 0; i < n; i++)
        m[8 + i] = (uint8_t)(seq + i);
    put16(m + 2, (uint16_t)~sum(0, m, 8 + n));
    return ip_frame(1, 8 + n);
}

static const char udp_data[] = "spectrum, are you there?";

static unsigned udp_echo(void)
{
    uint8_t *u = frame + 34;
    unsigned n = sizeof udp_data - 1;
    put16(u, 33333);
    put16(u + 2, 7);
    put16(u + 4, (uint16_t)(8 + n));
    put16(u + 6, 0);
    copy(u + 8, udp_data, n);
    put16(u + 6, (uint16_t)~sum(pseudo(guest_ip, ep_ip, (uint16_t)(8 + n)), u, 8 + n));
    return ip_frame(17, 8 + n);
}

static bool arp_reply_ok(const uint8_t *r, uint32_t len)
{
    return r && len == 42 && same(r, guest_mac, 6) && same(r + 6, ep_mac, 6) && get16(r + 12) == 0x0806 &&
           get16(r + 20) == 2 && same(r + 22, ep_mac, 6) && same(r + 28, ep_ip, 4) && same(r + 32, guest_mac, 6) &&
           same(r + 38, guest_ip, 4);
}

/* An IPv4 reply from the endpoint: addresses, header checksum, length. */
static bool ip_reply_ok(const uint8_t *r, uint32_t len, uint8_t proto)
{
    return r && len >= 42 && same(r, guest_mac, 6) && same(r + 6, ep_mac, 6) && get16(r + 12) == 0x0800 &&
           r[14] == 0x45 && get16(r + 16) == len - 14 && sum(0, r + 14, 20) == 0xffff && r[23] == proto &&
           same(r + 26, ep_ip, 4) && same(r + 30, guest_ip, 4);
}

static bool echo_reply_ok(const uint8_t *r, uint32_t len, uint16_t seq, unsigned n)
{
    if (!ip_reply_ok(r, len, 1) || len != 42 + n)
        return false;
    const uint8_t *m = r + 34;
    for (unsigned i = 0; i < n; i++)
        if (m[8 + i] != (uint8_t)(seq + i))
            return false;
    return m[0] == 0 && m[1] == 0 && get16(m + 4) == 0x5045 && get16(m + 6) == seq && sum(0, m, 8 + n) == 0xffff;
}

static bool ping(uint16_t seq)
{
    uint32_t len = 0;
    if (!send(icmp_echo(seq, 56)))
        return false;
    const uint8_t *r = received(&len);   /* before len is read */
    return echo_reply_ok(r, len, seq, 56);
}

/* A hostile frame: taken back, nothing answered, the device still live. */
static void dropped(bool sent, const char *what)
{
    check(sent && nothing_received() && !(rd(STATUS) & S_NEEDS_RESET), what);
}

int guest_main(void)
{
    uint32_t len = 0;
    const uint8_t *r;
    check(rd(MAGIC) == 0x74726976 && rd(VERSION) == 2 && rd(DEVICE_ID) == 1, "magic, version 2, device 1");
    wr(DEV_FEATURES_SEL, 0);
    check(rd(DEV_FEATURES) & 1u << F_MAC, "VIRTIO_NET_F_MAC offered");
    uint8_t mac[6];
    for (unsigned i = 0; i < 6; i++)
        mac[i] = *(volatile uint8_t *)rt_phys(VIO + CONFIG + i);
    check(same(mac, guest_mac, 6), "MAC 52:54:00:12:34:56 in the configuration space");
    check(bring_up(), "handshake, receiveq and transmitq");

    /* --- good frames --- */
    check(send(arp_request()) && nothing_received(), "ARP request with no receive buffer: the reply waits");
    post_rx();
    r = received(&len);
    check(arp_reply_ok(r, len), "ARP reply once a buffer is posted: 52:54:00:00:02:02 is at 10.0.2.2");
    post_rx();
    check(ping(1), "ICMP echo: reply with the same data, checksums right");
    post_rx();
    check(send(udp_echo()), "UDP datagram to port 7 sent");
    r = received(&len);
    check(ip_reply_ok(r, len, 17) && get16(r + 34) == 7 && get16(r + 36) == 33333 &&
              same(r + 42, udp_data, sizeof udp_data - 1) &&
              sum(pseudo(ep_ip, guest_ip, get16(r + 38)), r + 34, len - 34) == 0xffff,
          "UDP echo: the same bytes back, checksum right");

    /* --- hostile frames, a buffer posted that none of them may use --- */
    post_rx();
    dropped(send(20), "a runt frame (20 bytes)");
    unsigned n = icmp_echo(2, 56);
    put16(frame + 16, 1000);
    fix_ip_checksum();
    dropped(send(n), "an IP total length of 1000 in a 98-byte frame");
    n = icmp_echo(2, 56);
    frame[24] ^= 0x55;
    dropped(send(n), "a bad IP header checksum");
    n = icmp_echo(2, 56);
    frame[50] ^= 1;
    dropped(send(n), "a bad ICMP checksum");
    n = udp_echo();
    put16(frame + 38, 200);
    dropped(send(n), "a UDP length past the datagram");
    n = icmp_echo(2, 56);
    put16(frame + 20, 0x2000);
    fix_ip_checksum();
    dropped(send(n), "a fragment (MF set)");
    for (unsigned i = 0; i < 1600; i++)
        frame[i] = 0xee;
    dropped(send(1515), "a chain of 12 + 1515 bytes: one byte over the largest frame");
    tx_desc[0] = (struct desc){ (unsigned long)tx_buf, 6, 0, 0 };
    uint16_t before = (uint16_t)(tx_used[0] >> 16);
    offer(tx_avail, 0, TXQ);
    dropped((uint16_t)(tx_used[0] >> 16) == (uint16_t)(before + 1), "a chain of 6 bytes: not even a header");
    dropped(send_flags(icmp_echo(2, 56), 1), "a header asking for checksum offload (not negotiated)");
    check(ping(2), "the posted buffer still free: ICMP echo answered in it");

    /* --- receive buffers the reply does not fit, or none at all --- */
    post_rx_at((unsigned long)rx_buf[rx_posted % QSIZE], HDR + 41);
    len = 99;   /* received() leaves it when nothing was used */
    check(send(icmp_echo(3, 56)) && received(&len) == 0 && len == 0,
          "a receive buffer too small: given back empty, the reply dropped");
    bool all = true;
    for (unsigned i = 0; i < 6; i++)
        all &= send(arp_request());
    check(all && nothing_received(), "six ARP requests with no receive buffer: nothing yet");
    unsigned replies = 0;
    for (unsigned i = 0; i < 6; i++) {
        post_rx();
        r = received(&len);
        replies += arp_reply_ok(r, len);
    }
    check(replies == 5, "five replies waited for buffers, the sixth did not fit");
    check(ping(4), "the sixth buffer takes the next reply");

    /* --- a receive ring that points at the local APIC --- */
    post_rx_at(0xfee00000ul, BUF);
    send(arp_request());
    check((rd(STATUS) & S_NEEDS_RESET) && (rd(INT_STATUS) & 2) && nothing_received(),
          "a receive buffer in the local APIC page: DEVICE_NEEDS_RESET");
    check(bring_up(), "reset clears DEVICE_NEEDS_RESET");
    post_rx();
    check(ping(5), "works again after the reset");
    wr(STATUS, 0);

    if (failures)
        guest_printf("net: %u checks went wrong: FAILED\n", failures);
    else
        guest_printf("net: checks passed\n");
    return (int)failures;
}
