/**
 * @file test_firmware.c
 * @brief Unit tests of the firmware tables (firmware/), hosted with
 *        Check: the tables are written into a test machine's ROM, then
 *        found and parsed back the way an OS does (Linux: mpparse.c's
 *        smp_scan_config(), ACPICA's acpi_find_root_pointer()) - by
 *        signature on a 16-byte boundary, every checksum and length
 *        verified, every entry checked against the machine.
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "firmware/acpi.h"
#include "firmware/firmware.h"
#include "firmware/mptable.h"
#include "test_loader.h"
#include "vdev/acpi_pm.h"
#include "vdev/mc146818.h"
#include "vdev/pvpanic.h"

static struct pc_machine mach;
static char why[256];

static void setup(void)
{
    test_machine_create(&mach, 16ull << 20);
    why[0] = '\0';
    test_gpm_refused = 0;
}

static void teardown(void) { test_machine_destroy(&mach); }

static uint8_t sum(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t s = 0;
    while (len--)
        s = (uint8_t)(s + *b++);
    return s;
}

/* Scan [from, to) on 16-byte boundaries for @p sig, as an OS does; 0 if absent. */
static uint64_t scan(uint64_t from, uint64_t to, const char *sig, size_t len, size_t checked)
{
    for (uint64_t a = from; a + checked <= to; a += 16) {
        const uint8_t *p = test_guest_bytes(&mach, a, checked);
        if (p && !memcmp(p, sig, len) && sum(p, checked) == 0)
            return a;
    }
    return 0;
}

static void write_tables(unsigned which)
{
    uint64_t rsdp;
    ck_assert_msg(fw_write_tables(&mach, which, &rsdp, why, sizeof why), "%s", why);
    ck_assert_uint_eq(rsdp, (which & FW_ACPI) ? FW_ACPI_GPA : 0);
    ck_assert_uint_eq(test_gpm_refused, 0);
}

/* ---- helpers ------------------------------------------------------------ */

START_TEST(checksum_and_wiring)
{
    uint8_t b[5] = { 1, 2, 3, 0, 250 };
    b[3] = fw_checksum(b, sizeof b);
    ck_assert_uint_eq(sum(b, sizeof b), 0);
    /* apic/isa_wiring.c: IRQ0 -> INTIN2, IRQ2 nothing, the rest identity. */
    ck_assert_int_eq(fw_isa_pin(0), 2);
    ck_assert_int_eq(fw_isa_pin(2), -1);
    for (unsigned irq = 1; irq < 16; irq++)
        if (irq != 2)
            ck_assert_int_eq(fw_isa_pin(irq), (int)irq);
    ck_assert_int_eq(fw_isa_pin(16), -1);
}
END_TEST

START_TEST(option_words)
{
    unsigned w;
    ck_assert(fw_tables_option("console=ttyS0", &w, why, sizeof why));
    ck_assert_uint_eq(w, FW_MPTABLE | FW_ACPI);
    ck_assert(fw_tables_option("a fwtables=mp b", &w, why, sizeof why));
    ck_assert_uint_eq(w, FW_MPTABLE);
    ck_assert(fw_tables_option("fwtables=acpi,mp", &w, why, sizeof why));
    ck_assert_uint_eq(w, FW_MPTABLE | FW_ACPI);
    ck_assert(fw_tables_option("fwtables=madt", &w, why, sizeof why));
    ck_assert_uint_eq(w, FW_ACPI | FW_MADT_ONLY);
    ck_assert(fw_tables_option("fwtables=none", &w, why, sizeof why));
    ck_assert_uint_eq(w, 0);
    ck_assert(!fw_tables_option("fwtables=mp,acpix", &w, why, sizeof why));
    ck_assert_msg(strstr(why, "fwtables=mp,acpix"), "%s", why);
    ck_assert(!fw_tables_option("fwtables=m", &w, why, sizeof why));
}
END_TEST

/* ---- MP table ----------------------------------------------------------- */

