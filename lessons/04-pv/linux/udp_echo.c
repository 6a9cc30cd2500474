/**
 * @file udp_echo.c
 * @brief A UDP round trip for the Linux guest (lesson 04, virtio-net):
 *        send datagrams to an echo service (RFC 862: port 7 sends back
 *        what it gets), wait for each to come back, compare it byte for
 *        byte and print the round-trip times.  Debian's busybox has no
 *        UDP client (its nc lacks -u), hence this program, packed as
 *        /bin/udp-echo and run by /etc/spectrum.d/30-virtio-net.sh.
 *
 * usage: udp-echo ADDRESS PORT [BYTES...]   (default: 32 and 1472 bytes,
 *        the smallest and largest that a 1500-byte MTU carries unfragmented
 *        with the 28 bytes of IPv4 and UDP headers in front)
 *
 * One line on stdout ("2 datagrams echoed by 10.0.2.2:7: 32 B in 812 us,
 * 1472 B in 640 us"), and exit status 0 when every datagram came back
 * intact within 2 seconds; 1 when one did not (timeout, wrong length,
 * wrong bytes); 2 for a usage or socket error.  Built static (net.mk)
 * since the initramfs has no C library.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WAIT_MS 2000        /* per datagram */
#define MAX_BYTES 1472      /* 1500 - 20 (IPv4) - 8 (UDP) */
#define MAX_ROUNDS 8

static long elapsed_us(const struct timespec *a, const struct timespec *b)
{
    return (b->tv_sec - a->tv_sec) * 1000000L + (b->tv_nsec - a->tv_nsec) / 1000;
}

/* One datagram of @p n bytes out and back: its round trip in us, or -1
 * (the reason in @p why). */
static long round_trip(int s, size_t n, unsigned round, const char **why)
{
    static unsigned char out[MAX_BYTES], in[MAX_BYTES + 1];
    for (size_t i = 0; i < n; i++)   /* a pattern that differs per round and per byte */
        out[i] = (unsigned char)(round * 31 + i * 7 + (i >> 8));
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (send(s, out, n, 0) != (ssize_t)n) {
        *why = strerror(errno);
        return -1;
    }
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        long left = WAIT_MS - elapsed_us(&t0, &t1) / 1000;
        struct pollfd p = { .fd = s, .events = POLLIN };
        if (left <= 0 || poll(&p, 1, (int)left) <= 0) {
            *why = "no echo within 2 s";
            return -1;
        }
        /* One byte more than sent, so a longer echo shows as longer. */
        ssize_t got = recv(s, in, sizeof in, MSG_TRUNC);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            *why = strerror(errno);   /* e.g. ECONNREFUSED: an ICMP port unreachable came back */
            return -1;
        }
        if ((size_t)got != n) {
            *why = "echo of another length";
            return -1;
        }
        if (memcmp(in, out, n) != 0) {
            *why = "echo with other bytes";
            return -1;
        }
        return elapsed_us(&t0, &t1);
    }
}

int main(int argc, char **argv)
{
    struct sockaddr_in to = { .sin_family = AF_INET };
    char *end;
    unsigned long port = argc >= 3 ? strtoul(argv[2], &end, 10) : 0;
    if (argc < 3 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1 || *end || port == 0 || port > 65535) {
        fprintf(stderr, "usage: %s ADDRESS PORT [BYTES...] (at most %d rounds of 0..%d bytes)\n", argv[0],
                MAX_ROUNDS, MAX_BYTES);
        return 2;
    }
    to.sin_port = htons((unsigned short)port);
    size_t sizes[MAX_ROUNDS] = { 32, MAX_BYTES };
    int rounds = 2;
    if (argc > 3) {
        rounds = 0;
        for (int i = 3; i < argc && rounds < MAX_ROUNDS; i++) {
            unsigned long b = strtoul(argv[i], &end, 10);
            if (*end || b > MAX_BYTES) {
                fprintf(stderr, "%s: %s: a size is 0..%d bytes\n", argv[0], argv[i], MAX_BYTES);
                return 2;
            }
            sizes[rounds++] = b;
        }
    }
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    /* connect(): send() needs no address, and only the peer's datagrams arrive. */
    if (s < 0 || connect(s, (struct sockaddr *)&to, sizeof to) != 0) {
        printf("socket to %s:%lu: %s\n", argv[1], port, strerror(errno));
        return 2;
    }
    char line[256];
    int len = snprintf(line, sizeof line, "%d datagrams echoed by %s:%lu:", rounds, argv[1], port);
    for (int r = 0; r < rounds; r++) {
        const char *why = "";
        long us = round_trip(s, sizes[r], (unsigned)r, &why);
        if (us < 0) {
            printf("datagram %d of %zu bytes to %s:%lu: %s\n", r + 1, sizes[r], argv[1], port, why);
            return 1;
        }
        if (len > 0 && (size_t)len < sizeof line)
            len += snprintf(line + len, sizeof line - (size_t)len, "%s %zu B in %ld us", r ? "," : "", sizes[r], us);
    }
    printf("%s\n", line);
    close(s);
    return 0;
}
