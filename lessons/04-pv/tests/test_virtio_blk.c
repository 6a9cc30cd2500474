/**
 * @file test_virtio_blk.c
 * @brief Unit tests of virtio-blk's request handler (virtio/virtio_blk_req.c)
 *        and of the POSIX checksum Spectrum prints for the image
 *        (virtio/posix_cksum.c).
 *
 * Chains are built here as the walker would hand them over (segments in
 * guest RAM, readable ones first), on the byte-array guest memory of
 * vq_test_mem.h; the disk is 64 sectors between two guard areas.  Every
 * test ends by checking that nothing was read or written outside the
 * chain's RAM (the memory's stray count) nor outside the image (the
 * guards).  Good requests (IN, OUT, FLUSH, GET_ID, headers and data cut
 * anywhere, §2.6.4), failed ones (IOERR: past the capacity, sector
 * numbers that would wrap, partial sectors, a write to a read-only disk,
 * data on the wrong side; UNSUPP) that move no data, and refused ones (no
 * header, no status byte) that touch nothing at all.
 */
#include <check.h>
#include <stdint.h>

#include "check_main.h"
#include "virtio/posix_cksum.h"
#include "virtio/virtio_blk.h"
#include "vq_test_mem.h"

#define SECTORS 64u
#define GUARD   4096u
#define ID      "spectrum-disk"

static struct vqt_mem g;
static struct vq_mem mem;
static uint8_t disk_buf[GUARD + SECTORS * 512 + 100 + GUARD];   /* + a partial last sector */
static struct vblk_disk disk;
static struct vq_chain c;
static struct vblk_result r;

#define HDR   (VQT_BUF)              /* a request's header */
#define DATA  (VQT_BUF + 0x100)      /* its data, up to 32 KiB */
#define STAT  (VQT_BUF + 0x9000)     /* its status byte */

static uint8_t disk_byte(uint64_t off) { return (uint8_t)(off * 7 + off / 512 + 1); }

static void setup(void)
{
    vqt_init(&g, &mem);
    memset(disk_buf, 0xee, sizeof disk_buf);
    disk.data = disk_buf + GUARD;
    disk.size = SECTORS * 512 + 100;
    disk.ro = false;
    memset(&disk.stats, 0, sizeof disk.stats);
    for (uint64_t i = 0; i < disk.size; i++)
        disk.data[i] = disk_byte(i);
    memset(&c, 0, sizeof c);
    memset(g.b + (STAT - VQT_RAM_BASE), 0xaa, 16);   /* a status the device did not write shows */
}

static void teardown(void)
{
    ck_assert_uint_eq(g.strays, 0);
    for (unsigned i = 0; i < GUARD; i++) {
        ck_assert_uint_eq(disk_buf[i], 0xee);
        ck_assert_uint_eq(disk_buf[GUARD + disk.size + i], 0xee);
    }
}

static uint8_t *at(uint64_t gpa) { return &g.b[gpa - VQT_RAM_BASE]; }

static void seg(uint64_t gpa, uint32_t len, bool write)
{
    c.seg[c.nseg++] = (struct vq_seg){ gpa, len, write };
    if (write)
        c.writable += len;
    else
        c.readable += len;
}

static void header(uint64_t gpa, uint32_t type, uint64_t sector)
{
    struct virtio_blk_req_hdr h = { type, 0, sector };
    memcpy(at(gpa), &h, sizeof h);
}

static enum vblk_outcome run(void)
{
    return vblk_request(&mem, &disk, &c, ID, &r);
}

static void assert_done(uint8_t status, uint32_t written)
{
    ck_assert_int_eq(run(), VBLK_DONE);
    ck_assert_uint_eq(r.status, status);
    ck_assert_uint_eq(r.written, written);
}

static bool disk_intact(void)
{
    for (uint64_t i = 0; i < disk.size; i++)
        if (disk.data[i] != disk_byte(i))
            return false;
    return true;
}

