/**
 * @file vcpu.h
 * @brief The vendor-neutral virtual CPU: one interface, two implementations
 *        (vmx/ for Intel VT-x, svm/ for AMD-V).
 *
 * Everything above this line (exit handlers, device models, scenarios)
 * sees only struct vcpu, struct vm_exit and struct vcpu_ops.  The general
 * registers live here, in plain memory: the vendor's world-switch code
 * saves them on every exit and loads them on every entry, so a handler
 * reads and writes guest RAX..R15, RIP and RFLAGS directly.  State that
 * lives only in the VMCS/VMCB (control registers, segments, event
 * injection) goes through the ops.
 */
#ifndef SPECTRUM_VCPU_H
#define SPECTRUM_VCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spectrum/registry.h"
#include "vm/vm.h"

/** General-register numbers in the x86 encoding order (SDM Vol. 2A
 *  §2.1.5 Table 2-2 / 2.2.1.2 REX), so a decoded ModRM register number
 *  indexes @c gpr directly. */
enum vcpu_gpr {
    GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI,
    GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15,
    GPR_COUNT
};

/** @brief Guest registers kept in memory across exits. */
struct vcpu_regs {
    uint64_t gpr[GPR_COUNT]; /**< RAX..R15 (RSP synced with the VMCS/VMCB by run) */
    uint64_t rip;            /**< synced with the VMCS/VMCB by run */
    uint64_t rflags;         /**< synced with the VMCS/VMCB by run */
};
_Static_assert(offsetof(struct vcpu_regs, gpr) == 0, "world-switch code indexes gpr[] from offset 0");
_Static_assert(offsetof(struct vcpu_regs, rip) == 16 * 8, "rip after the 16 GPRs");

/** Control registers and MSR-like state reachable through vcpu_ops. */
enum vcpu_ctl {
    CTL_CR0, CTL_CR2, CTL_CR3, CTL_CR4, CTL_EFER,
    CTL_CR0_SHADOW,  /**< what the guest reads for CR0 (VMX read shadow / SVM: same as CR0) */
    CTL_CR4_SHADOW,  /**< what the guest reads for CR4 */
    CTL_DR6,         /**< debug status (SVM: VMCB; VMX: the CPU's own DR6, not switched) */
    CTL_DR7,         /**< debug control (VMCB / VMCS guest DR7) */
    /* MSR-backed state a 64-bit OS programs at boot (handlers_msr.c).
     * Both vendors hold it per vCPU: VMCB fields that VMLOAD/VMSAVE or
     * VMRUN switch, VMCS guest fields, or (VMX, SYSCALL MSRs) a copy the
     * back end loads into the CPU while this vCPU runs. */
    CTL_SYSENTER_CS, CTL_SYSENTER_ESP, CTL_SYSENTER_EIP, /**< SYSENTER target */
    CTL_STAR, CTL_LSTAR, CTL_CSTAR, CTL_SFMASK,           /**< SYSCALL target and flag mask */
    CTL_FS_BASE, CTL_GS_BASE, CTL_KERNEL_GS_BASE,         /**< segment bases, SWAPGS partner */
    CTL_PAT,                                              /**< IA32_PAT */
    /* Read-only (set_ctl refuses them): what an instruction emulator
     * needs to form linear addresses (lesson 03's MMIO path). */
    CTL_CS_BASE, CTL_SS_BASE, CTL_DS_BASE, CTL_ES_BASE,    /**< segment bases */
    CTL_CPL,                                              /**< current privilege level (SS.DPL) */
    CTL_COUNT
};