START_TEST(mp_table_parses_back)
{
    write_tables(FW_MPTABLE);
    /* Linux looks in 0xF0000-0xFFFFF (MP 1.4 §4 c). */
    uint64_t fpa = scan(0xf0000, 0x100000, "_MP_", 4, 16);
    ck_assert_uint_eq(fpa, FW_MP_GPA);
    struct mp_floating fp;
    ck_assert(gpm_read(&mach.mem, fpa, &fp, sizeof fp));
    ck_assert_uint_eq(fp.length, 1);
    ck_assert_uint_eq(fp.spec_rev, 4);
    ck_assert_uint_eq(fp.feature[0], 0);   /* a table is present, not a default configuration */
    struct mp_config c;
    ck_assert(gpm_read(&mach.mem, fp.config_gpa, &c, sizeof c));
    ck_assert_mem_eq(c.signature, "PCMP", 4);
    ck_assert_uint_eq(c.spec_rev, 4);
    ck_assert_uint_eq(c.lapic_base, TEST_LAPIC_BASE);
    ck_assert_uint_eq(sum(test_guest_bytes(&mach, fp.config_gpa, c.length), c.length), 0);

    const uint8_t *p = test_guest_bytes(&mach, fp.config_gpa + sizeof c, c.length - sizeof c);
    size_t at = 0;
    int last_type = -1, ioint[16], ncpu = 0, nbus = 0, nio = 0, nint = 0, extint_pin0 = 0, lint0 = -1, lint1 = -1;
    memset(ioint, -1, sizeof ioint);
    for (unsigned i = 0; i < c.entry_count; i++) {
        ck_assert_uint_lt(at, c.length - sizeof c);
        int type = p[at];
        ck_assert_int_ge(type, last_type);   /* §4.2: sorted by entry type */
        last_type = type;
        if (type == MP_ENTRY_PROCESSOR) {
            struct mp_processor e;
            memcpy(&e, p + at, sizeof e);
            ck_assert_uint_eq(e.lapic_id, 0);
            ck_assert_uint_eq(e.flags, MP_CPU_EN | MP_CPU_BP);
            ck_assert_uint_eq(e.lapic_version, 0x14);
            ncpu++;
            at += sizeof e;
            continue;
        }
        if (type == MP_ENTRY_BUS) {
            struct mp_bus e;
            memcpy(&e, p + at, sizeof e);
            ck_assert_mem_eq(e.bus_type, "ISA   ", 6);
            nbus++;
        } else if (type == MP_ENTRY_IOAPIC) {
            struct mp_ioapic e;
            memcpy(&e, p + at, sizeof e);
            ck_assert_uint_eq(e.address, TEST_IOAPIC_BASE);
            ck_assert_uint_eq(e.version, 0x11);
            ck_assert_uint_eq(e.flags & 1, 1);
            ck_assert_uint_eq(e.id, FW_IOAPIC_ID);
            nio++;
        } else if (type == MP_ENTRY_IOINT) {
            struct mp_intsrc e;
            memcpy(&e, p + at, sizeof e);
            ck_assert_uint_eq(e.dst_apic, FW_IOAPIC_ID);
            if (e.int_type == MP_EXTINT) {
                ck_assert_uint_eq(e.dst_pin, 0);
                extint_pin0++;
            } else {
                ck_assert_uint_eq(e.int_type, MP_INT);
                ck_assert_uint_lt(e.src_irq, 16);
                ck_assert_int_eq(ioint[e.src_irq], -1);   /* once per IRQ */
                ioint[e.src_irq] = e.dst_pin;
                nint++;
            }
        } else if (type == MP_ENTRY_LOCALINT) {
            struct mp_intsrc e;
            memcpy(&e, p + at, sizeof e);
            ck_assert_uint_eq(e.dst_apic, MP_ALL_LAPICS);
            if (e.dst_pin == 0)
                lint0 = e.int_type;
            else if (e.dst_pin == 1)
                lint1 = e.int_type;
        } else
            ck_abort_msg("unknown entry type %d", type);
        at += 8;
    }
    ck_assert_uint_eq(at, c.length - sizeof c);   /* the length covers exactly the entries */
    ck_assert_int_eq(ncpu, 1);
    ck_assert_int_eq(nbus, 1);
    ck_assert_int_eq(nio, 1);
    ck_assert_int_eq(extint_pin0, 1);
    ck_assert_int_eq(nint, 15);
    for (unsigned irq = 0; irq < 16; irq++)
        ck_assert_int_eq(ioint[irq], fw_isa_pin(irq));
    ck_assert_int_eq(lint0, MP_EXTINT);
    ck_assert_int_eq(lint1, MP_NMI);
    /* No ACPI asked for: none written. */
    ck_assert_uint_eq(scan(0xe0000, 0x100000, "RSD PTR ", 8, 20), 0);
}
END_TEST

