/**
 * @file pv_bench.c
 * @brief /bin/pv-bench in the guest's initramfs: the timed parts of the
 *        spectrum benchmark's workload (bench/spectrum-bench), run by
 *        /etc/spectrum.d/90-bench.sh when Linux's command line has
 *        spectrum.bench=CONSOLE_BYTES,DISK_BYTES.
 *
 *   pv-bench console BYTES     write BYTES to /dev/console in 64-byte lines
 *   pv-bench disk DEV BYTES    write BYTES to DEV at offset 0 and read them
 *                              back, O_DIRECT in 64 KiB requests, compared
 *
 * One line per measurement, timed with CLOCK_MONOTONIC in the guest (the
 * busybox tools only have /proc/uptime's 10 ms):
 *
 *   SPECTRUM-BENCH: console 65536 bytes in 812345678 ns
 *   SPECTRUM-BENCH: disk write 1048576 bytes in 123456789 ns
 *   SPECTRUM-BENCH: disk read 1048576 bytes in 98765432 ns
 *
 * Exit status 0, or 1 with a "SPECTRUM-BENCH: error ..." line.  Built
 * static for the guest (linux04.mk); never run on the host.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define LINE 64
#define REQ (64 * 1024)      /* bytes per disk request */
#define MAX_BYTES (64u << 20)

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int error(const char *what, const char *arg)
{
    printf("SPECTRUM-BENCH: error %s %s: %s\n", what, arg, strerror(errno));
    return 1;
}

static long parse_bytes(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *s && !*end && v > 0 && v <= (long)MAX_BYTES ? v : -1;
}

/* BYTES of console output in 64-byte lines, timed until the tty has sent
 * them (tcdrain: the 8250 driver waits for its transmitter to empty). */
static int bench_console(long bytes)
{
    int fd = open("/dev/console", O_WRONLY | O_NOCTTY);
    if (fd < 0)
        return error("open", "/dev/console");
    char line[LINE];
    uint64_t t0 = now_ns();
    for (long done = 0, n = 0; done < bytes; n++) {
        int len = snprintf(line, sizeof line, "spectrum bench line %06ld: the quick brown fox jumps", n);
        while (len < LINE - 1)
            line[len++] = '.';
        line[LINE - 1] = '\n';
        long w = bytes - done < LINE ? bytes - done : LINE;
        if (write(fd, line, (size_t)w) != w)
            return error("write", "/dev/console");
        done += w;
    }
    tcdrain(fd);
    uint64_t t1 = now_ns();
    close(fd);
    printf("SPECTRUM-BENCH: console %ld bytes in %llu ns\n", bytes, (unsigned long long)(t1 - t0));
    return 0;
}

/* BYTES to DEV and back, O_DIRECT so every request reaches the device. */
static int bench_disk(const char *dev, long bytes)
{
    unsigned char *buf = aligned_alloc(4096, REQ), *back = aligned_alloc(4096, REQ);
    if (!buf || !back)
        return error("alloc", dev);
    int fd = open(dev, O_RDWR | O_DIRECT | O_SYNC);
    if (fd < 0)
        return error("open", dev);
    uint64_t t0 = now_ns();
    for (long off = 0; off < bytes; off += REQ) {
        for (int i = 0; i < REQ; i++)
            buf[i] = (unsigned char)((off + i) * 7 + (off + i) / 4096);
        long n = bytes - off < REQ ? bytes - off : REQ;
        if (pwrite(fd, buf, (size_t)n, off) != n)
            return error("write", dev);
    }
    if (fdatasync(fd) != 0)
        return error("fdatasync", dev);
    uint64_t t1 = now_ns();
    for (long off = 0; off < bytes; off += REQ) {
        long n = bytes - off < REQ ? bytes - off : REQ;
        if (pread(fd, back, (size_t)n, off) != n)
            return error("read", dev);
        for (long i = 0; i < n; i++)
            if (back[i] != (unsigned char)((off + i) * 7 + (off + i) / 4096)) {
                printf("SPECTRUM-BENCH: error compare %s: byte %ld differs\n", dev, off + i);
                return 1;
            }
    }
    uint64_t t2 = now_ns();
    close(fd);
    printf("SPECTRUM-BENCH: disk write %ld bytes in %llu ns\n", bytes, (unsigned long long)(t1 - t0));
    printf("SPECTRUM-BENCH: disk read %ld bytes in %llu ns\n", bytes, (unsigned long long)(t2 - t1));
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    long bytes;
    if (argc == 3 && strcmp(argv[1], "console") == 0 && (bytes = parse_bytes(argv[2])) > 0)
        return bench_console(bytes);
    if (argc == 4 && strcmp(argv[1], "disk") == 0 && (bytes = parse_bytes(argv[3])) > 0)
        return bench_disk(argv[2], bytes);
    fprintf(stderr, "usage: pv-bench console BYTES | pv-bench disk DEV BYTES (BYTES 1..%u)\n", MAX_BYTES);
    return 2;
}
