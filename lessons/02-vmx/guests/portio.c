/**
 * @file portio.c
 * @brief Guest "portio": a port-I/O loop, the cost of a VM exit made
 *        visible.  Each iteration writes a byte to the emulated UART's
 *        scratch register (COM1 + 7, PC16550D data sheet Table II) and reads
 *        it back: two VM exits, each a full round trip through the
 *        hypervisor.  Every read must return what was written.  The guest
 *        measures the loop with RDTSC itself; the scenario prints the
 *        hypervisor's side (exit statistics).
 */
#include "guest/guest.h"

#define UART_SCRATCH 0x3FF
#define ROUNDS 10000u

int guest_main(void)
{
    unsigned mismatches = 0;
    uint64_t t0 = guest_rdtsc();
    for (unsigned i = 0; i < ROUNDS; i++) {
        uint8_t v = (uint8_t)(i * 7u + 3u);
        guest_outb(UART_SCRATCH, v);
        if (guest_inb(UART_SCRATCH) != v)
            mismatches++;
    }
    uint64_t t1 = guest_rdtsc();
    guest_printf("portio: %u out/in pairs to port %#x, %u mismatches\n", ROUNDS, UART_SCRATCH, mismatches);
    guest_printf("portio: %llu TSC ticks per round trip (2 exits)\n",
                 (unsigned long long)((t1 - t0) / ROUNDS));
    guest_printf("portio: checks %s\n", mismatches ? "FAILED" : "passed");
    return mismatches ? 1 : 0;
}
