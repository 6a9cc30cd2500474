/**
 * @file svm.h
 * @brief The AMD-V back end's internals, shared by the files of svm/.
 *
 * Nothing outside svm/ includes this: the rest of Spectrum sees the back
 * end only through its struct vcpu_ops (svm_ops.c).
 */
#ifndef SPECTRUM_SVM_H
#define SPECTRUM_SVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svm/svm_check.h"
#include "svm/svm_decode.h"
#include "svm/vmcb.h"
#include "vcpu/vcpu.h"
#include "spectrum/x86_bits.h"

#define MSR_VM_CR        0xc0010114u  /**< APM Vol. 2 §15.30.1: SVM lock and disable bits */
#define MSR_VM_HSAVE_PA  0xc0010117u  /**< APM Vol. 2 §15.30.4: host save area */
#define VM_CR_LOCK       (1ull << 3)  /**< VM_CR.LOCK: SVMDIS is read-only */
#define VM_CR_SVMDIS     (1ull << 4)  /**< VM_CR.SVMDIS: EFER.SVME cannot be set */

/** @brief What this CPU's SVM offers, and the per-CPU pages (one CPU). */
struct svm_cpu {
    bool enabled;              /**< EFER.SVME set and VM_HSAVE_PA programmed */
    bool nrips;                /**< CPUID 8000_000Ah EDX[3]: VMCB.nRIP is written on exits */
    bool npt;                  /**< EDX[0]: nested paging (lesson 03) */
    bool decode_assists;       /**< EDX[7] */
    uint32_t nasid;            /**< EBX: number of ASIDs */
    uint32_t next_asid;        /**< the next ASID create() hands out */
    void *hsave;               /**< the host save area VMRUN uses (VM_HSAVE_PA) */
    struct vmcb *host_state;   /**< where VMSAVE/VMLOAD keep the host's FS/GS/TR/LDTR/... */
    struct svm_check_env env;  /**< the CPU's limits, for the VMRUN checker */
};

/** @brief The one CPU Spectrum runs on. */
extern struct svm_cpu svm_cpu;

/** @brief The VMCB fields VMRUN loads and \#VMEXIT stores (APM Vol. 2
 *  §15.5.1, §15.6), saved before each VMRUN: a failed VMRUN may overwrite
 *  them (QEMU writes the host's state there), and the checker and the dump
 *  must look at what was attempted, not at what came back. */
struct svm_entry_snapshot {
    struct vmcb_seg es;        /**< save.es */
    struct vmcb_seg cs;        /**< save.cs */
    struct vmcb_seg ss;        /**< save.ss */
    struct vmcb_seg ds;        /**< save.ds */
    struct vmcb_seg gdtr;      /**< save.gdtr */
    struct vmcb_seg idtr;      /**< save.idtr */
    uint64_t cr0;              /**< save.cr0 */
    uint64_t cr2;              /**< save.cr2 */
    uint64_t cr3;              /**< save.cr3 */
    uint64_t cr4;              /**< save.cr4 */
    uint64_t dr6;              /**< save.dr6 */
    uint64_t dr7;              /**< save.dr7 */
    uint64_t efer;             /**< save.efer */
    uint64_t vintr;            /**< control.vintr */
    uint64_t eventinj;         /**< control.eventinj */
    uint8_t cpl;               /**< save.cpl */
};

/** @brief An SVM vCPU: the neutral part first, then the VMCB and maps. */
struct svm_vcpu {
    struct vcpu vcpu;          /**< what the rest of Spectrum sees */
    struct vmcb *vmcb;         /**< this vCPU's VMCB (one page) */
    uint8_t *iopm;             /**< I/O permission map, SVM_IOPM_SIZE bytes */
    uint8_t *msrpm;            /**< MSR permission map, SVM_MSRPM_SIZE bytes */
    bool flush_tlb;            /**< flush the TLB at the next VMRUN (new ASID user, CR writes) */
    struct svm_entry_snapshot attempted; /**< state of the last VMRUN attempt */
};

/** @brief The SVM vCPU around @p v. */
static inline struct svm_vcpu *svm_of(struct vcpu *v)
{
    return (struct svm_vcpu *)((char *)v - offsetof(struct svm_vcpu, vcpu));
}

/** @brief The operations table (svm_ops.c). */
extern const struct vcpu_ops svm_ops;

/** @brief ops->probe: CPUID SVM bit, VM_CR.SVMDIS, ASIDs; records features. */
bool svm_probe(char *why, size_t why_len);
/** @brief ops->enable: EFER.SVME, VM_HSAVE_PA, host VMSAVE area. */
bool svm_enable(char *why, size_t why_len);
/** @brief ops->create: VMCB, permission maps, guest state from @p cfg. */
struct vcpu *svm_create(struct vm *vm, const struct vcpu_config *cfg);
/** @brief ops->destroy. */
void svm_destroy(struct vcpu *v);
/** @brief ops->run: VMRUN once and decode the exit. */
void svm_run(struct vcpu *v, struct vm_exit *exit);
/** @brief ops->get_ctl. */
uint64_t svm_get_ctl(struct vcpu *v, enum vcpu_ctl which);
/** @brief ops->set_ctl. */
bool svm_set_ctl(struct vcpu *v, enum vcpu_ctl which, uint64_t value);
/** @brief ops->inject: write EVENTINJ (APM Vol. 2 §15.20). */
bool svm_inject(struct vcpu *v, const struct vcpu_event *ev);
/** @brief ops->intr_allowed: RFLAGS.IF, no interrupt shadow, nothing queued. */
bool svm_intr_allowed(struct vcpu *v);
/** @brief ops->check: run the VMRUN checker, print broken rules. */
bool svm_check(struct vcpu *v);
/** @brief ops->dump: print the VMCB's important fields. */
void svm_dump(struct vcpu *v);
/** @brief ops->exit_name: "IOIO", "VMRUN", ... for an EXITCODE. */
const char *svm_exit_name(uint64_t code);

/** @brief Before VMRUN: request or cancel the interrupt window (V_IRQ + VINTR intercept). */
void svm_event_before_entry(struct svm_vcpu *s);
/** @brief After \#VMEXIT: clear EVENTINJ, re-queue an interrupted event from EXITINTINFO. */
void svm_event_after_exit(struct svm_vcpu *s, const struct vm_exit *e);

/** @brief Decode the exit in the VMCB into @p e (svm_exit.c). */
void svm_exit_decode(struct svm_vcpu *s, struct vm_exit *e);

/** @brief Whether the guest runs 64-bit code now (EFER.LMA and CS.L). */
bool svm_guest_long64(const struct svm_vcpu *s);

/** @brief ops->code_bits: 64, 32 or 16 from EFER.LMA, CS.L, CS.D and CR0.PE. */
unsigned svm_code_bits(struct vcpu *v);

/** @brief Fetch up to 15 instruction bytes at the guest's CS:RIP; returns how many. */
size_t svm_fetch_insn(struct svm_vcpu *s, uint8_t buf[15]);

/** @brief The world switch (svm_run.S): VMSAVE host, load guest GPRs,
 *  VMLOAD + VMRUN + VMSAVE guest, save guest GPRs, VMLOAD host, STGI. */
void svm_vmrun(uint64_t vmcb_pa, struct vcpu_regs *regs, uint64_t host_state_pa);

#endif
