/**
 * @file virtio_console.c
 * @brief virtio-console (virtio v1.2 §5.3), device id 3, in slot 0
 *        (0xd0000000, ISA IRQ 5): one port, no multiport, so two queues,
 *        receiveq 0 and transmitq 1 (§5.3.2).  What the driver sends on
 *        transmitq - Linux's hvc0 - is printed on Spectrum's console one
 *        line per guest line, like the UART's output:
 *
 *     [VM] TEXT
 *
 * Carriage returns are dropped (the tty's onlcr adds them) and other
 * bytes outside printable ASCII are written as \\xNN, so a guest cannot
 * send escape sequences to the operator's terminal.  Nothing is ever
 * received: receiveq's buffers stay with the device, as a console
 * nobody types on would keep them.  No feature bits: the configuration
 * space (cols, rows, max_nr_ports, emerg_wr; §5.3.4) reads as zeros and
 * the driver does not look at it.
 */
#include "virtio/virtio_mmio.h"

#include "spectrum/console.h"
#include "vm/vm.h"

#define CONSOLE_RX 0u
#define CONSOLE_TX 1u
#define CONSOLE_LINE_MAX 120   /* a longer guest line is cut into several */
/* Bytes of one chain printed: Linux's hvc writes are at most a page, and
 * a guest that offers 64 MiB in one chain must not keep Spectrum printing
 * inside one exit for minutes.  The rest is counted, not shown. */
#define CONSOLE_CHAIN_MAX 4096u

struct console_state {
    unsigned len;
    char text[CONSOLE_LINE_MAX + 5];   /* room for one \xNN escape and the NUL */
};
_Static_assert(sizeof(struct console_state) <= VIRTIO_PRIV_SIZE, "the console's state fits in priv");

static void line_flush(struct virtio_dev *d, struct console_state *s)
{
    const struct vm *vm = d->ctx;
    s->text[s->len] = '\0';
    kprintf("[%s] virtio-console: %s\n", vm ? vm->name : "?", s->text);
    s->len = 0;
}

static void line_put(struct virtio_dev *d, struct console_state *s, uint8_t c)
{
    static const char hex[] = "0123456789abcdef";
    if (c == '\n') {
        line_flush(d, s);
        return;
    }
    if (c == '\r')
        return;
    if (c >= 0x20 && c < 0x7f) {
        s->text[s->len++] = (char)c;
    } else {
        s->text[s->len++] = '\\';
        s->text[s->len++] = 'x';
        s->text[s->len++] = hex[c >> 4];
        s->text[s->len++] = hex[c & 15];
    }
    if (s->len >= CONSOLE_LINE_MAX)
        line_flush(d, s);
}

static void console_notify(struct virtio_dev *d, unsigned q)
{
    struct console_state *s = (struct console_state *)(void *)d->priv;
    struct vq_chain c;
    if (q != CONSOLE_TX)
        return;
    while (virtio_pop(d, q, &c) == 1) {
        /* The driver's bytes are the chain's readable segments; a
         * writable segment on transmitq gets nothing written (len 0). */
        uint32_t budget = CONSOLE_CHAIN_MAX;
        for (unsigned i = 0; i < c.nseg && !c.seg[i].write; i++) {
            uint32_t shown = c.seg[i].len < budget ? c.seg[i].len : budget;
            budget -= shown;
            for (uint32_t done = 0; done < shown;) {
                uint8_t chunk[64];
                uint32_t n = shown - done < sizeof chunk ? shown - done : (uint32_t)sizeof chunk;
                if (!d->mem->read(d->mem->ctx, c.seg[i].gpa + done, chunk, n))
                    break;   /* checked by the walker: cannot happen */
                for (uint32_t k = 0; k < n; k++)
                    line_put(d, s, chunk[k]);
                done += n;
            }
        }
        if (c.readable > CONSOLE_CHAIN_MAX) {
            const struct vm *vm = d->ctx;
            if (s->len)
                line_flush(d, s);
            kprintf("virtio: %s: console: %u bytes of one chain not shown\n", vm ? vm->name : "?",
                    c.readable - CONSOLE_CHAIN_MAX);
        }
        virtio_push(d, q, c.head, 0);
    }
}

static void console_report(struct virtio_dev *d)
{
    struct console_state *s = (struct console_state *)(void *)d->priv;
    if (s->len)
        line_flush(d, s);
}

REGISTER_VIRTIO_DEVICE(console, {
    .name = "console",
    .device_id = VIRTIO_ID_CONSOLE,
    .slot = 0,
    .irq = 5,
    .features = 0,
    .queues = 2,
    .queue_max = VQ_NUM_MAX,
    .config_size = 12,
    .notify = console_notify,
    .report = console_report,
});
