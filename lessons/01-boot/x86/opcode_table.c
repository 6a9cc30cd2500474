/**
 * @file opcode_table.c
 * @brief The decoder's opcode tables, transcribed from SDM Vol. 2A
 *        Appendix A (Tables ).
 *
 * Rows not written here are zero, i.e. X86_MN_INVALID: the decoder reports
 * such opcodes as unknown instead of guessing their length.  Operands are
 * listed in Intel order (destination first) with the SDM's operand-type
 * letters; see x86_opspec.  Short local macro names keep one row per line
 * so the table can be read against the SDM side by side.
 */
#include "x86/opcode_table.h"

/* Row constructors: mnemonic, decode flags, instruction flags, access,
 * operands. */
#define E3(mn, fl, ifl, acc, a, b, c) \
    { X86_MN_##mn, { X86_OPS_##a, X86_OPS_##b, X86_OPS_##c }, (acc), 0, \
      (uint16_t)(fl), (uint16_t)(ifl) }
#define E2(mn, fl, ifl, acc, a, b) E3(mn, fl, ifl, acc, a, b, NONE)
#define E1(mn, fl, ifl, acc, a) E3(mn, fl, ifl, acc, a, NONE, NONE)
#define E0(mn, fl, ifl) E3(mn, fl, ifl, 0, NONE, NONE, NONE)
/* A group escape: ModRM.reg picks the row in x86_opcode_groups[g]. */
#define GRP(g, fl) \
    { X86_MN_INVALID, { 0, 0, 0 }, 0, X86_GRP_##g, \
      (uint16_t)(X86_OPC_MODRM | X86_OPC_GROUP | (fl)), 0 }
/* A group member that only exists as a ModRM.mod = 11b form. */
#define REGONLY { X86_MN_INVALID, { 0, 0, 0 }, 0, 0, X86_OPC_REGFORM, 0 }

/* Decode flags. */
#define MR   X86_OPC_MODRM
#define B    X86_OPC_BYTE
#define D64  X86_OPC_D64
#define F64  X86_OPC_F64
#define I64  X86_OPC_I64
#define O64  X86_OPC_O64
#define LK   X86_OPC_LOCK
#define MEM  X86_OPC_MEMONLY
#define NREP X86_OPC_NOREP
#define N66  X86_OPC_NO66
#define CC   X86_OPC_COND
#define RF   X86_OPC_REGFORM
#define NAT  X86_OPC_NATIVE
#define VEX  X86_OPC_VEXLIKE
#define IO32 X86_OPC_IO32

/* Instruction flags. */
#define STRG X86_INSN_STRING
#define BR   X86_INSN_BRANCH
#define CND  X86_INSN_CONDITIONAL
#define STK  X86_INSN_STACK
#define IO   X86_INSN_IO
#define PRV  X86_INSN_PRIVILEGED
#define FAR  X86_INSN_FAR

/* Operand access patterns. */
#define A_R     X86_ACC(X86_A_R, 0, 0)
#define A_W     X86_ACC(X86_A_W, 0, 0)
#define A_RW    X86_ACC(X86_A_RW, 0, 0)
#define A_R_R   X86_ACC(X86_A_R, X86_A_R, 0)
#define A_W_R   X86_ACC(X86_A_W, X86_A_R, 0)
#define A_RW_R  X86_ACC(X86_A_RW, X86_A_R, 0)
#define A_RW_RW X86_ACC(X86_A_RW, X86_A_RW, 0)
#define A_W_R_R X86_ACC(X86_A_W, X86_A_R, X86_A_R)
#define A_RW_R_R X86_ACC(X86_A_RW, X86_A_R, X86_A_R)

/* The six forms of each classic ALU operation, 00-3F (Table A-2 rows 0-3). */
#define ALU(base, mn) \
    [(base) + 0] = E2(mn, MR | B | LK, 0, A_RW_R, Eb, Gb), \
    [(base) + 1] = E2(mn, MR | LK, 0, A_RW_R, Ev, Gv), \
    [(base) + 2] = E2(mn, MR | B, 0, A_RW_R, Gb, Eb), \
    [(base) + 3] = E2(mn, MR, 0, A_RW_R, Gv, Ev), \
    [(base) + 4] = E2(mn, B, 0, A_RW_R, AL, Ib), \
    [(base) + 5] = E2(mn, 0, 0, A_RW_R, rAX, Iz)

