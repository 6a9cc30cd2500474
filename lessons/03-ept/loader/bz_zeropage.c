/**
 * @file bz_zeropage.c
 * @brief The zero page (struct boot_params) a Linux kernel finds at RSI:
 *        the image's setup header, completed as boot.rst asks of a boot
 *        loader, and the e820 memory map built from the machine's
 *        guest-physical map (zero-page.rst; the map's types are those of
 *        ACPI 6.5 §15 "System Address Map Interfaces").
 */
#include "loader/bzimage.h"

#include "mem/gpm.h"
#include "spectrum/bootinfo.h"
#include "spectrum/exercise.h"
#include "spectrum/fmt.h"
#include "spectrum/string.h"

/* Append, merging with the previous entry when they touch and agree. */
static void e820_add(struct bz_e820_entry *out, int *n, int max, uint64_t addr, uint64_t size, uint32_t type)
{
    if (*n > 0 && out[*n - 1].type == type && out[*n - 1].addr + out[*n - 1].size == addr) {
        out[*n - 1].size += size;
        return;
    }
    if (*n < max)
        out[(*n)++] = (struct bz_e820_entry){ addr, size, type };
}

int bz_e820_map(const struct pc_machine *m, struct bz_e820_entry *out, int max)
{
    int n = 0;
    uint64_t at = 0;
    for (int i = 0; i < m->mem.count && i < GPM_MAX_REGIONS; i++) {
        const struct gpm_region *r = &m->mem.region[i];
        /* Below 1 MiB a hole is the legacy video / option-ROM area: a PC
         * BIOS reports it reserved, and Linux expects it so.  Above, a
         * hole or an MMIO window is simply not in the map: "reserved"
         * there would make Linux keep device windows (virtio-mmio, the
         * APICs, which it finds by their tables) away from drivers. */
        if (r->base > at && at < PC_HIGH_RAM_BASE) {
            uint64_t top = r->base < PC_HIGH_RAM_BASE ? r->base : PC_HIGH_RAM_BASE;
            e820_add(out, &n, max, at, top - at, MEM_RESERVED);
        }
        if (r->kind == GPM_RAM)
            e820_add(out, &n, max, r->base, r->size, MEM_USABLE);
        else if (r->kind == GPM_ROM)   /* the "bios" ROM: the MP and ACPI tables live there */
            e820_add(out, &n, max, r->base, r->size, MEM_RESERVED);
        at = r->base + r->size;
    }
    return n;
}

/* KiB of RAM contiguous from 1 MiB (boot_params.alt_mem_k, the old BIOS 0xE801 answer). */
static uint32_t bz_alt_mem_k(const struct gpm *g)
{
    const struct gpm_region *r = gpm_find(g, PC_HIGH_RAM_BASE);
    if (!r || r->kind != GPM_RAM)
        return 0;
    return (uint32_t)((r->base + r->size - PC_HIGH_RAM_BASE) / 1024);
}

bool bz_zero_page(const struct pc_machine *m, const struct bz_plan *plan, uint64_t cmdline, uint64_t initrd,
                  uint64_t initrd_len, uint64_t rsdp, struct bz_boot_params *bp, char *why, size_t why_len)
{
    memset(bp, 0, sizeof *bp);
    /* boot.rst: copy the header as the image has it (its length is the
     * image's: a newer kernel's fields we do not know keep their values),
     * then fill in the fields marked "write" / "modify". */
    memcpy(&bp->hdr, &plan->hdr, plan->hdr_len);
    struct bz_setup_header *h = &bp->hdr;
    /* EXERCISE 03.zero-page 10 "Complete the copied setup header as a boot loader must: type_of_loader 0xFF, loadflags |= CAN_USE_HEAP with heap_end_ptr, cmd_line_ptr, ramdisk_image / ramdisk_size, setup_data 0: Linux Documentation/arch/x86/boot.rst, The Real-Mode Kernel Header and Details of Header Fields" */
    h->type_of_loader = BZ_LOADER_TYPE_UNDEFINED;   /* no assigned loader ID: "undefined" */
    h->loadflags = (uint8_t)((h->loadflags & ~BZ_LF_KASLR) | BZ_LF_CAN_USE_HEAP);   /* KASLR_FLAG is the kernel's to set */
    /* Only the 16-bit setup uses its heap, and the 64-bit entry never
     * runs it; the value is the one a loader gives a setup at 0x90000. */
    h->heap_end_ptr = BZ_HEAP_END;
    h->cmd_line_ptr = (uint32_t)cmdline;
    h->ramdisk_image = (uint32_t)initrd;
    h->ramdisk_size = (uint32_t)initrd_len;
    h->setup_data = 0;   /* a list the image must not point the kernel at */
    /* STUB
    EXERCISE_TODO();
    (void)h;
    (void)cmdline;
    (void)initrd;
    (void)initrd_len;
    fmt_snprintf(why, why_len, "bzimage: the zero page's header is not completed (exercise 03.zero-page)");
    return false;
    STUB END */
    /* END EXERCISE 03.zero-page */
    /* Everything this loader places is below 4 GiB (the 32-bit fields
     * hold it): the high halves of protocol 2.12 stay 0. */
    bp->ext_ramdisk_image = bp->ext_ramdisk_size = bp->ext_cmd_line_ptr = 0;
    bp->acpi_rsdp_addr = rsdp;   /* protocol 2.14; older kernels scan 0xE0000-0xFFFFF and find it anyway */
    bp->alt_mem_k = bz_alt_mem_k(&m->mem);
    int n = bz_e820_map(m, bp->e820_table, BZ_E820_MAX);
    if (n <= 0) {
        fmt_snprintf(why, why_len, "bzimage: the machine's memory map came out empty");
        return false;
    }
    bp->e820_entries = (uint8_t)n;
    return true;
}