/** Why the guest stopped running, independent of the vendor. */
enum vm_exit_reason {
    EXIT_NONE = 0,
    EXIT_CPUID,          /**< CPUID executed */
    EXIT_HLT,            /**< HLT executed */
    EXIT_IO,             /**< IN/OUT/INS/OUTS, see vm_exit.io */
    EXIT_MSR_READ,       /**< RDMSR, index in guest ECX */
    EXIT_MSR_WRITE,      /**< WRMSR, index in ECX, value in EDX:EAX */
    EXIT_CR_ACCESS,      /**< MOV to/from CR0/CR4 (or CLTS/LMSW), see vm_exit.cr */
    EXIT_EXCEPTION,      /**< an intercepted exception, see vm_exit.exc */
    EXIT_TRIPLE_FAULT,   /**< VMX triple fault / SVM shutdown */
    EXIT_INTR_WINDOW,    /**< the guest can now take an interrupt */
    EXIT_EXTERNAL_INTR,  /**< a host interrupt arrived while the guest ran */
    EXIT_NESTED_PAGE_FAULT, /**< EPT violation / NPF (lesson 03) */
    EXIT_HYPERCALL,      /**< VMCALL / VMMCALL (lesson 04) */
    EXIT_PREEMPT,        /**< the time slice ended (VMX-preemption timer / host timer, vcpu->deadline_tsc) */
    EXIT_HOST_NMI,       /**< an NMI for the host arrived while the guest ran; the host handled it */
    EXIT_MWAIT,          /**< MONITOR or MWAIT: not offered to guests (CPUID hides it) */
    EXIT_ENTRY_FAILED,   /**< the VM entry itself failed, see vm_exit.raw */
    EXIT_UNKNOWN,        /**< anything else: raw reason in vm_exit.raw */
    EXIT_REASON_COUNT
};

/** @brief One VM exit, normalised.  Vendor code fills it in. */
struct vm_exit {
    enum vm_exit_reason reason;  /**< neutral reason */
    uint64_t raw;                /**< VMX basic exit reason or SVM EXITCODE */
    uint64_t info1;              /**< VMX exit qualification / SVM EXITINFO1, as read */
    uint64_t info2;              /**< VMX extra information / SVM EXITINFO2, as read */
    uint8_t insn_len;            /**< length of the exiting instruction (0 if not an instruction) */
    union {
        /** EXIT_IO */
        struct {
            uint16_t port;       /**< I/O port */
            uint8_t size;        /**< 1, 2 or 4 bytes */
            bool in;             /**< IN (true) or OUT */
            bool string;         /**< INS/OUTS */
            bool rep;            /**< REP prefix */
        } io;
        /** EXIT_CR_ACCESS */
        struct {
            enum {
                CR_MOV,          /**< MOV to/from CRn */
                CR_CLTS,         /**< CLTS: clear CR0.TS */
                CR_LMSW,         /**< LMSW: load CR0 bits 3:0 (PE cannot be cleared) */
            } kind;              /**< which instruction */
            uint8_t cr;          /**< 0 or 4 (lesson 02 intercepts only these); 0 for CLTS/LMSW */
            bool write;          /**< MOV to CR (true) or from CR; CLTS and LMSW write */
            uint8_t gpr;         /**< MOV: the general register (enum vcpu_gpr) */
            uint16_t lmsw_src;   /**< LMSW: the 16-bit source operand */
        } cr;
        /** EXIT_EXCEPTION */
        struct {
            uint8_t vector;      /**< exception vector */
            bool has_error;      /**< an error code was pushed */
            uint32_t error;      /**< the error code */
            uint64_t cr2;        /**< page fault: the faulting address */
        } exc;
        /** EXIT_NESTED_PAGE_FAULT */
        struct {
            uint64_t gpa;        /**< guest-physical address */
            bool read, write, exec; /**< kind of access (exactly one is set) */
            bool mapped;         /**< a translation existed (a permission fault), else not present */
        } npf;
    };
};

/** @brief An event to deliver to the guest on the next entry. */
struct vcpu_event {
    enum { EVENT_EXTINT, EVENT_NMI, EVENT_EXCEPTION } type; /**< what kind */
    uint8_t vector;          /**< vector number */
    bool has_error;          /**< push an error code (exceptions only) */
    uint32_t error;          /**< the error code */
};

/** The guest's initial execution mode (lesson 02 has no EPT/NPT, so the
 *  guest runs paged on tables Spectrum builds; see lesson README). */
