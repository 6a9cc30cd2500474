/**
 * @file fuzz_virtio_blk.c
 * @brief libFuzzer target for virtio-blk's request handler
 *        (virtio/virtio_blk_req.c).
 *
 * The input describes one chain as the walker hands it over and the guest
 * memory under it:
 *
 *     byte 0          bit 0: the disk is read-only; bits 1-6: segments (0..63);
 *                     bit 7: a chain shaped as Linux makes them instead
 *     16 bytes        the header as the driver wrote it (type, reserved,
 *                     sector): laid over the first readable bytes, however
 *                     the segments cut them
 *     5 per segment   offset (le16) in the first WINDOW bytes of guest RAM;
 *                     length (le16): bits 1-0 0: bits 15-2 bytes, 1: 16 (a
 *                     header), 2: 1 (a status byte), 3: (bits 15-2 % 17)
 *                     sectors, so that good requests are as near as bad
 *                     ones; cut to fit the window; bit 0 of the fifth byte:
 *                     device-writable
 *     the rest        tiled over that window, so every segment's bytes
 *                     are the input's
 *
 * A shaped chain (bit 7) takes 3 bytes instead of the segments: sectors
 * of data (0..14), where the header is cut in two (0..16: not at all),
 * where the data is; then header | data (readable for an OUT, writable
 * otherwise) | status, so that requests that pass every check, and
 * sectors near the capacity, are within the fuzzer's reach.
 * Readable segments are put before writable ones, as the walker
 * guarantees.  The disk is 16 sectors and a partial one between guard
 * areas.  After the request: no access outside RAM (vq_test_mem.h aborts
 * the count), the guards intact, guest bytes outside the writable
 * segments unchanged, a refused chain changed nothing at all, a failed or
 * read-only request left the disk as it was, a successful write changed
 * only its own sectors, the status byte is the last writable byte and the
 * used length fits the writable bytes.  ASan catches any access outside
 * the buffers, UBSan any undefined arithmetic.
 *
 *     make fuzz && build/host/fuzz/fuzz_virtio_blk -max_total_time=60 -max_len=1024
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/virtio_blk.h"
#include "vq_test_mem.h"

#define SECTORS 16u
#define GUARD   512u
#define DISK_BYTES (SECTORS * 512u + 200u)
#define WINDOW  8192u   /* guest RAM the chain lives in (the rest of it must stay 0) */

