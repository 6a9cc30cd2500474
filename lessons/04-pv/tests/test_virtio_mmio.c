/**
 * @file test_virtio_mmio.c
 * @brief Unit tests of the virtio-mmio transport (virtio/virtio_mmio.c):
 *        identification, the status handshake and feature negotiation
 *        (§3.1.1), queue setup, notification, the interrupt line and its
 *        acknowledgement, configuration space, and DEVICE_NEEDS_RESET on
 *        hostile rings - driven as Linux's virtio_mmio.c would, on a
 *        byte-array guest memory (vq_test_mem.h).
 */
#include <check.h>
#include <stdint.h>

#include "check_main.h"
#include "virtio/virtio_mmio.h"
#include "vq_test_mem.h"

static struct vqt_mem g;
static struct vq_mem mem;
static struct virtio_dev d;
static int line;                 /* the interrupt line's level */
static unsigned edges;           /* rising edges */
static unsigned refusals;        /* refused() calls */
static struct vq_fault last_fault;
static unsigned notified;        /* model notify() calls */

/* A model that echoes: every chain on queue 0 is given back with its
 * writable length. */
static void echo_notify(struct virtio_dev *dv, unsigned q)
{
    struct vq_chain c;
    notified++;
    while (virtio_pop(dv, q, &c) == 1)
        virtio_push(dv, q, c.head, c.writable);
}

static uint64_t echo_config_read(struct virtio_dev *dv, uint32_t off, unsigned size)
{
    (void)dv;
    (void)size;
    return 0xa0 + off;
}

static const struct virtio_device echo = {
    .name = "echo", .device_id = 42, .slot = 0, .irq = 5, .features = 1ull << 3,
    .queues = 2, .queue_max = 8, .config_size = 8,
    .config_read = echo_config_read, .notify = echo_notify,
};

static void irq(void *ctx, unsigned l, bool level)
{
    (void)ctx;
    ck_assert_uint_eq(l, 5);
    if (level && !line)
        edges++;
    line = level;
}

static void refused(void *ctx, struct virtio_dev *dv, unsigned q, const struct vq_fault *f)
{
    (void)ctx;
    (void)dv;
    (void)q;
    refusals++;
    last_fault = *f;
}

static uint32_t rd(uint64_t off) { return (uint32_t)virtio_mmio_read(&d, off, 4); }
static void wr(uint64_t off, uint32_t v) { virtio_mmio_write(&d, off, 4, v); }

static void setup(void)
{
    vqt_init(&g, &mem);
    memset(&d, 0, sizeof d);
    line = 0;
    edges = refusals = notified = 0;
    d.mem = &mem;
    d.irq = irq;
    d.refused = refused;
    virtio_dev_init(&d, &echo);
}

static void teardown(void)
{
    ck_assert_uint_eq(g.strays, 0);
}

/* Linux's order (§3.1.1): reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK. */
static bool negotiate(uint64_t features)
{
    wr(VIRTIO_MMIO_STATUS, 0);
    wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
    wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
    wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    return rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK;
}

static void setup_queue(unsigned q, uint32_t num, uint64_t desc, uint64_t avail, uint64_t used)
{
    wr(VIRTIO_MMIO_QUEUE_SEL, q);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_READY), 0);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 8);
    wr(VIRTIO_MMIO_QUEUE_NUM, num);
    wr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
    wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
    wr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
    wr(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
    wr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
    wr(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
    wr(VIRTIO_MMIO_QUEUE_READY, 1);
}

static void bring_up(void)
{
    ck_assert(negotiate(1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_INDIRECT_DESC));
    setup_queue(0, 8, VQT_DESC, VQT_AVAIL, VQT_USED);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_READY), 1);
    wr(VIRTIO_MMIO_STATUS, rd(VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_DRIVER_OK);
    notified = 0;     /* DRIVER_OK looked at the ready queue once */
}

START_TEST(identification)
{
    ck_assert_uint_eq(rd(VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_VERSION), 2);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_ID), 42);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_VENDOR_ID), VIRTIO_VENDOR_SPECTRUM);
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_FEATURES), 1u << 28 | 1u << 3);
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_FEATURES), 1u);          /* VERSION_1 = bit 32 */
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 7);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_FEATURES), 0);
    wr(VIRTIO_MMIO_QUEUE_SEL, 2);                                     /* no such queue */
    ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_SHM_LEN_LOW), 0xffffffffu);
}
END_TEST

