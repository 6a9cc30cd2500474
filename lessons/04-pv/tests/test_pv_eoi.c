/**
 * @file test_pv_eoi.c
 * @brief Unit tests of the guest-area check (pvhvm/pv_area.c) and of the
 *        PV EOI protocol (pvhvm/pv_eoi.c) on a PC-like memory map
 *        (mem/gpm.c) with lesson 03's local APIC and I/O APIC models.
 *
 * The guest's side is played by the test: it clears bit 0 of the area as
 * Linux's kvm_guest_apic_eoi_write() does, or writes the EOI register
 * (lapic_write) when the bit was not set.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "apic/ioapic.h"
#include "apic/lapic.h"
#include "check_main.h"
#include "host_pages.h"
#include "mem/gpm.h"
#include "pvhvm/kvm_para.h"
#include "pvhvm/pv_area.h"
#include "pvhvm/pv_eoi.h"

#define MIB (1ull << 20)
#define AREA 0x5000ull          /* the guest's PV EOI word */
#define AREA2 0x6008ull         /* another one */
#define VEC_A 0x31              /* vectors of two priority classes */
#define VEC_B 0x41
#define VEC_LOW 0x25

static struct gpm m;
static struct lapic l;
static struct ioapic io;
static struct pv_eoi p;
static char why[160];

static void setup(void)
{
    host_pages_fail_after(-1);
    host_pages_no_runs(true);
    gpm_init(&m, 39);
    ck_assert(gpm_add(&m, 0, 0xa0000, GPM_RAM, "low", why, sizeof why));
    ck_assert(gpm_add(&m, 0xe0000, 0x20000, GPM_ROM, "bios", why, sizeof why));
    ck_assert(gpm_add(&m, 1 * MIB, 8 * MIB, GPM_RAM, "ram", why, sizeof why));
    ck_assert(gpm_add(&m, 0xfec00000, 0x1000, GPM_MMIO, "ioapic", why, sizeof why));
    ck_assert(gpm_add(&m, 0xfee00000, 0x1000, GPM_MMIO, "lapic", why, sizeof why));
    lapic_reset(&l, 1000000000ull);
    lapic_write(&l, LAPIC_SVR, 4, SVR_ENABLE | 0xff, 0);
    ioapic_reset(&io);
    memset(&p, 0, sizeof p);
}

static void teardown(void)
{
    gpm_destroy(&m);
    ck_assert_uint_eq(host_pages_outstanding(), 0);
}

static uint8_t peek(uint64_t gpa)
{
    uint8_t b = 0xee;
    ck_assert(gpm_read(&m, gpa, &b, 1));
    return b;
}

static void poke(uint64_t gpa, uint8_t b) { ck_assert(gpm_write(&m, gpa, &b, 1)); }

static bool in_service(unsigned v) { return (l.isr[v >> 5] >> (v & 31)) & 1; }

/* The CPU takes @p v (accepted with trigger @p level): IRR -> ISR, then
 * the delivered hook, as apic_irq.c's ack does. */
static void inject(uint8_t v, bool level)
{
    ck_assert(lapic_accept(&l, v, level));
    ck_assert_int_eq(lapic_ack(&l), v);
    pv_eoi_delivered(&p, &m, &l, &io, v, 0);
}

/* The guest's EOI: test-and-clear bit 0, else the register. */
static bool guest_eoi(uint64_t gpa)
{
    uint8_t b = peek(gpa);
    if (b & KVM_PV_EOI_BIT) {
        poke(gpa, (uint8_t)(b & ~KVM_PV_EOI_BIT));
        return true;
    }
    lapic_write(&l, LAPIC_EOI, 4, 0, 0);
    return false;
}

static void enable(uint64_t gpa)
{
    ck_assert_int_eq(pv_eoi_set_msr(&p, &m, &l, gpa | KVM_MSR_ENABLED, 0), PV_AREA_OK);
}

/* ---- the area check ---- */

START_TEST(area_good)
{
    ck_assert_int_eq(pv_area_check(&m, AREA, 4, 4), PV_AREA_OK);
    ck_assert_int_eq(pv_area_check(&m, 0x9f000, 4096, 4), PV_AREA_OK);          /* a whole page */
    ck_assert_int_eq(pv_area_check(&m, 0xfe0, 32, 4), PV_AREA_OK);             /* ends at a page's end */
    ck_assert_int_eq(pv_area_check(&m, 9 * MIB - 12, 12, 4), PV_AREA_OK);      /* the last bytes of RAM */
}
END_TEST

