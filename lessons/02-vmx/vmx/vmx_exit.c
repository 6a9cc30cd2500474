/**
 * @file vmx_exit.c
 * @brief Decoding a VM exit into a vendor-neutral struct vm_exit, and the
 *        names of raw VMX exit codes.
 *
 * What the VMCS says after an exit (SDM Vol. 3C §28.2 "Recording VM-Exit
 * Information"):
 *  - exit reason (§25.9.1): basic reason in bits 15:0 (Appendix C), bit 31
 *    = the exit is a VM-entry failure (reasons 33, 34, 41);
 *  - exit qualification: I/O (Table 28-5), control-register access
 *    (Table 28-3), the faulting linear address for #PF;
 *  - VM-exit interruption information + error code for exceptions;
 *  - VM-exit instruction length for exits caused by an instruction
 *    (§28.2.5), which is what vcpu_skip_insn() adds to RIP.
 * struct vm_exit fields: raw = exit-reason field; info1 = qualification;
 * info2 = interruption information (exceptions), guest-linear address
 * (string I/O) or guest-physical address (EPT violations).
 */
#include "vmx/vmx.h"

#include "spectrum/console.h"
#include "spectrum/exercise.h"
#include "spectrum/fmt.h"
#include "vmx/vmcs_fields.h"
#include "vmx/vmx_exit_info.h"
#include "spectrum/x86_bits.h"


static void decode_exception(struct vm_exit *e)
{
    uint32_t info = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO);
    uint32_t type = (info & VMX_INTR_TYPE_MASK) >> VMX_INTR_TYPE_SHIFT;
    e->info2 = info;
    if (type == VMX_INTR_TYPE_NMI) {
        /* "NMI exiting": an NMI for the host (vmx_run.c runs its handler). */
        e->reason = EXIT_HOST_NMI;
        return;
    }
    e->reason = EXIT_EXCEPTION;
    e->exc.vector = (uint8_t)(info & VMX_INTR_VECTOR_MASK);
    e->exc.has_error = info & VMX_INTR_ERROR_CODE;
    e->exc.error = e->exc.has_error ? (uint32_t)vmcs_read(VMCS_EXIT_INTR_ERROR) : 0;
    /* §28.2.1: for a #PF the qualification is the faulting linear address
     * (the guest's CR2 is not written when the #PF exits). */
    e->exc.cr2 = e->exc.vector == EXC_PF ? e->info1 : 0;
    /* INT3/INTO are instructions: the length matters when reflecting them. */
    if (type == VMX_INTR_TYPE_SOFT_EXC || type == VMX_INTR_TYPE_PRIV_SOFT_EXC)
        e->insn_len = (uint8_t)vmcs_read(VMCS_EXIT_INSN_LEN);
}

static void decode_io(struct vm_exit *e)
{
    /* EXERCISE 02.io-exit 10 "Decode an I/O exit into e->io: port, size, direction, string, REP - SVM EXITINFO1 (APM Vol. 2 15.10.2 Figure 15-2), VMX exit qualification (SDM Vol. 3C Table 28-5)" */
    uint64_t q = e->info1;
    e->reason = EXIT_IO;
    e->io.size = (uint8_t)((q & VMX_IOQ_SIZE_MASK) + 1);   /* 0, 1, 3 -> 1, 2, 4 */
    e->io.in = q & VMX_IOQ_IN;
    e->io.string = q & VMX_IOQ_STRING;
    e->io.rep = q & VMX_IOQ_REP;
    e->io.port = (uint16_t)(q >> VMX_IOQ_PORT_SHIFT);
    if (e->io.string)
        e->info2 = vmcs_read(VMCS_GUEST_LINEAR_ADDR);
    /* STUB
    EXERCISE_TODO();
    e->reason = EXIT_UNKNOWN;
    STUB END */
    /* END EXERCISE 02.io-exit */
}

