/**
 * @file pv_eoi.c
 * @brief The PV EOI protocol, host side (pv_eoi.h).
 *
 * The hypervisor reads and writes only the first byte of the area, and of
 * it only bit 0 (msr.rst: "Hypervisor is guaranteed to only modify this
 * least significant bit"), through the machine's map (gpm_read/gpm_write),
 * never through a pointer kept across exits.
 */
#include "pvhvm/pv_eoi.h"

#include "apic/ioapic.h"
#include "apic/lapic.h"
#include "mem/gpm.h"
#include "pvhvm/kvm_para.h"
#include "spectrum/exercise.h"

bool pv_eoi_enabled(const struct pv_eoi *p)
{
    return p->msr & KVM_MSR_ENABLED;
}

static uint64_t area_gpa(const struct pv_eoi *p)
{
    return p->msr & ~(KVM_MSR_ENABLED | KVM_PV_EOI_RESERVED);
}

enum pv_area_fault pv_eoi_set_msr(struct pv_eoi *p, const struct gpm *m, struct lapic *l, uint64_t value,
                                  uint64_t now)
{
    /* Bits 63:2 are a 4-byte aligned address: bit 1 set is a misaligned
     * one, refused even when disabling (KVM refuses it the same way). */
    if (value & KVM_PV_EOI_RESERVED)
        return PV_AREA_MISALIGNED;
    if (value & KVM_MSR_ENABLED) {
        enum pv_area_fault f = pv_area_check(m, value & ~KVM_MSR_ENABLED, KVM_PV_EOI_AREA, KVM_PV_EOI_AREA);
        if (f != PV_AREA_OK)
            return f;
    }
    pv_eoi_sync(p, m, l, now);   /* the old area's bit first */
    p->msr = value;
    return PV_AREA_OK;
}

/* Whether an unmasked level-triggered I/O APIC entry sends @p vector. */
static bool ioapic_level_vector(const struct ioapic *io, uint8_t vector)
{
    if (!io)
        return false;
    for (unsigned pin = 0; pin < IOAPIC_PINS; pin++) {
        uint64_t e = ioapic_entry(io, pin);
        if (!(e & IOREDIR_MASKED) && (e & IOREDIR_LEVEL) && (e & IOREDIR_VECTOR) == vector)
            return true;
    }
    return false;
}

static bool irr_empty(const struct lapic *l)
{
    for (int i = 0; i < 8; i++)
        if (l->irr[i])
            return false;
    return true;
}

/* The area is gone (it cannot be: it was RAM when accepted and RAM stays
 * RAM): switch PV EOI off rather than touch anything else. */
static void area_lost(struct pv_eoi *p)
{
    p->stats.lost++;
    p->msr = 0;
    p->pending = false;
}

void pv_eoi_delivered(struct pv_eoi *p, const struct gpm *m, struct lapic *l, const struct ioapic *io,
                      uint8_t vector, uint64_t now)
{
    if (!pv_eoi_enabled(p))
        return;
    if (p->pending)
        pv_eoi_sync(p, m, l, now);   /* never two vectors behind one bit */
    /* EXERCISE 04.pv-eoi 10 "Offer the EOI only when it may be skipped: the vector edge-triggered (TMR clear, and no unmasked level I/O APIC entry sends it) and no other vector waiting in the IRR; then set bit 0 of the guest's byte (and nothing else) and remember it is pending (Documentation/virt/kvm/x86/msr.rst MSR_KVM_PV_EOI_EN)" */
    if (((l->tmr[vector >> 5] >> (vector & 31)) & 1) || ioapic_level_vector(io, vector)) {
        p->stats.level++;
        return;
    }
    if (!irr_empty(l)) {
        p->stats.irr++;
        return;
    }
    uint8_t b;
    uint64_t gpa = area_gpa(p);
    if (!gpm_read(m, gpa, &b, 1)) {
        area_lost(p);
        return;
    }
    b |= KVM_PV_EOI_BIT;
    if (!gpm_write(m, gpa, &b, 1)) {
        area_lost(p);
        return;
    }
    p->pending = true;
    p->vector = vector;
    p->stats.offered++;
    /* STUB
    EXERCISE_TODO();
    (void)m;
    (void)io;
    (void)vector;
    (void)ioapic_level_vector;
    (void)irr_empty;
    STUB END */
    /* END EXERCISE 04.pv-eoi */
}

void pv_eoi_sync(struct pv_eoi *p, const struct gpm *m, struct lapic *l, uint64_t now)
{
    if (!p->pending)
        return;
    p->pending = false;
    uint8_t b;
    uint64_t gpa = area_gpa(p);
    if (!gpm_read(m, gpa, &b, 1)) {
        area_lost(p);
        return;
    }
    if (b & KVM_PV_EOI_BIT) {
        /* Not yet: take the offer back, the guest's EOI will exit. */
        b &= (uint8_t)~KVM_PV_EOI_BIT;
        if (!gpm_write(m, gpa, &b, 1))
            area_lost(p);
        p->stats.withdrawn++;
        return;
    }
    /* The guest cleared it: its EOI, done here as the register write would
     * do it (the highest vector in service ends; it is p->vector, which was
     * the highest when injected, and nothing was injected since). */
    uint64_t before = l->stats.eois;
    lapic_write(l, LAPIC_EOI, 4, 0, now);
    if (l->stats.eois != before)
        p->stats.pv_eois++;
}
