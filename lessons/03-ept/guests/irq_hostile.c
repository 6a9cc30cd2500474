/**
 * @file irq_hostile.c
 * @brief The hostile guests' shared pieces (irq_hostile.h).
 */
#include "irq_hostile.h"

#include "apic_regs.h"
#include "guest/guest.h"
#include "guest/idt.h"
#include "ioapic_regs.h"

volatile unsigned hostile_irqs;
volatile unsigned hostile_nmis;
bool hostile_lapic;
bool hostile_ioapic;

/* Interrupts taken in the current hostile_window(). */
static volatile unsigned window_irqs;

/* An interrupt: counted, and acknowledged at the local APIC and both
 * 8259s (whichever sent it; an EOI with nothing in service is harmless).
 * A source faster than its handler (the PIT at count 1: 1.19 MHz) would
 * take every instruction the guest has - an interrupt is pending again
 * the moment IRET sets IF - so, as an OS does with a screaming line, the
 * handler masks every source once a window has seen HOSTILE_WINDOW_IRQS. */
static void on_irq(struct guest_trap *t)
{
    (void)t;
    hostile_irqs++;
    if (++window_irqs == HOSTILE_WINDOW_IRQS) {
        guest_printf("hostile: interrupt storm (%u in one window): masking every source\n", window_irqs);
        guest_outb(0x21, 0xFF);
        guest_outb(0xA1, 0xFF);
        if (hostile_lapic)
            guest_lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
        /* A level-triggered pin whose line stays asserted is delivered
         * again after every EOI (82093AA §3.2.4, remote IRR). */
        for (unsigned pin = 0; hostile_ioapic && pin < 24; pin++)
            guest_ioapic_write(IOAPIC_REDIR_LO(pin), (uint32_t)IOREDIR_MASKED);
    }
    if (hostile_lapic)
        guest_lapic_write(LAPIC_EOI, 0);
    guest_outb(0xA0, 0x20);
    guest_outb(0x20, 0x20);
}

static void on_nmi(struct guest_trap *t)
{
    (void)t;
    hostile_nmis++;
}

/* Vectors 0-15 other than NMI are exceptions (or, from a device that
 * ignored the rule that they are illegal, interrupts): returning from a
 * fault would run the faulting instruction again, so end the guest. */
static void on_exception(struct guest_trap *t)
{
    guest_printf("hostile: vector %lu (error %#lx) at RIP %#lx: ending the guest\n", t->vector, t->error, t->ip);
    guest_exit(HOSTILE_EXIT_EXCEPTION + (uint32_t)t->vector);
}

void hostile_init(void)
{
    guest_idt_init();
    for (unsigned v = 0; v < GUEST_IDT_VECTORS; v++)
        guest_idt_set_handler(v, v == 2 ? on_nmi : v < 16 ? on_exception : on_irq);
    guest_outb(0x21, 0xFF);
    guest_outb(0xA1, 0xFF);
    guest_cli();
}

void hostile_step(const char *what, const char *step)
{
    guest_printf("hostile: %s: %s\n", what, step);
}

void hostile_window(unsigned exits)
{
    window_irqs = 0;
    guest_sti();
    for (unsigned i = 0; i < exits; i++)
        (void)guest_inb(0x80);   /* an exit: Spectrum injects only at VM entry */
    guest_cli();
}

uint64_t hostile_load(uintptr_t addr, unsigned size)
{
    uint64_t v = 0;
    switch (size) {
    case 1: __asm__ volatile("movzbq (%1), %0" : "=r"(v) : "r"(addr) : "memory"); break;
    case 2: __asm__ volatile("movzwq (%1), %0" : "=r"(v) : "r"(addr) : "memory"); break;
    case 4: {
        uint32_t w;
        __asm__ volatile("movl (%1), %0" : "=r"(w) : "r"(addr) : "memory");
        v = w;
        break;
    }
    default: __asm__ volatile("movq (%1), %0" : "=r"(v) : "r"(addr) : "memory"); break;
    }
    return v;
}

void hostile_store(uintptr_t addr, unsigned size, uint64_t v)
{
    switch (size) {
    case 1: __asm__ volatile("movb %b0, (%1)" ::"r"(v), "r"(addr) : "memory"); break;
    case 2: __asm__ volatile("movw %w0, (%1)" ::"r"(v), "r"(addr) : "memory"); break;
    case 4: __asm__ volatile("movl %k0, (%1)" ::"r"(v), "r"(addr) : "memory"); break;
    default: __asm__ volatile("movq %0, (%1)" ::"r"(v), "r"(addr) : "memory"); break;
    }
}
