/**
 * @file virtio_cmdline.c
 * @brief How Linux learns of the virtio-mmio devices: the bzimage loader's
 *        command-line extension (loader/bz_cmdline_ext.h) adds, for every
 *        device of the machine,
 *
 *     virtio_mmio.device=4K@0xd0000000:5
 *
 * (SIZE@BASE:IRQ, read by Linux's drivers/virtio/virtio_mmio.c with
 * CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES; Firecracker does the same), unless
 * the user wrote virtio_mmio.device= words of their own.  A PC has no
 * way to enumerate MMIO devices (no PCI config space here, and the DSDT
 * names none of these), so the command line is the device tree.
 *
 * And unless the user chose one, the console: console=hvc0 when the
 * machine has a virtio-console, else console=ttyS0 (the 8250), so that
 * `make run-linux MODE=...` shows the boot on whatever the mode has.  With
 * hvc0 as the console, typed input goes to the virtio-console
 * (virtio_console.c), not to COM1.
 */
#include "loader/bz_cmdline_ext.h"
#include "machine/pc_machine.h"
#include "spectrum/fmt.h"
#include "spectrum/string.h"
#include "virtio/virtio_bus.h"

static bool virtio_cmdline(struct pc_machine *m, const char *given, char *out, size_t out_len)
{
    size_t n = 0;
    bool has_console = false;
    out[0] = '\0';
    for (unsigned i = 0; i < VIRTIO_SLOTS; i++) {
        const struct virtio_dev *d = virtio_dev_of(&m->vm, i);
        if (!d)
            continue;
        has_console |= d->type->device_id == VIRTIO_ID_CONSOLE;
        if (strstr(given, "virtio_mmio.device="))
            continue;
        int w = fmt_snprintf(out + n, out_len - n, "%svirtio_mmio.device=4K@%#lx:%u", n ? " " : "",
                             (unsigned long)(VIRTIO_MMIO_BASE + (uint64_t)i * VIRTIO_MMIO_SLOT), d->type->irq);
        if (w < 0 || (size_t)w >= out_len - n)
            return false;
        n += (size_t)w;
    }
    bool hvc = has_console && (strstr(given, "console=hvc0") || !strstr(given, "console="));
    if (!strstr(given, "console=")) {
        int w = fmt_snprintf(out + n, out_len - n, "%sconsole=%s", n ? " " : "", has_console ? "hvc0" : "ttyS0");
        if (w < 0 || (size_t)w >= out_len - n)
            return false;
    }
    /* Typed input follows the console Linux uses (the last console= is
     * /dev/console; hvc0 anywhere is close enough for a course). */
    virtio_console_set_guest_console(&m->vm, hvc);
    return true;
}

REGISTER_LINUX_CMDLINE_EXT(virtio, { "virtio", virtio_cmdline });
