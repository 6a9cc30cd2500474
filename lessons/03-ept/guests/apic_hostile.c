/**
 * @file apic_hostile.c
 * @brief Hostile guest for the local APIC: every access the SDM says
 *        software must not make (Vol. 3A §11.4.1: only aligned 32-bit
 *        accesses to the register page), writes to read-only registers and
 *        reserved bits, the timer's extremes, and the ICR with every
 *        delivery mode and shorthand.  The host picks the case through the
 *        mailbox (HOSTILE_APIC_MMIO, HOSTILE_APIC_TIMER, HOSTILE_APIC_ICR).
 *
 * Spectrum may stop the VM at any step (with a message) or let it go on:
 * either is fine, as long as it never crashes, hangs or touches memory
 * outside the guest.  Steps most likely to end the VM come last.
 */
#include "apic_regs.h"
#include "guest/guest.h"
#include "irq_guest.h"
#include "irq_hostile.h"

#define L(reg) (LAPIC_BASE_DEFAULT + (reg))

static const uint32_t read_only[] = { LAPIC_VERSION, LAPIC_APR, LAPIC_PPR, LAPIC_RRD, LAPIC_ISR, LAPIC_ISR + 0x70,
                                      LAPIC_TMR, LAPIC_TMR + 0x70, LAPIC_IRR, LAPIC_IRR + 0x70,
                                      LAPIC_TIMER_CCR };
/* 0x2F0 is the LVT CMCI register, which this APIC (max LVT 5) lacks. */
static const uint32_t lvts[] = { 0x2F0, LAPIC_LVT_TIMER, LAPIC_LVT_THERMAL, LAPIC_LVT_PMC,
                                 LAPIC_LVT_LINT0, LAPIC_LVT_LINT1, LAPIC_LVT_ERROR };
#define N(a) (sizeof(a) / sizeof((a)[0]))

static int apic_mmio(void)
{
    const char *w = "apic-mmio";
    hostile_step(w, "version register");
    uint32_t ver = guest_lapic_read(LAPIC_VERSION);
    hostile_step(w, "byte, word and straddling dword reads");
    uint64_t sum = hostile_load(L(0x21), 1) + hostile_load(L(0x22), 2) + hostile_load(L(0x23), 4) +
                   hostile_load(L(0x7E), 4) + hostile_load(L(0x3F3), 2);
    hostile_step(w, "8-byte reads of TPR, ICR and the last register");
    sum += hostile_load(L(LAPIC_TPR), 8) + hostile_load(L(LAPIC_ICR_LO), 8) + hostile_load(L(LAPIC_TIMER_DCR), 8);
    hostile_step(w, "reads of reserved offsets 0x0, 0x10, 0x40, 0x3f0, 0xff0, 0xff8");
    sum += guest_lapic_read(0x000) + guest_lapic_read(0x010) + guest_lapic_read(0x040) + guest_lapic_read(0x3F0) + guest_lapic_read(0xFF0) +
           hostile_load(L(0xFF8), 8);
    hostile_step(w, "writes to read-only registers");
    for (unsigned i = 0; i < N(read_only); i++)
        guest_lapic_write(read_only[i], 0xFFFFFFFFu);
    hostile_step(w, "reserved bits in every LVT entry, DCR, SVR, TPR, LDR, DFR, ESR, ID");
    for (unsigned i = 0; i < N(lvts); i++)
        guest_lapic_write(lvts[i], 0xFFFFFFFFu);
    guest_lapic_write(LAPIC_TIMER_DCR, 0xFFFFFFFFu);
    guest_lapic_write(LAPIC_SVR, 0xFFFFFFFFu);
    guest_lapic_write(LAPIC_TPR, 0xFFFFFFFFu);
    guest_lapic_write(LAPIC_LDR, 0xFFFFFFFFu);
    guest_lapic_write(LAPIC_DFR, 0);
    guest_lapic_write(LAPIC_ESR, 0xFFFFFFFFu);
    guest_lapic_write(LAPIC_ID, 0xFFFFFFFFu);
    guest_lapic_write(LAPIC_EOI, 0xFFFFFFFFu);     /* EOI with nothing in service, non-zero value */
    guest_printf("hostile: apic-mmio: LVT timer %#x, DCR %#x, SVR %#x, TPR %#x, ID %#x, ESR %#x\n",
                 (unsigned)guest_lapic_read(LAPIC_LVT_TIMER), (unsigned)guest_lapic_read(LAPIC_TIMER_DCR),
                 (unsigned)guest_lapic_read(LAPIC_SVR), (unsigned)guest_lapic_read(LAPIC_TPR), (unsigned)guest_lapic_read(LAPIC_ID),
                 (unsigned)guest_lapic_read(LAPIC_ESR));
    hostile_step(w, "byte and word writes, an 8-byte write of TPR");
    hostile_store(L(LAPIC_TPR + 1), 1, 0xAB);
    hostile_store(L(LAPIC_TPR + 2), 2, 0xABCD);
    hostile_store(L(LAPIC_TPR), 8, 0x1234567800000010ull);
    guest_lapic_write(LAPIC_TPR, 0);
    guest_lapic_write(LAPIC_SVR, SVR_ENABLE | 0x2F);
    hostile_window(20);
    uint32_t ver2 = guest_lapic_read(LAPIC_VERSION);
    guest_printf("hostile: apic-mmio: version %#x before, %#x after (checksum %llu, %u interrupts)\n",
                 (unsigned)ver, (unsigned)ver2, (unsigned long long)sum, hostile_irqs);
    hostile_step(w, "a dword read that runs off the end of the APIC page");
    sum += hostile_load(L(0xFFE), 4);
    hostile_step(w, "an 8-byte write that runs off the end of the APIC page");
    hostile_store(L(0xFFC), 8, ~0ull);
    hostile_step(w, "survived");
    return 0;
}