static void decode_cr(struct vm_exit *e)
{
    uint64_t q = e->info1;
    unsigned type = (unsigned)((q >> VMX_CRQ_TYPE_SHIFT) & 3);
    e->reason = EXIT_CR_ACCESS;
    if (type == VMX_CRQ_TYPE_CLTS || type == VMX_CRQ_TYPE_LMSW) {
        /* Both exit only when they would change a CR0 bit the mask owns
         * (SDM Vol. 3C §26.1.3): with Spectrum's masks in practice never,
         * but the qualification says all the handler needs (Table 28-3:
         * the LMSW source in bits 31:16, register or memory). */
        e->cr.kind = type == VMX_CRQ_TYPE_CLTS ? CR_CLTS : CR_LMSW;
        e->cr.write = true;
        e->cr.lmsw_src = (uint16_t)(q >> VMX_CRQ_LMSW_SRC_SHIFT);
        return;
    }
    e->cr.kind = CR_MOV;
    e->cr.cr = (uint8_t)(q & VMX_CRQ_CR_MASK);
    e->cr.write = type == VMX_CRQ_TYPE_MOV_TO_CR;
    e->cr.gpr = (uint8_t)((q >> VMX_CRQ_GPR_SHIFT) & 0xf);
}

void vmx_exit_decode(struct vm_exit *e)
{
    uint32_t reason = (uint32_t)vmcs_read(VMCS_EXIT_REASON);
    uint32_t basic = reason & VMX_EXIT_REASON_BASIC_MASK;
    e->raw = reason;
    e->info1 = vmcs_read(VMCS_EXIT_QUALIFICATION);
    if (reason & VMX_EXIT_REASON_ENTRY_FAIL) {
        e->reason = EXIT_ENTRY_FAILED;
        kprintf("vmx: VM entry failed: exit reason %u (%s), qualification %#lx\n", basic,
                vmx_exit_reason_name(basic), (unsigned long)e->info1);
        return;
    }
    bool insn = true;   /* the exit was caused by an instruction */
    switch (basic) {
    case VMX_EXIT_EXCEPTION_NMI: decode_exception(e); insn = false; break;
    case VMX_EXIT_EXTERNAL_INTR: e->reason = EXIT_EXTERNAL_INTR; insn = false; break;
    case VMX_EXIT_TRIPLE_FAULT: e->reason = EXIT_TRIPLE_FAULT; insn = false; break;
    case VMX_EXIT_INTR_WINDOW: e->reason = EXIT_INTR_WINDOW; insn = false; break;
    case VMX_EXIT_CPUID: e->reason = EXIT_CPUID; break;
    case VMX_EXIT_HLT: e->reason = EXIT_HLT; break;
    case VMX_EXIT_IO: decode_io(e); break;
    case VMX_EXIT_RDMSR: e->reason = EXIT_MSR_READ; break;
    case VMX_EXIT_WRMSR: e->reason = EXIT_MSR_WRITE; break;
    case VMX_EXIT_CR_ACCESS: decode_cr(e); break;
    case VMX_EXIT_MWAIT:
    case VMX_EXIT_MONITOR: e->reason = EXIT_MWAIT; break;
    case VMX_EXIT_PREEMPTION_TIMER: e->reason = EXIT_PREEMPT; insn = false; break;
    case VMX_EXIT_VMCALL: e->reason = EXIT_HYPERCALL; break;
    case VMX_EXIT_EPT_VIOLATION:
        /* Lesson 03: qualification bit 0 = read, bit 1 = write, bit 2 =
         * instruction fetch; bits 5:3 = what the EPT entry allowed, all 0
         * when there was no translation (SDM Vol. 3C Table 28-7). */
        e->reason = EXIT_NESTED_PAGE_FAULT;
        e->info2 = e->npf.gpa = vmcs_read(VMCS_GUEST_PHYSICAL_ADDR);
        e->npf.write = e->info1 & (1u << 1);
        e->npf.exec = e->info1 & (1u << 2);
        e->npf.read = !e->npf.write && !e->npf.exec;
        e->npf.mapped = (e->info1 & (7u << 3)) != 0;
        insn = false;
        break;
    default: e->reason = EXIT_UNKNOWN; insn = false; break;
    }
    if (insn && e->reason != EXIT_UNKNOWN)
        e->insn_len = (uint8_t)vmcs_read(VMCS_EXIT_INSN_LEN);
}

const char *vmx_exit_name(uint64_t raw)
{
    /* One CPU, one message at a time: a static buffer is enough. */
    static char buf[112];
    if (raw & VMX_RAW_VMFAIL_INVALID)
        return "VMfailInvalid (no current VMCS)";
    if (raw & VMX_RAW_VMFAIL_VALID) {
        uint32_t err = (uint32_t)raw;
        fmt_snprintf(buf, sizeof buf, "VMfailValid, VM-instruction error %u: %s", err, vmx_insn_error_name(err));
        return buf;
    }
    return vmx_exit_reason_name((uint32_t)raw & VMX_EXIT_REASON_BASIC_MASK);
}