/* One row per register encoded in opcode bits 2:0. */
#define X8(first, ...) \
    [(first) + 0] = __VA_ARGS__, [(first) + 1] = __VA_ARGS__, \
    [(first) + 2] = __VA_ARGS__, [(first) + 3] = __VA_ARGS__, \
    [(first) + 4] = __VA_ARGS__, [(first) + 5] = __VA_ARGS__, \
    [(first) + 6] = __VA_ARGS__, [(first) + 7] = __VA_ARGS__
#define X16(first, ...) X8(first, __VA_ARGS__), X8((first) + 8, __VA_ARGS__)

const x86_opcode x86_opcode_primary[256] = {
    ALU(0x00, ADD),
    [0x06] = E1(PUSH, I64, STK, A_R, ES),
    [0x07] = E1(POP, I64, STK, A_W, ES),
    ALU(0x08, OR),
    [0x0E] = E1(PUSH, I64, STK, A_R, CS),
    /* 0x0F: two-byte escape, handled by the decoder */
    ALU(0x10, ADC),
    [0x16] = E1(PUSH, I64, STK, A_R, SS),
    [0x17] = E1(POP, I64, STK, A_W, SS),
    ALU(0x18, SBB),
    [0x1E] = E1(PUSH, I64, STK, A_R, DS),
    [0x1F] = E1(POP, I64, STK, A_W, DS),
    ALU(0x20, AND),
    [0x27] = E0(DAA, I64, 0),
    ALU(0x28, SUB),
    [0x2F] = E0(DAS, I64, 0),
    ALU(0x30, XOR),
    [0x37] = E0(AAA, I64, 0),
    /* CMP only reads its operands and cannot be locked. */
    [0x38] = E2(CMP, MR | B, 0, A_R_R, Eb, Gb),
    [0x39] = E2(CMP, MR, 0, A_R_R, Ev, Gv),
    [0x3A] = E2(CMP, MR | B, 0, A_R_R, Gb, Eb),
    [0x3B] = E2(CMP, MR, 0, A_R_R, Gv, Ev),
    [0x3C] = E2(CMP, B, 0, A_R_R, AL, Ib),
    [0x3D] = E2(CMP, 0, 0, A_R_R, rAX, Iz),
    [0x3F] = E0(AAS, I64, 0),
    /* 40-4F are REX prefixes in 64-bit mode (SDM Vol. 2A §2.2.1). */
    X8(0x40, E1(INC, I64, 0, A_RW, Zv)),
    X8(0x48, E1(DEC, I64, 0, A_RW, Zv)),
    X8(0x50, E1(PUSH, D64, STK, A_R, Zv)),
    X8(0x58, E1(POP, D64, STK, A_W, Zv)),
    [0x60] = E0(PUSHA, I64, STK),
    [0x61] = E0(POPA, I64, STK),
    /* 62 is EVEX in 64-bit mode and when ModRM.mod = 11b. */
    [0x62] = E2(BOUND, MR | I64 | MEM | VEX, 0, A_R_R, Gv, Ma),
    /* 63 is MOVSXD in 64-bit mode: x86_opcode_movsxd. */
    [0x63] = E2(ARPL, MR | I64, 0, A_RW_R, Ew, Gw),
    [0x68] = E1(PUSH, D64, STK, A_R, Iz),
    [0x69] = E3(IMUL, MR, 0, A_W_R_R, Gv, Ev, Iz),
    [0x6A] = E1(PUSH, D64, STK, A_R, Ibs),
    [0x6B] = E3(IMUL, MR, 0, A_W_R_R, Gv, Ev, Ibs),
    /* Port I/O moves 8, 16 or 32 bits; REX.W does not make it 64 (IO32). */
    [0x6C] = E2(INS, B, STRG | IO, A_W_R, Yb, DX),
    [0x6D] = E2(INS, IO32, STRG | IO, A_W_R, Yz, DX),
    [0x6E] = E2(OUTS, B, STRG | IO, A_R_R, DX, Xb),
    [0x6F] = E2(OUTS, IO32, STRG | IO, A_R_R, DX, Xz),
    X16(0x70, E1(JCC, F64 | CC, BR | CND, A_R, Jb)),
    [0x80] = GRP(1_EB_IB, B),
    [0x81] = GRP(1_EV_IZ, 0),
    [0x82] = GRP(1_EB_IB, B | I64),
    [0x83] = GRP(1_EV_IBS, 0),
    [0x84] = E2(TEST, MR | B, 0, A_R_R, Eb, Gb),
    [0x85] = E2(TEST, MR, 0, A_R_R, Ev, Gv),
    [0x86] = E2(XCHG, MR | B | LK, 0, A_RW_RW, Eb, Gb),
    [0x87] = E2(XCHG, MR | LK, 0, A_RW_RW, Ev, Gv),
    [0x88] = E2(MOV, MR | B, 0, A_W_R, Eb, Gb),
    [0x89] = E2(MOV, MR, 0, A_W_R, Ev, Gv),
    [0x8A] = E2(MOV, MR | B, 0, A_W_R, Gb, Eb),
    [0x8B] = E2(MOV, MR, 0, A_W_R, Gv, Ev),
    [0x8C] = E2(MOV, MR, 0, A_W_R, MwRv, Sw),
    [0x8D] = E2(LEA, MR | MEM, 0, X86_ACC(X86_A_W, 0, 0), Gv, M),
    [0x8E] = E2(MOV, MR, 0, A_W_R, Sw, MwRv),
    [0x8F] = GRP(1A, 0),
    /* 90 is NOP/PAUSE unless REX.B makes it XCHG r8, rAX. */
    X8(0x90, E2(XCHG, 0, 0, A_RW_RW, Zv, rAX)),
    [0x98] = E0(CBW, 0, 0),
    [0x99] = E0(CWD, 0, 0),
    [0x9A] = E1(CALLF, I64, BR | STK | FAR, A_R, Ap),
    [0x9B] = E0(FWAIT, 0, 0),
    [0x9C] = E0(PUSHF, D64, STK),
    [0x9D] = E0(POPF, D64, STK),
    [0x9E] = E0(SAHF, 0, 0),
    [0x9F] = E0(LAHF, 0, 0),
    [0xA0] = E2(MOV, B, 0, A_W_R, AL, Ob),
    [0xA1] = E2(MOV, 0, 0, A_W_R, rAX, Ov),
    [0xA2] = E2(MOV, B, 0, A_W_R, Ob, AL),
    [0xA3] = E2(MOV, 0, 0, A_W_R, Ov, rAX),
    [0xA4] = E2(MOVS, B, STRG, A_W_R, Yb, Xb),
    [0xA5] = E2(MOVS, 0, STRG, A_W_R, Yv, Xv),
    [0xA6] = E2(CMPS, B, STRG, A_R_R, Xb, Yb),
    [0xA7] = E2(CMPS, 0, STRG, A_R_R, Xv, Yv),
    [0xA8] = E2(TEST, B, 0, A_R_R, AL, Ib),
    [0xA9] = E2(TEST, 0, 0, A_R_R, rAX, Iz),
    [0xAA] = E2(STOS, B, STRG, A_W_R, Yb, AL),
    [0xAB] = E2(STOS, 0, STRG, A_W_R, Yv, rAX),
    [0xAC] = E2(LODS, B, STRG, A_W_R, AL, Xb),
    [0xAD] = E2(LODS, 0, STRG, A_W_R, rAX, Xv),
    [0xAE] = E2(SCAS, B, STRG, A_R_R, AL, Yb),
    [0xAF] = E2(SCAS, 0, STRG, A_R_R, rAX, Yv),
    X8(0xB0, E2(MOV, B, 0, A_W_R, Zb, Ib)),
    X8(0xB8, E2(MOV, 0, 0, A_W_R, Zv, Iv)),
    [0xC0] = GRP(2_EB_IB, B),
    [0xC1] = GRP(2_EV_IB, 0),
    [0xC2] = E1(RET, F64, BR | STK, A_R, Iw),
    [0xC3] = E0(RET, F64, BR | STK),
    /* C4/C5 are VEX in 64-bit mode and when ModRM.mod = 11b. */
    [0xC4] = E2(LES, MR | I64 | MEM | VEX, 0, A_W_R, Gv, Mp),
    [0xC5] = E2(LDS, MR | I64 | MEM | VEX, 0, A_W_R, Gv, Mp),
    [0xC6] = GRP(11_EB, B),
    [0xC7] = GRP(11_EV, 0),
    [0xC8] = E2(ENTER, D64, STK, A_R_R, Iw, Ib),
    [0xC9] = E0(LEAVE, D64, STK),
    [0xCA] = E1(RETF, 0, BR | STK | FAR, A_R, Iw),
    [0xCB] = E0(RETF, 0, BR | STK | FAR),
    [0xCC] = E0(INT3, 0, BR | STK | FAR),
    [0xCD] = E1(INT, 0, BR | STK | FAR, A_R, Ib),
    [0xCE] = E0(INTO, I64, BR | CND | STK | FAR),
    [0xCF] = E0(IRET, 0, BR | STK | FAR),
    [0xD0] = GRP(2_EB_1, B),
    [0xD1] = GRP(2_EV_1, 0),
    [0xD2] = GRP(2_EB_CL, B),
    [0xD3] = GRP(2_EV_CL, 0),
    [0xD4] = E1(AAM, I64, 0, A_R, Ib),
    [0xD5] = E1(AAD, I64, 0, A_R, Ib),
    /* D6 (SALC) is undocumented; D8-DF are x87: not in the table. */
    [0xD7] = E1(XLAT, B, 0, A_R, XLAT),
    [0xE0] = E1(LOOPNE, F64, BR | CND, A_R, Jb),
    [0xE1] = E1(LOOPE, F64, BR | CND, A_R, Jb),
    [0xE2] = E1(LOOP, F64, BR | CND, A_R, Jb),
    [0xE3] = E1(JCXZ, F64, BR | CND, A_R, Jb),
    [0xE4] = E2(IN, B, IO, A_W_R, AL, Ib),
    [0xE5] = E2(IN, IO32, IO, A_W_R, eAX, Ib),
    [0xE6] = E2(OUT, B, IO, A_R_R, Ib, AL),
    [0xE7] = E2(OUT, IO32, IO, A_R_R, Ib, eAX),
    [0xE8] = E1(CALL, F64, BR | STK, A_R, Jz),
    [0xE9] = E1(JMP, F64, BR, A_R, Jz),
    [0xEA] = E1(JMPF, I64, BR | FAR, A_R, Ap),
    [0xEB] = E1(JMP, F64, BR, A_R, Jb),
    [0xEC] = E2(IN, B, IO, A_W_R, AL, DX),
    [0xED] = E2(IN, IO32, IO, A_W_R, eAX, DX),
    [0xEE] = E2(OUT, B, IO, A_R_R, DX, AL),
    [0xEF] = E2(OUT, IO32, IO, A_R_R, DX, eAX),
    /* F0, F2, F3 are prefixes; F1 (INT1) is not in the table. */
    [0xF4] = E0(HLT, 0, PRV),
    [0xF5] = E0(CMC, 0, 0),
    [0xF6] = GRP(3_EB, B),
    [0xF7] = GRP(3_EV, 0),
    [0xF8] = E0(CLC, 0, 0),
    [0xF9] = E0(STC, 0, 0),
    [0xFA] = E0(CLI, 0, 0),
    [0xFB] = E0(STI, 0, 0),
    [0xFC] = E0(CLD, 0, 0),
    [0xFD] = E0(STD, 0, 0),
    [0xFE] = GRP(4, B),
    [0xFF] = GRP(5, 0),
};

