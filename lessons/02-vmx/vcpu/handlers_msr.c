/**
 * @file handlers_msr.c
 * @brief RDMSR/WRMSR exits through an explicit allow list.
 *
 * Both back ends intercept every MSR access (SVM: an MSR permission map
 * with all bits set, APM Vol. 2 §15.11; VMX: all-ones MSR bitmaps or no
 * bitmaps, SDM Vol. 3C §26.1.3).  Passing an MSR through to the host would
 * let the guest reconfigure the real CPU (or #GP the host on an MSR this
 * CPU lacks), so the only MSRs a guest can touch are the ones below, each
 * with a reason; any other index, or a write the row does not accept,
 * injects #GP(0) as a CPU does for an unimplemented MSR (SDM Vol. 2B
 * "RDMSR"/"WRMSR": "#GP(0) if ECX specifies a reserved or unimplemented
 * MSR address").  RIP advances only when the access succeeded.
 *
 * CPUID advertises SYSENTER, SYSCALL and long mode and PAT, so the MSRs a
 * 64-bit OS programs for them at boot are real per-vCPU state here, kept
 * by the back end (CTL_SYSENTER_* ... CTL_PAT, vcpu.h): the VMCB fields
 * VMLOAD/VMSAVE and VMRUN switch, or the VMCS guest fields plus the
 * SYSCALL MSRs the VMX back end loads while the vCPU runs.  Writes are
 * checked as WRMSR checks them: entry points and bases must be canonical,
 * PAT entries valid memory types, reserved high halves zero (SDM Vol. 4
 * Table 2-2; Vol. 3A §13.12.2 for PAT).
 */
#include "spectrum/console.h"
#include "spectrum/exercise.h"
#include "spectrum/fmt.h"
#include "spectrum/x86.h"
#include "vcpu/exit.h"
#include "vcpu/handler_ext.h"
#include "spectrum/x86_bits.h"


#define APIC_BASE_DEFAULT     0xfee00000ull   /* SDM Vol. 3A §12.4.4: power-up base */
#define APIC_BASE_BSP         (1ull << 8)
#define MISC_ENABLE_VALUE     0x1801ull       /* fast strings (0), BTS (11) and PEBS (12) unavailable */


#define REFUSALS_SHOWN 16   /* per VM: a guest probing MSRs in a loop must not flood the console */

/** One allowed MSR. */
struct msr_rule {
    uint32_t index;
    const char *name;
    bool (*read)(struct vcpu *v, uint64_t *value);   /* NULL: reads #GP */
    bool (*write)(struct vcpu *v, uint64_t value);   /* NULL: writes #GP */
};

/* The TSC as the guest sees it: neither back end offsets it in lesson 02. */
static bool tsc_read(struct vcpu *v, uint64_t *value)
{
    (void)v;
    *value = rdtsc();
    return true;
}

/* Lesson 02 emulates no local APIC (CPUID hides it): report the
 * architectural base with the global enable bit (11) clear, BSP set. */
static bool apic_base_read(struct vcpu *v, uint64_t *value)
{
    (void)v;
    *value = APIC_BASE_DEFAULT | APIC_BASE_BSP;
    return true;
}

/* No MTRRs to program: zero variable ranges, no fixed ranges, disabled. */
static bool zero_read(struct vcpu *v, uint64_t *value)
{
    (void)v;
    *value = 0;
    return true;
}

static bool misc_enable_read(struct vcpu *v, uint64_t *value)
{
    (void)v;
    *value = MISC_ENABLE_VALUE;
    return true;
}


/* EFER as the guest wrote it: SVME is the hypervisor's (the VMCB's guest
 * EFER must have it, APM Vol. 2 §15.5.1), so it is hidden. */
static bool efer_read(struct vcpu *v, uint64_t *value)
{
    *value = v->ops->get_ctl(v, CTL_EFER) & ~EFER_SVME;
    return true;
}

/* A guest may change SCE and NXE (where CPUID has them), and LME while
 * paging is off (SDM Vol. 4 Table 2-2, APM Vol. 2 §3.1.7); LMA is set by
 * the CPU, so the written LMA bit is ignored. */
