/**
 * @file decode.h
 * @brief x86 instruction decoder for 16-, 32- and 64-bit code.
 *
 * The decoder turns raw instruction bytes into an ::x86_insn: prefixes,
 * opcode, a mnemonic, the effective operand and address sizes, and up to
 * three operands in Intel order (destination first).  It is the one place
 * in Spectrum that knows the x86 instruction *format*; the interpreter that
 * runs real-mode and protected-mode guests and the MMIO emulation of later
 * lessons both consume its output instead of peeking at bytes themselves.
 *
 * Design rules (why the API looks like this):
 *  - Freestanding: the same object is linked into the bare-metal kernel and
 *    into host tools, so it calls no library function at all.
 *  - It never guesses.  An opcode that is not in its table yields
 *    ::X86_DECODE_UNKNOWN_OPCODE and `length == 0`; a caller that wants to
 *    resynchronise (a disassembler) must choose its own policy.
 *  - It never reads past `len` bytes, nor past the architectural 15-byte
 *    limit (SDM Vol. 3A §6.15 "\#GP ... instruction length exceeds 15 bytes",
 *    SDM Vol. 2A §2.3.11).
 *
 * Coverage: the general-purpose integer instructions a small kernel and a
 * BIOS-like real-mode guest use, plus the system instructions a hypervisor
 * needs to emulate (mov to/from CRn/DRn, descriptor-table loads, MSRs,
 * port I/O).  No x87, MMX, SSE, AVX (VEX/EVEX) or 0F 38 / 0F 3A opcodes.
 */
#ifndef SPECTRUM_X86_DECODE_H
#define SPECTRUM_X86_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Architectural maximum instruction length in bytes (SDM Vol. 2A §2.3.11). */
#define X86_MAX_INSN_LEN 15

/** Maximum number of explicit operands the decoder reports. */
#define X86_MAX_OPERANDS 3

/** Marker for "no register" in ::x86_mem base/index fields. */
#define X86_NO_REG 0xFFu

/** Processor mode the bytes are decoded for; the value is the default
 *  operand/address width in bits (CS.D / CS.L, SDM Vol. 3A §5.2.1). */
typedef enum x86_mode {
    X86_MODE_16 = 16, /**< real mode, virtual-8086, 16-bit protected mode */
    X86_MODE_32 = 32, /**< 32-bit protected mode or compatibility mode */
    X86_MODE_64 = 64  /**< 64-bit sub-mode of IA-32e mode */
} x86_mode;

/** Result of x86_decode(). */
typedef enum x86_status {
    /** Decoded; every field of ::x86_insn is valid. */
    X86_DECODE_OK = 0,
    /** The buffer ended before the instruction did. */
    X86_DECODE_TRUNCATED,
    /** The instruction would be longer than 15 bytes (the CPU raises \#GP). */
    X86_DECODE_TOO_LONG,
    /** Opcode (or opcode + ModRM.reg / mandatory prefix) not in the table. */
    X86_DECODE_UNKNOWN_OPCODE,
    /** Opcode exists but is invalid in this mode, e.g. `push %es` (06) or
     *  `aaa` (37) in 64-bit mode, or movsxd outside 64-bit mode. */
    X86_DECODE_INVALID_MODE,
    /** Known opcode in an encoding the SDM defines as \#UD: LOCK on a
     *  non-lockable instruction or register destination, a register where
     *  memory is required (`lea %eax,%eax`), `mov` to CS, a reserved segment
     *  or control register number.  The instruction is fully decoded and
     *  `length` is valid, so a disassembler can skip it and an interpreter
     *  can inject \#UD; operand contents are best-effort. */
    X86_DECODE_UNDEFINED,
    /** NULL pointer or a mode other than 16/32/64. */
    X86_DECODE_BAD_ARGUMENT
} x86_status;

/** Segment registers, numbered as in the ModRM.reg "sreg" encoding
 *  (SDM Vol. 2A §B.1.4.8 Table B-6). */
typedef enum x86_seg {
    X86_SEG_ES = 0,
    X86_SEG_CS = 1,
    X86_SEG_SS = 2,
    X86_SEG_DS = 3,
    X86_SEG_FS = 4,
    X86_SEG_GS = 5,
    X86_SEG_NONE = 0xFF /**< no segment override prefix */
} x86_seg;