START_TEST(area_bad)
{
    ck_assert_int_eq(pv_area_check(&m, AREA + 2, 4, 4), PV_AREA_MISALIGNED);
    ck_assert_int_eq(pv_area_check(&m, 0xff0, 32, 4), PV_AREA_CROSSES_PAGE);
    ck_assert_int_eq(pv_area_check(&m, 0x9fffc, 8, 4), PV_AREA_CROSSES_PAGE);   /* also into the hole */
    ck_assert_int_eq(pv_area_check(&m, 0xa0000, 4, 4), PV_AREA_NOT_RAM);        /* the video hole */
    ck_assert_int_eq(pv_area_check(&m, 0xf0000, 32, 4), PV_AREA_NOT_RAM);       /* ROM */
    ck_assert_int_eq(pv_area_check(&m, 0xfee00000, 32, 4), PV_AREA_NOT_RAM);    /* the local APIC */
    ck_assert_int_eq(pv_area_check(&m, 0xfec00010, 4, 4), PV_AREA_NOT_RAM);     /* the I/O APIC */
    ck_assert_int_eq(pv_area_check(&m, 9 * MIB, 4, 4), PV_AREA_NOT_RAM);        /* right after RAM */
    ck_assert_int_eq(pv_area_check(&m, 1ull << 40, 4, 4), PV_AREA_NOT_RAM);
    ck_assert_int_eq(pv_area_check(&m, UINT64_MAX - 3, 4, 4), PV_AREA_NOT_RAM); /* the top of 2^64: no region */
    ck_assert_int_eq(pv_area_check(&m, UINT64_MAX - 1, 4, 2), PV_AREA_CROSSES_PAGE); /* wraps */
    ck_assert_int_eq(pv_area_check(NULL, AREA, 4, 4), PV_AREA_NOT_RAM);
}
END_TEST

/* ---- the MSR ---- */

START_TEST(msr_refusals_change_nothing)
{
    enable(AREA);
    ck_assert_int_eq(pv_eoi_set_msr(&p, &m, &l, (AREA + 2) | KVM_MSR_ENABLED, 0), PV_AREA_MISALIGNED);
    ck_assert_int_eq(pv_eoi_set_msr(&p, &m, &l, KVM_PV_EOI_RESERVED, 0), PV_AREA_MISALIGNED);  /* even to disable */
    ck_assert_int_eq(pv_eoi_set_msr(&p, &m, &l, 0xfee00000 | KVM_MSR_ENABLED, 0), PV_AREA_NOT_RAM);
    ck_assert_int_eq(pv_eoi_set_msr(&p, &m, &l, 0xa0000 | KVM_MSR_ENABLED, 0), PV_AREA_NOT_RAM);
    ck_assert_int_eq(pv_eoi_set_msr(&p, &m, &l, 0xffcull | KVM_MSR_ENABLED, 0), PV_AREA_OK);
    ck_assert_uint_eq(p.msr, 0xffcull | KVM_MSR_ENABLED);
    ck_assert_int_eq(pv_eoi_set_msr(&p, &m, &l, 0, 0), PV_AREA_OK);   /* off: any address */
    ck_assert(!pv_eoi_enabled(&p));
}
END_TEST

/* ---- the protocol ---- */

START_TEST(edge_vector_eoi_without_exit)
{
    enable(AREA);
    inject(VEC_A, false);
    ck_assert_uint_eq(peek(AREA), KVM_PV_EOI_BIT);
    ck_assert(p.pending);
    ck_assert(guest_eoi(AREA));              /* no register write */
    ck_assert(in_service(VEC_A));            /* not yet seen ... */
    ck_assert_uint_eq(l.stats.eois, 0);
    pv_eoi_sync(&p, &m, &l, 0);              /* ... until the next exit */
    ck_assert(!in_service(VEC_A));
    ck_assert_uint_eq(l.stats.eois, 1);
    ck_assert_uint_eq(p.stats.pv_eois, 1);
    ck_assert_uint_eq(p.stats.offered, 1);
    pv_eoi_sync(&p, &m, &l, 0);              /* a second sync does nothing */
    ck_assert_uint_eq(l.stats.eois, 1);
}
END_TEST

START_TEST(exit_before_the_eoi_withdraws_the_bit)
{
    enable(AREA);
    inject(VEC_A, false);
    pv_eoi_sync(&p, &m, &l, 0);              /* an exit inside the handler */
    ck_assert_uint_eq(peek(AREA), 0);
    ck_assert(in_service(VEC_A));
    ck_assert_uint_eq(p.stats.withdrawn, 1);
    ck_assert(!guest_eoi(AREA));             /* so the guest writes the register */
    ck_assert(!in_service(VEC_A));
    pv_eoi_sync(&p, &m, &l, 0);
    ck_assert_uint_eq(p.stats.pv_eois, 0);
    ck_assert_uint_eq(l.stats.eois, 1);
}
END_TEST

START_TEST(level_vector_never_offered)
{
    enable(AREA);
    inject(VEC_A, true);
    ck_assert_uint_eq(peek(AREA), 0);
    ck_assert(!p.pending);
    ck_assert_uint_eq(p.stats.level, 1);
    ck_assert(!guest_eoi(AREA));
    ck_assert_uint_eq(l.stats.level_eois, 1);   /* went on towards the I/O APIC */
}
END_TEST

