/**
 * @file virtio_mmio.c
 * @brief The virtio-over-MMIO register file (virtio v1.2 §4.2.2) and the
 *        device-side rules of the status handshake (§3.1.1, §2.1),
 *        feature negotiation (§2.2) and queue setup (§4.2.3.2).
 *
 * Every register is 32 bits wide and the driver MUST use aligned 32-bit
 * accesses (§4.2.2.2); anything else reads 0 and is dropped, counted.
 * The configuration space from 0x100 takes 1-, 2-, 4- and 8-byte
 * accesses inside the device's config_size.
 */
#include "virtio/virtio_mmio.h"

#include "spectrum/string.h"

uint64_t virtio_offered(const struct virtio_device *t)
{
    return t->features | 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_INDIRECT_DESC;
}

static void set_isr(struct virtio_dev *d, uint32_t bits)
{
    uint32_t old = d->isr;
    d->isr |= bits;
    /* The line follows InterruptStatus != 0, like a level-triggered line:
     * it rises when the first bit is set and falls when the driver's ACK
     * clears the last, so the edge-triggered ISA pin sees one edge per
     * batch the driver has not yet acknowledged. */
    if (!old && d->isr) {
        d->stats.interrupts++;
        if (d->irq)
            d->irq(d->ctx, d->type->irq, true);
    }
}

static void clear_isr(struct virtio_dev *d, uint32_t bits)
{
    uint32_t old = d->isr;
    d->isr &= ~bits;
    if (old && !d->isr && d->irq)
        d->irq(d->ctx, d->type->irq, false);
}

void virtio_dev_reset(struct virtio_dev *d)
{
    clear_isr(d, ~0u);
    d->status = 0;
    d->dev_features_sel = d->drv_features_sel = 0;
    d->drv_features = 0;
    d->queue_sel = 0;
    d->config_generation = 0;
    d->broken = false;
    memset(d->q, 0, sizeof d->q);
    memset(d->priv, 0, sizeof d->priv);
    if (d->type && d->type->reset)
        d->type->reset(d);
}

void virtio_dev_init(struct virtio_dev *d, const struct virtio_device *t)
{
    d->type = t;
    d->features = virtio_offered(t);
    memset(&d->stats, 0, sizeof d->stats);
    d->isr = 0;
    virtio_dev_reset(d);
}

void virtio_needs_reset(struct virtio_dev *d, unsigned q, const struct vq_fault *f)
{
    if (d->broken)
        return;
    /* §2.1.2: the device sets DEVICE_NEEDS_RESET and, if DRIVER_OK is
     * set, sends a configuration change notification (§4.2.3.4: bit 1
     * of InterruptStatus).  Until the driver resets it the device does
     * nothing more: no ring is read or written again. */
    d->broken = true;
    d->status |= VIRTIO_STATUS_NEEDS_RESET;
    d->config_generation++;
    if (d->refused)
        d->refused(d->ctx, d, q, f);
    set_isr(d, VIRTIO_INT_CONFIG);
}

/* The selected queue, or NULL if QueueSel names none. */
static struct vq *selected(struct virtio_dev *d)
{
    return d->queue_sel < d->type->queues && d->queue_sel < VIRTIO_MAX_QUEUES ? &d->q[d->queue_sel] : 0;
}

static bool live(const struct virtio_dev *d)
{
    return !d->broken && (d->status & VIRTIO_STATUS_DRIVER_OK) && !(d->status & VIRTIO_STATUS_FAILED);
}

bool virtio_queue_live(const struct virtio_dev *d, unsigned q)
{
    return d->type && q < d->type->queues && q < VIRTIO_MAX_QUEUES && d->q[q].ready && live(d);
}

static void notify(struct virtio_dev *d, unsigned q)
{
    if (q >= d->type->queues || q >= VIRTIO_MAX_QUEUES || !d->q[q].ready || !live(d))
        return;
    d->stats.notifies++;
    if (d->type->notify)
        d->type->notify(d, q);
}

