/**
 * @file vmcb.h
 * @brief The AMD-V Virtual Machine Control Block: layout and bit names.
 *
 * One 4 KiB page per vCPU (APM Vol. 2 §15.5.1: "the VMCB must be 4-Kbyte
 * aligned"), in two parts:
 *  - the control area (APM Vol. 2 Appendix B, Table B-1), bytes 0x000-0x3FF:
 *    what to intercept, the I/O and MSR permission maps, the ASID, virtual
 *    interrupt control, event injection, and on \#VMEXIT the exit code;
 *  - the state save area (Appendix B, Table B-2), from byte 0x400: the
 *    guest's segment registers, control registers, RIP/RSP/RAX/RFLAGS and
 *    the MSR-like state VMLOAD/VMSAVE move.
 *
 * Every offset below is checked with _Static_assert against the tables, so
 * a typo in a reserved gap cannot silently shift a field.  This header is
 * also compiled hosted (the VMRUN checker's unit test), so it includes
 * nothing from the kernel.
 */
#ifndef SPECTRUM_SVM_VMCB_H
#define SPECTRUM_SVM_VMCB_H

#include <stddef.h>
#include <stdint.h>

/* ---- Intercept vector 3 (VMCB offset 0x00C), APM Vol. 2 Table B-1 ---- */
#define SVM_INTERCEPT_INTR       (1u << 0)   /**< physical INTR */
#define SVM_INTERCEPT_NMI        (1u << 1)   /**< physical NMI */
#define SVM_INTERCEPT_SMI        (1u << 2)   /**< physical SMI */
#define SVM_INTERCEPT_INIT       (1u << 3)   /**< physical INIT */
#define SVM_INTERCEPT_VINTR      (1u << 4)   /**< the guest can take a virtual interrupt (§15.21.4) */
#define SVM_INTERCEPT_INVD       (1u << 22)  /**< INVD would drop the host's dirty cache lines */
#define SVM_INTERCEPT_CPUID      (1u << 18)  /**< CPUID */
#define SVM_INTERCEPT_HLT        (1u << 24)  /**< HLT */
#define SVM_INTERCEPT_INVLPGA    (1u << 26)  /**< INVLPGA names an ASID: host business */
#define SVM_INTERCEPT_IOIO_PROT  (1u << 27)  /**< IN/OUT/INS/OUTS, filtered by the IOPM */
#define SVM_INTERCEPT_MSR_PROT   (1u << 28)  /**< RDMSR/WRMSR, filtered by the MSRPM */
#define SVM_INTERCEPT_SHUTDOWN   (1u << 31)  /**< shutdown (triple fault) */

/* ---- Intercept vector 4 (VMCB offset 0x010), APM Vol. 2 Table B-1 ---- */
#define SVM_INTERCEPT_VMRUN      (1u << 0)   /**< must be set, §15.5.1 */
#define SVM_INTERCEPT_VMMCALL    (1u << 1)   /**< VMMCALL */
#define SVM_INTERCEPT_VMLOAD     (1u << 2)   /**< VMLOAD takes a host-physical address */
#define SVM_INTERCEPT_VMSAVE     (1u << 3)   /**< VMSAVE takes a host-physical address */
#define SVM_INTERCEPT_STGI       (1u << 4)   /**< STGI */
#define SVM_INTERCEPT_CLGI       (1u << 5)   /**< CLGI */
#define SVM_INTERCEPT_SKINIT     (1u << 6)   /**< SKINIT */
#define SVM_INTERCEPT_MONITOR    (1u << 10)  /**< MONITOR (hidden from guests: \#UD) */
#define SVM_INTERCEPT_MWAIT      (1u << 11)  /**< MWAIT, unconditionally */
#define SVM_INTERCEPT_MWAIT_ARMED (1u << 12) /**< MWAIT when a monitor is armed */
#define SVM_INTERCEPT_XSETBV     (1u << 13)  /**< XCR0 is not switched by VMRUN */

