/**
 * @file mb_header.c
 * @brief The multiboot OS image: find its header (Multiboot 0.6.96
 *        §3.1.1), check its flags (§3.1.2) and read its layout, from the
 *        header's address fields (flag 16, §3.1.3, "the a.out kludge") or
 *        else from the ELF program headers (mb_elf.c).
 *
 * Nothing here touches guest memory: the result is a plan (segments and
 * entry point) that mb_load.c checks against the machine's memory map.
 */
#include "loader/multiboot.h"

#include "spectrum/fmt.h"
#include "spectrum/string.h"

/** @brief Little-endian 32-bit read from a byte array (may be unaligned). */
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int64_t mb1_find_header(const uint8_t *img, uint64_t len, char *why, size_t why_len)
{
    uint64_t limit = len < MB1_SEARCH_BYTES ? len : MB1_SEARCH_BYTES;
    int64_t bad_sum = -1;
    /* §3.1.1: "must be contained completely within the first 8192 bytes
     * of the OS image, and must be longword (32-bit) aligned".  The three
     * mandatory fields are 12 bytes. */
    for (uint64_t off = 0; off + 12 <= limit; off += 4) {
        if (rd32(img + off) != MB1_HEADER_MAGIC)
            continue;
        uint32_t sum = rd32(img + off) + rd32(img + off + 4) + rd32(img + off + 8);
        if (sum == 0)
            return (int64_t)off;
        if (bad_sum < 0)
            bad_sum = (int64_t)off;   /* the magic may also occur by chance: keep looking */
    }
    if (bad_sum >= 0)
        fmt_snprintf(why, why_len, "multiboot: header at offset %#lx has a bad checksum (magic + flags + checksum != 0)",
                     (unsigned long)bad_sum);
    else
        fmt_snprintf(why, why_len, "multiboot: no header (magic %#x) in the first %u bytes", MB1_HEADER_MAGIC,
                     MB1_SEARCH_BYTES);
    return -1;
}

/** The a.out kludge (§3.1.3): one segment described by the header itself.
 *  The header's file offset and header_addr tie file and memory together:
 *  file offset of load_addr = header offset - (header_addr - load_addr). */
static bool mb1_plan_aout(const uint8_t *img, uint64_t len, uint64_t off, struct mb1_plan *plan, char *why,
                          size_t why_len)
{
    if (len - off < sizeof(struct mb1_header)) {
        fmt_snprintf(why, why_len, "multiboot: header at offset %#lx is cut off by the end of the file "
                     "(flag 16 needs %u bytes, %lu left)", (unsigned long)off, (unsigned)sizeof(struct mb1_header),
                     (unsigned long)(len - off));
        return false;
    }
    struct mb1_header h;
    memcpy(&h, img + off, sizeof h);
    if (h.header_addr < h.load_addr || h.header_addr - h.load_addr > off) {
        fmt_snprintf(why, why_len, "multiboot: header_addr %#x and load_addr %#x put the load start before the file",
                     h.header_addr, h.load_addr);
        return false;
    }
    uint64_t file_off = off - (h.header_addr - h.load_addr);
    uint64_t filesz;
    if (h.load_end_addr == 0)
        filesz = len - file_off;                  /* §3.1.3: 0 means "to the end of the file" */
    else if (h.load_end_addr < h.load_addr) {
        fmt_snprintf(why, why_len, "multiboot: load_end_addr %#x is below load_addr %#x", h.load_end_addr, h.load_addr);
        return false;
    } else
        filesz = (uint64_t)h.load_end_addr - h.load_addr;
    if (filesz > len - file_off) {
        fmt_snprintf(why, why_len, "multiboot: load range [%#x+%#lx) runs past the end of the file (%lu bytes)",
                     h.load_addr, (unsigned long)filesz, (unsigned long)len);
        return false;
    }
    uint64_t memsz = filesz;
    if (h.bss_end_addr != 0) {
        if ((uint64_t)h.bss_end_addr < (uint64_t)h.load_addr + filesz) {
            fmt_snprintf(why, why_len, "multiboot: bss_end_addr %#x is below the end of the loaded data %#lx",
                         h.bss_end_addr, (unsigned long)(h.load_addr + filesz));
            return false;
        }
        memsz = (uint64_t)h.bss_end_addr - h.load_addr;
    }
    if (memsz == 0) {
        fmt_snprintf(why, why_len, "multiboot: the a.out-kludge addresses load nothing");
        return false;
    }
    plan->seg[0] = (struct mb1_segment){ h.load_addr, file_off, filesz, memsz, 0 };
    plan->nseg = 1;
    plan->entry = h.entry_addr;
    return true;
}

bool mb1_plan_image(const uint8_t *img, uint64_t len, struct mb1_plan *plan, char *why, size_t why_len)
{
    memset(plan, 0, sizeof *plan);
    int64_t off = mb1_find_header(img, len, why, why_len);
    if (off < 0)
        return false;
    plan->header_off = (uint64_t)off;
    plan->flags = rd32(img + off + 4);
    /* §3.1.2: bits 0-15 are requirements; a loader that cannot meet one
     * must refuse the image.  We meet 0 (we always page-align modules) and
     * 1 (we always give memory information); there is no display for 2. */
    uint32_t unknown = plan->flags & MB1_HF_REQUIRED & ~(MB1_HF_PAGE_ALIGN | MB1_HF_MEMINFO);
    if (unknown) {
        fmt_snprintf(why, why_len, "multiboot: header flags %#x ask for what Spectrum cannot give (bits %#x%s)",
                     plan->flags, unknown, (unknown & MB1_HF_VIDEO) ? ": bit 2, a video mode" : "");
        return false;
    }
    bool ok = (plan->flags & MB1_HF_AOUT) ? mb1_plan_aout(img, len, (uint64_t)off, plan, why, why_len)
                                          : mb1_plan_elf(img, len, plan, why, why_len);
    if (!ok)
        return false;
    if (plan->entry >= 0x100000000ull) {
        fmt_snprintf(why, why_len, "multiboot: entry point %#lx is above 4 GiB (the kernel starts in 32-bit mode)",
                     (unsigned long)plan->entry);
        return false;
    }
    plan->end = 0;
    for (int i = 0; i < plan->nseg; i++) {
        uint64_t e = plan->seg[i].paddr + plan->seg[i].memsz;   /* no wrap: checked by the planners */
        if (e > plan->end)
            plan->end = e;
    }
    return true;
}