const x86_opcode x86_opcode_0f[256] = {
    [0x00] = GRP(6, 0),
    [0x01] = GRP(7, NREP),
    /* LAR/LSL read a 16-bit selector from memory but a whole register
     * (SDM Vol. 2A "LAR": "LAR reg, r32/m16"). */
    [0x02] = E2(LAR, MR, 0, A_W_R, Gv, MwRv),
    [0x03] = E2(LSL, MR, 0, A_W_R, Gv, MwRv),
    [0x06] = E0(CLTS, 0, PRV),
    [0x08] = E0(INVD, 0, PRV),
    [0x09] = E0(WBINVD, NREP, PRV), /* F3 0F 09 is WBNOINVD */
    [0x0B] = E0(UD2, 0, 0),
    /* 0F 18-1E are hint NOPs reused by newer extensions (prefetch, endbr);
     * only 0F 1F /0, the recommended multi-byte NOP, is decoded. */
    [0x1F] = GRP(16_NOP, NREP),
    /* MOV to/from CRn/DRn: ModRM.mod is ignored (SDM Vol. 2B "MOV-Move
     * to/from Control Registers"), so Rd never reads a displacement. */
    [0x20] = E2(MOV, MR | NAT, PRV, A_W_R, Rd, Cd),
    [0x21] = E2(MOV, MR | NAT, PRV, A_W_R, Rd, Dd),
    [0x22] = E2(MOV, MR | NAT, PRV, A_W_R, Cd, Rd),
    [0x23] = E2(MOV, MR | NAT, PRV, A_W_R, Dd, Rd),
    [0x30] = E0(WRMSR, 0, PRV),
    [0x31] = E0(RDTSC, 0, 0),
    [0x32] = E0(RDMSR, 0, PRV),
    [0x33] = E0(RDPMC, 0, 0),
    X16(0x40, E2(CMOVCC, MR | CC, CND, A_W_R, Gv, Ev)),
    X16(0x80, E1(JCC, F64 | CC, BR | CND, A_R, Jz)),
    X16(0x90, E1(SETCC, MR | B | CC, CND, A_W, Eb)),
    [0xA0] = E1(PUSH, D64, STK, A_R, FS),
    [0xA1] = E1(POP, D64, STK, A_W, FS),
    [0xA2] = E0(CPUID, 0, 0),
    [0xA3] = E2(BT, MR, 0, A_R_R, Ev, Gv),
    [0xA4] = E3(SHLD, MR, 0, A_RW_R_R, Ev, Gv, Ib),
    [0xA5] = E3(SHLD, MR, 0, A_RW_R_R, Ev, Gv, CL),
    [0xA8] = E1(PUSH, D64, STK, A_R, GS),
    [0xA9] = E1(POP, D64, STK, A_W, GS),
    [0xAA] = E0(RSM, 0, BR | FAR),
    [0xAB] = E2(BTS, MR | LK, 0, A_RW_R, Ev, Gv),
    [0xAC] = E3(SHRD, MR, 0, A_RW_R_R, Ev, Gv, Ib),
    [0xAD] = E3(SHRD, MR, 0, A_RW_R_R, Ev, Gv, CL),
    [0xAE] = GRP(15, NREP | N66),
    [0xAF] = E2(IMUL, MR, 0, A_RW_R, Gv, Ev),
    [0xB0] = E2(CMPXCHG, MR | B | LK, 0, A_RW_R, Eb, Gb),
    [0xB1] = E2(CMPXCHG, MR | LK, 0, A_RW_R, Ev, Gv),
    [0xB2] = E2(LSS, MR | MEM, 0, A_W_R, Gv, Mp),
    [0xB3] = E2(BTR, MR | LK, 0, A_RW_R, Ev, Gv),
    [0xB4] = E2(LFS, MR | MEM, 0, A_W_R, Gv, Mp),
    [0xB5] = E2(LGS, MR | MEM, 0, A_W_R, Gv, Mp),
    [0xB6] = E2(MOVZX, MR, 0, A_W_R, Gv, Eb),
    [0xB7] = E2(MOVZX, MR, 0, A_W_R, Gv, Ew),
    [0xBA] = GRP(8, 0),
    [0xBB] = E2(BTC, MR | LK, 0, A_RW_R, Ev, Gv),
    /* F3 0F BC/BD are TZCNT/LZCNT. */
    [0xBC] = E2(BSF, MR | NREP, 0, A_W_R, Gv, Ev),
    [0xBD] = E2(BSR, MR | NREP, 0, A_W_R, Gv, Ev),
    [0xBE] = E2(MOVSX, MR, 0, A_W_R, Gv, Eb),
    [0xBF] = E2(MOVSX, MR, 0, A_W_R, Gv, Ew),
    [0xC0] = E2(XADD, MR | B | LK, 0, A_RW_RW, Eb, Gb),
    [0xC1] = E2(XADD, MR | LK, 0, A_RW_RW, Ev, Gv),
    [0xC7] = GRP(9, NREP),
    X8(0xC8, E1(BSWAP, 0, 0, A_RW, Zv)),
};

