/**
 * @file virtio_scenario.c
 * @brief Scenario "p-virtio": the virtio guest (guests/virtio_guest.c)
 *        drives Spectrum's virtio-console through the MMIO transport with
 *        good chains and hostile ones.  Passes when the guest exited 0
 *        (every hostile chain left DEVICE_NEEDS_RESET and nothing on the
 *        used ring, the device worked again after a reset), its VM was
 *        never stopped by a bad ring, and the device's counters agree:
 *        4 chains taken (the hostile ones are refused before they count)
 *        and 8 refusals, each printed once by virtio_bus.c.
 */
#include "machine/pc_machine.h"
#include "scenarios/pc_guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"
#include "vcpu/hvm_guest.h"
#include "virtio/virtio_bus.h"

PC_GUEST_IMAGE_DECLARE(virtio64);

/* The counters of the console (slot 0), read before the machine goes. */
static void copy_stats(struct pc_machine *m, void *ctx)
{
    const struct virtio_dev *d = virtio_dev_of(&m->vm, 0);
    if (d)
        memcpy(ctx, &d->stats, sizeof d->stats);
}

static bool p_virtio(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("p-virtio"))
        return false;
    struct virtio_stats got;
    memset(&got, 0, sizeof got);
    struct pc_guest_options opt = { .inspect = copy_stats, .ctx = &got };
    struct pc_guest_outcome o;
    struct pc_guest_image img = PC_GUEST_IMAGE(virtio64);
    pc_guest_run("p-virtio", &img, &opt, &o);
    /* 4 good chains; 20 notifies: 11 QueueNotify writes on a live device
     * and 9 looks at DRIVER_OK (not by the bring-up refused at
     * QueueReady: that device already needs a reset); 11 interrupts: 3
     * rising edges for used buffers (the indirect chain and the flood
     * share one: nobody acknowledged in between) and 8 configuration
     * changes (one per refusal). */
    bool counts = got.chains == 4 && got.notifies == 20 && got.interrupts == 11 && got.bad_accesses == 0;
    kprintf("p-virtio: %u chains, %u notifies, %u interrupts, %u bad accesses: %s\n", got.chains, got.notifies,
            got.interrupts, got.bad_accesses, counts ? "as expected" : "WRONG");
    return o.passed && o.exit_code == 0 && counts;
}
REGISTER_SCENARIO(p_virtio, "p-virtio",
                  "lesson 04: virtio-console over MMIO from a guest driver, hostile virtqueues included", p_virtio, 0);
