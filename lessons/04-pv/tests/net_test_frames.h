/**
 * @file net_test_frames.h
 * @brief Frames for the network tests, built the long way: a guest
 *        (10.0.2.15, 52:54:00:12:34:56) asking the endpoint (10.0.2.2)
 *        by ARP, ICMP echo and UDP, with checksums from this file's own
 *        RFC 1071 sum, not the endpoint's (a bug there must not hide
 *        itself), and checkers for the replies.
 */
#ifndef SPECTRUM_NET_TEST_FRAMES_H
#define SPECTRUM_NET_TEST_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net/net_wire.h"

static const uint8_t nt_guest_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t nt_guest_ip[4] = { 10, 0, 2, 15 };
static const uint8_t nt_ep_mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x02, 0x02 };
static const uint8_t nt_ep_ip[4] = { 10, 0, 2, 2 };
static const uint8_t nt_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* The one's complement sum of 16-bit big-endian words, the plain way. */
static inline uint16_t nt_sum(uint32_t start, const uint8_t *p, size_t len)
{
    uint32_t s = start;
    for (size_t i = 0; i < len; i++) {
        s += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
        if (s > 0xffff)
            s -= 0xffff;   /* end-around carry, one step at a time */
    }
    return (uint16_t)s;
}

/* The checksum field's value over [p, p+len) with @p start already summed. */
static inline uint16_t nt_csum(uint32_t start, const uint8_t *p, size_t len)
{
    return (uint16_t)~nt_sum(start, p, len);
}

static inline void nt_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline uint16_t nt_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* Ethernet header at f. */
static inline void nt_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    nt_put16(f + 12, type);
}

/* An ARP request of @p sha/@p spa for @p tpa, broadcast: 42 bytes. */
static inline size_t nt_arp_request(uint8_t *f, const uint8_t *sha, const uint8_t *spa, const uint8_t *tpa)
{
    nt_eth(f, nt_bcast, sha, ETH_TYPE_ARP);
    uint8_t *a = f + 14;
    nt_put16(a, 1);
    nt_put16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    nt_put16(a + 6, 1);
    memcpy(a + 8, sha, 6);
    memcpy(a + 14, spa, 4);
    memset(a + 18, 0, 6);
    memcpy(a + 24, tpa, 4);
    return 42;
}

/* The UDP pseudo-header's sum (RFC 768). */
static inline uint16_t nt_pseudo(const uint8_t *src, const uint8_t *dst, uint16_t udp_len)
{
    uint8_t p[12];
    memcpy(p, src, 4);
    memcpy(p + 4, dst, 4);
    p[8] = 0;
    p[9] = 17;
    nt_put16(p + 10, udp_len);
    return nt_sum(0, p, 12);
}

/* The guest's IPv4 datagram to the endpoint: header (IHL 5 plus @p opt
 * option words of NOP), then @p data; checksum right.  Returns the
 * frame's length. */
static inline size_t nt_ipv4(uint8_t *f, uint8_t proto, const uint8_t *data, size_t n, unsigned opt)
{
    nt_eth(f, nt_ep_mac, nt_guest_mac, ETH_TYPE_IPV4);
    uint8_t *h = f + 14;
    size_t ihl = 20 + 4 * opt;
    memset(h, 0, ihl);
    h[0] = (uint8_t)(0x40 | (5 + opt));
    nt_put16(h + 2, (uint16_t)(ihl + n));
    nt_put16(h + 4, 0x1234);
    nt_put16(h + 6, 0x4000);   /* DF, as Linux sends */
    h[8] = 64;
    h[9] = proto;
    memcpy(h + 12, nt_guest_ip, 4);
    memcpy(h + 16, nt_ep_ip, 4);
    memset(h + 20, 1, 4 * opt);   /* option 1: no-operation (RFC 791) */
    nt_put16(h + 10, nt_csum(0, h, ihl));
    memcpy(h + ihl, data, n);
    return 14 + ihl + n;
}

/* Recompute the IPv4 header checksum of frame f (after a test changed a field). */
static inline void nt_fix_ip(uint8_t *f)
{
    uint8_t *h = f + 14;
    size_t ihl = (size_t)(h[0] & 15) * 4;
    nt_put16(h + 10, 0);
    nt_put16(h + 10, nt_csum(0, h, ihl));
}

/* An echo request with @p n bytes of data (a pattern), as ping sends. */
static inline size_t nt_icmp_echo(uint8_t *f, uint16_t id, uint16_t seq, size_t n)
{
    uint8_t m[ETH_FRAME_MAX];
    m[0] = 8;
    m[1] = 0;
    nt_put16(m + 2, 0);
    nt_put16(m + 4, id);
    nt_put16(m + 6, seq);
    for (size_t i = 0; i < n; i++)
        m[8 + i] = (uint8_t)(0x10 + i);
    nt_put16(m + 2, nt_csum(0, m, 8 + n));
    return nt_ipv4(f, 1, m, 8 + n, 0);
}

/* A UDP datagram from port @p sport to @p dport with @p data; its checksum
 * computed if @p csum, else 0. */
static inline size_t nt_udp(uint8_t *f, uint16_t sport, uint16_t dport, const uint8_t *data, size_t n, bool csum)
{
    uint8_t u[ETH_FRAME_MAX];
    nt_put16(u, sport);
    nt_put16(u + 2, dport);
    nt_put16(u + 4, (uint16_t)(8 + n));
    nt_put16(u + 6, 0);
    memcpy(u + 8, data, n);
    if (csum) {
        uint16_t c = nt_csum(nt_pseudo(nt_guest_ip, nt_ep_ip, (uint16_t)(8 + n)), u, 8 + n);
        nt_put16(u + 6, c ? c : 0xffff);
    }
    return nt_ipv4(f, 17, u, 8 + n, 0);
}

/* Whether @p r (@p n bytes) is a well-formed IPv4 frame from the endpoint
 * to the guest: Ethernet addresses, version/IHL 5, total length = the
 * frame's, header checksum, addresses, not a fragment, TTL > 0. */
static inline bool nt_ip_reply_ok(const uint8_t *r, size_t n, uint8_t proto)
{
    if (n < 34 || memcmp(r, nt_guest_mac, 6) || memcmp(r + 6, nt_ep_mac, 6) || nt_get16(r + 12) != 0x0800)
        return false;
    const uint8_t *h = r + 14;
    return h[0] == 0x45 && nt_get16(h + 2) == n - 14 && nt_sum(0, h, 20) == 0xffff && h[9] == proto &&
           !memcmp(h + 12, nt_ep_ip, 4) && !memcmp(h + 16, nt_guest_ip, 4) && !(nt_get16(h + 6) & 0x3fff) && h[8];
}

#endif
