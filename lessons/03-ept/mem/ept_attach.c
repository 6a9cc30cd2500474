/**
 * @file ept_attach.c
 * @brief Lesson 03 plugs EPT, VPID and "unrestricted guest" into the
 *        lesson-02 VMX back end (struct vcpu_nested_ext "vmx").
 *
 * Lesson 02's vmx_create() has built a VMCS for a paged protected-mode
 * guest.  attach() turns it into a PC's vCPU:
 *  - secondary controls (SDM Vol. 3C §25.6.2 Table 25-7): "enable EPT"
 *    (bit 1), "enable VPID" (bit 5), "unrestricted guest" (bit 7, which
 *    needs EPT: §27.2.1.1), so the guest may run in real mode and with
 *    paging off, translating its own linear addresses to guest-physical
 *    ones with its own tables;
 *  - CR3-load/store and INVLPG exiting off where the CPU allows: with EPT
 *    the guest's CR3 is a guest-physical address the CPU walks through EPT,
 *    nothing the hypervisor must see;
 *  - the EPT pointer (§25.6.11): the PML4 of gpm's tables, memory type WB
 *    (bits 2:0 = 6, if IA32_VMX_EPT_VPID_CAP bit 14 allows, else UC), a
 *    4-level walk (bits 5:3 = 3, cap bit 6), no accessed/dirty flags;
 *  - a VPID per VM (§29.1), so guest translations are tagged and need no
 *    flush on every entry; INVVPID/INVEPT single-context at attach,
 *    because a VPID number and a table address are reused across VMs
 *    (§29.4.3.3 "Guidelines for Use of the INVVPID/INVEPT Instruction");
 *  - the guest state for the start mode (real mode: CS base = selector *
 *    16, limits 0xFFFF, IDTR = the real-mode IVT at 0, §27.3.1.2 rules for
 *    unrestricted guests).
 * CR0.PE and CR0.PG stay in the CR0 guest/host mask, so turning paging or
 * protection on and off exits to lesson 02's CR handler; there
 * vcpu.guest_owns_paging lets them be 0, and set_ctl keeps EFER.LMA and the
 * "IA-32e mode guest" entry control right (§24.8, §27.3.2.1).  With PAE
 * paging outside long mode, VM entry loads the four PDPTEs from the VMCS,
 * not from guest memory (§27.3.2.4): paging_changed() reloads them whenever
 * the CR handler changed CR0 or CR4.
 */
#include "machine/pc_machine.h"
#include "machine/start_state.h"
#include "mem/nested.h"

#include "spectrum/console.h"
#include "vcpu/guest_space.h"
#include "spectrum/x86_bits.h"
#include "vmx/vmcs_fields.h"
#include "vmx/vmx.h"
#include "vmx/vmx_controls.h"

/* IA32_VMX_EPT_VPID_CAP bits, SDM Vol. 3D Appendix A.10. */
#define EPTCAP_WALK4        (1ull << 6)
#define EPTCAP_UC           (1ull << 8)
#define EPTCAP_WB           (1ull << 14)
#define EPTCAP_2M           (1ull << 16)
#define EPTCAP_1G           (1ull << 17)
#define EPTCAP_INVEPT       (1ull << 20)
#define EPTCAP_INVEPT_CTX   (1ull << 25)
#define EPTCAP_INVEPT_ALL   (1ull << 26)
#define EPTCAP_INVVPID      (1ull << 32)
#define EPTCAP_INVVPID_CTX  (1ull << 41)
#define EPTCAP_INVVPID_ALL  (1ull << 42)

#define INVEPT_SINGLE   1   /* §30.3 INVEPT types */
#define INVEPT_ALL      2
#define INVVPID_SINGLE  1   /* INVVPID types */
#define INVVPID_ALL     2

static uint16_t next_vpid = 1;

/* INVEPT / INVVPID take a 128-bit descriptor in memory (SDM Vol. 3C §30.3). */
static void invept(uint64_t type, uint64_t eptp)
{
    struct { uint64_t eptp, zero; } __attribute__((aligned(16))) d = { eptp, 0 };
    __asm__ volatile("invept %0, %1" ::"m"(d), "r"(type) : "cc", "memory");
}

static void invvpid(uint64_t type, uint16_t vpid)
{
    struct { uint64_t vpid, linear; } __attribute__((aligned(16))) d = { vpid, 0 };
    __asm__ volatile("invvpid %0, %1" ::"m"(d), "r"(type) : "cc", "memory");
}

/** Per-vCPU data of this extension (vcpu.nested_state). */
struct ept_state {
    struct pc_machine *machine;
    uint64_t eptp;
    uint16_t vpid;
};