static void queue_ready(struct virtio_dev *d, struct vq *q, uint32_t value)
{
    if (!(value & 1)) {
        q->ready = false;
        return;
    }
    if (q->ready || d->broken)
        return;
    struct vq_fault f = { VQ_OK, 0 };
    q->indirect_ok = (d->drv_features >> VIRTIO_F_INDIRECT_DESC) & 1;
    if (vq_check_layout(d->mem, q, d->type->queue_max, &f) != VQ_OK) {
        virtio_needs_reset(d, d->queue_sel, &f);
        return;
    }
    q->last_avail = q->used_idx = q->in_flight = 0;
    q->ready = true;
}

static void write_status(struct virtio_dev *d, uint32_t value)
{
    if (value == 0) {          /* §4.2.2: writing 0 resets the device */
        virtio_dev_reset(d);
        return;
    }
    uint32_t old = d->status;
    /* NEEDS_RESET is the device's bit: the driver cannot set or clear it. */
    uint32_t s = (value & 0xffu & ~VIRTIO_STATUS_NEEDS_RESET) | (old & VIRTIO_STATUS_NEEDS_RESET);
    if ((s & VIRTIO_STATUS_FEATURES_OK) && !(old & VIRTIO_STATUS_FEATURES_OK)) {
        /* §2.2.2, §6.1: accept only a subset of what was offered, and
         * only a modern driver: this device has no legacy interface. */
        uint64_t offered = d->features;
        if ((d->drv_features & ~offered) || !(d->drv_features >> VIRTIO_F_VERSION_1 & 1))
            s &= ~VIRTIO_STATUS_FEATURES_OK;   /* the driver reads it back and gives up */
    }
    d->status = s;
    /* Buffers made available before DRIVER_OK were not consumed (§3.1.1
     * step 8): look at every queue now. */
    if ((s & VIRTIO_STATUS_DRIVER_OK) && !(old & VIRTIO_STATUS_DRIVER_OK))
        for (unsigned q = 0; q < d->type->queues && q < VIRTIO_MAX_QUEUES; q++)
            notify(d, q);
}

static void set_half(uint64_t *v, bool high, uint32_t value)
{
    *v = high ? (*v & 0xffffffffull) | (uint64_t)value << 32 : (*v & ~0xffffffffull) | value;
}

uint64_t virtio_mmio_read(struct virtio_dev *d, uint64_t off, unsigned size)
{
    if (!d->type)
        return 0;
    if (off >= VIRTIO_MMIO_CONFIG) {
        uint64_t c = off - VIRTIO_MMIO_CONFIG;
        if ((size != 1 && size != 2 && size != 4 && size != 8) || c >= d->type->config_size ||
            size > d->type->config_size - c) {
            d->stats.bad_accesses++;
            return 0;
        }
        return d->type->config_read ? d->type->config_read(d, (uint32_t)c, size) : 0;
    }
    if (size != 4 || (off & 3)) {
        d->stats.bad_accesses++;
        return 0;
    }
    struct vq *q = selected(d);
    uint64_t offered = d->features;
    switch (off) {
    case VIRTIO_MMIO_MAGIC_VALUE: return VIRTIO_MMIO_MAGIC;
    case VIRTIO_MMIO_VERSION: return VIRTIO_MMIO_VERSION_MODERN;
    case VIRTIO_MMIO_DEVICE_ID: return d->type->device_id;
    case VIRTIO_MMIO_VENDOR_ID: return VIRTIO_VENDOR_SPECTRUM;
    case VIRTIO_MMIO_DEVICE_FEATURES:
        return d->dev_features_sel == 0 ? (uint32_t)offered : d->dev_features_sel == 1 ? offered >> 32 : 0;
    case VIRTIO_MMIO_QUEUE_NUM_MAX: return q ? d->type->queue_max : 0;
    case VIRTIO_MMIO_QUEUE_NUM: return q ? q->num : 0;
    case VIRTIO_MMIO_QUEUE_READY: return q ? q->ready : 0;
    case VIRTIO_MMIO_INTERRUPT_STATUS: return d->isr;
    case VIRTIO_MMIO_STATUS: return d->status;
    case VIRTIO_MMIO_CONFIG_GENERATION: return d->config_generation;
    case VIRTIO_MMIO_SHM_LEN_LOW:
    case VIRTIO_MMIO_SHM_LEN_LOW + 4:
    case VIRTIO_MMIO_SHM_BASE_HIGH - 4:
    case VIRTIO_MMIO_SHM_BASE_HIGH:
        return 0xffffffffu;    /* no shared memory region: length ~0 (§4.2.2) */
    default:
        d->stats.bad_accesses++;
        return 0;
    }
}

