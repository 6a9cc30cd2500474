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
 * send escape sequences to the operator's terminal.
 *
 * Input: while the guest's kernel was told that hvc0 is its console
 * (console=hvc0: virtio_cmdline.c records it), what lesson 03's
 * guest_input= and guest_input_text= type goes here instead of COM1
 * (REGISTER_GUEST_INPUT_SINK, vdev/guest_input.h).  Typed bytes wait in
 * a small buffer until the driver has posted receiveq buffers (Linux
 * keeps some there all the time), then fill the next chain's writable
 * segments; the chain goes back used with the count, and the used-buffer
 * interrupt tells the driver (§5.3.6.1).  No feature bits: the
 * configuration space (cols, rows, max_nr_ports, emerg_wr; §5.3.4) reads
 * as zeros and the driver does not look at it.
 */
#include "virtio/virtio_mmio.h"

#include "machine/machine_ext.h"
#include "spectrum/console.h"
#include "spectrum/string.h"
#include "vdev/com1.h"
#include "vdev/guest_input.h"
#include "virtio/virtio_bus.h"
#include "vm/vm.h"

#define CONSOLE_RX 0u
#define CONSOLE_TX 1u
#define CONSOLE_LINE_MAX 120   /* a longer guest line is cut into several */
/* Bytes of one chain printed: Linux's hvc writes are at most a page, and
 * a guest that offers 64 MiB in one chain must not keep Spectrum printing
 * inside one exit for minutes.  The rest is counted, not shown. */
#define CONSOLE_CHAIN_MAX 4096u

#define CONSOLE_INPUT_MAX 64u   /* typed bytes waiting for a receive buffer */

struct console_state {
    unsigned len;
    char text[CONSOLE_LINE_MAX + 5];   /* room for one \xNN escape and the NUL */
    uint32_t pending;                  /* typed bytes in input[] */
    uint8_t input[CONSOLE_INPUT_MAX];
};

/** @brief Per machine, kept across device resets: hvc0's input. */
struct console_input {
    bool is_console;    /**< the guest uses hvc0 as its console (virtio_cmdline.c) */
    uint64_t received;  /**< typed bytes given to the driver */
};

static struct console_input *input_of(struct vm *vm)
{
    return pc_machine_ext_state(vm, "virtio-console-input");
}
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
    struct com1 *com1 = com1_of(d->ctx);
    if (com1)
        guest_input_saw(com1, c);   /* guest_input_after= looks for its prompt here too */
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

/* Give the waiting typed bytes to the driver, a receive chain at a time. */
static void input_flush(struct virtio_dev *d, struct console_state *s)
{
    static struct vq_chain c;   /* too large for the stack; one exit at a time */
    while (s->pending && virtio_pop(d, CONSOLE_RX, &c) == 1) {
        uint32_t done = 0;
        for (unsigned i = 0; i < c.nseg && done < s->pending; i++) {
            if (!c.seg[i].write)
                continue;   /* a readable segment on receiveq gets nothing */
            uint32_t n = s->pending - done < c.seg[i].len ? s->pending - done : c.seg[i].len;
            if (!d->mem->write(d->mem->ctx, c.seg[i].gpa, s->input + done, n))
                break;   /* checked by the walker: cannot happen */
            done += n;
        }
        memmove(s->input, s->input + done, s->pending - done);
        s->pending -= done;
        struct console_input *ci = input_of(d->ctx);
        if (ci)
            ci->received += done;
        virtio_push(d, CONSOLE_RX, c.head, done);
    }
}

static void console_notify(struct virtio_dev *d, unsigned q)
{
    struct console_state *s = (struct console_state *)(void *)d->priv;
    struct vq_chain c;
    if (q == CONSOLE_RX) {
        input_flush(d, s);   /* new receive buffers: typed bytes may be waiting */
        return;
    }
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
    const struct console_input *ci = input_of(d->ctx);
    if (ci && (ci->received || s->pending)) {
        const struct vm *vm = d->ctx;
        kprintf("virtio: %s: console: %llu bytes typed into receiveq, %u waiting\n", vm->name,
                (unsigned long long)ci->received, s->pending);
    }
}

/* ---- Typed input (vdev/guest_input.h) ---- */

REGISTER_PC_MACHINE_EXT(virtio_console_input, { "virtio-console-input", sizeof(struct console_input), 0, 0 });

void virtio_console_set_guest_console(struct vm *vm, bool is_console)
{
    struct console_input *ci = input_of(vm);
    if (ci)
        ci->is_console = is_console;
}

/* The machine's console device, if the guest uses it and it can receive. */
static struct virtio_dev *input_dev(struct vm *vm)
{
    const struct console_input *ci = input_of(vm);
    struct virtio_dev *d = ci && ci->is_console ? virtio_dev_of(vm, VIRTIO_CONSOLE_SLOT) : 0;
    return d && d->type->device_id == VIRTIO_ID_CONSOLE && virtio_queue_live(d, CONSOLE_RX) ? d : 0;
}

static bool input_active(struct vm *vm)
{
    return input_dev(vm) != 0;
}

static uint32_t input_room(struct vm *vm)
{
    struct virtio_dev *d = input_dev(vm);
    if (!d)
        return 0;
    struct console_state *s = (struct console_state *)(void *)d->priv;
    input_flush(d, s);   /* buffers the driver posted since: make room */
    return CONSOLE_INPUT_MAX - s->pending;
}

static void input_put(struct vm *vm, const uint8_t *bytes, uint32_t n)
{
    struct virtio_dev *d = input_dev(vm);
    if (!d)
        return;
    struct console_state *s = (struct console_state *)(void *)d->priv;
    if (n > CONSOLE_INPUT_MAX - s->pending)
        n = CONSOLE_INPUT_MAX - s->pending;   /* the caller asked room(): cannot happen */
    memcpy(s->input + s->pending, bytes, n);
    s->pending += n;
    input_flush(d, s);
}

REGISTER_GUEST_INPUT_SINK(virtio_console, { "virtio-console", input_active, input_room, input_put });

REGISTER_VIRTIO_DEVICE(console, {
    .name = "console",
    .device_id = VIRTIO_ID_CONSOLE,
    .slot = VIRTIO_CONSOLE_SLOT,
    .irq = 5,
    .features = 0,
    .queues = 2,
    .queue_max = VQ_NUM_MAX,
    .config_size = 12,
    .notify = console_notify,
    .report = console_report,
});
