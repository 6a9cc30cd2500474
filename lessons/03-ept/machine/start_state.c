/**
 * @file start_state.c
 * @brief The first state of a vCPU for each start mode of struct hvm_start.
 *
 *  - Real mode, as a PC after its firmware (SDM Vol. 3A §9.1.1 Table 9-1
 *    for the reset values; §20.1 for real-mode addressing): every segment
 *    base is selector * 16 with a 64 KiB limit, the IDT is the interrupt
 *    vector table at 0 (limit 0x3FF), CR0 = ET only (PE = PG = 0), flags
 *    with IF = 0.  VMX needs "unrestricted guest" for this (SDM Vol. 3C
 *    §27.3.1.2: CS type 3 or 11, SS.DPL = 0 with CR0.PE = 0); SVM runs it
 *    as is (APM Vol. 2 §15.19, with nested paging).
 *  - 32-bit protected mode, paging off, as Multiboot 0.6.96 §3.2 demands:
 *    CS a flat 32-bit code segment, the data segments flat, GDTR possibly
 *    invalid (the OS must load its own before reloading a segment),
 *    EFLAGS.IF = 0, CR0.PE = 1, CR0.PG = 0.
 *  - 64-bit mode on the loader's page tables (Linux boot protocol
 *    "64-bit boot"): CR0.PE|PG, CR4.PAE, EFER.LME|LMA, a 64-bit CS.
 * TR must still hold a busy TSS type for VM entry (§27.3.1.2) even though
 * no guest here uses a TSS yet; the LDTR is unusable / null.
 */
#include "machine/start_state.h"

#include "spectrum/string.h"
#include "spectrum/x86_bits.h"

#define AR_P     0x80u
#define AR_S     0x10u
#define AR_DB    (1u << 14)
#define AR_G     (1u << 15)
#define AR_L     (1u << 13)
#define TYPE_CODE_RX_A 0xbu   /* execute/read, accessed */
#define TYPE_DATA_RW_A 0x3u   /* read/write, accessed */
#define TYPE_TSS_BUSY  0xbu   /* 32/64-bit busy TSS (system segment) */

#define SEL_CODE32 0x08u      /* the selectors a multiboot kernel typically sees (any are allowed) */
#define SEL_DATA   0x10u
/* LONG64 is the Linux 64-bit entry (loader/bz_entry.c), whose protocol
 * names the selectors: __BOOT_CS 0x10, __BOOT_DS 0x18 (boot.rst "64-bit
 * Boot Protocol"); the loader's GDT holds those descriptors there. */
#define SEL_BOOT_CS 0x10u
#define SEL_BOOT_DS 0x18u

static struct start_seg seg(uint16_t sel, uint64_t base, uint32_t limit, uint32_t ar)
{
    struct start_seg s = { sel, base, limit, ar, false };
    return s;
}

void start_state_for(const struct hvm_start *st, struct start_state *o)
{
    memset(o, 0, sizeof *o);
    o->rip = st->rip;
    o->rsp = st->rsp;
    o->ldtr = seg(0, 0, 0, 0);
    o->ldtr.unusable = true;
    o->tr = seg(0, 0, 0xffff, AR_P | TYPE_TSS_BUSY);
    if (st->mode == HVM_START_REAL16) {
        o->cr0 = CR0_ET;
        uint32_t code = AR_P | AR_S | TYPE_CODE_RX_A, data = AR_P | AR_S | TYPE_DATA_RW_A;
        o->cs = seg(st->cs_sel, (uint64_t)st->cs_sel << 4, 0xffff, code);
        o->ss = o->ds = o->es = o->fs = o->gs = seg(0, 0, 0xffff, data);
        o->gdt_limit = 0xffff;
        o->idt_base = 0;
        o->idt_limit = 0x3ff;
        o->rip &= 0xffff;
        o->rsp &= 0xffff;
        return;
    }
    uint32_t data = AR_P | AR_S | TYPE_DATA_RW_A | AR_DB | AR_G;
    o->ss = o->ds = o->es = o->fs = o->gs = seg(SEL_DATA, 0, 0xffffffffu, data);
    o->gdt_base = st->gdt_base;
    o->gdt_limit = st->gdt_limit;
    o->idt_limit = 0;
    if (st->mode == HVM_START_LONG64) {
        o->ss = o->ds = o->es = o->fs = o->gs = seg(SEL_BOOT_DS, 0, 0xffffffffu, data);
        o->cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_PG;
        o->cr4 = CR4_PAE;
        o->cr3 = st->cr3;
        o->efer = EFER_LME | EFER_LMA;
        o->cs = seg(SEL_BOOT_CS, 0, 0xffffffffu, AR_P | AR_S | TYPE_CODE_RX_A | AR_L | AR_G);
    } else {
        o->cr0 = CR0_PE | CR0_ET;
        o->cs = seg(SEL_CODE32, 0, 0xffffffffu, AR_P | AR_S | TYPE_CODE_RX_A | AR_DB | AR_G);
    }
}
