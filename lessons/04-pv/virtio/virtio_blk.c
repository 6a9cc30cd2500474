/**
 * @file virtio_blk.c
 * @brief virtio-blk (virtio v1.2 §5.2), device id 2, in slot 1
 *        (0xd0001000, ISA IRQ 10): a disk whose image is a multiboot
 *        module of Spectrum's, read and written in Spectrum's memory.
 *
 * The module's string names it and says how the guest may use it:
 *
 *     spectrum.disk=rw    read-write
 *     spectrum.disk=ro    read-only: VIRTIO_BLK_F_RO offered, writes fail
 *
 * (`module build/linux/blk-rw.img:spectrum.disk=rw` in grade.spec; lesson
 * 03's guest_module.c keeps spectrum.* modules from the guest).  Without
 * such a module the slot stays empty.  One requestq; features
 * VIRTIO_BLK_F_SEG_MAX, VIRTIO_BLK_F_FLUSH and, for a read-only image,
 * VIRTIO_BLK_F_RO; the requests themselves are virtio_blk_req.c's.
 *
 * The image is one per Spectrum run: machines made one after another
 * (run=spectrum's benchmark) see what the earlier ones wrote, as a disk
 * outlives a VM.  At the end of a machine, one line the grader compares
 * with `cksum < image` computed on the host after the same writes:
 *
 *     virtio-blk: VM: image 4194304 bytes, cksum 3918152812 4194304, R reads, W writes, F flushes, I ids, E errors
 */
#include "virtio/virtio_blk.h"
#include "virtio/virtio_mmio.h"
#include "virtio/posix_cksum.h"

#include "scenarios/guest_module.h"
#include "spectrum/boot.h"
#include "spectrum/bootinfo.h"
#include "spectrum/console.h"
#include "spectrum/mem.h"
#include "spectrum/string.h"
#include "vm/vm.h"

#define BLK_MODULE "spectrum.disk="
#define BLK_ID "spectrum-disk"   /* GET_ID's answer: /sys/block/vda/serial in Linux */
#define BLK_ERRORS_SHOWN 8u      /* failed requests printed per machine; the rest only counted */

/* The one disk of this Spectrum run (the image is one module). */
static struct vblk_disk blk_disk;
static unsigned blk_errors_shown;

static const char *vm_name(const struct virtio_dev *d)
{
    const struct vm *vm = d->ctx;
    return vm ? vm->name : "?";
}

/* The disk module, checked; false (with a line) if there is none usable. */
static bool blk_find(const char *vm, struct vblk_disk *disk)
{
    const struct boot_info *bi = boot_info_get();
    const struct boot_module *found = 0;
    const char *mode = 0;
    for (int i = 0; i < bi->module_count && i < BOOTINFO_MAX_MODULES; i++) {
        const char *a = guest_module_args(bi, &bi->module[i]);
        if (strncmp(a, BLK_MODULE, sizeof BLK_MODULE - 1) != 0)
            continue;
        if (found) {
            kprintf("virtio-blk: %s: module %d: a second disk image, ignored (one disk per run)\n", vm, i);
            continue;
        }
        found = &bi->module[i];
        mode = a + sizeof BLK_MODULE - 1;
    }
    if (!found)
        return false;
    bool ro = strncmp(mode, "ro", 2) == 0 && (mode[2] == '\0' || mode[2] == ' ');
    bool rw = strncmp(mode, "rw", 2) == 0 && (mode[2] == '\0' || mode[2] == ' ');
    if (!ro && !rw) {
        kprintf("virtio-blk: %s: " BLK_MODULE "%s: want rw or ro: no disk\n", vm, mode);
        return false;
    }
    if (found->end < found->start || found->end > MEM_LIMIT) {
        kprintf("virtio-blk: %s: disk image [%#lx-%#lx) is not in memory Spectrum can read: no disk\n", vm,
                (unsigned long)found->start, (unsigned long)found->end);
        return false;
    }
    disk->data = phys_to_virt(found->start);
    disk->size = found->end - found->start;
    disk->ro = ro;
    return true;
}

static bool blk_attach(struct virtio_dev *d)
{
    if (!blk_find(vm_name(d), &blk_disk))
        return false;
    memset(&blk_disk.stats, 0, sizeof blk_disk.stats);
    blk_errors_shown = 0;
    if (blk_disk.ro)
        d->features |= 1ull << VIRTIO_BLK_F_RO;
    kprintf("virtio-blk: %s: image %lu bytes (%lu sectors), %s, at %#lx IRQ %u\n", vm_name(d),
            (unsigned long)blk_disk.size, (unsigned long)vblk_capacity(&blk_disk),
            blk_disk.ro ? "read-only" : "read-write",
            (unsigned long)(VIRTIO_MMIO_BASE + (uint64_t)d->type->slot * VIRTIO_MMIO_SLOT), d->type->irq);
    return true;
}

static uint64_t blk_config_read(struct virtio_dev *d, uint32_t off, unsigned size)
{
    (void)d;
    return vblk_config_read(&blk_disk, off, size);
}

static void blk_notify(struct virtio_dev *d, unsigned q)
{
    struct vq_chain c;
    if (q != VIRTIO_BLK_REQ_QUEUE)
        return;
    while (virtio_pop(d, q, &c) == 1) {
        struct vblk_result r;
        if (vblk_request(d->mem, &blk_disk, &c, BLK_ID, &r) == VBLK_REFUSED) {
            /* The transport's line names the rule; this one the reason. */
            kprintf("virtio-blk: %s: request at head %u (%u readable, %u writable bytes): %s\n", vm_name(d), c.head,
                    c.readable, c.writable, r.why);
            struct vq_fault f = { VQ_DEVICE_FORMAT, r.gpa };
            virtio_needs_reset(d, q, &f);
            return;
        }
        if (r.status != VIRTIO_BLK_S_OK && blk_errors_shown < BLK_ERRORS_SHOWN) {
            blk_errors_shown++;
            kprintf("virtio-blk: %s: request type %u, sector %lu: %s: %s\n", vm_name(d), r.type,
                    (unsigned long)r.sector, r.status == VIRTIO_BLK_S_UNSUPP ? "UNSUPP" : "IOERR", r.why);
        }
        virtio_push(d, q, c.head, r.written);
    }
}

static void blk_report(struct virtio_dev *d)
{
    const struct vblk_stats *s = &blk_disk.stats;
    kprintf("virtio-blk: %s: image %lu bytes, cksum %u %lu, %u reads, %u writes, %u flushes, %u ids, %u errors\n",
            vm_name(d), (unsigned long)blk_disk.size, posix_cksum(blk_disk.data, blk_disk.size),
            (unsigned long)blk_disk.size, s->reads, s->writes, s->flushes, s->ids, s->errors);
}

REGISTER_VIRTIO_DEVICE(blk, {
    .name = "blk",
    .device_id = VIRTIO_ID_BLOCK,
    .slot = 1,
    .irq = 10,
    .features = 1ull << VIRTIO_BLK_F_SEG_MAX | 1ull << VIRTIO_BLK_F_FLUSH,
    .queues = 1,
    .queue_max = VQ_NUM_MAX,
    .config_size = sizeof(struct virtio_blk_config),
    .config_read = blk_config_read,
    .notify = blk_notify,
    .report = blk_report,
    .attach = blk_attach,
});
