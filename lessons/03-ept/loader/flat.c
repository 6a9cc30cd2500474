/**
 * @file flat.c
 * @brief The "flat" loader: a raw binary copied into low RAM and started
 *        in 16-bit real mode, the way a PC BIOS starts a boot sector
 *        (loaded at 0x7C00, entered at 0000:7C00 in real mode; SDM Vol. 3A
 *        §9.1.4 "First Instruction Executed" for the mode, §20.1 for
 *        real-address mode addressing: linear = segment * 16 + offset).
 *
 * Options in the image's command line:
 *   load=ADDR      where the bytes go (default 0x8000, 16-byte aligned
 *                  unless entry= is given)
 *   entry=SEG:OFF  start at SEG:OFF instead of (load >> 4):0000
 *
 * The image must fit below the legacy video hole (PC_LOW_RAM_END): real
 * mode reaches only the first MiB and the 0xA0000-0xFFFFF range is not
 * RAM.  The stack: SP is set for SS = 0 (as a BIOS leaves it for a boot
 * sector) just below the image when that leaves room, else at the top of
 * the first 64 KiB.
 *
 * The flat loader accepts any bytes (its probe is always true), so it has
 * the lowest rank: every more specific format is tried first.
 */
#include "loader/loader.h"

#include "mem/gpm.h"
#include "spectrum/cmdline.h"
#include "spectrum/fmt.h"
#include "spectrum/string.h"

#define FLAT_DEFAULT_LOAD 0x8000ull   /**< above the boot-sector area 0x7C00-0x7DFF */
#define FLAT_STACK_MIN    0x1000ull   /**< a load below this leaves no room for a stack under it */
#define REAL_SEG_LIMIT    0x10000ull  /**< a real-mode offset is 16 bits */

static bool flat_probe(const uint8_t *bytes, uint64_t len)
{
    (void)bytes;
    return len > 0;
}

/* "SEG:OFF", each a number as cmdline_parse_u64() reads it (0x for hex). */
static bool flat_parse_entry(const char *s, uint64_t *seg, uint64_t *off)
{
    char buf[24];
    const char *colon = strchr(s, ':');
    if (!colon || (size_t)(colon - s) >= sizeof buf)
        return false;
    memcpy(buf, s, (size_t)(colon - s));
    buf[colon - s] = '\0';
    return cmdline_parse_u64(buf, seg) && cmdline_parse_u64(colon + 1, off) && *seg < REAL_SEG_LIMIT &&
           *off < REAL_SEG_LIMIT;
}

static bool flat_load(struct pc_machine *m, const struct guest_blob *image, const struct guest_blob *modules,
                      int nmodules, struct hvm_start *start, char *why, size_t why_len)
{
    (void)modules;
    char opt[32];
    uint64_t load = FLAT_DEFAULT_LOAD;
    if (nmodules > 0) {
        fmt_snprintf(why, why_len, "flat: a flat binary takes no modules (%d given)", nmodules);
        return false;
    }
    if (loader_option(image->cmdline, "load", opt, sizeof opt) && !cmdline_parse_u64(opt, &load)) {
        fmt_snprintf(why, why_len, "flat: load=%s is not a number", opt);
        return false;
    }
    /* Must fit in conventional memory: checked against the constant, so a
     * map with RAM at 1 MiB does not make a real-mode-unreachable load
     * look fine, and against the map, so a hole there is caught too. */
    uint64_t ram_end;
    if (load >= PC_LOW_RAM_END || image->len > PC_LOW_RAM_END - load) {
        fmt_snprintf(why, why_len, "flat: image [%#lx+%#lx) does not fit in low RAM (below %#lx)",
                     (unsigned long)load, (unsigned long)image->len, (unsigned long)PC_LOW_RAM_END);
        return false;
    }
    const char *bad = loader_ram_check(m, load, image->len, &ram_end);
    if (bad) {
        fmt_snprintf(why, why_len, "flat: image [%#lx+%#lx) %s", (unsigned long)load, (unsigned long)image->len, bad);
        return false;
    }

    uint64_t seg = load >> 4, off = 0;
    if (loader_option(image->cmdline, "entry", opt, sizeof opt)) {
        if (!flat_parse_entry(opt, &seg, &off)) {
            fmt_snprintf(why, why_len, "flat: entry=%s is not SEG:OFF (16-bit numbers)", opt);
            return false;
        }
    } else if (load & 0xf) {
        fmt_snprintf(why, why_len, "flat: load=%#lx is not 16-byte aligned (CS = load >> 4): give entry=SEG:OFF",
                     (unsigned long)load);
        return false;
    }
    uint64_t linear = seg * 16 + off;
    if (linear < load || linear >= load + image->len) {
        fmt_snprintf(why, why_len, "flat: entry %#lx:%#lx (linear %#lx) is outside the image [%#lx+%#lx)",
                     (unsigned long)seg, (unsigned long)off, (unsigned long)linear, (unsigned long)load,
                     (unsigned long)image->len);
        return false;
    }

    /* SS = 0: the stack grows down from just below the image, or from
     * the top of the first 64 KiB (SP = 0 wraps to 0xFFFE on the first
     * push) when the image starts too low and does not reach up there. */
    uint64_t sp;
    if (load >= FLAT_STACK_MIN)
        sp = load < REAL_SEG_LIMIT ? load : REAL_SEG_LIMIT - 16;
    else if (load + image->len <= REAL_SEG_LIMIT - FLAT_STACK_MIN)
        sp = 0;
    else {
        fmt_snprintf(why, why_len, "flat: image [%#lx+%#lx) leaves no room for a real-mode stack (load it at %#lx or above)",
                     (unsigned long)load, (unsigned long)image->len, (unsigned long)FLAT_STACK_MIN);
        return false;
    }

    if (!gpm_load(&m->mem, load, image->data, image->len)) {
        fmt_snprintf(why, why_len, "flat: writing [%#lx+%#lx) failed", (unsigned long)load, (unsigned long)image->len);
        return false;
    }
    memset(start, 0, sizeof *start);
    start->mode = HVM_START_REAL16;
    start->cs_sel = (uint16_t)seg;
    start->rip = off;
    start->rsp = sp;
    return true;
}

REGISTER_GUEST_LOADER(flat, {
    .name = "flat",
    .rank = 0,
    .probe = flat_probe,
    .load = flat_load,
});