/** General-purpose register numbers (ModRM/SIB/REX encoding, SDM Vol. 2A
 *  §2.2.1.2 Table 2-4).  The same number names the 8/16/32/64-bit view;
 *  the operand size says which. */
typedef enum x86_gpr {
    X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
    X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15
} x86_gpr;

/** Register files an operand register can belong to. */
typedef enum x86_reg_class {
    X86_REG_NONE = 0,
    X86_REG_GPR,       /**< rAX..r15 at the operand's size; for 1-byte operands
                            numbers 4-7 mean SPL/BPL/SIL/DIL (a REX was present) */
    X86_REG_GPR_HIGH8, /**< AH, CH, DH, BH: bits 15:8 of GPR `num` (0-3);
                            only encodable without REX (SDM Vol. 2A §3.7.2.1) */
    X86_REG_SEG,       /**< segment register, `num` is an ::x86_seg */
    X86_REG_CR,        /**< control register CR`num` */
    X86_REG_DR         /**< debug register DR`num` */
} x86_reg_class;

/** Kinds of decoded operands. */
typedef enum x86_operand_kind {
    X86_OPERAND_NONE = 0,
    X86_OPERAND_REG,  /**< register, see ::x86_operand.reg */
    X86_OPERAND_IMM,  /**< immediate, see ::x86_operand.imm */
    X86_OPERAND_MEM,  /**< memory reference, see ::x86_operand.mem */
    X86_OPERAND_REL,  /**< relative branch target, see ::x86_operand.rel */
    X86_OPERAND_FAR   /**< far pointer immediate ptr16:16/32 (9A, EA) */
} x86_operand_kind;

/** Operand access bits (::x86_operand.access). */
#define X86_ACCESS_READ  0x1u /**< the instruction reads the operand */
#define X86_ACCESS_WRITE 0x2u /**< the instruction writes the operand */

/** Operand flags (::x86_operand.flags). */
#define X86_OPF_IMPLICIT 0x1u /**< not encoded in the bytes (the count 1 of
                                   D0-D3 shifts); AT&T syntax omits it */
#define X86_OPF_STRING   0x2u /**< implicit string/xlat address DS:rSI, ES:rDI
                                   or DS:rBX; AT&T always shows its segment */
#define X86_OPF_PORT     0x4u /**< DX used as an I/O port number */

/** A register operand. */
typedef struct x86_reg {
    uint8_t cls; /**< ::x86_reg_class */
    uint8_t num; /**< register number within the class */
} x86_reg;

/** A memory operand: segment:[base + index*scale + disp], truncated to
 *  `addr_size` bytes (SDM Vol. 1 §3.7.5). */
typedef struct x86_mem {
    uint8_t segment;   /**< effective segment (::x86_seg): the override if one
                            applies, else DS, or SS for rBP/rSP-based forms,
                            or ES for string destinations */
    uint8_t base;      /**< base GPR number or ::X86_NO_REG */
    uint8_t index;     /**< index GPR number or ::X86_NO_REG */
    uint8_t scale;     /**< 1, 2, 4 or 8 (1 when there is no index) */
    uint8_t disp_size; /**< encoded displacement bytes: 0, 1, 2, 4 or 8 */
    uint8_t addr_size; /**< address size in bytes: 2, 4 or 8 */
    bool rip_relative; /**< disp is relative to the next instruction's rIP
                            (SDM Vol. 2A §2.2.1.6); base is ::X86_NO_REG */
    int64_t disp;      /**< displacement, sign-extended from its encoded size
                            (moffs addresses are zero-extended) */
} x86_mem;

