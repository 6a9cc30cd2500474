/**
 * @file virtqueue.c
 * @brief The split-virtqueue walker (virtqueue.h): every guest value is
 *        read once through struct vq_mem into a local copy, checked,
 *        and only then used, so a driver that rewrites a ring while the
 *        device walks it (another vCPU, a DMA-happy guest) cannot make a
 *        checked value change under the check.
 */
#include "virtio/virtqueue.h"

#include <stddef.h>

#include "spectrum/exercise.h"

static const char *const rule_names[VQ_RULES] = {
    [VQ_OK] = "ok",
    [VQ_EMPTY] = "empty",
    [VQ_BAD_SIZE] = "queue size not a power of 2 in 1..QueueNumMax",
    [VQ_RING_ALIGN] = "ring area misaligned",
    [VQ_RING_RANGE] = "ring area outside guest RAM",
    [VQ_AVAIL_JUMP] = "available index jumped past the queue size",
    [VQ_HEAD_RANGE] = "available ring names no descriptor",
    [VQ_NEXT_RANGE] = "next names no descriptor",
    [VQ_CHAIN_LOOP] = "chain longer than the queue size (loop)",
    [VQ_INDIRECT_NESTED] = "indirect descriptor inside an indirect table",
    [VQ_INDIRECT_NEXT] = "indirect descriptor with NEXT",
    [VQ_INDIRECT_FEATURE] = "indirect descriptor not negotiated",
    [VQ_INDIRECT_LEN] = "indirect table length",
    [VQ_INDIRECT_RANGE] = "indirect table outside guest RAM",
    [VQ_BUF_RANGE] = "buffer outside guest RAM",
    [VQ_TOTAL_LEN] = "chain length overflows 32 bits",
    [VQ_READ_AFTER_WRITE] = "readable buffer after a writable one",
    [VQ_USED_ID] = "used element for no chain in flight",
    [VQ_DEVICE_FORMAT] = "request the device cannot parse",
};

const char *vq_rule_name(enum vq_rule r)
{
    return (unsigned)r < VQ_RULES ? rule_names[r] : "?";
}

static enum vq_rule fault(struct vq_fault *f, enum vq_rule r, uint64_t gpa)
{
    if (f) {
        f->rule = r;
        f->gpa = gpa;
    }
    return r;
}

/* [gpa, gpa+len) is RAM and does not wrap past 2^64 (len > 0). */
static bool ram_range(const struct vq_mem *mem, uint64_t gpa, uint64_t len)
{
    return gpa <= UINT64_MAX - (len - 1) && mem->is_ram(mem->ctx, gpa, len);
}

static bool read16(const struct vq_mem *mem, uint64_t gpa, uint16_t *v)
{
    uint8_t b[2];
    if (!mem->read(mem->ctx, gpa, b, 2))
        return false;
    *v = (uint16_t)(b[0] | b[1] << 8);  /* virtio 1.x rings are little-endian (§2.7) */
    return true;
}

static bool read_desc(const struct vq_mem *mem, uint64_t gpa, struct virtq_desc *d)
{
    uint8_t b[16];
    if (!mem->read(mem->ctx, gpa, b, sizeof b))
        return false;
    d->addr = 0;
    for (int i = 7; i >= 0; i--)
        d->addr = d->addr << 8 | b[i];
    d->len = (uint32_t)b[8] | (uint32_t)b[9] << 8 | (uint32_t)b[10] << 16 | (uint32_t)b[11] << 24;
    d->flags = (uint16_t)(b[12] | b[13] << 8);
    d->next = (uint16_t)(b[14] | b[15] << 8);
    return true;
}

enum vq_rule vq_check_layout(const struct vq_mem *mem, const struct vq *q, uint16_t num_max, struct vq_fault *f)
{
    uint64_t n = q->num;
    if (n == 0 || n > num_max || n > VQ_NUM_MAX || (n & (n - 1)))
        return fault(f, VQ_BAD_SIZE, 0);
    /* §2.7 "Virtqueue Part Alignment and Size". */
    if (q->desc & 15)
        return fault(f, VQ_RING_ALIGN, q->desc);
    if (q->avail & 1)
        return fault(f, VQ_RING_ALIGN, q->avail);
    if (q->used & 3)
        return fault(f, VQ_RING_ALIGN, q->used);
    if (!ram_range(mem, q->desc, 16 * n))
        return fault(f, VQ_RING_RANGE, q->desc);
    if (!ram_range(mem, q->avail, 6 + 2 * n))
        return fault(f, VQ_RING_RANGE, q->avail);
    if (!ram_range(mem, q->used, 6 + 8 * n))
        return fault(f, VQ_RING_RANGE, q->used);
    return VQ_OK;
}

enum vq_rule vq_pop(const struct vq_mem *mem, struct vq *q, struct vq_chain *c, struct vq_fault *f)
{
    uint16_t avail_idx, head;
    if (!q->ready || q->num == 0 || q->num > VQ_NUM_MAX)
        return VQ_EMPTY;
    if (!read16(mem, q->avail + 2, &avail_idx))
        return fault(f, VQ_RING_RANGE, q->avail);
    /* Free-running 16-bit indexes (§2.7.6): the driver can be at most N
     * chains ahead, since it has only N descriptors to offer.  More is a
     * jump; believing it would replay stale ring entries. */
    uint16_t pending = (uint16_t)(avail_idx - q->last_avail);
    if (pending == 0)
        return VQ_EMPTY;
    if (pending > q->num)
        return fault(f, VQ_AVAIL_JUMP, q->avail + 2);
    uint64_t slot = q->avail + 4 + 2ull * (q->last_avail & (q->num - 1));
    if (!read16(mem, slot, &head))
        return fault(f, VQ_RING_RANGE, slot);
    if (head >= q->num)
        return fault(f, VQ_HEAD_RANGE, slot);

