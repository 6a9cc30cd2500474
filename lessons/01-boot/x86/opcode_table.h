/**
 * @file opcode_table.h
 * @brief Internal opcode tables of the x86 decoder (not a public API).
 *
 * The tables transcribe the SDM opcode maps (SDM Vol. 2A Appendix A:
 * Table A-2 one-byte map, Table A-3 two-byte map, Table A-6 opcode
 * extensions by ModRM.reg).  Each row says which mnemonic an opcode is, how
 * its operands are encoded (Intel order, destination first, with the SDM's
 * operand-type letters: Eb, Gv, Iz, Jb, ...), how each operand is accessed
 * and which mode/prefix rules apply.  decode.c interprets the rows; no code
 * lives here.
 */
#ifndef SPECTRUM_X86_OPCODE_TABLE_H
#define SPECTRUM_X86_OPCODE_TABLE_H

#include <stdint.h>

#include "x86/decode.h"

/**
 * Operand specifiers, named after SDM Vol. 2A §A.2 "Key to Abbreviations":
 * the capital letter says where the operand is encoded, the lower-case
 * suffix its size (b byte, w word, v 16/32/64 by operand size, z 16/32,
 * ...).
 */
typedef enum x86_opspec {
    X86_OPS_NONE = 0,
    /* ModRM.rm: register or memory */
    X86_OPS_Eb,   /**< byte */
    X86_OPS_Ew,   /**< word */
    X86_OPS_Ev,   /**< operand size */
    X86_OPS_Ez,   /**< word if operand size is 16, else dword (movsxd source) */
    X86_OPS_MwRv, /**< memory: word; register: operand size (mov Sreg, smsw) */
    /* ModRM.rm: memory only */
    X86_OPS_M,    /**< address only, nothing accessed (lea, invlpg) */
    X86_OPS_Mp,   /**< far pointer: offset (operand size) + selector */
    X86_OPS_Ms,   /**< pseudo-descriptor: 6 bytes, 10 in 64-bit mode */
    X86_OPS_Mq,   /**< cmpxchg8b: 8 bytes, 16 with REX.W */
    X86_OPS_Ma,   /**< bound: two operand-size values */
    X86_OPS_Rd,   /**< ModRM.rm as GPR whatever mod says (mov CRn/DRn) */
    /* ModRM.reg */
    X86_OPS_Gb, X86_OPS_Gw, X86_OPS_Gv,
    X86_OPS_Sw,   /**< segment register */
    X86_OPS_Cd,   /**< control register */
    X86_OPS_Dd,   /**< debug register */
    /* immediates and branch displacements */
    X86_OPS_Ib,   /**< imm8, unsigned */
    X86_OPS_Ibs,  /**< imm8 sign-extended to the operand size */
    X86_OPS_Iw,   /**< imm16 */
    X86_OPS_Iz,   /**< imm16/imm32, sign-extended to 64-bit operand size */
    X86_OPS_Iv,   /**< imm16/32/64 (B8+r) */
    X86_OPS_I1,   /**< the implicit count 1 of D0/D1 */
    X86_OPS_Jb,   /**< rel8 */
    X86_OPS_Jz,   /**< rel16/rel32 */
    X86_OPS_Ap,   /**< ptr16:16 / ptr16:32 */
    X86_OPS_Ob,   /**< moffs8 */
    X86_OPS_Ov,   /**< moffs of operand size */
    /* fixed registers */
    X86_OPS_AL, X86_OPS_CL,
    X86_OPS_rAX,  /**< AX/EAX/RAX by operand size */
    X86_OPS_eAX,  /**< AX/EAX (in/out: at most 32 bits) */
    X86_OPS_DX,   /**< DX as port number */
    X86_OPS_Zb,   /**< byte register from opcode bits 2:0 (+REX.B) */
    X86_OPS_Zv,   /**< operand-size register from opcode bits 2:0 (+REX.B) */
    X86_OPS_ES, X86_OPS_CS, X86_OPS_SS, X86_OPS_DS, X86_OPS_FS, X86_OPS_GS,
    /* implicit string addresses */
    X86_OPS_Xb, X86_OPS_Xv, X86_OPS_Xz, /**< DS:rSI */
    X86_OPS_Yb, X86_OPS_Yv, X86_OPS_Yz, /**< ES:rDI */
    X86_OPS_XLAT                        /**< DS:rBX (+AL) */
} x86_opspec;

/** @name Decode-behaviour flags of a table row (x86_opcode.flags) */
/**@{*/
#define X86_OPC_MODRM   0x0001u /**< a ModRM byte follows the opcode */
#define X86_OPC_GROUP   0x0002u /**< ModRM.reg selects the row in a group */
#define X86_OPC_BYTE    0x0004u /**< byte operation: operand size is 1 */
#define X86_OPC_D64     0x0008u /**< 64-bit mode: default operand size 64,
                                     66 gives 16 (SDM Vol. 2A §2.2.1.7) */
#define X86_OPC_F64     0x0010u /**< 64-bit mode: operand size forced to 64
                                     (near branches, SDM Vol. 2A §2.2.1.7) */