/** One decoded operand. */
typedef struct x86_operand {
    uint8_t kind;   /**< ::x86_operand_kind */
    uint8_t size;   /**< bytes read/written (registers, memory) or the value
                         width (immediates, branch targets); 0 for memory that
                         is only an address (lea, invlpg, nop) */
    uint8_t access; /**< ::X86_ACCESS_READ / ::X86_ACCESS_WRITE bits */
    uint8_t flags;  /**< ::X86_OPF_IMPLICIT etc. */
    union {
        x86_reg reg; /**< ::X86_OPERAND_REG */
        struct {
            uint64_t value;       /**< value extended to `size` bytes and
                                       masked to them */
            uint8_t encoded_size; /**< bytes in the instruction (0 if implicit) */
            bool sign_extended;   /**< encoded narrower than `size` and
                                       sign-extended (e.g. 83 /0 ib) */
        } imm;                    /**< ::X86_OPERAND_IMM */
        x86_mem mem;              /**< ::X86_OPERAND_MEM */
        struct {
            int64_t disp;    /**< signed displacement as encoded */
            uint64_t target; /**< address + length + disp, truncated to the
                                  operand size (IP wraps at 64 KiB in 16-bit
                                  code, SDM Vol. 2A "JMP" Operation) */
        } rel;               /**< ::X86_OPERAND_REL */
        struct {
            uint16_t selector; /**< code segment selector */
            uint32_t offset;   /**< offset, `size - 2` bytes wide */
        } far;                 /**< ::X86_OPERAND_FAR */
    };
} x86_operand;

/** Prefix bits (::x86_insn.prefixes). */
#define X86_PFX_LOCK     0x001u /**< F0 */
#define X86_PFX_REPNZ    0x002u /**< F2 was the last of F2/F3 */
#define X86_PFX_REPZ     0x004u /**< F3 was the last of F2/F3 */
#define X86_PFX_OPSIZE   0x008u /**< 66 operand-size override present */
#define X86_PFX_ADDRSIZE 0x010u /**< 67 address-size override present */
#define X86_PFX_SEG      0x020u /**< a segment override prefix is present */
#define X86_PFX_REX      0x040u /**< a REX prefix is in effect */

/** REX bits (::x86_insn.rex, SDM Vol. 2A §2.2.1.2). */
#define X86_REX_B 0x1u /**< extends ModRM.rm, SIB.base or opcode reg */
#define X86_REX_X 0x2u /**< extends SIB.index */
#define X86_REX_R 0x4u /**< extends ModRM.reg */
#define X86_REX_W 0x8u /**< 64-bit operand size */

/** Instruction flags (::x86_insn.flags) for interpreters. */
#define X86_INSN_STRING     0x0001u /**< string instruction: rCX/rSI/rDI driven */
#define X86_INSN_REP        0x0002u /**< string instruction with F2/F3 repeat */
#define X86_INSN_BRANCH     0x0004u /**< may change rIP other than falling through */
#define X86_INSN_CONDITIONAL 0x0008u /**< branch/move/set depends on a condition */
#define X86_INSN_STACK      0x0010u /**< implicitly pushes or pops (rSP relative) */
#define X86_INSN_IO         0x0020u /**< port I/O (IOPL/bitmap checked) */
#define X86_INSN_PRIVILEGED 0x0040u /**< requires CPL 0 */
#define X86_INSN_READS_MEM  0x0080u /**< reads an explicit memory operand */
#define X86_INSN_WRITES_MEM 0x0100u /**< writes an explicit memory operand */
#define X86_INSN_LOCKED     0x0200u /**< LOCK prefix on a lockable form */
#define X86_INSN_FAR        0x0400u /**< far transfer (loads CS) */

/**
 * X-macro list of mnemonics: X(ENUM_SUFFIX, "sdm name").
 * The name is the SDM (Intel) spelling; size-dependent spellings (cwde,
 * pushfq, cmpxchg16b, ...) are chosen per instruction in ::x86_insn.name.
 */