static struct ept_state ept_states[4];

/* gpm.flush: forget cached translations of this VM's EPT (and its VPID). */
static void ept_flush(void *ctx)
{
    const struct ept_state *st = ctx;
    uint64_t cap = vmx_cpu.caps.ept_vpid;
    if (cap & EPTCAP_INVEPT)
        invept((cap & EPTCAP_INVEPT_CTX) ? INVEPT_SINGLE : INVEPT_ALL, st->eptp);
    if ((cap & EPTCAP_INVVPID) && st->vpid)
        invvpid((cap & EPTCAP_INVVPID_CTX) ? INVVPID_SINGLE : INVVPID_ALL, st->vpid);
}

/* The guest changed CR0/CR4: with PAE paging and no long mode, load the
 * PDPTEs the CPU would have loaded (§27.3.2.4, §29.3.3). */
static void ept_paging_changed(struct vcpu *v)
{
    struct vmx_vcpu *x = vmx_of(v);
    vmx_vmcs_load(x);
    uint64_t cr0 = vmcs_read(VMCS_GUEST_CR0), cr4 = vmcs_read(VMCS_GUEST_CR4);
    uint64_t efer = vmcs_read(VMCS_GUEST_EFER);
    if (!(cr0 & CR0_PG) || !(cr4 & CR4_PAE) || (efer & EFER_LMA))
        return;
    uint64_t pdpte[4] = { 0, 0, 0, 0 };
    struct pc_machine *m = pc_machine_of(v->vm);
    uint64_t cr3 = vmcs_read(VMCS_GUEST_CR3) & 0xffffffe0ull;   /* PAE CR3: bits 31:5 */
    if (!gpm_read(&m->mem, cr3, pdpte, sizeof pdpte)) {
        vm_stop(v->vm, false, "ept: PAE page-directory pointers at GPA %#llx (CR3) are not in guest RAM",
                (unsigned long long)cr3);
        return;
    }
    for (unsigned i = 0; i < 4; i++)
        vmcs_write(VMCS_GUEST_PDPTE0 + 2 * i, pdpte[i]);
}

static const struct guest_space_ops ept_space_ops = {
    .translate = nested_translate,
    .paging_changed = ept_paging_changed,
};

static void write_seg(unsigned index, const struct start_seg *s)
{
    /* ES..TR encodings are consecutive with a stride of 2 (Appendix B). */
    vmcs_write(VMCS_GUEST_ES_SEL + 2 * index, s->sel);
    vmcs_write(VMCS_GUEST_ES_BASE + 2 * index, s->base);
    vmcs_write(VMCS_GUEST_ES_LIMIT + 2 * index, s->limit);
    vmcs_write(VMCS_GUEST_ES_AR + 2 * index, s->unusable ? VMX_AR_UNUSABLE : s->ar);
}