/* ---- CR intercepts (VMCB offset 0x000): bit n reads CRn, bit 16+n writes ---- */
#define SVM_INTERCEPT_CR_WRITE(n) (1u << (16 + (n)))  /**< write of CRn */

/* ---- V_INTR fields of the 64-bit word at 0x060, APM Vol. 2 Table B-1 / §15.21 ---- */
#define SVM_VINTR_V_IRQ          (1ull << 8)        /**< a virtual interrupt is pending */
#define SVM_VINTR_PRIO_SHIFT     16                 /**< V_INTR_PRIO, bits 19:16 */
#define SVM_VINTR_IGN_TPR        (1ull << 20)       /**< ignore V_TPR for this interrupt */
#define SVM_VINTR_MASKING        (1ull << 24)       /**< guest RFLAGS.IF masks only virtual interrupts */

/* ---- Interrupt shadow word at 0x068 ---- */
#define SVM_INT_SHADOW           (1ull << 0)        /**< guest is in an STI/MOV SS shadow */

/* ---- TLB_CONTROL (byte at 0x05C), APM Vol. 2 §15.16.1 ---- */
#define SVM_TLB_NOTHING          0                  /**< keep this ASID's TLB entries */
#define SVM_TLB_FLUSH_ALL        1                  /**< flush every ASID's entries */

/* ---- EVENTINJ / EXITINTINFO format, APM Vol. 2 §15.20 Figure 15-4 ---- */
#define SVM_EVENT_VECTOR_MASK    0xffull            /**< bits 7:0 */
#define SVM_EVENT_TYPE_SHIFT     8                  /**< bits 10:8 */
#define SVM_EVENT_TYPE_MASK      (7ull << 8)        /**< the type field */
#define SVM_EVENT_TYPE_INTR      0                  /**< external interrupt */
#define SVM_EVENT_TYPE_NMI       2                  /**< NMI */
#define SVM_EVENT_TYPE_EXCEPTION 3                  /**< fault or trap */
#define SVM_EVENT_TYPE_SOFT_INT  4                  /**< INTn */
#define SVM_EVENT_EV             (1ull << 11)       /**< an error code is pushed */
#define SVM_EVENT_VALID          (1ull << 31)       /**< V: the field is valid */
#define SVM_EVENT_ERROR_SHIFT    32                 /**< error code, bits 63:32 */

/* ---- IOIO EXITINFO1, APM Vol. 2 §15.10.2 Figure 15-2 ---- */
#define SVM_IOIO_TYPE_IN         (1ull << 0)        /**< IN (1) or OUT (0) */
#define SVM_IOIO_STR             (1ull << 2)        /**< INS/OUTS */
#define SVM_IOIO_REP             (1ull << 3)        /**< REP prefix */
#define SVM_IOIO_SZ8             (1ull << 4)        /**< 8-bit operand */
#define SVM_IOIO_SZ16            (1ull << 5)        /**< 16-bit operand */
#define SVM_IOIO_SZ32            (1ull << 6)        /**< 32-bit operand */
#define SVM_IOIO_PORT_SHIFT      16                 /**< port, bits 31:16 */

/* ---- Segment attribute word, APM Vol. 2 §15.5.1 / Table B-2 note:
 *      attrib[7:0] = descriptor bits 47:40 (type, S, DPL, P),
 *      attrib[11:8] = descriptor bits 55:52 (AVL, L, D/B, G). ---- */
#define SVM_SEG_S                (1u << 4)          /**< code/data (not system) */
#define SVM_SEG_P                (1u << 7)          /**< present */
#define SVM_SEG_L                (1u << 9)          /**< 64-bit code */
#define SVM_SEG_DB               (1u << 10)         /**< 32-bit default size */
#define SVM_SEG_G                (1u << 11)         /**< 4 KiB limit granularity */