START_TEST(ioapic_level_vector_never_offered)
{
    /* Pin 4 routes VEC_A level-triggered and unmasked: even an edge
     * delivery of that vector is not offered. */
    ioapic_write(&io, 0x00, 4, 0x10 + 2 * 4);
    ioapic_write(&io, 0x10, 4, (uint32_t)IOREDIR_LEVEL | VEC_A);
    enable(AREA);
    inject(VEC_A, false);
    ck_assert_uint_eq(peek(AREA), 0);
    ck_assert_uint_eq(p.stats.level, 1);
    /* Masked, the entry no longer counts. */
    ioapic_write(&io, 0x10, 4, (uint32_t)(IOREDIR_MASKED | IOREDIR_LEVEL) | VEC_A);
    guest_eoi(AREA);
    inject(VEC_A, false);
    ck_assert_uint_eq(peek(AREA), KVM_PV_EOI_BIT);
}
END_TEST

START_TEST(waiting_vector_means_no_offer)
{
    enable(AREA);
    ck_assert(lapic_accept(&l, VEC_LOW, false));   /* waits behind VEC_A */
    inject(VEC_A, false);
    ck_assert_uint_eq(peek(AREA), 0);
    ck_assert_uint_eq(p.stats.irr, 1);
    ck_assert(!guest_eoi(AREA));
    ck_assert_int_eq(lapic_ack(&l), VEC_LOW);      /* now deliverable */
    pv_eoi_delivered(&p, &m, &l, &io, VEC_LOW, 0);
    ck_assert_uint_eq(peek(AREA), KVM_PV_EOI_BIT); /* and alone: offered */
}
END_TEST

START_TEST(nested_vectors_end_in_order)
{
    enable(AREA);
    inject(VEC_A, false);                    /* A in service, offered ... */
    pv_eoi_sync(&p, &m, &l, 0);              /* ... withdrawn at an exit */
    inject(VEC_B, false);                    /* B interrupts A's handler */
    ck_assert_uint_eq(peek(AREA), KVM_PV_EOI_BIT);
    ck_assert(guest_eoi(AREA));              /* B's EOI, through the bit */
    pv_eoi_sync(&p, &m, &l, 0);
    ck_assert(!in_service(VEC_B));
    ck_assert(in_service(VEC_A));            /* A is still in service */
    ck_assert(!guest_eoi(AREA));             /* A's EOI, by register */
    ck_assert(!in_service(VEC_A));
}
END_TEST

START_TEST(only_bit_0_is_touched)
{
    uint8_t before[16], after[16];
    poke(AREA, 0xf0);
    poke(AREA + 1, 0x5a);
    ck_assert(gpm_read(&m, AREA - 6, before, sizeof before));
    enable(AREA);
    inject(VEC_A, false);
    ck_assert_uint_eq(peek(AREA), 0xf1);
    pv_eoi_sync(&p, &m, &l, 0);              /* withdrawn */
    ck_assert(gpm_read(&m, AREA - 6, after, sizeof after));
    ck_assert_mem_eq(before, after, sizeof before);
}
END_TEST

START_TEST(disabled_writes_nothing)
{
    poke(AREA, 0);
    inject(VEC_A, false);
    ck_assert_uint_eq(peek(AREA), 0);
    ck_assert(!p.pending);
    enable(AREA);
    ck_assert_int_eq(pv_eoi_set_msr(&p, &m, &l, AREA, 0), PV_AREA_OK);   /* off again */
    lapic_write(&l, LAPIC_EOI, 4, 0, 0);
    inject(VEC_A, false);
    ck_assert_uint_eq(peek(AREA), 0);
}
END_TEST

START_TEST(moving_the_area_settles_the_old_one)
{
    enable(AREA);
    inject(VEC_A, false);
    ck_assert(guest_eoi(AREA));              /* cleared, then the guest moves the word */
    enable(AREA2);
    ck_assert(!in_service(VEC_A));           /* the old one's EOI was done first */
    ck_assert_uint_eq(p.stats.pv_eois, 1);
    inject(VEC_B, false);
    ck_assert_uint_eq(peek(AREA2), KVM_PV_EOI_BIT);
    ck_assert_uint_eq(peek(AREA), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pv_eoi");
    TCase *t = tcase_create("protocol");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, area_good);
    tcase_add_test(t, area_bad);
    tcase_add_test(t, msr_refusals_change_nothing);
    tcase_add_test(t, edge_vector_eoi_without_exit);
    tcase_add_test(t, exit_before_the_eoi_withdraws_the_bit);
    tcase_add_test(t, level_vector_never_offered);
    tcase_add_test(t, ioapic_level_vector_never_offered);
    tcase_add_test(t, waiting_vector_means_no_offer);
    tcase_add_test(t, nested_vectors_end_in_order);
    tcase_add_test(t, only_bit_0_is_touched);
    tcase_add_test(t, disabled_writes_nothing);
    tcase_add_test(t, moving_the_area_settles_the_old_one);
    suite_add_tcase(s, t);
    return s;
}

CHECK_MAIN(suite)