    c->head = head;
    c->nseg = 0;
    c->readable = c->writable = 0;
    uint64_t table = q->desc;       /* the descriptor table being walked */
    uint32_t table_n = q->num;      /* its entries */
    bool indirect = false;          /* walking an indirect table */
    uint64_t total = 0;             /* bytes of all buffers, 64-bit so it cannot wrap */
    unsigned seen = 0;              /* descriptors visited, direct and indirect */
    bool seen_write = false;        /* a device-writable one among them (even of length 0) */
    uint16_t i = head;
    for (;;) {
        struct virtq_desc d;
        uint64_t at = table + 16ull * i;
        if (i >= table_n)
            return fault(f, VQ_NEXT_RANGE, at);
        if (!read_desc(mem, at, &d))
            return fault(f, indirect ? VQ_INDIRECT_RANGE : VQ_RING_RANGE, at);
        /* EXERCISE 04.vq-walk 10 "Bound the walk: at most QueueNum descriptors in a chain, no indirect table inside another (virtio v1.2 2.7.5.3.1)" */
        /* A chain of more descriptors than the queue has entries must
         * visit one twice: a loop.  The driver MUST NOT build one
         * (§2.7.5.3.1 counts indirect ones too), so the bound costs a
         * correct driver nothing and makes every walk finite.  An
         * indirect table inside an indirect table is forbidden by the
         * same section; following it would reset the walk's table. */
        if (++seen > q->num)
            return fault(f, VQ_CHAIN_LOOP, at);
        if (indirect && (d.flags & VIRTQ_DESC_F_INDIRECT))
            return fault(f, VQ_INDIRECT_NESTED, at);
        /* STUB
        EXERCISE_TODO();
        (void)seen;
        return fault(f, VQ_CHAIN_LOOP, at);
        STUB END */
        /* END EXERCISE 04.vq-walk */
        if (d.flags & VIRTQ_DESC_F_INDIRECT) {
            if (!q->indirect_ok)
                return fault(f, VQ_INDIRECT_FEATURE, at);
            if (d.flags & VIRTQ_DESC_F_NEXT)
                return fault(f, VQ_INDIRECT_NEXT, at);
            if (d.len == 0 || d.len % 16 || d.len / 16 > q->num)
                return fault(f, VQ_INDIRECT_LEN, at);
            if (!ram_range(mem, d.addr, d.len))
                return fault(f, VQ_INDIRECT_RANGE, d.addr);
            table = d.addr;
            table_n = d.len / 16;
            indirect = true;
            i = 0;    /* an indirect table starts at its entry 0 (§2.7.5.3.2) */
            continue;
        }
        bool w = (d.flags & VIRTQ_DESC_F_WRITE) != 0;
        if (!w && seen_write)
            return fault(f, VQ_READ_AFTER_WRITE, at);
        if (d.len && !ram_range(mem, d.addr, d.len))
            return fault(f, VQ_BUF_RANGE, d.addr);
        total += d.len;
        if (total > UINT32_MAX)
            return fault(f, VQ_TOTAL_LEN, at);
        if (c->nseg == VQ_NUM_MAX)      /* seen <= num <= VQ_NUM_MAX: cannot happen */
            return fault(f, VQ_CHAIN_LOOP, at);
        c->seg[c->nseg++] = (struct vq_seg){ d.addr, d.len, w };
        seen_write |= w;
        if (w)
            c->writable += d.len;
        else
            c->readable += d.len;
        if (!(d.flags & VIRTQ_DESC_F_NEXT))
            break;
        i = d.next;
    }
    q->last_avail++;
    q->in_flight++;
    return VQ_OK;
}

enum vq_rule vq_push(const struct vq_mem *mem, struct vq *q, uint16_t head, uint32_t written, struct vq_fault *f)
{
    if (!q->in_flight || head >= q->num)
        return fault(f, VQ_USED_ID, 0);
    uint8_t e[8] = { (uint8_t)head, (uint8_t)(head >> 8), 0, 0,
                     (uint8_t)written, (uint8_t)(written >> 8), (uint8_t)(written >> 16), (uint8_t)(written >> 24) };
    uint64_t slot = q->used + 4 + 8ull * (q->used_idx & (q->num - 1));
    if (!mem->write(mem->ctx, slot, e, sizeof e))
        return fault(f, VQ_RING_RANGE, slot);
    /* The element before the index that publishes it (§2.7.8.2): x86
     * keeps stores in order; the compiler must too. */
    __asm__ volatile("" ::: "memory");
    q->used_idx++;
    uint8_t idx[2] = { (uint8_t)q->used_idx, (uint8_t)(q->used_idx >> 8) };
    if (!mem->write(mem->ctx, q->used + 2, idx, sizeof idx))
        return fault(f, VQ_RING_RANGE, q->used + 2);
    q->in_flight--;
    return VQ_OK;
}

bool vq_want_interrupt(const struct vq_mem *mem, const struct vq *q)
{
    uint16_t flags;
    if (!read16(mem, q->avail, &flags))
        return true;
    return !(flags & VIRTQ_AVAIL_F_NO_INTERRUPT);
}
