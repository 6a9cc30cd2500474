/**
 * @file bzimage.c
 * @brief The "bzimage" loader: a Linux kernel by the x86 boot protocol
 *        (Documentation/arch/x86/boot.rst), entered at its 64-bit entry
 *        point, with its initrd, command line and the firmware tables a
 *        PC's BIOS would have left (firmware/firmware.h).
 *
 * Steps, each in its own file: read and check the setup header and choose
 * where the kernel goes (bz_header.c), build the zero page with the e820
 * map (bz_zeropage.c), build the boot GDT and identity page tables and
 * the start state (bz_entry.c).  Here: put the pieces into guest memory.
 *
 *     0x01000  GDT         0x02000-0x07fff  page tables
 *     0x10000  zero page   0x20000          command line
 *     0xf0000  MP table    0xf1000          ACPI tables        (ROM)
 *     load     protected-mode kernel (1 MiB or pref_address), init_size footprint up to plan.end
 *     initrd   page aligned, as high as initrd_addr_max and RAM allow, above plan.end
 *
 * Options in the command line (Linux ignores words it does not know and
 * hands them to init): "fwtables=" (firmware/firmware.h).
 */
#include "loader/bzimage.h"
#include "loader/bz_cmdline_ext.h"

#include "firmware/firmware.h"
#include "mem/gpm.h"
#include "spectrum/fmt.h"
#include "spectrum/string.h"

#define BZ_PAGE 4096ull

static bool bz_probe(const uint8_t *bytes, uint64_t len)
{
    /* Cheap and specific: the boot-sector signature, "HdrS", a 64-bit
     * entry.  Anything more is bz_plan()'s, which says what is wrong. */
    if (len < BZ_HDR_END_2_12)
        return false;
    struct bz_setup_header h;
    memcpy(&h, bytes + BZ_HDR_OFFSET, BZ_HDR_END_2_12 - BZ_HDR_OFFSET);
    return h.boot_flag == BZ_BOOT_FLAG && h.header == BZ_HDRS_MAGIC;
}

/* Append " WORDS" to the command line being built in @p line (used
 * bytes *n); past BZ_CMDLINE_MAX it only counts, so the caller can say
 * how long the line would have been. */
static void line_add(char *line, size_t *n, const char *words)
{
    size_t w = strnlen(words, BZ_CMDLINE_MAX + 1);
    if (w == 0)
        return;
    if (*n + 1 + w <= BZ_CMDLINE_MAX) {
        if (*n)
            line[(*n)++] = ' ';
        memcpy(line + *n, words, w + 1);
        *n += w;
    } else {
        *n += (*n ? 1 : 0) + w;
    }
}

/* The command line: the user's words, then what Spectrum adds, its length
 * checked against the kernel's cmdline_size and our room, written at
 * BZ_CMDLINE_GPA.  Unless the user named one, the TSC's frequency is
 * appended as tsc_early_khz= (Linux's Documentation/admin-guide/
 * kernel-parameters.txt): with the hardware-reduced ACPI platform Linux
 * has no PIT to calibrate against, and an emulator's PIT, read through
 * exits, would mislead it anyway; the guest TSC is the host's, whose rate
 * Spectrum measured at boot.  Then the words of later lessons' devices
 * (bz_cmdline_ext.h: lesson 04's virtio_mmio.device=). */
static bool bz_cmdline(struct pc_machine *m, const struct bz_plan *plan, const char *cmdline, char *why,
                       size_t why_len)
{
    static char line[BZ_CMDLINE_MAX + 1];
    static char words[BZ_CMDLINE_MAX + 1];
    const char *given = cmdline ? cmdline : "";
    size_t len = 0;
    line[0] = '\0';
    line_add(line, &len, given);
    if (m->tsc_khz && !strstr(given, "tsc_early_khz=")) {
        fmt_snprintf(words, sizeof words, "tsc_early_khz=%lu", (unsigned long)m->tsc_khz);
        line_add(line, &len, words);
    }
    TABLE_FOREACH(struct bz_cmdline_ext, spectrum_bz_cmdline_ext, e) {
        words[0] = '\0';
        if (!e->append(m, given, words, sizeof words)) {
            fmt_snprintf(why, why_len, "bzimage: the command-line words of %s do not fit", e->name);
            return false;
        }
        line_add(line, &len, words);
    }
    if (len > plan->hdr.cmdline_size || len > BZ_CMDLINE_MAX) {
        /* "N+": the user's words alone were longer than we read of them. */
        bool cut = strnlen(given, BZ_CMDLINE_MAX + 1) > BZ_CMDLINE_MAX;
        fmt_snprintf(why, why_len, "bzimage: command line of %lu%s bytes is longer than cmdline_size %#x allows",
                     (unsigned long)len, cut ? "+" : "", plan->hdr.cmdline_size);
        return false;
    }
    if (!gpm_load(&m->mem, BZ_CMDLINE_GPA, line, len + 1)) {
        fmt_snprintf(why, why_len, "bzimage: no RAM at %#lx for the command line", (unsigned long)BZ_CMDLINE_GPA);
        return false;
    }
    return true;
}

