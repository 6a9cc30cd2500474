/**
 * @file virtio_net_stats.c
 * @brief virtio-net's counters per lesson-03 machine (machine/machine_ext.h:
 *        they outlive the device resets a driver does, which zero the
 *        device's own priv) and its lines at the end of a run, printed
 *        by virtio_bus.c before the transport's line for the device:
 *
 *     virtio-net: VM: tx T frames (D dropped), rx R frames (X dropped); arp A, icmp echo I, udp echo U, other O, malformed M
 *     virtio-net: VM: details: rx waited for a buffer 1, ip checksum 1, ...
 *
 * The second line, only when it has something to say, names every drop
 * and every malformed frame by its rule.
 */
#include "virtio/virtio_net.h"

#include "machine/pc_machine.h"
#include "spectrum/console.h"
#include "spectrum/fmt.h"

REGISTER_PC_MACHINE_EXT(vnet, { "virtio-net", sizeof(struct vnet_stats), 0, 0 });

struct vnet_stats *vnet_stats_of(struct virtio_dev *d)
{
    return d->ctx ? pc_machine_ext_state(d->ctx, "virtio-net") : 0;
}

/* Append ", NAME N" to buf when n is not 0. */
static void detail(char *buf, size_t size, size_t *len, const char *name, uint32_t n)
{
    if (!n || *len >= size)
        return;
    int w = fmt_snprintf(buf + *len, size - *len, "%s%s %u", *len ? ", " : "", name, n);
    if (w > 0)
        *len += (size_t)w;
}

void vnet_report(struct virtio_dev *d)
{
    const struct vm *vm = d->ctx;
    const struct vnet_stats *s = vnet_stats_of(d);
    if (!vm || !s)
        return;
    uint32_t malformed = 0;
    for (unsigned v = NET_MALFORMED_FIRST; v < NET_VERDICTS; v++)
        malformed += s->verdicts[v];
    kprintf("virtio-net: %s: tx %u frames (%u dropped), rx %u frames (%u dropped); arp %u, icmp echo %u, "
            "udp echo %u, other %u, malformed %u\n",
            vm->name, s->tx_frames, s->tx_oversized + s->tx_short + s->tx_bad_header, s->rx_frames,
            s->rx_backlog_full + s->rx_small_buffer + s->rx_refused, s->verdicts[NET_ARP_REPLY], s->verdicts[NET_ICMP_ECHO],
            s->verdicts[NET_UDP_ECHO], s->verdicts[NET_OTHER], malformed);
    char buf[400];
    size_t len = 0;
    buf[0] = '\0';
    detail(buf, sizeof buf, &len, "tx oversized", s->tx_oversized);
    detail(buf, sizeof buf, &len, "tx short", s->tx_short);
    detail(buf, sizeof buf, &len, "tx bad header", s->tx_bad_header);
    detail(buf, sizeof buf, &len, "rx waited for a buffer", s->rx_backlogged);
    detail(buf, sizeof buf, &len, "rx backlog full", s->rx_backlog_full);
    detail(buf, sizeof buf, &len, "rx buffer too small", s->rx_small_buffer);
    detail(buf, sizeof buf, &len, "rx refused by the ring", s->rx_refused);
    for (unsigned v = NET_MALFORMED_FIRST; v < NET_VERDICTS; v++)
        detail(buf, sizeof buf, &len, net_verdict_name((enum net_verdict)v), s->verdicts[v]);
    if (len)
        kprintf("virtio-net: %s: details: %s\n", vm->name, buf);
}
