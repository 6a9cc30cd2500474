/**
 * @file svm_exit.c
 * @brief One trip into the guest (ops->run) and the decoding of the
 *        #VMEXIT into a vendor-neutral struct vm_exit.
 *
 * EXITCODE, EXITINFO1 and EXITINFO2 mean different things per exit (APM
 * Vol. 2 Appendix C and §15.7-§15.13); what is decoded here:
 *  - IOIO (§15.10.2 Figure 15-2): EXITINFO1 = port[31:16], SZ32/16/8 bits
 *    6:4, REP bit 3, STR bit 2, TYPE bit 0 (1 = IN); EXITINFO2 = the RIP
 *    of the next instruction, the one length SVM always gives;
 *  - MSR: EXITINFO1 = 0 for RDMSR, 1 for WRMSR;
 *  - exceptions 0x40+v: EXITINFO1 = error code, EXITINFO2 = CR2 for #PF;
 *  - CR writes 0x10+n: without decode assists no operand information, so
 *    the instruction is decoded from guest memory (svm_insn.c);
 *  - VMEXIT_INVALID (-1): VMRUN refused the VMCB; QEMU stores it as
 *    0x00000000ffffffff, so only the low 32 bits are compared.
 * Instruction lengths come from NRIP (nRIP - RIP) only when CPUID
 * 8000_000Ah EDX[3] says the CPU writes it; otherwise from the bytes.
 */
#include "svm/svm.h"

#include "spectrum/console.h"
#include "spectrum/exercise.h"
#include "spectrum/mem.h"
#include "spectrum/string.h"
#include "host/host_irq.h"
#include "vcpu/guest_space.h"
#include "spectrum/x86_bits.h"

#define GATE_P (1ull << 47)          /* present bit of an IDT gate, SDM Vol. 3A §7.11 Figure 7-2 */
#define MAX_INSN 15

static uint64_t rip_delta(const struct svm_vcpu *s, uint64_t next, uint64_t rip)
{
    uint64_t d = next - rip;
    return svm_guest_long64(s) ? d : (uint32_t)d;   /* EIP wraps at 4 GiB in 32-bit code */
}

/* Length of a fixed-opcode instruction (CPUID, HLT, RDMSR, WRMSR, VMMCALL). */
static uint8_t insn_len(struct svm_vcpu *s, const uint8_t *op, unsigned oplen)
{
    if (svm_cpu.nrips) {
        uint64_t n = rip_delta(s, s->vmcb->control.nrip, s->vmcb->save.rip);
        if (n >= 1 && n <= MAX_INSN)
            return (uint8_t)n;
    }
    uint8_t buf[MAX_INSN];
    size_t got = svm_fetch_insn(s, buf);
    unsigned len = svm_insn_prefixed_len(buf, got, svm_guest_long64(s), op, oplen);
    /* Unreadable or different bytes (the guest rewrote them after they ran):
     * the unprefixed length is the best remaining guess. */
    return (uint8_t)(len ? len : oplen);
}

static void decode_io(struct svm_vcpu *s, struct vm_exit *e)
{
    /* EXERCISE 02.io-exit 10 "Decode an I/O exit into e->io: port, size, direction, string, REP - SVM EXITINFO1 (APM Vol. 2 15.10.2 Figure 15-2), VMX exit qualification (SDM Vol. 3C Table 28-5)" */
    uint64_t i1 = e->info1;
    e->reason = EXIT_IO;
    e->io.port = (uint16_t)(i1 >> SVM_IOIO_PORT_SHIFT);
    e->io.size = (i1 & SVM_IOIO_SZ32) ? 4 : (i1 & SVM_IOIO_SZ16) ? 2 : (i1 & SVM_IOIO_SZ8) ? 1 : 0;
    e->io.in = i1 & SVM_IOIO_TYPE_IN;
    e->io.string = i1 & SVM_IOIO_STR;
    e->io.rep = i1 & SVM_IOIO_REP;
    /* STUB
    EXERCISE_TODO();
    e->reason = EXIT_UNKNOWN;
    return;
    STUB END */
    /* END EXERCISE 02.io-exit */
    uint64_t n = rip_delta(s, e->info2, s->vmcb->save.rip);
    if (n < 1 || n > MAX_INSN) {
        vm_stop(s->vcpu.vm, false, "IOIO exit with next RIP %#lx for RIP %#lx", (unsigned long)e->info2,
                (unsigned long)s->vmcb->save.rip);
        e->reason = EXIT_UNKNOWN;
        return;
    }
    e->insn_len = (uint8_t)n;
}

