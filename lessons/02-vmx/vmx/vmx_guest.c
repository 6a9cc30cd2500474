/**
 * @file vmx_guest.c
 * @brief The guest-state area of a new vCPU, and the CR0/CR4 guest/host
 *        masks and read shadows.
 *
 * VM entry loads every guest register from the VMCS, hidden segment parts
 * included (SDM Vol. 3C §25.4 "Guest-State Area", §27.3.2 "Loading Guest
 * State"), after checking them (§27.3.1, vmx_check_*.c).  Lesson 02 has no
 * EPT, hence no "unrestricted guest": the guest starts in protected mode
 * with paging on, on the tables and GDT of guest_space.c:
 *  - 32-bit paged: CS = flat 32-bit code (AR C09BH), CR4 = 0, EFER = 0;
 *  - 64-bit: CS = 64-bit code (AR A09BH, L = 1, D = 0), CR4.PAE,
 *    EFER.LME|LMA and the "IA-32e mode guest" entry control;
 * data segments flat read/write (AR C093H), TR a busy 32/64-bit TSS (AR
 * 8BH; §27.3.1.2 wants type 11 even if the guest never uses it), LDTR
 * unusable (AR bit 16), CPL 0 (SS.DPL = 0), RFLAGS = 2 (IF = 0), DR7 =
 * 400H, activity "active", no blocking, VMCS link pointer ~0.
 *
 * CR0 and CR4 (§25.6.6 "Guest/Host Masks and Read Shadows"): VMX operation
 * forces some bits (IA32_VMX_CR0/CR4_FIXED0/1: PE, NE, PG, CR4.VMXE) that
 * the guest did not ask for.  Those bits are "owned by the host": set in
 * the guest/host mask, so the guest reads them from the read shadow (what
 * it believes it wrote) and a MOV to CR0/CR4 that would change them exits
 * to the CR handler.  In CR4 the host also owns every bit outside the
 * guest's allow list (vcpu/cr4_policy.h): with a guest-owned OSXSAVE, PKE
 * or PCIDE a guest could switch on what CPUID hides and reach host state
 * (XGETBV would show the host's XCR0).  Owning them means a write that
 * sets one exits, and the CR handler answers #GP as for any refused bit.
 * Every other bit belongs to the guest.
 */
#include "vmx/vmx.h"

#include "spectrum/exercise.h"

#include "vcpu/cr4_policy.h"
#include "vcpu/guest_space.h"
#include "vmx/vmcs_fields.h"
#include "vmx/vmx_controls.h"
#include "vmx/vmx_exit_info.h"

/* Access rights, SDM Vol. 3C §25.4.1 Table 25-2 (VMX_AR_* bits). */
#define AR_CODE_ER  (VMX_AR_P | VMX_AR_S | VMX_AR_TYPE_CODE | VMX_AR_TYPE_RW | VMX_AR_TYPE_ACCESSED)
#define AR_CODE32   (AR_CODE_ER | VMX_AR_DB | VMX_AR_G)
#define AR_CODE64   (AR_CODE_ER | VMX_AR_L | VMX_AR_G)
#define AR_DATA     (VMX_AR_P | VMX_AR_S | VMX_AR_TYPE_RW | VMX_AR_TYPE_ACCESSED | VMX_AR_DB | VMX_AR_G)
#define AR_TSS_BUSY (VMX_AR_P | X86_SEG_TYPE_TSS_BUSY)
_Static_assert(AR_CODE32 == 0xc09b && AR_CODE64 == 0xa09b && AR_DATA == 0xc093 && AR_TSS_BUSY == 0x8b,
               "the access-rights values the SDM examples use");

#define TSS_LIMIT 0x67   /* a 104-byte 32/64-bit TSS, SDM Vol. 3A §9.7 */

static void write_seg(unsigned index, uint16_t sel, uint64_t base, uint32_t limit, uint32_t ar)
{
    /* Encodings of ES..TR are consecutive with a stride of 2 (Appendix B). */
    vmcs_write(VMCS_GUEST_ES_SEL + 2 * index, sel);
    vmcs_write(VMCS_GUEST_ES_BASE + 2 * index, base);
    vmcs_write(VMCS_GUEST_ES_LIMIT + 2 * index, limit);
    vmcs_write(VMCS_GUEST_ES_AR + 2 * index, ar);
}

