/**
 * @file p_bench.c
 * @brief Scenario "p-bench" (lesson text, item 9): what an MMIO exit costs
 *        next to a port-I/O exit.  The guest (guests/bench_exits.c) times
 *        N port reads and N MMIO reads with RDTSC; its TSC is the host's,
 *        so the numbers are host TSC ticks.  This side converts them to ns
 *        with the host's TSC rate and sets them beside the exit loop's own
 *        view (ticks from exit to the next entry, per reason): the
 *        difference between the two is the world switch itself, the part
 *        that is the same for both kinds.
 *
 * An I/O exit hands Spectrum the port, size and direction decoded by the
 * CPU (VMX exit qualification / SVM EXITINFO1).  A nested page fault hands
 * it only the guest-physical address: Spectrum must walk the guest's page
 * tables to fetch the instruction, decode it and emulate the access, so it
 * costs more - how much more is what this prints.
 */
#include "scenarios/p_irq_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/tsc.h"
#include "vcpu/hvm_guest.h"

PC_GUEST_IMAGE_DECLARE(bench_exits);

#define BENCH_N_MAX 1000000u   /* the report is the guest's: bound it */

/* @p ticks of the host TSC in ns. */
static uint64_t ns_of(uint64_t ticks)
{
    uint64_t hz = tsc_hz();
    return hz ? ticks * 1000u / (hz / 1000000u ? hz / 1000000u : 1) : 0;
}

static bool p_bench(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("p-bench"))
        return false;
    struct plat_run r = { .vm_name = "p-bench", .image = PC_GUEST_IMAGE(bench_exits) };
    bool ok = plat_run(&r) && r.exit_code == 0;
    uint64_t n = plat_report_val(&r, BENCH_REP_N);
    uint64_t pio = plat_report_val(&r, BENCH_REP_PIO_TSC), mmio = plat_report_val(&r, BENCH_REP_MMIO_TSC);
    uint64_t loop = plat_report_val(&r, BENCH_REP_LOOP_TSC);
    if (!r.report || n == 0 || n > BENCH_N_MAX || pio == 0 || mmio == 0 || pio >= (1ull << 50) ||
        mmio >= (1ull << 50)) {
        kprintf("p-bench: no usable report from the guest (n %lu, pio %lu, mmio %lu)\n", (unsigned long)n,
                (unsigned long)pio, (unsigned long)mmio);
        return false;
    }
    /* The bare loop's cost per iteration is not the exit's. */
    uint64_t per_loop = loop / n;
    uint64_t pio_rt = pio / n > per_loop ? pio / n - per_loop : 1;
    uint64_t mmio_rt = mmio / n > per_loop ? mmio / n - per_loop : 1;
    uint64_t pio_h = plat_exit_avg(&r, EXIT_IO), mmio_h = plat_exit_avg(&r, EXIT_NESTED_PAGE_FAULT);
    kprintf("p-bench: %lu port reads (port 0x80), %lu MMIO reads (mmio-test 0xfeb00100); host TSC %lu kHz\n",
            (unsigned long)n, (unsigned long)n, (unsigned long)(tsc_hz() / 1000));
    kprintf("p-bench: pio  round trip %lu ticks (%lu ns), handler %lu ticks (%lu ns) over %lu io exits\n",
            (unsigned long)pio_rt, (unsigned long)ns_of(pio_rt), (unsigned long)pio_h, (unsigned long)ns_of(pio_h),
            (unsigned long)r.stats.count[EXIT_IO]);
    kprintf("p-bench: mmio round trip %lu ticks (%lu ns), handler %lu ticks (%lu ns) over %lu npf exits\n",
            (unsigned long)mmio_rt, (unsigned long)ns_of(mmio_rt), (unsigned long)mmio_h,
            (unsigned long)ns_of(mmio_h), (unsigned long)r.stats.count[EXIT_NESTED_PAGE_FAULT]);
    uint64_t ratio100 = mmio_rt * 100 / pio_rt;
    kprintf("mmio/pio round trip: %lu.%02lu\n", (unsigned long)(ratio100 / 100), (unsigned long)(ratio100 % 100));
    /* Spectrum's own share (exit to next entry), without the world switch,
     * which under an emulator differs by exit kind and dominates. */
    if (pio_h) {
        uint64_t h100 = mmio_h * 100 / pio_h;
        kprintf("mmio/pio handler: %lu.%02lu\n", (unsigned long)(h100 / 100), (unsigned long)(h100 % 100));
    }
    /* Every access was an exit: the guest's batches cannot all have been
     * answered without Spectrum. */
    bool host_ok = r.stats.count[EXIT_IO] >= n && r.stats.count[EXIT_NESTED_PAGE_FAULT] >= n;
    kprintf("p-bench: host check %s\n", host_ok ? "passed" : "FAILED");
    return ok && host_ok;
}
REGISTER_SCENARIO(p_bench, "p-bench", "lesson 03: cost of an MMIO exit against a port-I/O exit (mmio/pio ratio)",
                  p_bench, 0);