START_TEST(features)
{
    ck_assert(!negotiate(0));                                         /* legacy driver: refused */
    ck_assert(!negotiate(1ull << VIRTIO_F_VERSION_1 | 1ull << 40));   /* a bit not offered */
    ck_assert(negotiate(1ull << VIRTIO_F_VERSION_1));
    ck_assert_uint_eq(d.drv_features, 1ull << VIRTIO_F_VERSION_1);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, 1u << 3);                          /* after FEATURES_OK: ignored */
    ck_assert_uint_eq((uint32_t)d.drv_features, 0);
}
END_TEST

START_TEST(bad_register_accesses)
{
    ck_assert_uint_eq(virtio_mmio_read(&d, VIRTIO_MMIO_MAGIC_VALUE, 2), 0);
    ck_assert_uint_eq(virtio_mmio_read(&d, VIRTIO_MMIO_MAGIC_VALUE + 1, 4), 0);
    ck_assert_uint_eq(virtio_mmio_read(&d, 0x0f8, 4), 0);
    virtio_mmio_write(&d, VIRTIO_MMIO_STATUS, 1, 0x0f);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_STATUS), 0);
    wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_NEEDS_RESET);                /* the device's bit */
    ck_assert_uint_eq(rd(VIRTIO_MMIO_STATUS), 0);
    ck_assert_uint_eq(d.stats.bad_accesses, 4);
}
END_TEST

START_TEST(config_space)
{
    ck_assert_uint_eq(virtio_mmio_read(&d, 0x100, 1), 0xa0);
    ck_assert_uint_eq(virtio_mmio_read(&d, 0x104, 4), 0xa4);
    ck_assert_uint_eq(virtio_mmio_read(&d, 0x100, 8), 0xa0);
    ck_assert_uint_eq(virtio_mmio_read(&d, 0x106, 4), 0);              /* runs past config_size */
    ck_assert_uint_eq(virtio_mmio_read(&d, 0x108, 1), 0);
    ck_assert_uint_eq(virtio_mmio_read(&d, 0xfff, 1), 0);
    ck_assert_uint_eq(virtio_mmio_read(&d, 0x100, 3), 0);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_CONFIG_GENERATION), 0);
}
END_TEST

START_TEST(notify_used_interrupt_ack)
{
    bring_up();
    vqt_desc(&g, VQT_DESC, 2, VQT_BUF, 16, VIRTQ_DESC_F_WRITE, 0);
    vqt_offer(&g, 8, 2);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    ck_assert_uint_eq(notified, 1);
    ck_assert_uint_eq(vqt_get16(&g, VQT_USED + 2), 1);
    ck_assert_uint_eq(vqt_get32(&g, VQT_USED + 4), 2);
    ck_assert_uint_eq(vqt_get32(&g, VQT_USED + 8), 16);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_USED);
    ck_assert_int_eq(line, 1);
    ck_assert_uint_eq(edges, 1);
    wr(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_INT_USED);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    ck_assert_int_eq(line, 0);
    /* The next batch raises the line again: a new edge. */
    vqt_offer(&g, 8, 2);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    ck_assert_uint_eq(edges, 2);
    /* Notifies for a queue that is not ready, or none, do nothing. */
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 99);
    ck_assert_uint_eq(notified, 2);
    ck_assert_uint_eq(refusals, 0);
}
END_TEST

START_TEST(no_interrupt_when_asked)
{
    bring_up();
    vqt_put16(&g, VQT_AVAIL, VIRTQ_AVAIL_F_NO_INTERRUPT);
    vqt_desc(&g, VQT_DESC, 0, VQT_BUF, 16, 0, 0);
    vqt_offer(&g, 8, 0);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    ck_assert_uint_eq(vqt_get16(&g, VQT_USED + 2), 1);
    ck_assert_uint_eq(edges, 0);
}
END_TEST

