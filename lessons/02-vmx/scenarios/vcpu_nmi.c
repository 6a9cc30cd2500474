/**
 * @file vcpu_nmi.c
 * @brief Scenario "vcpu-nmi": an NMI for the host arrives while a guest
 *        runs; the host handles it and the guest never sees it.
 *
 * To make one on purpose, the host's I/O APIC is told to deliver the
 * host PIT's interrupt line as an NMI (redirection entry of input 2,
 * where ISA IRQ0 lands on PCs and in both emulators; delivery mode 100b
 * "NMI", 82093AA I/O APIC data sheet §3.2.4), the PIT is armed to fire a
 * few milliseconds later, and a guest computes for 50 ms with interrupts
 * off (guests/svm_spin.S, EDI = 1).  Without NMI exiting (VMX) the NMI
 * would be delivered through the guest's IDT - this guest has none, so it
 * would triple fault; without a host NMI handler the host would report a
 * fatal exception.  Passes when the guest finished normally, at least one
 * host-NMI exit happened, and the host's NMI count went up.  The I/O APIC
 * entry is masked again afterwards.
 */
#include "host/host_irq.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/tsc.h"
#include "spectrum/x86.h"
#include "vcpu/hvm_guest.h"

extern const char svm_spin64_start[], svm_spin64_end[];

#define IOAPIC_BASE    0xfec00000ul   /* the PC's I/O APIC (MP spec §3.6.2; both emulators) */
#define IOAPIC_REGSEL  0x00
#define IOAPIC_WIN     0x10
#define IOAPIC_REDIR(pin) (0x10 + 2 * (pin))
#define REDIR_NMI      (4u << 8)      /* delivery mode NMI, physical destination, edge, active high */
#define REDIR_MASKED   (1u << 16)
#define PIT_INPUT      2              /* ISA IRQ0 -> I/O APIC input 2 */
#define NMI_AFTER_MS   5
#define SPIN_MS        50
#define SPIN_MEM       (2u << 20)

static void ioapic_write(unsigned reg, uint32_t value)
{
    volatile uint32_t *io = (volatile uint32_t *)IOAPIC_BASE;
    io[IOAPIC_REGSEL / 4] = reg;
    io[IOAPIC_WIN / 4] = value;
}

static bool vcpu_nmi(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("vcpu-nmi"))
        return false;
    uint32_t apic_id = cpuid(1, 0).ebx >> 24;   /* CPUID.1:EBX[31:24], the initial APIC ID */
    struct vm vm;
    struct exit_stats st = { 0 };
    vm_init(&vm, "nmi-spin", SPIN_MEM);
    struct vcpu *v = hvm_guest_create(&vm, svm_spin64_start, (size_t)(svm_spin64_end - svm_spin64_start),
                                      VCPU_MODE_LONG64);
    if (v) {
        v->regs.gpr[GPR_RDI] = 1;
        v->regs.gpr[GPR_RSI] = tsc_hz() / 1000 * SPIN_MS;
    }
    uint64_t nmis_before = host_nmi_count();
    ioapic_write(IOAPIC_REDIR(PIT_INPUT) + 1, apic_id << 24);
    ioapic_write(IOAPIC_REDIR(PIT_INPUT), REDIR_NMI);
    host_timer_arm(rdtsc() + tsc_hz() / 1000 * NMI_AFTER_MS);
    bool passed = hvm_guest_run(&vm, v, &st) && vm.exit_code == 0;
    ioapic_write(IOAPIC_REDIR(PIT_INPUT), REDIR_MASKED);
    uint64_t host_nmis = host_nmi_count() - nmis_before;
    kprintf("vcpu-nmi: guest %s, %lu host-nmi exits, host NMI handler ran %lu times\n",
            passed ? "finished normally" : "FAILED", (unsigned long)st.count[EXIT_HOST_NMI],
            (unsigned long)host_nmis);
    vm_destroy(&vm);
    return passed && st.count[EXIT_HOST_NMI] >= 1 && host_nmis >= st.count[EXIT_HOST_NMI];
}
REGISTER_SCENARIO(vcpu_nmi, "vcpu-nmi", "lesson 02: a host NMI while a guest runs goes to the host", vcpu_nmi, 0);
