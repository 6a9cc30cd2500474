/**
 * @file vmx_breaks.c
 * @brief Scenario "vmx-breaks": the VM-entry checker against the CPU.
 *
 * First the unbroken 64-bit smoke guest: the checker must find nothing and
 * the guest must run to its "pass".  Then, for every mistake of
 * vmx_break.c, a fresh vCPU gets the mistake, the checker must name the
 * expected rule, and one VM entry is attempted to show the CPU's own
 * verdict (VM-instruction error 7/8 or exit reason 33), by name.  One line
 * per mistake:
 *
 *     vmx-breaks: <name>: checker <rule|MISSED> (<n> rules); CPU <verdict>
 *
 * The scenario passes when the baseline is clean and every mistake is
 * named.  An emulator that accepts a broken state is reported ("CPU
 * entered") but is not a failure of Spectrum's checker.
 */
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"
#include "vcpu/hvm_guest.h"
#include "vmx/vmx_break.h"

extern const uint8_t vmx_smoke_guest64[], vmx_smoke_guest64_end[];

#define BREAK_MEM (4ull << 20)

/** What the checker said about one mistake. */
struct seen_rules {
    const char *want;   /**< the expected rule */
    bool found;         /**< it was reported */
};

static void collect(void *ctx, const struct vmx_check_violation *v)
{
    struct seen_rules *s = ctx;
    if (strcmp(v->rule, s->want) == 0)
        s->found = true;
}

static struct vcpu *new_vcpu(struct vm *vm, const char *name)
{
    vm_init(vm, name, BREAK_MEM);
    return hvm_guest_create(vm, vmx_smoke_guest64, (size_t)(vmx_smoke_guest64_end - vmx_smoke_guest64),
                            VCPU_MODE_LONG64);
}

static bool baseline(void)
{
    struct vm vm;
    struct vcpu *v = new_vcpu(&vm, "vmx-breaks-clean");
    unsigned n = v ? vmx_check_print(vmx_of(v), 0, 0) : 1;
    bool ok = v && n == 0 && hvm_guest_run(&vm, v, NULL);
    kprintf("vmx-breaks: baseline: checker %u rule(s), guest %s\n", n, ok ? "passed" : "FAILED");
    vm_destroy(&vm);
    return ok;
}

static bool one_break(const struct vmx_break *b, unsigned *refused)
{
    struct vm vm;
    struct vcpu *v = new_vcpu(&vm, b->name);
    if (!v) {
        kprintf("vmx-breaks: %s: no vCPU (%s)\n", b->name, vm.stop_reason);
        vm_destroy(&vm);
        return false;
    }
    struct vmx_vcpu *x = vmx_of(v);
    vmx_break_apply(x, b->name);
    kprintf("vmx-breaks: %s: %s\n", b->name, b->what);
    struct seen_rules s = { b->rule, false };
    unsigned n = vmx_check_print(x, collect, &s);

    struct vm_exit e;
    v->deadline_tsc = 0;     /* should the CPU enter after all: a slice that ends at once */
    v->ops->run(v, &e);
    bool cpu_refused = e.reason == EXIT_ENTRY_FAILED;
    if (cpu_refused)
        (*refused)++;
    kprintf("vmx-breaks: %s: checker %s (%u rule(s)); CPU %s\n", b->name, s.found ? b->rule : "MISSED", n,
            cpu_refused ? vmx_exit_name(e.raw) : "entered (this CPU does not check the rule)");
    v->ops->destroy(v);
    vm_destroy(&vm);
    return s.found;
}

static bool vmx_breaks_run(const struct cmdline *cl)
{
    (void)cl;
    if (vcpu_backend() != &vmx_ops) {
        kprintf("vmx-breaks: needs the vmx back end\n");
        return false;
    }
    bool ok = baseline();
    unsigned named = 0, refused = 0;
    for (unsigned i = 0; i < vmx_break_count; i++)
        named += one_break(&vmx_breaks[i], &refused);
    kprintf("vmx-breaks: %u of %u mistakes named by the checker, %u refused by the CPU\n", named, vmx_break_count,
            refused);
    return ok && named == vmx_break_count;
}
REGISTER_SCENARIO(vmx_breaks, "vmx-breaks", "lesson 02: seeded VMCS mistakes: the VM-entry checker vs the CPU",
                  vmx_breaks_run, 0);