/** @brief One segment register in the state save area (16 bytes). */
struct vmcb_seg {
    uint16_t selector;  /**< visible selector */
    uint16_t attrib;    /**< packed attributes, see SVM_SEG_* */
    uint32_t limit;     /**< expanded 32-bit limit */
    uint64_t base;      /**< base address */
};
_Static_assert(sizeof(struct vmcb_seg) == 16, "APM Vol. 2 Table B-2: 16-byte segment fields");

/** @brief VMCB control area, APM Vol. 2 Appendix B Table B-1. */
struct vmcb_control {
    uint32_t intercept_cr;        /**< 0x000: CR reads (15:0) / writes (31:16) */
    uint32_t intercept_dr;        /**< 0x004: DR reads / writes */
    uint32_t intercept_exc;       /**< 0x008: exception vectors 0-31 */
    uint32_t intercept_misc1;     /**< 0x00C: intercept vector 3 */
    uint32_t intercept_misc2;     /**< 0x010: intercept vector 4 */
    uint32_t intercept_misc3;     /**< 0x014: intercept vector 5 */
    uint8_t reserved_018[0x03c - 0x018]; /**< reserved */
    uint16_t pause_filter_thresh; /**< 0x03C */
    uint16_t pause_filter_count;  /**< 0x03E */
    uint64_t iopm_base_pa;        /**< 0x040: I/O permission map (12 KiB) */
    uint64_t msrpm_base_pa;       /**< 0x048: MSR permission map (8 KiB) */
    uint64_t tsc_offset;          /**< 0x050: added to the guest's TSC */
    uint32_t guest_asid;          /**< 0x058: address-space ID, never 0 */
    uint8_t tlb_control;          /**< 0x05C: SVM_TLB_* */
    uint8_t reserved_05d[3]; /**< reserved */
    uint64_t vintr;               /**< 0x060: V_TPR, V_IRQ, V_INTR_PRIO, V_IGN_TPR, V_INTR_MASKING, V_INTR_VECTOR */
    uint64_t int_state;           /**< 0x068: bit 0 interrupt shadow */
    uint64_t exitcode;            /**< 0x070: why the guest stopped */
    uint64_t exitinfo1;           /**< 0x078 */
    uint64_t exitinfo2;           /**< 0x080 */
    uint64_t exitintinfo;         /**< 0x088: event being delivered at the exit */
    uint64_t np_enable;           /**< 0x090: bit 0 nested paging (lesson 03) */
    uint64_t avic_apic_bar;       /**< 0x098 */
    uint64_t ghcb_pa;             /**< 0x0A0 */
    uint64_t eventinj;            /**< 0x0A8: event to inject on VMRUN */
    uint64_t n_cr3;               /**< 0x0B0: nested page-table root */
    uint64_t lbr_virt;            /**< 0x0B8 */
    uint32_t clean_bits;          /**< 0x0C0: VMCB state caching (§15.15) */
    uint32_t reserved_0c4; /**< reserved */
    uint64_t nrip;                /**< 0x0C8: next RIP, only with NRIPS (§15.7.1) */
    uint8_t insn_fetched;         /**< 0x0D0: decode assists */
    uint8_t insn_bytes[15];       /**< 0x0D1 */
    uint8_t reserved_0e0[0x400 - 0x0e0]; /**< reserved */
};

