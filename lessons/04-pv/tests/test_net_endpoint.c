/**
 * @file test_net_endpoint.c
 * @brief Unit tests of the network endpoint (net/net_endpoint.c): the
 *        Internet checksum against RFC 1071's example and a real IPv4
 *        header, every answer (ARP, ICMP echo, UDP echo) field by field,
 *        and every rule a malformed frame can break, each with its
 *        verdict and no reply.  Frames come from net_test_frames.h,
 *        whose checksums do not use the endpoint's code.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "check_main.h"
#include "net/net_endpoint.h"
#include "net_test_frames.h"

static const struct net_ep ep = { NET_EP_MAC_INIT, NET_EP_IP_INIT };
static uint8_t in[2048];
static uint8_t out[2048];
static size_t out_len;

/* Run the endpoint on in[0..len) with the whole of out[]; every reply is
 * at most as long as the frame. */
static enum net_verdict run(size_t len)
{
    memset(out, 0xee, sizeof out);
    out_len = 12345;
    enum net_verdict v = net_ep_input(&ep, in, len, out, ETH_FRAME_MAX, &out_len);
    ck_assert_uint_le(out_len, len);
    ck_assert_uint_le(out_len, ETH_FRAME_MAX);
    return v;
}

/* Expect @p v and no reply. */
static void dropped(size_t len, enum net_verdict v)
{
    ck_assert_str_eq(net_verdict_name(run(len)), net_verdict_name(v));
    ck_assert_uint_eq(out_len, 0);
}