static bool ept_attach(struct vcpu *v, const struct vcpu_config *cfg)
{
    struct vmx_vcpu *x = vmx_of(v);
    const struct vmx_caps *c = &vmx_cpu.caps;
    const struct pc_nested_config *nc = cfg->nested;
    struct pc_machine *m = nc->machine;
    uint64_t cap = c->ept_vpid;
    uint32_t may2 = vmx_ctl_may_be_one(c->ctl[VMX_CTL_PROC2]);
    uint32_t may1 = vmx_ctl_may_be_one(c->ctl[VMX_CTL_PROC]);
    uint32_t must1 = vmx_ctl_must_be_one(c->ctl[VMX_CTL_PROC]);
    uint32_t want2 = PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST;

    if (!(may1 & PROC_SECONDARY_CONTROLS) || (want2 & ~may2) || !(cap & EPTCAP_WALK4) ||
        !(cap & (EPTCAP_WB | EPTCAP_UC))) {
        vm_stop(v->vm, false, "ept: this CPU lacks EPT with a 4-level walk or unrestricted guest "
                "(secondary controls may-be-one %#x, EPT/VPID capabilities %#llx)", may2, (unsigned long long)cap);
        return false;
    }
    unsigned slot = 0;
    while (slot < sizeof ept_states / sizeof ept_states[0] && ept_states[slot].machine)
        slot++;
    if (slot == sizeof ept_states / sizeof ept_states[0]) {
        vm_stop(v->vm, false, "ept: more than %u vCPUs at once", slot);
        return false;
    }
    struct ept_state *st = &ept_states[slot];
    st->machine = m;

    unsigned large = (cap & EPTCAP_2M ? GPM_LARGE_2M : 0) | (cap & EPTCAP_1G ? GPM_LARGE_1G : 0);
    if (!nested_tables_ready(m, GPM_FORMAT_EPT, large)) {
        st->machine = 0;
        return false;
    }
    st->eptp = m->mem.root | (cap & EPTCAP_WB ? 6u : 0u) | (3u << 3);
    if ((may2 & PROC2_ENABLE_VPID) && (cap & EPTCAP_INVVPID)) {
        want2 |= PROC2_ENABLE_VPID;
        st->vpid = next_vpid;
        next_vpid = next_vpid == 0xffff ? 1 : next_vpid + 1;
    }
    m->mem.flush = ept_flush;
    m->mem.flush_ctx = st;

    vmx_vmcs_load(x);
    x->ctl[VMX_CTL_PROC] |= PROC_SECONDARY_CONTROLS;
    /* With EPT these exits are not needed; drop them where the CPU lets us. */
    uint32_t drop = (PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING | PROC_INVLPG_EXITING) & ~must1;
    x->ctl[VMX_CTL_PROC] &= ~drop;
    x->proc_now = (x->proc_now | PROC_SECONDARY_CONTROLS) & ~drop;
    x->ctl[VMX_CTL_PROC2] = vmx_ctl_adjust(x->ctl[VMX_CTL_PROC2] | want2, c->ctl[VMX_CTL_PROC2]);
    vmcs_write(VMCS_PROC_CONTROLS, x->proc_now);
    vmcs_write(VMCS_PROC2_CONTROLS, x->ctl[VMX_CTL_PROC2]);
    vmcs_write(VMCS_EPT_POINTER, st->eptp);
    vmcs_write(VMCS_VPID, st->vpid);
    vmcs_write(VMCS_CR3_TARGET_COUNT, 0);

    /* The start state. */
    struct start_state s;
    start_state_for(&nc->start, &s);
    v->guest_owns_paging = true;
    uint64_t fixed0 = c->cr0_fixed0 & ~(uint64_t)(CR0_PE | CR0_PG);
    vmcs_write(VMCS_GUEST_CR0, vmx_fixed_apply(s.cr0, fixed0, c->cr0_fixed1));
    vmcs_write(VMCS_CR0_READ_SHADOW, s.cr0);
    vmcs_write(VMCS_GUEST_CR4, vmx_fixed_apply(s.cr4 | CR4_VMXE, c->cr4_fixed0, c->cr4_fixed1));
    vmcs_write(VMCS_CR4_READ_SHADOW, s.cr4);
    vmcs_write(VMCS_GUEST_CR3, s.cr3);
    vmcs_write(VMCS_GUEST_EFER, s.efer);
    uint32_t entry = x->ctl[VMX_CTL_ENTRY];
    entry = (s.efer & EFER_LMA) ? entry | ENTRY_IA32E_GUEST : entry & ~ENTRY_IA32E_GUEST;
    x->ctl[VMX_CTL_ENTRY] = entry;
    vmcs_write(VMCS_ENTRY_CONTROLS, entry);
    enum { ES, CS, SS, DS, FS, GS, LDTR, TR };
    write_seg(ES, &s.es);
    write_seg(CS, &s.cs);
    write_seg(SS, &s.ss);
    write_seg(DS, &s.ds);
    write_seg(FS, &s.fs);
    write_seg(GS, &s.gs);
    write_seg(LDTR, &s.ldtr);
    write_seg(TR, &s.tr);
    vmcs_write(VMCS_GUEST_GDTR_BASE, s.gdt_base);
    vmcs_write(VMCS_GUEST_GDTR_LIMIT, s.gdt_limit);
    vmcs_write(VMCS_GUEST_IDTR_BASE, s.idt_base);
    vmcs_write(VMCS_GUEST_IDTR_LIMIT, s.idt_limit);
    vmcs_write(VMCS_GUEST_RIP, s.rip);
    vmcs_write(VMCS_GUEST_RSP, s.rsp);
    x->exit_rip = s.rip;
    for (unsigned i = 0; i < GPR_COUNT; i++)
        v->regs.gpr[i] = nc->start.gpr[i];
    v->regs.gpr[GPR_RSP] = s.rsp;
    v->regs.rip = s.rip;
    v->space = &ept_space_ops;
    v->nested_state = st;
    ept_flush(st);      /* a reused VPID or table address must not see old translations */
    return true;
}

static void ept_detach(struct vcpu *v)
{
    struct ept_state *st = v->nested_state;
    if (!st)
        return;
    ept_flush(st);
    st->machine->mem.flush = 0;
    st->machine = 0;
    v->nested_state = 0;
    v->space = 0;
}

REGISTER_VCPU_NESTED(ept, "vmx", ept_attach, ept_detach);
