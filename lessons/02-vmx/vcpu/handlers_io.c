/**
 * @file handlers_io.c
 * @brief Port I/O exits: IN and OUT go to the VM's port bus (lesson 01),
 *        so the same device models serve the interpreter and VT-x/AMD-V.
 *
 * Both back ends intercept every port (SVM: an I/O permission map with all
 * bits set, APM Vol. 2 §15.10.1; VMX: unconditional I/O exiting or all-ones
 * I/O bitmaps, SDM Vol. 3C §26.1.3), so the guest never touches a real
 * port.  IN of 1 or 2 bytes replaces AL or AX and keeps the rest of RAX;
 * IN of 4 bytes writes EAX, which zero-extends into RAX (SDM Vol. 1
 * §3.4.1.1).  OUT sends the low 1, 2 or 4 bytes of RAX.
 *
 * String I/O (INS/OUTS, with or without REP) would have to move data
 * between ports and guest memory through the guest's page tables, with
 * its segment, direction flag and address size.  No lesson-02 guest uses
 * it, so the VM is stopped with a message saying so rather than
 * emulating it half right.
 */
#include "vcpu/exit.h"

static enum exit_action io_exit(struct vcpu *v, const struct vm_exit *e)
{
    unsigned size = e->io.size;
    if (size != 1 && size != 2 && size != 4) {
        vm_stop(v->vm, false, "I/O exit with operand size %u at RIP %#lx", size, (unsigned long)v->regs.rip);
        return EXIT_ACTION_STOP;
    }
    if (e->io.string) {
        vm_stop(v->vm, false, "string port I/O (%s%s, port %#x) at RIP %#lx is not supported in lesson 02",
                e->io.rep ? "rep " : "", e->io.in ? "ins" : "outs", e->io.port, (unsigned long)v->regs.rip);
        return EXIT_ACTION_STOP;
    }
    uint64_t *rax = &v->regs.gpr[GPR_RAX];
    if (e->io.in) {
        uint32_t value = portbus_read(v->vm, e->io.port, size);
        if (size == 4)
            *rax = value;
        else {
            uint64_t mask = size == 1 ? 0xffull : 0xffffull;
            *rax = (*rax & ~mask) | (value & mask);
        }
    } else {
        uint32_t mask = size == 4 ? 0xffffffffu : size == 2 ? 0xffffu : 0xffu;
        portbus_write(v->vm, e->io.port, size, (uint32_t)*rax & mask);
    }
    vcpu_skip_insn(v, e);
    return EXIT_ACTION_RESUME;
}
REGISTER_EXIT_HANDLER(io, EXIT_IO, io_exit);
