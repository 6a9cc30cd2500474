/**
 * @file fuzz_pv_eoi.c
 * @brief libFuzzer target: the PV EOI protocol (pvhvm/pv_eoi.c) and the
 *        area check (pvhvm/pv_area.c) under a hostile guest - random
 *        MSR_KVM_PV_EOI_EN values, random bytes written into its RAM (the
 *        PV EOI word included, at any time), random local-APIC and I/O
 *        APIC register writes, interrupts from devices, APIC resets - in
 *        the order the glue calls them (pvhvm/pv_eoi_dev.c: sync before
 *        every delivery decision and every APIC access, delivered after
 *        each injection).
 *
 * Besides the sanitizers, after every host step it checks that
 *  - the host changed guest RAM in at most one place, bit 0 of the first
 *    byte of an area it had accepted (msr.rst: "only modify this least
 *    significant bit");
 *  - an offer stands only for an edge-triggered vector with nothing else
 *    waiting in the IRR;
 *  - an EOI done for the guest ends the vector it was offered for (or
 *    nothing, after an APIC reset), never another one.
 * A broken rule aborts, which libFuzzer records as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apic/ioapic.h"
#include "apic/lapic.h"
#include "host_pages.h"
#include "mem/gpm.h"
#include "pvhvm/kvm_para.h"
#include "pvhvm/pv_eoi.h"

#define RAM 0x4000ull         /* 16 KiB of RAM at 0, then a hole, ROM, MMIO */
#define AREA 0x2000ull        /* where most MSR values point */

static struct gpm m;
static uint8_t before[RAM], after[RAM];

static void ram_snapshot(uint8_t *to)
{
    if (!gpm_read(&m, 0, to, RAM))
        abort();
}

static int highest(const uint32_t *r)
{
    for (int i = 7; i >= 0; i--)
        if (r[i])
            return i * 32 + 31 - __builtin_clz(r[i]);
    return -1;
}

/* The host may have changed only bit 0 of the byte at an accepted area. */
static void only_bit0(uint64_t area_a, uint64_t area_b)
{
    ram_snapshot(after);
    for (uint64_t i = 0; i < RAM; i++) {
        if (before[i] == after[i])
            continue;
        if ((i != area_a && i != area_b) || ((before[i] ^ after[i]) & ~KVM_PV_EOI_BIT))
            abort();
    }
}

static uint64_t area_of(const struct pv_eoi *p)
{
    return pv_eoi_enabled(p) ? (p->msr & ~3ull) : UINT64_MAX;
}

/* A sync (any exit): if the guest cleared an offered bit, the EOI the host
 * does must end the offered vector. */
static void sync(struct pv_eoi *p, struct lapic *l)
{
    if (p->pending) {
        uint8_t b;
        if (!gpm_read(&m, area_of(p), &b, 1))
            abort();
        int top = highest(l->isr);
        if (!(b & KVM_PV_EOI_BIT) && top >= 0 && top != p->vector)
            abort();
    }
    ram_snapshot(before);
    uint64_t a = area_of(p);
    pv_eoi_sync(p, &m, l, 0);
    only_bit0(a, a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool made;
    static struct lapic l;
    static struct ioapic io;
    static const uint8_t zero[RAM];
    char why[128];
    if (!made) {
        host_pages_fail_after(-1);
        gpm_init(&m, 39);
        if (!gpm_add(&m, 0, RAM, GPM_RAM, "ram", why, sizeof why) ||
            !gpm_add(&m, 0xf0000, 0x10000, GPM_ROM, "bios", why, sizeof why) ||
            !gpm_add(&m, 0xfec00000, 0x1000, GPM_MMIO, "ioapic", why, sizeof why) ||
            !gpm_add(&m, 0xfee00000, 0x1000, GPM_MMIO, "lapic", why, sizeof why))
            abort();
        made = true;
    }
    if (!gpm_write(&m, 0, zero, RAM))
        abort();
    lapic_reset(&l, 1000000000ull);
    lapic_write(&l, LAPIC_SVR, 4, SVR_ENABLE | 0xff, 0);
    ioapic_reset(&io);
    struct pv_eoi p;
    memset(&p, 0, sizeof p);
    static const uint64_t gpas[] = { AREA, AREA + 4, AREA + 2, RAM - 4, RAM - 2, RAM, 0xf0000, 0xfee00000,
                                     0xfec00000, 0xa0000, UINT64_MAX - 3, 0xfff };
    /* Each step: a kind byte and 8 value bytes. */
    for (size_t i = 0; i + 9 <= size; i += 9) {
        uint8_t kind = data[i];
        uint64_t v;
        memcpy(&v, data + i + 1, 8);
        switch (kind % 9) {
        case 0: {   /* an entry: sync, then inject what the APIC offers */
            sync(&p, &l);
            int vec = lapic_ack(&l);
            if (vec >= 0) {
                ram_snapshot(before);
                pv_eoi_delivered(&p, &m, &l, &io, (uint8_t)vec, 0);
                only_bit0(area_of(&p), area_of(&p));
                if (p.pending && (((l.tmr[p.vector >> 5] >> (p.vector & 31)) & 1) || highest(l.irr) >= 0))
                    abort();
            }
            break;
        }
        case 1:     /* the guest writes the EOI register */
            sync(&p, &l);
            lapic_write(&l, LAPIC_EOI, 4, 0, 0);
            break;
        case 2:     /* the guest writes another APIC register */
            sync(&p, &l);
            lapic_write(&l, (uint32_t)(v >> 32) & 0xff0, 4, v, 0);
            break;
        case 3:     /* a device's interrupt */
            (void)lapic_accept(&l, (uint8_t)v, (v >> 8) & 1);
            break;
        case 4:     /* the guest programs the I/O APIC */
            ioapic_write(&io, (uint32_t)(v >> 40) & 0x10, 4, v);
            break;
        case 5: {   /* WRMSR MSR_KVM_PV_EOI_EN */
            uint64_t value = (v >> 63) ? v : gpas[(v >> 8) % (sizeof gpas / sizeof gpas[0])] | (v & 3);
            uint64_t old = area_of(&p);
            ram_snapshot(before);
            enum pv_area_fault f = pv_eoi_set_msr(&p, &m, &l, value, 0);
            only_bit0(old, old);
            if (f == PV_AREA_OK && (value & 1) &&
                pv_area_check(&m, value & ~1ull, KVM_PV_EOI_AREA, KVM_PV_EOI_AREA) != PV_AREA_OK)
                abort();
            if (f != PV_AREA_OK && p.msr == value && value != 0)
                abort();
            break;
        }
        case 6: {   /* the guest writes a byte of its RAM, often the PV EOI word */
            uint64_t gpa = (v & 0x10000) ? area_of(&p) : (v >> 20) % RAM;
            uint8_t b = (uint8_t)v;
            if (gpa < RAM && !gpm_write(&m, gpa, &b, 1))
                abort();
            break;
        }
        case 7:     /* IA32_APIC_BASE: may disable and reset the APIC */
            (void)lapic_set_base(&l, v);
            break;
        default:    /* any other exit */
            sync(&p, &l);
            break;
        }
    }
    return 0;
}