START_TEST(config_space)
{
    ck_assert_uint_eq(vblk_config_read(&disk, 0, 8), SECTORS);   /* the partial sector is not offered */
    ck_assert_uint_eq(vblk_config_read(&disk, 0, 4), SECTORS);
    ck_assert_uint_eq(vblk_config_read(&disk, 12, 4), VBLK_SEG_MAX);
    ck_assert_uint_eq(vblk_config_read(&disk, 8, 8), (uint64_t)VBLK_SEG_MAX << 32);
    ck_assert_uint_eq(vblk_config_read(&disk, 20, 4), 0);        /* blk_size: not offered */
    ck_assert_uint_eq(vblk_config_read(&disk, 68, 4), 0);
    ck_assert_uint_eq(vblk_config_read(&disk, 70, 4), 0);        /* past the end: 0, no read beyond */
    ck_assert_uint_eq(vblk_config_read(&disk, 0xffffffffu, 8), 0);
    ck_assert_uint_le(VBLK_SEG_MAX + 3, VQ_NUM_MAX);             /* Linux's indirect table fits the walker */
}
END_TEST

/* A read whose data and status share descriptors as they please (§2.6.4). */
START_TEST(read_cut_anywhere)
{
    header(HDR, VIRTIO_BLK_T_IN, 3);
    seg(HDR, 16, false);
    seg(DATA, 100, true);
    seg(DATA + 100, 900, true);
    seg(DATA + 1000, 25, true);   /* the last 24 data bytes and the status */
    assert_done(VIRTIO_BLK_S_OK, 1025);
    ck_assert_int_eq(memcmp(at(DATA), disk.data + 3 * 512, 1024), 0);
    ck_assert_uint_eq(*at(DATA + 1024), VIRTIO_BLK_S_OK);
    ck_assert_uint_eq(disk.stats.reads, 1);
    ck_assert_uint_eq(disk.stats.bytes_read, 1024);
    ck_assert(disk_intact());
}
END_TEST

/* A header in two pieces, the data after it in the same descriptor. */
START_TEST(write_cut_anywhere)
{
    header(DATA, VIRTIO_BLK_T_OUT, 5);
    memset(at(DATA + 16), 0x5a, 1024);
    seg(DATA, 8, false);
    seg(DATA + 8, 8 + 700, false);
    seg(DATA + 716, 324, false);
    seg(STAT, 1, true);
    assert_done(VIRTIO_BLK_S_OK, 1);
    ck_assert_uint_eq(*at(STAT), VIRTIO_BLK_S_OK);
    for (unsigned i = 0; i < 1024; i++)
        ck_assert_uint_eq(disk.data[5 * 512 + i], 0x5a);
    ck_assert_uint_eq(disk.data[5 * 512 - 1], disk_byte(5 * 512 - 1));
    ck_assert_uint_eq(disk.data[7 * 512], disk_byte(7 * 512));
    ck_assert_uint_eq(disk.stats.writes, 1);
    ck_assert_uint_eq(disk.stats.bytes_written, 1024);
}
END_TEST

/* The last sector, exactly; and a read of nothing at the capacity. */
START_TEST(capacity_edges)
{
    header(HDR, VIRTIO_BLK_T_IN, SECTORS - 1);
    seg(HDR, 16, false);
    seg(DATA, 512, true);
    seg(STAT, 1, true);
    assert_done(VIRTIO_BLK_S_OK, 513);
    ck_assert_int_eq(memcmp(at(DATA), disk.data + (SECTORS - 1) * 512, 512), 0);
    memset(&c, 0, sizeof c);
    header(HDR, VIRTIO_BLK_T_IN, SECTORS);
    seg(HDR, 16, false);
    seg(STAT, 1, true);
    assert_done(VIRTIO_BLK_S_OK, 1);
}
END_TEST

START_TEST(flush_and_get_id)
{
    header(HDR, VIRTIO_BLK_T_FLUSH, 0);
    seg(HDR, 16, false);
    seg(STAT, 1, true);
    assert_done(VIRTIO_BLK_S_OK, 1);
    disk.ro = true;
    assert_done(VIRTIO_BLK_S_OK, 1);    /* nothing to flush on a read-only disk: still fine */
    ck_assert_uint_eq(disk.stats.flushes, 2);

    memset(&c, 0, sizeof c);
    memset(at(DATA), 0x77, 32);
    header(HDR, VIRTIO_BLK_T_GET_ID, 0);
    seg(HDR, 16, false);
    seg(DATA, 20, true);
    seg(STAT, 1, true);
    assert_done(VIRTIO_BLK_S_OK, 21);
    ck_assert_int_eq(memcmp(at(DATA), ID, sizeof ID), 0);
    for (unsigned i = sizeof ID; i < 20; i++)
        ck_assert_uint_eq(*at(DATA + i), 0);          /* NUL-padded */
    ck_assert_uint_eq(*at(DATA + 20), 0x77);          /* and nothing past the 20 bytes */
    /* A 25-character ID fills the 20 bytes, no NUL (§5.2.6). */
    memset(at(DATA), 0x77, 32);
    ck_assert_int_eq(vblk_request(&mem, &disk, &c, "abcdefghijklmnopqrstuvwxy", &r), VBLK_DONE);
    ck_assert_int_eq(memcmp(at(DATA), "abcdefghijklmnopqrst", 20), 0);
    ck_assert_uint_eq(disk.stats.ids, 2);
    ck_assert(disk_intact());
}
END_TEST

