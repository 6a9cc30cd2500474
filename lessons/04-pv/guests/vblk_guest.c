/**
 * @file vblk_guest.c
 * @brief Guest "vblk" (64-bit): a driver for Spectrum's virtio-blk (slot 1,
 *        0xd0001000) written from virtio v1.2 §5.2, good and hostile, on
 *        the test disk of lessons/04-pv/linux (sector N reads "spectrum
 *        test disk, sector N").
 *
 * Good: identification (device 2, VERSION_1, SEG_MAX and FLUSH offered,
 * RO as the disk is), the configuration space (capacity, seg_max), a read
 * of sector 100, GET_ID, FLUSH, and a write: on a read-write disk sector 5
 * written back with its own bytes (so the image stays as built, which the
 * grader checks with its checksum), on a read-only one a write that must
 * fail with IOERR.  Hostile requests the device must answer IOERR or
 * UNSUPP without moving data: a read at the capacity, one that runs past
 * it, writes at sectors whose byte offset wraps past 2^64, a read of 100
 * bytes, an unsupported type.  Hostile chains it must refuse with
 * DEVICE_NEEDS_RESET, touching nothing: a status byte in a device-readable
 * buffer (no writable byte at all), an 8-byte header, a header in a
 * device-writable buffer.  Last, a read works again after a reset.  Exit
 * status: the number of checks that went wrong.
 */
#include "guests/rt_guest.h"

#define VIO      0xd0001000ul    /* virtio/virtio_mmio.h: slot 1 */
#include "guests/virtio_drv.h"
#define QSIZE    8u
#define REQQ     0u              /* requestq (§5.2.2) */

/* virtio-blk (§5.2.3, §5.2.6). */
#define BLK_F_SEG_MAX (1u << 2)
#define BLK_F_RO      (1u << 5)
#define BLK_F_FLUSH   (1u << 9)
#define T_IN 0u
#define T_OUT 1u
#define T_FLUSH 4u
#define T_GET_ID 8u
#define T_DISCARD 11u
#define S_OK 0u
#define S_IOERR 1u
#define S_UNSUPP 2u

struct req_hdr {
    uint32_t type, reserved;
    uint64_t sector;
};

static struct desc ring_desc[QSIZE] __attribute__((aligned(4096)));
static volatile uint16_t ring_avail[3 + QSIZE] __attribute__((aligned(4096)));
static volatile uint32_t ring_used[1 + 2 * QSIZE + 1] __attribute__((aligned(4096)));
static struct req_hdr hdr __attribute__((aligned(16)));
static uint8_t data[2 * 512 + 16] __attribute__((aligned(512)));
static uint8_t sector5[512];
static volatile uint8_t status;

static unsigned failures;
static uint32_t features;     /* device features, page 0 */
static uint64_t capacity;

static uint16_t used_idx(void) { return (uint16_t)(ring_used[0] >> 16); }

static void check(bool ok, const char *what)
{
    guest_printf("vblk: %s: %s\n", what, ok ? "ok" : "WRONG");
    if (!ok)
        failures++;
}

/* Reset, handshake with the device's features, requestq set up. */
static bool up(void)
{
    wr(STATUS, 0);
    for (unsigned i = 0; i < sizeof ring_avail / 2; i++)
        ring_avail[i] = 0;
    for (unsigned i = 0; i < sizeof ring_used / 4; i++)
        ring_used[i] = 0;
    wr(STATUS, S_ACK);
    wr(STATUS, S_ACK | S_DRIVER);
    wr(DRV_FEATURES_SEL, 1);
    wr(DRV_FEATURES, 1);                    /* VIRTIO_F_VERSION_1 (bit 32) */
    wr(DRV_FEATURES_SEL, 0);
    wr(DRV_FEATURES, features & (BLK_F_SEG_MAX | BLK_F_RO | BLK_F_FLUSH));
    wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
    if (!(rd(STATUS) & S_FEATURES_OK))
        return false;
    wr(QUEUE_SEL, REQQ);
    if (rd(QUEUE_NUM_MAX) < QSIZE || rd(QUEUE_READY))
        return false;
    vdrv_queue_setup(REQQ, QSIZE, ring_desc, ring_avail, ring_used);
    wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    return rd(QUEUE_READY) == 1;
}

static void set(unsigned i, const volatile void *buf, uint32_t len, uint16_t flags, uint16_t next)
{
    ring_desc[i].addr = (unsigned long)buf;
    ring_desc[i].len = len;
    ring_desc[i].flags = flags;
    ring_desc[i].next = next;
}

/* Offer the chain at descriptor 0, notify; true if it came back used
 * (with its used length in @p len), the interrupt acknowledged. */
static bool submit(uint32_t *len)
{
    uint16_t idx = ring_avail[1], used = used_idx();
    ring_avail[2 + idx % QSIZE] = 0;
    __asm__ volatile("" ::: "memory");   /* the entry before the index (§2.7.13.2) */
    ring_avail[1] = (uint16_t)(idx + 1);
    wr(QUEUE_NOTIFY, REQQ);
    if (used_idx() != (uint16_t)(used + 1))
        return false;
    if (len)
        *len = ring_used[2 + 2 * (used % QSIZE)];
    bool irq = rd(INT_STATUS) & 1;
    wr(INT_ACK, rd(INT_STATUS));
    return irq;
}

/* The usual three-part request: header | data (readable for OUT, else
 * writable) | status; the status byte's value (0xff: not used). */
