/**
 * @file vmx_create.c
 * @brief Creating a VMX vCPU: its VMCS, its control fields, then host and
 *        guest state; and destroying it.
 *
 * What exits, and why (control bits: SDM Vol. 3C §25.6-25.8):
 *  - external interrupts (pin-based bit 0): a host interrupt that arrives
 *    while the guest runs must come back to the host, never be delivered
 *    through the guest's IDT;
 *  - HLT (primary bit 7): the exit loop idles the vCPU until an interrupt;
 *  - every IN/OUT/INS/OUTS ("unconditional I/O exiting", bit 24, no I/O
 *    bitmaps): every port goes to the emulated port bus;
 *  - every RDMSR/WRMSR: "use MSR bitmaps" (bit 28) stays 0, and then all
 *    MSR accesses exit (§26.1.3) and go through the handler's allow list;
 *  - CPUID, INVD, XSETBV, GETSEC and the VMX instructions exit
 *    unconditionally (§26.1.2);
 *  - MOV to/from CR8 (bits 19/20): without a TPR shadow CR8 is the real
 *    local APIC's TPR - the host's;
 *  - CR0/CR4 writes that touch a bit VMX owns (the guest/host masks below);
 *  - #DF only in the exception bitmap, like the SVM back end: reported and
 *    reflected by handlers_fault.c; a triple fault exits (reason 2);
 *  - interrupt-window exiting (bit 2) only while the loop asks for it;
 *  - NMIs (pin-based bit 3): a host NMI must reach the host's handler, not
 *    the guest's IDT (vmx_run.c runs the host handler after the exit);
 *  - MONITOR and MWAIT (bits 29, 10): CPUID hides them, the handler
 *    answers #UD; without the exit MWAIT would sleep on the real CPU;
 *  - the VMX-preemption timer (pin-based bit 6) when the CPU has it: it
 *    ends the time slice at v->deadline_tsc without any interrupt; CPUs
 *    without it get the host timer's IRQ0 through external-interrupt
 *    exiting instead (host/host_irq.h).
 * VM entry loads and VM exit saves the guest's DR7 and IA32_DEBUGCTL
 * ("load/save debug controls"; without them a VM exit sets DR7 to 400H,
 * SDM Vol. 3C §28.5.1, and the guest's breakpoints vanish), and, where the
 * CPU has the controls, its IA32_PAT (the host's comes back on exit).
 * Not wanted: CR3-load/store exiting (the guest reloading its own CR3 is
 * harmless and lesson 02 gives no isolation anyway, see guest_space.h).
 * If the CPU forces CR3-load exiting (no TRUE_ controls, Appendix A.2),
 * the guest's initial CR3 becomes CR3-target value 0 so that reloading it
 * does not exit (§26.1.3).
 *
 * VM exits load the host's IA32_EFER and run it in 64-bit mode ("host
 * address-space size", "load IA32_EFER"); VM entries load the guest's
 * IA32_EFER and, for a 64-bit guest, set "IA-32e mode guest".
 */
#include "vmx/vmx.h"
#include "spectrum/options.h"

#include "spectrum/boot.h"
#include "spectrum/machine.h"
#include "spectrum/mem.h"
#include "spectrum/string.h"
#include "vmx/vmcs_fields.h"
#include "vmx/vmx_controls.h"
#include "vmx/vmx_exit_info.h"
#include "vmx/vmx_insn.h"
#include "spectrum/x86_bits.h"

REGISTER_OPTION(vmx_break, "a deliberate VMCS mistake (names in vmx_break.c)");

/* Lesson 03's nested paging plugs in here (struct vcpu_nested_ext):
 * lesson 02 registers none, so a config asking for it fails. */
static bool nested_attach(struct vcpu *v, const struct vcpu_config *cfg)
{
    const struct vcpu_nested_ext *n = vcpu_nested_find("vmx");
    if (!n) {
        vm_stop(v->vm, false, "vmx: nested paging was asked for, but no lesson in this stage provides it");
        return false;
    }
    return n->attach(v, cfg);
}

static void nested_detach(struct vcpu *v)
{
    const struct vcpu_nested_ext *n = v->nested_state ? vcpu_nested_find("vmx") : 0;
    if (n && n->detach)
        n->detach(v);
}


void vmx_vmcs_load(struct vmx_vcpu *x)
{
    uint64_t pa = virt_to_phys(x->vmcs);
    if (vmx_cpu.current_vmcs == pa)
        return;
    int st = vmx_vmptrld(pa);
    if (st != VMX_OK)
        panic("vmx: VMPTRLD %#lx failed (%s%s)", (unsigned long)pa,
              st == VMX_FAIL_VALID ? "VMfailValid: " : "VMfailInvalid",
              st == VMX_FAIL_VALID ? vmx_insn_error_name((uint32_t)vmcs_read(VMCS_INSN_ERROR)) : "");
    vmx_cpu.current_vmcs = pa;
}