START_TEST(unsupported_types)
{
    static const uint32_t types[] = { 2, 11, 13, 14, 0x80000000u, 0xffffffffu };
    for (unsigned i = 0; i < sizeof types / sizeof *types; i++) {
        memset(&c, 0, sizeof c);
        memset(at(DATA), 0x77, 600);
        header(HDR, types[i], 1);
        seg(HDR, 16, false);
        seg(DATA, 512, true);
        seg(STAT, 1, true);
        assert_done(VIRTIO_BLK_S_UNSUPP, 1);
        ck_assert_uint_eq(*at(STAT), VIRTIO_BLK_S_UNSUPP);
        ck_assert_uint_eq(*at(DATA), 0x77);
    }
    ck_assert_uint_eq(disk.stats.errors, 6);
    ck_assert(disk_intact());
}
END_TEST

/* A write to a read-only disk: IOERR, the disk untouched (§5.2.6.2). */
START_TEST(read_only_write)
{
    disk.ro = true;
    header(DATA, VIRTIO_BLK_T_OUT, 0);
    memset(at(DATA + 16), 0x5a, 512);
    seg(DATA, 16 + 512, false);
    seg(STAT, 1, true);
    assert_done(VIRTIO_BLK_S_IOERR, 1);
    ck_assert_uint_eq(*at(STAT), VIRTIO_BLK_S_IOERR);
    ck_assert(disk_intact());
    ck_assert_uint_eq(disk.stats.writes, 0);
    ck_assert_uint_eq(disk.stats.errors, 1);
}
END_TEST

/* Past the end, however the numbers are made to wrap: IOERR, no data. */
START_TEST(out_of_range)
{
    static const struct { uint64_t sector; uint32_t bytes; } bad[] = {
        { SECTORS, 512 },                  /* the first sector past the end (the partial one) */
        { SECTORS - 1, 1024 },             /* runs one past */
        { UINT64_MAX, 512 },               /* sector + 1 wraps to 0 */
        { UINT64_MAX / 512 + 1, 512 },     /* sector * 512 wraps to 0 */
        { 1ull << 55, 512 },
    };
    for (int write = 0; write < 2; write++)
        for (unsigned i = 0; i < sizeof bad / sizeof *bad; i++) {
            memset(&c, 0, sizeof c);
            memset(at(DATA), 0x77, bad[i].bytes);
            if (write) {
                header(DATA - 16, VIRTIO_BLK_T_OUT, bad[i].sector);
                seg(DATA - 16, 16 + bad[i].bytes, false);
            } else {
                header(HDR, VIRTIO_BLK_T_IN, bad[i].sector);
                seg(HDR, 16, false);
                seg(DATA, bad[i].bytes, true);
            }
            seg(STAT, 1, true);
            assert_done(VIRTIO_BLK_S_IOERR, 1);
            ck_assert_uint_eq(*at(STAT), VIRTIO_BLK_S_IOERR);
            ck_assert_uint_eq(*at(DATA), 0x77);   /* a failed read wrote no data */
            ck_assert(disk_intact());
        }
    ck_assert_uint_eq(disk.stats.reads + disk.stats.writes, 0);
}
END_TEST

