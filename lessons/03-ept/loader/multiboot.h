/**
 * @file multiboot.h
 * @brief Multiboot 1 as a boot loader sees it (Multiboot Specification
 *        0.6.96): the OS image's header (§3.1), the machine state at entry
 *        (§3.2) and the information structure the loader builds (§3.3);
 *        ELF program headers (System V ABI / ELF-64 Object File Format);
 *        and the multiboot loader's pieces, split so that each can be
 *        tested alone.
 *
 * The magics themselves (MB1_HEADER_MAGIC, MB1_BOOT_MAGIC) live in
 * spectrum/boot_layout.h, shared with Spectrum's own boot code.  The info
 * flag names below are the ones common/lib/multiboot.c uses for reading
 * the structure Spectrum itself got (identical definitions).
 */
#ifndef SPECTRUM_LOADER_MULTIBOOT_H
#define SPECTRUM_LOADER_MULTIBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/loader.h"
#include "spectrum/multiboot1.h"
#include "spectrum/boot_layout.h"

/* ---- The OS image's header (§3.1.1 - §3.1.3) ---------------------------- */

#define MB1_SEARCH_BYTES  8192u        /**< the header lies in the first 8 KiB, 4-byte aligned (§3.1.1) */
#define MB1_HF_PAGE_ALIGN (1u << 0)    /**< modules on 4 KiB boundaries */
#define MB1_HF_MEMINFO    (1u << 1)    /**< mem_* (and mmap_*) must be given */
#define MB1_HF_VIDEO      (1u << 2)    /**< a video mode table is wanted */
#define MB1_HF_AOUT       (1u << 16)   /**< the address fields are valid: load them, not ELF */
#define MB1_HF_REQUIRED   0x0000ffffu  /**< bits 0-15: a loader that does not know one must refuse (§3.1.2) */

/** @brief The header's fixed part and address fields (§3.1.1, offsets 0-28). */
struct mb1_header {
    uint32_t magic;          /**< MB1_HEADER_MAGIC */
    uint32_t flags;          /**< MB1_HF_* */
    uint32_t checksum;       /**< magic + flags + checksum == 0 (mod 2^32) */
    uint32_t header_addr;    /**< flag 16: the physical address of the header's magic */
    uint32_t load_addr;      /**< flag 16: where the text segment starts */
    uint32_t load_end_addr;  /**< flag 16: end of the data to load (0: to the end of the file) */
    uint32_t bss_end_addr;   /**< flag 16: end of the bss (0: none) */
    uint32_t entry_addr;     /**< flag 16: where to jump */
};
_Static_assert(sizeof(struct mb1_header) == 32, "Multiboot 0.6.96 §3.1.1: header fields up to entry_addr");
_Static_assert(offsetof(struct mb1_header, header_addr) == 12, "§3.1.1: header_addr at offset 12");
_Static_assert(offsetof(struct mb1_header, entry_addr) == 28, "§3.1.1: entry_addr at offset 28");

/* ---- The information structure (§3.3) ----------------------------------- */

/* The flags (MB1_INFO_MEM ...) are spectrum/multiboot1.h's, shared with
 * Spectrum's own boot (common/lib/multiboot.c). */

/** @brief The Multiboot information structure (§3.3, offsets 0-115). */
struct mb1_info {
    uint32_t flags;              /**< which fields are valid (MB1_INFO_*) */
    uint32_t mem_lower;          /**< flag 0: KiB of RAM from 0 (at most 640) */
    uint32_t mem_upper;          /**< flag 0: KiB of RAM from 1 MiB to the first hole */
    uint32_t boot_device;        /**< flag 1: not given */
    uint32_t cmdline;            /**< flag 2: physical address of the command line */
    uint32_t mods_count;         /**< flag 3: modules */
    uint32_t mods_addr;          /**< flag 3: physical address of the first struct mb1_module */
    uint32_t syms[4];            /**< flags 4/5: symbols, not given */
    uint32_t mmap_length;        /**< flag 6: bytes of memory map */
    uint32_t mmap_addr;          /**< flag 6: its physical address */
    uint32_t drives_length;      /**< flag 7: not given */
    uint32_t drives_addr;        /**< flag 7 */
    uint32_t config_table;       /**< flag 8: not given */
    uint32_t boot_loader_name;   /**< flag 9: physical address of the loader's name */
    uint32_t apm_table;          /**< flag 10: not given */
    uint32_t vbe[4];             /**< flag 11: not given (vbe_control_info .. vbe_interface_len) */
    uint8_t framebuffer[28];     /**< flag 12: not given */
};
_Static_assert(sizeof(struct mb1_info) == 116, "Multiboot 0.6.96 §3.3: 116 bytes up to color_info");
_Static_assert(offsetof(struct mb1_info, cmdline) == 16, "§3.3: cmdline at 16");
_Static_assert(offsetof(struct mb1_info, mods_addr) == 24, "§3.3: mods_addr at 24");
_Static_assert(offsetof(struct mb1_info, mmap_length) == 44, "§3.3: mmap_length at 44");
_Static_assert(offsetof(struct mb1_info, boot_loader_name) == 64, "§3.3: boot_loader_name at 64");
_Static_assert(offsetof(struct mb1_info, framebuffer) == 88, "§3.3: framebuffer_addr at 88");

