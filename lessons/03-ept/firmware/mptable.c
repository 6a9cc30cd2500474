/**
 * @file mptable.c
 * @brief The MP table of a one-processor lesson-03 PC (MultiProcessor
 *        Specification 1.4, chapter 4): processor 0 (the bootstrap
 *        processor), one ISA bus, one I/O APIC, the ISA IRQs on its pins
 *        as apic/isa_wiring.c wires them (the default configuration of
 *        §5.1 Table 5-1: IRQ0 at INTIN2, the 8259's INTR at INTIN0 as
 *        ExtINT, the others identity), and the local interrupts of the
 *        virtual-wire mode (§3.6.2.2: ExtINT on LINTIN0, NMI on LINTIN1).
 *
 * Linux reads it in arch/x86/kernel/mpparse.c (CONFIG_X86_MPPARSE), after
 * finding the floating pointer by its signature and checksum in
 * 0xF0000-0xFFFFF.
 */
#include "firmware/firmware.h"
#include "firmware/mptable.h"

#include "apic/ioapic.h"
#include "apic/lapic.h"
#include "spectrum/exercise.h"
#include "spectrum/string.h"

#define MP_ISA_BUS 0        /**< our only bus */
#define MP_CONFORMS 0       /**< flags: polarity and trigger as the bus defines them (ISA: high, edge) */
#define MP_CPU_SIGNATURE 0x600u  /**< family 6: any P6-or-later value; Linux only prints it */
#define MP_CPU_FEATURES  0x201u  /**< CPUID.1 EDX: FPU (bit 0), APIC (bit 9) */

/** Blank-padded copy of @p s into @p dst[@p n] (§4.2: IDs are blank filled). */
static void mp_id(char *dst, size_t n, const char *s)
{
    size_t l = strlen(s);
    memset(dst, ' ', n);
    memcpy(dst, s, l < n ? l : n);
}

/** The entries after the header; returns their count, 0 if @p cap is too small. */
static unsigned mp_entries(const struct fw_platform *pf, uint8_t *p, size_t cap, size_t *used)
{
    size_t at = 0;
    unsigned n = 0;
#define MP_PUT(v)                                                                                                  \
    do {                                                                                                           \
        if (cap - at < sizeof(v))                                                                                  \
            return 0;                                                                                              \
        memcpy(p + at, &(v), sizeof(v));                                                                           \
        at += sizeof(v);                                                                                           \
        n++;                                                                                                       \
    } while (0)
    struct mp_processor cpu = { MP_ENTRY_PROCESSOR, FW_LAPIC_ID, (uint8_t)LAPIC_VERSION_VALUE, MP_CPU_EN | MP_CPU_BP,
                                MP_CPU_SIGNATURE, MP_CPU_FEATURES, { 0, 0 } };
    MP_PUT(cpu);
    struct mp_bus isa = { MP_ENTRY_BUS, MP_ISA_BUS, "ISA   " };
    MP_PUT(isa);
    struct mp_ioapic io = { MP_ENTRY_IOAPIC, FW_IOAPIC_ID, (uint8_t)IOAPIC_VERSION, 1, pf->ioapic_base };
    MP_PUT(io);
    /* EXERCISE 03.mp-table 10 "One I/O interrupt entry per ISA IRQ with an I/O APIC pin (fw_isa_pin: IRQ0 on INTIN2, no IRQ2), plus the 8259 as ExtINT on INTIN0, then ExtINT on LINTIN0 and NMI on LINTIN1 of every local APIC: MultiProcessor Specification 1.4 sections 4.3.4, 4.3.5 and 5.1 Table 5-1" */
    struct mp_intsrc e = { MP_ENTRY_IOINT, MP_EXTINT, MP_CONFORMS, MP_ISA_BUS, 0, FW_IOAPIC_ID, 0 };
    MP_PUT(e);   /* the 8259's INTR on INTIN0 (Table 5-1) */
    for (unsigned irq = 0; irq < FW_ISA_IRQS; irq++) {
        int pin = fw_isa_pin(irq);
        if (pin < 0 || (unsigned)pin >= pf->ioapic_pins)
            continue;
        e = (struct mp_intsrc){ MP_ENTRY_IOINT, MP_INT, MP_CONFORMS, MP_ISA_BUS, (uint8_t)irq, FW_IOAPIC_ID,
                                (uint8_t)pin };
        MP_PUT(e);
    }
    e = (struct mp_intsrc){ MP_ENTRY_LOCALINT, MP_EXTINT, MP_CONFORMS, MP_ISA_BUS, 0, MP_ALL_LAPICS, 0 };
    MP_PUT(e);
    e = (struct mp_intsrc){ MP_ENTRY_LOCALINT, MP_NMI, MP_CONFORMS, MP_ISA_BUS, 0, MP_ALL_LAPICS, 1 };
    MP_PUT(e);
    /* STUB
    EXERCISE_TODO();
    (void)pf;
    // Without its interrupt entries the table is refused (return 0): the
    // loader stops with "the MP table does not fit".
    return 0;
    STUB END */
    /* END EXERCISE 03.mp-table */
#undef MP_PUT
    *used = at;
    return n;
}

size_t mptable_build(const struct fw_platform *pf, uint32_t gpa, uint8_t *buf, size_t cap)
{
    struct mp_floating fp;
    struct mp_config hdr;
    size_t body = 0;
    if (cap < sizeof fp + sizeof hdr)
        return 0;
    unsigned n = mp_entries(pf, buf + sizeof fp + sizeof hdr, cap - sizeof fp - sizeof hdr, &body);
    if (n == 0)
        return 0;

    memset(&hdr, 0, sizeof hdr);
    memcpy(hdr.signature, MP_CONFIG_SIG, 4);
    hdr.length = (uint16_t)(sizeof hdr + body);
    hdr.spec_rev = MP_SPEC_REV;
    mp_id(hdr.oem_id, sizeof hdr.oem_id, "SPECTRUM");
    mp_id(hdr.product_id, sizeof hdr.product_id, "LESSON03 PC");
    hdr.entry_count = (uint16_t)n;
    hdr.lapic_base = pf->lapic_base;
    memcpy(buf + sizeof fp, &hdr, sizeof hdr);
    buf[sizeof fp + offsetof(struct mp_config, checksum)] = fw_checksum(buf + sizeof fp, hdr.length);

    /* §4.1: the floating pointer, right before the table. */
    memset(&fp, 0, sizeof fp);
    memcpy(fp.signature, MP_FLOATING_SIG, 4);
    fp.config_gpa = gpa + (uint32_t)sizeof fp;
    fp.length = 1;
    fp.spec_rev = MP_SPEC_REV;
    fp.checksum = fw_checksum(&fp, sizeof fp);
    memcpy(buf, &fp, sizeof fp);
    return sizeof fp + hdr.length;
}
