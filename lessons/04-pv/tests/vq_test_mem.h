/**
 * @file vq_test_mem.h
 * @brief A guest memory for the hosted virtqueue tests and the fuzzer
 *        (struct vq_mem over a byte array), and a tiny driver that lays
 *        out a split virtqueue in it.
 *
 * Guest RAM is [VQT_RAM_BASE, VQT_RAM_BASE + ram_size); its first
 * VQT_BYTES are backed by the array, so reads and writes beyond fail
 * even where is_ram() says RAM (a "large RAM" for the length-overflow
 * case).  Every access the walker makes is checked here again and
 * counted if it strays: the tests assert the count stays 0, i.e. the
 * walker asked only for what it had checked.
 */
#ifndef SPECTRUM_VQ_TEST_MEM_H
#define SPECTRUM_VQ_TEST_MEM_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "virtio/virtqueue.h"

#define VQT_RAM_BASE 0x10000ull
#define VQT_BYTES    0x10000u
#define VQT_DESC     (VQT_RAM_BASE + 0x0000)   /* the queue's rings */
#define VQT_AVAIL    (VQT_RAM_BASE + 0x1000)
#define VQT_USED     (VQT_RAM_BASE + 0x2000)
#define VQT_BUF      (VQT_RAM_BASE + 0x4000)   /* buffers and indirect tables */

struct vqt_mem {
    uint8_t b[VQT_BYTES];
    uint64_t ram_size;     /* what is_ram() believes (>= VQT_BYTES) */
    unsigned strays;       /* reads/writes outside the backing array */
    unsigned reads;        /* read calls */
};

static inline bool vqt_in(struct vqt_mem *m, uint64_t gpa, uint64_t len)
{
    (void)m;
    return gpa >= VQT_RAM_BASE && len <= VQT_BYTES && gpa - VQT_RAM_BASE <= VQT_BYTES - len;
}

static inline bool vqt_is_ram(void *ctx, uint64_t gpa, uint64_t len)
{
    struct vqt_mem *m = ctx;
    return len > 0 && gpa >= VQT_RAM_BASE && len <= m->ram_size && gpa - VQT_RAM_BASE <= m->ram_size - len;
}

static inline bool vqt_read(void *ctx, uint64_t gpa, void *dst, uint32_t len)
{
    struct vqt_mem *m = ctx;
    m->reads++;
    if (!vqt_in(m, gpa, len)) {
        m->strays += !vqt_is_ram(ctx, gpa, len);
        return false;
    }
    memcpy(dst, &m->b[gpa - VQT_RAM_BASE], len);
    return true;
}

static inline bool vqt_write(void *ctx, uint64_t gpa, const void *src, uint32_t len)
{
    struct vqt_mem *m = ctx;
    if (!vqt_in(m, gpa, len)) {
        m->strays += !vqt_is_ram(ctx, gpa, len);
        return false;
    }
    memcpy(&m->b[gpa - VQT_RAM_BASE], src, len);
    return true;
}

static inline void vqt_init(struct vqt_mem *m, struct vq_mem *vm)
{
    memset(m, 0, sizeof *m);
    m->ram_size = VQT_BYTES;
    vm->ctx = m;
    vm->read = vqt_read;
    vm->write = vqt_write;
    vm->is_ram = vqt_is_ram;
}

static inline void vqt_put16(struct vqt_mem *m, uint64_t gpa, uint16_t v)
{
    if (vqt_in(m, gpa, 2))
        memcpy(&m->b[gpa - VQT_RAM_BASE], &v, 2);   /* the tests run on little-endian x86 */
}

static inline uint16_t vqt_get16(struct vqt_mem *m, uint64_t gpa)
{
    uint16_t v = 0;
    if (vqt_in(m, gpa, 2))
        memcpy(&v, &m->b[gpa - VQT_RAM_BASE], 2);
    return v;
}

static inline uint32_t vqt_get32(struct vqt_mem *m, uint64_t gpa)
{
    uint32_t v = 0;
    if (vqt_in(m, gpa, 4))
        memcpy(&v, &m->b[gpa - VQT_RAM_BASE], 4);
    return v;
}

/* Descriptor @p i of the table at @p table. */
static inline void vqt_desc(struct vqt_mem *m, uint64_t table, unsigned i, uint64_t addr, uint32_t len,
                            uint16_t flags, uint16_t next)
{
    struct virtq_desc d = { addr, len, flags, next };
    uint64_t at = table + 16ull * i;
    if (vqt_in(m, at, 16))
        memcpy(&m->b[at - VQT_RAM_BASE], &d, 16);
}

/* The driver offers chain @p head: ring[idx % num] = head, then idx++. */
static inline void vqt_offer(struct vqt_mem *m, uint16_t num, uint16_t head)
{
    uint16_t idx = vqt_get16(m, VQT_AVAIL + 2);
    vqt_put16(m, VQT_AVAIL + 4 + 2u * (idx % num), head);
    vqt_put16(m, VQT_AVAIL + 2, (uint16_t)(idx + 1));
}

/* A queue of @p num entries on the rings above. */
static inline struct vq vqt_queue(uint16_t num, bool indirect_ok)
{
    struct vq q = { 0 };
    q.num = num;
    q.ready = true;
    q.indirect_ok = indirect_ok;
    q.desc = VQT_DESC;
    q.avail = VQT_AVAIL;
    q.used = VQT_USED;
    return q;
}

#endif