/* ---- ACPI --------------------------------------------------------------- */

/* The table at @p gpa: signature, length and checksum checked; a copy. */
static const uint8_t *acpi_table(uint64_t gpa, const char *sig, struct acpi_header *h)
{
    ck_assert(gpm_read(&mach.mem, gpa, h, sizeof *h));
    ck_assert_msg(!memcmp(h->signature, sig, 4), "table at %#lx is not %s", (unsigned long)gpa, sig);
    ck_assert_uint_ge(h->length, sizeof *h);
    const uint8_t *t = test_guest_bytes(&mach, gpa, h->length);
    ck_assert(t);
    ck_assert_msg(sum(t, h->length) == 0, "%s checksum", sig);
    ck_assert_mem_eq(h->oem_id, ACPI_OEM_ID, 6);
    return t;
}

static void check_madt(uint64_t gpa)
{
    struct acpi_header h;
    const uint8_t *t = acpi_table(gpa, "APIC", &h);
    struct acpi_madt madt;
    memcpy(&madt, t, sizeof madt);
    ck_assert_uint_eq(madt.lapic_base, TEST_LAPIC_BASE);
    ck_assert_uint_eq(madt.flags, ACPI_MADT_PCAT_COMPAT);
    int ncpu = 0, nio = 0, nnmi = 0, iso[16];
    memset(iso, -1, sizeof iso);
    for (size_t at = sizeof madt; at < h.length;) {
        ck_assert_uint_le(at + 2, h.length);
        uint8_t type = t[at], len = t[at + 1];
        ck_assert_uint_ge(len, 2);
        ck_assert_uint_le(at + len, h.length);
        if (type == ACPI_MADT_LAPIC) {
            struct acpi_madt_lapic e;
            ck_assert_uint_eq(len, sizeof e);
            memcpy(&e, t + at, sizeof e);
            ck_assert_uint_eq(e.apic_id, 0);
            ck_assert_uint_eq(e.flags & 1, 1);
            ncpu++;
        } else if (type == ACPI_MADT_IOAPIC) {
            struct acpi_madt_ioapic e;
            ck_assert_uint_eq(len, sizeof e);
            memcpy(&e, t + at, sizeof e);
            ck_assert_uint_eq(e.address, TEST_IOAPIC_BASE);
            ck_assert_uint_eq(e.gsi_base, 0);
            ck_assert_uint_eq(e.id, FW_IOAPIC_ID);
            nio++;
        } else if (type == ACPI_MADT_ISO) {
            struct acpi_madt_iso e;
            ck_assert_uint_eq(len, sizeof e);
            memcpy(&e, t + at, sizeof e);
            ck_assert_uint_eq(e.bus, 0);
            ck_assert_uint_lt(e.source, 16);
            ck_assert_int_eq(iso[e.source], -1);
            iso[e.source] = (int)e.gsi;
            ck_assert_uint_eq(e.flags, ACPI_INTI_ACTIVE_HIGH | ACPI_INTI_EDGE);
        } else if (type == ACPI_MADT_LAPIC_NMI) {
            struct acpi_madt_lapic_nmi e;
            ck_assert_uint_eq(len, sizeof e);
            memcpy(&e, t + at, sizeof e);
            ck_assert_uint_eq(e.processor_uid, 0xff);
            ck_assert_uint_eq(e.lint, 1);
            nnmi++;
        } else
            ck_abort_msg("unexpected MADT entry type %u", type);
        at += len;
    }
    ck_assert_int_eq(ncpu, 1);
    ck_assert_int_eq(nio, 1);
    ck_assert_int_eq(nnmi, 1);
    ck_assert_int_eq(iso[0], 2);   /* the override every PC has: the PIT on GSI 2 */
    for (unsigned irq = 0; irq < 16; irq++)
        ck_assert_int_eq(iso[irq], fw_isa_pin(irq));
}

