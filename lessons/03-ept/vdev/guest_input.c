/**
 * @file guest_input.c
 * @brief Where a lesson-03 machine's COM1 input comes from: text from the
 *        command line, and the host's own COM1 (guest_input.h).
 *
 * A pre-entry hook (vcpu/loop.h) moves input into the guest UART's
 * receiver, never more than it has room for, so Spectrum itself never
 * overruns a guest: a slow guest reads its input late, not lost.
 *  - The text waits until the guest's receiver is ready: IER's received-
 *    data interrupt enabled, or RBR read once (a polling guest drains RBR
 *    when it starts, as drivers do).  Bytes the guest throws away later by
 *    resetting its FIFO are gone, as typed ones would be.
 *  - The host's COM1 is polled every GUEST_INPUT_POLL_MS at most, and
 *    only after the text is used up: its LSR.DR says a byte waits in RBR
 *    (PC16550D data sheet, 8.4).  Spectrum's console writes the same UART
 *    but never reads it, so the two do not interfere.  next_event makes a
 *    guest that computes without exits stop by the next poll, and
 *    can_wake keeps a guest that waits in HLT for input alive.
 * When input raises IRQ 4 the hook runs after the interrupt-injection
 * hook of this pass, so it asks (next_event = 0) for an exit at once: the
 * next pass injects the interrupt without waiting for a time slice.
 * A later lesson's console may take the input instead of COM1 while the
 * guest uses it (REGISTER_GUEST_INPUT_SINK, guest_input.h): the same text
 * and keystrokes then go there, as much as it has room for.
 */
#include "machine/pc_machine.h"
#include "spectrum/boot.h"
#include "spectrum/cmdline.h"
#include "spectrum/options.h"
#include "spectrum/tsc.h"
#include "spectrum/x86.h"
#include "vcpu/loop.h"
#include "vdev/com1.h"
#include "vdev/guest_input.h"

#define GUEST_INPUT_POLL_MS 10

REGISTER_OPTION(guest_input, "lesson-03 machines: 1 = what is typed on Spectrum's COM1 goes to the guest's COM1 (default 0)");
REGISTER_OPTION(guest_input_text, "lesson-03 machines: text typed into the guest's COM1 (escapes \\n \\r \\t \\e \\\\ \\xHH)");
REGISTER_OPTION(guest_input_after, "lesson-03 machines: type guest_input_text= only once the guest has printed this (a prompt)");

static void configure(struct guest_input *in)
{
    const struct cmdline *cl = boot_cmdline_get();
    uint64_t on = 0;
    in->from_host = cmdline_get_u64(cl, "guest_input", &on) && on;
    const char *text = cmdline_get(cl, "guest_input_text");
    in->text = text && *text ? text : 0;
    in->text_pos = 0;
    const char *after = cmdline_get(cl, "guest_input_after");
    in->after = after && *after ? after : 0;
    in->after_pos = 0;
    in->after_seen = !in->after;
    in->configured = true;
}

/* Like a person at a terminal, a test may want to type only once the
 * guest asks (a shell prompt): text typed earlier goes to whatever read the
 * console before, or is flushed when the shell sets the terminal up. */
void guest_input_saw(struct com1 *c, uint8_t byte)
{
    struct guest_input *in = &c->in;
    if (in->after_seen || !in->after)
        return;
    if ((char)byte == in->after[in->after_pos])
        in->after_pos++;
    else
        in->after_pos = (char)byte == in->after[0] ? 1 : 0;
    if (!in->after[in->after_pos])
        in->after_seen = true;
}

/* The later lesson's console that takes the input now, or NULL: COM1. */
static const struct guest_input_sink *active_sink(struct vm *vm)
{
    TABLE_FOREACH(struct guest_input_sink, spectrum_guest_input_sink, s)
        if (s->active(vm))
            return s;
    return 0;
}

/* Type text into a sink's buffer while it has room. */
static bool feed_text_sink(struct vm *vm, struct guest_input *in, const struct guest_input_sink *sink)
{
    uint8_t buf[64];
    uint32_t room = sink->room(vm), n = 0;
    while (in->text && n < room && n < sizeof buf) {
        size_t used = guest_input_unescape(in->text, in->text_pos, &buf[n]);
        if (!used) {
            in->text = 0;               /* all typed */
            break;
        }
        in->text_pos += (uint32_t)used;
        n++;
    }
    if (n) {
        sink->put(vm, buf, n);
        in->text_bytes += n;
    }
    return n != 0;
}

