/**
 * @file interp_mem.c
 * @brief Segmented memory for the interpreter: effective addresses,
 *        segment limits, linear addresses, the stack, segment loads, and
 *        reading/writing decoded operands.
 *
 * The path of every guest data access (SDM Vol. 3A §3.1, Figure 3-1):
 *
 *   effective address (offset)      base + index*scale + disp, truncated
 *                                   to the address size (§3.7.5 Vol. 1)
 *   -> limit check                  offset .. offset+size-1 <= limit
 *   -> linear = segment base + offset
 *   -> guest memory                 gmem_ptr(): the whole range must lie
 *                                   inside the VM's memory
 *
 * No paging (real mode and the flat mode both run with CR0.PG = 0), so
 * the linear address is the guest-physical address.  The last step is
 * what keeps a hostile guest inside its own memory: gmem_ptr() is the only
 * way to a host pointer, and it checks the full range.
 */
#include "x86/interp_internal.h"

#include "vm/gmem.h"
#include "vm/vm.h"

static const char *const seg_names[6] = { "ES", "CS", "SS", "DS", "FS", "GS" };

static const char *seg_name(unsigned seg)
{
    return seg < 6 ? seg_names[seg] : "??";
}

uint32_t interp_effective_address(const struct interp *it, const x86_mem *m)
{
    const struct interp_cpu *cpu = &it->cpu;
    uint64_t ea = (uint64_t)m->disp;
    if (m->base != X86_NO_REG)
        ea += cpu->gpr[m->base & 15];
    if (m->index != X86_NO_REG)
        ea += cpu->gpr[m->index & 15] * m->scale;
    /* 16-bit addressing wraps at 64 KiB (SDM Vol. 1 §3.3.6): [BX+SI+disp]
     * with a sum above 0xFFFF addresses the start of the segment. */
    return (uint32_t)ea & interp_mask(m->addr_size);
}

bool interp_linear(struct interp *it, unsigned seg, uint64_t offset, unsigned size, uint64_t *linear)
{
    if (seg >= 6)
        return interp_fault(it, "bad segment register %u", seg);
    const struct interp_seg *s = &it->cpu.seg[seg];
    /* An access that does not fit below the limit raises #GP (#SS for the
     * stack segment) in both modes (SDM Vol. 3A §22.1.1 for real mode,
     * §5.3 for protected mode).  Spectrum stops the guest instead of
     * delivering it: no lesson-01 guest handles #GP. */
    if (offset + size - 1 > s->limit)
        return interp_fault(it, "%u-byte access at %s:%#lx crosses the segment limit %#x (#%s)", size,
                            seg_name(seg), (unsigned long)offset, s->limit, seg == X86_SEG_SS ? "SS" : "GP");
    *linear = s->base + offset;
    return true;
}

/* Host pointer for [linear, linear+size), or a fault naming the access. */
static uint8_t *guest_bytes(struct interp *it, uint64_t linear, unsigned size, const char *what)
{
    uint8_t *p = gmem_ptr(&it->vm->mem, linear, size);
    if (!p)
        interp_fault(it, "%s of %u bytes at linear %#lx is outside guest memory (%#lx bytes)", what, size,
                     (unsigned long)linear, (unsigned long)it->vm->mem.size);
    return p;
}

bool interp_probe(struct interp *it, unsigned seg, uint64_t offset, unsigned size)
{
    uint64_t linear = 0;
    return interp_linear(it, seg, offset, size, &linear) && guest_bytes(it, linear, size, "write") != 0;
}

bool interp_read_linear(struct interp *it, uint64_t linear, unsigned size, uint32_t *value)
{
    const uint8_t *p = guest_bytes(it, linear, size, "read");
    if (!p)
        return false;
    /* Byte by byte, little-endian: guest addresses need not be aligned
     * and a host load of a misaligned uint32_t would be undefined. */
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)p[i] << (8 * i);
    *value = v;
    return true;
}

bool interp_read(struct interp *it, unsigned seg, uint64_t offset, unsigned size, uint32_t *value)
{
    uint64_t linear = 0;
    return interp_linear(it, seg, offset, size, &linear) && interp_read_linear(it, linear, size, value);
}

bool interp_write(struct interp *it, unsigned seg, uint64_t offset, unsigned size, uint32_t value)
{
    uint64_t linear = 0;
    if (!interp_linear(it, seg, offset, size, &linear))
        return false;
    uint8_t *p = guest_bytes(it, linear, size, "write");
    if (!p)
        return false;
    for (unsigned i = 0; i < size; i++)
        p[i] = (uint8_t)(value >> (8 * i));
    return true;
}

