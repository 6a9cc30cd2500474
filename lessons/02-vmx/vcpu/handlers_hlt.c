/**
 * @file handlers_hlt.c
 * @brief HLT exits: the vCPU stops executing until an interrupt.
 *
 * HLT "stops instruction execution ... an enabled interrupt (including
 * NMI and SMI), a debug exception, BINIT#, INIT# or RESET# resumes
 * execution" (SDM Vol. 2A "HLT").  The handler advances RIP past HLT (an
 * interrupt delivered later returns to the next instruction) and either
 *  - stops the VM when RFLAGS.IF = 0: lesson 02 injects no NMIs, so
 *    nothing could ever wake it ("cli; hlt" is how many tiny guests die);
 *  - or marks the vCPU halted: the exit loop then stops entering it and
 *    runs the pre-entry hooks until one of them injects an interrupt and
 *    clears v->halted (vcpu/loop.h).  If no hook can wake it (no timer
 *    armed) the loop stops the VM with a clear message.
 */
#include "vcpu/exit.h"
#include "spectrum/x86_bits.h"


static enum exit_action hlt_exit(struct vcpu *v, const struct vm_exit *e)
{
    uint64_t rip = v->regs.rip;
    vcpu_skip_insn(v, e);
    if (!(v->regs.rflags & RFLAGS_IF)) {
        vm_stop(v->vm, false, "halted with interrupts disabled (HLT at RIP %#lx, RFLAGS %#lx): nothing can wake it",
                (unsigned long)rip, (unsigned long)v->regs.rflags);
        return EXIT_ACTION_STOP;
    }
    v->halted = true;
    return EXIT_ACTION_RESUME;
}
REGISTER_EXIT_HANDLER(hlt, EXIT_HLT, hlt_exit);
