/**
 * @file virtio_guest.c
 * @brief Guest "virtio" (64-bit): a driver for Spectrum's virtio-console
 *        (slot 0, 0xd0000000) written from the spec, good and hostile.
 *
 * Good: identification (magic "virt", version 2, device 3), the status
 * handshake of virtio v1.2 §3.1.1 (a driver without VIRTIO_F_VERSION_1
 * does not get FEATURES_OK), transmitq set up with 8 entries, a line
 * sent in one descriptor, another in an indirect table of two, each
 * given back on the used ring with InterruptStatus bit 0, acknowledged;
 * a chain of 5096 bytes, of which the console shows the first 4096.
 * Hostile, each on a freshly reset device: a loop of two descriptors, an
 * indirect table inside an indirect table, a buffer in the local APIC's
 * page, one in the legacy video hole, one that wraps past 2^64, an
 * available ring entry naming no descriptor, an available index that
 * jumps 100 ahead, a descriptor table in the I/O APIC's page.  Each must
 * leave DEVICE_NEEDS_RESET (64) in the status with InterruptStatus bit 1,
 * and nothing on the used ring.  Last, the device works again after a
 * reset.  Exit status: the number of checks that went wrong.
 */
#include "guests/rt_guest.h"

#define VIO       0xd0000000ul    /* virtio/virtio_mmio.h: slot 0 */
#include "guests/virtio_drv.h"
#define QSIZE     8u
#define TXQ       1u              /* console transmitq (§5.3.2) */

static struct desc ring_desc[QSIZE] __attribute__((aligned(4096)));
static volatile uint16_t ring_avail[3 + QSIZE] __attribute__((aligned(4096)));   /* flags, idx, ring[8], used_event */
static volatile uint32_t ring_used[1 + 2 * QSIZE + 1] __attribute__((aligned(4096))); /* flags|idx, {id,len}[8] */
static struct desc table1[4] __attribute__((aligned(16)));
static struct desc table2[2] __attribute__((aligned(16)));

static unsigned failures;

static uint16_t used_idx(void) { return (uint16_t)(ring_used[0] >> 16); }

static void check(bool ok, const char *what)
{
    guest_printf("virtio: %s: %s\n", what, ok ? "ok" : "WRONG");
    if (!ok)
        failures++;
}

/* Reset, handshake with @p feat_hi:feat_lo, transmitq at @p desc_gpa;
 * true if FEATURES_OK stuck and the queue is ready. */
static bool bring_up(uint32_t feat_hi, uint32_t feat_lo, uint64_t desc_gpa)
{
    wr(STATUS, 0);
    for (unsigned i = 0; i < sizeof ring_avail / 2; i++)
        ring_avail[i] = 0;
    for (unsigned i = 0; i < sizeof ring_used / 4; i++)
        ring_used[i] = 0;
    wr(STATUS, S_ACK);
    wr(STATUS, S_ACK | S_DRIVER);
    wr(DRV_FEATURES_SEL, 1);
    wr(DRV_FEATURES, feat_hi);
    wr(DRV_FEATURES_SEL, 0);
    wr(DRV_FEATURES, feat_lo);
    wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
    if (!(rd(STATUS) & S_FEATURES_OK))
        return false;
    wr(QUEUE_SEL, TXQ);
    if (rd(QUEUE_NUM_MAX) < QSIZE || rd(QUEUE_READY))
        return false;
    wr(QUEUE_NUM, QSIZE);
    wr(DESC_LO, (uint32_t)desc_gpa);
    wr(DESC_HI, (uint32_t)(desc_gpa >> 32));
    wr(DRIVER_LO, (uint32_t)(unsigned long)ring_avail);
    wr(DRIVER_HI, 0);
    wr(DEVICE_LO, (uint32_t)(unsigned long)ring_used);
    wr(DEVICE_HI, 0);
    wr(QUEUE_READY, 1);
    wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    return rd(QUEUE_READY) == 1;
}

static bool up(void)
{
    return bring_up(1u, 1u << 28, (unsigned long)ring_desc);   /* VERSION_1, INDIRECT_DESC */
}

static void offer(uint16_t head)
{
    uint16_t idx = ring_avail[1];
    ring_avail[2 + idx % QSIZE] = head;
    __asm__ volatile("" ::: "memory");   /* the entry before the index (§2.7.13.2) */
    ring_avail[1] = (uint16_t)(idx + 1);
    wr(QUEUE_NOTIFY, TXQ);
}

static void set(struct desc *d, unsigned long gpa, uint32_t len, uint16_t flags, uint16_t next)
{
    d->addr = gpa;
    d->len = len;
    d->flags = flags;
    d->next = next;
}