static void check_fadt(uint64_t gpa)
{
    struct acpi_header h;
    const uint8_t *t = acpi_table(gpa, "FACP", &h);
    ck_assert_uint_eq(h.length, sizeof(struct acpi_fadt));
    ck_assert_uint_eq(h.revision, 6);
    struct acpi_fadt f;
    memcpy(&f, t, sizeof f);
    /* Not hardware-reduced: Linux keeps the 8259 and the ISA IRQ numbers
     * (acpi.c); a full FADT names the PM1a blocks and a FACS. */
    ck_assert_uint_eq(f.flags & ACPI_FADT_HW_REDUCED, 0);
    ck_assert_uint_eq(f.iapc_boot_arch & ACPI_BOOT_8042, 0);
    ck_assert_uint_eq(f.century, CMOS_CENTURY);
    ck_assert_uint_eq(f.dsdt, f.x_dsdt);
    ck_assert_uint_eq(f.smi_cmd, 0);
    ck_assert_uint_eq(f.sci_int, FW_SCI_IRQ);
    ck_assert_uint_eq(f.pm_blocks[ACPI_FADT_PM1A_EVT], ACPI_PM_BASE);
    ck_assert_uint_eq(f.pm_blocks[ACPI_FADT_PM1A_CNT], ACPI_PM_BASE + ACPI_PM1_CNT);
    ck_assert_uint_eq(f.pm_lengths[ACPI_FADT_PM1_EVT_LEN], 4);
    ck_assert_uint_eq(f.pm_lengths[ACPI_FADT_PM1_CNT_LEN], 2);
    for (int i = 0; i < 8; i++)
        if (i != ACPI_FADT_PM1A_EVT && i != ACPI_FADT_PM1A_CNT)
            ck_assert_uint_eq(f.pm_blocks[i], 0);
    ck_assert_uint_eq(f.flags & ACPI_FADT_RESET_REG_SUP, ACPI_FADT_RESET_REG_SUP);
    ck_assert_uint_eq(f.reset_reg.space_id, ACPI_GAS_IO);
    ck_assert_uint_eq(f.reset_reg.address, FW_RESET_PORT);
    ck_assert_uint_eq(f.reset_value, FW_RESET_VALUE);
    /* FACS (§5.2.10): 64 bytes, 64-byte aligned, no checksum. */
    ck_assert_uint_ne(f.firmware_ctrl, 0);
    ck_assert_uint_eq(f.firmware_ctrl % 64, 0);
    struct acpi_facs facs;
    ck_assert(gpm_read(&mach.mem, f.firmware_ctrl, &facs, sizeof facs));
    ck_assert_mem_eq(facs.signature, "FACS", 4);
    ck_assert_uint_eq(facs.length, 64);
    /* DSDT: Name (\_S5, Package (4) { SLP_TYP, SLP_TYP, 0, 0 }). */
    struct acpi_header d;
    const uint8_t *aml = acpi_table(f.x_dsdt, "DSDT", &d);
    static const uint8_t s5[] = { 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x08, 0x04,
                                  0x0a, FW_S5_SLP_TYP, 0x0a, FW_S5_SLP_TYP, 0x00, 0x00 };
    ck_assert_mem_eq(aml + sizeof d, s5, sizeof s5);
    /* Then Scope (\_SB) { Device (PEVT) { _HID "QEMU0001", _CRS: one I/O
     * port, 0x505 } }, the pvpanic device; each one-byte PkgLength counts
     * itself and reaches exactly to the end of the table (§20.2.4). */
    const uint8_t *sc = aml + sizeof d + sizeof s5;
    size_t rest = d.length - sizeof d - sizeof s5;
    ck_assert_uint_eq(sc[0], 0x10);                          /* ScopeOp */
    ck_assert_uint_eq(sc[1], rest - 1);
    ck_assert_mem_eq(sc + 2, "\\_SB_", 5);
    const uint8_t *dev = sc + 7;
    ck_assert_uint_eq(dev[0], 0x5b);                         /* ExtOpPrefix DeviceOp */
    ck_assert_uint_eq(dev[1], 0x82);
    ck_assert_uint_eq(dev[2], rest - 1 - 1 - 5 - 2);
    ck_assert_mem_eq(dev + 3, "PEVT", 4);
    ck_assert_mem_eq(dev + 7, "\x08_HID\x0dQEMU0001", 15);    /* NUL-terminated string */
    const uint8_t *crs = dev + 7 + 15;
    ck_assert_mem_eq(crs, "\x08_CRS\x11", 6);
    ck_assert_uint_eq(crs[6], 1 + 2 + 10);                     /* BufferOp PkgLength */
    ck_assert_uint_eq(crs[8], 10);                             /* the buffer's size */
    static const uint8_t io[] = { 0x47, 0x01, PVPANIC_PORT & 0xff, PVPANIC_PORT >> 8,
                                  PVPANIC_PORT & 0xff, PVPANIC_PORT >> 8, 1, 1, 0x79, 0x00 };
    ck_assert_mem_eq(crs + 9, io, sizeof io);
    ck_assert_ptr_eq(crs + 9 + sizeof io, aml + d.length);
}

