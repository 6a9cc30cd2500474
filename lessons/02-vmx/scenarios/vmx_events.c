/**
 * @file vmx_events.c
 * @brief Scenario "vmx-events": event injection and the interrupt window
 *        on VT-x, driven by hand.
 *
 * The guest (vmx_events_guest.S) asks for an interrupt while its
 * interrupts are off.  This scenario plays the interrupt controller with
 * its own small exit loop: it queues vector 0x40, sees that the vCPU
 * cannot take it (ops->intr_allowed), sets want_intr_window, and injects
 * the vector (ops->inject) at the interrupt-window exit.  It passes when
 *  - exactly one interrupt-window exit happened,
 *  - the guest's handler saw the interrupt arrive at the instruction after
 *    STI; NOP (the STI shadow was respected) and ran once,
 *  - the guest reported success on port 0xF4.
 */
#include "host/host_irq.h"
#include "io/portbus.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/tsc.h"
#include "spectrum/x86.h"
#include "vcpu/exit.h"
#include "vcpu/guest_space.h"
#include "vcpu/hvm_guest.h"
#include "vmx/vmx.h"

extern const uint8_t vmx_events_guest[], vmx_events_guest_end[], vmx_events_after_nop[];

#define EVENTS_MEM   (4ull << 20)
#define EVENT_VECTOR 0x40
#define MAX_EXITS    1000      /* the guest needs about ten */

/** What the hand-made interrupt controller saw. */
struct events_run {
    bool queued;             /**< vector 0x40 waits for delivery */
    unsigned windows;        /**< interrupt-window exits */
    unsigned injected;       /**< times it was injected */
    uint64_t handler_rip;    /**< RIP the guest's handler reported */
    bool done;               /**< the guest wrote port 0xF4 */
    uint32_t status;         /**< ... this value */
};

/* Before each entry: deliver the queued interrupt or wait for a window. */
static void deliver(struct vcpu *v, struct events_run *r)
{
    if (!r->queued)
        return;
    if (v->ops->intr_allowed(v)) {
        struct vcpu_event ev = { .type = EVENT_EXTINT, .vector = EVENT_VECTOR };
        if (v->ops->inject(v, &ev)) {
            r->queued = false;
            r->injected++;
            v->want_intr_window = false;
        }
    } else {
        v->want_intr_window = true;
    }
}

/* One exit; false when the run is over. */
static bool handle(struct vcpu *v, const struct vm_exit *e, struct events_run *r)
{
    switch (e->reason) {
    case EXIT_INTR_WINDOW:
        r->windows++;
        v->want_intr_window = false;
        return true;
    case EXIT_PREEMPT:          /* the slice ended (ops->run needs a deadline too) */
        return true;
    case EXIT_EXTERNAL_INTR:
        host_irq_window();
        return true;
    case EXIT_IO:
        if (e->io.in || e->io.string)
            break;
        uint32_t value = (uint32_t)v->regs.gpr[GPR_RAX];
        if (e->io.port == 0x80)
            r->queued = true;
        else if (e->io.port == 0x81)
            r->handler_rip = value;
        else if (e->io.port == 0xf4) {
            r->done = true;
            r->status = value;
            return false;
        } else
            portbus_write(v->vm, e->io.port, e->io.size, value);
        vcpu_skip_insn(v, e);
        return true;
    default:
        break;
    }
    kprintf("vmx-events: unexpected exit %s (raw %#lx) at RIP %#lx\n", exit_reason_name(e->reason),
            (unsigned long)e->raw, (unsigned long)v->regs.rip);
    return false;
}

static bool vmx_events(const struct cmdline *cl)
{
    (void)cl;
    if (vcpu_backend() != &vmx_ops) {
        kprintf("vmx-events: needs the vmx back end\n");
        return false;
    }
    struct vm vm;
    vm_init(&vm, "vmx-events", EVENTS_MEM);
    struct vcpu *v = hvm_guest_create(&vm, vmx_events_guest, (size_t)(vmx_events_guest_end - vmx_events_guest),
                                      VCPU_MODE_LONG64);
    struct events_run r = { 0 };
    bool entered = v && v->ops->check(v);
    for (unsigned n = 0; entered && n < MAX_EXITS; n++) {
        deliver(v, &r);
        v->deadline_tsc = rdtsc() + tsc_hz() / 100;     /* a 10 ms slice, as vcpu_loop() gives */
        struct vm_exit e;
        v->ops->run(v, &e);
        if (!handle(v, &e, &r))
            break;
    }
    uint64_t expect_rip = GUEST_LOAD_GVA + (uint64_t)(vmx_events_after_nop - vmx_events_guest);
    bool ok = r.done && r.status == 0 && r.windows == 1 && r.injected == 1 && r.handler_rip == expect_rip;
    kprintf("vmx-events: %u interrupt-window exit(s), %u injection(s), handler at RIP %#lx (after STI;NOP: %#lx), "
            "guest status %u%s: %s\n", r.windows, r.injected, (unsigned long)r.handler_rip,
            (unsigned long)expect_rip, r.status, r.done ? "" : " (never reported)", ok ? "pass" : "FAIL");
    if (v)
        v->ops->destroy(v);
    vm_destroy(&vm);
    return ok;
}
REGISTER_SCENARIO(vmx_events, "vmx-events",
                  "lesson 02: VT-x event injection and the interrupt window, driven by hand", vmx_events, 0);