static struct vqt_mem g;
static uint8_t before[WINDOW];
static uint8_t disk_buf[GUARD + DISK_BYTES + GUARD];
static uint8_t disk_before[DISK_BYTES];
static uint8_t covered[WINDOW];      /* 1: inside a writable segment */
static const uint8_t zero[VQT_BYTES - WINDOW];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vq_mem mem;
    if (size < 17)
        return 0;
    vqt_init(&g, &mem);
    if (disk_before[1] == 0)   /* the disk's bytes, once */
        for (unsigned i = 0; i < DISK_BYTES; i++)
            disk_before[i] = (uint8_t)(i * 13 + i / 512 + 1);
    struct vblk_disk disk = { disk_buf + GUARD, DISK_BYTES, data[0] & 1, { 0 } };
    unsigned nseg = (data[0] >> 1) & 63;
    const uint8_t *hdr = data + 1;
    size_t at = 17;

    struct vq_chain c;
    struct vq_seg w[VQ_NUM_MAX];
    unsigned nw = 0;
    memset(&c, 0, sizeof c);
    memset(covered, 0, sizeof covered);
    if (data[0] & 0x80) {
        if (size < at + 3)
            return 0;
        uint32_t k = data[at] % 15, cut = data[at + 1] % 17, d = VQT_RAM_BASE + 0x100 + data[at + 2] % 64;
        bool out = hdr[0] == 1 && !(hdr[1] | hdr[2] | hdr[3]);
        at += 3;
        if (cut && cut < 16) {
            c.seg[c.nseg++] = (struct vq_seg){ VQT_RAM_BASE, cut, false };
            c.seg[c.nseg++] = (struct vq_seg){ VQT_RAM_BASE + 0x20, 16 - cut, false };
        } else {
            c.seg[c.nseg++] = (struct vq_seg){ VQT_RAM_BASE, 16, false };
        }
        c.readable = 16;
        if (k) {
            c.seg[c.nseg++] = (struct vq_seg){ d, k * 512, !out };
            if (out)
                c.readable += k * 512;
            else
                c.writable += k * 512;
            if (!out)
                memset(covered + (d - VQT_RAM_BASE), 1, k * 512);
        }
        c.seg[c.nseg++] = (struct vq_seg){ VQT_RAM_BASE + 0x1f00, 1, true };
        c.writable += 1;
        covered[0x1f00] = 1;
        nseg = 0;
    }
    for (unsigned i = 0; i < nseg && at + 5 <= size; i++, at += 5) {
        uint32_t off = (uint32_t)(data[at] | data[at + 1] << 8) % WINDOW;
        uint32_t len = (uint32_t)(data[at + 2] | data[at + 3] << 8);
        static const uint32_t fixed[4] = { 0, 16, 1, 0 };
        len = (len & 3) == 0 ? len >> 2 : (len & 3) == 3 ? (len >> 2) % 17 * 512 : fixed[len & 3];
        if (len > WINDOW - off)
            len = WINDOW - off;
        struct vq_seg s = { VQT_RAM_BASE + off, len, data[at + 4] & 1 };
        if (s.write) {
            w[nw++] = s;
            memset(covered + off, 1, len);
            c.writable += len;
        } else {
            c.seg[c.nseg++] = s;
            c.readable += len;
        }
    }
    for (unsigned i = 0; i < nw; i++)
        c.seg[c.nseg++] = w[i];
    for (size_t i = 0; at < size && i < WINDOW; i += size - at)
        memcpy(g.b + i, data + at, size - at < WINDOW - i ? size - at : WINDOW - i);
    for (unsigned i = 0, k = 0; i < c.nseg && !c.seg[i].write && k < 16; i++)
        for (uint32_t j = 0; j < c.seg[i].len && k < 16; j++)
            g.b[c.seg[i].gpa - VQT_RAM_BASE + j] = hdr[k++];
    memcpy(before, g.b, sizeof before);
    memset(disk_buf, 0xee, sizeof disk_buf);
    memcpy(disk.data, disk_before, DISK_BYTES);

    struct vblk_result r;
    enum vblk_outcome o = vblk_request(&mem, &disk, &c, "spectrum-disk", &r);

    if (g.strays)
        abort();
    for (unsigned i = 0; i < GUARD; i++)
        if (disk_buf[i] != 0xee || disk_buf[GUARD + DISK_BYTES + i] != 0xee)
            abort();
    for (unsigned i = 0; i < WINDOW; i++)
        if (!covered[i] && g.b[i] != before[i])
            abort();                           /* written outside the writable segments */
    if (memcmp(g.b + WINDOW, zero, sizeof zero))
        abort();
    bool disk_same = memcmp(disk.data, disk_before, DISK_BYTES) == 0;
    if (o == VBLK_REFUSED) {
        if (memcmp(g.b, before, sizeof before) || !disk_same || (c.writable && c.readable >= 16))
            abort();
        return 0;
    }
    if (o != VBLK_DONE || c.writable == 0 || c.readable < 16 || r.written > c.writable || r.written == 0)
        abort();
    if ((r.status != VIRTIO_BLK_S_OK || disk.ro || r.type != VIRTIO_BLK_T_OUT) && !disk_same)
        abort();
    if (r.status == VIRTIO_BLK_S_OK && r.type == VIRTIO_BLK_T_OUT) {
        uint64_t from = r.sector * 512, to = from + (c.readable - 16);
        if (to > (uint64_t)DISK_BYTES / 512 * 512 || (c.readable - 16) % 512)
            abort();
        for (uint64_t i = 0; i < DISK_BYTES; i++)
            if ((i < from || i >= to) && disk.data[i] != disk_before[i])
                abort();
    }
    /* The status byte: the last byte of the last non-empty writable segment. */
    for (unsigned i = c.nseg; i-- > 0;)
        if (c.seg[i].write && c.seg[i].len) {
            if (g.b[c.seg[i].gpa + c.seg[i].len - 1 - VQT_RAM_BASE] != r.status)
                abort();
            break;
        }
    return 0;
}
