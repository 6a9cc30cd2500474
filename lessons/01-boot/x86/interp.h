/**
 * @file interp.h
 * @brief The lesson-01 x86 interpreter: runs a guest entirely in software,
 *        one decoded instruction at a time ("S" on the PV/HVM spectrum).
 *
 * The interpreter owns a software CPU (::interp_cpu) and executes the
 * guest's instructions against the VM's memory and port bus:
 *
 *  - fetch: the bytes at CS:rIP, read through the bounds-checked guest
 *    memory interface (vm/gmem.h), never past the CS limit or the end of
 *    guest memory;
 *  - decode: x86_decode() (x86/decode.h) turns them into an ::x86_insn;
 *  - execute: one handler per mnemonic updates the registers, RFLAGS and
 *    memory, and sends IN/OUT to portbus_read()/portbus_write().
 *
 * Two modes, chosen when the interpreter is created and fixed afterwards
 * (there is no mode switch through CR0):
 *
 *  - ::INTERP_MODE_REAL: real-address mode (SDM Vol. 3A §22.1): linear =
 *    selector * 16 + offset, 64 KiB segments, an interrupt vector table
 *    (IVT) at linear address 0 for INT n, INT3, INTO, BOUND and \#DE.
 *  - ::INTERP_MODE_FLAT32: 32-bit protected mode with flat 4 GiB segments
 *    based at 0 and paging off, the state a multiboot loader or Linux's
 *    32-bit boot protocol hands over.  No descriptor tables: segment loads,
 *    far transfers and software interrupts stop the VM.
 *
 * Everything the guest controls is hostile.  Whatever the guest does, the
 * interpreter either executes it exactly or stops the VM with vm_stop()
 * and a "guest fault at CS:IP (linear ...): bytes ..: reason" report; it
 * never touches memory outside the guest and never runs longer than its
 * instruction budget.  The policies this file commits to:
 *
 *  - Memory: an access must fit inside its segment's limit (real mode:
 *    offset + size - 1 <= 0xFFFF, where the CPU would raise \#GP/\#SS,
 *    SDM Vol. 3A §22.1.1) and inside guest memory.  16-bit address
 *    arithmetic wraps at 64 KiB first (SDM Vol. 1 §3.3.6).  There is no A20
 *    wrap: a real-mode linear address at or above 1 MiB (FFFF:0010 and up)
 *    is simply outside a 1 MiB guest and stops the VM, as if A20 were
 *    enabled and the high memory area absent.
 *  - HLT: no interrupt can ever arrive (lesson 01 has no interrupt
 *    controller), so HLT ends the guest.  That is a failure ("halted
 *    without reporting an exit status") unless ::interp.halt_passes is set.
 *  - Exceptions: in real mode \#DE (divide error, vector 0), \#BR (BOUND,
 *    vector 5), INT3, INTO and INT n are delivered through the guest's IVT;
 *    an IVT entry of 0000:0000 means the guest installed no handler and
 *    the VM stops with a message naming the vector.  Everything else a CPU
 *    would raise (\#UD, \#GP, \#SS, \#PF) and every instruction the interpreter
 *    does not implement stops the VM.
 *  - Undefined flags (SDM Vol. 1 Appendix A): one fixed value per case,
 *    mostly what QEMU TCG produces (e.g. AF = 0 after logic and shifts,
 *    the count-1 OF rule for every shift count, SF/ZF/PF of the low half
 *    after MUL, flags unchanged by DIV, BSF/BSR and BT), documented at
 *    each instruction in interp_alu.c, interp_muldiv.c and interp_bits.c.
 *  - RDTSC reads a virtual counter, the number of instructions executed;
 *    CPUID reports a fixed "SpectrumEmul" CPU (interp_system.c).
 */
#ifndef SPECTRUM_X86_INTERP_H
#define SPECTRUM_X86_INTERP_H

#include <stdbool.h>
#include <stdint.h>

#include "x86/decode.h"

struct vm;

/** Default instruction budget (the insn_limit= option overrides it): twice
 *  what the largest lesson-01 guest needs (the sieve at N = 65536 runs
 *  2.45 million instructions), small enough that a runaway guest is
 *  stopped within a minute even on Bochs, the slowest engine (~100k
 *  interpreted instructions per second of wall-clock time there). */
#define INTERP_DEFAULT_INSN_LIMIT 5000000ull