START_TEST(no_processing_before_driver_ok)
{
    ck_assert(negotiate(1ull << VIRTIO_F_VERSION_1));
    setup_queue(0, 8, VQT_DESC, VQT_AVAIL, VQT_USED);
    vqt_desc(&g, VQT_DESC, 0, VQT_BUF, 16, 0, 0);
    vqt_offer(&g, 8, 0);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    ck_assert_uint_eq(notified, 0);
    wr(VIRTIO_MMIO_STATUS, rd(VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_DRIVER_OK);
    ck_assert_uint_eq(notified, 1);                                   /* looked at once live */
    ck_assert_uint_eq(vqt_get16(&g, VQT_USED + 2), 1);
}
END_TEST

START_TEST(queue_fixed_once_ready)
{
    bring_up();
    wr(VIRTIO_MMIO_QUEUE_SEL, 0);
    wr(VIRTIO_MMIO_QUEUE_DESC_LOW, 0x1000);                            /* ready: ignored */
    wr(VIRTIO_MMIO_QUEUE_NUM, 2);
    ck_assert_uint_eq(d.q[0].desc, VQT_DESC);
    ck_assert_uint_eq(d.q[0].num, 8);
}
END_TEST

START_TEST(bad_ring_needs_reset)
{
    ck_assert(negotiate(1ull << VIRTIO_F_VERSION_1));
    setup_queue(1, 8, 0xfee00000, VQT_AVAIL, VQT_USED);               /* descriptors in the local APIC */
    ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_READY), 0);
    ck_assert(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    ck_assert_uint_eq(refusals, 1);
    ck_assert_int_eq(last_fault.rule, VQ_RING_RANGE);
    ck_assert_uint_eq(last_fault.gpa, 0xfee00000);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_CONFIG);
    ck_assert_int_eq(line, 1);
    wr(VIRTIO_MMIO_STATUS, 0);                                        /* reset clears it all */
    ck_assert_uint_eq(rd(VIRTIO_MMIO_STATUS), 0);
    ck_assert_uint_eq(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
    ck_assert_int_eq(line, 0);
    bring_up();
    ck_assert_uint_eq(refusals, 1);
}
END_TEST

START_TEST(hostile_chain_stops_device)
{
    bring_up();
    vqt_desc(&g, VQT_DESC, 0, VQT_BUF, 8, VIRTQ_DESC_F_NEXT, 1);
    vqt_desc(&g, VQT_DESC, 1, VQT_BUF, 8, VIRTQ_DESC_F_NEXT, 0);      /* a loop */
    vqt_offer(&g, 8, 0);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    ck_assert_uint_eq(refusals, 1);
    ck_assert_int_eq(last_fault.rule, VQ_CHAIN_LOOP);
    ck_assert(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    ck_assert(rd(VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_INT_CONFIG);
    ck_assert_uint_eq(vqt_get16(&g, VQT_USED + 2), 0);                /* nothing given back */
    /* Stopped: fixing the chain and notifying again does nothing ... */
    vqt_desc(&g, VQT_DESC, 1, VQT_BUF, 8, 0, 0);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    ck_assert_uint_eq(notified, 1);
    ck_assert_uint_eq(refusals, 1);
    /* ... the driver cannot clear the bit by writing the status ... */
    wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
                           VIRTIO_STATUS_DRIVER_OK);
    ck_assert(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    /* ... only a reset brings it back. */
    memset(g.b, 0, sizeof g.b);
    bring_up();
    vqt_desc(&g, VQT_DESC, 0, VQT_BUF, 8, 0, 0);
    vqt_offer(&g, 8, 0);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    ck_assert_uint_eq(vqt_get16(&g, VQT_USED + 2), 1);
}
END_TEST

START_TEST(avail_jump_stops_device)
{
    bring_up();
    vqt_put16(&g, VQT_AVAIL + 2, 1000);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    ck_assert_int_eq(last_fault.rule, VQ_AVAIL_JUMP);
    ck_assert(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("virtio_mmio");
    TCase *t = tcase_create("transport");
    tcase_set_timeout(t, 5);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, identification);
    tcase_add_test(t, features);
    tcase_add_test(t, bad_register_accesses);
    tcase_add_test(t, config_space);
    tcase_add_test(t, notify_used_interrupt_ack);
    tcase_add_test(t, no_interrupt_when_asked);
    tcase_add_test(t, no_processing_before_driver_ok);
    tcase_add_test(t, queue_fixed_once_ready);
    tcase_add_test(t, bad_ring_needs_reset);
    tcase_add_test(t, hostile_chain_stops_device);
    tcase_add_test(t, avail_jump_stops_device);
    suite_add_tcase(s, t);
    return s;
}

CHECK_MAIN(suite)