static int apic_timer(void)
{
    const char *w = "apic-timer";
    uint64_t hz = irq_tsc_hz("hostile");
    hostile_step(w, "software enable, divide 0b1011, initial count 0xffffffff");
    guest_lapic_write(LAPIC_SVR, SVR_ENABLE | 0x2F);
    guest_lapic_write(LAPIC_TIMER_DCR, LAPIC_DCR_DIV1);
    guest_lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | 0x28);
    guest_lapic_write(LAPIC_TIMER_ICR, 0xFFFFFFFFu);
    uint32_t c1 = guest_lapic_read(LAPIC_TIMER_CCR), c2 = guest_lapic_read(LAPIC_TIMER_CCR);
    guest_printf("hostile: apic-timer: current count %#x then %#x\n", (unsigned)c1, (unsigned)c2);
    hostile_step(w, "periodic, initial count 1, divide 1, unmasked: 10 ms window");
    unsigned before = hostile_irqs;
    guest_lapic_write(LAPIC_LVT_TIMER, LVT_MODE(LVT_TIMER_PERIODIC) | 0x28);
    guest_lapic_write(LAPIC_TIMER_ICR, 1);
    uint64_t t0 = guest_rdtsc();
    while (guest_rdtsc() - t0 < irq_us_to_tsc(hz, 10000))
        hostile_window(10);
    guest_lapic_write(LAPIC_TIMER_ICR, 0);
    guest_printf("hostile: apic-timer: %u interrupts from a count-1 periodic timer in 10 ms\n",
                 hostile_irqs - before);
    hostile_step(w, "one-shot, initial count 1");
    guest_lapic_write(LAPIC_LVT_TIMER, LVT_MODE(LVT_TIMER_ONESHOT) | 0x28);
    guest_lapic_write(LAPIC_TIMER_ICR, 1);
    hostile_window(20);
    hostile_step(w, "reserved timer mode 0b11, vector 3 (illegal) unmasked");
    guest_lapic_write(LAPIC_LVT_TIMER, (3u << 17) | 0x28);
    guest_lapic_write(LAPIC_TIMER_ICR, 100);
    hostile_window(20);
    guest_lapic_write(LAPIC_LVT_TIMER, LVT_MODE(LVT_TIMER_ONESHOT) | 3);
    guest_lapic_write(LAPIC_TIMER_ICR, 1);
    hostile_window(20);
    guest_lapic_write(LAPIC_TIMER_ICR, 0);
    hostile_step(w, "TSC deadlines in the past, at 1, at ~0 and 0");
    guest_lapic_write(LAPIC_LVT_TIMER, LVT_MODE(LVT_TIMER_DEADLINE) | 0x28);
    guest_wrmsr(MSR_IA32_TSC_DEADLINE, guest_rdtsc() - 1000);
    hostile_window(20);
    guest_wrmsr(MSR_IA32_TSC_DEADLINE, 1);
    hostile_window(20);
    guest_wrmsr(MSR_IA32_TSC_DEADLINE, ~0ull);
    hostile_window(20);
    guest_wrmsr(MSR_IA32_TSC_DEADLINE, 0);
    hostile_step(w, "initial count written in TSC-deadline mode, then mode switches while armed");
    guest_lapic_write(LAPIC_TIMER_ICR, 1);
    guest_wrmsr(MSR_IA32_TSC_DEADLINE, guest_rdtsc() + 1000000);
    guest_lapic_write(LAPIC_LVT_TIMER, LVT_MODE(LVT_TIMER_PERIODIC) | 0x28);
    guest_lapic_write(LAPIC_TIMER_ICR, 1000);
    guest_lapic_write(LAPIC_LVT_TIMER, LVT_MODE(LVT_TIMER_DEADLINE) | 0x28);
    hostile_window(20);
    guest_lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
    guest_printf("hostile: apic-timer: %u interrupts in all\n", hostile_irqs);
    hostile_step(w, "survived");
    return 0;
}

