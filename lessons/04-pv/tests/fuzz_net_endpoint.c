/**
 * @file fuzz_net_endpoint.c
 * @brief libFuzzer target for the network endpoint (net/net_endpoint.c).
 *
 * The input is one control byte and a frame.  The control byte makes
 * the fuzzer's life easier: bit 0 rewrites the frame's IPv4 header
 * checksum, bit 1 its ICMP or UDP checksum, so random lengths and fields
 * get past the checksums and reach the rules behind them; bits 2-3
 * choose the reply buffer's size (the whole frame, fewer bytes than
 * that, ETH_FRAME_MAX, 0); bit 4 makes the input a change to a good
 * frame, chosen by bits 5-6 (an ARP request, an ICMP echo request, a
 * UDP datagram to port 7, one to port 9): the frame is the input's
 * length, each byte the input's XOR the good frame's, so an empty
 * corpus reaches the answers at once.  Aborts when a reply is longer than the frame
 * or the buffer, is written past the reply's length, comes with a
 * verdict that does not answer, or is not well-formed: Ethernet back to
 * the sender from the endpoint, and for IPv4 a header with the right
 * checksum and a total length equal to the reply's, ICMP and UDP
 * checksums right.  ASan catches any read outside the frame (the input
 * is copied into a buffer of exactly its length).
 *
 *     make fuzz && build/host/fuzz/fuzz_net_endpoint -max_total_time=60 -max_len=1600
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/net_endpoint.h"

static const struct net_ep ep = { NET_EP_MAC_INIT, NET_EP_IP_INIT };

static uint16_t csum(uint32_t start, const uint8_t *p, size_t n)
{
    return net_csum_fold(net_csum_add(start, p, n));
}

static uint32_t pseudo(const uint8_t *src, const uint8_t *dst, uint16_t len)
{
    uint8_t p[12];
    memcpy(p, src, 4);
    memcpy(p + 4, dst, 4);
    p[8] = 0;
    p[9] = IPV4_PROTO_UDP;
    net_put16(p + 10, len);
    return net_csum_add(0, p, sizeof p);
}

/* Make the frame's checksums right where the control byte says so, as
 * far as the frame's own (possibly lying) lengths allow. */
static void fix_checksums(uint8_t *f, size_t len, uint8_t ctl)
{
    if (len < ETH_HLEN + IPV4_HLEN_MIN || net_get16(f + 12) != ETH_TYPE_IPV4)
        return;
    uint8_t *h = f + ETH_HLEN;
    size_t ihl = (size_t)(h[0] & 15) * 4, total = net_get16(h + 2), avail = len - ETH_HLEN;
    if (ihl < IPV4_HLEN_MIN || ihl > avail)
        return;
    if ((ctl & 2) && total >= ihl && total <= avail) {
        uint8_t *l4 = h + ihl;
        size_t n = total - ihl;
        if (h[9] == IPV4_PROTO_ICMP && n >= 8) {
            net_put16(l4 + 2, 0);
            net_put16(l4 + 2, csum(0, l4, n));
        } else if (h[9] == IPV4_PROTO_UDP && n >= 8) {
            uint16_t ulen = net_get16(l4 + 4);
            if (ulen >= 8 && ulen <= n) {
                net_put16(l4 + 6, 0);
                net_put16(l4 + 6, csum(pseudo(h + 12, h + 16, ulen), l4, ulen));
            }
        }
    }
    if (ctl & 1) {
        net_put16(h + 10, 0);
        net_put16(h + 10, csum(0, h, ihl));
    }
}