#define X86_OPC_I64     0x0020u /**< invalid in 64-bit mode ("i64") */
#define X86_OPC_O64     0x0040u /**< valid only in 64-bit mode ("o64") */
#define X86_OPC_LOCK    0x0080u /**< LOCK allowed with a memory destination */
#define X86_OPC_MEMONLY 0x0100u /**< ModRM.mod = 11b raises \#UD */
#define X86_OPC_NOREP   0x0200u /**< F2/F3 select another instruction */
#define X86_OPC_NO66    0x0400u /**< 66 selects another instruction */
#define X86_OPC_COND    0x0800u /**< condition in opcode bits 3:0 */
#define X86_OPC_REGFORM 0x1000u /**< ModRM.mod = 11b selects a row of
                                     x86_opcode_regform() instead */
#define X86_OPC_NATIVE  0x2000u /**< operand size 32 (64 in 64-bit mode),
                                     prefixes ignored (mov CRn/DRn) */
#define X86_OPC_VEXLIKE 0x4000u /**< C4/C5/62: VEX/EVEX in 64-bit mode and
                                     when ModRM.mod = 11b (SDM Vol. 2A §2.3.5) */
#define X86_OPC_IO32    0x8000u /**< port I/O: REX.W does not widen the
                                     operand past 32 bits (SDM Vol. 2A "IN",
                                     "INS", Vol. 2B "OUT", "OUTS") */
/**@}*/

/** @name Operand access encoding (x86_opcode.access, 2 bits per operand) */
/**@{*/
#define X86_A_R  1u /**< operand is read (same bit as ::X86_ACCESS_READ) */
#define X86_A_W  2u /**< operand is written (::X86_ACCESS_WRITE) */
#define X86_A_RW 3u /**< read-modify-write */
/** Pack the access of operands 0, 1 and 2 into one byte. */
#define X86_ACC(a0, a1, a2) ((uint8_t)((a0) | ((a1) << 2) | ((a2) << 4)))
/**@}*/

/** One row of an opcode table. */
typedef struct x86_opcode {
    uint8_t mnemonic; /**< ::x86_mnemonic; X86_MN_INVALID = not an opcode */
    uint8_t ops[3];   /**< ::x86_opspec per operand, Intel order */
    uint8_t access;   /**< X86_ACC() of the operands */
    uint8_t group;    /**< ::x86_group index when X86_OPC_GROUP is set */
    uint16_t flags;   /**< X86_OPC_* */
    uint16_t iflags;  /**< X86_INSN_* copied into the decoded instruction */
} x86_opcode;

/** Opcode-extension groups (SDM Vol. 2A Table A-6). */
typedef enum x86_group {
    X86_GRP_1_EB_IB,  /**< 80, 82 */
    X86_GRP_1_EV_IZ,  /**< 81 */
    X86_GRP_1_EV_IBS, /**< 83 */
    X86_GRP_1A,       /**< 8F */
    X86_GRP_2_EB_IB,  /**< C0 */
    X86_GRP_2_EV_IB,  /**< C1 */
    X86_GRP_2_EB_1,   /**< D0 */
    X86_GRP_2_EV_1,   /**< D1 */
    X86_GRP_2_EB_CL,  /**< D2 */
    X86_GRP_2_EV_CL,  /**< D3 */
    X86_GRP_11_EB,    /**< C6 */
    X86_GRP_11_EV,    /**< C7 */
    X86_GRP_3_EB,     /**< F6 */
    X86_GRP_3_EV,     /**< F7 */
    X86_GRP_4,        /**< FE */
    X86_GRP_5,        /**< FF */
    X86_GRP_6,        /**< 0F 00 */
    X86_GRP_7,        /**< 0F 01 */
    X86_GRP_8,        /**< 0F BA */
    X86_GRP_9,        /**< 0F C7 */
    X86_GRP_15,       /**< 0F AE */
    X86_GRP_16_NOP,   /**< 0F 1F (only /0 NOP Ev is defined) */
    X86_GRP_COUNT_
} x86_group;

/** One-byte opcode map, SDM Vol. 2A Table A-2. */
extern const x86_opcode x86_opcode_primary[256];
/** Two-byte opcode map (0F xx), SDM Vol. 2A Table A-3. */
extern const x86_opcode x86_opcode_0f[256];
/** Group rows indexed by ::x86_group and ModRM.reg, SDM Vol. 2A Table A-6. */
extern const x86_opcode x86_opcode_groups[X86_GRP_COUNT_][8];
/** 63 /r in 64-bit mode: MOVSXD Gv, Ez (ARPL elsewhere). */
extern const x86_opcode x86_opcode_movsxd;
/** 90 without REX.B: NOP (SDM Vol. 2B "NOP"); F3 90: PAUSE. */
extern const x86_opcode x86_opcode_nop;
/** F3 90: PAUSE. */
extern const x86_opcode x86_opcode_pause;

/**
 * Row for a group member whose ModRM.mod = 11b form is a different
 * instruction (X86_OPC_REGFORM), e.g. 0F 01 C1 VMCALL, 0F AE E8 LFENCE.
 * @param map    ::x86_opcode_map of the opcode
 * @param opcode opcode byte
 * @param modrm  full ModRM byte (mod = 11b)
 * @return the row, or NULL if the encoding is not in the table
 */
const x86_opcode *x86_opcode_regform(uint8_t map, uint8_t opcode, uint8_t modrm);

#endif /* SPECTRUM_X86_OPCODE_TABLE_H */
