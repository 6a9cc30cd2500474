/**
 * @file rt_boot.c
 * @brief The 64-bit prologue's last step in C: say "long mode" with the
 *        control registers that make it so (SDM Vol. 3A §10.8.5).
 *
 * rt16.S calls it on the prologue's stack, before start.S clears .bss, so
 * it touches no static data.
 */
#include "rt_guest.h"

#include "spectrum/x86_bits.h"

/** @brief Print the long-mode line (called from rt16.S only). */
void rt_long_mode_report(void);

void rt_long_mode_report(void)
{
    guest_printf("rt: long mode, CR0 %#lx CR4 %#lx EFER %#lx\n", rt_read_cr0(), rt_read_cr4(),
                 (unsigned long)guest_rdmsr(MSR_EFER));
}