/* Move what waits in the host's COM1 receiver into a sink's buffer. */
static bool feed_host_sink(struct vm *vm, struct guest_input *in, const struct guest_input_sink *sink, uint64_t now)
{
    if (now < in->next_poll)
        return false;
    in->next_poll = now + tsc_hz() / 1000 * GUEST_INPUT_POLL_MS;
    uint8_t buf[64];
    uint32_t room = sink->room(vm), n = 0;
    while (n < room && n < sizeof buf && (inb(UART_COM1_BASE + UART_REG_LSR) & UART_LSR_DR))
        buf[n++] = inb(UART_COM1_BASE + UART_REG_RBR);
    if (n) {
        sink->put(vm, buf, n);
        in->host_bytes += n;
    }
    return n != 0;
}

/* Type text into the receiver while it has room. */
static bool feed_text(struct com1 *c)
{
    struct guest_input *in = &c->in;
    bool fed = false;
    while (in->text && uart16550_rx_room(&c->uart)) {
        uint8_t b;
        size_t n = guest_input_unescape(in->text, in->text_pos, &b);
        if (!n) {
            in->text = 0;               /* all typed */
            break;
        }
        in->text_pos += (uint32_t)n;
        uart16550_receive(&c->uart, b);
        in->text_bytes++;
        fed = true;
    }
    return fed;
}

/* Move what waits in the host's COM1 receiver, while the guest has room. */
static bool feed_host(struct com1 *c, uint64_t now)
{
    struct guest_input *in = &c->in;
    if (now < in->next_poll)
        return false;
    in->next_poll = now + tsc_hz() / 1000 * GUEST_INPUT_POLL_MS;
    bool fed = false;
    while (uart16550_rx_room(&c->uart) && (inb(UART_COM1_BASE + UART_REG_LSR) & UART_LSR_DR)) {
        uart16550_receive(&c->uart, inb(UART_COM1_BASE + UART_REG_RBR));
        in->host_bytes++;
        fed = true;
    }
    return fed;
}

static void guest_input_before_entry(struct vcpu *v)
{
    struct com1 *c = com1_of(v->vm);
    if (!c)
        return;
    struct guest_input *in = &c->in;
    if (!in->configured)
        configure(in);
    in->kick = false;
    const struct guest_input_sink *sink = active_sink(v->vm);
    if (sink) {
        /* The sink's buffers are its readiness: text waits for the prompt. */
        bool fed = false;
        if (in->text && in->after_seen)
            fed = feed_text_sink(v->vm, in, sink);
        if (!in->text && in->from_host)
            fed |= feed_host_sink(v->vm, in, sink, rdtsc());
        in->kick = fed;
        return;
    }
    bool fed = false;
    if (in->text && in->receiver_ready && in->after_seen)
        fed = feed_text(c);
    if (!in->text && in->from_host)
        fed |= feed_host(c, rdtsc());
    if (fed) {
        bool was = c->line;
        com1_update_irq(v->vm, c);
        in->kick = c->line && !was;
    }
}

/* Input can still come, and the guest would hear of it by IRQ 4. */
static bool input_can_wake(struct vcpu *v)
{
    struct com1 *c = com1_of(v->vm);
    if (!c || !c->in.configured || (!c->in.text && !c->in.from_host))
        return false;
    if (active_sink(v->vm))
        return true;                    /* its interrupt is the sink's to raise */
    const struct uart16550 *u = &c->uart;
    return (u->ier & UART_IER_ERBFI) && (u->mcr & UART_MCR_OUT2);
}

static uint64_t input_next_event(struct vcpu *v)
{
    struct com1 *c = com1_of(v->vm);
    if (!c)
        return UINT64_MAX;
    if (c->in.kick)
        return 0;                       /* deliver the interrupt just raised now */
    return c->in.from_host && !c->in.text ? c->in.next_poll : UINT64_MAX;
}

REGISTER_PRE_ENTRY_HOOK(guest_input, guest_input_before_entry, input_can_wake, input_next_event);