/* Group 1 rows for one operand form; CMP (/7) only reads. */
#define GROUP1(fl, dst, src) \
    { E2(ADD, fl | LK, 0, A_RW_R, dst, src), E2(OR, fl | LK, 0, A_RW_R, dst, src), \
      E2(ADC, fl | LK, 0, A_RW_R, dst, src), E2(SBB, fl | LK, 0, A_RW_R, dst, src), \
      E2(AND, fl | LK, 0, A_RW_R, dst, src), E2(SUB, fl | LK, 0, A_RW_R, dst, src), \
      E2(XOR, fl | LK, 0, A_RW_R, dst, src), E2(CMP, fl, 0, A_R_R, dst, src) }

/* Group 2 rows.  /6 is blank in Table A-6, but processors execute it as
 * SHL /4 (the undocumented "SAL" alias) and objdump prints it as shl, so
 * it is the SHL row again: same operands, same length, same behaviour. */
#define GROUP2(dst, cnt) \
    { E2(ROL, 0, 0, A_RW_R, dst, cnt), E2(ROR, 0, 0, A_RW_R, dst, cnt), \
      E2(RCL, 0, 0, A_RW_R, dst, cnt), E2(RCR, 0, 0, A_RW_R, dst, cnt), \
      E2(SHL, 0, 0, A_RW_R, dst, cnt), E2(SHR, 0, 0, A_RW_R, dst, cnt), \
      E2(SHL, 0, 0, A_RW_R, dst, cnt), E2(SAR, 0, 0, A_RW_R, dst, cnt) }

