/**
 * @file net_scenario.c
 * @brief Scenario "p-net": the virtio-net guest (guests/net_guest.c)
 *        drives Spectrum's virtio-net with good frames and hostile ones
 *        and checks every answer itself.  Passes when the guest exited 0,
 *        and the device's counters (virtio/virtio_net.h, kept per machine
 *        across the guest's resets) agree with what it sent: every
 *        hostile frame dropped under its own rule, nothing else lost.
 */
#include "machine/pc_machine.h"
#include "scenarios/pc_guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"
#include "vcpu/hvm_guest.h"
#include "virtio/virtio_bus.h"
#include "virtio/virtio_net.h"

PC_GUEST_IMAGE_DECLARE(net64);

/* The counters of the card (slot 2), read before the machine goes. */
static void copy_stats(struct pc_machine *m, void *ctx)
{
    struct virtio_dev *d = virtio_dev_of(&m->vm, VNET_SLOT);
    const struct vnet_stats *s = d ? vnet_stats_of(d) : 0;
    if (s)
        memcpy(ctx, s, sizeof *s);
}

static bool p_net(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("p-net"))
        return false;
    struct vnet_stats s;
    memset(&s, 0, sizeof s);
    struct pc_guest_options opt = { .inspect = copy_stats, .ctx = &s };
    struct pc_guest_outcome o;
    struct pc_guest_image img = PC_GUEST_IMAGE(net64);
    pc_guest_run("p-net", &img, &opt, &o);
    /* 23 chains sent: 3 dropped before the endpoint (oversized, short,
     * offload flags); of the other 20, 8 ARP requests, 5 echo requests,
     * 1 UDP echo and 6 malformed frames, one per rule.  11 replies
     * written, 6 of them after waiting for a buffer; 3 lost: one to a
     * buffer too small, one to a full backlog, one to the ring in the
     * local APIC page. */
    bool malformed = s.verdicts[NET_RUNT] == 1 && s.verdicts[NET_IP_LENGTH] == 1 && s.verdicts[NET_IP_CHECKSUM] == 1 &&
                     s.verdicts[NET_ICMP_CHECKSUM] == 1 && s.verdicts[NET_UDP_LENGTH] == 1 &&
                     s.verdicts[NET_IP_FRAGMENT] == 1;
    bool counts = s.tx_frames == 23 && s.tx_oversized == 1 && s.tx_short == 1 && s.tx_bad_header == 1 &&
                  s.verdicts[NET_ARP_REPLY] == 8 && s.verdicts[NET_ICMP_ECHO] == 5 && s.verdicts[NET_UDP_ECHO] == 1 &&
                  s.verdicts[NET_OTHER] == 0 && malformed && s.rx_frames == 11 && s.rx_backlogged == 6 &&
                  s.rx_backlog_full == 1 && s.rx_small_buffer == 1 && s.rx_refused == 1;
    uint32_t bad = 0;
    for (unsigned v = NET_MALFORMED_FIRST; v < NET_VERDICTS; v++)
        bad += s.verdicts[v];
    kprintf("p-net: tx %u, rx %u, %u waited, %u lost, %u malformed: %s\n", s.tx_frames, s.rx_frames, s.rx_backlogged,
            s.rx_backlog_full + s.rx_small_buffer + s.rx_refused, bad, counts ? "as expected" : "WRONG");
    return o.passed && o.exit_code == 0 && counts;
}
REGISTER_SCENARIO(p_net, "p-net", "lesson 04: virtio-net and the endpoint from a guest driver, hostile frames included",
                  p_net, 0);
