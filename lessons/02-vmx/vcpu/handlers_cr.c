/**
 * @file handlers_cr.c
 * @brief MOV to/from CR0 and CR4, CLTS and LMSW: validate like the CPU,
 *        keep paging on.
 *
 * Why these are intercepted at all: the hypervisor owns some bits (VMX
 * needs CR0.PE/PG/NE and CR4.VMXE set, SVM the guest's EFER.SVME; CR4
 * bits outside vcpu/cr4_policy.h are refused on both) and, in lesson 02,
 * there is no nested paging - guest page tables hold host-physical
 * addresses, so a guest that turned paging off would address host memory
 * directly.  The handler therefore
 *  - injects #GP(0) where MOV to CR0/CR4 faults on a real CPU (SDM Vol. 3A
 *    §2.4.3 / APM Vol. 2 §3.1.1, §3.1.3): reserved bits set (including
 *    CR0[31:0] reserved bits, which Intel ignores - stricter, on purpose),
 *    CR0.PG without CR0.PE, CR0.NW without CR0.CD, CR0.PG with EFER.LME
 *    but without CR4.PAE, CR4.PAE cleared in long mode, a CR4 bit the CPU
 *    (or Spectrum) does not offer;
 *  - stops the VM when the guest clears CR0.PG or CR0.PE ("lesson 02
 *    guests must keep paging on");
 *  - otherwise hands the value to ops->set_ctl, which adds the hidden bits
 *    and updates the read shadow (vcpu.h);
 *  - for MOV from CR (VMX exits on reads of guest-owned bits only when the
 *    back end asks; SVM does not intercept reads) returns the shadow.
 * CLTS and LMSW are writes of CR0 too (SDM Vol. 2A "CLTS", "LMSW"): CLTS
 * clears TS; LMSW loads PE, MP, EM and TS from the low 4 bits of its
 * operand but cannot clear PE.  Both go through the same CR0 checks.
 *
 * Operand size: the full 64-bit register in 64-bit mode, its low 32 bits
 * otherwise - compatibility mode included, although EFER.LMA is set there
 * (SDM Vol. 2B "MOV - Move to/from Control Registers": "In 64-bit mode,
 * the operand size is fixed at 64 bits"; outside it, 32).
 */
#include "spectrum/x86_bits.h"
#include "vcpu/cr4_policy.h"
#include "vcpu/exit.h"
#include "vcpu/guest_space.h"
#include "vcpu/handler_ext.h"

/* #GP(0), as MOV to CR0/CR4 raises it on a real CPU. */
static enum exit_action inject_gp(struct vcpu *v, const char *what)
{
    return vcpu_raise(v, EXC_GP, true, 0, what);
}

static enum exit_action cr0_write(struct vcpu *v, const struct vm_exit *e, uint64_t value)
{
    uint64_t efer = v->ops->get_ctl(v, CTL_EFER);
    uint64_t cr4 = v->ops->get_ctl(v, CTL_CR4);
    if ((value & ~CR0_DEFINED) || ((value & CR0_PG) && !(value & CR0_PE)) ||
        ((value & CR0_NW) && !(value & CR0_CD)) || ((value & CR0_PG) && (efer & EFER_LME) && !(cr4 & CR4_PAE)))
        return inject_gp(v, "a bad CR0 value");
    if (!v->guest_owns_paging && (!(value & CR0_PG) || !(value & CR0_PE))) {
        vm_stop(v->vm, false,
                "guest cleared CR0.%s (CR0 := %#lx at RIP %#lx): lesson 02 guests must keep paging on, "
                "there is no nested paging to contain them",
                (value & CR0_PE) ? "PG" : "PE", (unsigned long)value, (unsigned long)v->regs.rip);
        return EXIT_ACTION_STOP;
    }
    if (!v->ops->set_ctl(v, CTL_CR0, value))
        return inject_gp(v, "a CR0 value the back end refused");
    guest_space_paging_changed(v);
    vcpu_skip_insn(v, e);
    return EXIT_ACTION_RESUME;
}

