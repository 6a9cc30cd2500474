/**
 * @file x86_bits.h
 * @brief Architectural constants, defined once: control-register, EFER,
 *        RFLAGS and debug-register bits, the MSR numbers every lesson
 *        uses, and the exception vectors.
 *
 * Vendor-specific numbers (the VMX capability MSRs, the VMCB layout) live
 * with their back end; everything the CPU architecture itself defines is
 * here, so a reader finds a bit's meaning and its manual section in one
 * place.  Macros only (and pure inline functions in C), so boot.S, hosted
 * unit tests and guests can include it too.
 *
 * In C every bit is a 64-bit constant: with a 32-bit 0x80000000, the
 * expression `cr0 & ~CR0_PG` would clear the upper half of @c cr0 too.
 */
#ifndef SPECTRUM_X86_BITS_H
#define SPECTRUM_X86_BITS_H

#ifdef __ASSEMBLER__
#define X86_BIT(n) (1 << (n))
#else
/** Bit @p n as a 64-bit constant (a plain shift in assembly). */
#define X86_BIT(n) (1ull << (n))
#endif

/* ---- CR0, SDM Vol. 3A §2.5 Figure 2-7 / APM Vol. 2 §3.1.1 ---- */
#define CR0_PE X86_BIT(0)   /**< protection enable */
#define CR0_MP X86_BIT(1)   /**< monitor coprocessor (WAIT honours TS) */
#define CR0_EM X86_BIT(2)   /**< emulation: x87 instructions raise \#NM */
#define CR0_TS X86_BIT(3)   /**< task switched: next x87/SSE use raises \#NM */
#define CR0_ET X86_BIT(4)   /**< extension type (reads 1 on every x86-64 CPU) */
#define CR0_NE X86_BIT(5)   /**< native x87 error reporting (VMX requires it) */
#define CR0_WP X86_BIT(16)  /**< ring 0 honours read-only pages */
#define CR0_AM X86_BIT(18)  /**< alignment-check mask */
#define CR0_NW X86_BIT(29)  /**< not write-through */
#define CR0_CD X86_BIT(30)  /**< cache disable */
#define CR0_PG X86_BIT(31)  /**< paging */
/** Every CR0 bit the architecture defines; the others are reserved. */
#define CR0_DEFINED (CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_NW | CR0_CD | CR0_PG)
/** The bits LMSW can write: PE, MP, EM, TS (SDM Vol. 2A "LMSW"). */
#define CR0_LMSW_BITS (CR0_PE | CR0_MP | CR0_EM | CR0_TS)

/* ---- CR4, SDM Vol. 3A §2.5 Figure 2-8 / APM Vol. 2 §3.1.3 ---- */
#define CR4_VME        X86_BIT(0)   /**< virtual-8086 mode extensions */
#define CR4_PVI        X86_BIT(1)   /**< protected-mode virtual interrupts */
#define CR4_TSD        X86_BIT(2)   /**< RDTSC only at CPL 0 */
#define CR4_DE         X86_BIT(3)   /**< debugging extensions */
#define CR4_PSE        X86_BIT(4)   /**< 4 MiB pages in 32-bit paging */
#define CR4_PAE        X86_BIT(5)   /**< PAE paging, required by long mode */
#define CR4_MCE        X86_BIT(6)   /**< machine-check enable */
#define CR4_PGE        X86_BIT(7)   /**< global pages */
#define CR4_PCE        X86_BIT(8)   /**< RDPMC at any CPL */
#define CR4_OSFXSR     X86_BIT(9)   /**< FXSAVE/FXRSTOR and SSE enabled by the OS */
#define CR4_OSXMMEXCPT X86_BIT(10)  /**< unmasked SIMD exceptions raise \#XM */
#define CR4_UMIP       X86_BIT(11)  /**< SGDT/SIDT/... only at CPL 0 */
#define CR4_LA57       X86_BIT(12)  /**< 5-level paging */
#define CR4_VMXE       X86_BIT(13)  /**< VMX enable */
#define CR4_SMXE       X86_BIT(14)  /**< SMX enable */
#define CR4_FSGSBASE   X86_BIT(16)  /**< RDFSBASE & co. */
#define CR4_PCIDE      X86_BIT(17)  /**< process-context identifiers */
#define CR4_OSXSAVE    X86_BIT(18)  /**< XSAVE and XGETBV/XSETBV enabled */
#define CR4_SMEP       X86_BIT(20)  /**< supervisor-mode execution prevention */
#define CR4_SMAP       X86_BIT(21)  /**< supervisor-mode access prevention */
#define CR4_PKE        X86_BIT(22)  /**< protection keys */
#define CR4_CET        X86_BIT(23)  /**< control-flow enforcement */
/** Bits 0-10 exist on every x86-64 CPU (SDM Vol. 3A §2.5). */
#define CR4_BASE (CR4_VME | CR4_PVI | CR4_TSD | CR4_DE | CR4_PSE | CR4_PAE | CR4_MCE | CR4_PGE | CR4_PCE | \
                  CR4_OSFXSR | CR4_OSXMMEXCPT)

