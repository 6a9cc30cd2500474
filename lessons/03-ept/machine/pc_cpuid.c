/**
 * @file pc_cpuid.c
 * @brief CPUID for a lesson-03 machine: hide INVPCID, RDTSCP and RDPID,
 *        which the vCPU cannot execute on VT-x.
 *
 * CPUID.(EAX=7,ECX=0):EBX[10] INVPCID is passed through from the host by
 * lesson 02.  On VT-x, INVPCID in a guest raises #UD unless the secondary
 * processor-based control "enable INVPCID" is 1 (SDM Vol. 3C §25.6.2
 * Table 25-7, and the INVPCID pseudocode in Vol. 2A), which Spectrum does
 * not set.  Linux 6.1 trusts the CPUID bit: its first global TLB flush
 * (native_flush_tlb_global() -> invpcid_flush_all()) then dies in early
 * boot with "PANIC: early exception 0x06" under Bochs.  Lesson 02 already
 * hides PCID for the same kind of reason (handlers_cpuid.c); INVPCID is
 * hidden here for lesson-03 machines on both vendors, so a guest sees the
 * same CPU whichever engine runs it.  Likewise RDTSCP
 * (CPUID.80000001H:EDX[27]) and RDPID (CPUID.(7,0):ECX[22]) raise #UD
 * unless "enable RDTSCP" is 1 (same table): Linux's read_tsc() uses
 * RDTSCP when offered ("invalid opcode" in read_tsc under Bochs).
 * Plain lesson-02 VMs are unchanged.
 */
#include "machine/pc_machine.h"
#include "spectrum/x86.h"
#include "vcpu/handler_ext.h"
#include "vm/vm.h"

#define CPUID_7_EBX_INVPCID  (1u << 10)  /**< SDM Vol. 2A CPUID leaf 07H, EBX bit 10 */
#define CPUID_7_ECX_RDPID    (1u << 22)  /**< leaf 07H, ECX bit 22 */
#define CPUID_EXT1_EDX_RDTSCP (1u << 27) /**< leaf 80000001H, EDX bit 27 */

static void pc_cpuid_adjust(struct vcpu *v, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
    if (!pc_machine_of(v->vm))
        return;
    if (leaf == 7 && subleaf == 0) {
        r->ebx &= ~CPUID_7_EBX_INVPCID;
        r->ecx &= ~CPUID_7_ECX_RDPID;
    } else if (leaf == 0x80000001u) {
        r->edx &= ~CPUID_EXT1_EDX_RDTSCP;
    }
}

REGISTER_CPUID_ADJUST(pc, pc_cpuid_adjust);