static void decode_cr_write(struct svm_vcpu *s, struct vm_exit *e, unsigned cr)
{
    uint8_t buf[MAX_INSN];
    size_t got = svm_fetch_insn(s, buf);
    struct svm_cr_insn insn;
    e->reason = EXIT_UNKNOWN;
    if (!svm_insn_decode_cr(buf, got, svm_guest_long64(s), &insn)) {
        vm_stop(s->vcpu.vm, false, "CR%u write intercepted at RIP %#lx but the bytes there (%lu readable) are not "
                "a MOV to CR", cr, (unsigned long)s->vmcb->save.rip, (unsigned long)got);
        return;
    }
    if (insn.kind != SVM_CR_MOV) {
        /* CLTS and LMSW write CR0 too (APM Vol. 2 §15.9: the CR0 write
         * intercept covers them): the CR handler emulates both. */
        if (cr != 0) {
            vm_stop(s->vcpu.vm, false, "CR%u write intercepted at RIP %#lx but the instruction there is %s",
                    cr, (unsigned long)s->vmcb->save.rip, insn.kind == SVM_CR_CLTS ? "CLTS" : "LMSW");
            return;
        }
        e->reason = EXIT_CR_ACCESS;
        e->cr.kind = insn.kind == SVM_CR_CLTS ? CR_CLTS : CR_LMSW;
        e->cr.write = true;
        e->cr.gpr = insn.gpr;
        /* svm_run() already copied RAX and RSP from the VMCB into regs. */
        e->cr.lmsw_src = insn.kind == SVM_CR_LMSW ? (uint16_t)s->vcpu.regs.gpr[insn.gpr] : 0;
        e->insn_len = insn.len;
        return;
    }
    if (insn.cr != cr || !insn.write) {
        vm_stop(s->vcpu.vm, false, "CR%u write intercepted at RIP %#lx but the instruction there accesses CR%u",
                cr, (unsigned long)s->vmcb->save.rip, insn.cr);
        return;
    }
    e->reason = EXIT_CR_ACCESS;
    e->cr.kind = CR_MOV;
    e->cr.cr = (uint8_t)cr;
    e->cr.write = true;
    e->cr.gpr = insn.gpr;
    e->insn_len = insn.len;
}

/* Can the guest's IDT deliver @p vector at all?  NULL if the gate is
 * inside the IDT limit, readable and present; else why not.  Used for an
 * intercepted #DF: "if another exception occurs while attempting to call
 * the double-fault handler, the processor enters shutdown mode" (SDM
 * Vol. 3A §7.15, Interrupt 8), so a #DF the IDT cannot deliver is already
 * a triple fault.  Deciding it here, instead of reflecting the #DF and
 * letting the CPU shut down, gives the same result with a reason - and
 * works around Bochs 2.7, whose SVM panics on that third fault instead of
 * taking the SHUTDOWN intercept. */
static const char *idt_cannot_deliver(struct svm_vcpu *s, unsigned vector)
{
    /* EXERCISE 02.triple-fault 10 "A triple fault (VMX exit reason 2, SVM SHUTDOWN) ends only that VM: report RIP, RSP and the control registers and stop it; SVM checks an intercepted #DF gate first, read page by page (SDM Vol. 3A 7.15 Interrupt 8; APM Vol. 2 15.13)" */
    const struct vmcb_save *g = &s->vmcb->save;
    uint64_t size = (g->efer & EFER_LMA) ? 16 : 8;   /* long-mode gates are 16 bytes (§7.14.1) */
    if ((uint64_t)g->idtr.limit < vector * size + size - 1)
        return "beyond the IDT limit";
    /* The first 8 bytes hold the present bit in either format.  The IDT
     * base need not be page aligned, so those bytes may straddle two
     * pages: read them page by page, as the CPU does. */
    uint64_t gate;
    if (guest_space_fetch(&s->vcpu, g->idtr.base + vector * size, &gate, sizeof gate) != sizeof gate)
        return "the IDT is not mapped";
    if (!(gate & GATE_P))
        return "its gate is not present";
    return 0;
    /* STUB
    EXERCISE_TODO();
    (void)s;
    (void)vector;
    return 0;
    STUB END */
    /* END EXERCISE 02.triple-fault */
}

static void decode_exception(struct vm_exit *e, unsigned vector)
{
    e->reason = EXIT_EXCEPTION;
    e->exc.vector = (uint8_t)vector;
    e->exc.has_error = x86_exception_has_error(vector);
    e->exc.error = e->exc.has_error ? (uint32_t)e->info1 : 0;
    e->exc.cr2 = vector == EXC_PF ? e->info2 : 0;
}