void virtio_mmio_write(struct virtio_dev *d, uint64_t off, unsigned size, uint64_t value)
{
    if (!d->type)
        return;
    if (off >= VIRTIO_MMIO_CONFIG) {
        uint64_t c = off - VIRTIO_MMIO_CONFIG;
        if ((size != 1 && size != 2 && size != 4 && size != 8) || c >= d->type->config_size ||
            size > d->type->config_size - c) {
            d->stats.bad_accesses++;
            return;
        }
        if (d->type->config_write)
            d->type->config_write(d, (uint32_t)c, size, value);
        return;
    }
    if (size != 4 || (off & 3)) {
        d->stats.bad_accesses++;
        return;
    }
    uint32_t v = (uint32_t)value;
    struct vq *q = selected(d);
    /* §4.2.3.2: a queue's size and addresses are written while it is not
     * ready; later writes would move a ring under the walker. */
    bool q_open = q && !q->ready;
    switch (off) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL: d->dev_features_sel = v; break;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL: d->drv_features_sel = v; break;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        /* Only before FEATURES_OK (§3.1.1 steps 4-5). */
        if (!(d->status & VIRTIO_STATUS_FEATURES_OK) && d->drv_features_sel < 2)
            set_half(&d->drv_features, d->drv_features_sel == 1, v);
        break;
    case VIRTIO_MMIO_QUEUE_SEL: d->queue_sel = v; break;
    case VIRTIO_MMIO_QUEUE_NUM: if (q_open) q->num = v > 0xffff ? 0 : (uint16_t)v; break;
    case VIRTIO_MMIO_QUEUE_DESC_LOW: if (q_open) set_half(&q->desc, false, v); break;
    case VIRTIO_MMIO_QUEUE_DESC_HIGH: if (q_open) set_half(&q->desc, true, v); break;
    case VIRTIO_MMIO_QUEUE_DRIVER_LOW: if (q_open) set_half(&q->avail, false, v); break;
    case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: if (q_open) set_half(&q->avail, true, v); break;
    case VIRTIO_MMIO_QUEUE_DEVICE_LOW: if (q_open) set_half(&q->used, false, v); break;
    case VIRTIO_MMIO_QUEUE_DEVICE_HIGH: if (q_open) set_half(&q->used, true, v); break;
    case VIRTIO_MMIO_QUEUE_READY: if (q) queue_ready(d, q, v); break;
    case VIRTIO_MMIO_QUEUE_NOTIFY: notify(d, v); break;
    case VIRTIO_MMIO_INTERRUPT_ACK: clear_isr(d, v); break;
    case VIRTIO_MMIO_STATUS: write_status(d, v); break;
    case VIRTIO_MMIO_SHM_SEL: break;
    default: d->stats.bad_accesses++; break;
    }
}

int virtio_pop(struct virtio_dev *d, unsigned q, struct vq_chain *c)
{
    if (q >= d->type->queues || q >= VIRTIO_MAX_QUEUES || !live(d))
        return 0;
    struct vq_fault f = { VQ_OK, 0 };
    enum vq_rule r = vq_pop(d->mem, &d->q[q], c, &f);
    if (r == VQ_OK) {
        d->stats.chains++;
        return 1;
    }
    if (r == VQ_EMPTY)
        return 0;
    virtio_needs_reset(d, q, &f);
    return -1;
}

void virtio_push(struct virtio_dev *d, unsigned q, uint16_t head, uint32_t written)
{
    if (q >= d->type->queues || q >= VIRTIO_MAX_QUEUES || d->broken)
        return;
    struct vq_fault f = { VQ_OK, 0 };
    if (vq_push(d->mem, &d->q[q], head, written, &f) != VQ_OK) {
        virtio_needs_reset(d, q, &f);
        return;
    }
    if (vq_want_interrupt(d->mem, &d->q[q]))
        set_isr(d, VIRTIO_INT_USED);
}
