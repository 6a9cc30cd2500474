/**
 * @file storm.c
 * @brief Guest "storm": a #GP handler that returns to the faulting
 *        instruction, so RDMSR of an MSR that does not exist faults for
 *        ever - every time an exit that makes no progress.
 *
 * On bare metal this guest hangs in a tight fault loop.  Under Spectrum
 * every iteration is an RDMSR exit at the same RIP whose handler injects
 * #GP without moving RIP: the exit-storm watchdog (vcpu/loop.h) must stop
 * the VM and say so.  If the guest ever got past the RDMSR it would exit
 * with status 1.
 */
#include "guest/guest.h"
#include "guest/idt.h"
#include "spectrum/x86_bits.h"

static void on_gp_retry(struct guest_trap *t)
{
    (void)t;    /* deliberately not skipping the instruction */
}

int guest_main(void)
{
    guest_idt_init();
    guest_idt_set_handler(EXC_GP, on_gp_retry);
    guest_printf("storm: RDMSR 0x1234 with a #GP handler that retries it\n");
    (void)guest_rdmsr(0x1234);
    return 1;
}
