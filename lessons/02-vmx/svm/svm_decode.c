/**
 * @file svm_decode.c
 * @brief The little instruction decoding SVM needs without NRIPS and
 *        decode assists: where the exiting instruction ends, and which
 *        register a MOV to CR0/CR4 uses.
 *
 * Without NRIP save (CPUID 8000_000Ah EDX[3]; QEMU TCG has none) the VMCB
 * says where the guest was, not how long the instruction was, and without
 * decode assists (EDX[7]) a CR-write intercept gives no register number
 * (APM Vol. 2 §15.7.1, §15.33).  So Spectrum reads the bytes at the
 * guest's CS:RIP (through the guest's page tables, vcpu/guest_space.h) and
 * decodes just these forms (AMD64 APM Vol. 3, "Instruction Encoding"):
 *   [legacy prefixes] [REX, 64-bit mode only] opcode [ModRM]
 *   CPUID 0F A2, HLT F4, RDMSR 0F 32, WRMSR 0F 30, VMMCALL 0F 01 D9,
 *   MOV CRn,reg 0F 22 /r, MOV reg,CRn 0F 20 /r, CLTS 0F 06, LMSW 0F 01 /6.
 * MOV CR always uses the register form: ModRM.mod is ignored (APM Vol. 3
 * "MOV CRn"); ModRM.reg (+REX.R, or +8 with LOCK on AMD: the alternate CR8
 * encoding) names the CR, ModRM.rm (+REX.B) the GPR.  A general decoder
 * (lesson 01's x86/decode.h) could replace this once it is part of every
 * stage; this one is bounded by the 15-byte limit and by the bytes given.
 * Pure code (no kernel calls): tests/test_svm_decode.c runs it hosted.
 */
#include "svm/svm_decode.h"

#define MAX_INSN 15   /* APM Vol. 3 §1.1: instructions are at most 15 bytes */

static bool is_legacy_prefix(uint8_t b)
{
    switch (b) {
    case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:   /* segment overrides */
    case 0x66: case 0x67:                                               /* operand/address size */
    case 0xf0: case 0xf2: case 0xf3:                                    /* LOCK, REPNE, REP */
        return true;
    default:
        return false;
    }
}

/* Skip prefixes; returns the opcode's index (or n if the bytes ran out).
 * A REX counts only right before the opcode (APM Vol. 3 §1.2.7). */
static size_t skip_prefixes(const uint8_t *b, size_t n, bool long64, bool *lock, uint8_t *rex)
{
    size_t i = 0;
    *lock = false;
    *rex = 0;
    if (n > MAX_INSN)
        n = MAX_INSN;
    while (i < n) {
        if (is_legacy_prefix(b[i])) {
            if (b[i] == 0xf0)
                *lock = true;
            *rex = 0;
            i++;
        } else if (long64 && (b[i] & 0xf0) == 0x40) {
            *rex = b[i];
            i++;
        } else {
            break;
        }
    }
    return i;
}

unsigned svm_insn_prefixed_len(const uint8_t *b, size_t n, bool long64, const uint8_t *op, unsigned oplen)
{
    bool lock;
    uint8_t rex;
    if (n > MAX_INSN)
        n = MAX_INSN;
    size_t i = skip_prefixes(b, n, long64, &lock, &rex);
    if (oplen > n - i)
        return 0;
    for (unsigned k = 0; k < oplen; k++)
        if (b[i + k] != op[k])
            return 0;
    return (unsigned)(i + oplen);
}

bool svm_insn_decode_cr(const uint8_t *b, size_t n, bool long64, struct svm_cr_insn *out)
{
    bool lock;
    uint8_t rex;
    if (n > MAX_INSN)
        n = MAX_INSN;
    size_t i = skip_prefixes(b, n, long64, &lock, &rex);
    if (n - i < 2 || b[i] != 0x0f)
        return false;
    uint8_t op = b[i + 1];
    if (op == 0x06) {                                   /* CLTS */
        *out = (struct svm_cr_insn){ .kind = SVM_CR_CLTS, .write = true, .cr = 0, .len = (uint8_t)(i + 2) };
        return true;
    }
    if (n - i < 3)
        return false;
    uint8_t modrm = b[i + 2];
    unsigned reg = (modrm >> 3) & 7, rm = modrm & 7;
    if (op == 0x01 && reg == 6 && (modrm >> 6) == 3) {  /* LMSW r16 (register form only) */
        *out = (struct svm_cr_insn){ .kind = SVM_CR_LMSW, .write = true, .cr = 0,
                                     .gpr = (uint8_t)(rm | ((rex & 1) << 3)), .len = (uint8_t)(i + 3) };
        return true;
    }
    if (op != 0x20 && op != 0x22)
        return false;
    *out = (struct svm_cr_insn){
        .kind = SVM_CR_MOV,
        .write = op == 0x22,
        .cr = (uint8_t)(reg | ((rex & 4) << 1) | (lock ? 8 : 0)),
        .gpr = (uint8_t)(rm | ((rex & 1) << 3)),
        .len = (uint8_t)(i + 3),
    };
    return true;
}