/* ---- IA32_EFER, SDM Vol. 4 Table 2-2 / APM Vol. 2 §3.1.7 ---- */
#define EFER_SCE   X86_BIT(0)   /**< SYSCALL/SYSRET enable */
#define EFER_LME   X86_BIT(8)   /**< long mode enable */
#define EFER_LMA   X86_BIT(10)  /**< long mode active (set by the CPU) */
#define EFER_NXE   X86_BIT(11)  /**< no-execute page protection */
#define EFER_SVME  X86_BIT(12)  /**< AMD: SVM enable */
#define EFER_FFXSR X86_BIT(14)  /**< AMD: fast FXSAVE/FXRSTOR (APM Vol. 2 §3.1.7) */
#define EFER_TCE   X86_BIT(15)  /**< AMD: translation cache extension (APM Vol. 2 §3.1.7) */

/* ---- RFLAGS, SDM Vol. 1 §3.4.3 Figure 3-8 ---- */
#define RFLAGS_CF    X86_BIT(0)   /**< carry */
#define RFLAGS_FIXED X86_BIT(1)   /**< reserved, always reads 1 */
/* Status flags (lesson 03's MMIO emulation writes them, SDM Vol. 1 §3.4.3.1). */
#define RFLAGS_PF    X86_BIT(2)   /**< parity of the result's low byte (even) */
#define RFLAGS_AF    X86_BIT(4)   /**< auxiliary carry out of bit 3 */
#define RFLAGS_ZF    X86_BIT(6)   /**< zero */
#define RFLAGS_SF    X86_BIT(7)   /**< sign */
#define RFLAGS_OF    X86_BIT(11)  /**< signed overflow */
#define RFLAGS_TF    X86_BIT(8)   /**< trap flag: single-step */
#define RFLAGS_IF    X86_BIT(9)   /**< interrupt enable */
#define RFLAGS_DF    X86_BIT(10)  /**< direction */
#define RFLAGS_RF    X86_BIT(16)  /**< resume flag */
#define RFLAGS_VM    X86_BIT(17)  /**< virtual-8086 mode */

/* ---- Debug registers, SDM Vol. 3B §19.2 / APM Vol. 2 §13.1 ---- */
#define DR6_BS       X86_BIT(14)  /**< single-step trap (RFLAGS.TF) caused the \#DB */
#define DR6_INIT     0xffff0ff0   /**< reset value (APM Vol. 2 §14.1.3 Table 14-1) */
#define DR7_INIT     0x400        /**< reset value: bit 10 reads 1, no breakpoint enabled */

