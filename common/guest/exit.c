/**
 * @file exit.c
 * @brief guest_exit(): report the guest's status to the hypervisor.
 */
#include "guest/guest.h"

void guest_exit(uint32_t status)
{
    /* A 32-bit OUT, as QEMU's isa-debug-exit and Spectrum's emulation of
     * it expect (FACTS.md); the hypervisor stops the VM on this write. */
    guest_outl(GUEST_DEBUG_EXIT_PORT, status);
    for (;;) {
        guest_cli();
        guest_hlt();
    }
}