/* The initrd: page aligned, as high as both initrd_addr_max ("the highest
 * address the initrd's last byte may occupy") and the RAM region above
 * the kernel allow - as far as possible from the kernel, which KASLR may
 * move anywhere it is not - but never below plan->end. */
static bool bz_initrd(struct pc_machine *m, const struct bz_plan *plan, const struct guest_blob *mod, uint64_t *gpa,
                      char *why, size_t why_len)
{
    *gpa = 0;
    if (!mod || mod->len == 0)
        return true;
    const struct gpm_region *r = gpm_find(&m->mem, plan->load);
    uint64_t top = r ? r->base + r->size : 0;   /* bz_plan() checked: RAM */
    uint64_t max = (uint64_t)plan->hdr.initrd_addr_max + 1;
    if (max < top)
        top = max;
    uint64_t at = mod->len <= top ? (top - mod->len) & ~(BZ_PAGE - 1) : 0;
    if (!mod->data || mod->len > top || at < plan->end) {
        fmt_snprintf(why, why_len, "bzimage: initrd of %lu bytes does not fit between the kernel's footprint end %#lx "
                     "and %#lx (initrd_addr_max %#x, end of RAM %#lx)", (unsigned long)mod->len,
                     (unsigned long)plan->end, (unsigned long)top, plan->hdr.initrd_addr_max,
                     (unsigned long)(r ? r->base + r->size : 0));
        return false;
    }
    if (!gpm_load(&m->mem, at, mod->data, mod->len)) {
        fmt_snprintf(why, why_len, "bzimage: writing the initrd at %#lx failed", (unsigned long)at);
        return false;
    }
    *gpa = at;
    return true;
}

static bool bz_load(struct pc_machine *m, const struct guest_blob *image, const struct guest_blob *modules, int nmodules,
                    struct hvm_start *start, char *why, size_t why_len)
{
    if (nmodules > 1) {
        fmt_snprintf(why, why_len, "bzimage: %d modules given; Linux takes one, the initrd", nmodules);
        return false;
    }
    struct bz_plan plan;
    unsigned fw;
    char fw_why[160];
    if (!bz_plan(m, image->data, image->len, &plan, why, why_len))
        return false;
    if (!fw_tables_option(image->cmdline, &fw, fw_why, sizeof fw_why)) {
        fmt_snprintf(why, why_len, "bzimage: %s", fw_why);
        return false;
    }
    /* Low RAM for what the loader builds (a map without it cannot boot Linux). */
    uint64_t ram_end;
    if (loader_ram_check(m, BZ_GDT_GPA, BZ_CMDLINE_GPA + BZ_CMDLINE_MAX + 1 - BZ_GDT_GPA, &ram_end)) {
        fmt_snprintf(why, why_len, "bzimage: no RAM at [%#lx, %#lx) for the zero page, GDT and page tables",
                     (unsigned long)BZ_GDT_GPA, (unsigned long)(BZ_CMDLINE_GPA + BZ_CMDLINE_MAX + 1));
        return false;
    }
    uint64_t initrd, rsdp;
    if (!bz_cmdline(m, &plan, image->cmdline, why, why_len) ||
        !bz_initrd(m, &plan, nmodules ? &modules[0] : NULL, &initrd, why, why_len))
        return false;
    if (!fw_write_tables(m, fw, &rsdp, fw_why, sizeof fw_why)) {
        fmt_snprintf(why, why_len, "bzimage: %s", fw_why);
        return false;
    }
    /* The protected-mode kernel; the setup sectors are for the 16-bit
     * entry, which this loader does not use. */
    if (!gpm_load(&m->mem, plan.load, image->data + plan.setup_bytes, plan.pm_bytes)) {
        fmt_snprintf(why, why_len, "bzimage: writing the kernel at %#lx failed", (unsigned long)plan.load);
        return false;
    }
    static struct bz_boot_params bp;
    if (!bz_zero_page(m, &plan, BZ_CMDLINE_GPA, initrd, nmodules ? modules[0].len : 0, rsdp, &bp, why, why_len))
        return false;
    if (!gpm_load(&m->mem, BZ_ZERO_PAGE_GPA, &bp, sizeof bp)) {
        fmt_snprintf(why, why_len, "bzimage: writing the zero page failed");
        return false;
    }
    return bz_enter64(m, &plan, BZ_ZERO_PAGE_GPA, start, why, why_len);
}

REGISTER_GUEST_LOADER(bzimage, {
    .name = "bzimage",
    .rank = 20,   /* above multiboot (10) and flat (0): "HdrS" at 0x202 is specific */
    .probe = bz_probe,
    .load = bz_load,
});