#define X86_MNEMONICS(X) \
    X(INVALID, "(bad)") \
    X(ADD, "add") X(OR, "or") X(ADC, "adc") X(SBB, "sbb") \
    X(AND, "and") X(SUB, "sub") X(XOR, "xor") X(CMP, "cmp") \
    X(PUSH, "push") X(POP, "pop") X(DAA, "daa") X(DAS, "das") \
    X(AAA, "aaa") X(AAS, "aas") X(AAM, "aam") X(AAD, "aad") \
    X(INC, "inc") X(DEC, "dec") X(PUSHA, "pusha") X(POPA, "popa") \
    X(BOUND, "bound") X(ARPL, "arpl") X(MOVSXD, "movsxd") X(IMUL, "imul") \
    X(INS, "ins") X(OUTS, "outs") X(JCC, "jcc") X(TEST, "test") \
    X(XCHG, "xchg") X(MOV, "mov") X(LEA, "lea") X(NOP, "nop") \
    X(PAUSE, "pause") X(CBW, "cbw") X(CWD, "cwd") X(CALLF, "callf") \
    X(FWAIT, "fwait") X(PUSHF, "pushf") X(POPF, "popf") X(SAHF, "sahf") \
    X(LAHF, "lahf") X(MOVS, "movs") X(CMPS, "cmps") X(STOS, "stos") \
    X(LODS, "lods") X(SCAS, "scas") X(ROL, "rol") X(ROR, "ror") \
    X(RCL, "rcl") X(RCR, "rcr") X(SHL, "shl") X(SHR, "shr") X(SAR, "sar") \
    X(RET, "ret") X(RETF, "retf") X(LES, "les") X(LDS, "lds") \
    X(ENTER, "enter") X(LEAVE, "leave") X(INT3, "int3") X(INT, "int") \
    X(INTO, "into") X(IRET, "iret") X(XLAT, "xlat") X(LOOPNE, "loopne") \
    X(LOOPE, "loope") X(LOOP, "loop") X(JCXZ, "jcxz") X(IN, "in") \
    X(OUT, "out") X(CALL, "call") X(JMP, "jmp") X(JMPF, "jmpf") \
    X(HLT, "hlt") X(CMC, "cmc") X(NOT, "not") X(NEG, "neg") X(MUL, "mul") \
    X(DIV, "div") X(IDIV, "idiv") X(CLC, "clc") X(STC, "stc") \
    X(CLI, "cli") X(STI, "sti") X(CLD, "cld") X(STD, "std") \
    X(SLDT, "sldt") X(STR, "str") X(LLDT, "lldt") X(LTR, "ltr") \
    X(VERR, "verr") X(VERW, "verw") X(SGDT, "sgdt") X(SIDT, "sidt") \
    X(LGDT, "lgdt") X(LIDT, "lidt") X(SMSW, "smsw") X(LMSW, "lmsw") \
    X(INVLPG, "invlpg") X(VMCALL, "vmcall") X(VMLAUNCH, "vmlaunch") \
    X(VMRESUME, "vmresume") X(VMXOFF, "vmxoff") X(XGETBV, "xgetbv") \
    X(XSETBV, "xsetbv") X(SWAPGS, "swapgs") X(RDTSCP, "rdtscp") \
    X(LAR, "lar") X(LSL, "lsl") X(CLTS, "clts") X(INVD, "invd") \
    X(WBINVD, "wbinvd") X(UD2, "ud2") X(WRMSR, "wrmsr") X(RDTSC, "rdtsc") \
    X(RDMSR, "rdmsr") X(RDPMC, "rdpmc") X(CMOVCC, "cmovcc") \
    X(SETCC, "setcc") X(CPUID, "cpuid") X(BT, "bt") X(SHLD, "shld") \
    X(RSM, "rsm") X(BTS, "bts") X(SHRD, "shrd") X(LFENCE, "lfence") \
    X(MFENCE, "mfence") X(SFENCE, "sfence") X(CMPXCHG, "cmpxchg") \
    X(LSS, "lss") X(BTR, "btr") X(LFS, "lfs") X(LGS, "lgs") \
    X(MOVZX, "movzx") X(BTC, "btc") X(BSF, "bsf") X(BSR, "bsr") \
    X(MOVSX, "movsx") X(XADD, "xadd") X(CMPXCHG8B, "cmpxchg8b") \
    X(BSWAP, "bswap")

/** X86_MNEMONICS() helper: one enumerator per entry (undefined below). */
#define X86_MNEMONIC_ENUM_(id, name) X86_MN_##id,
/** Mnemonic identifiers, one per operation (Jcc, SETcc and CMOVcc are one
 *  id each; ::x86_insn.cond says which condition). */
typedef enum x86_mnemonic {
    X86_MNEMONICS(X86_MNEMONIC_ENUM_)
    X86_MN_COUNT_ /**< number of mnemonics, not a mnemonic */
} x86_mnemonic;
#undef X86_MNEMONIC_ENUM_

/** Opcode maps (SDM Vol. 2A Appendix A.1). */
typedef enum x86_opcode_map {
    X86_MAP_PRIMARY = 0, /**< one-byte opcode map (Table A-2) */
    X86_MAP_0F = 1       /**< two-byte map after the 0F escape (Table A-3) */
} x86_opcode_map;