void vmx_guest_setup(struct vmx_vcpu *x, const struct vcpu_config *cfg)
{
    const struct vmx_caps *c = &vmx_cpu.caps;
    bool long64 = cfg->mode == VCPU_MODE_LONG64;

    /* What the guest sees, then what the CPU gets. */
    uint64_t cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
    uint64_t cr4 = long64 ? CR4_PAE : 0;
    uint64_t efer = long64 ? EFER_LME | EFER_LMA : 0;
    vmcs_write(VMCS_GUEST_CR0, vmx_fixed_apply(cr0, c->cr0_fixed0, c->cr0_fixed1));
    vmcs_write(VMCS_GUEST_CR4, vmx_fixed_apply(cr4 | CR4_VMXE, c->cr4_fixed0, c->cr4_fixed1));
    vmcs_write(VMCS_GUEST_CR3, cfg->cr3);
    vmcs_write(VMCS_GUEST_EFER, efer);
    vmcs_write(VMCS_CR0_GUEST_HOST_MASK, c->cr0_fixed0 | ~c->cr0_fixed1);
    vmcs_write(VMCS_CR4_GUEST_HOST_MASK, c->cr4_fixed0 | ~c->cr4_fixed1 | ~vcpu_cr4_guest_bits());
    vmcs_write(VMCS_CR0_READ_SHADOW, cr0);
    vmcs_write(VMCS_CR4_READ_SHADOW, cr4);
    x->guest_cr2 = 0;

    /* EXERCISE 02.vmcs-guest 10 "Fill the guest segment registers (selector, base, limit, access rights) and GDTR/IDTR from cfg: flat code/data, a busy TSS, an unusable LDTR (SDM Vol. 3C 25.4.1, 27.3.1.2)" */
    enum { ES, CS, SS, DS, FS, GS, LDTR, TR };
    uint32_t flat = 0xffffffffu;
    write_seg(CS, long64 ? GUEST_SEL_CODE64 : GUEST_SEL_CODE32, 0, flat, long64 ? AR_CODE64 : AR_CODE32);
    write_seg(SS, GUEST_SEL_DATA, 0, flat, AR_DATA);
    write_seg(DS, GUEST_SEL_DATA, 0, flat, AR_DATA);
    write_seg(ES, GUEST_SEL_DATA, 0, flat, AR_DATA);
    write_seg(FS, GUEST_SEL_DATA, 0, flat, AR_DATA);
    write_seg(GS, GUEST_SEL_DATA, 0, flat, AR_DATA);
    write_seg(TR, 0, 0, TSS_LIMIT, AR_TSS_BUSY);
    write_seg(LDTR, 0, 0, 0, VMX_AR_UNUSABLE);
    vmcs_write(VMCS_GUEST_GDTR_BASE, cfg->gdt_base);
    vmcs_write(VMCS_GUEST_GDTR_LIMIT, cfg->gdt_limit);
    vmcs_write(VMCS_GUEST_IDTR_BASE, cfg->idt_base);
    vmcs_write(VMCS_GUEST_IDTR_LIMIT, cfg->idt_limit);
    /* STUB
    EXERCISE_TODO();
    (void)write_seg;
    STUB END */
    /* END EXERCISE 02.vmcs-guest */

    vmcs_write(VMCS_GUEST_DR7, DR7_INIT);
    vmcs_write(VMCS_GUEST_DEBUGCTL, 0);
    if (x->ctl[VMX_CTL_ENTRY] & ENTRY_LOAD_PAT)
        vmcs_write(VMCS_GUEST_PAT, PAT_POWER_ON);
    x->pat = PAT_POWER_ON;
    vmcs_write(VMCS_GUEST_RSP, cfg->rsp);
    vmcs_write(VMCS_GUEST_RIP, cfg->rip);
    vmcs_write(VMCS_GUEST_RFLAGS, RFLAGS_FIXED);
    vmcs_write(VMCS_GUEST_SYSENTER_CS, 0);
    vmcs_write(VMCS_GUEST_SYSENTER_ESP, 0);
    vmcs_write(VMCS_GUEST_SYSENTER_EIP, 0);
    vmcs_write(VMCS_GUEST_PENDING_DBG, 0);
    vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
    vmcs_write(VMCS_GUEST_ACTIVITY_STATE, VMX_ACTIVITY_ACTIVE);
}