/** @brief VMCB state save area, APM Vol. 2 Appendix B Table B-2 (offsets from 0x400). */
struct vmcb_save {
    struct vmcb_seg es;           /**< 0x000 */
    struct vmcb_seg cs;           /**< 0x010 */
    struct vmcb_seg ss;           /**< 0x020 */
    struct vmcb_seg ds;           /**< 0x030 */
    struct vmcb_seg fs;           /**< 0x040 (VMLOAD/VMSAVE) */
    struct vmcb_seg gs;           /**< 0x050 (VMLOAD/VMSAVE) */
    struct vmcb_seg gdtr;         /**< 0x060: only base and limit used */
    struct vmcb_seg ldtr;         /**< 0x070 */
    struct vmcb_seg idtr;         /**< 0x080: only base and limit used */
    struct vmcb_seg tr;           /**< 0x090 */
    uint8_t reserved_0a0[0x0cb - 0x0a0]; /**< reserved */
    uint8_t cpl;                  /**< 0x0CB */
    uint32_t reserved_0cc; /**< reserved */
    uint64_t efer;                /**< 0x0D0 */
    uint8_t reserved_0d8[0x148 - 0x0d8]; /**< reserved */
    uint64_t cr4;                 /**< 0x148 */
    uint64_t cr3;                 /**< 0x150 */
    uint64_t cr0;                 /**< 0x158 */
    uint64_t dr7;                 /**< 0x160 */
    uint64_t dr6;                 /**< 0x168 */
    uint64_t rflags;              /**< 0x170 */
    uint64_t rip;                 /**< 0x178 */
    uint8_t reserved_180[0x1d8 - 0x180]; /**< reserved */
    uint64_t rsp;                 /**< 0x1D8 */
    uint8_t reserved_1e0[0x1f8 - 0x1e0]; /**< reserved */
    uint64_t rax;                 /**< 0x1F8 */
    uint64_t star;                /**< 0x200 */
    uint64_t lstar;               /**< 0x208 */
    uint64_t cstar;               /**< 0x210 */
    uint64_t sfmask;              /**< 0x218 */
    uint64_t kernel_gs_base;      /**< 0x220 */
    uint64_t sysenter_cs;         /**< 0x228 */
    uint64_t sysenter_esp;        /**< 0x230 */
    uint64_t sysenter_eip;        /**< 0x238 */
    uint64_t cr2;                 /**< 0x240 */
    uint8_t reserved_248[0x268 - 0x248]; /**< reserved */
    uint64_t g_pat;               /**< 0x268: guest PAT (used with nested paging) */
    uint64_t dbgctl;              /**< 0x270 */
    uint64_t br_from;             /**< 0x278 */
    uint64_t br_to;               /**< 0x280 */
    uint64_t last_excp_from;      /**< 0x288 */
    uint64_t last_excp_to;        /**< 0x290 */
    uint8_t reserved_298[0xc00 - 0x298]; /**< reserved */
};

/** @brief The whole VMCB page. */
struct vmcb {
    struct vmcb_control control;  /**< 0x000 */
    struct vmcb_save save;        /**< 0x400 */
};

/* Appendix B Table B-1 offsets. */
_Static_assert(offsetof(struct vmcb_control, intercept_misc1) == 0x00c, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, intercept_misc2) == 0x010, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, pause_filter_thresh) == 0x03c, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, iopm_base_pa) == 0x040, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, msrpm_base_pa) == 0x048, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, tsc_offset) == 0x050, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, guest_asid) == 0x058, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, tlb_control) == 0x05c, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, vintr) == 0x060, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, int_state) == 0x068, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, exitcode) == 0x070, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, exitinfo1) == 0x078, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, exitinfo2) == 0x080, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, exitintinfo) == 0x088, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, np_enable) == 0x090, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, eventinj) == 0x0a8, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, n_cr3) == 0x0b0, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, clean_bits) == 0x0c0, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, nrip) == 0x0c8, "Table B-1");
_Static_assert(offsetof(struct vmcb_control, insn_fetched) == 0x0d0, "Table B-1");
_Static_assert(sizeof(struct vmcb_control) == 0x400, "control area is 1 KiB");
/* Appendix B Table B-2 offsets (relative to 0x400). */
_Static_assert(offsetof(struct vmcb_save, gdtr) == 0x060, "Table B-2");
_Static_assert(offsetof(struct vmcb_save, tr) == 0x090, "Table B-2");
_Static_assert(offsetof(struct vmcb_save, cpl) == 0x0cb, "Table B-2");
_Static_assert(offsetof(struct vmcb_save, efer) == 0x0d0, "Table B-2");
_Static_assert(offsetof(struct vmcb_save, cr4) == 0x148, "Table B-2");
_Static_assert(offsetof(struct vmcb_save, cr0) == 0x158, "Table B-2");
_Static_assert(offsetof(struct vmcb_save, dr6) == 0x168, "Table B-2");
_Static_assert(offsetof(struct vmcb_save, rip) == 0x178, "Table B-2");
_Static_assert(offsetof(struct vmcb_save, rsp) == 0x1d8, "Table B-2");
_Static_assert(offsetof(struct vmcb_save, rax) == 0x1f8, "Table B-2");
_Static_assert(offsetof(struct vmcb_save, kernel_gs_base) == 0x220, "Table B-2");
_Static_assert(offsetof(struct vmcb_save, cr2) == 0x240, "Table B-2");
_Static_assert(offsetof(struct vmcb_save, g_pat) == 0x268, "Table B-2");
_Static_assert(offsetof(struct vmcb_save, last_excp_to) == 0x290, "Table B-2");
_Static_assert(offsetof(struct vmcb, save) == 0x400, "state save area at 0x400");
_Static_assert(sizeof(struct vmcb) == 4096, "a VMCB is one page");