START_TEST(acpi_parses_back)
{
    write_tables(FW_MPTABLE | FW_ACPI);
    uint64_t ra = scan(0xe0000, 0x100000, "RSD PTR ", 8, 20);   /* ACPI 6.5 §5.2.5.1 */
    ck_assert_uint_eq(ra, FW_ACPI_GPA);
    struct acpi_rsdp r;
    ck_assert(gpm_read(&mach.mem, ra, &r, sizeof r));
    ck_assert_uint_eq(r.revision, 2);
    ck_assert_uint_eq(r.length, 36);
    ck_assert_uint_eq(sum(&r, sizeof r), 0);   /* the extended checksum */
    struct acpi_header xh, rh;
    const uint8_t *x = acpi_table(r.xsdt, "XSDT", &xh);
    const uint8_t *rs = acpi_table(r.rsdt, "RSDT", &rh);
    ck_assert_uint_eq((xh.length - 36) / 8, 2);
    ck_assert_uint_eq((rh.length - 36) / 4, 2);
    bool madt = false, fadt = false;
    for (unsigned i = 0; i < 2; i++) {
        uint64_t p;
        uint32_t p32;
        memcpy(&p, x + 36 + 8 * i, 8);
        memcpy(&p32, rs + 36 + 4 * i, 4);
        ck_assert_uint_eq(p, p32);   /* RSDT and XSDT list the same tables */
        const uint8_t *sig = test_guest_bytes(&mach, p, 4);
        if (!memcmp(sig, "APIC", 4)) {
            check_madt(p);
            madt = true;
        } else if (!memcmp(sig, "FACP", 4)) {
            check_fadt(p);
            fadt = true;
        }
    }
    ck_assert(madt && fadt);
    /* The MP table is there too, and the two do not overlap. */
    ck_assert_uint_eq(scan(0xf0000, 0x100000, "_MP_", 4, 16), FW_MP_GPA);
}
END_TEST