enum vcpu_mode {
    VCPU_MODE_PROT32_PAGED,  /**< 32-bit protected mode, paging on (PAE off) */
    VCPU_MODE_LONG64,        /**< 64-bit long mode */
};

/** @brief How a new vCPU starts. */
struct vcpu_config {
    enum vcpu_mode mode;     /**< execution mode */
    uint64_t rip;            /**< entry point (guest virtual) */
    uint64_t rsp;            /**< initial stack pointer */
    uint64_t cr3;            /**< page-table root (host-physical in lesson 02) */
    uint64_t gdt_base;       /**< guest-virtual GDT base (Spectrum-built) */
    uint16_t gdt_limit;      /**< GDT limit */
    uint64_t idt_base;       /**< guest-virtual IDT base (0 with limit 0: none yet) */
    uint16_t idt_limit;      /**< IDT limit */
    /** Extension point: NULL in lesson 02.  Not NULL: a later lesson's
     *  description of guest-physical memory and start state, handed to the
     *  struct vcpu_nested_ext registered for the back end (the fields
     *  above are then ignored). */
    const void *nested;
};

struct vcpu;
struct vcpu_config;
struct vcpu_ops;
struct guest_space_ops;

/**
 * @brief Extension point for a later lesson that gives the guest its own
 *        guest-physical address space (lesson 03: EPT for "vmx", NPT for
 *        "svm").  Lesson 02 registers none.
 *
 * When struct vcpu_config.nested is not NULL, the back end's create()
 * builds its usual VMCS/VMCB and then calls attach() of the entry
 * registered for it (by name): attach programs second-level translation
 * and the start state cfg->nested describes (real mode, paging off...),
 * and may set v->space and v->guest_owns_paging.  Without a matching
 * entry, create() fails.
 */
struct vcpu_nested_ext {
    const char *backend;    /**< "vmx" or "svm": the back end it extends */
    /** Program @p v for nested paging as @p cfg->nested says; false (with
     *  the VM stopped) if it cannot. */
    bool (*attach)(struct vcpu *v, const struct vcpu_config *cfg);
    /** Called by destroy() before the back end frees its state (may be NULL). */
    void (*detach)(struct vcpu *v);
};

TABLE_DECLARE(struct vcpu_nested_ext, spectrum_vcpu_nested);

/** Register a nested-paging implementation for back end @p backend_name. */
#define REGISTER_VCPU_NESTED(id, backend_name, attach_fn, detach_fn)                                 \
    static const struct vcpu_nested_ext vcpu_nested_##id TABLE_ENTRY(spectrum_vcpu_nested) = {    \
        backend_name, attach_fn, detach_fn}

/** @brief The nested-paging extension registered for back end @p name, or NULL. */
const struct vcpu_nested_ext *vcpu_nested_find(const char *name);

/** @brief The x87/SSE state of a vCPU in FXSAVE format (SDM Vol. 1
 *  §10.5.1 Table 10-2: 512 bytes, 16-byte aligned). */
struct vcpu_fpu {
    uint8_t area[512] __attribute__((aligned(16))); /**< FXSAVE image */
    bool loaded_once;                               /**< area holds this vCPU's state (else: reset state) */
};

