/**
 * @file acpi.c
 * @brief Minimal ACPI tables for a one-processor lesson-03 PC (ACPI 6.5
 *        chapter 5.2): RSDP -> RSDT and XSDT -> MADT (+ FADT -> DSDT).
 *
 *  - MADT (§5.2.12): the local APIC of processor 0, the I/O APIC with
 *    GSI base 0, one interrupt source override per ISA IRQ (IRQ0 -> GSI2
 *    is the one a PC must list; the identity ones make Linux set up every
 *    ISA line on the I/O APIC even when it ignores the 8259, see below),
 *    and the NMI on LINT1.
 *  - FADT (§5.2.9), a full one (not HW_REDUCED_ACPI): a PC with an 8259,
 *    SCI on IRQ 9, SMI_CMD 0 (always in ACPI mode), the PM1a event and
 *    control blocks of vdev/acpi_pm.h (the two blocks a full FADT must
 *    name; no PM timer, no GPE blocks), the 8042's reset as RESET_REG,
 *    no C2/C3.  Why not hardware-reduced: on x86 Linux then drops the
 *    legacy PIC (acpi_generic_reduced_hw_init(): legacy_pic =
 *    &null_legacy_pic, nr_legacy_irqs() = 0), and with it every ISA IRQ
 *    number: the I/O APIC's irq domain becomes dynamic, the overrides only
 *    say which pin a GSI is, and no ISA IRQ is mapped unless a driver
 *    registers its GSI through ACPI (a DSDT device's _CRS).  The 8250
 *    driver's legacy COM1 asks for IRQ 4 itself: request_irq(4) fails,
 *    uart_port_startup() hides the error from a root opener, and
 *    /dev/console (ttyS0) silently writes nowhere; rtc-cmos's
 *    request_irq(8) fails the same way ("probe failed with error -22").
 *    With a full FADT Linux keeps the 8259 (nr_legacy_irqs() = 16) and
 *    maps ISA IRQ n to the pin its override names, as on any PC.  The TSC
 *    frequency still has to come from elsewhere (tsc_early_khz=: see
 *    ../shared/FACTS.md).  IAPC_BOOT_ARCH says: ISA devices yes, no 8042
 *    (Linux then does not probe ports 0x60/0x64), no VGA; CENTURY is CMOS
 *    register 0x32.
 *  - FACS (§5.2.10): required with a full FADT; an unowned global lock.
 *  - DSDT (§5.2.11.1): \_S5 (§7.4.2.5), so that Linux's poweroff enters
 *    S5 through PM1a_CNT (SLP_TYP FW_S5_SLP_TYP), and the pvpanic device
 *    (vdev/pvpanic.h), so that a kernel panic stops the VM as one.  COM1
 *    and the RTC are legacy devices Linux registers by itself.  ACPICA
 *    refuses a namespace without a DSDT, and then disables ACPI.
 *
 * FW_MADT_ONLY leaves FADT and DSDT out: early boot still reads the MADT
 * (the APICs, the overrides), but the interpreter gives up ("Unable to
 * load the System Description Tables") and Linux keeps the legacy 8259 and
 * PIT path - a knob for comparing the two.
 */
#include "firmware/acpi.h"
#include "firmware/firmware.h"

#include "spectrum/string.h"
#include "vdev/acpi_pm.h"
#include "vdev/mc146818.h"
#include "vdev/pvpanic.h"

#define ACPI_ALIGN 16u
#define ACPI_FACS_ALIGN 64u /**< §5.2.10: the FACS is 64-byte aligned */
#define ACPI_TABLES_MAX 2    /**< entries of RSDT/XSDT: MADT, FADT */

struct acpi_buf {
    uint8_t *buf;
    size_t cap, at;
    uint32_t gpa;
    bool full;
};

/* Reserve @p len bytes aligned to @p align (a power of two) and return
 * their offset (the buffer's gpa is page aligned). */
static size_t acpi_take_aligned(struct acpi_buf *b, size_t len, size_t align)
{
    size_t at = (b->at + align - 1) & ~(align - 1);
    if (at > b->cap || len > b->cap - at) {
        b->full = true;
        return 0;
    }
    memset(b->buf + at, 0, len);
    b->at = at + len;
    return at;
}

