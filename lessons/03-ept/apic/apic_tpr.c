/**
 * @file apic_tpr.c
 * @brief CR8, the task-priority register's other name (SDM Vol. 3A
 *        §11.8.6: CR8[3:0] is TPR[7:4]), on both vendors.
 *
 *  - VMX: Spectrum sets "CR8-load exiting" and "CR8-store exiting" (no TPR
 *    shadow), so every MOV to/from CR8 exits; lesson 02's CR handler hands
 *    CR8 to the handler registered here (vcpu/handler_ext.h).
 *  - SVM: CR8 is not intercepted.  With V_INTR_MASKING = 1 the guest's
 *    MOV to/from CR8 reads and writes the VMCB's V_TPR instead of the real
 *    TPR (APM Vol. 2 §15.21.1, §15.24), so V_TPR is copied into the
 *    local APIC's TPR before anything reads it (the delivery decision
 *    before each entry, MMIO accesses), and the TPR into V_TPR before each
 *    entry.  A difference from what the last entry left means the guest
 *    wrote CR8 in between.
 * A MOV to CR8 with bits 63:4 set raises #GP(0) (SDM Vol. 2B "MOV - Move
 * to/from Control Registers").  Plain lesson-02 VMs: the handler passes,
 * and lesson 02 stops the VM as before.
 */
#include "apic/apic.h"
#include "apic/lapic_dev.h"
#include "svm/svm.h"
#include "vcpu/handler_ext.h"
#include "vcpu/loop.h"

#define SVM_VINTR_TPR_MASK 0xfull   /* V_TPR, bits 3:0 of the V_INTR word (APM Vol. 2 Table B-1) */

static struct svm_vcpu *svm_vcpu_of(struct vcpu *v)
{
    return v && v->ops == &svm_ops ? svm_of(v) : 0;
}

void apic_tpr_sync_in(struct vm *vm)
{
    struct lapic_dev *d = lapic_dev_of(vm);
    struct vcpu *v = vcpu_current;
    struct svm_vcpu *s = v && v->vm == vm ? svm_vcpu_of(v) : 0;
    if (!d || !s || !d->vtpr_pushed)
        return;
    uint8_t vtpr = (uint8_t)(s->vmcb->control.vintr & SVM_VINTR_TPR_MASK);
    if (vtpr != d->vtpr) {
        lapic_set_cr8(&d->l, vtpr);
        d->vtpr = vtpr;
    }
}

void apic_tpr_push(struct vcpu *v)
{
    struct lapic_dev *d = lapic_dev_of(v->vm);
    struct svm_vcpu *s = svm_vcpu_of(v);
    if (!d || !s)
        return;
    d->vtpr = (uint8_t)lapic_cr8(&d->l);
    d->vtpr_pushed = true;
    s->vmcb->control.vintr = (s->vmcb->control.vintr & ~SVM_VINTR_TPR_MASK) | d->vtpr;
}

static enum ext_result cr8_read(struct vcpu *v, uint64_t *value)
{
    struct lapic *l = lapic_of(v->vm);
    if (!l)
        return EXT_PASS;
    apic_tpr_sync_in(v->vm);
    *value = lapic_cr8(l);
    return EXT_DONE;
}

static enum ext_result cr8_write(struct vcpu *v, uint64_t value)
{
    struct lapic *l = lapic_of(v->vm);
    if (!l)
        return EXT_PASS;
    if (value & ~0xfull)
        return EXT_GP;
    lapic_set_cr8(l, value);
    return EXT_DONE;
}

REGISTER_CR_HANDLER(apic_cr8, 8, cr8_read, cr8_write);