/* The good frames bit 4 starts from: the guest 10.0.2.15 asking. */
static size_t good_frame(unsigned which, uint8_t *f)
{
    static const uint8_t gmac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }, gip[4] = { 10, 0, 2, 15 };
    memset(f, 0, 128);
    memcpy(f + 6, gmac, 6);
    if (which == 0) {                     /* ARP request, broadcast */
        memset(f, 0xff, 6);
        net_put16(f + 12, ETH_TYPE_ARP);
        static const uint8_t arp[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };
        memcpy(f + 14, arp, 8);
        memcpy(f + 22, gmac, 6);
        memcpy(f + 28, gip, 4);
        memcpy(f + 38, ep.ip, 4);
        return 42;
    }
    memcpy(f, ep.mac, 6);
    net_put16(f + 12, ETH_TYPE_IPV4);
    uint8_t *h = f + ETH_HLEN, *l4 = h + IPV4_HLEN_MIN;
    size_t n = 64;                        /* ICMP or UDP bytes */
    h[0] = 0x45;
    net_put16(h + 2, (uint16_t)(IPV4_HLEN_MIN + n));
    h[8] = 64;
    h[9] = which == 1 ? IPV4_PROTO_ICMP : IPV4_PROTO_UDP;
    memcpy(h + 12, gip, 4);
    memcpy(h + 16, ep.ip, 4);
    if (which == 1) {
        l4[0] = ICMP_ECHO_REQUEST;
    } else {
        net_put16(l4, 40000);
        net_put16(l4 + 2, which == 2 ? UDP_PORT_ECHO : 9);
        net_put16(l4 + 4, (uint16_t)n);
    }
    return ETH_HLEN + IPV4_HLEN_MIN + n;  /* checksums: fix_checksums() */
}

static void check_reply(const uint8_t *in, const uint8_t *r, size_t n, enum net_verdict v)
{
    if (n < ETH_HLEN || memcmp(r, in + 6, ETH_ALEN) || memcmp(r + 6, ep.mac, ETH_ALEN))
        abort();
    uint16_t type = net_get16(r + 12);
    if (v == NET_ARP_REPLY) {
        if (type != ETH_TYPE_ARP || n != ETH_HLEN + sizeof(struct arp_ipv4) || net_get16(r + 20) != ARP_OP_REPLY)
            abort();
        return;
    }
    const uint8_t *h = r + ETH_HLEN;
    if (type != ETH_TYPE_IPV4 || n < ETH_HLEN + IPV4_HLEN_MIN + 8 || h[0] != 0x45 ||
        net_get16(h + 2) != n - ETH_HLEN || csum(0, h, IPV4_HLEN_MIN) != 0 || memcmp(h + 12, ep.ip, 4))
        abort();
    const uint8_t *l4 = h + IPV4_HLEN_MIN;
    size_t l4n = n - ETH_HLEN - IPV4_HLEN_MIN;
    if (v == NET_ICMP_ECHO && (h[9] != IPV4_PROTO_ICMP || l4[0] != ICMP_ECHO_REPLY || csum(0, l4, l4n) != 0))
        abort();
    if (v == NET_UDP_ECHO && (h[9] != IPV4_PROTO_UDP || net_get16(l4 + 4) != l4n || net_get16(l4 + 6) == 0 ||
                              csum(pseudo(h + 12, h + 16, (uint16_t)l4n), l4, l4n) != 0))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t ctl = data[0];
    size_t len = size - 1;
    uint8_t *in = malloc(len ? len : 1);   /* exactly the frame: ASan sees any over-read */
    if (!in)
        return 0;
    memcpy(in, data + 1, len);
    if (ctl & 16) {
        uint8_t good[128];
        size_t glen = good_frame(ctl >> 5 & 3, good);
        fix_checksums(good, glen, 3);     /* a good frame: its checksums right */
        for (size_t i = 0; i < len && i < glen; i++)
            in[i] ^= good[i];
    }
    fix_checksums(in, len, ctl);
    unsigned sel = ctl >> 2 & 3;
    size_t cap = sel == 0 ? len : sel == 1 ? (len ? len - 1 : 0) : sel == 2 ? ETH_FRAME_MAX : 0;
    uint8_t *out = malloc(cap + 64);
    if (!out) {
        free(in);
        return 0;
    }
    memset(out, 0xa5, cap + 64);
    size_t out_len = 77;
    enum net_verdict v = net_ep_input(&ep, in, len, out, cap, &out_len);
    if ((unsigned)v >= NET_VERDICTS || out_len > len || out_len > cap)
        abort();
    for (size_t i = out_len; i < cap + 64; i++)
        if (out[i] != 0xa5)
            abort();      /* written past the reply (or past the buffer) */
    if (out_len) {
        if (v != NET_ARP_REPLY && v != NET_ICMP_ECHO && v != NET_UDP_ECHO)
            abort();
        check_reply(in, out, out_len, v);
    }
    free(out);
    free(in);
    return 0;
}
