/**
 * @file fw_tables.c
 * @brief Write a machine's firmware tables into its "bios" ROM: find the
 *        interrupt controllers in the guest-physical map, build the MP
 *        and ACPI tables (mptable.c, acpi.c) and load them; the checksum
 *        both specifications use; the ISA wiring both describe.
 */
#include "firmware/firmware.h"

#include "apic/ioapic.h"
#include "loader/loader.h"
#include "mem/gpm.h"
#include "spectrum/fmt.h"
#include "spectrum/string.h"

int fw_isa_pin(unsigned irq)
{
    return isa_irq_ioapic_pin(irq);   /* as apic/isa_wiring.c connects them */
}

uint8_t fw_checksum(const void *p, size_t len)
{
    /* MP 1.4 §4.1 / ACPI 6.5 §5.2.5.3: "all bytes ... including the
     * checksum field, must add to zero" (modulo 256). */
    const uint8_t *b = p;
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + b[i]);
    return (uint8_t)-sum;
}

bool fw_tables_option(const char *cmdline, unsigned *which, char *why, size_t why_len)
{
    char v[32];
    *which = FW_MPTABLE | FW_ACPI;
    if (!loader_option(cmdline, "fwtables", v, sizeof v))
        return true;
    *which = 0;
    for (char *w = v; *w;) {
        char *e = w;
        while (*e && *e != ',')
            e++;
        size_t n = (size_t)(e - w);
        if (n == 2 && !strncmp(w, "mp", 2))
            *which |= FW_MPTABLE;
        else if (n == 4 && !strncmp(w, "acpi", 4))
            *which |= FW_ACPI;
        else if (n == 4 && !strncmp(w, "madt", 4))
            *which |= FW_ACPI | FW_MADT_ONLY;
        else if (!(n == 4 && !strncmp(w, "none", 4))) {
            fmt_snprintf(why, why_len, "fwtables=%s: give a comma list of mp, acpi, madt, none", v);
            return false;
        }
        w = *e ? e + 1 : e;
    }
    return true;
}

/* The MMIO region named @p name, or NULL. */
static const struct gpm_region *fw_mmio(const struct gpm *g, const char *name)
{
    for (int i = 0; i < g->count && i < GPM_MAX_REGIONS; i++)
        if (g->region[i].kind == GPM_MMIO && g->region[i].name && !strcmp(g->region[i].name, name))
            return &g->region[i];
    return NULL;
}

bool fw_write_tables(struct pc_machine *m, unsigned which, uint64_t *rsdp, char *why, size_t why_len)
{
    static uint8_t buf[FW_AREA_MAX];
    *rsdp = 0;
    const struct gpm_region *lapic = fw_mmio(&m->mem, "lapic"), *ioapic = fw_mmio(&m->mem, "ioapic");
    if (!which || !lapic || !ioapic || lapic->base >= 1ull << 32 || ioapic->base >= 1ull << 32)
        return true;   /* nothing to describe (a lesson-03 machine has both, below 4 GiB) */
    struct fw_platform pf = { (uint32_t)lapic->base, (uint32_t)ioapic->base, IOAPIC_PINS };
    if (which & FW_MPTABLE) {
        size_t n = mptable_build(&pf, (uint32_t)FW_MP_GPA, buf, sizeof buf);
        if (!n || !gpm_load(&m->mem, FW_MP_GPA, buf, n)) {
            fmt_snprintf(why, why_len, "firmware: the MP table does not fit at %#lx (is the \"bios\" ROM there?)",
                         (unsigned long)FW_MP_GPA);
            return false;
        }
    }
    if (which & FW_ACPI) {
        size_t n = acpi_build(&pf, (uint32_t)FW_ACPI_GPA, !(which & FW_MADT_ONLY), buf, sizeof buf);
        if (!n || !gpm_load(&m->mem, FW_ACPI_GPA, buf, n)) {
            fmt_snprintf(why, why_len, "firmware: the ACPI tables do not fit at %#lx (is the \"bios\" ROM there?)",
                         (unsigned long)FW_ACPI_GPA);
            return false;
        }
        *rsdp = FW_ACPI_GPA;
    }
    return true;
}
