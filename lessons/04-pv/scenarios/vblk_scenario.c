/**
 * @file vblk_scenario.c
 * @brief Scenario "p-vblk": the virtio-blk guest (guests/vblk_guest.c)
 *        drives Spectrum's virtio-blk with good requests, hostile ones
 *        and hostile chains, on the disk image given as the module
 *        spectrum.disk=rw or =ro (grade.spec: the test disk of
 *        lessons/04-pv/linux).  Passes when the guest exited 0 and the
 *        device's counters agree, on either disk: 16 chains taken (13
 *        requests answered, 3 chains refused after they were taken), 20
 *        notifies (16 QueueNotify writes and 4 looks at DRIVER_OK, one per
 *        bring-up), 16 interrupts (13 used buffers, each acknowledged
 *        before the next, and 3 configuration changes).  The image's
 *        checksum, in the device's end-of-run line, must be the one it was
 *        built with: the grader compares it with the host's.
 */
#include "machine/pc_machine.h"
#include "scenarios/pc_guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"
#include "vcpu/hvm_guest.h"
#include "virtio/virtio_bus.h"

PC_GUEST_IMAGE_DECLARE(vblk64);

#define VBLK_SLOT 1u   /* virtio_blk.c */

struct vblk_seen {
    bool present;
    struct virtio_stats stats;
};

/* The device's counters, read before the machine goes. */
static void copy_stats(struct pc_machine *m, void *ctx)
{
    struct vblk_seen *s = ctx;
    const struct virtio_dev *d = virtio_dev_of(&m->vm, VBLK_SLOT);
    s->present = d != 0;
    if (d)
        memcpy(&s->stats, &d->stats, sizeof d->stats);
}

static bool p_vblk(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("p-vblk"))
        return false;
    struct vblk_seen got;
    memset(&got, 0, sizeof got);
    struct pc_guest_options opt = { .inspect = copy_stats, .ctx = &got };
    struct pc_guest_outcome o;
    struct pc_guest_image img = PC_GUEST_IMAGE(vblk64);
    pc_guest_run("p-vblk", &img, &opt, &o);
    if (!got.present) {
        kprintf("p-vblk: no virtio-blk device: give Spectrum a disk image as module spectrum.disk=rw "
                "(or ro) and mode=hvm+pv\n");
        return false;
    }
    const struct virtio_stats *s = &got.stats;
    bool counts = s->chains == 16 && s->notifies == 20 && s->interrupts == 16 && s->bad_accesses == 0;
    kprintf("p-vblk: %u chains, %u notifies, %u interrupts, %u bad accesses: %s\n", s->chains, s->notifies,
            s->interrupts, s->bad_accesses, counts ? "as expected" : "WRONG");
    return o.passed && o.exit_code == 0 && counts;
}
REGISTER_SCENARIO(p_vblk, "p-vblk",
                  "lesson 04: virtio-blk from a guest driver, hostile requests and chains included (a disk module)",
                  p_vblk, 0);