static void write_controls(struct vmx_vcpu *x, const struct vcpu_config *cfg)
{
    const struct vmx_caps *c = &vmx_cpu.caps;
    vmcs_write(VMCS_PIN_CONTROLS, x->ctl[VMX_CTL_PIN]);
    vmcs_write(VMCS_PROC_CONTROLS, x->proc_now);
    if (x->ctl[VMX_CTL_PROC] & PROC_SECONDARY_CONTROLS)
        vmcs_write(VMCS_PROC2_CONTROLS, x->ctl[VMX_CTL_PROC2]);
    vmcs_write(VMCS_EXIT_CONTROLS, x->ctl[VMX_CTL_EXIT]);
    vmcs_write(VMCS_ENTRY_CONTROLS, x->ctl[VMX_CTL_ENTRY]);
    vmcs_write(VMCS_EXCEPTION_BITMAP, 1u << EXC_DF);
    /* §26.2: with #PF clear in the bitmap, mask = match = 0 keeps it clear. */
    vmcs_write(VMCS_PF_ERROR_MASK, 0);
    vmcs_write(VMCS_PF_ERROR_MATCH, 0);
    if ((x->ctl[VMX_CTL_PROC] & PROC_CR3_LOAD_EXITING) && vmx_caps_cr3_targets(c) >= 1) {
        vmcs_write(VMCS_CR3_TARGET_VALUE0, cfg->cr3);
        vmcs_write(VMCS_CR3_TARGET_COUNT, 1);
    } else {
        vmcs_write(VMCS_CR3_TARGET_COUNT, 0);
    }
    vmcs_write(VMCS_EXIT_MSR_STORE_COUNT, 0);
    vmcs_write(VMCS_EXIT_MSR_LOAD_COUNT, 0);
    vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
    vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
    /* §25.4.2: no shadow VMCS - the link pointer must be all ones. */
    vmcs_write(VMCS_LINK_POINTER, ~0ull);
}

struct vcpu *vmx_create(struct vm *vm, const struct vcpu_config *cfg)
{
    if (!vmx_cpu.enabled || (cfg->mode != VCPU_MODE_PROT32_PAGED && cfg->mode != VCPU_MODE_LONG64))
        return 0;
    uint32_t ctl[VMX_CTL_KINDS];
    char why[160];
    if (!vmx_controls_choose(&vmx_cpu.caps, cfg->mode, ctl, why, sizeof why)) {
        vm_stop(vm, false, "vmx: %s", why);
        return 0;
    }

    _Static_assert(sizeof(struct vmx_vcpu) <= PAGE_SIZE, "one page per vCPU structure");
    struct vmx_vcpu *x = page_alloc(1, 1);
    x->vmcs = page_alloc(1, 1);
    /* §25.2: bits 30:0 = revision identifier, bit 31 = 0 (not a shadow VMCS). */
    *(uint32_t *)x->vmcs = vmx_cpu.revision;
    uint64_t pa = virt_to_phys(x->vmcs);
    /* §25.11.3: VMCLEAR initialises a new VMCS (launch state "clear"). */
    int st = vmx_vmclear(pa);
    if (st != VMX_OK)
        panic("vmx: VMCLEAR %#lx failed (status %d)", (unsigned long)pa, st);
    vmx_vmcs_load(x);

    x->mode = cfg->mode;
    memcpy(x->ctl, ctl, sizeof ctl);
    x->ctl[VMX_CTL_PROC] &= ~PROC_INTR_WINDOW_EXITING;  /* only on demand */
    x->proc_now = x->ctl[VMX_CTL_PROC];
    write_controls(x, cfg);
    vmx_host_setup();
    vmx_guest_setup(x, cfg);

    x->vcpu.vm = vm;
    x->vcpu.ops = &vmx_ops;
    x->vcpu.regs.rip = cfg->rip;
    x->vcpu.regs.gpr[GPR_RSP] = cfg->rsp;
    x->vcpu.regs.rflags = RFLAGS_FIXED;
    x->exit_rip = cfg->rip;

    /* "vmx_break=NAME": a deliberate mistake, to watch the checker and
     * the CPU refuse it (vmx_break.c lists them). */
    const char *brk = cmdline_get(boot_cmdline_get(), "vmx_break");
    if (brk && !vmx_break_apply(x, brk))
        vm_stop(vm, false, "vmx: unknown vmx_break=%s (see vmx_break.c)", brk);
    if (cfg->nested && !nested_attach(&x->vcpu, cfg)) {
        vmx_destroy(&x->vcpu);
        return 0;
    }
    return &x->vcpu;
}

void vmx_destroy(struct vcpu *v)
{
    struct vmx_vcpu *x = vmx_of(v);
    nested_detach(v);
    uint64_t pa = virt_to_phys(x->vmcs);
    vmx_msr_release(x);
    /* §25.11.1: VMCLEAR before the memory is reused, so the CPU holds no
     * cached copy of it; it also stops it being current. */
    vmx_vmclear(pa);
    if (vmx_cpu.current_vmcs == pa)
        vmx_cpu.current_vmcs = 0;
    page_free(x->vmcs, 1);
    page_free(x, 1);
}