/* Reserve @p len bytes (16-byte aligned) and return their offset. */
static size_t acpi_take(struct acpi_buf *b, size_t len)
{
    return acpi_take_aligned(b, len, ACPI_ALIGN);
}

static void acpi_header(struct acpi_header *h, const char *sig, uint32_t len, uint8_t rev)
{
    memcpy(h->signature, sig, 4);
    h->length = len;
    h->revision = rev;
    memcpy(h->oem_id, ACPI_OEM_ID, 6);
    memcpy(h->oem_table_id, ACPI_OEM_TABLE_ID, 8);
    h->oem_revision = 1;
    memcpy(h->creator_id, ACPI_CREATOR_ID, 4);
    h->creator_revision = 1;
}

/* Checksum the table at offset @p off (its length is in its header). */
static void acpi_seal(struct acpi_buf *b, size_t off)
{
    struct acpi_header h;
    memcpy(&h, b->buf + off, sizeof h);
    b->buf[off + offsetof(struct acpi_header, checksum)] = fw_checksum(b->buf + off, h.length);
}

static size_t acpi_madt(struct acpi_buf *b, const struct fw_platform *pf)
{
    struct acpi_madt_lapic cpu = { ACPI_MADT_LAPIC, sizeof cpu, 0, FW_LAPIC_ID, 1 };
    struct acpi_madt_ioapic io = { ACPI_MADT_IOAPIC, sizeof io, FW_IOAPIC_ID, 0, pf->ioapic_base, 0 };
    struct acpi_madt_lapic_nmi nmi = { ACPI_MADT_LAPIC_NMI, sizeof nmi, 0xff, ACPI_INTI_ACTIVE_HIGH | ACPI_INTI_EDGE, 1 };
    unsigned nirq = 0;
    for (unsigned irq = 0; irq < FW_ISA_IRQS; irq++)
        nirq += fw_isa_pin(irq) >= 0 && (unsigned)fw_isa_pin(irq) < pf->ioapic_pins;
    size_t len = sizeof(struct acpi_madt) + sizeof cpu + sizeof io + nirq * sizeof(struct acpi_madt_iso) + sizeof nmi;
    size_t off = acpi_take(b, len);
    if (b->full)
        return 0;
    struct acpi_madt madt;
    memset(&madt, 0, sizeof madt);
    /* Revision 5 (ACPI 6.x); PCAT_COMPAT: the 8259s are there too. */
    acpi_header(&madt.h, "APIC", (uint32_t)len, 5);
    madt.lapic_base = pf->lapic_base;
    madt.flags = ACPI_MADT_PCAT_COMPAT;
    uint8_t *p = b->buf + off;
    memcpy(p, &madt, sizeof madt);
    p += sizeof madt;
    memcpy(p, &cpu, sizeof cpu);
    p += sizeof cpu;
    memcpy(p, &io, sizeof io);
    p += sizeof io;
    for (unsigned irq = 0; irq < FW_ISA_IRQS; irq++) {
        int pin = fw_isa_pin(irq);
        if (pin < 0 || (unsigned)pin >= pf->ioapic_pins)
            continue;
        /* ISA lines are edge-triggered, active high (explicit, not
         * "conforms": Linux would take a conforming override of the
         * SCI's IRQ as level, active low). */
        struct acpi_madt_iso iso = { ACPI_MADT_ISO, sizeof iso, 0, (uint8_t)irq, (uint32_t)pin,
                                     ACPI_INTI_ACTIVE_HIGH | ACPI_INTI_EDGE };
        memcpy(p, &iso, sizeof iso);
        p += sizeof iso;
    }
    memcpy(p, &nmi, sizeof nmi);
    acpi_seal(b, off);
    return off;
}

