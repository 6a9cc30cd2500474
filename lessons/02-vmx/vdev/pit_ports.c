/**
 * @file pit_ports.c
 * @brief The 8254 on a VM's port bus (0x40-0x43), port 0x61's timer bits,
 *        time from the host TSC, and IRQ0 from channel 0.
 *
 * The VM's PIT clock starts at 0 when the VM is created and advances with
 * the host TSC converted to 1.193182 MHz clocks (the TSC's rate comes
 * from spectrum/tsc.h, measured at boot against the host's own PIT, so the
 * guest's timer runs at the rate of the engine's timers).  Channel 0's
 * rising output edges become IRQ0 pulses when pit_update() runs, which the
 * interrupt-injection code does before every VM entry.  If the guest was
 * not entered for several periods, only one pulse is delivered and the
 * others are counted as lost: an edge-triggered 8259 input merges them
 * anyway (its IRR bit is already set), and a guest that counts ticks to
 * tell time can see how far behind it is from the TSC.
 */
#include "io/portbus.h"
#include "spectrum/tsc.h"
#include "spectrum/x86.h"
#include "vdev/pic8259.h"
#include "vdev/pit8254.h"
#include "vm/vm.h"

#define PIT_BASE   PIT_PORT_CH0   /* ports 40H-43H (spectrum/pc.h) */
#define PIT_PORTS  4
#define PIT_IRQ    0       /* channel 0's OUT is IRQ0 */

/* Port B (PC_PORT_B, spectrum/pc.h): bit 0 gate of channel 2, bit 1
 * speaker data enable, bits 2-3 parity/channel-check enables (kept, no
 * effect), bit 4 refresh request (toggles every 15.09 us, firmware delay
 * loops watch it), bit 5 OUT of channel 2. */
#define PORT_B_WRITABLE   0x0f
#define PORT_B_REFRESH    0x10
#define REFRESH_CLOCKS    18   /* 15.09 us in 1.193182 MHz clocks */

/** Per-VM timer state. */
struct pit_dev {
    struct pit8254 pit;    /**< the counters */
    uint64_t tsc0;         /**< host TSC at clock 0 */
    uint64_t delivered;    /**< IRQ0 pulses given to the PIC */
    uint64_t lost;         /**< periods merged into an earlier pulse */
    uint64_t first_tsc;    /**< host TSC at which the first pulse was due, 0 = none */
    uint64_t last_tsc;     /**< host TSC of the last pit_update() */
    uint8_t port_b;        /**< writable bits of port 0x61 */
};

/* a * b / c without overflowing 64 bits as long as b * c < 2^64 (here
 * PIT_HZ times the TSC rate: fine up to ~15 THz): split a into quotient
 * and remainder of c. */
static uint64_t muldiv(uint64_t a, uint64_t b, uint64_t c, bool round_up)
{
    uint64_t q = a / c, r = a % c;
    return q * b + (r * b + (round_up ? c - 1 : 0)) / c;
}

static uint64_t tsc_to_pit_clocks(uint64_t ticks)
{
    return muldiv(ticks, PIT_HZ, tsc_hz(), false);
}

static uint64_t tsc_from_pit_clocks(uint64_t clocks)
{
    return muldiv(clocks, tsc_hz(), PIT_HZ, true);
}

static struct pit_dev *pit_dev_of(struct vm *vm)
{
    return portbus_state(vm, "pit8254");
}

static uint64_t pit_now(const struct pit_dev *d)
{
    return tsc_to_pit_clocks(rdtsc() - d->tsc0);
}

static void pit_init(struct vm *vm, void *st)
{
    (void)vm;
    struct pit_dev *d = st;
    d->tsc0 = rdtsc();
    pit_reset(&d->pit, 0);
}

/* Wider accesses split into bytes at consecutive ports, as on the ISA bus. */
static uint32_t pit_port_read(struct vm *vm, void *st, uint16_t port, unsigned size)
{
    (void)vm;
    struct pit_dev *d = st;
    uint64_t now = pit_now(d);
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        unsigned reg = port - PIT_BASE + i;
        uint8_t b = reg < PIT_PORTS ? pit_read(&d->pit, reg, now) : 0xff;
        v |= (uint32_t)b << (8 * i);
    }
    return v;
}

static void pit_port_write(struct vm *vm, void *st, uint16_t port, unsigned size, uint32_t value)
{
    (void)vm;
    struct pit_dev *d = st;
    uint64_t now = pit_now(d);
    for (unsigned i = 0; i < size && port - PIT_BASE + i < PIT_PORTS; i++)
        pit_write(&d->pit, port - PIT_BASE + i, (uint8_t)(value >> (8 * i)), now);
}

REGISTER_PORT_DEVICE(pit8254, {
    .name = "pit8254",
    .base = PIT_BASE,
    .count = PIT_PORTS,
    .state_size = sizeof(struct pit_dev),
    .init = pit_init,
    .read = pit_port_read,
    .write = pit_port_write,
});

static uint32_t port_b_read(struct vm *vm, void *st, uint16_t port, unsigned size)
{
    (void)st;
    (void)port;
    (void)size;
    struct pit_dev *d = pit_dev_of(vm);
    if (!d)
        return 0xff;
    uint64_t now = pit_now(d);
    uint8_t v = d->port_b;
    if ((now / REFRESH_CLOCKS) & 1)
        v |= PORT_B_REFRESH;
    if (pit_out(&d->pit, 2, now))
        v |= PC_PORT_B_OUT2;
    return v;
}

static void port_b_write(struct vm *vm, void *st, uint16_t port, unsigned size, uint32_t value)
{
    (void)st;
    (void)port;
    (void)size;
    struct pit_dev *d = pit_dev_of(vm);
    if (!d)
        return;
    d->port_b = value & PORT_B_WRITABLE;
    pit_set_gate(&d->pit, 2, value & PC_PORT_B_GATE2, pit_now(d));
}

REGISTER_PORT_DEVICE(pit_port_b, {
    .name = "port61",
    .base = PC_PORT_B,
    .count = 1,
    .state_size = 0,
    .read = port_b_read,
    .write = port_b_write,
});

void pit_update(struct vm *vm)
{
    struct pit_dev *d = pit_dev_of(vm);
    if (!d)
        return;
    uint64_t first = pit_next_edge(&d->pit, 0);
    d->last_tsc = rdtsc();
    uint64_t edges = pit_take_edges(&d->pit, 0, tsc_to_pit_clocks(d->last_tsc - d->tsc0));
    if (!edges)
        return;
    pic_pulse_irq(vm, PIT_IRQ);
    if (!d->delivered)
        d->first_tsc = d->tsc0 + tsc_from_pit_clocks(first);   /* when it was due, not when we noticed */
    d->delivered++;
    d->lost += edges - 1;
}

uint64_t pit_next_irq_tsc(struct vm *vm)
{
    struct pit_dev *d = pit_dev_of(vm);
    if (!d)
        return UINT64_MAX;
    uint64_t edge = pit_next_edge(&d->pit, 0);
    if (edge == PIT_NEVER)
        return UINT64_MAX;
    return d->tsc0 + tsc_from_pit_clocks(edge);
}

bool pit_irq_stats(struct vm *vm, struct pit_irq_stats *out)
{
    struct pit_dev *d = pit_dev_of(vm);
    if (!d)
        return false;
    *out = (struct pit_irq_stats){ d->delivered, d->lost, d->first_tsc, d->last_tsc };
    return true;
}
