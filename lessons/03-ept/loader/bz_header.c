/**
 * @file bz_header.c
 * @brief Read a bzImage's setup header, check every field this loader
 *        relies on, and decide where the protected-mode kernel goes
 *        (boot.rst "The Real-Mode Kernel Header", "Loading The Rest of
 *        The Kernel", "64-bit Boot Protocol").
 *
 * The memory a booting kernel uses is more than its file: the
 * decompressor needs init_size bytes from where it runs, and a
 * relocatable kernel runs at its load address rounded up to
 * kernel_alignment, never below pref_address (LOAD_PHYSICAL_ADDR: the
 * decompressor's startup_64 computes exactly that from the zero page); a
 * non-relocatable one always runs at pref_address.  All of it must be RAM
 * this machine has, or the kernel would decompress itself into a hole.
 */
#include "loader/bzimage.h"

#include "mem/gpm.h"
#include "spectrum/fmt.h"
#include "spectrum/string.h"

#define BZ_HEADER_BYTE_JUMP_LEN 0x201u   /**< second byte of the jump: header end - 0x202 */

static bool bz_fail(char *why, size_t why_len, const char *msg)
{
    fmt_snprintf(why, why_len, "bzimage: %s", msg);
    return false;
}

static bool is_pow2(uint64_t v) { return v && !(v & (v - 1)); }

/* [base, base+len) in RAM below 4 GiB (the identity map covers 4 GiB). */
static const char *bz_ram_check(const struct pc_machine *m, uint64_t base, uint64_t len)
{
    uint64_t ram_end;
    const char *bad = loader_ram_check(m, base, len, &ram_end);
    if (!bad && base + len > (uint64_t)BZ_IDENTITY_GIB << 30)
        bad = "is not below 4 GiB";
    return bad;
}

/* The footprint of a load at @p load: where the kernel runs and the end of all it uses. */
static void bz_footprint(const struct bz_setup_header *h, uint64_t load, uint64_t pm_bytes, uint64_t *run, uint64_t *end)
{
    uint64_t base = h->pref_address;
    if (h->relocatable_kernel) {
        uint64_t a = h->kernel_alignment;
        uint64_t up = (load + a - 1) & ~(a - 1);
        base = up > base ? up : base;
    }
    *run = base;
    uint64_t e1 = load + pm_bytes, e2 = base + h->init_size;
    *end = e1 > e2 ? e1 : e2;
}