/* Delivery modes, the riskiest (INIT, SIPI, SMI) last. */
static const uint32_t modes[] = { ICR_DM(APIC_DM_FIXED), ICR_DM(APIC_DM_LOWEST), ICR_DM(APIC_DM_NMI), ICR_DM(APIC_DM_EXTINT), ICR_DM(3),
                                  ICR_DM(APIC_DM_SMI), ICR_DM(APIC_DM_STARTUP), ICR_DM(APIC_DM_INIT) };
static const char *const mode_names[] = { "fixed", "lowest", "NMI", "ExtINT", "reserved 3", "SMI", "SIPI", "INIT" };

static void icr_send(uint32_t dest, uint32_t low)
{
    guest_lapic_write(LAPIC_ICR_HI, dest << 24);
    guest_lapic_write(LAPIC_ICR_LO, low);
    for (unsigned i = 0; i < 1000 && (guest_lapic_read(LAPIC_ICR_LO) & LVT_PENDING); i++)
        guest_pause();
}

static int apic_icr(void)
{
    const char *w = "apic-icr";
    hostile_step(w, "software enable, flat logical model, logical id 1");
    guest_lapic_write(LAPIC_SVR, SVR_ENABLE | 0x2F);
    guest_lapic_write(LAPIC_DFR, 0xFFFFFFFFu);    /* flat model */
    guest_lapic_write(LAPIC_LDR, 1u << 24);
    /* Other CPUs first: IDs 1, 2, 0xFF (broadcast), logical 0xFE, "all but self". */
    for (unsigned m = 0; m < N(modes); m++) {
        guest_printf("hostile: %s: %s to ids 1, 2, 0xff, logical 0xfe, all-but-self\n", w, mode_names[m]);
        uint32_t low = modes[m] | ICR_LEVEL_ASSERT | 0x2C;
        icr_send(1, low);
        icr_send(2, low);
        icr_send(0xFF, low);
        icr_send(0xFE, low | ICR_DEST_LOGICAL);
        icr_send(0, low | ICR_SH(ICR_SH_OTHERS));
        icr_send(1, modes[m] | ICR_TRIGGER_LEVEL | 0x2C);   /* level de-assert */
        hostile_window(10);
    }
    guest_printf("hostile: %s: %u interrupts, %u NMIs so far\n", w, hostile_irqs, hostile_nmis);
    /* Then ourselves: by shorthand "self" (fixed only is valid), "all
     * including self", and our own ID. */
    uint32_t self = guest_lapic_read(LAPIC_ID) >> 24;
    for (unsigned m = 0; m < N(modes); m++) {
        guest_printf("hostile: %s: %s to self, all-including-self and id %u\n", w, mode_names[m], (unsigned)self);
        uint32_t low = modes[m] | ICR_LEVEL_ASSERT | 0x2D;
        icr_send(0, low | ICR_SH(ICR_SH_SELF));
        hostile_window(10);
        icr_send(0, low | ICR_SH(ICR_SH_ALL));
        hostile_window(10);
        icr_send(self, low);
        hostile_window(10);
    }
    guest_printf("hostile: %s: %u interrupts, %u NMIs\n", w, hostile_irqs, hostile_nmis);
    hostile_step(w, "survived");
    return 0;
}

int guest_main(void)
{
    hostile_init();
    hostile_lapic = true;
    switch (plat_request()) {
    case HOSTILE_APIC_MMIO: return apic_mmio();
    case HOSTILE_APIC_TIMER: return apic_timer();
    case HOSTILE_APIC_ICR: return apic_icr();
    default: guest_printf("hostile: apic: no case in the mailbox (%u)\n", (unsigned)plat_request()); return 1;
    }
}
