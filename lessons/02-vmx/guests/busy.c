/**
 * @file busy.c
 * @brief Guest "busy": a guest that never exits on its own still gets its
 *        timer interrupts on time, and cannot put the CPU to sleep.
 *
 *  1. MONITOR and MWAIT raise #UD and CPUID.1:ECX.MONITOR[bit 3] is 0:
 *     the hypervisor does not offer them (SDM Vol. 2B "MWAIT").
 *  2. With the PIT at 1 kHz on IRQ0 (as guests/timer.c programs it), it
 *     spins with interrupts on - no HLT, no port access, no exit of its
 *     own - until 100 ticks arrived.  Only the hypervisor's time slice
 *     brings the CPU back so that the emulated PIT can deliver them; the
 *     guest gives up after 2 s of its own TSC time.
 * Exit status: a bit per failed check.
 */
#include "guest/guest.h"
#include "guest/idt.h"
#include "pc_timer.h"
#include "spectrum/x86_bits.h"

#define PIT_COUNT  1193u              /* 1 kHz */
#define TICKS      100u
#define IRQ0_VECTOR 0x20
#define GIVE_UP_S  2
#define CPUID_1_ECX_MONITOR (1u << 3)

enum {
    FAIL_MONITOR_CPUID = 1 << 0,
    FAIL_MONITOR_RAN = 1 << 1,
    FAIL_MWAIT_RAN = 1 << 2,
    FAIL_CALIBRATION = 1 << 3,
    FAIL_TOO_FEW_TICKS = 1 << 4,
};

static volatile unsigned ticks, ud_count;

static void on_irq0(struct guest_trap *t)
{
    (void)t;
    ticks++;
    guest_outb(PC_PIC1_CMD, PC_PIC_EOI);
}

static void on_ud(struct guest_trap *t)
{
    ud_count++;
    t->ip += 3;                       /* MONITOR 0F 01 C8, MWAIT 0F 01 C9 */
}

static int check_mwait(void)
{
    int failed = 0;
    bool advertised = guest_cpuid(1, 0).ecx & CPUID_1_ECX_MONITOR;
    if (advertised)
        failed |= FAIL_MONITOR_CPUID;
    static volatile uint64_t line;
    unsigned before = ud_count;
    __asm__ volatile("monitor" ::"a"(&line), "c"(0), "d"(0) : "memory");
    bool monitor_ud = ud_count == before + 1;
    before = ud_count;
    __asm__ volatile("mwait" ::"a"(0), "c"(0) : "memory");
    bool mwait_ud = ud_count == before + 1;
    if (!monitor_ud)
        failed |= FAIL_MONITOR_RAN;
    if (!mwait_ud)
        failed |= FAIL_MWAIT_RAN;
    guest_printf("busy: CPUID MONITOR bit %u, MONITOR %s, MWAIT %s\n", advertised ? 1u : 0u,
                 monitor_ud ? "raised #UD" : "RAN", mwait_ud ? "raised #UD" : "RAN");
    return failed;
}

int guest_main(void)
{
    guest_idt_init();
    guest_idt_set_handler(EXC_UD, on_ud);
    guest_idt_set_handler(IRQ0_VECTOR, on_irq0);
    int failed = check_mwait();

    uint64_t hz = pc_tsc_hz();
    if (!hz) {
        failed |= FAIL_CALIBRATION;
        hz = 1000000000u;
    }
    pc_pic_init(IRQ0_VECTOR, 0xfe, 0xff);   /* only IRQ0, as guests/timer.c */
    pc_pit_periodic(PIT_COUNT);

    /* From here on: no exits of our own until TICKS ticks came. */
    uint64_t t0 = guest_rdtsc(), limit = t0 + GIVE_UP_S * hz, now = t0;
    guest_sti();
    while (ticks < TICKS && now < limit)
        now = guest_rdtsc();
    guest_cli();
    unsigned got = ticks;
    guest_outb(PC_PIC1_DATA, 0xff);
    if (got < TICKS)
        failed |= FAIL_TOO_FEW_TICKS;
    guest_printf("busy: %u ticks at 1000 Hz while spinning with IF=1 for %llu us\n", got,
                 (unsigned long long)((now - t0) * 1000000u / hz));
    guest_printf("busy: checks %s (%#x)\n", failed ? "FAILED" : "passed", (unsigned)failed);
    return failed;
}
