/**
 * @file p_uart_rx.c
 * @brief Scenario "p-uart-rx": the UART receive guest (guests/uart_rx.c)
 *        reads the text of guest_input_text= through COM1, one line by
 *        polling LSR.DR and one with interrupts through the I/O APIC.
 *
 * The guest prints what it received; this side checks the host's view
 * of the same run: the 16550 model received exactly the bytes the text
 * decodes to (vdev/guest_input.h) without an overrun, IRQ 4 was raised,
 * nothing went through the 8259 pair, and the guest's byte counts (its
 * mailbox report, hostile: range-checked) add up to what was typed.
 *
 *     make run STAGE=03 CMDLINE="run=p-uart-rx guest_input_text=hello.interrupts-carry-this."
 */
#include "guests/uart_rx.h"
#include "machine/pc_machine.h"
#include "scenarios/pc_guest_run.h"
#include "spectrum/boot.h"
#include "spectrum/cmdline.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"
#include "vcpu/hvm_guest.h"
#include "vdev/com1.h"
#include "vdev/guest_input.h"
#include "vdev/pic8259.h"

PC_GUEST_IMAGE_DECLARE(uart_rx);

#define UARTRX_RAM_BYTES (16ull << 20)

/** @brief What the scenario reads from the machine before it goes. */
struct uartrx_seen {
    bool have_com1;
    struct uart16550 uart;      /**< the model's counters (rx_bytes, overruns) */
    uint64_t text_bytes;        /**< bytes typed from guest_input_text= */
    uint64_t irq_raises;        /**< low-to-high transitions of IRQ 4 */
    uint64_t pic_acks;          /**< interrupts the 8259 pair handed over */
    uint64_t ioapic_writes;     /**< MMIO writes the I/O APIC emulated */
    bool report;                /**< the guest's mailbox report is complete */
    struct plat_mailbox mb;     /**< the mailbox as the guest left it */
};

static void uartrx_inspect(struct pc_machine *m, void *ctx)
{
    struct uartrx_seen *s = ctx;
    struct com1 *c = com1_of(&m->vm);
    if (c) {
        s->have_com1 = true;
        s->uart = c->uart;
        s->text_bytes = c->in.text_bytes;
        s->irq_raises = c->irq_raises;
    }
    struct pic_pair *pic = pic_of(&m->vm);
    if (pic)
        s->pic_acks = pic->acks;
    int n = m->mmio.count < 0 ? 0 : m->mmio.count > MMIOBUS_MAX_DEVICES ? MMIOBUS_MAX_DEVICES : m->mmio.count;
    for (int i = 0; i < n; i++)
        if (m->mmio.dev[i] && strcmp(m->mmio.dev[i]->name, "ioapic") == 0)
            s->ioapic_writes = m->mmio.writes[i];
    if (gpm_read(&m->mem, PLAT_MAILBOX_GPA, &s->mb, sizeof s->mb))
        s->report = s->mb.report_magic == PLAT_REPORT_MAGIC && s->mb.report_count == UARTRX_REP_COUNT;
}

/** @brief Bytes @p text decodes to (guest_input_unescape()'s escapes). */
static uint64_t decoded_len(const char *text)
{
    uint64_t n = 0;
    size_t pos = 0, k;
    uint8_t b;
    while ((k = guest_input_unescape(text, pos, &b)) != 0) {
        pos += k;
        n++;
    }
    return n;
}

static bool p_uart_rx(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("p-uart-rx"))
        return false;
    /* guest_input.c reads the boot command line: check the same one. */
    const char *text = cmdline_get(boot_cmdline_get(), "guest_input_text");
    if (!text || !*text) {
        kprintf("p-uart-rx: nothing to type: give guest_input_text=LINE1.LINE2. (a line ends at '.' or \\n)\n");
        return false;
    }
    uint64_t want = decoded_len(text);

    struct plat_mailbox req = { .magic = PLAT_MAILBOX_MAGIC };
    struct uartrx_seen s;
    memset(&s, 0, sizeof s);
    struct pc_guest_options opt = { .ram_bytes = UARTRX_RAM_BYTES, .params = &req, .params_len = sizeof req,
                                    .inspect = uartrx_inspect, .ctx = &s };
    struct pc_guest_outcome out;
    bool passed = pc_guest_run("p-uart-rx", &PC_GUEST_IMAGE(uart_rx), &opt, &out) && out.exit_code == 0;

    /* The guest's words are hostile: only compared, each bounded first. */
    uint64_t poll = s.report ? s.mb.val[UARTRX_REP_POLL_BYTES] : 0;
    uint64_t irq = s.report ? s.mb.val[UARTRX_REP_IRQ_BYTES] : 0;
    uint64_t extra = s.report ? s.mb.val[UARTRX_REP_EXTRA_BYTES] : 0;
    uint64_t irqs = s.report ? s.mb.val[UARTRX_REP_IRQS] : 0;
    bool counts_sane = poll <= want && irq <= want && extra <= want && poll + irq + extra == want;
    kprintf("p-uart-rx: com1 received %lu of the %lu bytes typed (%lu expected from the text), %lu overruns, "
            "IRQ 4 raised %lu times\n",
            (unsigned long)s.uart.rx_bytes, (unsigned long)s.text_bytes, (unsigned long)want,
            (unsigned long)s.uart.overruns, (unsigned long)s.irq_raises);
    kprintf("p-uart-rx: guest read %lu by polling + %lu by interrupt + %lu extra = %s, in %lu RX interrupts; "
            "8259 delivered %lu, ioapic %lu writes\n",
            (unsigned long)poll, (unsigned long)irq, (unsigned long)extra,
            !s.report ? "NO REPORT" : counts_sane ? "every byte typed" : "WRONG COUNT", (unsigned long)irqs,
            (unsigned long)s.pic_acks, (unsigned long)s.ioapic_writes);
    bool host_ok = s.have_com1 && s.text_bytes == want && s.uart.rx_bytes == want && s.uart.overruns == 0 &&
                   s.irq_raises >= 1 && s.report && counts_sane && irqs >= 1 && s.pic_acks == 0 &&
                   s.ioapic_writes > 0;
    kprintf("p-uart-rx: host check %s\n", host_ok ? "passed" : "FAILED");
    return passed && host_ok;
}
REGISTER_SCENARIO(p_uart_rx, "p-uart-rx",
                  "lesson 03: COM1 receives guest_input_text= by polling and by IRQ 4 through the I/O APIC",
                  p_uart_rx, 0);