void svm_exit_decode(struct svm_vcpu *s, struct vm_exit *e)
{
    static const uint8_t op_cpuid[] = { 0x0f, 0xa2 }, op_hlt[] = { 0xf4 }, op_rdmsr[] = { 0x0f, 0x32 },
                         op_wrmsr[] = { 0x0f, 0x30 }, op_vmmcall[] = { 0x0f, 0x01, 0xd9 };
    const struct vmcb_control *c = &s->vmcb->control;
    uint32_t code = (uint32_t)c->exitcode;
    e->raw = c->exitcode;
    e->info1 = c->exitinfo1;
    e->info2 = c->exitinfo2;
    e->reason = EXIT_UNKNOWN;

    if (code == SVM_EXIT_CR0_WRITE + 0 || code == SVM_EXIT_CR0_WRITE + 4) {
        decode_cr_write(s, e, code - SVM_EXIT_CR0_WRITE);
        return;
    }
    if (code >= SVM_EXIT_EXCP_BASE && code < SVM_EXIT_EXCP_BASE + 32) {
        decode_exception(e, code - SVM_EXIT_EXCP_BASE);
        const char *why = e->exc.vector == EXC_DF ? idt_cannot_deliver(s, EXC_DF) : 0;
        if (why) {
            kprintf("svm: %s: #DF at RIP %#lx cannot be delivered (%s, IDT base %#lx limit %#x): shutdown\n",
                    s->vcpu.vm->name, (unsigned long)s->vmcb->save.rip, why,
                    (unsigned long)s->vmcb->save.idtr.base, s->vmcb->save.idtr.limit);
            e->reason = EXIT_TRIPLE_FAULT;
        }
        return;
    }
    switch (code) {
    case SVM_EXIT_INVALID:
        e->reason = EXIT_ENTRY_FAILED;
        break;
    case SVM_EXIT_CPUID:
        e->reason = EXIT_CPUID;
        e->insn_len = insn_len(s, op_cpuid, sizeof op_cpuid);
        break;
    case SVM_EXIT_HLT:
        e->reason = EXIT_HLT;
        e->insn_len = insn_len(s, op_hlt, sizeof op_hlt);
        break;
    case SVM_EXIT_IOIO:
        decode_io(s, e);
        break;
    case SVM_EXIT_MSR:
        e->reason = e->info1 ? EXIT_MSR_WRITE : EXIT_MSR_READ;
        e->insn_len = e->info1 ? insn_len(s, op_wrmsr, sizeof op_wrmsr) : insn_len(s, op_rdmsr, sizeof op_rdmsr);
        break;
    case SVM_EXIT_SHUTDOWN:
        e->reason = EXIT_TRIPLE_FAULT;
        break;
    case SVM_EXIT_VINTR:
        e->reason = EXIT_INTR_WINDOW;
        break;
    case SVM_EXIT_INTR:
        e->reason = EXIT_EXTERNAL_INTR;
        break;
    case SVM_EXIT_NMI:
        /* The NMI stays pending while GIF = 0; svm_run.S's STGI lets the
         * host's handler take it (host/host_nmi.c). */
        e->reason = EXIT_HOST_NMI;
        break;
    case SVM_EXIT_MONITOR:
    case SVM_EXIT_MWAIT:
    case SVM_EXIT_MWAIT_ARMED:
        e->reason = EXIT_MWAIT;
        break;
    case SVM_EXIT_NPF:
        /* EXITINFO1 is a #PF error code (bit 0 present: a translation
         * existed, bit 1 write, bit 4 fetch), EXITINFO2 the address (§15.25.6). */
        e->reason = EXIT_NESTED_PAGE_FAULT;
        e->npf.gpa = e->info2;
        e->npf.write = e->info1 & (1ull << 1);
        e->npf.exec = e->info1 & (1ull << 4);
        e->npf.read = !e->npf.write && !e->npf.exec;
        e->npf.mapped = e->info1 & 1;
        break;
    case SVM_EXIT_VMMCALL:
        e->reason = EXIT_HYPERCALL;
        e->insn_len = insn_len(s, op_vmmcall, sizeof op_vmmcall);
        break;
    default:
        break;
    }
}

static void snapshot_take(struct svm_vcpu *s)
{
    const struct vmcb *v = s->vmcb;
    s->attempted = (struct svm_entry_snapshot){
        .es = v->save.es, .cs = v->save.cs, .ss = v->save.ss, .ds = v->save.ds,
        .gdtr = v->save.gdtr, .idtr = v->save.idtr,
        .cr0 = v->save.cr0, .cr2 = v->save.cr2, .cr3 = v->save.cr3, .cr4 = v->save.cr4,
        .dr6 = v->save.dr6, .dr7 = v->save.dr7, .efer = v->save.efer,
        .vintr = v->control.vintr, .eventinj = v->control.eventinj, .cpl = v->save.cpl,
    };
}

