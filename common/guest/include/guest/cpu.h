/**
 * @file cpu.h
 * @brief The guest runtime's wrappers for the x86 instructions C cannot
 *        express: port I/O, CPUID, MSRs, TSC, HLT, CLI/STI.
 *
 * Written once for every guest width: the same source compiles with
 * `-m64`, `-m32` and `-m16` (GCC's `.code16gcc`, 32-bit operations with
 * size prefixes, for the lesson-01 interpreter).  So nothing here may use
 * a 64-bit-only register or instruction; 64-bit values travel as two
 * 32-bit halves, as the instructions themselves define them
 * (RDMSR/WRMSR/RDTSC use EDX:EAX, SDM Vol. 2B).
 */
#ifndef GUEST_CPU_H
#define GUEST_CPU_H

#include <stdint.h>

/** @brief OUT of a byte (SDM Vol. 2B "OUT"). */
static inline void guest_outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
/** @brief OUT of a 16-bit word. */
static inline void guest_outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port)); }
/** @brief OUT of a 32-bit dword. */
static inline void guest_outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port)); }

/** @brief IN of a byte (SDM Vol. 2A "IN"). */
static inline uint8_t guest_inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/** @brief IN of a 16-bit word. */
static inline uint16_t guest_inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/** @brief IN of a 32-bit dword. */
static inline uint32_t guest_inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/** @brief The four registers CPUID returns. */
struct guest_cpuid {
    uint32_t eax; /**< EAX output */
    uint32_t ebx; /**< EBX output */
    uint32_t ecx; /**< ECX output */
    uint32_t edx; /**< EDX output */
};

/** @brief CPUID of @p leaf / @p subleaf (SDM Vol. 2A "CPUID"). */
static inline struct guest_cpuid guest_cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct guest_cpuid r;
    __asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

/** @brief RDMSR of @p msr (SDM Vol. 2B "RDMSR"): EDX:EAX. */
static inline uint64_t guest_rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

/** @brief WRMSR of @p v to @p msr (SDM Vol. 2B "WRMSR"). */
static inline void guest_wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

/** @brief RDTSC (SDM Vol. 2B "RDTSC"): the time-stamp counter. */
static inline uint64_t guest_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/** @brief HLT: wait for the next interrupt. */
static inline void guest_hlt(void) { __asm__ volatile("hlt" ::: "memory"); }

/**
 * @brief STI; HLT back to back.  STI delays interrupt recognition by one
 *        instruction (SDM Vol. 2B "STI"), so an interrupt that is already
 *        pending is taken *after* HLT starts waiting, never in between
 *        where it would be missed.
 */
static inline void guest_sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

/** @brief CLI: mask maskable interrupts. */
static inline void guest_cli(void) { __asm__ volatile("cli" ::: "memory"); }
/** @brief STI: unmask maskable interrupts. */
static inline void guest_sti(void) { __asm__ volatile("sti" ::: "memory"); }
/** @brief PAUSE: spin-loop hint. */
static inline void guest_pause(void) { __asm__ volatile("pause"); }

/** @brief The FLAGS register (bit 9 is IF, SDM Vol. 1 §3.4.3). */
static inline unsigned long guest_read_flags(void)
{
    unsigned long v;
    __asm__ volatile("pushf; pop %0" : "=r"(v));
    return v;
}

#endif