static enum exit_action cr4_write(struct vcpu *v, const struct vm_exit *e, uint64_t value)
{
    uint64_t efer = v->ops->get_ctl(v, CTL_EFER);
    if ((value & ~vcpu_cr4_guest_bits()) || ((efer & EFER_LMA) && !(value & CR4_PAE)))
        return inject_gp(v, "a bad CR4 value");
    if (!v->ops->set_ctl(v, CTL_CR4, value))
        return inject_gp(v, "a CR4 value the back end refused");
    guest_space_paging_changed(v);
    vcpu_skip_insn(v, e);
    return EXIT_ACTION_RESUME;
}

/* A registered handler for MOV to/from CR e->cr.cr: true (and *act) if
 * one served it; same operand size rules as CR0/CR4 (see above). */
static bool cr_ext_exit(struct vcpu *v, const struct vm_exit *e, enum exit_action *act)
{
    bool wide = v->ops->code_bits(v) == 64;
    uint64_t *reg = &v->regs.gpr[e->cr.gpr];
    TABLE_FOREACH(struct cr_ext, spectrum_cr_ext, x) {
        if (x->cr != e->cr.cr)
            continue;
        uint64_t value = wide ? *reg : (uint32_t)*reg;
        enum ext_result r = e->cr.write ? (x->write ? x->write(v, value) : EXT_PASS)
                                        : (x->read ? x->read(v, &value) : EXT_PASS);
        if (r == EXT_PASS)
            continue;
        if (r == EXT_GP) {
            *act = inject_gp(v, "a refused control-register access");
            return true;
        }
        if (!e->cr.write)
            *reg = wide ? value : (uint32_t)value;
        vcpu_skip_insn(v, e);
        *act = EXIT_ACTION_RESUME;
        return true;
    }
    return false;
}

static enum exit_action cr_exit(struct vcpu *v, const struct vm_exit *e)
{
    uint64_t cr0 = v->ops->get_ctl(v, CTL_CR0_SHADOW);
    if (e->cr.kind == CR_CLTS)
        return cr0_write(v, e, cr0 & ~CR0_TS);
    if (e->cr.kind == CR_LMSW) {
        /* PE can be set but not cleared by LMSW: OR the old PE back in. */
        uint64_t low = (e->cr.lmsw_src & CR0_LMSW_BITS) | (cr0 & CR0_PE);
        return cr0_write(v, e, (cr0 & ~CR0_LMSW_BITS) | low);
    }
    /* Extension point (vcpu/handler_ext.h): a later lesson's handler for
     * another CR (lesson 03: CR8 of a VM with a local APIC); none in
     * lesson 02, and a handler that passes leaves the stop below. */
    if (e->cr.kind == CR_MOV && e->cr.gpr < GPR_COUNT && e->cr.cr != 0 && e->cr.cr != 4) {
        enum exit_action act;
        if (cr_ext_exit(v, e, &act))
            return act;
    }
    if (e->cr.gpr >= GPR_COUNT || (e->cr.cr != 0 && e->cr.cr != 4)) {
        vm_stop(v->vm, false, "CR access exit for CR%u / register %u at RIP %#lx is not handled in lesson 02",
                e->cr.cr, e->cr.gpr, (unsigned long)v->regs.rip);
        return EXIT_ACTION_STOP;
    }
    bool wide = v->ops->code_bits(v) == 64;
    uint64_t *reg = &v->regs.gpr[e->cr.gpr];
    if (!e->cr.write) {
        uint64_t value = v->ops->get_ctl(v, e->cr.cr == 0 ? CTL_CR0_SHADOW : CTL_CR4_SHADOW);
        *reg = wide ? value : (uint32_t)value;
        vcpu_skip_insn(v, e);
        return EXIT_ACTION_RESUME;
    }
    uint64_t value = wide ? *reg : (uint32_t)*reg;
    return e->cr.cr == 0 ? cr0_write(v, e, value) : cr4_write(v, e, value);
}
REGISTER_EXIT_HANDLER(cr_access, EXIT_CR_ACCESS, cr_exit);
