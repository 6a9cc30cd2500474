/**
 * @file net_endpoint.c
 * @brief The network endpoint (net_endpoint.h): ARP, ICMP echo, UDP echo.
 *
 * Each header is copied out of the frame into a local structure before a
 * field of it is looked at (the frame is guest memory's copy, but the
 * habit costs nothing and makes every read's bound visible: the copy's
 * size was checked against what is left of the frame).  The checks, in
 * the order a frame meets them:
 *
 *     Ethernet  14 bytes at least, ETH_FRAME_MAX at most; for us (our MAC
 *               or broadcast) from a unicast source; EtherType ARP or IPv4
 *     ARP       28 bytes; Ethernet/IPv4 (1, 0x0800, 6, 4); a REQUEST for
 *               our IP -> REPLY (RFC 826 "Packet Reception")
 *     IPv4      20 bytes; version 4, IHL >= 5; IHL*4 <= total length <=
 *               what the frame holds (padding after it is ignored); the
 *               header checksum; not a fragment; to our IP from a
 *               unicast source (RFC 1122 §3.2.2: never answer a
 *               broadcast or multicast source)
 *     ICMP      8 bytes at least, checksum over the message; type 8 code
 *               0 -> type 0 with the same identifier, sequence and data
 *     UDP       8 <= length <= the datagram's data; checksum unless 0
 *               (RFC 768: 0 means the sender computed none); to port 7
 *               from a port other than 0 -> the same data back
 *
 * A reply has a fresh IPv4 header without options (IHL 5), TTL 64, and
 * both checksums computed here, and goes to the request's source MAC:
 * the endpoint keeps no ARP table, it answers whoever asked.
 */
#include "net/net_endpoint.h"

#include <stdbool.h>

#include "spectrum/exercise.h"
#include "spectrum/string.h"   /* memcpy & co.: the kernel's, or the C library's in hosted builds */

static const char *const verdict_names[NET_VERDICTS] = {
    [NET_ARP_REPLY] = "arp",
    [NET_ICMP_ECHO] = "icmp echo",
    [NET_UDP_ECHO] = "udp echo",
    [NET_OTHER] = "other",
    [NET_RUNT] = "runt frame",
    [NET_OVERSIZE] = "oversized frame",
    [NET_ARP_FORMAT] = "arp format",
    [NET_IP_HEADER] = "ip header",
    [NET_IP_LENGTH] = "ip total length",
    [NET_IP_CHECKSUM] = "ip checksum",
    [NET_IP_FRAGMENT] = "ip fragment",
    [NET_ICMP_LENGTH] = "icmp length",
    [NET_ICMP_CHECKSUM] = "icmp checksum",
    [NET_UDP_LENGTH] = "udp length",
    [NET_UDP_CHECKSUM] = "udp checksum",
};

const char *net_verdict_name(enum net_verdict v)
{
    return (unsigned)v < NET_VERDICTS ? verdict_names[v] : "?";
}

uint32_t net_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
    uint64_t s = sum;
    for (size_t i = 0; i + 1 < len; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        s += (uint32_t)p[len - 1] << 8;
    /* End-around carry (RFC 1071 §2 (B)): folding early changes nothing. */
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint32_t)s;
}

uint16_t net_csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* A frame in, split as the checks go, and the reply being built. */
struct frame {
    const struct net_ep *ep;
    const uint8_t *in;
    size_t len;
    struct eth_hdr eth;
    uint8_t *out;
    size_t out_cap;
    size_t *out_len;
};

static bool is_broadcast_mac(const uint8_t *m)
{
    static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    return memcmp(m, bcast, ETH_ALEN) == 0;
}

/* 0.0.0.0, 255.255.255.255, 224/4 (multicast) and 240/4 (reserved) are
 * no one to answer (RFC 1122 §3.2.1.3, §3.2.2). */
static bool is_unicast_ip(const uint8_t *a)
{
    static const uint8_t zero[IPV4_ALEN];
    return memcmp(a, zero, IPV4_ALEN) != 0 && a[0] < 224;
}

/* The Ethernet header of a reply to f: back to the sender. */
static void reply_eth(const struct frame *f, uint16_t type)
{
    struct eth_hdr e;
    memcpy(e.dst, f->eth.src, ETH_ALEN);
    memcpy(e.src, f->ep->mac, ETH_ALEN);
    net_put16(e.type, type);
    memcpy(f->out, &e, sizeof e);
}

/* Room for a reply of n bytes? */
static bool room(const struct frame *f, size_t n)
{
    return n <= f->out_cap && n <= f->len;
}

