/**
 * @file virtio_blk_req.c
 * @brief One virtio-blk request (virtio_blk.h): the header, the range
 *        checks, the copy between the chain and the disk image, the
 *        status byte.  Pure: guest memory through struct vq_mem, the disk
 *        a byte array, so the unit test and the fuzzer run it as it is.
 *
 * What a request may be (virtio v1.2 §5.2.6, with §2.6.4's rule that a
 * device must not depend on how the driver cut its buffers):
 *
 *   - no 16 device-readable bytes for the header, or no device-writable
 *     byte for the status: the request cannot even be answered, so the
 *     chain is refused and the device needs a reset (§2.1.2);
 *   - IN: the header only readable; the writable bytes but the last are
 *     the data, whole sectors inside the capacity;
 *   - OUT: the data follows the header in the readable bytes, whole
 *     sectors inside the capacity, and only the status is writable; a
 *     read-only disk answers IOERR and writes nothing (§5.2.6.2);
 *   - FLUSH: the image is Spectrum's memory, so every write is already
 *     "durable": OK, counted;
 *   - GET_ID: the ID string into the writable data (up to 20 bytes);
 *   - anything else: UNSUPP.
 *
 * A request that breaks an IN/OUT rule gets IOERR and moves no data: the
 * range check comes before any copy, in 64 bits, so no sector number
 * can wrap it.
 */
#include "virtio/virtio_blk.h"

#include "spectrum/exercise.h"
#include "spectrum/string.h"

/* Copy @p len bytes at offset @p off of the chain's readable (or
 * writable) stream from (to) @p buf.  The walker checked every segment to
 * be RAM, so a failure means guest memory changed under us: an error. */
static bool stream_copy(const struct vq_mem *mem, const struct vq_chain *c, bool writable, uint64_t off,
                        uint8_t *buf, uint64_t len)
{
    for (unsigned i = 0; i < c->nseg && len; i++) {
        const struct vq_seg *s = &c->seg[i];
        if (s->write != writable)
            continue;
        if (off >= s->len) {
            off -= s->len;
            continue;
        }
        uint32_t n = s->len - (uint32_t)off < len ? s->len - (uint32_t)off : (uint32_t)len;
        bool ok = writable ? mem->write(mem->ctx, s->gpa + off, buf, n) : mem->read(mem->ctx, s->gpa + off, buf, n);
        if (!ok)
            return false;
        buf += n;
        len -= n;
        off = 0;
    }
    return len == 0;
}

static uint64_t le(const uint8_t *b, unsigned n)
{
    uint64_t v = 0;
    while (n--)
        v = v << 8 | b[n];
    return v;
}

static enum vblk_outcome done(const struct vq_mem *mem, const struct vq_chain *c, struct vblk_disk *disk,
                              struct vblk_result *r, uint8_t status, uint32_t data, const char *why)
{
    r->status = status;
    r->why = why;
    r->written = data + 1;
    if (status != VIRTIO_BLK_S_OK) {
        disk->stats.errors++;
        r->written = 1;   /* an IN that failed wrote no data */
    }
    /* The status is the last writable byte (§5.2.6): checked to exist. */
    stream_copy(mem, c, true, c->writable - 1u, &status, 1);
    return VBLK_DONE;
}

/* [sector, sector + bytes / 512) inside the disk, in 64 bits: neither a
 * huge sector nor a huge length can wrap the test. */
static bool in_range(const struct vblk_disk *disk, uint64_t sector, uint64_t bytes)
{
    /* EXERCISE 04.blk-range 10 "Is [sector, sector + bytes/512) inside the disk? Without sector + n, which a guest can make wrap (virtio v1.2 5.2.6)" */
    uint64_t cap = vblk_capacity(disk), n = bytes / VIRTIO_BLK_SECTOR;
    return sector <= cap && n <= cap - sector;
    /* STUB
    EXERCISE_TODO();
    (void)disk;
    (void)sector;
    (void)bytes;
    return false;
    STUB END */
    /* END EXERCISE 04.blk-range */
}