/** Value of ::x86_insn.cond when the instruction has no condition. */
#define X86_COND_NONE 0xFFu

/** A decoded instruction. */
typedef struct x86_insn {
    uint64_t address;     /**< rIP of the instruction as passed to
                               x86_decode(): an offset within CS, not a
                               linear address */
    uint8_t mode;         /**< ::x86_mode it was decoded for */
    uint8_t length;       /**< bytes consumed, 1..15; 0 unless the status is
                               OK or UNDEFINED */
    uint8_t bytes[X86_MAX_INSN_LEN]; /**< copy of the bytes read */
    uint16_t prefixes;    /**< ::X86_PFX_LOCK etc. */
    uint8_t num_prefixes; /**< legacy + REX prefix bytes before the opcode */
    uint8_t segment;      /**< last segment override prefix (::x86_seg) or
                               ::X86_SEG_NONE; in 64-bit mode ES/CS/SS/DS
                               overrides are recorded here but ignored for
                               addressing (SDM Vol. 1 §3.3.7.1) */
    uint8_t rex;          /**< REX byte in effect (0x40-0x4F) or 0; a REX not
                               immediately before the opcode is ignored
                               (SDM Vol. 2A §2.2.1) and reads as 0 */
    uint8_t map;          /**< ::x86_opcode_map */
    uint8_t opcode;       /**< opcode byte within `map` */
    bool has_modrm;       /**< a ModRM byte was read */
    bool has_sib;         /**< a SIB byte was read */
    uint8_t modrm;        /**< raw ModRM byte (valid if has_modrm) */
    uint8_t sib;          /**< raw SIB byte (valid if has_sib) */
    uint8_t mnemonic;     /**< ::x86_mnemonic */
    const char *name;     /**< SDM mnemonic with condition and size spelled
                               out ("jne", "cwde", "cmpxchg16b") */
    uint8_t cond;         /**< condition 0-15 (o,no,b,ae,e,ne,be,a,s,ns,p,
                               np,l,ge,le,g; SDM Vol. 1 Appendix B) for Jcc,
                               SETcc, CMOVcc, else ::X86_COND_NONE */
    uint8_t operand_size; /**< effective operand size in bytes: 1 for byte
                               forms, else 2, 4 or 8 (SDM Vol. 2A §2.2.1.2
                               Table 2-4 and §2.2.1.7) */
    uint8_t address_size; /**< effective address size in bytes: 2, 4 or 8 */
    uint8_t num_operands; /**< number of valid entries in operands[] */
    uint16_t flags;       /**< ::X86_INSN_STRING etc. */
    /** Explicit operands in Intel order (destination first).  Implicit
     *  register operands (rAX/rDX of mul/div, rCX of loop, the stack) are
     *  not listed; string instructions list their memory operands. */
    x86_operand operands[X86_MAX_OPERANDS];
} x86_insn;

/**
 * Decode one instruction.
 *
 * @param code    instruction bytes; only code[0..len) is ever read
 * @param len     number of valid bytes at `code`
 * @param mode    ::X86_MODE_16, ::X86_MODE_32 or ::X86_MODE_64
 * @param address rIP of the first byte (used for branch targets and
 *                RIP-relative operands)
 * @param insn    output; always written, fully valid only on
 *                ::X86_DECODE_OK (see ::X86_DECODE_UNDEFINED)
 * @return ::X86_DECODE_OK or the reason the bytes are not an instruction
 */
x86_status x86_decode(const uint8_t *code, size_t len, x86_mode mode,
                      uint64_t address, x86_insn *insn);

/**
 * Short human-readable description of a status, e.g. "unknown opcode".
 * @param status a value returned by x86_decode()
 * @return a static string, never NULL
 */
const char *x86_status_name(x86_status status);

/**
 * SDM name of a mnemonic id ("add", "jcc").  Prefer ::x86_insn.name, which
 * resolves conditions and operand-size spellings.
 * @param mnemonic an ::x86_mnemonic
 * @return a static string, "(bad)" for out-of-range values
 */
const char *x86_mnemonic_name(x86_mnemonic mnemonic);

#endif /* SPECTRUM_X86_DECODE_H */
