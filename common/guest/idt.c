/**
 * @file idt.c
 * @brief The guest's IDT: interrupt gates to isr.S's stubs, and the
 *        dispatcher they call.
 */
#include "guest/idt.h"

#include "guest/guest.h"

/** Gate type "interrupt gate" (IF cleared on entry), present, DPL 0:
 *  SDM Vol. 3A §7.11 Figure 7-2 (32-bit) and §7.14.1 Figure 7-8 (64-bit). */
#define GATE_PRESENT_INT 0x8E

#if defined(__x86_64__)
/** 64-bit IDT gate, SDM Vol. 3A §7.14.1 Figure 7-8. */
struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;          /* 0: no stack switch */
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "64-bit gates are 16 bytes");

/** LIDT operand in 64-bit mode: limit + 8-byte base (SDM Vol. 3A §2.4.4). */
struct idt_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_ptr) == 10, "64-bit pseudo-descriptor");
#else
/** 32-bit IDT gate, SDM Vol. 3A §7.11 Figure 7-2. */
struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t zero;
    uint8_t type_attr;
    uint16_t offset_hi;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 8, "32-bit gates are 8 bytes");

/** LIDT operand in 32-bit mode: limit + 4-byte base (SDM Vol. 3A §2.4.4). */
struct idt_ptr {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_ptr) == 6, "32-bit pseudo-descriptor");
#endif

_Static_assert(offsetof(struct idt_gate, type_attr) == 5, "type/attributes in byte 5");

/** The stubs' entry points, in isr.S. */
extern const unsigned long guest_isr_table[GUEST_IDT_VECTORS];

static struct idt_gate idt[GUEST_IDT_VECTORS] __attribute__((aligned(16)));
static guest_trap_fn handlers[GUEST_IDT_VECTORS];

void guest_idt_init(void)
{
    uint16_t cs;
    /* The hypervisor built the GDT; use whatever code selector we run on. */
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    for (unsigned v = 0; v < GUEST_IDT_VECTORS; v++) {
        unsigned long off = guest_isr_table[v];
        struct idt_gate *g = &idt[v];
        g->offset_lo = (uint16_t)off;
        g->selector = cs;
        g->type_attr = GATE_PRESENT_INT;
#if defined(__x86_64__)
        g->ist = 0;
        g->offset_mid = (uint16_t)(off >> 16);
        g->offset_hi = (uint32_t)(off >> 32);
        g->reserved = 0;
#else
        g->zero = 0;
        g->offset_hi = (uint16_t)(off >> 16);
#endif
        handlers[v] = 0;
    }
    struct idt_ptr p = { sizeof idt - 1, (unsigned long)idt };
    __asm__ volatile("lidt %0" ::"m"(p) : "memory");
}

void guest_idt_set_handler(unsigned vector, guest_trap_fn fn)
{
    if (vector < GUEST_IDT_VECTORS)
        handlers[vector] = fn;
}

void guest_trap_dispatch(struct guest_trap *t)
{
    if (t->vector < GUEST_IDT_VECTORS && handlers[t->vector]) {
        handlers[t->vector](t);
        return;
    }
    guest_printf("guest: unhandled %s %lu (error %#lx) at ip %#lx\n",
                 t->vector < 32 ? "exception" : "interrupt", t->vector, t->error, t->ip);
    guest_exit(GUEST_EXIT_UNHANDLED_TRAP + (uint32_t)t->vector);
}
