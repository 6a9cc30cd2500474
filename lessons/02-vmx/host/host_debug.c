/**
 * @file host_debug.c
 * @brief The host's #DB handler: a single-step trap that cannot be the
 *        host's is dropped instead of stopping Spectrum.
 *
 * Spectrum never sets RFLAGS.TF or a breakpoint in DR7 for itself (VM
 * exits load DR7 = 400H, SDM Vol. 3C §28.5.1, APM Vol. 2 §15.6), so a #DB
 * in host code is either a Spectrum bug - reported as fatal, like every
 * other exception - or an emulator leaking a guest's trap into the host:
 * Bochs 2.7's SVM delivers the pending single-step trap of a guest
 * instruction that was intercepted (the guest set TF, then ran CPUID) to
 * the host right after #VMEXIT, where a CPU would have dropped it with the
 * intercepted instruction.  That case is recognised by DR6.BS with TF
 * clear in the interrupted host flags: a trap (the host's instruction
 * already completed), so returning is harmless.  DR6 is left alone (on
 * VMX it is the guest's).
 */
#include "spectrum/console.h"
#include "spectrum/cpu.h"
#include "spectrum/init.h"
#include "spectrum/x86.h"
#include "spectrum/x86_bits.h"

static unsigned dropped;

static void host_db_handler(struct trap_frame *f)
{
    if ((read_dr6() & DR6_BS) && !(f->rflags & RFLAGS_TF)) {
        if (dropped++ == 0)
            kprintf("host: dropped a single-step #DB at RIP %#lx that belongs to a guest (an emulator quirk; "
                    "DR6.BS set, host TF clear)\n", (unsigned long)f->rip);
        return;
    }
    trap_report_fatal(f);
}

static void host_debug_init(void)
{
    trap_set_handler(EXC_DB, host_db_handler);
}
REGISTER_INIT(INIT_PLATFORM, host_debug_init);
