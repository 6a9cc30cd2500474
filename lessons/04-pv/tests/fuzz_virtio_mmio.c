/**
 * @file fuzz_virtio_mmio.c
 * @brief libFuzzer target for the virtio-mmio transport with the walker
 *        behind it (virtio/virtio_mmio.c, virtio/virtqueue.c).
 *
 * The input is a count N, N register accesses of 8 bytes each (offset:
 * 2 bytes, size and direction: 1, value: 4, and one byte that makes the
 * access a "driver does it right" bring-up instead, so the fuzzer reaches
 * live queues quickly), then the guest's first bytes of RAM (available
 * ring at +0, descriptors at +0x100, used ring at +0x600, as in
 * fuzz_virtqueue.c).  The device model pops every chain of
 * the queue notified and gives it back.  Aborts on any access outside
 * what the walker checked, on an interrupt line that disagrees with
 * InterruptStatus, and on DEVICE_NEEDS_RESET cleared other than by a
 * reset.
 *
 *     make fuzz && build/host/fuzz/fuzz_virtio_mmio -max_total_time=60 -max_len=4096
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/virtio_mmio.h"
#include "vq_test_mem.h"

static struct vqt_mem g;
static struct virtio_dev d;
static bool line;

static void fz_notify(struct virtio_dev *dv, unsigned q)
{
    struct vq_chain c;
    for (unsigned n = 0; n < 2 * VQ_NUM_MAX && virtio_pop(dv, q, &c) == 1; n++)
        virtio_push(dv, q, c.head, c.writable);
}

static uint64_t fz_config_read(struct virtio_dev *dv, uint32_t off, unsigned size)
{
    (void)dv;
    if (off >= 8 || size > 8 - off)
        abort();          /* the transport must bound config accesses */
    return off;
}

static const struct virtio_device fz_dev = {
    .name = "fz", .device_id = 3, .slot = 0, .irq = 5, .queues = 2, .queue_max = 16, .config_size = 8,
    .config_read = fz_config_read, .notify = fz_notify,
};

static void fz_irq(void *ctx, unsigned l, bool level)
{
    (void)ctx;
    if (l != 5 || level == line)
        abort();          /* only edges, only on the device's line */
    line = level;
}

static void bring_up(unsigned q, uint16_t num)
{
    virtio_mmio_write(&d, VIRTIO_MMIO_STATUS, 4, 0);
    virtio_mmio_write(&d, VIRTIO_MMIO_STATUS, 4, 3);
    virtio_mmio_write(&d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 4, 1);
    virtio_mmio_write(&d, VIRTIO_MMIO_DRIVER_FEATURES, 4, 1);
    virtio_mmio_write(&d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 4, 0);
    virtio_mmio_write(&d, VIRTIO_MMIO_DRIVER_FEATURES, 4, 1u << VIRTIO_F_INDIRECT_DESC);
    virtio_mmio_write(&d, VIRTIO_MMIO_STATUS, 4, 11);
    virtio_mmio_write(&d, VIRTIO_MMIO_QUEUE_SEL, 4, q);
    virtio_mmio_write(&d, VIRTIO_MMIO_QUEUE_NUM, 4, num);
    virtio_mmio_write(&d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, 4, (uint32_t)VQT_RAM_BASE);
    virtio_mmio_write(&d, VIRTIO_MMIO_QUEUE_DESC_LOW, 4, (uint32_t)VQT_RAM_BASE + 0x100);
    virtio_mmio_write(&d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, 4, (uint32_t)VQT_RAM_BASE + 0x600);
    virtio_mmio_write(&d, VIRTIO_MMIO_QUEUE_READY, 4, 1);
    virtio_mmio_write(&d, VIRTIO_MMIO_STATUS, 4, 15);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vq_mem mem;
    vqt_init(&g, &mem);
    if (size < 1)
        return 0;
    size_t accesses = data[0];
    if (1 + 8 * accesses > size)
        accesses = (size - 1) / 8;
    size_t mem_at = 1 + 8 * accesses;
    size_t n = size - mem_at < VQT_BYTES ? size - mem_at : VQT_BYTES;
    memcpy(g.b, data + mem_at, n);
    memset(&d, 0, sizeof d);
    line = false;
    d.mem = &mem;
    d.irq = fz_irq;
    virtio_dev_init(&d, &fz_dev);
    for (size_t at = 1; at < mem_at; at += 8) {
        const uint8_t *a = data + at;
        uint16_t off = (uint16_t)(a[0] | a[1] << 8) & 0x1ff;
        unsigned sz = 1u << (a[2] & 3);
        uint32_t v = (uint32_t)a[3] | (uint32_t)a[4] << 8 | (uint32_t)a[5] << 16 | (uint32_t)a[6] << 24;
        bool was_broken = d.status & VIRTIO_STATUS_NEEDS_RESET;
        if (a[7] == 0xb5)
            bring_up(a[2] >> 7, (uint16_t)(1u << (a[3] % 6)));
        else if (a[2] & 4)
            virtio_mmio_write(&d, off, sz, v);
        else
            (void)virtio_mmio_read(&d, off, sz);
        bool reset = (a[7] == 0xb5) || (off == VIRTIO_MMIO_STATUS && sz == 4 && (a[2] & 4) && v == 0);
        if (was_broken && !(d.status & VIRTIO_STATUS_NEEDS_RESET) && !reset)
            abort();      /* only a reset clears DEVICE_NEEDS_RESET */
        if (line != (d.isr != 0))
            abort();      /* the line follows InterruptStatus */
    }
    if (g.strays)
        abort();
    return 0;
}