/* ---- MSRs every lesson uses, SDM Vol. 4 Table 2-2 ---- */
#define MSR_IA32_TSC             0x00000010  /**< time-stamp counter */
#define MSR_IA32_APIC_BASE       0x0000001b  /**< local APIC base and enable */
#define MSR_IA32_FEATURE_CONTROL 0x0000003a  /**< lock + VMX enable bits (firmware) */
#define MSR_IA32_MTRRCAP         0x000000fe  /**< MTRR capabilities */
#define MSR_IA32_SYSENTER_CS     0x00000174  /**< SYSENTER target CS */
#define MSR_IA32_SYSENTER_ESP    0x00000175  /**< SYSENTER target stack */
#define MSR_IA32_SYSENTER_EIP    0x00000176  /**< SYSENTER target RIP */
#define MSR_IA32_MISC_ENABLE     0x000001a0  /**< miscellaneous feature switches */
#define MSR_IA32_DEBUGCTL        0x000001d9  /**< LBR/BTF debug controls */
#define MSR_IA32_PAT             0x00000277  /**< page-attribute table */
#define MSR_IA32_TSC_DEADLINE    0x000006e0  /**< local APIC timer deadline (SDM Vol. 3A §11.5.4.1) */
#define MSR_IA32_MTRR_DEF_TYPE   0x000002ff  /**< default memory type, MTRR enable */
#define MSR_EFER                 0xc0000080  /**< extended feature enables */
#define MSR_STAR                 0xc0000081  /**< SYSCALL/SYSRET selectors (and legacy EIP) */
#define MSR_LSTAR                0xc0000082  /**< SYSCALL target RIP, 64-bit callers */
#define MSR_CSTAR                0xc0000083  /**< SYSCALL target RIP, compatibility-mode callers */
#define MSR_SFMASK               0xc0000084  /**< RFLAGS bits SYSCALL clears */
#define MSR_FS_BASE              0xc0000100  /**< FS base */
#define MSR_GS_BASE              0xc0000101  /**< GS base */
#define MSR_KERNEL_GS_BASE       0xc0000102  /**< what SWAPGS exchanges with GS base */

/** IA32_PAT at reset: WB WT UC- UC, twice (SDM Vol. 3A §13.12.4 Table 13-12). */
#define PAT_POWER_ON 0x0007040600070406

/* ---- Exception vectors, SDM Vol. 3A §7.15 Table 7-1 / APM Vol. 2 §8.2 ---- */
#define EXC_DE 0   /**< divide error */
#define EXC_DB 1   /**< debug */
#define EXC_NMI 2  /**< non-maskable interrupt */
#define EXC_BP 3   /**< breakpoint (INT3) */
#define EXC_OF 4   /**< overflow (INTO) */
#define EXC_UD 6   /**< invalid opcode */
#define EXC_NM 7   /**< device not available */
#define EXC_DF 8   /**< double fault */
#define EXC_TS 10  /**< invalid TSS */
#define EXC_NP 11  /**< segment not present */
#define EXC_SS 12  /**< stack fault */
#define EXC_GP 13  /**< general protection */
#define EXC_PF 14  /**< page fault */
#define EXC_MF 16  /**< x87 floating-point error */
#define EXC_AC 17  /**< alignment check */
#define EXC_MC 18  /**< machine check */
#define EXC_XM 19  /**< SIMD floating-point */
#define EXC_CP 21  /**< control protection */
#define EXC_VC 29  /**< AMD: VMM communication */
#define EXC_SX 30  /**< AMD: security exception */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

/**
 * @brief Does exception @p vector push an error code?  \#DF, \#TS, \#NP,
 *        \#SS, \#GP, \#PF, \#AC, \#CP, and AMD's \#VC and \#SX (SDM Vol. 3A
 *        Table 7-1, APM Vol. 2 Table 8-1).  Interrupts (vector >= 32)
 *        never do.
 */
static inline bool x86_exception_has_error(unsigned vector)
{
    return vector == EXC_DF || (vector >= EXC_TS && vector <= EXC_PF) || vector == EXC_AC || vector == EXC_CP ||
           vector == EXC_VC || vector == EXC_SX;
}

/**
 * @brief Is @p addr canonical for a CPU with 48-bit linear addresses
 *        (bits 63:47 all equal, SDM Vol. 1 §3.3.7.1)?  WRMSR of a
 *        non-canonical base or entry point raises \#GP, and VM entry
 *        refuses such a guest-state value (SDM Vol. 3C §27.3.1).
 */
static inline bool x86_canonical48(uint64_t addr)
{
    uint64_t top = addr >> 47;
    return top == 0 || top == 0x1ffff;
}

/**
 * @brief Is @p pat a valid IA32_PAT value: every byte one of the memory
 *        types 0 (UC), 1 (WC), 4 (WT), 5 (WP), 6 (WB), 7 (UC-)?  WRMSR
 *        raises \#GP otherwise (SDM Vol. 3A §13.12.2).
 */
static inline bool x86_pat_valid(uint64_t pat)
{
    for (int i = 0; i < 8; i++) {
        unsigned type = (unsigned)(pat >> (8 * i)) & 0xff;
        if (type == 2 || type == 3 || type > 7)
            return false;
    }
    return true;
}
#endif

#endif
