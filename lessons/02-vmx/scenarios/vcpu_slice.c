/**
 * @file vcpu_slice.c
 * @brief Scenarios "vcpu-slice" and "vcpu-spin": no guest can keep the
 *        CPU (vcpu/loop.h).
 *
 * vcpu-slice runs 1 and 3, vcpu-spin runs 2:
 *  1. busy (guests/busy.c): spins with IF=1 and no exits of its own while
 *     the PIT ticks at 1 kHz.  Only the time slice brings the CPU back,
 *     so this passes only if ticks arrive while it computes: the guest
 *     counts 100, and the host checks them against host time
 *     (guest_ticks_on_time()).  It also finds MONITOR/MWAIT refused.
 *  2. cli-spin (guests/svm_spin.S, EDI = 0): CLI; JMP $ - nothing wakes it,
 *     nothing it does exits.  With a 300 ms budget the loop must stop it
 *     with "used up its time budget", having regained control many times.
 *  3. storm (guests/storm.c): a #GP handler that retries the RDMSR that
 *     faulted: the watchdog must stop it as an exit storm, naming the
 *     handler.
 * Spectrum itself carries on after each: a scenario passes when its
 * guests ended as described.
 *
 * vcpu-spin is apart because one engine cannot run it: Bochs 2.7's SVM
 * decides whether physical interrupts are masked while loading the
 * guest's RFLAGS, before it counts as "in the guest", so with guest IF = 0
 * it masks them by the guest's IF although V_INTR_MASKING says the host's
 * IF rules (APM Vol. 2 §15.21.1), and re-decides only when the guest's IF
 * changes - which "cli; jmp $" never does.  Hardware, QEMU and Bochs's
 * VT-x (the preemption timer) end the slice as they should.
 */
#include "scenarios/guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"
#include "vcpu/hvm_guest.h"

GUEST_IMAGE_DECLARE(busy);
GUEST_IMAGE_DECLARE(storm);
extern const char svm_spin64_start[], svm_spin64_end[];

#define BUSY_TICKS 100u        /* guests/busy.c TICKS */
#define BUSY_HZ 1000u
#define SPIN_MEM (2u << 20)
#define SPIN_BUDGET_MS 300u

static uint64_t slice_exits(const struct exit_stats *st)
{
    return st->count[EXIT_PREEMPT] + st->count[EXIT_EXTERNAL_INTR];
}

static bool busy_case(void)
{
    struct guest_outcome o;
    struct guest_image img = GUEST_IMAGE(busy, VCPU_MODE_LONG64);
    bool ok = guest_run("busy", &img, &o) && o.exit_code == 0;
    bool on_time = guest_ticks_on_time("vcpu-slice", &o, BUSY_HZ);
    uint64_t slices = slice_exits(&o.stats);
    kprintf("vcpu-slice: busy: %lu interrupts taken, %lu time-slice exits, %lu hlt exits\n",
            (unsigned long)o.pic_acks, (unsigned long)slices, (unsigned long)o.stats.count[EXIT_HLT]);
    return ok && on_time && o.pic_acks >= BUSY_TICKS && slices >= BUSY_TICKS && o.stats.count[EXIT_HLT] == 0;
}

static bool cli_spin_case(void)
{
    struct vm vm;
    struct exit_stats st = { 0 };
    vm_init(&vm, "cli-spin", SPIN_MEM);
    struct vcpu *v = hvm_guest_create(&vm, svm_spin64_start, (size_t)(svm_spin64_end - svm_spin64_start),
                                      VCPU_MODE_LONG64);
    if (v) {
        v->regs.gpr[GPR_RDI] = 0;
        v->budget_ms = SPIN_BUDGET_MS;
    }
    bool passed = hvm_guest_run(&vm, v, &st);
    bool stopped = !passed && strstr(vm.stop_reason, "used up its time budget of 300 ms");
    uint64_t slices = slice_exits(&st);
    kprintf("vcpu-spin: cli-spin: %s after %lu time-slice exits\n",
            stopped ? "stopped by its time budget" : "NOT stopped by its time budget", (unsigned long)slices);
    vm_destroy(&vm);
    return stopped && slices > 0;
}

static bool storm_case(void)
{
    struct guest_outcome o;
    struct guest_image img = GUEST_IMAGE(storm, VCPU_MODE_LONG64);
    guest_run("storm", &img, &o);
    bool stopped = o.created && !o.passed && strstr(o.stop_reason, "exit storm") &&
                   strstr(o.stop_reason, "msr_read handler");
    kprintf("vcpu-slice: storm: %s\n", stopped ? "stopped by the watchdog" : "NOT stopped by the watchdog");
    return stopped;
}

static bool vcpu_slice(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("vcpu-slice"))
        return false;
    bool busy = busy_case();
    bool storm = storm_case();
    return busy && storm;
}
REGISTER_SCENARIO(vcpu_slice, "vcpu-slice", "lesson 02: timer ticks for a guest that never exits; the exit-storm watchdog",
                  vcpu_slice, 0);

static bool vcpu_spin(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("vcpu-spin"))
        return false;
    return cli_spin_case();
}
REGISTER_SCENARIO(vcpu_spin, "vcpu-spin", "lesson 02: \"cli; jmp $\" is stopped by its time budget", vcpu_spin, 0);