/** @brief A virtual CPU. Vendor code embeds it and adds its own state. */
struct vcpu {
    struct vcpu_regs regs;          /**< guest general registers */
    struct vm *vm;                  /**< the VM it belongs to */
    const struct vcpu_ops *ops;     /**< vendor implementation */
    bool want_intr_window;          /**< exit as soon as the guest can take an interrupt */
    bool halted;                    /**< executed HLT, waiting for an interrupt */
    /** Host TSC by which ops->run() must return (the end of the time
     *  slice): the back end arms the VMX-preemption timer or the host
     *  timer for it (vcpu/loop.c computes it before every entry). */
    uint64_t deadline_tsc;
    /** Time this VM may run, in ms of host time; 0 = the command line's
     *  vm_budget_ms (vcpu/loop.c). */
    uint64_t budget_ms;
    unsigned msr_refusals;          /**< refused RDMSR/WRMSR so far (only the first few are printed) */
    unsigned exceptions_reported;   /**< intercepted exceptions printed so far */
    unsigned host_nmis;             /**< host NMIs that interrupted this vCPU */
    struct vcpu_fpu fpu;            /**< x87/SSE state while the vCPU is not running (vcpu/fpu.c) */
    /** Extension point: how guest-virtual addresses reach guest memory
     *  (vcpu/guest_space.h).  NULL: lesson 02's walk, whose tables hold
     *  host-physical addresses; a nested-paging attach() sets its own. */
    const struct guest_space_ops *space;
    /** The guest may turn CR0.PE and CR0.PG off (nested paging: its paging
     *  is its own; VMX unrestricted guest).  Set by a nested attach(). */
    bool guest_owns_paging;
    void *nested_state;             /**< the nested extension's per-vCPU data (attach/detach) */
};

/** @brief One vendor's implementation. */
struct vcpu_ops {
    const char *name;               /**< "vmx" or "svm" */
    /** Does this CPU support us?  On false, @p why says what is missing. */
    bool (*probe)(char *why, size_t why_len);
    /** Turn virtualization on for this CPU (VMXON / EFER.SVME); once. */
    bool (*enable)(char *why, size_t why_len);
    /** Create a vCPU for @p vm starting as @p cfg says; NULL on failure. */
    struct vcpu *(*create)(struct vm *vm, const struct vcpu_config *cfg);
    /** Enter the guest and return at the next exit, described in @p exit. */
    void (*run)(struct vcpu *v, struct vm_exit *exit);
    /** Read control state (CR0, CR3, CR4, EFER, shadows). */
    uint64_t (*get_ctl)(struct vcpu *v, enum vcpu_ctl which);
    /** Width of the code the guest executes now: 16, 32 or 64 (CS.L with
     *  EFER.LMA, else CS.D; SDM Vol. 3A §5.2.1).  Operand sizes of
     *  emulated instructions and RIP wrap-around depend on it. */
    unsigned (*code_bits)(struct vcpu *v);
    /** Write control state; false if the value is refused (e.g. reserved bits).
     *  For CTL_CR0, CTL_CR4 and CTL_EFER, @p value is what the guest wrote
     *  (the CR/MSR exit handlers pass it unchanged): the back end adds the
     *  bits it must keep set behind the guest's back (VMX fixed bits,
     *  CR4.VMXE, EFER.SVME), updates the read shadow where there is one,
     *  and keeps EFER.LMA = EFER.LME && CR0.PG as the CPU would. */
    bool (*set_ctl)(struct vcpu *v, enum vcpu_ctl which, uint64_t value);
    /** Queue @p ev for injection at the next entry; false if one is already queued. */
    bool (*inject)(struct vcpu *v, const struct vcpu_event *ev);
    /** Can an external interrupt be injected now (RFLAGS.IF=1, no STI/MOV SS shadow, none queued)? */
    bool (*intr_allowed)(struct vcpu *v);
    /** Run the VM-entry checker; print each broken rule; true if none broke. */
    bool (*check)(struct vcpu *v);
    /** Print the vendor state (for a failed entry or a crash). */
    void (*dump)(struct vcpu *v);
    /** Free everything create() allocated. */
    void (*destroy)(struct vcpu *v);
    /** Optional (may be NULL): the vendor's name of raw exit code @p raw
     *  ("VMRUN", "EPT violation"...), for messages about unhandled exits. */
    const char *(*exit_name)(uint64_t raw);
};

/** @brief The implementation chosen at boot (NULL if neither works). */
const struct vcpu_ops *vcpu_backend(void);

/** @brief Why vcpu_backend() is NULL (the text of the boot's "vcpu: no
 *         hardware virtualization: ..." line); "" when there is one. */
const char *vcpu_backend_why(void);

#endif
