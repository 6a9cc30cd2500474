/**
 * @file svm_insn.c
 * @brief Reading the exiting instruction's bytes from guest memory, for
 *        the decoder in svm_decode.c.
 */
#include "svm/svm.h"

#include "spectrum/x86_bits.h"

#include "vcpu/guest_space.h"
#include "vcpu/rip.h"

#define MAX_INSN 15   /* APM Vol. 3 §1.1: instructions are at most 15 bytes */

bool svm_guest_long64(const struct svm_vcpu *s)
{
    return (s->vmcb->save.efer & EFER_LMA) && (s->vmcb->save.cs.attrib & SVM_SEG_L);
}

unsigned svm_code_bits(struct vcpu *v)
{
    const struct vmcb_save *g = &svm_of(v)->vmcb->save;
    return vcpu_code_bits(g->cr0 & CR0_PE, g->efer & EFER_LMA, g->cs.attrib & SVM_SEG_L, g->cs.attrib & SVM_SEG_DB);
}

size_t svm_fetch_insn(struct svm_vcpu *s, uint8_t buf[15])
{
    const struct vmcb_save *v = &s->vmcb->save;
    /* 64-bit mode ignores the CS base (APM Vol. 2 §4.12.1); 32-bit code
     * forms a 32-bit linear address. */
    uint64_t linear = svm_guest_long64(s) ? v->rip : (v->cs.base + v->rip) & 0xffffffffull;
    return guest_space_fetch(&s->vcpu, linear, buf, MAX_INSN);
}