/* Group 3 rows.  /1 is blank in Table A-6, but processors execute it as
 * TEST /0, immediate included, and objdump prints it as test: the TEST row
 * again.  Leaving it unknown would also lose the length of what follows. */
#define GROUP3(e, imm) \
    { E2(TEST, 0, 0, A_R_R, e, imm), E2(TEST, 0, 0, A_R_R, e, imm), \
      E1(NOT, LK, 0, A_RW, e), E1(NEG, LK, 0, A_RW, e), \
      E1(MUL, 0, 0, A_R, e), E1(IMUL, 0, 0, A_R, e), \
      E1(DIV, 0, 0, A_R, e), E1(IDIV, 0, 0, A_R, e) }

const x86_opcode x86_opcode_groups[X86_GRP_COUNT_][8] = {
    [X86_GRP_1_EB_IB] = GROUP1(0, Eb, Ib),
    [X86_GRP_1_EV_IZ] = GROUP1(0, Ev, Iz),
    [X86_GRP_1_EV_IBS] = GROUP1(0, Ev, Ibs),
    /* 8F /1-/7 is the AMD XOP escape: unknown. */
    [X86_GRP_1A] = { E1(POP, D64, STK, A_W, Ev) },
    [X86_GRP_2_EB_IB] = GROUP2(Eb, Ib),
    [X86_GRP_2_EV_IB] = GROUP2(Ev, Ib),
    [X86_GRP_2_EB_1] = GROUP2(Eb, I1),
    [X86_GRP_2_EV_1] = GROUP2(Ev, I1),
    [X86_GRP_2_EB_CL] = GROUP2(Eb, CL),
    [X86_GRP_2_EV_CL] = GROUP2(Ev, CL),
    /* C6/C7 /7 with ModRM F8 are XABORT/XBEGIN (TSX): unknown. */
    [X86_GRP_11_EB] = { E2(MOV, 0, 0, A_W_R, Eb, Ib) },
    [X86_GRP_11_EV] = { E2(MOV, 0, 0, A_W_R, Ev, Iz) },
    [X86_GRP_3_EB] = GROUP3(Eb, Ib),
    [X86_GRP_3_EV] = GROUP3(Ev, Iz),
    [X86_GRP_4] = { E1(INC, LK, 0, A_RW, Eb), E1(DEC, LK, 0, A_RW, Eb) },
    [X86_GRP_5] = {
        E1(INC, LK, 0, A_RW, Ev),
        E1(DEC, LK, 0, A_RW, Ev),
        E1(CALL, F64, BR | STK, A_R, Ev),
        E1(CALLF, MEM, BR | STK | FAR, A_R, Mp),
        E1(JMP, F64, BR, A_R, Ev),
        E1(JMPF, MEM, BR | FAR, A_R, Mp),
        E1(PUSH, D64, STK, A_R, Ev),
    },
    [X86_GRP_6] = {
        E1(SLDT, 0, 0, A_W, MwRv),
        E1(STR, 0, 0, A_W, MwRv),
        E1(LLDT, 0, PRV, A_R, Ew),
        E1(LTR, 0, PRV, A_R, Ew),
        E1(VERR, 0, 0, A_R, Ew),
        E1(VERW, 0, 0, A_R, Ew),
    },
    /* Group 7: the memory forms are the descriptor-table instructions; the
     * register forms are unrelated instructions (x86_opcode_regform).  In
     * 64-bit mode the pseudo-descriptor is always 10 bytes, so F64. */
    [X86_GRP_7] = {
        E1(SGDT, RF | F64, 0, A_W, Ms),
        E1(SIDT, RF | F64, 0, A_W, Ms),
        E1(LGDT, RF | F64, PRV, A_R, Ms),
        E1(LIDT, RF | F64, PRV, A_R, Ms),
        E1(SMSW, 0, 0, A_W, MwRv),
        E0(INVALID, 0, 0),
        E1(LMSW, 0, PRV, A_R, Ew),
        E1(INVLPG, RF, PRV, 0, M),
    },
    [X86_GRP_8] = {
        [4] = E2(BT, 0, 0, A_R_R, Ev, Ib),
        [5] = E2(BTS, LK, 0, A_RW_R, Ev, Ib),
        [6] = E2(BTR, LK, 0, A_RW_R, Ev, Ib),
        [7] = E2(BTC, LK, 0, A_RW_R, Ev, Ib),
    },
    /* Group 9: only /1 (CMPXCHG8B/16B) with a memory operand; the register
     * forms (RDRAND, RDSEED, ...) are not in the table. */
    [X86_GRP_9] = { [1] = E1(CMPXCHG8B, RF | LK, 0, A_RW, Mq) },
    /* Group 15: the memory forms (FXSAVE, CLFLUSH, ...) are not in the
     * table; /5-/7 register forms are the fences. */
    [X86_GRP_15] = { [5] = REGONLY, [6] = REGONLY, [7] = REGONLY },
    [X86_GRP_16_NOP] = { E1(NOP, 0, 0, 0, Ev) },
};