START_TEST(acpi_madt_only)
{
    write_tables(FW_ACPI | FW_MADT_ONLY);
    struct acpi_rsdp r;
    ck_assert(gpm_read(&mach.mem, FW_ACPI_GPA, &r, sizeof r));
    struct acpi_header xh;
    const uint8_t *x = acpi_table(r.xsdt, "XSDT", &xh);
    ck_assert_uint_eq(xh.length, 36 + 8);
    uint64_t p;
    memcpy(&p, x + 36, 8);
    check_madt(p);
    ck_assert_uint_eq(scan(0xf0000, 0x100000, "_MP_", 4, 16), 0);
}
END_TEST

START_TEST(no_apics_no_tables)
{
    /* A machine without the APIC MMIO regions: nothing to describe. */
    test_machine_destroy(&mach);
    memset(&mach, 0, sizeof mach);
    gpm_init(&mach.mem, 39);
    ck_assert(gpm_add(&mach.mem, 0, PC_LOW_RAM_END, GPM_RAM, "low ram", why, sizeof why));
    ck_assert(gpm_add(&mach.mem, PC_BIOS_BASE, 0x20000, GPM_ROM, "bios", why, sizeof why));
    uint64_t rsdp = 1;
    ck_assert(fw_write_tables(&mach, FW_MPTABLE | FW_ACPI, &rsdp, why, sizeof why));
    ck_assert_uint_eq(rsdp, 0);
    ck_assert_uint_eq(scan(0xe0000, 0x100000, "RSD PTR ", 8, 20), 0);
    ck_assert_uint_eq(scan(0xf0000, 0x100000, "_MP_", 4, 16), 0);
}
END_TEST

START_TEST(no_rom_refused)
{
    /* APICs but no ROM to put the tables in: a clear refusal, no write. */
    test_machine_destroy(&mach);
    memset(&mach, 0, sizeof mach);
    gpm_init(&mach.mem, 39);
    ck_assert(gpm_add(&mach.mem, 0, PC_LOW_RAM_END, GPM_RAM, "low ram", why, sizeof why));
    ck_assert(gpm_add(&mach.mem, TEST_IOAPIC_BASE, 0x1000, GPM_MMIO, "ioapic", why, sizeof why));
    ck_assert(gpm_add(&mach.mem, TEST_LAPIC_BASE, 0x1000, GPM_MMIO, "lapic", why, sizeof why));
    uint64_t rsdp;
    ck_assert(!fw_write_tables(&mach, FW_MPTABLE, &rsdp, why, sizeof why));
    ck_assert_msg(strstr(why, "MP table"), "%s", why);
}
END_TEST

START_TEST(small_buffers_refused)
{
    static uint8_t buf[4096];
    struct fw_platform pf = { (uint32_t)TEST_LAPIC_BASE, (uint32_t)TEST_IOAPIC_BASE, 24 };
    size_t mp = mptable_build(&pf, 0xf0000, buf, sizeof buf);
    size_t acpi = acpi_build(&pf, 0xf1000, true, buf, sizeof buf);
    ck_assert_uint_gt(mp, 16 + 44);
    ck_assert_uint_gt(acpi, 36);
    for (size_t cap = 0; cap < mp; cap += 7)
        ck_assert_uint_eq(mptable_build(&pf, 0xf0000, buf, cap), 0);
    for (size_t cap = 0; cap < acpi; cap += 7)
        ck_assert_uint_eq(acpi_build(&pf, 0xf1000, true, buf, cap), 0);
    ck_assert_uint_le(mp, FW_AREA_MAX);
    ck_assert_uint_le(acpi, FW_AREA_MAX);
    ck_assert_uint_le(FW_MP_GPA + FW_AREA_MAX, FW_ACPI_GPA);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("firmware");
    TCase *tc = tcase_create("tables");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, checksum_and_wiring);
    tcase_add_test(tc, option_words);
    tcase_add_test(tc, mp_table_parses_back);
    tcase_add_test(tc, acpi_parses_back);
    tcase_add_test(tc, acpi_madt_only);
    tcase_add_test(tc, no_apics_no_tables);
    tcase_add_test(tc, no_rom_refused);
    tcase_add_test(tc, small_buffers_refused);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
