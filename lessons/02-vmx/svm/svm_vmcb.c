/**
 * @file svm_vmcb.c
 * @brief Creating an SVM vCPU: its VMCB, permission maps and first state.
 *
 * What is intercepted, and why (APM Vol. 2 §15.9-§15.13, bits in vmcb.h):
 *  - CPUID, HLT: the exit handlers emulate them (handlers_cpuid/hlt.c);
 *  - IOIO_PROT with an I/O permission map of all ones (§15.10.1): every
 *    port goes to the emulated port bus, the guest never reaches hardware;
 *  - MSR_PROT with an MSR permission map of all ones (§15.11): every
 *    RDMSR/WRMSR goes through the allow list (handlers_msr.c);
 *  - CR0 and CR4 writes (§15.9): the guest must keep paging on (no nested
 *    paging yet) and may not set bits the hypervisor owns.  Reads are NOT
 *    intercepted: SVM has no read shadows, and nothing in CR0/CR4 needs
 *    hiding (EFER.SVME, the one hidden bit, lives in EFER, behind the MSR
 *    intercept);
 *  - #DF (§15.12): reported, then reflected (handlers_fault.c);
 *  - SHUTDOWN (§15.13): a triple fault ends the VM, not the machine;
 *  - INTR, NMI: a host interrupt while the guest runs comes back to the host;
 *  - VMRUN (mandatory, §15.5.1), VMMCALL, VMLOAD, VMSAVE, STGI, CLGI,
 *    SKINIT, INVLPGA: the guest's EFER.SVME is set (VMRUN requires it), so
 *    without intercepts it could run SVM instructions on host-physical
 *    addresses;
 *  - INVD (it would discard the host's dirty cache lines) and XSETBV (XCR0
 *    is not switched by VMRUN);
 *  - MONITOR and MWAIT: hidden by CPUID, answered with #UD
 *    (handlers_mwait.c) - a guest must not sleep on the physical CPU.
 * A host interrupt or NMI while the guest runs exits (INTR, NMI above):
 * the time slice ends with the host timer's IRQ0 (host/host_irq.h), since
 * SVM has no preemption timer.
 * VINTR is intercepted only while an interrupt window is requested
 * (svm_event.c).  V_INTR_MASKING=1 (§15.21.1): the guest's RFLAGS.IF masks
 * virtual interrupts only, the host's IF keeps masking physical ones.
 */
#include "svm/svm.h"

#include "spectrum/exercise.h"
#include "spectrum/mem.h"
#include "spectrum/string.h"
#include "vcpu/guest_space.h"
#include "spectrum/x86_bits.h"




/* Lesson 03's nested paging plugs in here (struct vcpu_nested_ext):
 * lesson 02 registers none, so a config asking for it fails. */
static bool nested_attach(struct vcpu *v, const struct vcpu_config *cfg)
{
    const struct vcpu_nested_ext *n = vcpu_nested_find("svm");
    if (!n) {
        vm_stop(v->vm, false, "svm: nested paging was asked for, but no lesson in this stage provides it");
        return false;
    }
    return n->attach(v, cfg);
}

static void nested_detach(struct vcpu *v)
{
    const struct vcpu_nested_ext *n = v->nested_state ? vcpu_nested_find("svm") : 0;
    if (n && n->detach)
        n->detach(v);
}
/* Segment attributes (vmcb.h format): P, S, DPL 0 plus type and flags. */
#define ATTR_CODE32 (SVM_SEG_P | SVM_SEG_S | 0xb | SVM_SEG_DB | SVM_SEG_G)  /* exec/read, accessed */
#define ATTR_CODE64 (SVM_SEG_P | SVM_SEG_S | 0xb | SVM_SEG_L | SVM_SEG_G)   /* L=1 requires D=0 */
#define ATTR_DATA   (SVM_SEG_P | SVM_SEG_S | 0x3 | SVM_SEG_DB | SVM_SEG_G)  /* read/write, accessed */
#define ATTR_TSS    (SVM_SEG_P | 0xb)                                      /* busy 32/64-bit TSS */

static void seg(struct vmcb_seg *s, uint16_t sel, uint16_t attrib, uint32_t limit)
{
    s->selector = sel;
    s->attrib = attrib;
    s->limit = limit;
    s->base = 0;
}

/* ASIDs 1..nasid-1, handed out round robin.  Reuse is safe because every
 * vCPU's first VMRUN flushes the TLB (TLB_CONTROL=1, §15.16.1). */
static uint32_t asid_next(void)
{
    uint32_t a = svm_cpu.next_asid;
    svm_cpu.next_asid = a + 1 < svm_cpu.nasid ? a + 1 : 1;
    return a;
}