static enum net_verdict arp_input(const struct frame *f)
{
    struct arp_ipv4 a;
    if (f->len - ETH_HLEN < sizeof a)
        return NET_RUNT;
    memcpy(&a, f->in + ETH_HLEN, sizeof a);
    if (net_get16(a.htype) != ARP_HTYPE_ETHER || net_get16(a.ptype) != ETH_TYPE_IPV4 || a.hlen != ETH_ALEN ||
        a.plen != IPV4_ALEN)
        return NET_ARP_FORMAT;
    if (net_get16(a.op) != ARP_OP_REQUEST || memcmp(a.tpa, f->ep->ip, IPV4_ALEN) != 0)
        return NET_OTHER;
    /* RFC 826 "Packet Reception": swap sender and target, fill in our
     * hardware address as the sender's, opcode REPLY. */
    struct arp_ipv4 r = a;
    net_put16(r.op, ARP_OP_REPLY);
    memcpy(r.tha, a.sha, ETH_ALEN);
    memcpy(r.tpa, a.spa, IPV4_ALEN);
    memcpy(r.sha, f->ep->mac, ETH_ALEN);
    memcpy(r.spa, f->ep->ip, IPV4_ALEN);
    size_t n = ETH_HLEN + sizeof r;
    if (!room(f, n))
        return NET_ARP_REPLY;
    reply_eth(f, ETH_TYPE_ARP);
    memcpy(f->out + ETH_HLEN, &r, sizeof r);
    *f->out_len = n;
    return NET_ARP_REPLY;
}

/* The reply's IPv4 header: from us to @p to, @p data_len bytes after it. */
static void reply_ip(const struct frame *f, const struct ipv4_hdr *req, uint8_t proto, size_t data_len)
{
    struct ipv4_hdr h;
    memset(&h, 0, sizeof h);
    h.ver_ihl = 0x45;
    net_put16(h.total_len, (uint16_t)(IPV4_HLEN_MIN + data_len));
    memcpy(h.id, req->id, 2);
    h.ttl = IPV4_TTL;
    h.proto = proto;
    memcpy(h.src, f->ep->ip, IPV4_ALEN);
    memcpy(h.dst, req->src, IPV4_ALEN);
    net_put16(h.csum, net_csum_fold(net_csum_add(0, (const uint8_t *)&h, sizeof h)));
    memcpy(f->out + ETH_HLEN, &h, sizeof h);
}

static enum net_verdict icmp_input(const struct frame *f, const struct ipv4_hdr *ip, const uint8_t *msg, size_t len)
{
    struct icmp_echo e;
    if (len < sizeof e)
        return NET_ICMP_LENGTH;
    if (net_csum_fold(net_csum_add(0, msg, len)) != 0)
        return NET_ICMP_CHECKSUM;
    memcpy(&e, msg, sizeof e);
    if (e.type != ICMP_ECHO_REQUEST || e.code != 0)
        return NET_OTHER;
    size_t n = ETH_HLEN + IPV4_HLEN_MIN + len;
    if (!room(f, n))
        return NET_ICMP_ECHO;
    uint8_t *o = f->out + ETH_HLEN + IPV4_HLEN_MIN;
    /* EXERCISE 04.icmp-echo 10 "Build the echo reply: the request's data, identifier and sequence number, type 0 code 0, the checksum anew (RFC 792, RFC 1071)" */
    /* RFC 792 "Echo or Echo Reply Message": the data, identifier and
     * sequence number come back unchanged, type 0, the checksum anew
     * over the whole message with its checksum field zero. */
    memcpy(o, msg, len);
    o[0] = ICMP_ECHO_REPLY;
    o[1] = 0;
    net_put16(o + 2, 0);
    net_put16(o + 2, net_csum_fold(net_csum_add(0, o, len)));
    /* STUB
    EXERCISE_TODO();
    (void)o;
    return NET_ICMP_ECHO;
    STUB END */
    /* END EXERCISE 04.icmp-echo */
    reply_eth(f, ETH_TYPE_IPV4);
    reply_ip(f, ip, IPV4_PROTO_ICMP, len);
    *f->out_len = n;
    return NET_ICMP_ECHO;
}

/* The UDP checksum's sum over the pseudo-header (RFC 768): source,
 * destination, zero, protocol, UDP length. */
static uint32_t udp_pseudo(const uint8_t *src, const uint8_t *dst, uint16_t udp_len)
{
    uint8_t p[12];
    memcpy(p, src, IPV4_ALEN);
    memcpy(p + 4, dst, IPV4_ALEN);
    p[8] = 0;
    p[9] = IPV4_PROTO_UDP;
    net_put16(p + 10, udp_len);
    return net_csum_add(0, p, sizeof p);
}

