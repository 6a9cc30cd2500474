/**
 * @file mmio_svm_assist.c
 * @brief SVM decode assists for MMIO emulation: the bytes the CPU fetched.
 *
 * With decode assists (CPUID 8000_000Ah EDX bit 7), a #VMEXIT for a nested
 * page fault stores the number of instruction bytes the CPU fetched at the
 * guest's CS:RIP in VMCB control byte 0xD0 (bits 3:0) and up to 15 of them
 * from 0xD1 (APM Vol. 2 §15.33.4 "Nested and Intercepted #PF", Appendix B
 * Table B-1), saving the hypervisor the guest page walk.  QEMU's TCG does
 * not offer them, so this is only a fast path: mmio_emul.c fetches through
 * the guest's paging whenever it gets 0 bytes here, or too few to decode.
 *
 * The one file of lesson 03's MMIO path that knows the SVM back end's
 * internals (svm/svm.h), so the rest stays vendor-neutral.
 */
#include "mmio/mmio_emul.h"

#include "svm/svm.h"

_Static_assert(offsetof(struct vmcb_control, insn_fetched) == 0x0d0, "APM Vol. 2 Table B-1: bytes fetched");
_Static_assert(offsetof(struct vmcb_control, insn_bytes) == 0x0d1, "APM Vol. 2 Table B-1: guest instruction bytes");

size_t mmio_assist_bytes(struct vcpu *v, uint8_t buf[15])
{
    if (v->ops != &svm_ops || !svm_cpu.decode_assists)
        return 0;
    const struct vmcb_control *c = &svm_of(v)->vmcb->control;
    size_t n = c->insn_fetched & 0xf;   /* bits 7:4 reserved */
    if (n > sizeof c->insn_bytes)
        n = sizeof c->insn_bytes;
    for (size_t i = 0; i < n; i++)
        buf[i] = c->insn_bytes[i];
    return n;
}
