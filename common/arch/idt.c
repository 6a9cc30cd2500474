/**
 * @file idt.c
 * @brief The IDT, the trap dispatcher and the fatal-exception reporter.
 *
 * Every vector starts routed to trap_report_fatal(): an exception in the
 * hypervisor itself is a bug, and the most useful thing to do is to print
 * everything a student needs to find it (vector, error code, RIP, CR2,
 * registers, backtrace) and stop the machine with a failing status.
 */
#include "spectrum/cpu.h"
#include "spectrum/exercise.h"

#include "spectrum/console.h"
#include "spectrum/ksyms.h"
#include "spectrum/machine.h"
#include "spectrum/x86.h"

extern const uint64_t isr_stub_table[256];
extern const uint8_t boot_stack_bottom[], boot_stack_top[];
extern const uint8_t *ist_stack_bottom, *ist_stack_top;

/** 64-bit IDT gate descriptor, SDM Vol. 3A §7.14.1 Figure 7-8. */
struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;        /**< bits 0-2: IST index, 0 = current stack */
    uint8_t type_attr;  /**< P | DPL | type (0xE = 64-bit interrupt gate) */
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "SDM Vol. 3A Figure 7-8: 16-byte gates");

static struct idt_gate idt[256] __attribute__((aligned(16)));
static trap_handler_fn handlers[256];
static int reporting;   /* >0 while printing a fatal report */

static void set_gate(int v, uint64_t addr, uint8_t ist)
{
    idt[v].offset_lo = (uint16_t)addr;
    idt[v].selector = SEL_CODE64;
    idt[v].ist = ist;
    idt[v].type_attr = 0x8E;   /* present, DPL 0, interrupt gate (IF cleared) */
    idt[v].offset_mid = (uint16_t)(addr >> 16);
    idt[v].offset_hi = (uint32_t)(addr >> 32);
    idt[v].reserved = 0;
}

void idt_init(void)
{
    for (int v = 0; v < 256; v++)
        set_gate(v, isr_stub_table[v], 0);
    /* Known-good stacks (gdt.c): #DF may come from a stack overflow, NMI and
     * #MC can arrive at any instruction (SDM Vol. 3A §7.14.5). */
    set_gate(8, isr_stub_table[8], 1);
    set_gate(2, isr_stub_table[2], 2);
    set_gate(18, isr_stub_table[18], 3);

    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } p = { sizeof idt - 1, (uint64_t)(uintptr_t)idt };
    __asm__ volatile("lidt %0" ::"m"(p) : "memory");
}

void trap_set_handler(uint8_t vector, trap_handler_fn fn)
{
    handlers[vector] = fn;
}

const char *trap_name(uint64_t v)
{
    /* SDM Vol. 3A Table 7-1. */
    static const char *const names[32] = {
        "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
        "#BR bound range", "#UD invalid opcode", "#NM device not available",
        "#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
        "#NP segment not present", "#SS stack fault", "#GP general protection",
        "#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check",
        "#MC machine check", "#XM SIMD exception", "#VE virtualization exception",
        "#CP control protection", "reserved 22", "reserved 23", "reserved 24",
        "reserved 25", "reserved 26", "reserved 27", "#HV hypervisor injection",
        "#VC VMM communication", "#SX security exception", "reserved 31",
    };
    return v < 32 ? names[v] : "interrupt";
}

static int on_known_stack(uint64_t a)
{
    uint64_t bs = (uint64_t)(uintptr_t)boot_stack_bottom, bt = (uint64_t)(uintptr_t)boot_stack_top;
    uint64_t is = (uint64_t)(uintptr_t)ist_stack_bottom, it = (uint64_t)(uintptr_t)ist_stack_top;
    return (a >= bs && a + 16 <= bt) || (a >= is && a + 16 <= it);
}

static void print_frame(int depth, uint64_t addr, const char *note)
{
    uint64_t off = 0;
    const char *name = ksym_lookup(addr, &off);
    if (name)
        kprintf("  #%-2d %#018lx %s+%#lx%s\n", depth, (unsigned long)addr, name, (unsigned long)off, note);
    else
        kprintf("  #%-2d %#018lx%s\n", depth, (unsigned long)addr, note);
}

void backtrace_print(uint64_t rbp)
{
    /* EXERCISE 01.backtrace 5 "Walk the saved-RBP chain: each frame holds the caller RBP at [rbp] and the return address at [rbp+8]; stop at NULL, misalignment, a frame off the known stacks or one that does not move up the stack (SysV ABI 3.2.2; SDM Vol. 1 6.2)" */
    kprintf("backtrace:\n");
    for (int depth = 0; depth < 32; depth++) {
        if (!rbp || (rbp & 7) || !on_known_stack(rbp))
            return;
        const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
        uint64_t ret = frame[1];
        if (!ret)
            return;
        print_frame(depth, ret, "");
        if (frame[0] <= rbp)        /* frames must move up the stack */
            return;
        rbp = frame[0];
    }
    /* STUB
    EXERCISE_TODO();
    (void)rbp;
    (void)on_known_stack;
    STUB END */
    /* END EXERCISE 01.backtrace */
}

void trap_report_fatal(const struct trap_frame *f)
{
    if (reporting++) {
        /* A fault while printing the report: say so and stop at once. */
        kprintf("\nspectrum: fault %lu while reporting a fault; stopping\n", (unsigned long)f->vector);
        machine_exit(false);
    }
    kprintf("\n*** EXCEPTION vector %lu (%s) error 0x%lx ***\n", (unsigned long)f->vector,
            trap_name(f->vector), (unsigned long)f->error);
    kprintf("RIP %016lx  CS %04lx  RFLAGS %016lx\n", (unsigned long)f->rip, (unsigned long)f->cs,
            (unsigned long)f->rflags);
    kprintf("RSP %016lx  SS %04lx  CR2 %016lx\n", (unsigned long)f->rsp, (unsigned long)f->ss,
            (unsigned long)read_cr2());
    kprintf("CR0 %016lx  CR3 %016lx  CR4 %016lx\n", (unsigned long)read_cr0(),
            (unsigned long)read_cr3(), (unsigned long)read_cr4());
    kprintf("RAX %016lx  RBX %016lx  RCX %016lx\n", (unsigned long)f->rax, (unsigned long)f->rbx,
            (unsigned long)f->rcx);
    kprintf("RDX %016lx  RSI %016lx  RDI %016lx\n", (unsigned long)f->rdx, (unsigned long)f->rsi,
            (unsigned long)f->rdi);
    kprintf("RBP %016lx  R8  %016lx  R9  %016lx\n", (unsigned long)f->rbp, (unsigned long)f->r8,
            (unsigned long)f->r9);
    kprintf("R10 %016lx  R11 %016lx  R12 %016lx\n", (unsigned long)f->r10, (unsigned long)f->r11,
            (unsigned long)f->r12);
    kprintf("R13 %016lx  R14 %016lx  R15 %016lx\n", (unsigned long)f->r13, (unsigned long)f->r14,
            (unsigned long)f->r15);
    print_frame(0, f->rip, " (faulting instruction)");
    backtrace_print(f->rbp);
    machine_exit(false);
}

/** Called by isr.S with the saved registers. */
void trap_dispatch(struct trap_frame *f);
void trap_dispatch(struct trap_frame *f)
{
    trap_handler_fn fn = handlers[f->vector & 0xff];
    if (fn)
        fn(f);
    else
        trap_report_fatal(f);
}