static void snapshot_restore(struct svm_vcpu *s)
{
    struct vmcb *v = s->vmcb;
    const struct svm_entry_snapshot *a = &s->attempted;
    v->save.es = a->es;
    v->save.cs = a->cs;
    v->save.ss = a->ss;
    v->save.ds = a->ds;
    v->save.gdtr = a->gdtr;
    v->save.idtr = a->idtr;
    v->save.cr0 = a->cr0;
    v->save.cr2 = a->cr2;
    v->save.cr3 = a->cr3;
    v->save.cr4 = a->cr4;
    v->save.dr6 = a->dr6;
    v->save.dr7 = a->dr7;
    v->save.efer = a->efer;
    v->save.cpl = a->cpl;
    v->control.vintr = a->vintr;
    v->control.eventinj = a->eventinj;
}

void svm_run(struct vcpu *v, struct vm_exit *e)
{
    struct svm_vcpu *s = svm_of(v);
    struct vmcb *vmcb = s->vmcb;
    memset(e, 0, sizeof *e);

    /* A handler that moved RIP completed the instruction, and with it any
     * STI/MOV SS shadow that covered it. */
    if (v->regs.rip != vmcb->save.rip)
        vmcb->control.int_state &= ~SVM_INT_SHADOW;
    vmcb->save.rip = v->regs.rip;
    vmcb->save.rsp = v->regs.gpr[GPR_RSP];
    vmcb->save.rax = v->regs.gpr[GPR_RAX];
    vmcb->save.rflags = v->regs.rflags;
    svm_event_before_entry(s);
    vmcb->control.tlb_control = s->flush_tlb ? SVM_TLB_FLUSH_ALL : SVM_TLB_NOTHING;
    s->flush_tlb = false;
    snapshot_take(s);

    /* SVM has no preemption timer: the host timer's IRQ0 ends the slice
     * (the INTR intercept, with the host's IF = 1 during VMRUN). */
    host_timer_arm(v->deadline_tsc);
    svm_vmrun(virt_to_phys(vmcb), &v->regs, virt_to_phys(svm_cpu.host_state));

    if ((uint32_t)vmcb->control.exitcode == SVM_EXIT_INVALID) {
        /* Nothing ran; put back what was attempted so the checker and the
         * dump describe it, whatever the CPU wrote to the save area. */
        snapshot_restore(s);
        vmcb->save.rip = v->regs.rip;
        vmcb->save.rsp = v->regs.gpr[GPR_RSP];
        vmcb->save.rax = v->regs.gpr[GPR_RAX];
        vmcb->save.rflags = v->regs.rflags;
        svm_exit_decode(s, e);
        return;
    }
    v->regs.rip = vmcb->save.rip;
    v->regs.gpr[GPR_RSP] = vmcb->save.rsp;
    v->regs.gpr[GPR_RAX] = vmcb->save.rax;
    v->regs.rflags = vmcb->save.rflags;
    svm_exit_decode(s, e);
    svm_event_after_exit(s, e);
}

const char *svm_exit_name(uint64_t code)
{
    uint32_t c = (uint32_t)code;
    if (c < 0x10)
        return "CR read";
    if (c < 0x20)
        return "CR write";
    if (c < 0x40)
        return "DR access";
    if (c < 0x60)
        return "exception";
    switch (c) {
    case SVM_EXIT_INTR: return "INTR";
    case SVM_EXIT_NMI: return "NMI";
    case SVM_EXIT_SMI: return "SMI";
    case SVM_EXIT_INIT: return "INIT";
    case SVM_EXIT_VINTR: return "VINTR";
    case SVM_EXIT_CPUID: return "CPUID";
    case SVM_EXIT_INVD: return "INVD";
    case SVM_EXIT_HLT: return "HLT";
    case SVM_EXIT_INVLPGA: return "INVLPGA";
    case SVM_EXIT_IOIO: return "IOIO";
    case SVM_EXIT_MSR: return "MSR";
    case SVM_EXIT_SHUTDOWN: return "SHUTDOWN";
    case SVM_EXIT_VMRUN: return "VMRUN";
    case SVM_EXIT_VMMCALL: return "VMMCALL";
    case SVM_EXIT_VMLOAD: return "VMLOAD";
    case SVM_EXIT_VMSAVE: return "VMSAVE";
    case SVM_EXIT_STGI: return "STGI";
    case SVM_EXIT_CLGI: return "CLGI";
    case SVM_EXIT_SKINIT: return "SKINIT";
    case SVM_EXIT_MONITOR: return "MONITOR";
    case SVM_EXIT_MWAIT: return "MWAIT";
    case SVM_EXIT_MWAIT_ARMED: return "MWAIT_CONDITIONAL";
    case SVM_EXIT_XSETBV: return "XSETBV";
    case SVM_EXIT_NPF: return "NPF";
    case SVM_EXIT_INVALID: return "VMEXIT_INVALID";
    default: return "other";
    }
}