/** @name RFLAGS bits (SDM Vol. 1 §3.4.3, Figure 3-8) */
/**@{*/
#define INTERP_FL_CF   0x00000001u /**< carry */
#define INTERP_FL_1    0x00000002u /**< reserved, always 1 */
#define INTERP_FL_PF   0x00000004u /**< parity of the low result byte */
#define INTERP_FL_AF   0x00000010u /**< auxiliary carry out of bit 3 */
#define INTERP_FL_ZF   0x00000040u /**< zero */
#define INTERP_FL_SF   0x00000080u /**< sign */
#define INTERP_FL_TF   0x00000100u /**< trap (single step) */
#define INTERP_FL_IF   0x00000200u /**< interrupt enable */
#define INTERP_FL_DF   0x00000400u /**< direction of string instructions */
#define INTERP_FL_OF   0x00000800u /**< signed overflow */
#define INTERP_FL_IOPL 0x00003000u /**< I/O privilege level */
#define INTERP_FL_NT   0x00004000u /**< nested task */
#define INTERP_FL_RF   0x00010000u /**< resume */
#define INTERP_FL_VM   0x00020000u /**< virtual-8086 mode */
#define INTERP_FL_AC   0x00040000u /**< alignment check */
#define INTERP_FL_ID   0x00200000u /**< CPUID available (toggles) */
/** The six status flags of arithmetic instructions (SDM Vol. 1 §3.4.3.1). */
#define INTERP_FL_ARITH (INTERP_FL_CF | INTERP_FL_PF | INTERP_FL_AF | INTERP_FL_ZF | \
                         INTERP_FL_SF | INTERP_FL_OF)
/**@}*/

/** Processor mode of an interpreted guest, fixed at creation. */
enum interp_mode {
    INTERP_MODE_REAL = 16,   /**< real-address mode, 16-bit code */
    INTERP_MODE_FLAT32 = 32, /**< 32-bit protected mode, flat segments, no paging */
};

/** A segment register: the visible selector and the hidden part the CPU
 *  caches when it is loaded (SDM Vol. 3A §3.4.3). */
struct interp_seg {
    uint16_t selector; /**< visible part */
    uint32_t base;     /**< linear address of offset 0 */
    uint32_t limit;    /**< highest valid offset */
};

/** The software CPU's architectural state. */
struct interp_cpu {
    uint64_t gpr[16];           /**< rAX..r15, numbered as ::x86_gpr */
    uint64_t rip;               /**< offset of the next instruction in CS */
    uint64_t rflags;            /**< RFLAGS (INTERP_FL_*) */
    struct interp_seg seg[6];   /**< ES, CS, SS, DS, FS, GS (::x86_seg order) */
};

/** One interpreted guest: its CPU, its VM and the run's bookkeeping. */
struct interp {
    struct interp_cpu cpu;  /**< architectural state */
    struct vm *vm;          /**< memory, ports, stop state */
    enum interp_mode mode;  /**< real or flat 32-bit */
    uint64_t insn_limit;    /**< stop the VM when @c insns reaches this */
    uint64_t insns;         /**< instructions executed (each REP iteration counts) */
    bool halt_passes;       /**< HLT ends the guest successfully */
    uint64_t insn_rip;      /**< rIP of the instruction being executed */
    uint8_t fetched;        /**< bytes of it a fault report shows */
    bool decoded;           /**< they are in insn.bytes (else in bytes[]) */
    uint8_t bytes[X86_MAX_INSN_LEN]; /**< the bytes at CS:rIP when decoding failed */
    x86_insn insn;          /**< the instruction being executed */
};

/**
 * @brief Prepare @p it to run @p vm's guest in @p mode.
 *
 * Registers are zero, RFLAGS is 0x2 (bit 1 is always set), rIP is 0.
 * Real mode: every selector 0, base 0, limit 0xFFFF.  Flat 32-bit mode:
 * CS = 0x08, the data segments 0x10, base 0, limit 0xFFFFFFFF (the
 * selectors are only what the guest reads back; no GDT exists).  The
 * budget is ::INTERP_DEFAULT_INSN_LIMIT and HLT is a failure.
 */
void interp_init(struct interp *it, struct vm *vm, enum interp_mode mode);

/**
 * @brief Load segment register @p seg with @p selector as real-mode code
 *        would (base = selector * 16, SDM Vol. 3A §22.1).  Only meaningful
 *        in real mode; in flat mode the call is ignored.
 */
void interp_set_segment(struct interp *it, enum x86_seg seg, uint16_t selector);

/**
 * @brief Execute one instruction (for a REP string instruction, as many
 *        iterations as the budget allows, see interp_string.c).
 * @return whether the VM is still running afterwards.
 */
bool interp_step(struct interp *it);

/**
 * @brief Run until the VM stops: the guest exits through the debug-exit
 *        port, halts, faults or exhausts its budget.
 * @return instructions executed by this call.
 */
uint64_t interp_run(struct interp *it);

#endif