const x86_opcode x86_opcode_movsxd = E2(MOVSXD, MR | O64, 0, A_W_R, Gv, Ez);
const x86_opcode x86_opcode_nop = E0(NOP, 0, 0);
const x86_opcode x86_opcode_pause = E0(PAUSE, 0, 0);

/** A register-form row covering ModRM bytes lo..hi of one opcode. */
typedef struct x86_regform {
    uint8_t map, opcode, lo, hi;
    x86_opcode row;
} x86_regform;

/* SDM Vol. 2A Table A-6, "mod = 11B" columns of groups 7 and 15.  66/F2/F3
 * select yet other instructions here (e.g. 66 0F AE /6 TPAUSE). */
static const x86_regform x86_regforms[] = {
    { X86_MAP_0F, 0x01, 0xC1, 0xC1, E0(VMCALL, N66 | NREP, 0) },
    { X86_MAP_0F, 0x01, 0xC2, 0xC2, E0(VMLAUNCH, N66 | NREP, PRV) },
    { X86_MAP_0F, 0x01, 0xC3, 0xC3, E0(VMRESUME, N66 | NREP, PRV) },
    { X86_MAP_0F, 0x01, 0xC4, 0xC4, E0(VMXOFF, N66 | NREP, PRV) },
    { X86_MAP_0F, 0x01, 0xD0, 0xD0, E0(XGETBV, N66 | NREP, 0) },
    { X86_MAP_0F, 0x01, 0xD1, 0xD1, E0(XSETBV, N66 | NREP, PRV) },
    { X86_MAP_0F, 0x01, 0xF8, 0xF8, E0(SWAPGS, N66 | NREP | O64, PRV) },
    { X86_MAP_0F, 0x01, 0xF9, 0xF9, E0(RDTSCP, N66 | NREP, 0) },
    { X86_MAP_0F, 0xAE, 0xE8, 0xEF, E0(LFENCE, N66 | NREP, 0) },
    { X86_MAP_0F, 0xAE, 0xF0, 0xF7, E0(MFENCE, N66 | NREP, 0) },
    { X86_MAP_0F, 0xAE, 0xF8, 0xFF, E0(SFENCE, N66 | NREP, 0) },
};

const x86_opcode *x86_opcode_regform(uint8_t map, uint8_t opcode, uint8_t modrm)
{
    for (size_t i = 0; i < sizeof x86_regforms / sizeof x86_regforms[0]; i++) {
        const x86_regform *r = &x86_regforms[i];
        if (r->map == map && r->opcode == opcode && modrm >= r->lo && modrm <= r->hi)
            return &r->row;
    }
    return NULL;
}
