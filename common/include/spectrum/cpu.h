/**
 * @file cpu.h
 * @brief Descriptor tables and traps: GDT + TSS, IDT, the trap frame.
 */
#ifndef SPECTRUM_CPU_H
#define SPECTRUM_CPU_H

#include <stddef.h>
#include <stdint.h>

/** GDT selectors.  CS/DS match boot.S so the switch is seamless. */
#define SEL_CODE64 0x08  /**< 64-bit kernel code */
#define SEL_DATA   0x10  /**< kernel data */
#define SEL_TSS    0x18  /**< a 16-byte system descriptor: slots 3 and 4 */

/** @brief 64-bit Task-State Segment, SDM Vol. 3A §9.7 Figure 9-11. */
struct tss64 {
    uint32_t reserved0;     /**< reserved */
    uint64_t rsp[3];        /**< stacks for privilege changes to CPL 0..2 */
    uint64_t reserved1;     /**< reserved */
    uint64_t ist[7];        /**< IST1..IST7: known-good stacks for chosen vectors */
    uint64_t reserved2;     /**< reserved */
    uint16_t reserved3;     /**< reserved */
    uint16_t iomap_base;    /**< offset of the I/O bitmap; >= limit means none */
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "SDM Vol. 3A Figure 9-11: 104 bytes");
_Static_assert(offsetof(struct tss64, ist) == 0x24, "IST1 at offset 0x24");
_Static_assert(offsetof(struct tss64, iomap_base) == 0x66, "I/O map base at 0x66");

/**
 * @brief Registers saved on a trap, in stack order (isr.S pushes them).
 *
 * The hardware part (rip..ss) is the 64-bit interrupt stack frame,
 * SDM Vol. 3A §7.14.2 Figure 7-9; isr.S pushes an error code of 0 for
 * vectors whose exception has none, so the layout is always the same.
 */
struct trap_frame {
    uint64_t r15;       /**< saved R15 (pushed last by isr.S) */
    uint64_t r14;       /**< saved R14 */
    uint64_t r13;       /**< saved R13 */
    uint64_t r12;       /**< saved R12 */
    uint64_t r11;       /**< saved R11 */
    uint64_t r10;       /**< saved R10 */
    uint64_t r9;        /**< saved R9 */
    uint64_t r8;        /**< saved R8 */
    uint64_t rbp;       /**< saved RBP */
    uint64_t rdi;       /**< saved RDI */
    uint64_t rsi;       /**< saved RSI */
    uint64_t rdx;       /**< saved RDX */
    uint64_t rcx;       /**< saved RCX */
    uint64_t rbx;       /**< saved RBX */
    uint64_t rax;       /**< saved RAX (pushed first by isr.S) */
    uint64_t vector;    /**< pushed by the stub */
    uint64_t error;     /**< CPU error code, or 0 */
    uint64_t rip;       /**< interrupted RIP (pushed by the CPU) */
    uint64_t cs;        /**< interrupted CS */
    uint64_t rflags;    /**< interrupted RFLAGS */
    uint64_t rsp;       /**< interrupted RSP */
    uint64_t ss;        /**< interrupted SS */
};
_Static_assert(offsetof(struct trap_frame, vector) == 15 * 8, "isr.S pushes 15 GPRs");
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap frame size");

/** @brief Handles a trap; may change @p f (e.g. advance rip) and return. */
typedef void (*trap_handler_fn)(struct trap_frame *f);

/** @brief Build and load the final GDT with the TSS (and its IST stacks). */
void gdt_init(void);
/** @brief Build and load the IDT; every vector starts at the fatal reporter. */
void idt_init(void);
/** @brief Route @p vector to @p fn instead of the fatal reporter. */
void trap_set_handler(uint8_t vector, trap_handler_fn fn);
/** @brief Print the frame, CR2 and a backtrace, then stop the machine (fail). */
void trap_report_fatal(const struct trap_frame *f) __attribute__((noreturn));
/** @brief Name of exception vector @p v ("#PF" ...), or "interrupt". */
const char *trap_name(uint64_t v);
/**
 * @brief Print the return addresses on the frame-pointer chain starting at
 *        @p rbp (stops at a null, unaligned or off-stack frame).
 */
void backtrace_print(uint64_t rbp);

#endif