/* Data that is not whole sectors, or on the wrong side of the chain. */
START_TEST(bad_lengths_and_sides)
{
    header(HDR, VIRTIO_BLK_T_IN, 0);
    seg(HDR, 16, false);
    seg(DATA, 513, true);
    seg(STAT, 1, true);
    memset(at(DATA), 0x77, 513);
    assert_done(VIRTIO_BLK_S_IOERR, 1);
    ck_assert_uint_eq(*at(DATA), 0x77);

    memset(&c, 0, sizeof c);
    header(DATA, VIRTIO_BLK_T_OUT, 0);
    seg(DATA, 16 + 100, false);
    seg(STAT, 1, true);
    assert_done(VIRTIO_BLK_S_IOERR, 1);

    memset(&c, 0, sizeof c);                  /* a read with readable data after the header */
    header(DATA, VIRTIO_BLK_T_IN, 0);
    seg(DATA, 16 + 512, false);
    seg(STAT, 1, true);
    assert_done(VIRTIO_BLK_S_IOERR, 1);

    memset(&c, 0, sizeof c);                  /* a write with writable data before the status */
    header(HDR, VIRTIO_BLK_T_OUT, 0);
    seg(HDR, 16, false);
    seg(DATA, 512, true);
    seg(STAT, 1, true);
    memset(at(DATA), 0x77, 512);
    assert_done(VIRTIO_BLK_S_IOERR, 1);
    ck_assert_uint_eq(*at(DATA), 0x77);
    ck_assert(disk_intact());
    ck_assert_uint_eq(disk.stats.errors, 4);
}
END_TEST

/* The status is the last byte of the writable part, even when the last
 * writable descriptor is empty. */
START_TEST(status_is_the_last_writable_byte)
{
    header(HDR, VIRTIO_BLK_T_FLUSH, 0);
    seg(HDR, 16, false);
    seg(STAT, 4, true);
    seg(DATA, 0, true);
    assert_done(VIRTIO_BLK_S_OK, 1);
    ck_assert_uint_eq(*at(STAT + 3), VIRTIO_BLK_S_OK);
    ck_assert_uint_eq(*at(STAT), 0xaa);
}
END_TEST

/* No header or no status byte: refused, and nothing at all written. */
START_TEST(refused_chains)
{
    static uint8_t before[VQT_BYTES];
    memcpy(before, g.b, sizeof before);

    header(HDR, VIRTIO_BLK_T_IN, 0);          /* no writable byte */
    seg(HDR, 16, false);
    seg(DATA, 512, false);
    ck_assert_int_eq(run(), VBLK_REFUSED);
    ck_assert_ptr_nonnull(strstr(r.why, "status"));
    ck_assert_uint_eq(r.gpa, HDR);

    memset(&c, 0, sizeof c);                  /* a short header */
    seg(HDR, 8, false);
    seg(DATA, 512, true);
    seg(STAT, 1, true);
    ck_assert_int_eq(run(), VBLK_REFUSED);
    ck_assert_ptr_nonnull(strstr(r.why, "header"));

    memset(&c, 0, sizeof c);                  /* the header in a writable buffer */
    seg(HDR, 16, true);
    seg(STAT, 1, true);
    ck_assert_int_eq(run(), VBLK_REFUSED);

    memset(&c, 0, sizeof c);                  /* no buffer at all */
    ck_assert_int_eq(run(), VBLK_REFUSED);
    ck_assert_uint_eq(r.gpa, 0);

    ck_assert_int_eq(memcmp(before, g.b, sizeof before), 0);
    ck_assert(disk_intact());
    ck_assert_uint_eq(disk.stats.refused, 4);
}
END_TEST

/* Values `cksum` printed on the host (GNU coreutils). */
START_TEST(posix_cksum_values)
{
    static uint8_t b[70000];
    ck_assert_uint_eq(posix_cksum(b, 0), 4294967295u);
    ck_assert_uint_eq(posix_cksum((const uint8_t *)"a", 1), 1220704766u);
    ck_assert_uint_eq(posix_cksum((const uint8_t *)"123456789", 9), 930766865u);
    ck_assert_uint_eq(posix_cksum(b, sizeof b), 1774371287u);   /* the length takes 3 bytes */
    for (unsigned i = 0; i < 300; i++)
        b[i] = (uint8_t)(i * 7 + 3);
    ck_assert_uint_eq(posix_cksum(b, 300), 614254054u);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("virtio_blk");
    TCase *tc = tcase_create("requests");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, config_space);
    tcase_add_test(tc, read_cut_anywhere);
    tcase_add_test(tc, write_cut_anywhere);
    tcase_add_test(tc, capacity_edges);
    tcase_add_test(tc, flush_and_get_id);
    tcase_add_test(tc, unsupported_types);
    tcase_add_test(tc, read_only_write);
    tcase_add_test(tc, out_of_range);
    tcase_add_test(tc, bad_lengths_and_sides);
    tcase_add_test(tc, status_is_the_last_writable_byte);
    tcase_add_test(tc, refused_chains);
    tcase_add_test(tc, posix_cksum_values);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(suite)