START_TEST(checksum_vectors)
{
    /* RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, so the field is 220d. */
    static const uint8_t rfc[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
    ck_assert_uint_eq(net_csum_fold(net_csum_add(0, rfc, sizeof rfc)), 0x220d);
    /* The same bytes in two pieces (the first even), as the UDP pseudo-header is added. */
    ck_assert_uint_eq(net_csum_fold(net_csum_add(net_csum_add(0, rfc, 4), rfc + 4, 4)), 0x220d);
    /* An IPv4 header with its checksum b861 in place verifies to 0. */
    static const uint8_t ip[] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                  0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
    ck_assert_uint_eq(net_csum_fold(net_csum_add(0, ip, sizeof ip)), 0);
    /* An odd length pads with a zero byte: 01 02 03 = 0102 + 0300. */
    static const uint8_t odd[] = { 1, 2, 3 };
    ck_assert_uint_eq(net_csum_fold(net_csum_add(0, odd, 3)), (uint16_t)~0x0402);
    /* A long run of ff bytes must fold, not overflow. */
    static uint8_t ff[1500];
    memset(ff, 0xff, sizeof ff);
    ck_assert_uint_eq(net_csum_fold(net_csum_add(0, ff, sizeof ff)), 0);
}
END_TEST

START_TEST(arp_request_answered)
{
    size_t n = nt_arp_request(in, nt_guest_mac, nt_guest_ip, nt_ep_ip);
    ck_assert_int_eq(run(n), NET_ARP_REPLY);
    ck_assert_uint_eq(out_len, 42);
    ck_assert(!memcmp(out, nt_guest_mac, 6));          /* to the asker */
    ck_assert(!memcmp(out + 6, nt_ep_mac, 6));
    ck_assert_uint_eq(nt_get16(out + 12), 0x0806);
    const uint8_t *a = out + 14;
    ck_assert_uint_eq(nt_get16(a), 1);
    ck_assert_uint_eq(nt_get16(a + 2), 0x0800);
    ck_assert_uint_eq(a[4], 6);
    ck_assert_uint_eq(a[5], 4);
    ck_assert_uint_eq(nt_get16(a + 6), 2);              /* REPLY */
    ck_assert(!memcmp(a + 8, nt_ep_mac, 6));           /* sender: the endpoint */
    ck_assert(!memcmp(a + 14, nt_ep_ip, 4));
    ck_assert(!memcmp(a + 18, nt_guest_mac, 6));       /* target: the asker */
    ck_assert(!memcmp(a + 24, nt_guest_ip, 4));
    /* Ethernet pads short frames to 60 bytes: the padding changes nothing. */
    memset(in + 42, 0, 18);
    ck_assert_int_eq(run(60), NET_ARP_REPLY);
    ck_assert_uint_eq(out_len, 42);
    /* A unicast request to the endpoint's MAC (Linux's reachability probe). */
    memcpy(in, nt_ep_mac, 6);
    ck_assert_int_eq(run(42), NET_ARP_REPLY);
}
END_TEST

START_TEST(arp_not_for_us)
{
    static const uint8_t other_ip[4] = { 10, 0, 2, 3 };
    size_t n = nt_arp_request(in, nt_guest_mac, nt_guest_ip, other_ip);
    dropped(n, NET_OTHER);
    nt_arp_request(in, nt_guest_mac, nt_guest_ip, nt_ep_ip);
    nt_put16(in + 14 + 6, 2);                          /* a reply (gratuitous ARP) */
    dropped(n, NET_OTHER);
    nt_arp_request(in, nt_guest_mac, nt_guest_ip, nt_ep_ip);
    memcpy(in, nt_guest_mac, 6);                       /* to someone else's MAC */
    dropped(n, NET_OTHER);
    nt_arp_request(in, nt_guest_mac, nt_guest_ip, nt_ep_ip);
    in[6] |= 1;                                        /* from a group address */
    dropped(n, NET_OTHER);
}
END_TEST

START_TEST(arp_malformed)
{
    size_t n = nt_arp_request(in, nt_guest_mac, nt_guest_ip, nt_ep_ip);
    dropped(n - 1, NET_RUNT);                         /* 27 bytes of ARP */
    dropped(ETH_HLEN, NET_RUNT);
    in[14 + 4] = 8;                                    /* hlen 8 */
    dropped(n, NET_ARP_FORMAT);
    nt_arp_request(in, nt_guest_mac, nt_guest_ip, nt_ep_ip);
    nt_put16(in + 14 + 2, 0x86dd);                     /* ptype IPv6 */
    dropped(n, NET_ARP_FORMAT);
    nt_arp_request(in, nt_guest_mac, nt_guest_ip, nt_ep_ip);
    nt_put16(in + 14, 6);                              /* htype IEEE 802 */
    dropped(n, NET_ARP_FORMAT);
}
END_TEST

START_TEST(runt_and_oversized)
{
    memset(in, 0xff, sizeof in);
    dropped(0, NET_RUNT);
    dropped(13, NET_RUNT);
    nt_icmp_echo(in, 1, 1, 56);
    dropped(ETH_FRAME_MAX + 1, NET_OVERSIZE);
    dropped(sizeof in, NET_OVERSIZE);
    nt_eth(in, nt_ep_mac, nt_guest_mac, 0x86dd);       /* IPv6: not spoken here */
    dropped(100, NET_OTHER);
}
END_TEST

START_TEST(icmp_echo_answered)
{
    size_t n = nt_icmp_echo(in, 0x4242, 7, 56);        /* ping's default: 98 bytes */
    ck_assert_uint_eq(n, 98);
    ck_assert_int_eq(run(n), NET_ICMP_ECHO);
    ck_assert_uint_eq(out_len, 98);
    ck_assert(nt_ip_reply_ok(out, out_len, 1));
    const uint8_t *m = out + 34;
    ck_assert_uint_eq(m[0], 0);                         /* echo reply */
    ck_assert_uint_eq(m[1], 0);
    ck_assert_uint_eq(nt_get16(m + 4), 0x4242);
    ck_assert_uint_eq(nt_get16(m + 6), 7);
    ck_assert(!memcmp(m + 8, in + 34 + 8, 56));         /* the data, unchanged */
    ck_assert_uint_eq(nt_sum(0, m, 64), 0xffff);        /* its checksum is right */
    /* The largest echo: 1472 bytes of data fill a 1514-byte frame. */
    n = nt_icmp_echo(in, 1, 2, 1472);
    ck_assert_uint_eq(n, ETH_FRAME_MAX);
    ck_assert_int_eq(run(n), NET_ICMP_ECHO);
    ck_assert_uint_eq(out_len, ETH_FRAME_MAX);
    ck_assert_uint_eq(nt_sum(0, out + 34, 1480), 0xffff);
    /* No data at all; an odd length. */
    n = nt_icmp_echo(in, 1, 3, 0);
    ck_assert_int_eq(run(n), NET_ICMP_ECHO);
    ck_assert_uint_eq(out_len, 42);
    n = nt_icmp_echo(in, 1, 4, 11);
    ck_assert_int_eq(run(n), NET_ICMP_ECHO);
    ck_assert_uint_eq(nt_sum(0, out + 34, 19), 0xffff);
}
END_TEST

START_TEST(icmp_padding_and_options)
{
    /* Padding after the datagram (a 60-byte minimum frame) is not echoed. */
    size_t n = nt_icmp_echo(in, 1, 1, 4);
    ck_assert_uint_eq(n, 46);
    memset(in + n, 0xaa, 14);
    ck_assert_int_eq(run(60), NET_ICMP_ECHO);
    ck_assert_uint_eq(out_len, 46);
    ck_assert(nt_ip_reply_ok(out, out_len, 1));
    /* A header with two option words: the reply has none, the same message. */
    uint8_t m[16] = { 8, 0, 0, 0, 0, 9, 0, 1, 'o', 'p', 't', 'i', 'o', 'n', 's', '!' };
    nt_put16(m + 2, nt_csum(0, m, sizeof m));
    n = nt_ipv4(in, 1, m, sizeof m, 2);
    ck_assert_int_eq(run(n), NET_ICMP_ECHO);
    ck_assert_uint_eq(out_len, 14 + 20 + sizeof m);
    ck_assert(nt_ip_reply_ok(out, out_len, 1));
    ck_assert(!memcmp(out + 34 + 8, "options!", 8));
}
END_TEST

START_TEST(ip_malformed)
{
    size_t n = nt_icmp_echo(in, 1, 1, 56);
    dropped(14 + 19, NET_RUNT);                        /* not a whole IPv4 header */
    in[14] = 0x65;                                     /* version 6 */
    nt_fix_ip(in);
    dropped(n, NET_IP_HEADER);
    n = nt_icmp_echo(in, 1, 1, 56);
    in[14] = 0x44;                                     /* IHL 4 */
    dropped(n, NET_IP_HEADER);
    n = nt_icmp_echo(in, 1, 1, 56);
    nt_put16(in + 16, 1000);                           /* total length past the frame */
    nt_fix_ip(in);
    dropped(n, NET_IP_LENGTH);
    n = nt_icmp_echo(in, 1, 1, 56);
    nt_put16(in + 16, 19);                             /* total length inside the header */
    nt_fix_ip(in);
    dropped(n, NET_IP_LENGTH);
    n = nt_icmp_echo(in, 1, 1, 0);                     /* IHL 15 (60 bytes) on a 28-byte datagram */
    in[14] = 0x4f;
    dropped(n, NET_IP_LENGTH);
    n = nt_icmp_echo(in, 1, 1, 56);
    in[14 + 10] ^= 1;                                  /* header checksum off by one */
    dropped(n, NET_IP_CHECKSUM);
    n = nt_icmp_echo(in, 1, 1, 56);
    in[14 + 8] = 1;                                    /* TTL changed, checksum not */
    dropped(n, NET_IP_CHECKSUM);
    n = nt_icmp_echo(in, 1, 1, 56);
    nt_put16(in + 14 + 6, 0x2000);                     /* more fragments */
    nt_fix_ip(in);
    dropped(n, NET_IP_FRAGMENT);
    n = nt_icmp_echo(in, 1, 1, 56);
    nt_put16(in + 14 + 6, 0x0001);                     /* fragment offset 8 */
    nt_fix_ip(in);
    dropped(n, NET_IP_FRAGMENT);
}
END_TEST

START_TEST(ip_not_for_us)
{
    size_t n = nt_icmp_echo(in, 1, 1, 8);
    in[14 + 19] = 3;                                   /* to 10.0.2.3 */
    nt_fix_ip(in);
    dropped(n, NET_OTHER);
    static const uint8_t bad_src[][4] = { { 0, 0, 0, 0 }, { 255, 255, 255, 255 }, { 224, 0, 0, 1 }, { 240, 1, 2, 3 } };
    for (unsigned i = 0; i < 4; i++) {
        n = nt_icmp_echo(in, 1, 1, 8);
        memcpy(in + 14 + 12, bad_src[i], 4);
        nt_fix_ip(in);
        dropped(n, NET_OTHER);
    }
    uint8_t tcp[20] = { 0 };
    n = nt_ipv4(in, 6, tcp, sizeof tcp, 0);            /* TCP */
    dropped(n, NET_OTHER);
    n = nt_icmp_echo(in, 1, 1, 8);
    in[34] = 0;                                        /* an echo reply: not answered */
    nt_put16(in + 36, 0);
    nt_put16(in + 36, nt_csum(0, in + 34, 16));
    dropped(n, NET_OTHER);
    n = nt_icmp_echo(in, 1, 1, 8);
    memcpy(in, nt_bcast, 6);                           /* broadcast MAC, our IP: answered */
    ck_assert_int_eq(run(n), NET_ICMP_ECHO);
}
END_TEST

START_TEST(icmp_malformed)
{
    uint8_t m[7] = { 8, 0, 0, 0, 0, 1, 0 };
    size_t n = nt_ipv4(in, 1, m, sizeof m, 0);
    dropped(n, NET_ICMP_LENGTH);
    n = nt_icmp_echo(in, 1, 1, 56);
    in[34 + 20] ^= 0x40;                               /* a data bit flipped */
    dropped(n, NET_ICMP_CHECKSUM);
}
END_TEST

START_TEST(udp_echo_answered)
{
    static const uint8_t data[] = "spectrum udp echo";
    size_t n = nt_udp(in, 40000, 7, data, sizeof data - 1, true);
    ck_assert_int_eq(run(n), NET_UDP_ECHO);
    ck_assert_uint_eq(out_len, n);
    ck_assert(nt_ip_reply_ok(out, out_len, 17));
    const uint8_t *u = out + 34;
    ck_assert_uint_eq(nt_get16(u), 7);
    ck_assert_uint_eq(nt_get16(u + 2), 40000);
    ck_assert_uint_eq(nt_get16(u + 4), 8 + sizeof data - 1);
    ck_assert(!memcmp(u + 8, data, sizeof data - 1));
    ck_assert_uint_ne(nt_get16(u + 6), 0);
    ck_assert_uint_eq(nt_sum(nt_pseudo(nt_ep_ip, nt_guest_ip, nt_get16(u + 4)), u, nt_get16(u + 4)), 0xffff);
    /* No checksum from the sender: answered, with one. */
    n = nt_udp(in, 40001, 7, data, 5, false);
    ck_assert_int_eq(run(n), NET_UDP_ECHO);
    ck_assert_uint_eq(nt_sum(nt_pseudo(nt_ep_ip, nt_guest_ip, 13), out + 34, 13), 0xffff);
    /* Bytes after the UDP length inside the datagram are not echoed. */
    n = nt_udp(in, 40002, 7, data, 10, true);
    nt_put16(in + 34 + 4, 8 + 4);                      /* UDP says 4 bytes of data */
    nt_put16(in + 34 + 6, 0);
    ck_assert_int_eq(run(n), NET_UDP_ECHO);
    ck_assert_uint_eq(out_len, 14 + 20 + 12);
    ck_assert(nt_ip_reply_ok(out, out_len, 17));
    ck_assert(!memcmp(out + 42, data, 4));
}
END_TEST

/* RFC 768: a computed checksum of 0 goes out as ffff.  Two data bytes
 * are chosen so that the reply's sum is ffff: the field would be 0. */
START_TEST(udp_zero_checksum_sent_as_ones)
{
    uint8_t data[4] = { 0, 0, 0x12, 0x34 };
    size_t n = nt_udp(in, 5555, 7, data, 4, false);
    /* The reply sums the same words (addresses and ports swapped). */
    uint16_t s = nt_sum(nt_pseudo(nt_ep_ip, nt_guest_ip, 12), in + 34, 12);
    nt_put16(in + 42, (uint16_t)~s);
    ck_assert_int_eq(run(n), NET_UDP_ECHO);
    ck_assert_uint_eq(nt_get16(out + 34 + 6), 0xffff);
}
END_TEST

START_TEST(udp_malformed_or_not_for_us)
{
    static const uint8_t data[] = "abcdefgh";
    size_t n = nt_udp(in, 40000, 7, data, 8, true);
    nt_put16(in + 34 + 4, 17);                         /* UDP length past the datagram */
    dropped(n, NET_UDP_LENGTH);
    n = nt_udp(in, 40000, 7, data, 8, true);
    nt_put16(in + 34 + 4, 7);                          /* below its own header */
    dropped(n, NET_UDP_LENGTH);
    uint8_t six[6] = { 0 };
    n = nt_ipv4(in, 17, six, sizeof six, 0);           /* not even a header */
    dropped(n, NET_UDP_LENGTH);
    n = nt_udp(in, 40000, 7, data, 8, true);
    in[34 + 9] ^= 1;                                   /* data changed, checksum not */
    dropped(n, NET_UDP_CHECKSUM);
    n = nt_udp(in, 40000, 9, data, 8, true);           /* discard port */
    dropped(n, NET_OTHER);
    n = nt_udp(in, 0, 7, data, 8, true);               /* source port 0: no reply wanted */
    dropped(n, NET_OTHER);
}
END_TEST

START_TEST(reply_must_fit)
{
    size_t n = nt_icmp_echo(in, 1, 1, 56);
    out_len = 99;
    ck_assert_int_eq(net_ep_input(&ep, in, n, out, n - 1, &out_len), NET_ICMP_ECHO);
    ck_assert_uint_eq(out_len, 0);
    n = nt_arp_request(in, nt_guest_mac, nt_guest_ip, nt_ep_ip);
    ck_assert_int_eq(net_ep_input(&ep, in, n, out, 41, &out_len), NET_ARP_REPLY);
    ck_assert_uint_eq(out_len, 0);
    ck_assert_str_eq(net_verdict_name(NET_UDP_CHECKSUM), "udp checksum");
    ck_assert_str_eq(net_verdict_name(NET_VERDICTS), "?");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("net_endpoint");
    TCase *t = tcase_create("endpoint");
    tcase_set_timeout(t, 5);
    tcase_add_test(t, checksum_vectors);
    tcase_add_test(t, arp_request_answered);
    tcase_add_test(t, arp_not_for_us);
    tcase_add_test(t, arp_malformed);
    tcase_add_test(t, runt_and_oversized);
    tcase_add_test(t, icmp_echo_answered);
    tcase_add_test(t, icmp_padding_and_options);
    tcase_add_test(t, ip_malformed);
    tcase_add_test(t, ip_not_for_us);
    tcase_add_test(t, icmp_malformed);
    tcase_add_test(t, udp_echo_answered);
    tcase_add_test(t, udp_zero_checksum_sent_as_ones);
    tcase_add_test(t, udp_malformed_or_not_for_us);
    tcase_add_test(t, reply_must_fit);
    suite_add_tcase(s, t);
    return s;
}

CHECK_MAIN(suite)
