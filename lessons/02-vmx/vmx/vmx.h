/**
 * @file vmx.h
 * @brief The Intel VT-x back end's internals, shared by the files of vmx/.
 *
 * Nothing outside vmx/ includes this: the rest of Spectrum sees the back
 * end only through its struct vcpu_ops (vmx_ops.c), registered as "vmx".
 *
 * Life of a VMX vCPU (SDM Vol. 3C §24.1-24.11, ch. 25-28):
 *   probe   CPUID.1:ECX.VMX, IA32_FEATURE_CONTROL, capability MSRs
 *   enable  CR0/CR4 fixed bits, CR4.VMXE, VMXON            (once per CPU)
 *   create  VMCLEAR + VMPTRLD a VMCS, write controls, host and guest state
 *   run     VMLAUNCH (first time) / VMRESUME, then decode the VM exit
 *   destroy VMCLEAR, free the pages
 */
#ifndef SPECTRUM_VMX_H
#define SPECTRUM_VMX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vcpu/vcpu.h"
#include "vmx/vmx_caps.h"
#include "vmx/vmx_check.h"

/** @brief This CPU's VMX state (Spectrum runs on one CPU). */
struct vmx_cpu {
    bool probed;               /**< vmx_probe() succeeded and filled @c caps */
    bool enabled;              /**< VMXON succeeded */
    struct vmx_caps caps;      /**< the capability MSRs */
    uint32_t revision;         /**< VMCS revision identifier, IA32_VMX_BASIC[30:0] */
    void *vmxon_region;        /**< the VMXON region (one page) */
    uint64_t current_vmcs;     /**< physical address of the current VMCS, 0 = none */
    struct vmx_vcpu *msr_owner; /**< whose SYSCALL MSRs the CPU holds now (vmx_msr.c), NULL = none */
};

/** @brief The one CPU. */
extern struct vmx_cpu vmx_cpu;

/* struct vm_exit.raw for a VMLAUNCH/VMRESUME that did not even start the
 * entry (SDM Vol. 3C §31.2): bit 32 + the VM-instruction error number for
 * VMfailValid, bit 33 for VMfailInvalid.  Any other raw value is the
 * 32-bit exit-reason field. */
#define VMX_RAW_VMFAIL_VALID   (1ull << 32)  /**< | VM-instruction error number */
#define VMX_RAW_VMFAIL_INVALID (1ull << 33)  /**< no current VMCS */

/** MSRs VM entry and exit leave alone: STAR, LSTAR, CSTAR, SFMASK, KernelGSBase. */
#define VMX_SYSCALL_MSRS 5

/** @brief A VMX vCPU: the neutral part first, then the VMCS and its bookkeeping. */
struct vmx_vcpu {
    struct vcpu vcpu;          /**< what the rest of Spectrum sees */
    void *vmcs;                /**< this vCPU's VMCS region (one page) */
    enum vcpu_mode mode;       /**< how it started */
    uint32_t ctl[VMX_CTL_KINDS]; /**< control fields as created (primary: without interrupt-window exiting) */
    uint32_t proc_now;         /**< primary controls currently in the VMCS */
    bool launched;             /**< VMLAUNCH succeeded: use VMRESUME */
    bool attempted;            /**< at least one VM entry was attempted */
    uint32_t pending_info;     /**< event for the next entry (interruption-information format), 0 = none */
    uint32_t pending_error;    /**< its error code */
    uint32_t pending_len;      /**< its instruction length (software events) */
    uint64_t guest_cr2;        /**< the guest's CR2 (VMX does not switch CR2) */
    uint64_t exit_rip;         /**< guest RIP at the last exit, to notice a skipped instruction */
    uint32_t last_insn_error;  /**< VM-instruction error of the last failed VMLAUNCH/VMRESUME */
    /** The SYSCALL MSRs and KernelGSBase, which no VMCS field holds
     *  (vmx_msr.c); valid while msr_owner != this vCPU. */
    uint64_t syscall_msr[VMX_SYSCALL_MSRS];
    uint64_t pat;              /**< guest IA32_PAT when the CPU lacks "load IA32_PAT" */
};

/** @brief The VMX vCPU around @p v. */
static inline struct vmx_vcpu *vmx_of(struct vcpu *v)
{
    return (struct vmx_vcpu *)((char *)v - offsetof(struct vmx_vcpu, vcpu));
}

/** @brief The operations table (vmx_ops.c). */
extern const struct vcpu_ops vmx_ops;

/** @brief ops->probe (vmx_probe.c). */
bool vmx_probe(char *why, size_t why_len);
/** @brief ops->enable (vmx_enable.c). */
bool vmx_enable(char *why, size_t why_len);
/** @brief ops->create (vmx_create.c). */
struct vcpu *vmx_create(struct vm *vm, const struct vcpu_config *cfg);
/** @brief ops->destroy (vmx_create.c). */
void vmx_destroy(struct vcpu *v);
/** @brief ops->run (vmx_run.c). */
void vmx_run(struct vcpu *v, struct vm_exit *exit);
/** @brief ops->get_ctl (vmx_ctl.c). */
uint64_t vmx_get_ctl(struct vcpu *v, enum vcpu_ctl which);
/** @brief ops->set_ctl (vmx_ctl.c). */
bool vmx_set_ctl(struct vcpu *v, enum vcpu_ctl which, uint64_t value);
/** @brief ops->inject (vmx_event.c). */
bool vmx_inject(struct vcpu *v, const struct vcpu_event *ev);
/** @brief ops->intr_allowed (vmx_event.c). */
bool vmx_intr_allowed(struct vcpu *v);
/** @brief ops->check (vmx_diag.c). */
bool vmx_check(struct vcpu *v);
/** @brief ops->dump (vmx_diag.c). */
void vmx_dump(struct vcpu *v);
/** @brief ops->exit_name (vmx_exit.c). */
const char *vmx_exit_name(uint64_t raw);