enum vblk_outcome vblk_request(const struct vq_mem *mem, struct vblk_disk *disk, const struct vq_chain *c,
                               const char *id, struct vblk_result *r)
{
    memset(r, 0, sizeof *r);
    r->gpa = c->nseg ? c->seg[0].gpa : 0;
    uint8_t h[sizeof(struct virtio_blk_req_hdr)];
    if (c->writable == 0) {
        disk->stats.refused++;
        r->why = "no device-writable byte for the status";
        return VBLK_REFUSED;
    }
    if (c->readable < sizeof h || !stream_copy(mem, c, false, 0, h, sizeof h)) {
        disk->stats.refused++;
        r->why = "header shorter than 16 device-readable bytes";
        return VBLK_REFUSED;
    }
    r->type = (uint32_t)le(h, 4);
    r->sector = le(h + 8, 8);

    uint32_t extra_in = c->readable - (uint32_t)sizeof h;   /* readable bytes after the header */
    uint32_t data_out = c->writable - 1u;                   /* writable bytes before the status */
    switch (r->type) {
    case VIRTIO_BLK_T_IN:
        if (extra_in)
            return done(mem, c, disk, r, VIRTIO_BLK_S_IOERR, 0, "read request with readable data");
        if (data_out % VIRTIO_BLK_SECTOR)
            return done(mem, c, disk, r, VIRTIO_BLK_S_IOERR, 0, "read length not whole sectors");
        if (!in_range(disk, r->sector, data_out))
            return done(mem, c, disk, r, VIRTIO_BLK_S_IOERR, 0, "read past the capacity");
        if (!stream_copy(mem, c, true, 0, disk->data + r->sector * VIRTIO_BLK_SECTOR, data_out))
            return done(mem, c, disk, r, VIRTIO_BLK_S_IOERR, 0, "guest memory changed");
        disk->stats.reads++;
        disk->stats.bytes_read += data_out;
        return done(mem, c, disk, r, VIRTIO_BLK_S_OK, data_out, 0);
    case VIRTIO_BLK_T_OUT:
        if (data_out)
            return done(mem, c, disk, r, VIRTIO_BLK_S_IOERR, 0, "write request with writable data");
        if (disk->ro)
            return done(mem, c, disk, r, VIRTIO_BLK_S_IOERR, 0, "write to a read-only disk");
        if (extra_in % VIRTIO_BLK_SECTOR)
            return done(mem, c, disk, r, VIRTIO_BLK_S_IOERR, 0, "write length not whole sectors");
        if (!in_range(disk, r->sector, extra_in))
            return done(mem, c, disk, r, VIRTIO_BLK_S_IOERR, 0, "write past the capacity");
        if (!stream_copy(mem, c, false, sizeof h, disk->data + r->sector * VIRTIO_BLK_SECTOR, extra_in))
            return done(mem, c, disk, r, VIRTIO_BLK_S_IOERR, 0, "guest memory changed");
        disk->stats.writes++;
        disk->stats.bytes_written += extra_in;
        return done(mem, c, disk, r, VIRTIO_BLK_S_OK, 0, 0);
    case VIRTIO_BLK_T_FLUSH:
        disk->stats.flushes++;
        return done(mem, c, disk, r, VIRTIO_BLK_S_OK, 0, 0);
    case VIRTIO_BLK_T_GET_ID: {
        uint8_t ans[VIRTIO_BLK_ID_BYTES];
        memset(ans, 0, sizeof ans);
        size_t n = strnlen(id, sizeof ans);
        memcpy(ans, id, n);
        uint32_t give = data_out < sizeof ans ? data_out : (uint32_t)sizeof ans;
        if (!stream_copy(mem, c, true, 0, ans, give))
            return done(mem, c, disk, r, VIRTIO_BLK_S_IOERR, 0, "guest memory changed");
        disk->stats.ids++;
        return done(mem, c, disk, r, VIRTIO_BLK_S_OK, give, 0);
    }
    default:
        return done(mem, c, disk, r, VIRTIO_BLK_S_UNSUPP, 0, "request type not supported");
    }
}

uint64_t vblk_config_read(const struct vblk_disk *disk, uint32_t off, unsigned size)
{
    struct virtio_blk_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.capacity = vblk_capacity(disk);
    cfg.seg_max = VBLK_SEG_MAX;
    /* x86 is little-endian like the configuration space (§2.5): the
     * struct's bytes are the wire bytes. */
    uint64_t v = 0;
    if (off < sizeof cfg && size <= 8 && size <= sizeof cfg - off)
        memcpy(&v, (const uint8_t *)&cfg + off, size);
    return v;
}
