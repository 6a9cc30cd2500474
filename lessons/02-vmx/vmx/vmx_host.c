/**
 * @file vmx_host.c
 * @brief The host-state area: what the CPU loads on every VM exit.
 *
 * A VM exit is a jump back into Spectrum with a fresh register state taken
 * from the VMCS (SDM Vol. 3C §25.5 "Host-State Area", §28.5 "Loading Host
 * State"), so the area must describe the running Spectrum exactly: its
 * control registers, its segment selectors (from gdt.c), the TSS base
 * (read back from the TSS descriptor in the GDT), GDTR/IDTR bases, FS/GS
 * bases, the SYSENTER MSRs, IA32_EFER, and where to continue: HOST_RIP =
 * vmx_exit_stub.  HOST_RSP is written by vmx_enter() just before each
 * entry, because only then is the right stack pointer known.
 *
 * A VM exit sets the GDTR and IDTR limits to FFFFH (§28.5.2), so
 * vmx_host_restore_tables() reloads the real ones after each exit.
 */
#include "vmx/vmx.h"

#include "spectrum/boot_layout.h"
#include "spectrum/x86.h"
#include "vmx/vmcs_fields.h"
#include "vmx/vmx_controls.h"

/** The operand of SGDT/SIDT/LGDT/LIDT (SDM Vol. 3A §3.5.1 Figure 3-11). */
struct __attribute__((packed)) desc_ptr {
    uint16_t limit;
    uint64_t base;
};
_Static_assert(sizeof(struct desc_ptr) == 10, "pseudo-descriptor: 2-byte limit + 8-byte base");

static struct desc_ptr host_gdtr, host_idtr;

#define READ_SEG(name)                                                      \
    static uint16_t read_##name(void)                                       \
    {                                                                       \
        uint16_t v;                                                         \
        __asm__ volatile("mov %%" #name ", %0" : "=r"(v));                  \
        return v;                                                           \
    }
READ_SEG(cs)
READ_SEG(ss)
READ_SEG(ds)
READ_SEG(es)
READ_SEG(fs)
READ_SEG(gs)
#undef READ_SEG

static uint16_t read_tr(void)
{
    uint16_t v;
    __asm__ volatile("str %0" : "=r"(v));
    return v;
}

/* Base of the 16-byte TSS descriptor at @p sel (SDM Vol. 3A §9.2.3
 * Figure 9-4): bits 15:0 at bytes 2-3, 23:16 at byte 4, 31:24 at byte 7,
 * 63:32 at bytes 8-11. */
static uint64_t tss_base(const struct desc_ptr *gdtr, uint16_t sel)
{
    const uint8_t *d = (const uint8_t *)(uintptr_t)gdtr->base + (sel & ~7u);
    uint64_t base = d[2] | ((uint64_t)d[3] << 8) | ((uint64_t)d[4] << 16) | ((uint64_t)d[7] << 24);
    uint32_t high;
    __builtin_memcpy(&high, d + 8, 4);
    return base | ((uint64_t)high << 32);
}

void vmx_host_setup(void)
{
    __asm__ volatile("sgdt %0" : "=m"(host_gdtr));
    __asm__ volatile("sidt %0" : "=m"(host_idtr));

    vmcs_write(VMCS_HOST_CR0, read_cr0());
    vmcs_write(VMCS_HOST_CR3, read_cr3());
    vmcs_write(VMCS_HOST_CR4, read_cr4());

    /* §27.2.3: host selectors need RPL = TI = 0; Spectrum's GDT selectors
     * (spectrum/cpu.h) are all ring-0 GDT selectors. */
    vmcs_write(VMCS_HOST_CS_SEL, read_cs());
    vmcs_write(VMCS_HOST_SS_SEL, read_ss());
    vmcs_write(VMCS_HOST_DS_SEL, read_ds());
    vmcs_write(VMCS_HOST_ES_SEL, read_es());
    vmcs_write(VMCS_HOST_FS_SEL, read_fs());
    vmcs_write(VMCS_HOST_GS_SEL, read_gs());
    uint16_t tr = read_tr();
    vmcs_write(VMCS_HOST_TR_SEL, tr);

    vmcs_write(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
    vmcs_write(VMCS_HOST_GS_BASE, rdmsr(MSR_GS_BASE));
    vmcs_write(VMCS_HOST_TR_BASE, tss_base(&host_gdtr, tr));
    vmcs_write(VMCS_HOST_GDTR_BASE, host_gdtr.base);
    vmcs_write(VMCS_HOST_IDTR_BASE, host_idtr.base);

    vmcs_write(VMCS_HOST_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
    vmcs_write(VMCS_HOST_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
    vmcs_write(VMCS_HOST_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
    vmcs_write(VMCS_HOST_EFER, rdmsr(MSR_EFER));
    /* The field exists only on CPUs with the PAT controls (Appendix B). */
    if (vmx_ctl_may_be_one(vmx_cpu.caps.ctl[VMX_CTL_EXIT]) & EXIT_LOAD_PAT)
        vmcs_write(VMCS_HOST_PAT, rdmsr(MSR_IA32_PAT));

    vmcs_write(VMCS_HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_stub);
    vmcs_write(VMCS_HOST_RSP, 0);   /* vmx_enter() writes the real one */
}

void vmx_host_restore_tables(void)
{
    __asm__ volatile("lgdt %0" ::"m"(host_gdtr));
    __asm__ volatile("lidt %0" ::"m"(host_idtr));
}
