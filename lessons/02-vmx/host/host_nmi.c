/**
 * @file host_nmi.c
 * @brief The host's NMI handler.
 *
 * An NMI cannot be masked by RFLAGS.IF, so one can arrive while a guest
 * runs.  It belongs to the host (a watchdog, a hardware error): both back
 * ends make it exit the guest, and the host handles it here, on its own
 * IST stack (gdt.c).  There is nothing to repair in Spectrum, so the
 * handler counts it; the exit handler says so in the log.  Without this
 * handler an NMI would reach the fatal-exception reporter.
 */
#include "host/host_irq.h"

#include "spectrum/cpu.h"
#include "spectrum/init.h"
#include "spectrum/x86_bits.h"

static volatile uint64_t nmis;

static void host_nmi_handler(struct trap_frame *f)
{
    (void)f;
    nmis++;
}

static void host_nmi_init(void)
{
    trap_set_handler(EXC_NMI, host_nmi_handler);
}
REGISTER_INIT(INIT_PLATFORM, host_nmi_init);

uint64_t host_nmi_count(void)
{
    return nmis;
}

void host_nmi_reflect(void)
{
    __asm__ volatile("int $2" ::: "memory");
}