/* The DSDT's AML (ACPI 6.5 §20.2), two objects:
 *
 *   Name (\_S5, Package (4) { 5, 5, 0, 0 })
 *     NameOp, the root prefix and NameSeg, PackageOp, PkgLength (itself and
 *     the 7 bytes after it), NumElements 4, BytePrefix 5 (SLP_TYPa),
 *     BytePrefix 5 (SLP_TYPb), ZeroOp, ZeroOp (reserved).
 *
 *   Scope (\_SB) { Device (PEVT) { Name (_HID, "QEMU0001")
 *       Name (_CRS, ResourceTemplate () { IO (Decode16, 0x505, 0x505, 1, 1) }) } }
 *     the pvpanic device (vdev/pvpanic.h) where QEMU's is: ScopeOp, PkgLength,
 *     "\_SB_"; ExtOpPrefix DeviceOp, PkgLength, "PEVT"; NameOp "_HID"
 *     StringPrefix "QEMU0001" NUL; NameOp "_CRS" BufferOp PkgLength
 *     BytePrefix 10 (the buffer's size) and the resource template: an I/O
 *     port descriptor (§6.4.2.5: tag 0x47, decodes 16 bits, min, max, align
 *     1, length 1) and the end tag (§6.4.2.9: 0x79, checksum 0 = "none").
 *     No _STA: a device without one is present and enabled (§6.3.7).
 *   Every PkgLength here is one byte (< 64) and counts itself. */
#define PVP_LO (PVPANIC_PORT & 0xff)
#define PVP_HI (PVPANIC_PORT >> 8)
static const uint8_t acpi_dsdt_aml[] = {
    0x08, '\\', '_', 'S', '5', '_', 0x12, 0x08, 0x04,
    0x0a, FW_S5_SLP_TYP, 0x0a, FW_S5_SLP_TYP, 0x00, 0x00,
    0x10, 0x2f, '\\', '_', 'S', 'B', '_',
    0x5b, 0x82, 0x27, 'P', 'E', 'V', 'T',
    0x08, '_', 'H', 'I', 'D', 0x0d, 'Q', 'E', 'M', 'U', '0', '0', '0', '1', 0x00,
    0x08, '_', 'C', 'R', 'S', 0x11, 0x0d, 0x0a, 0x0a,
    0x47, 0x01, PVP_LO, PVP_HI, PVP_LO, PVP_HI, 0x01, 0x01,
    0x79, 0x00,
};
_Static_assert(sizeof acpi_dsdt_aml == 15 + 48, "DSDT AML: \\_S5 (15 bytes) + Scope (\\_SB) (1 + PkgLength 0x2f)");

static size_t acpi_dsdt(struct acpi_buf *b)
{
    size_t len = sizeof(struct acpi_header) + sizeof acpi_dsdt_aml;
    size_t off = acpi_take(b, len);
    if (b->full)
        return 0;
    struct acpi_header h;
    memset(&h, 0, sizeof h);
    acpi_header(&h, "DSDT", (uint32_t)len, 2);   /* revision 2: 64-bit AML integers */
    memcpy(b->buf + off, &h, sizeof h);
    memcpy(b->buf + off + sizeof h, acpi_dsdt_aml, sizeof acpi_dsdt_aml);
    acpi_seal(b, off);
    return off;
}

static size_t acpi_facs(struct acpi_buf *b)
{
    size_t off = acpi_take_aligned(b, sizeof(struct acpi_facs), ACPI_FACS_ALIGN);
    if (b->full)
        return 0;
    struct acpi_facs f;
    memset(&f, 0, sizeof f);
    memcpy(f.signature, "FACS", 4);
    f.length = sizeof f;
    f.version = 2;
    memcpy(b->buf + off, &f, sizeof f);   /* no checksum: the FACS has none */
    return off;
}