static bool efer_write(struct vcpu *v, uint64_t value)
{
    struct cpuid_regs ext = cpuid(0x80000001u, 0);
    uint64_t allowed = EFER_LMA;
    if (ext.edx & (1u << 11))
        allowed |= EFER_SCE;
    if (ext.edx & (1u << 20))
        allowed |= EFER_NXE;
    if (ext.edx & (1u << 29))
        allowed |= EFER_LME;
    if (value & ~allowed)
        return false;
    uint64_t cur = v->ops->get_ctl(v, CTL_EFER);
    if (((cur ^ value) & EFER_LME) && (v->ops->get_ctl(v, CTL_CR0) & CR0_PG))
        return false;
    return v->ops->set_ctl(v, CTL_EFER, (value & ~EFER_LMA) | (cur & EFER_LMA));
}

/* MSRs that are plain per-vCPU state: read and written through the back
 * end, with the check WRMSR itself makes. */
enum msr_check { ANY, CANONICAL, LOW32, PAT };

struct msr_state {
    uint32_t index;
    enum vcpu_ctl ctl;
    enum msr_check check;
};

static const struct msr_state msr_states[] = {
    { MSR_IA32_SYSENTER_CS, CTL_SYSENTER_CS, LOW32 },
    { MSR_IA32_SYSENTER_ESP, CTL_SYSENTER_ESP, CANONICAL },
    { MSR_IA32_SYSENTER_EIP, CTL_SYSENTER_EIP, CANONICAL },
    { MSR_STAR, CTL_STAR, ANY },
    { MSR_LSTAR, CTL_LSTAR, CANONICAL },
    { MSR_CSTAR, CTL_CSTAR, CANONICAL },
    { MSR_SFMASK, CTL_SFMASK, LOW32 },          /* bits 63:32 reserved */
    { MSR_FS_BASE, CTL_FS_BASE, CANONICAL },
    { MSR_GS_BASE, CTL_GS_BASE, CANONICAL },
    { MSR_KERNEL_GS_BASE, CTL_KERNEL_GS_BASE, CANONICAL },
    { MSR_IA32_PAT, CTL_PAT, PAT },
};

static const struct msr_state *state_find(uint32_t index)
{
    for (size_t i = 0; i < sizeof msr_states / sizeof msr_states[0]; i++)
        if (msr_states[i].index == index)
            return &msr_states[i];
    return 0;
}

static bool state_value_ok(enum msr_check check, uint64_t value)
{
    switch (check) {
    case CANONICAL: return x86_canonical48(value);
    case LOW32: return (value >> 32) == 0;
    case PAT: return x86_pat_valid(value);
    default: return true;
    }
}

static const struct msr_rule msr_rules[] = {
    { MSR_IA32_TSC, "IA32_TSC", tsc_read, 0 },
    { MSR_IA32_APIC_BASE, "IA32_APIC_BASE", apic_base_read, 0 },
    { MSR_IA32_MTRRCAP, "IA32_MTRRCAP", zero_read, 0 },
    { MSR_IA32_MISC_ENABLE, "IA32_MISC_ENABLE", misc_enable_read, 0 },
    { MSR_IA32_MTRR_DEF_TYPE, "IA32_MTRR_DEF_TYPE", zero_read, 0 },
    { MSR_EFER, "EFER", efer_read, efer_write },
};

static const struct msr_rule *msr_find(uint32_t index)
{
    for (size_t i = 0; i < sizeof msr_rules / sizeof msr_rules[0]; i++)
        if (msr_rules[i].index == index)
            return &msr_rules[i];
    return 0;
}

static enum exit_action msr_refuse(struct vcpu *v, const char *op, uint32_t index)
{
    if (v->msr_refusals < REFUSALS_SHOWN)
        kprintf("vcpu: %s %s of MSR %#x at RIP %#lx refused: #GP(0)\n", v->vm->name, op, index,
                (unsigned long)v->regs.rip);
    else if (v->msr_refusals == REFUSALS_SHOWN)
        kprintf("vcpu: %s: further refused MSR accesses are not shown\n", v->vm->name);
    v->msr_refusals++;
    char what[48];
    fmt_snprintf(what, sizeof what, "the refused %s of MSR %#x", op, index);
    return vcpu_raise(v, EXC_GP, true, 0, what);
}

/* Extension point (vcpu/handler_ext.h): a later lesson's handler for
 * @p index (lesson 03: the local APIC's MSRs for a VM that has one) is
 * asked before the allow list; none in lesson 02.  True (and *act) if one
 * served the access; RDMSR's result goes to EDX:EAX as below. */
