/**
 * @file x86.h
 * @brief Thin inline wrappers for x86 instructions C cannot express:
 *        port I/O, MSRs, control and debug registers, CPUID, TSC.
 */
#ifndef SPECTRUM_X86_H
#define SPECTRUM_X86_H

#include <stdint.h>

/** @brief Write a byte to an I/O port. */
static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
/** @brief Write a 16-bit word to an I/O port. */
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port)); }
/** @brief Write a 32-bit dword to an I/O port. */
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port)); }
/** @brief Read a byte from an I/O port. */
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
/** @brief Read a 16-bit word from an I/O port. */
static inline uint16_t inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
/** @brief Read a 32-bit dword from an I/O port. */
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

/** @brief Read a model-specific register (RDMSR, SDM Vol. 2B). */
static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

/** @brief Write a model-specific register (WRMSR, SDM Vol. 2B). */
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/** @brief Result of one CPUID leaf. */
struct cpuid_regs {
    uint32_t eax; /**< EAX output */
    uint32_t ebx; /**< EBX output */
    uint32_t ecx; /**< ECX output */
    uint32_t edx; /**< EDX output */
};

/** @brief Execute CPUID for @p leaf / @p subleaf. */
static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_regs r;
    __asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

/** @brief Read the time-stamp counter. */
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/** Define read_crN()/write_crN() for control register @p n. */
#define X86_READ_CR(n)                                                   \
    static inline uint64_t read_cr##n(void)                              \
    {                                                                    \
        uint64_t v;                                                      \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                \
        return v;                                                        \
    }                                                                    \
    static inline void write_cr##n(uint64_t v)                           \
    {                                                                    \
        __asm__ volatile("mov %0, %%cr" #n ::"r"(v) : "memory");          \
    }
X86_READ_CR(0)
X86_READ_CR(2)
X86_READ_CR(3)
X86_READ_CR(4)
#undef X86_READ_CR

/** @brief Read DR6, the debug status register (MOV from DR6, SDM Vol. 3B §19.2.3). */
static inline uint64_t read_dr6(void)
{
    uint64_t v;
    __asm__ volatile("mov %%db6, %0" : "=r"(v));
    return v;
}

/** @brief Write DR6 (software clears its sticky status bits, SDM Vol. 3B §19.2.3). */
static inline void write_dr6(uint64_t v)
{
    __asm__ volatile("mov %0, %%db6" ::"r"(v));
}

/** @brief Read RFLAGS. */
static inline uint64_t read_rflags(void)
{
    uint64_t v;
    __asm__ volatile("pushfq; popq %0" : "=r"(v));
    return v;
}

/** @brief Halt until the next interrupt. */
static inline void cpu_hlt(void) { __asm__ volatile("hlt"); }
/** @brief Mask maskable interrupts. */
static inline void cpu_cli(void) { __asm__ volatile("cli" ::: "memory"); }
/** @brief Unmask maskable interrupts. */
static inline void cpu_sti(void) { __asm__ volatile("sti" ::: "memory"); }
/** @brief Spin-loop hint. */
static inline void cpu_pause(void) { __asm__ volatile("pause"); }

#endif
