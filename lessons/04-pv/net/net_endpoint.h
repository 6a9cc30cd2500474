/**
 * @file net_endpoint.h
 * @brief A tiny network host inside Spectrum, the other end of a guest's
 *        virtio-net cable: it answers ARP requests for its address
 *        (RFC 826), ICMP echo requests (RFC 792: what `ping` sends) and
 *        UDP datagrams to the echo port 7 (RFC 862, over RFC 768), and
 *        drops everything else, counted by reason.
 *
 * A pure function, frame in -> at most one frame out, with no state but
 * its address: the device (virtio/virtio_net.c) calls it, the unit test
 * and the libFuzzer target call it on byte arrays.  Every length and
 * offset in the frame is the guest's and hostile; a reply is built only
 * from bytes the checks have covered, and is never longer than the
 * frame it answers (the fuzzer checks that bound).
 *
 * The addresses (QEMU's user network uses the same plan): the endpoint
 * is 10.0.2.2 with MAC 52:54:00:00:02:02; the guest is 10.0.2.15/24 with
 * the MAC the device's configuration space gives it, 52:54:00:12:34:56.
 */
#ifndef SPECTRUM_NET_ENDPOINT_H
#define SPECTRUM_NET_ENDPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "net/net_wire.h"

/** The endpoint's IPv4 address, 10.0.2.2, as bytes. */
#define NET_EP_IP_INIT  { 10, 0, 2, 2 }
/** Its MAC: locally administered (bit 1 of the first byte), unicast (bit 0 clear). */
#define NET_EP_MAC_INIT { 0x52, 0x54, 0x00, 0x00, 0x02, 0x02 }

/** @brief The endpoint's identity. */
struct net_ep {
    uint8_t mac[ETH_ALEN];   /**< its Ethernet address */
    uint8_t ip[IPV4_ALEN];   /**< its IPv4 address */
};

/**
 * @brief What the endpoint made of one frame.  The first three answer
 *        (one frame out), NET_OTHER is a well-formed frame that is not
 *        for it, the rest are malformed frames, each a rule a hostile
 *        guest can break, dropped and counted by name.
 */
enum net_verdict {
    NET_ARP_REPLY = 0,   /**< "arp": an ARP request for its IP, answered */
    NET_ICMP_ECHO,       /**< "icmp echo": an echo request, answered with an echo reply */
    NET_UDP_ECHO,        /**< "udp echo": a datagram to port 7, sent back */
    NET_OTHER,           /**< "other": well-formed, not for the endpoint (or no reply wanted) */
    NET_RUNT,            /**< shorter than the Ethernet header or the ARP/IPv4 header it announces */
    NET_OVERSIZE,        /**< longer than ETH_FRAME_MAX */
    NET_ARP_FORMAT,      /**< ARP that is not Ethernet/IPv4 (htype, ptype, hlen, plen) */
    NET_IP_HEADER,       /**< version not 4, or IHL below 5 */
    NET_IP_LENGTH,       /**< total length below the header length or past the frame's end */
    NET_IP_CHECKSUM,     /**< header checksum wrong */
    NET_IP_FRAGMENT,     /**< MF set or a fragment offset: not reassembled */
    NET_ICMP_LENGTH,     /**< an ICMP message shorter than its 8-byte header */
    NET_ICMP_CHECKSUM,   /**< ICMP checksum wrong */
    NET_UDP_LENGTH,      /**< UDP length below 8 or past the IP datagram's end */
    NET_UDP_CHECKSUM,    /**< UDP checksum (not 0) wrong */
    NET_VERDICTS
};

/** First malformed verdict: a verdict >= this is a frame that broke a rule. */
#define NET_MALFORMED_FIRST NET_RUNT

/** @brief A verdict's name for Spectrum's lines ("ip checksum"); "?" if out of range. */
const char *net_verdict_name(enum net_verdict v);

/**
 * @brief Take one frame from the guest and perhaps answer it.
 * @param ep       the endpoint's addresses
 * @param in       the frame: Ethernet header first, no FCS
 * @param len      its length in bytes (any: the endpoint checks it)
 * @param out      where the reply goes; may not overlap @p in
 * @param out_cap  bytes at @p out
 * @param out_len  set to the reply's length: 0 (no reply) or at most
 *                 min(@p len, @p out_cap)
 * @return the verdict (NET_ARP_REPLY, NET_ICMP_ECHO, NET_UDP_ECHO: a
 *         reply in @p out, unless it did not fit @p out_cap, when the
 *         verdict stays and *out_len is 0)
 */
enum net_verdict net_ep_input(const struct net_ep *ep, const uint8_t *in, size_t len, uint8_t *out, size_t out_cap,
                              size_t *out_len);

/**
 * @brief The Internet checksum's running sum (RFC 1071): add @p len bytes
 *        at @p p, as big-endian 16-bit words, to @p sum; an odd last byte
 *        is padded with a zero.  Only the last piece of a sum may be odd.
 */
uint32_t net_csum_add(uint32_t sum, const uint8_t *p, size_t len);

/** @brief Fold a running sum to 16 bits and complement it: the checksum field's value. */
uint16_t net_csum_fold(uint32_t sum);

#endif