static bool msr_ext_exit(struct vcpu *v, const struct vm_exit *e, uint32_t index, bool write, uint64_t value,
                         enum exit_action *act)
{
    TABLE_FOREACH(struct msr_ext, spectrum_msr_ext, x) {
        if (x->index != index)
            continue;
        enum ext_result r = write ? (x->write ? x->write(v, value) : EXT_PASS)
                                  : (x->read ? x->read(v, &value) : EXT_PASS);
        if (r == EXT_PASS)
            continue;
        if (r == EXT_GP) {
            *act = msr_refuse(v, write ? "wrmsr" : "rdmsr", index);
            return true;
        }
        if (!write) {
            v->regs.gpr[GPR_RAX] = (uint32_t)value;
            v->regs.gpr[GPR_RDX] = value >> 32;
        }
        vcpu_skip_insn(v, e);
        *act = EXIT_ACTION_RESUME;
        return true;
    }
    return false;
}

static enum exit_action msr_read_exit(struct vcpu *v, const struct vm_exit *e)
{
    uint32_t index = (uint32_t)v->regs.gpr[GPR_RCX];
    enum exit_action act;
    if (msr_ext_exit(v, e, index, false, 0, &act))
        return act;
    /* EXERCISE 02.msr-allow 10 "Find the MSR: per-vCPU state (msr_states, through ops->get_ctl/set_ctl with the WRMSR checks) or an msr_rules[] row; anything else is #GP(0) via msr_refuse(); on success EDX:EAX and skip the instruction (SDM Vol. 2B RDMSR/WRMSR)" */
    const struct msr_rule *r = msr_find(index);
    const struct msr_state *state = state_find(index);
    uint64_t value;
    if (state)
        value = v->ops->get_ctl(v, state->ctl);
    else if (!r || !r->read || !r->read(v, &value))
        return msr_refuse(v, "rdmsr", index);
    /* RDMSR loads EDX:EAX; the upper halves of RAX and RDX are cleared. */
    v->regs.gpr[GPR_RAX] = (uint32_t)value;
    v->regs.gpr[GPR_RDX] = value >> 32;
    vcpu_skip_insn(v, e);
    return EXIT_ACTION_RESUME;
    /* STUB
    EXERCISE_TODO();
    (void)e;
    (void)msr_find;
    (void)state_find;
    return msr_refuse(v, "rdmsr", index);
    STUB END */
    /* END EXERCISE 02.msr-allow */
}
REGISTER_EXIT_HANDLER(msr_read, EXIT_MSR_READ, msr_read_exit);

static enum exit_action msr_write_exit(struct vcpu *v, const struct vm_exit *e)
{
    uint32_t index = (uint32_t)v->regs.gpr[GPR_RCX];
    enum exit_action act;
    if (msr_ext_exit(v, e, index, true,
                     ((v->regs.gpr[GPR_RDX] & 0xffffffffull) << 32) | (v->regs.gpr[GPR_RAX] & 0xffffffffull), &act))
        return act;
    /* EXERCISE 02.msr-allow 10 "Find the MSR: per-vCPU state (msr_states, through ops->get_ctl/set_ctl with the WRMSR checks) or an msr_rules[] row; anything else is #GP(0) via msr_refuse(); on success EDX:EAX and skip the instruction (SDM Vol. 2B RDMSR/WRMSR)" */
    uint64_t value = ((v->regs.gpr[GPR_RDX] & 0xffffffffull) << 32) | (v->regs.gpr[GPR_RAX] & 0xffffffffull);
    const struct msr_rule *r = msr_find(index);
    const struct msr_state *state = state_find(index);
    if (state) {
        if (!state_value_ok(state->check, value) || !v->ops->set_ctl(v, state->ctl, value))
            return msr_refuse(v, "wrmsr", index);
    } else if (!r || !r->write || !r->write(v, value)) {
        return msr_refuse(v, "wrmsr", index);
    }
    vcpu_skip_insn(v, e);
    return EXIT_ACTION_RESUME;
    /* STUB
    EXERCISE_TODO();
    (void)e;
    (void)state_value_ok;
    return msr_refuse(v, "wrmsr", index);
    STUB END */
    /* END EXERCISE 02.msr-allow */
}
REGISTER_EXIT_HANDLER(msr_write, EXIT_MSR_WRITE, msr_write_exit);
