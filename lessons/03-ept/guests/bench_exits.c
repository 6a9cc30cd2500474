/**
 * @file bench_exits.c
 * @brief Guest "p-bench": the price of a trapped device access.  BENCH_N
 *        port reads (an IN from port 0x80, an I/O-instruction exit) and
 *        BENCH_N MMIO reads (the mmio-test device at 0xFEB00000 + 0x100, a
 *        nested-page-fault exit that Spectrum decodes and emulates), each
 *        batch timed with RDTSC, and the bare loop for reference.
 *
 * The three counts go to the mailbox; the scenario turns them into host
 * time and sets them beside its own exit statistics (lesson text, item 9).
 * The guest's TSC is the host's (Spectrum does not offset it), so the
 * numbers are host TSC ticks.
 */
#include "guest/guest.h"
#include "irq_guest.h"
#include "mmio/mmio_test_dev.h"

#define BENCH_N        2000u
#define BENCH_PORT     0x80               /* POST code port: nothing behind it on a PC */
/* The mmio-test device's access counter: every read is an exit, and the
 * value proves it (it counts the accesses before the current one). */
#define BENCH_MMIO_GPA (MMIO_TEST_BASE + MMIO_TEST_REG_ACCESSES)

int guest_main(void)
{
    uint64_t hz = irq_tsc_hz("bench");
    volatile uint32_t *mmio = (volatile uint32_t *)BENCH_MMIO_GPA;
    uint32_t sink = 0;

    /* Warm up: the first exit of a kind pays for cold caches and lookups. */
    sink += guest_inb(BENCH_PORT);
    sink += *mmio;

    uint64_t t0 = guest_rdtsc();
    for (unsigned i = 0; i < BENCH_N; i++)
        sink += guest_inb(BENCH_PORT);
    uint64_t t1 = guest_rdtsc();
    uint32_t first = 0, last = 0;
    for (unsigned i = 0; i < BENCH_N; i++) {
        last = *mmio;
        if (i == 0)
            first = last;
    }
    uint64_t t2 = guest_rdtsc();
    sink += last;
    for (unsigned i = 0; i < BENCH_N; i++)
        __asm__ volatile("" : "+r"(sink));   /* the loop alone */
    uint64_t t3 = guest_rdtsc();

    uint64_t rep[BENCH_REP_COUNT] = { 0 };
    rep[BENCH_REP_N] = BENCH_N;
    rep[BENCH_REP_PIO_TSC] = t1 - t0;
    rep[BENCH_REP_MMIO_TSC] = t2 - t1;
    rep[BENCH_REP_LOOP_TSC] = t3 - t2;
    rep[BENCH_REP_TSC_HZ] = hz;
    plat_report(rep, BENCH_REP_COUNT);
    /* Console lines stay under the UART's 120 characters. */
    guest_printf("bench: %u port reads in %llu ticks (%llu each)\n", BENCH_N, (unsigned long long)(t1 - t0),
                 (unsigned long long)((t1 - t0) / BENCH_N));
    guest_printf("bench: %u MMIO reads in %llu ticks (%llu each)\n", BENCH_N, (unsigned long long)(t2 - t1),
                 (unsigned long long)((t2 - t1) / BENCH_N));
    guest_printf("bench: %u empty iterations in %llu ticks (checksum %u)\n", BENCH_N,
                 (unsigned long long)(t3 - t2), (unsigned)sink);
    bool counted = last - first == BENCH_N - 1;
    guest_printf("bench: mmio-test counted %u accesses between first and last read (expected %u)\n",
                 (unsigned)(last - first), BENCH_N - 1);
    bool ok = hz && t1 > t0 && t2 > t1 && counted;
    guest_printf("bench: checks %s\n", ok ? "passed" : "FAILED");
    return ok ? 0 : 1;
}
