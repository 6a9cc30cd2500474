/**
 * @file g_portio.c
 * @brief Scenario "g-portio": 10000 OUT/IN pairs to the UART's scratch
 *        register, each a VM exit; the guest checks every read-back, the
 *        scenario checks that all 20000 accesses exited and prints how many
 *        exits per second the hypervisor handled.
 */
#include "scenarios/guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"
#include "spectrum/tsc.h"

GUEST_IMAGE_DECLARE(portio);

#define PORTIO_ACCESSES 20000u   /* 10000 rounds of OUT + IN in guests/portio.c */

static bool g_portio(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("g-portio"))
        return false;
    struct guest_outcome o;
    struct guest_image img = GUEST_IMAGE(portio, VCPU_MODE_PROT32_PAGED);
    bool ok = guest_run("g-portio", &img, &o) && o.exit_code == 0;
    uint64_t io = o.stats.count[EXIT_IO];
    uint64_t us = tsc_to_us(o.run_tsc);
    kprintf("g-portio: %lu io exits in %lu us: %lu exits/s\n", (unsigned long)io, (unsigned long)us,
            (unsigned long)(us ? io * 1000000u / us : 0));
    return ok && io >= PORTIO_ACCESSES;
}
REGISTER_SCENARIO(g_portio, "g-portio", "lesson 02: a port-I/O loop, and the cost of an exit", g_portio, 0);