static enum net_verdict udp_input(const struct frame *f, const struct ipv4_hdr *ip, const uint8_t *seg, size_t len)
{
    struct udp_hdr u;
    if (len < sizeof u)
        return NET_UDP_LENGTH;
    memcpy(&u, seg, sizeof u);
    uint16_t ulen = net_get16(u.len);
    /* The IP datagram may carry bytes after the UDP length (then they are
     * not the datagram's); a UDP length past the datagram is a lie. */
    if (ulen < sizeof u || ulen > len)
        return NET_UDP_LENGTH;
    if (net_get16(u.csum) != 0 && net_csum_fold(net_csum_add(udp_pseudo(ip->src, ip->dst, ulen), seg, ulen)) != 0)
        return NET_UDP_CHECKSUM;
    if (net_get16(u.dst_port) != UDP_PORT_ECHO || net_get16(u.src_port) == 0)
        return NET_OTHER;
    size_t n = ETH_HLEN + IPV4_HLEN_MIN + ulen;
    if (!room(f, n))
        return NET_UDP_ECHO;
    uint8_t *o = f->out + ETH_HLEN + IPV4_HLEN_MIN;
    struct udp_hdr r;
    memcpy(r.src_port, u.dst_port, 2);
    memcpy(r.dst_port, u.src_port, 2);
    net_put16(r.len, ulen);
    net_put16(r.csum, 0);
    memcpy(o, &r, sizeof r);
    memcpy(o + sizeof r, seg + sizeof u, ulen - sizeof u);
    /* RFC 768: a computed checksum of 0 is sent as all ones (0 means none). */
    uint16_t c = net_csum_fold(net_csum_add(udp_pseudo(f->ep->ip, ip->src, ulen), o, ulen));
    net_put16(o + 6, c ? c : 0xffff);
    reply_eth(f, ETH_TYPE_IPV4);
    reply_ip(f, ip, IPV4_PROTO_UDP, ulen);
    *f->out_len = n;
    return NET_UDP_ECHO;
}

static enum net_verdict ipv4_input(const struct frame *f)
{
    struct ipv4_hdr h;
    size_t avail = f->len - ETH_HLEN;
    const uint8_t *p = f->in + ETH_HLEN;
    if (avail < sizeof h)
        return NET_RUNT;
    memcpy(&h, p, sizeof h);
    size_t ihl = (size_t)(h.ver_ihl & 15) * 4;
    size_t total = net_get16(h.total_len);
    if (h.ver_ihl >> 4 != 4 || ihl < IPV4_HLEN_MIN)
        return NET_IP_HEADER;
    /* RFC 791: total length counts header and data; the frame may be
     * longer (Ethernet pads to 60 bytes), never shorter. */
    if (total < ihl || total > avail)
        return NET_IP_LENGTH;
    if (net_csum_fold(net_csum_add(0, p, ihl)) != 0)
        return NET_IP_CHECKSUM;
    if (net_get16(h.frag) & IPV4_FRAG_MASK)
        return NET_IP_FRAGMENT;
    if (memcmp(h.dst, f->ep->ip, IPV4_ALEN) != 0 || !is_unicast_ip(h.src))
        return NET_OTHER;
    switch (h.proto) {
    case IPV4_PROTO_ICMP: return icmp_input(f, &h, p + ihl, total - ihl);
    case IPV4_PROTO_UDP: return udp_input(f, &h, p + ihl, total - ihl);
    default: return NET_OTHER;
    }
}

enum net_verdict net_ep_input(const struct net_ep *ep, const uint8_t *in, size_t len, uint8_t *out, size_t out_cap,
                              size_t *out_len)
{
    struct frame f = { ep, in, len, { { 0 }, { 0 }, { 0 } }, out, out_cap, out_len };
    *out_len = 0;
    if (len < ETH_HLEN)
        return NET_RUNT;
    if (len > ETH_FRAME_MAX)
        return NET_OVERSIZE;
    memcpy(&f.eth, in, sizeof f.eth);
    /* For us: our MAC or broadcast; from a unicast MAC (bit 0 of the
     * first byte is the group bit, IEEE 802 §8.2): a reply must not go
     * to a group. */
    if ((memcmp(f.eth.dst, ep->mac, ETH_ALEN) != 0 && !is_broadcast_mac(f.eth.dst)) || (f.eth.src[0] & 1))
        return NET_OTHER;
    switch (net_get16(f.eth.type)) {
    case ETH_TYPE_ARP: return arp_input(&f);
    case ETH_TYPE_IPV4: return ipv4_input(&f);
    default: return NET_OTHER;
    }
}