static void init_control(struct svm_vcpu *s)
{
    struct vmcb_control *c = &s->vmcb->control;
    c->intercept_cr = SVM_INTERCEPT_CR_WRITE(0) | SVM_INTERCEPT_CR_WRITE(4);
    c->intercept_exc = 1u << EXC_DF;
    c->intercept_misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI | SVM_INTERCEPT_CPUID | SVM_INTERCEPT_HLT |
                         SVM_INTERCEPT_INVD | SVM_INTERCEPT_INVLPGA | SVM_INTERCEPT_IOIO_PROT |
                         SVM_INTERCEPT_MSR_PROT | SVM_INTERCEPT_SHUTDOWN;
    c->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL | SVM_INTERCEPT_VMLOAD |
                         SVM_INTERCEPT_VMSAVE | SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI | SVM_INTERCEPT_SKINIT |
                         SVM_INTERCEPT_XSETBV | SVM_INTERCEPT_MONITOR | SVM_INTERCEPT_MWAIT |
                         SVM_INTERCEPT_MWAIT_ARMED;
    c->iopm_base_pa = virt_to_phys(s->iopm);
    c->msrpm_base_pa = virt_to_phys(s->msrpm);
    c->guest_asid = asid_next();
    c->vintr = SVM_VINTR_MASKING;
    c->clean_bits = 0;          /* nothing cached: the CPU reloads every field (§15.15) */
}

static void init_state(struct vmcb_save *v, const struct vcpu_config *cfg)
{
    bool long64 = cfg->mode == VCPU_MODE_LONG64;
    v->cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
    v->cr3 = cfg->cr3;
    v->cr4 = long64 ? CR4_PAE : 0;
    v->efer = EFER_SVME | (long64 ? EFER_LME | EFER_LMA : 0);
    /* EXERCISE 02.vmcb-guest 10 "Fill the VMCB's segment registers (selector, attributes, limit, base) and GDTR/IDTR from cfg: flat code/data, a busy TSS, a null LDT (APM Vol. 2 15.5.1, Appendix B Table B-2)" */
    seg(&v->cs, long64 ? GUEST_SEL_CODE64 : GUEST_SEL_CODE32, long64 ? ATTR_CODE64 : ATTR_CODE32, 0xffffffffu);
    seg(&v->ds, GUEST_SEL_DATA, ATTR_DATA, 0xffffffffu);
    v->es = v->ss = v->fs = v->gs = v->ds;
    seg(&v->tr, 0, ATTR_TSS, 0x67);          /* unused, but a valid busy TSS type */
    seg(&v->ldtr, 0, 0, 0);                  /* null LDT */
    v->gdtr.base = cfg->gdt_base;
    v->gdtr.limit = cfg->gdt_limit;
    v->idtr.base = cfg->idt_base;
    v->idtr.limit = cfg->idt_limit;
    /* STUB
    EXERCISE_TODO();
    (void)seg;
    v->efer &= ~EFER_SVME;      // VMRUN refuses this VMCB: no guest runs on unset segments
    STUB END */
    /* END EXERCISE 02.vmcb-guest */
    v->cpl = 0;
    v->dr6 = DR6_INIT;
    v->dr7 = DR7_INIT;
    v->rflags = RFLAGS_FIXED;
    v->rip = cfg->rip;
    v->rsp = cfg->rsp;
    v->g_pat = PAT_POWER_ON;
}

struct vcpu *svm_create(struct vm *vm, const struct vcpu_config *cfg)
{
    if (!svm_cpu.enabled || (cfg->mode != VCPU_MODE_PROT32_PAGED && cfg->mode != VCPU_MODE_LONG64))
        return 0;
    _Static_assert(sizeof(struct svm_vcpu) <= PAGE_SIZE, "one page per vCPU structure");
    struct svm_vcpu *s = page_alloc(1, 1);
    s->vmcb = page_alloc(1, 1);
    s->iopm = page_alloc(SVM_IOPM_SIZE / PAGE_SIZE, 1);
    s->msrpm = page_alloc(SVM_MSRPM_SIZE / PAGE_SIZE, 1);
    memset(s->iopm, 0xff, SVM_IOPM_SIZE);
    memset(s->msrpm, 0xff, SVM_MSRPM_SIZE);
    init_control(s);
    init_state(&s->vmcb->save, cfg);
    s->flush_tlb = true;

    s->vcpu.vm = vm;
    s->vcpu.ops = &svm_ops;
    s->vcpu.regs.rip = cfg->rip;
    s->vcpu.regs.gpr[GPR_RSP] = cfg->rsp;
    s->vcpu.regs.rflags = RFLAGS_FIXED;
    if (cfg->nested && !nested_attach(&s->vcpu, cfg)) {
        svm_destroy(&s->vcpu);
        return 0;
    }
    return &s->vcpu;
}

void svm_destroy(struct vcpu *v)
{
    struct svm_vcpu *s = svm_of(v);
    nested_detach(v);
    page_free(s->msrpm, SVM_MSRPM_SIZE / PAGE_SIZE);
    page_free(s->iopm, SVM_IOPM_SIZE / PAGE_SIZE);
    page_free(s->vmcb, 1);
    page_free(s, 1);
}