/**
 * @brief The control bits Spectrum needs for a guest starting in @p mode
 *        (@p wanted) and those it uses where the CPU has them
 *        (@p optional: the preemption timer, the PAT controls);
 *        vmx_create.c explains each.  Interrupt-window exiting is
 *        included because run() turns it on on demand.
 */
void vmx_wanted_controls(enum vcpu_mode mode, uint32_t wanted[VMX_CTL_KINDS], uint32_t optional[VMX_CTL_KINDS]);

/**
 * @brief The control fields to write for a guest starting in @p mode on
 *        the CPU @p c: vmx_wanted_controls() through vmx_caps_controls(),
 *        then the PAT controls all or none (vmx_wanted.c says why).
 * @param c       the CPU's capabilities
 * @param mode    the guest's initial mode
 * @param out     the values to write into the VMCS
 * @param why     on failure: which wanted control the CPU lacks
 * @param why_len size of @p why
 * @return false if a wanted control may not be 1 on this CPU
 */
bool vmx_controls_choose(const struct vmx_caps *c, enum vcpu_mode mode, uint32_t out[VMX_CTL_KINDS], char *why,
                         size_t why_len);

/** @brief ops->code_bits (vmx_ctl.c): 64, 32 or 16 from EFER.LMA, CS.L/D, CR0.PE. */
unsigned vmx_code_bits(struct vcpu *v);

/** @brief Before an entry: put @p x's SYSCALL MSRs into the CPU if another vCPU's are there (vmx_msr.c). */
void vmx_msr_load(struct vmx_vcpu *x);
/** @brief On destroy: forget @p x as the owner of the CPU's SYSCALL MSRs. */
void vmx_msr_release(struct vmx_vcpu *x);
/** @brief Read SYSCALL MSR @p i (0..VMX_SYSCALL_MSRS-1) of @p x. */
uint64_t vmx_msr_get(struct vmx_vcpu *x, unsigned i);
/** @brief Write SYSCALL MSR @p i of @p x. */
void vmx_msr_set(struct vmx_vcpu *x, unsigned i, uint64_t value);

/** @brief Make @p x's VMCS the current one (VMPTRLD if it is not). */
void vmx_vmcs_load(struct vmx_vcpu *x);

/** @brief Write the host-state area from the running Spectrum (vmx_host.c). */
void vmx_host_setup(void);
/** @brief After a VM exit: reload the GDTR/IDTR limits the exit set to FFFFH. */
void vmx_host_restore_tables(void);

/** @brief Write the guest-state area and CR masks/shadows for @p cfg (vmx_guest.c). */
void vmx_guest_setup(struct vmx_vcpu *x, const struct vcpu_config *cfg);

/**
 * @brief Make the VMCS hold what the next entry will use: RIP/RSP/RFLAGS
 *        from struct vcpu_regs, the queued event, the interrupt-window
 *        control (vmx_run.c).  The checker calls it too, so it checks
 *        exactly what the CPU will.
 */
void vmx_prepare_entry(struct vmx_vcpu *x);

/** @brief Before an entry: write the queued event and the interrupt-window control. */
void vmx_event_before_entry(struct vmx_vcpu *x);
/** @brief After an exit: drop the delivered event, re-queue an interrupted one. */
void vmx_event_after_exit(struct vmx_vcpu *x, const struct vm_exit *e);

/** @brief Decode the current VMCS's exit information into @p e (vmx_exit.c). */
void vmx_exit_decode(struct vm_exit *e);

/** @brief Snapshot the current VMCS for the checker (vmx_snapshot.c). */
void vmx_state_capture(struct vmx_state *s);

/**
 * @brief Run the VM-entry checker on the current VMCS and print every
 *        broken rule as "vmx-check: RULE: FIELD = VALUE: WHAT (SDM ...)".
 * @param x      the vCPU (its VMCS is made current and synced first)
 * @param report also called per violation (may be NULL)
 * @param ctx    passed to @p report
 * @return the number of broken rules
 */
unsigned vmx_check_print(struct vmx_vcpu *x, vmx_check_report_fn report, void *ctx);

/** @brief Break @p x's state as teaching break @p name says (vmx_break.c); false if unknown. */
bool vmx_break_apply(struct vmx_vcpu *x, const char *name);

/**
 * @brief The world switch (vmx_run.S): load the guest GPRs from @p regs,
 *        VMLAUNCH (@p launched = 0) or VMRESUME, and on the VM exit save
 *        them back.
 * @return VMX_OK after a VM exit, VMX_FAIL_INVALID / VMX_FAIL_VALID when
 *         the instruction failed and the guest never ran
 */
int vmx_enter(struct vcpu_regs *regs, int launched);

/** @brief Where VM exits land (vmx_run.S): HOST_RIP. */
void vmx_exit_stub(void);

#endif
