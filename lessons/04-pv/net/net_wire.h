/**
 * @file net_wire.h
 * @brief The wire layouts the network endpoint (net_endpoint.c) reads
 *        and writes: Ethernet II, ARP for IPv4 over Ethernet, the IPv4
 *        header, ICMP echo and UDP - every field in network byte order
 *        (big-endian), every structure made of bytes only, so it has no
 *        padding and no alignment: a frame is copied into one with
 *        memcpy, never cast.
 *
 * Sources: Ethernet II (DIX) framing as in IEEE 802.3 §3.2.6 "Length/Type";
 * RFC 826 (ARP), RFC 791 (IPv4), RFC 792 (ICMP), RFC 768 (UDP), RFC 1071
 * (the Internet checksum), RFC 862 (the echo service, port 7).
 */
#ifndef SPECTRUM_NET_WIRE_H
#define SPECTRUM_NET_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define ETH_ALEN        6u      /**< bytes of a MAC address */
#define ETH_HLEN        14u     /**< destination, source, type */
#define ETH_DATA_MAX    1500u   /**< the largest payload (the MTU) */
#define ETH_FRAME_MAX   (ETH_HLEN + ETH_DATA_MAX)  /**< 1514: a frame without its FCS, as a driver hands it over */
#define ETH_TYPE_IPV4   0x0800u /**< EtherType of IPv4 (RFC 894) */
#define ETH_TYPE_ARP    0x0806u /**< EtherType of ARP (RFC 826) */

#define ARP_HTYPE_ETHER 1u      /**< ar$hrd: Ethernet (RFC 826) */
#define ARP_OP_REQUEST  1u      /**< ar$op: REQUEST */
#define ARP_OP_REPLY    2u      /**< ar$op: REPLY */

#define IPV4_ALEN       4u      /**< bytes of an IPv4 address */
#define IPV4_HLEN_MIN   20u     /**< a header without options: IHL 5 */
#define IPV4_FLAG_MF    0x2000u /**< "more fragments" in the flags/fragment-offset field */
#define IPV4_FRAG_MASK  0x3fffu /**< MF and the fragment offset: a whole datagram has all zero */
#define IPV4_PROTO_ICMP 1u      /**< RFC 792 */
#define IPV4_PROTO_UDP  17u     /**< RFC 768 */
#define IPV4_TTL        64u     /**< the TTL of the endpoint's datagrams (RFC 1700's default) */

#define ICMP_ECHO_REPLY   0u    /**< RFC 792: type 0 */
#define ICMP_ECHO_REQUEST 8u    /**< RFC 792: type 8 */
#define UDP_PORT_ECHO     7u    /**< RFC 862 */

/** @brief Ethernet II header. */
struct eth_hdr {
    uint8_t dst[ETH_ALEN];   /**< destination MAC */
    uint8_t src[ETH_ALEN];   /**< source MAC */
    uint8_t type[2];         /**< EtherType (>= 0x600: a type, not an 802.3 length) */
};
_Static_assert(sizeof(struct eth_hdr) == ETH_HLEN, "Ethernet II header: 14 bytes");

/** @brief An ARP packet for IPv4 over Ethernet (RFC 826 "Packet format"). */
struct arp_ipv4 {
    uint8_t htype[2];        /**< ar$hrd: hardware type, 1 = Ethernet */
    uint8_t ptype[2];        /**< ar$pro: protocol type, 0x0800 = IPv4 */
    uint8_t hlen;            /**< ar$hln: 6 */
    uint8_t plen;            /**< ar$pln: 4 */
    uint8_t op[2];           /**< ar$op: 1 request, 2 reply */
    uint8_t sha[ETH_ALEN];   /**< ar$sha: sender MAC */
    uint8_t spa[IPV4_ALEN];  /**< ar$spa: sender IP */
    uint8_t tha[ETH_ALEN];   /**< ar$tha: target MAC (unknown in a request) */
    uint8_t tpa[IPV4_ALEN];  /**< ar$tpa: target IP */
};
_Static_assert(sizeof(struct arp_ipv4) == 28, "RFC 826 for Ethernet/IPv4: 28 bytes");
_Static_assert(offsetof(struct arp_ipv4, op) == 6 && offsetof(struct arp_ipv4, tpa) == 24, "RFC 826 layout");

/** @brief The IPv4 header without options (RFC 791 §3.1). */
struct ipv4_hdr {
    uint8_t ver_ihl;         /**< version (4) in bits 7:4, header length in 32-bit words in 3:0 */
    uint8_t tos;             /**< type of service */
    uint8_t total_len[2];    /**< header + data, in bytes */
    uint8_t id[2];           /**< identification */
    uint8_t frag[2];         /**< flags (bit 13: MF) and fragment offset */
    uint8_t ttl;             /**< time to live */
    uint8_t proto;           /**< 1 ICMP, 17 UDP */
    uint8_t csum[2];         /**< header checksum (RFC 1071) */
    uint8_t src[IPV4_ALEN];  /**< source address */
    uint8_t dst[IPV4_ALEN];  /**< destination address */
};
_Static_assert(sizeof(struct ipv4_hdr) == IPV4_HLEN_MIN, "RFC 791: 20 bytes without options");
_Static_assert(offsetof(struct ipv4_hdr, csum) == 10 && offsetof(struct ipv4_hdr, dst) == 16, "RFC 791 layout");

/** @brief The first 8 bytes of an ICMP echo or echo reply (RFC 792). */
struct icmp_echo {
    uint8_t type;            /**< 8 request, 0 reply */
    uint8_t code;            /**< 0 */
    uint8_t csum[2];         /**< checksum of the whole ICMP message */
    uint8_t id[2];           /**< identifier */
    uint8_t seq[2];          /**< sequence number */
};
_Static_assert(sizeof(struct icmp_echo) == 8, "RFC 792 echo header: 8 bytes");

/** @brief The UDP header (RFC 768). */
struct udp_hdr {
    uint8_t src_port[2];     /**< source port (0: no reply wanted) */
    uint8_t dst_port[2];     /**< destination port */
    uint8_t len[2];          /**< header + data, in bytes (>= 8) */
    uint8_t csum[2];         /**< over pseudo-header, header and data; 0 = none */
};
_Static_assert(sizeof(struct udp_hdr) == 8, "RFC 768 header: 8 bytes");

/** @brief The big-endian 16-bit field at @p p. */
static inline uint16_t net_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/** @brief Store @p v big-endian at @p p. */
static inline void net_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

#endif