/** @brief One module entry (§3.3, "mods_addr"). */
struct mb1_module {
    uint32_t mod_start;   /**< physical address of its first byte */
    uint32_t mod_end;     /**< one past its last byte */
    uint32_t string;      /**< physical address of its string */
    uint32_t reserved;    /**< 0 */
};
_Static_assert(sizeof(struct mb1_module) == 16, "§3.3: 16-byte module entries");

/** @brief One memory-map entry (§3.3, "mmap_addr"): @c size counts the
 *  bytes after itself (20), so entries are 24 bytes apart. */
struct __attribute__((packed)) mb1_mmap_entry {
    uint32_t size;        /**< 20 */
    uint64_t addr;        /**< first byte */
    uint64_t len;         /**< bytes */
    uint32_t type;        /**< 1 = available RAM, anything else reserved (enum mem_type) */
};
_Static_assert(sizeof(struct mb1_mmap_entry) == 24, "§3.3: size field + 20 bytes");
_Static_assert(offsetof(struct mb1_mmap_entry, addr) == 4, "§3.3: base_addr at offset 4 (after size)");

/* ---- Where the loader puts things ----------------------------------------- */

/** The information structure, its strings, module list and memory map go
 *  in low RAM from here, where QEMU's -kernel puts its own (hw/i386/
 *  multiboot.c: MULTIBOOT_STRUCT_ADDR), away from a kernel at >= 1 MiB. */
#define MB1_INFO_GPA      0x9000ull
/** ... and must end below this (a stack may sit under MB1_INFO_GPA). */
#define MB1_INFO_END      0x20000ull
#define MB1_KERNEL_MIN    PC_HIGH_RAM_BASE  /**< segments must start at or above 1 MiB */
#define MB1_MAX_SEGMENTS  16   /**< PT_LOAD segments accepted */
#define MB1_MAX_PHNUM     256  /**< program headers looked at */
#define MB1_MAX_MODULES   16   /**< modules passed on (Spectrum itself keeps BOOTINFO_MAX_MODULES) */
#define MB1_MAX_MMAP      (2 * GPM_MAX_REGIONS + 2) /**< a region and the gap before it, each */
#define MB1_LOADER_NAME   "Spectrum"  /**< boot_loader_name given to the kernel */

/** @brief One piece of the image to put in guest memory. */
struct mb1_segment {
    uint64_t paddr;       /**< guest-physical destination */
    uint64_t file_off;    /**< offset of its bytes in the image */
    uint64_t filesz;      /**< bytes copied from the image */
    uint64_t memsz;       /**< bytes in memory (filesz .. memsz: zeroed) */
    uint64_t index;       /**< for messages: its ELF program header number (a.out kludge: 0) */
};

/** @brief What the image asks for: its segments and entry point. */
struct mb1_plan {
    uint32_t flags;                               /**< the header's flags */
    uint64_t header_off;                          /**< offset of the header in the image */
    struct mb1_segment seg[MB1_MAX_SEGMENTS];     /**< in file order */
    int nseg;                                     /**< segments used */
    uint64_t entry;                               /**< physical entry point (< 4 GiB) */
    uint64_t end;                                 /**< one past the highest byte of any segment */
    bool elf64;                                   /**< an ELF64 image (not a.out kludge, not ELF32) */
};

/**
 * @brief Find the multiboot header in the first 8 KiB of @p img.
 * @return its offset, or -1 (then @p why says whether nothing was found
 *         or the checksum of a magic was wrong).
 */
int64_t mb1_find_header(const uint8_t *img, uint64_t len, char *why, size_t why_len);

/**
 * @brief Read the image's layout into @p plan: the a.out kludge addresses
 *        (header flag 16) or the ELF32/ELF64 PT_LOAD program headers.
 *        Checks everything about the file itself (truncation, overflow,
 *        flags this loader does not know); not yet where the segments land.
 */
bool mb1_plan_image(const uint8_t *img, uint64_t len, struct mb1_plan *plan, char *why, size_t why_len);

/**
 * @brief Read the PT_LOAD program headers of the ELF32 or ELF64 image
 *        @p img into @p plan (segments at p_paddr, entry e_entry).
 */
bool mb1_plan_elf(const uint8_t *img, uint64_t len, struct mb1_plan *plan, char *why, size_t why_len);

/**
 * @brief Check @p plan against @p m's memory map (each segment in RAM, at
 *        or above 1 MiB, below 4 GiB, no two overlapping, the entry inside
 *        one) and copy the segments, zeroing each one's bss tail.
 */
bool mb1_load_segments(struct pc_machine *m, const uint8_t *img, const struct mb1_plan *plan, char *why,
                       size_t why_len);

/**
 * @brief Copy the modules page-aligned from @p first (4 KiB aligned, above
 *        the kernel) and build the information structure at MB1_INFO_GPA:
 *        memory sizes and map from @p m's regions, @p cmdline, the loader
 *        name, the module list.  Returns the info's GPA in @p *info_gpa.
 */
bool mb1_build_info(struct pc_machine *m, const char *cmdline, const struct guest_blob *modules, int nmodules,
                    uint64_t first, uint64_t *info_gpa, char *why, size_t why_len);

/**
 * @brief The memory map of @p m as multiboot entries: RAM type 1, ROM, MMIO
 *        and the gaps between regions type 2, adjacent entries of one type
 *        merged.  @return the number of entries written (at most @p max).
 */
int mb1_memory_map(const struct pc_machine *m, struct mb1_mmap_entry *out, int max);

#endif
