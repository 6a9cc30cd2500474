/**
 * @file idt.h
 * @brief An IDT for 32-bit and 64-bit guests, so a test guest can take
 *        its own exceptions (\#GP from a refused RDMSR) and the timer
 *        interrupt from the emulated 8259 PIC.
 *
 * guest_idt_init() points vectors 0..GUEST_IDT_VECTORS-1 at stubs in
 * isr.S that save the registers and call the handler registered with
 * guest_idt_set_handler().  A vector nobody handles ends the guest with
 * status GUEST_EXIT_UNHANDLED_TRAP + vector, after printing what arrived.
 * Not available in 16-bit guests (real mode has an IVT, not an IDT).
 */
#ifndef GUEST_IDT_H
#define GUEST_IDT_H

#include <stddef.h>
#include <stdint.h>

#if !defined(__x86_64__) && defined(GUEST_BITS) && GUEST_BITS == 16
#error "guest/idt.h is for 32-bit and 64-bit guests"
#endif

/** Vectors with a stub: the 32 exceptions (SDM Vol. 3A §7.2) and 16
 *  interrupts, enough for two 8259s remapped to 0x20 and 0x28. */
#define GUEST_IDT_VECTORS 48

#if defined(__x86_64__)
#define GUEST_TRAP_GPRS 15  /**< registers isr.S saves in 64-bit mode */
#else
#define GUEST_TRAP_GPRS 8   /**< registers PUSHA saves in 32-bit mode */
#endif

/**
 * @brief Registers saved on a trap, in stack order.  A handler may change
 *        them; the stub restores them and returns with IRET, so changing
 *        @c ip skips the faulting instruction.
 */
struct guest_trap {
    /** The general registers, lowest address first: R15..R8, RBP, RDI,
     *  RSI, RDX, RCX, RBX, RAX as isr.S pushes them (64-bit), or EDI, ESI,
     *  EBP, (ESP), EBX, EDX, ECX, EAX as PUSHA does (32-bit, SDM Vol. 2B
     *  "PUSHA"). */
    unsigned long gpr[GUEST_TRAP_GPRS];
    unsigned long vector;  /**< pushed by the stub */
    unsigned long error;   /**< the CPU's error code, or 0 pushed by the stub */
    unsigned long ip;      /**< return address (the faulting instruction for a fault) */
    unsigned long cs;      /**< code segment */
    unsigned long flags;   /**< RFLAGS/EFLAGS */
};
_Static_assert(offsetof(struct guest_trap, vector) == GUEST_TRAP_GPRS * sizeof(unsigned long),
               "isr.S pushes the registers right below the vector");
#if defined(__x86_64__)
_Static_assert(sizeof(struct guest_trap) == 20 * 8, "64-bit frame: SS:RSP follow, SDM Vol. 3A §7.14.2");
#else
_Static_assert(sizeof(struct guest_trap) == 13 * 4, "same-privilege 32-bit frame, SDM Vol. 3A §7.12.1");
#endif

/** @brief Handles one vector. */
typedef void (*guest_trap_fn)(struct guest_trap *t);

/** @brief Build the IDT (every vector unhandled) and load it with LIDT. */
void guest_idt_init(void);

/** @brief Route @p vector (< GUEST_IDT_VECTORS) to @p fn (NULL: unhandled again). */
void guest_idt_set_handler(unsigned vector, guest_trap_fn fn);

/** @brief Called by isr.S for every trap; dispatches to the handler. */
void guest_trap_dispatch(struct guest_trap *t);

#endif