/* After a hostile chain: NEEDS_RESET, a config interrupt, nothing used. */
static void refused(const char *what)
{
    uint32_t st = rd(STATUS), isr = rd(INT_STATUS);
    guest_printf("virtio: %s: status %#x, interrupt status %#x, used idx %u\n", what, st, isr, used_idx());
    check((st & S_NEEDS_RESET) && (isr & 2) && used_idx() == 0, what);
}

static const char line1[] = "hello through virtio-console\n";
static char flood[4096 + 1000];
static const char part1[] = "an indirect table, ";
static const char part2[] = "two buffers\n";

int guest_main(void)
{
    check(rd(MAGIC) == 0x74726976 && rd(VERSION) == 2 && rd(DEVICE_ID) == 3, "magic, version 2, device 3");
    wr(DEV_FEATURES_SEL, 1);
    check(rd(DEV_FEATURES) & 1, "VERSION_1 offered");
    check(!bring_up(0, 0, (unsigned long)ring_desc), "a legacy driver gets no FEATURES_OK");

    /* --- good chains --- */
    check(up(), "handshake and transmitq");
    set(&ring_desc[3], (unsigned long)line1, sizeof line1 - 1, 0, 0);
    offer(3);
    check(used_idx() == 1 && ring_used[1] == 3 && (rd(INT_STATUS) & 1), "one descriptor: used, interrupt");
    wr(INT_ACK, rd(INT_STATUS));
    check(rd(INT_STATUS) == 0, "interrupt acknowledged");
    set(&table1[0], (unsigned long)part1, sizeof part1 - 1, F_NEXT, 1);
    set(&table1[1], (unsigned long)part2, sizeof part2 - 1, 0, 0);
    set(&ring_desc[5], (unsigned long)table1, 2 * sizeof(struct desc), F_INDIRECT, 0);
    offer(5);
    check(used_idx() == 2 && ring_used[3] == 5 && !(rd(STATUS) & S_NEEDS_RESET), "indirect table: used");
    for (unsigned i = 0; i < sizeof flood; i++)
        flood[i] = (char)('a' + i % 26);
    set(&ring_desc[6], (unsigned long)flood, sizeof flood, 0, 0);
    offer(6);
    check(used_idx() == 3 && ring_used[5] == 6, "5096 bytes in one chain: used, 1000 not shown");

    /* --- hostile chains --- */
    up();
    set(&ring_desc[0], (unsigned long)line1, 4, F_NEXT, 1);
    set(&ring_desc[1], (unsigned long)line1, 4, F_NEXT, 0);
    offer(0);
    refused("a loop of two descriptors");

    up();
    set(&table2[0], (unsigned long)line1, 4, 0, 0);
    set(&table1[0], (unsigned long)table2, sizeof table2, F_INDIRECT, 0);
    set(&ring_desc[0], (unsigned long)table1, sizeof(struct desc), F_INDIRECT, 0);
    offer(0);
    refused("an indirect table inside an indirect table");

    up();
    set(&ring_desc[0], 0xfee00000ul, 16, 0, 0);
    offer(0);
    refused("a buffer in the local APIC page");

    up();
    set(&ring_desc[0], 0xa0000ul, 16, 0, 0);
    offer(0);
    refused("a buffer in the video hole");

    up();
    ring_desc[0].addr = ~0ul - 7;
    ring_desc[0].len = 32;
    ring_desc[0].flags = 0;
    offer(0);
    refused("a buffer that wraps");

    up();
    offer(200);
    refused("an available entry naming no descriptor");

    up();
    set(&ring_desc[0], (unsigned long)line1, 4, 0, 0);
    ring_avail[1] = 100;
    wr(QUEUE_NOTIFY, TXQ);
    refused("an available index 100 ahead");

    check(!bring_up(1u, 0, 0xfec00000ul), "descriptors in the I/O APIC page: queue refused");
    refused("a descriptor table in the I/O APIC page");

    /* --- and a reset brings it back --- */
    check(up() && !(rd(STATUS) & S_NEEDS_RESET), "reset clears DEVICE_NEEDS_RESET");
    set(&ring_desc[2], (unsigned long)line1, sizeof line1 - 1, 0, 0);
    offer(2);
    check(used_idx() == 1, "works again after the reset");
    wr(STATUS, 0);

    if (failures)
        guest_printf("virtio: %u checks went wrong: FAILED\n", failures);
    else
        guest_printf("virtio: checks passed\n");
    return (int)failures;
}