static size_t acpi_fadt(struct acpi_buf *b, uint32_t dsdt_gpa, uint32_t facs_gpa)
{
    size_t off = acpi_take(b, sizeof(struct acpi_fadt));
    if (b->full)
        return 0;
    struct acpi_fadt f;
    memset(&f, 0, sizeof f);
    acpi_header(&f.h, "FACP", sizeof f, 6);
    f.minor_version = 5;   /* ACPI 6.5 */
    f.firmware_ctrl = facs_gpa;
    f.dsdt = dsdt_gpa;
    f.x_dsdt = dsdt_gpa;
    f.sci_int = FW_SCI_IRQ;
    /* smi_cmd = 0: no SMM, the machine is always in ACPI mode (§5.2.9
     * SMI_CMD; ACPICA's acpi_hw_get_mode() then skips reading SCI_EN). */
    f.pm_blocks[ACPI_FADT_PM1A_EVT] = ACPI_PM_BASE;
    f.pm_blocks[ACPI_FADT_PM1A_CNT] = ACPI_PM_BASE + ACPI_PM1_CNT;
    f.pm_lengths[ACPI_FADT_PM1_EVT_LEN] = ACPI_PM1_EVT_LEN;
    f.pm_lengths[ACPI_FADT_PM1_CNT_LEN] = ACPI_PM1_CNT_LEN;
    f.p_lvl2_lat = ACPI_P_LVL2_NONE;
    f.p_lvl3_lat = ACPI_P_LVL3_NONE;
    f.century = CMOS_CENTURY;
    f.iapc_boot_arch = ACPI_BOOT_LEGACY_DEVICES | ACPI_BOOT_NO_VGA;
    f.flags = ACPI_FADT_WBINVD | ACPI_FADT_PWR_BUTTON | ACPI_FADT_SLP_BUTTON | ACPI_FADT_RESET_REG_SUP;
    /* RESET_REG (§4.8.3.6): the 8042's "pulse reset" command, which
     * vdev/i8042.c turns into a reboot - Linux's default reboot=acpi. */
    f.reset_reg = (struct acpi_gas){ ACPI_GAS_IO, 8, 0, ACPI_GAS_BYTE, FW_RESET_PORT };
    f.reset_value = FW_RESET_VALUE;
    memcpy(&f.hypervisor_id, "Spectrum", 8);
    memcpy(b->buf + off, &f, sizeof f);
    acpi_seal(b, off);
    return off;
}

size_t acpi_build(const struct fw_platform *pf, uint32_t gpa, bool with_fadt, uint8_t *buf, size_t cap)
{
    struct acpi_buf b = { buf, cap, 0, gpa, false };
    size_t rsdp_off = acpi_take(&b, sizeof(struct acpi_rsdp));
    size_t tables[ACPI_TABLES_MAX];
    int n = 0;
    tables[n++] = acpi_madt(&b, pf);
    if (with_fadt) {
        size_t dsdt = acpi_dsdt(&b);
        size_t facs = acpi_facs(&b);
        tables[n++] = acpi_fadt(&b, gpa + (uint32_t)dsdt, gpa + (uint32_t)facs);
    }
    size_t rsdt = acpi_take(&b, sizeof(struct acpi_header) + 4 * (size_t)n);
    size_t xsdt = acpi_take(&b, sizeof(struct acpi_header) + 8 * (size_t)n);
    if (b.full)
        return 0;

    /* RSDT (§5.2.7): 32-bit pointers; XSDT (§5.2.8): 64-bit ones. */
    struct acpi_header h;
    memset(&h, 0, sizeof h);
    acpi_header(&h, "RSDT", (uint32_t)(sizeof h + 4 * (size_t)n), 1);
    memcpy(buf + rsdt, &h, sizeof h);
    acpi_header(&h, "XSDT", (uint32_t)(sizeof h + 8 * (size_t)n), 1);
    memcpy(buf + xsdt, &h, sizeof h);
    for (int i = 0; i < n; i++) {
        uint32_t p32 = gpa + (uint32_t)tables[i];
        uint64_t p64 = p32;
        memcpy(buf + rsdt + sizeof h + 4 * (size_t)i, &p32, 4);
        memcpy(buf + xsdt + sizeof h + 8 * (size_t)i, &p64, 8);
    }
    acpi_seal(&b, rsdt);
    acpi_seal(&b, xsdt);

    struct acpi_rsdp r;
    memset(&r, 0, sizeof r);
    memcpy(r.signature, ACPI_RSDP_SIG, 8);
    memcpy(r.oem_id, ACPI_OEM_ID, 6);
    r.revision = 2;
    r.rsdt = gpa + (uint32_t)rsdt;
    r.length = sizeof r;
    r.xsdt = gpa + (uint64_t)xsdt;
    r.checksum = fw_checksum(&r, 20);   /* §5.2.5.3: the ACPI 1.0 part */
    r.ext_checksum = fw_checksum(&r, sizeof r);
    memcpy(buf + rsdp_off, &r, sizeof r);
    return b.at;
}