bool bz_plan(const struct pc_machine *m, const uint8_t *img, uint64_t len, struct bz_plan *plan, char *why,
             size_t why_len)
{
    memset(plan, 0, sizeof *plan);
    char msg[160];
    if (len < BZ_HDR_END_2_12) {
        fmt_snprintf(msg, sizeof msg, "file of %lu bytes is shorter than a 2.12 setup header (%#x)", (unsigned long)len,
                     BZ_HDR_END_2_12);
        return bz_fail(why, why_len, msg);
    }
    /* The header's own length: boot.rst "the end of the setup header can
     * be calculated as 0x0202 + the byte value at offset 0x0201".  The
     * checks below read the 2.12 fields (all inside the file); the zero
     * page gets only the header's own bytes (hdr_len). */
    uint32_t hdr_end = 0x202u + img[BZ_HEADER_BYTE_JUMP_LEN];
    uint32_t copy_end = BZ_HDR_OFFSET + (uint32_t)sizeof plan->hdr;
    if (copy_end > len)
        copy_end = (uint32_t)len;
    memcpy(&plan->hdr, img + BZ_HDR_OFFSET, copy_end - BZ_HDR_OFFSET);
    const struct bz_setup_header *h = &plan->hdr;

    if (h->boot_flag != BZ_BOOT_FLAG) {
        fmt_snprintf(msg, sizeof msg, "boot_flag at 0x1fe is %#x, not 0xaa55", h->boot_flag);
        return bz_fail(why, why_len, msg);
    }
    if (h->header != BZ_HDRS_MAGIC)
        return bz_fail(why, why_len, "header at 0x202 is not \"HdrS\" (not a Linux kernel)");
    if (h->version < BZ_MIN_VERSION) {
        fmt_snprintf(msg, sizeof msg, "boot protocol version %#x is older than 2.12 (0x20c: xloadflags, 64-bit entry)",
                     h->version);
        return bz_fail(why, why_len, msg);
    }
    if (hdr_end < BZ_HDR_END_2_12 || hdr_end > len) {
        fmt_snprintf(msg, sizeof msg, "setup header end %#x (byte at 0x201) is before the 2.12 fields end (%#x) or "
                     "past the end of the file", hdr_end, BZ_HDR_END_2_12);
        return bz_fail(why, why_len, msg);
    }
    plan->hdr_len = (hdr_end < copy_end ? hdr_end : copy_end) - BZ_HDR_OFFSET;
    if (!(h->xloadflags & BZ_XLF_KERNEL_64))
        return bz_fail(why, why_len, "xloadflags lacks XLF_KERNEL_64: no 64-bit entry point");
    if (!(h->loadflags & BZ_LF_LOADED_HIGH))
        return bz_fail(why, why_len, "loadflags lacks LOADED_HIGH: a zImage, not a bzImage");

    /* The parts of the file. */
    uint64_t sects = h->setup_sects ? h->setup_sects : BZ_DEFAULT_SETUP_SECTS;
    plan->setup_bytes = (sects + 1) * BZ_SECTOR;
    if (plan->setup_bytes >= len) {
        fmt_snprintf(msg, sizeof msg, "setup_sects %lu: the setup (%#lx bytes) reaches the end of the %#lx-byte file",
                     (unsigned long)sects, (unsigned long)plan->setup_bytes, (unsigned long)len);
        return bz_fail(why, why_len, msg);
    }
    uint64_t file_pm = len - plan->setup_bytes, sys = (uint64_t)h->syssize * 16;
    /* syssize rounds the code up to 16 bytes; a signed image has more after it. */
    if (sys == 0 || sys > file_pm + 15) {
        fmt_snprintf(msg, sizeof msg, "syssize %#x (%#lx bytes) does not match the %#lx bytes after the setup",
                     h->syssize, (unsigned long)sys, (unsigned long)file_pm);
        return bz_fail(why, why_len, msg);
    }
    plan->pm_bytes = sys < file_pm ? sys : file_pm;
    if (plan->pm_bytes <= BZ_ENTRY64_OFFSET)
        return bz_fail(why, why_len, "the protected-mode part is too short to hold the 64-bit entry at +0x200");
    if (h->init_size < plan->pm_bytes) {
        fmt_snprintf(msg, sizeof msg, "init_size %#x is smaller than the protected-mode part (%#lx bytes)", h->init_size,
                     (unsigned long)plan->pm_bytes);
        return bz_fail(why, why_len, msg);
    }
    if (h->relocatable_kernel && (!is_pow2(h->kernel_alignment) || h->kernel_alignment < 0x1000 ||
                                  h->kernel_alignment > BZ_ALIGN_MAX)) {
        fmt_snprintf(msg, sizeof msg, "kernel_alignment %#x is not a power of two in [4 KiB, 1 GiB]",
                     h->kernel_alignment);
        return bz_fail(why, why_len, msg);
    }
    if (h->pref_address & 0xfff) {
        fmt_snprintf(msg, sizeof msg, "pref_address %#lx is not page aligned", (unsigned long)h->pref_address);
        return bz_fail(why, why_len, msg);
    }

    /* Where: pref_address when the kernel may be moved there and it is
     * RAM (the decompressor then runs in place), else the classic 1 MiB. */
    uint64_t run, end;
    if (h->relocatable_kernel && h->pref_address >= BZ_HIGH_LOAD &&
        (h->pref_address & (h->kernel_alignment - 1)) == 0 && h->pref_address < ((uint64_t)BZ_IDENTITY_GIB << 30)) {
        bz_footprint(h, h->pref_address, plan->pm_bytes, &run, &end);
        if (!bz_ram_check(m, h->pref_address, end - h->pref_address)) {
            plan->load = h->pref_address;
            plan->run_base = run;
            plan->end = end;
            return true;
        }
    }
    plan->load = BZ_HIGH_LOAD;
    struct bz_setup_header tmp = *h;
    if (tmp.pref_address < BZ_HIGH_LOAD)   /* pre-2.10 semantics: runs where loaded */
        tmp.pref_address = BZ_HIGH_LOAD;
    bz_footprint(&tmp, plan->load, plan->pm_bytes, &run, &end);
    if (run < BZ_HIGH_LOAD || end < run) {
        fmt_snprintf(msg, sizeof msg, "pref_address %#lx / init_size %#x wrap around", (unsigned long)h->pref_address,
                     h->init_size);
        return bz_fail(why, why_len, msg);
    }
    const char *bad = bz_ram_check(m, plan->load, end - plan->load);
    if (bad) {
        fmt_snprintf(msg, sizeof msg, "init_size %#x: the kernel needs [%#lx, %#lx) (runs at %#lx), which %s",
                     h->init_size, (unsigned long)plan->load, (unsigned long)end, (unsigned long)run, bad);
        return bz_fail(why, why_len, msg);
    }
    plan->run_base = run;
    plan->end = end;
    return true;
}