/* ---- Sizes of the permission maps, APM Vol. 2 §15.10.1 and §15.11 ---- */
#define SVM_IOPM_SIZE   (12 * 1024)  /**< one bit per port, 64K ports + 3 spill bytes, 3 pages */
#define SVM_MSRPM_SIZE  (8 * 1024)   /**< two bits per MSR in three 8K-MSR ranges, 2 pages */

/* ---- EXITCODE values, APM Vol. 2 Appendix C Table C-1 ---- */
#define SVM_EXIT_CR0_READ       0x000  /**< +n: read of CRn */
#define SVM_EXIT_CR0_WRITE      0x010  /**< +n: write of CRn */
#define SVM_EXIT_EXCP_BASE      0x040  /**< +v: exception vector v */
#define SVM_EXIT_INTR           0x060  /**< physical INTR */
#define SVM_EXIT_NMI            0x061  /**< physical NMI */
#define SVM_EXIT_SMI            0x062  /**< SMI */
#define SVM_EXIT_INIT           0x063  /**< INIT */
#define SVM_EXIT_VINTR          0x064  /**< virtual interrupt window */
#define SVM_EXIT_CPUID          0x072  /**< CPUID */
#define SVM_EXIT_INVD           0x076  /**< INVD */
#define SVM_EXIT_HLT            0x078  /**< HLT */
#define SVM_EXIT_INVLPGA        0x07a  /**< INVLPGA */
#define SVM_EXIT_IOIO           0x07b  /**< port I/O */
#define SVM_EXIT_MSR            0x07c  /**< RDMSR (EXITINFO1 0) / WRMSR (1) */
#define SVM_EXIT_SHUTDOWN       0x07f  /**< shutdown */
#define SVM_EXIT_VMRUN          0x080  /**< VMRUN */
#define SVM_EXIT_VMMCALL        0x081  /**< VMMCALL */
#define SVM_EXIT_VMLOAD         0x082  /**< VMLOAD */
#define SVM_EXIT_VMSAVE         0x083  /**< VMSAVE */
#define SVM_EXIT_STGI           0x084  /**< STGI */
#define SVM_EXIT_CLGI           0x085  /**< CLGI */
#define SVM_EXIT_SKINIT         0x086  /**< SKINIT */
#define SVM_EXIT_MONITOR        0x08a  /**< MONITOR */
#define SVM_EXIT_MWAIT          0x08b  /**< MWAIT */
#define SVM_EXIT_MWAIT_ARMED    0x08c  /**< MWAIT with a monitor armed */
#define SVM_EXIT_XSETBV         0x08d  /**< XSETBV */
#define SVM_EXIT_NPF            0x400  /**< nested page fault */
#define SVM_EXIT_INVALID        0xffffffffu  /**< low 32 bits of -1: VMRUN refused the VMCB */

#endif