bool interp_push(struct interp *it, unsigned size, uint32_t value)
{
    unsigned ss = interp_stack_size(it);
    uint32_t sp = (interp_gpr(&it->cpu, X86_RSP, ss) - size) & interp_mask(ss);
    /* Write first, then commit SP: a push that faults leaves SP as it was,
     * as the CPU's would (SDM Vol. 2B "PUSH": the decrement and the store
     * are one instruction). */
    if (!interp_write(it, X86_SEG_SS, sp, size, value))
        return false;
    interp_set_gpr(&it->cpu, X86_RSP, ss, sp);
    return true;
}

bool interp_pop(struct interp *it, unsigned size, uint32_t *value)
{
    unsigned ss = interp_stack_size(it);
    uint32_t sp = interp_gpr(&it->cpu, X86_RSP, ss);
    if (!interp_read(it, X86_SEG_SS, sp, size, value))
        return false;
    /* SP wraps at 64 KiB in real mode: popping at SP = 0xFFFE leaves 0. */
    interp_set_gpr(&it->cpu, X86_RSP, ss, (sp + size) & interp_mask(ss));
    return true;
}

bool interp_load_segment(struct interp *it, unsigned seg, uint16_t selector)
{
    if (seg >= 6)
        return interp_fault(it, "bad segment register %u", seg);
    if (it->mode != INTERP_MODE_REAL)
        return interp_fault(it, "loading %s with %#x needs a descriptor table; the flat 32-bit mode has none",
                            seg_name(seg), selector);
    /* Real mode: the base is the selector shifted left by 4, the limit and
     * attributes stay as they are (SDM Vol. 3A §22.1). */
    it->cpu.seg[seg].selector = selector;
    it->cpu.seg[seg].base = (uint32_t)selector << 4;
    return true;
}

bool interp_operand_read(struct interp *it, const x86_operand *op, uint32_t *value)
{
    const struct interp_cpu *cpu = &it->cpu;
    switch (op->kind) {
    case X86_OPERAND_REG:
        switch (op->reg.cls) {
        case X86_REG_GPR:
            *value = interp_gpr(cpu, op->reg.num, op->size);
            return true;
        case X86_REG_GPR_HIGH8: /* AH, CH, DH, BH: bits 15:8 */
            *value = (uint32_t)(cpu->gpr[op->reg.num & 3] >> 8) & 0xff;
            return true;
        case X86_REG_SEG:
            if (op->reg.num >= 6)
                return interp_fault(it, "reserved segment register %u", op->reg.num);
            *value = cpu->seg[op->reg.num].selector;
            return true;
        default:
            return interp_fault(it, "control/debug registers are not emulated");
        }
    case X86_OPERAND_IMM:
        *value = (uint32_t)op->imm.value;
        return true;
    case X86_OPERAND_MEM:
        if (op->size != 1 && op->size != 2 && op->size != 4)
            return interp_fault(it, "unsupported %u-byte memory operand", op->size);
        return interp_read(it, op->mem.segment, interp_effective_address(it, &op->mem), op->size, value);
    default:
        return interp_fault(it, "operand kind %u cannot be read as a value", op->kind);
    }
}

bool interp_operand_write(struct interp *it, const x86_operand *op, uint32_t value)
{
    struct interp_cpu *cpu = &it->cpu;
    switch (op->kind) {
    case X86_OPERAND_REG:
        switch (op->reg.cls) {
        case X86_REG_GPR:
            interp_set_gpr(cpu, op->reg.num, op->size, value);
            return true;
        case X86_REG_GPR_HIGH8:
            cpu->gpr[op->reg.num & 3] = (cpu->gpr[op->reg.num & 3] & ~(uint64_t)0xff00) |
                                        ((uint64_t)(value & 0xff) << 8);
            return true;
        case X86_REG_SEG:
            /* MOV CS is #UD and the decoder says so; POP CS does not exist. */
            if (op->reg.num == X86_SEG_CS)
                return interp_fault(it, "CS cannot be loaded by MOV or POP (#UD)");
            return interp_load_segment(it, op->reg.num, (uint16_t)value);
        default:
            return interp_fault(it, "control/debug registers are not emulated");
        }
    case X86_OPERAND_MEM:
        if (op->size != 1 && op->size != 2 && op->size != 4)
            return interp_fault(it, "unsupported %u-byte memory operand", op->size);
        return interp_write(it, op->mem.segment, interp_effective_address(it, &op->mem), op->size, value);
    default:
        return interp_fault(it, "operand kind %u cannot be written", op->kind);
    }
}