static uint8_t request(uint32_t type, uint64_t sector, uint32_t bytes, uint32_t *len)
{
    hdr.type = type;
    hdr.reserved = 0;
    hdr.sector = sector;
    status = 0xaa;
    set(0, &hdr, sizeof hdr, F_NEXT, bytes ? 1 : 2);
    set(1, data, bytes, (uint16_t)(F_NEXT | (type == T_OUT ? 0 : F_WRITE)), 2);
    set(2, &status, 1, F_WRITE, 0);
    return submit(len) ? status : 0xff;
}

static bool text_is(const uint8_t *p, const char *s)
{
    for (; *s; s++, p++)
        if (*p != (uint8_t)*s)
            return false;
    return true;
}

static bool same(const uint8_t *a, const uint8_t *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

static bool all(const uint8_t *p, uint8_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (p[i] != v)
            return false;
    return true;
}

/* A chain the device must refuse: NEEDS_RESET, a config interrupt,
 * nothing used, the status and data untouched; then a fresh device. */
static void refused(const char *what)
{
    uint16_t used = used_idx();
    ring_avail[2 + ring_avail[1] % QSIZE] = 0;
    ring_avail[1] = (uint16_t)(ring_avail[1] + 1);
    wr(QUEUE_NOTIFY, REQQ);
    uint32_t st = rd(STATUS), isr = rd(INT_STATUS);
    check((st & S_NEEDS_RESET) && (isr & 2) && used_idx() == used && status == 0xaa && all(data, 0x77, 512), what);
    check(up(), "reset and up again");
}

int guest_main(void)
{
    uint32_t len = 0;
    check(rd(MAGIC) == 0x74726976 && rd(VERSION) == 2 && rd(DEVICE_ID) == 2, "magic, version 2, device 2");
    wr(DEV_FEATURES_SEL, 0);
    features = rd(DEV_FEATURES);
    wr(DEV_FEATURES_SEL, 1);
    check((rd(DEV_FEATURES) & 1) && (features & BLK_F_SEG_MAX) && (features & BLK_F_FLUSH),
          "VERSION_1, SEG_MAX and FLUSH offered");
    bool ro = features & BLK_F_RO;
    capacity = rd(CONFIG) | (uint64_t)rd(CONFIG + 4) << 32;
    guest_printf("vblk: %s disk, capacity %lu sectors, seg_max %u\n", ro ? "read-only" : "read-write",
                 (unsigned long)capacity, rd(CONFIG + 12));
    check(capacity >= 128 && rd(CONFIG + 12) >= 1, "configuration space");
    check(up(), "handshake and requestq");

    /* --- good requests --- */
    check(request(T_IN, 100, 512, &len) == S_OK && len == 513 && text_is(data, "spectrum test disk, sector 100"),
          "read sector 100");
    check(request(T_GET_ID, 0, 20, &len) == S_OK && len == 21 && text_is(data, "spectrum-disk"), "GET_ID");
    check(request(T_FLUSH, 0, 0, &len) == S_OK && len == 1, "FLUSH");
    check(request(T_IN, 5, 512, 0) == S_OK && text_is(data, "spectrum test disk, sector 5"), "read sector 5");
    for (unsigned i = 0; i < 512; i++)
        sector5[i] = data[i];
    if (ro) {
        for (unsigned i = 0; i < 512; i++)
            data[i] = 0x55;
        check(request(T_OUT, 5, 512, &len) == S_IOERR && len == 1, "a write to the read-only disk: IOERR");
    } else {
        check(request(T_OUT, 5, 512, &len) == S_OK && len == 1, "sector 5 written back with its own bytes");
    }
    check(request(T_IN, 5, 512, 0) == S_OK && same(data, sector5, 512), "sector 5 as before");

    /* --- hostile requests: an error status, no data moved --- */
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = 0x77;
    check(request(T_IN, capacity, 512, &len) == S_IOERR && len == 1 && all(data, 0x77, 512),
          "a read at the capacity: IOERR");
    check(request(T_IN, capacity - 1, 1024, 0) == S_IOERR && all(data, 0x77, 1024),
          "a read running past the capacity: IOERR");
    check(request(T_OUT, ~0ull, 512, 0) == S_IOERR, "a write at sector 2^64-1 (the end wraps): IOERR");
    check(request(T_OUT, 1ull << 55, 512, 0) == S_IOERR, "a write at sector 2^55 (its byte offset wraps): IOERR");
    check(request(T_IN, 0, 100, 0) == S_IOERR && all(data, 0x77, 100), "a read of 100 bytes: IOERR");
    check(request(T_DISCARD, 0, 16, 0) == S_UNSUPP && all(data, 0x77, 16), "DISCARD (not offered): UNSUPP");

    /* --- hostile chains: DEVICE_NEEDS_RESET, nothing touched --- */
    hdr.type = T_IN;
    hdr.sector = 0;
    status = 0xaa;
    set(0, &hdr, sizeof hdr, F_NEXT, 1);
    set(1, data, 512, F_NEXT, 2);
    set(2, &status, 1, 0, 0);
    refused("the status byte in a device-readable buffer");
    set(0, &hdr, 8, F_NEXT, 1);
    set(1, data, 512, F_NEXT | F_WRITE, 2);
    set(2, &status, 1, F_WRITE, 0);
    refused("an 8-byte header");
    set(0, &hdr, sizeof hdr, F_NEXT | F_WRITE, 1);
    set(1, &status, 1, F_WRITE, 0);
    refused("the header in a device-writable buffer");

    /* --- and the device works after the reset --- */
    check(request(T_IN, 100, 512, 0) == S_OK && text_is(data, "spectrum test disk, sector 100"),
          "a read after the reset");
    wr(STATUS, 0);

    if (failures)
        guest_printf("vblk: %u checks went wrong: FAILED\n", failures);
    else
        guest_printf("vblk: checks passed\n");
    return (int)failures;
}
