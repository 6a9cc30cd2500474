/**
 * @file svm_insn.c
 * @brief Reading the exiting instruction's bytes from guest memory, for
 *        the decoder in svm_decode.c.
 */
#include "svm/svm.h"

#include "spectrum/x86_bits.h"

#include "vcpu/guest_space.h"

#define MAX_INSN 15   /* APM Vol. 3 §1.1: instructions are at most 15 bytes */

bool svm_guest_long64(const struct svm_vcpu *s)
{
    return (s->vmcb->save.efer & EFER_LMA) && (s->vmcb->save.cs.attrib & SVM_SEG_L);
}

unsigned svm_code_bits(struct vcpu *v)
{
    const struct svm_vcpu *s = svm_of(v);
    /* 64-bit mode needs EFER.LMA and CS.L; otherwise CS.D picks 32 or 16
     * bits (APM Vol. 2 §4.8.1, §4.8.2), and real mode is 16-bit. */
    if (svm_guest_long64(s))
        return 64;
    if (!(s->vmcb->save.cr0 & CR0_PE))
        return 16;
    return (s->vmcb->save.cs.attrib & SVM_SEG_DB) ? 32 : 16;
}

size_t svm_fetch_insn(struct svm_vcpu *s, uint8_t buf[15])
{
    const struct vmcb_save *v = &s->vmcb->save;
    /* 64-bit mode ignores the CS base (APM Vol. 2 §4.12.1); 32-bit code
     * forms a 32-bit linear address. */
    uint64_t linear = svm_guest_long64(s) ? v->rip : (v->cs.base + v->rip) & 0xffffffffull;
    return guest_space_fetch(&s->vcpu, linear, buf, MAX_INSN);
}
