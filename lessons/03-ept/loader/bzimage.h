/**
 * @file bzimage.h
 * @brief The Linux x86 boot protocol (the kernel's
 *        Documentation/arch/x86/boot.rst, protocol 2.12 and later): the
 *        setup header of a bzImage, the zero page (struct boot_params) a
 *        loader fills, and the "bzimage" loader's plan and steps.
 *
 * A bzImage file is
 *
 *     [ boot sector + real-mode setup: (setup_sects + 1) * 512 bytes ]
 *     [ protected-mode kernel: the compressed kernel and its decompressor ]
 *
 * The setup header sits at file offset 0x1F1 inside the first sector; a
 * loader copies it into the zero page at the same offset and completes
 * the fields marked "write" in boot.rst ("The Real-Mode Kernel Header").
 * This loader uses the 64-bit entry (boot.rst "64-bit Boot Protocol"):
 * the real-mode setup is never run, only the protected-mode part is
 * loaded (see bzimage.c for why).
 */
#ifndef SPECTRUM_BZIMAGE_H
#define SPECTRUM_BZIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/loader.h"

/* ---- the setup header (boot.rst "The Real-Mode Kernel Header") ---------- */

#define BZ_HDR_OFFSET      0x1f1u        /**< the header's offset in the file and in the zero page */
#define BZ_BOOT_FLAG       0xaa55u       /**< boot_flag at 0x1FE: the boot-sector signature */
#define BZ_HDRS_MAGIC      0x53726448u   /**< header at 0x202: "HdrS" */
#define BZ_MIN_VERSION     0x020cu       /**< protocol 2.12: xloadflags, the 64-bit entry flags */
#define BZ_HDR_END_2_12    0x268u        /**< the 2.12 header ends after handover_offset */
#define BZ_SECTOR          512u          /**< setup_sects counts 512-byte sectors */
#define BZ_DEFAULT_SETUP_SECTS 4u        /**< "if this field is 0, the real value is 4" */
#define BZ_ENTRY64_OFFSET  0x200u        /**< 64-bit entry: load address + 0x200 (boot.rst "64-bit Boot Protocol") */
#define BZ_LOADER_TYPE_UNDEFINED 0xffu   /**< type_of_loader: "undefined" (no assigned boot loader ID) */
#define BZ_HEAP_END        0xfe00u       /**< heap_end_ptr: the classic value, end of setup's 64 KiB minus 0x200 */

/* loadflags (0x211) */
#define BZ_LF_LOADED_HIGH  0x01u   /**< protected-mode code at 0x100000 (a bzImage, not a zImage) */
#define BZ_LF_KASLR        0x02u   /**< set by the kernel itself */
#define BZ_LF_CAN_USE_HEAP 0x80u   /**< heap_end_ptr is valid */

/* xloadflags (0x236, protocol 2.12) */
#define BZ_XLF_KERNEL_64              0x01u  /**< has the 64-bit entry point at +0x200 */
#define BZ_XLF_CAN_BE_LOADED_ABOVE_4G 0x02u  /**< kernel, boot_params, cmdline, ramdisk may be above 4 GiB */

/** @brief The setup header, at 0x1F1 in the file and in the zero page (boot.rst, protocol 2.15). */
struct __attribute__((packed)) bz_setup_header {
    uint8_t setup_sects;          /**< 0x1F1 size of the setup in sectors (0: 4) */
    uint16_t root_flags;          /**< 0x1F2 */
    uint32_t syssize;             /**< 0x1F4 size of the 32-bit code in 16-byte paragraphs */
    uint16_t ram_size;            /**< 0x1F8 obsolete */
    uint16_t vid_mode;            /**< 0x1FA */
    uint16_t root_dev;            /**< 0x1FC */
    uint16_t boot_flag;           /**< 0x1FE 0xAA55 */
    uint16_t jump;                /**< 0x200 jump instruction; its second byte + 0x202 = end of the header */
    uint32_t header;              /**< 0x202 "HdrS" */
    uint16_t version;             /**< 0x206 boot protocol version */
    uint32_t realmode_swtch;      /**< 0x208 */
    uint16_t start_sys_seg;       /**< 0x20C obsolete */
    uint16_t kernel_version;      /**< 0x20E pointer to the version string */
    uint8_t type_of_loader;       /**< 0x210 write: boot loader identifier */
    uint8_t loadflags;            /**< 0x211 modify: BZ_LF_* */
    uint16_t setup_move_size;     /**< 0x212 */
    uint32_t code32_start;        /**< 0x214 32-bit entry (not used by the 64-bit entry) */
    uint32_t ramdisk_image;       /**< 0x218 write: initrd load address */
    uint32_t ramdisk_size;        /**< 0x21C write: initrd size */
    uint32_t bootsect_kludge;     /**< 0x220 obsolete */
    uint16_t heap_end_ptr;        /**< 0x224 write: end of the setup heap/stack, minus 0x200 */
    uint8_t ext_loader_ver;       /**< 0x226 */
    uint8_t ext_loader_type;      /**< 0x227 */
    uint32_t cmd_line_ptr;        /**< 0x228 write: command line address */
    uint32_t initrd_addr_max;     /**< 0x22C highest address of the initrd's last byte */
    uint32_t kernel_alignment;    /**< 0x230 alignment a relocatable kernel needs */
    uint8_t relocatable_kernel;   /**< 0x234 whether the kernel may be loaded elsewhere */
    uint8_t min_alignment;        /**< 0x235 log2 of the least alignment */
    uint16_t xloadflags;          /**< 0x236 BZ_XLF_* */
    uint32_t cmdline_size;        /**< 0x238 longest command line, without the NUL */
    uint32_t hardware_subarch;    /**< 0x23C */
    uint64_t hardware_subarch_data; /**< 0x240 */
    uint32_t payload_offset;      /**< 0x248 */
    uint32_t payload_length;      /**< 0x24C */
    uint64_t setup_data;          /**< 0x250 write: linked list of struct setup_data (0: none) */
    uint64_t pref_address;        /**< 0x258 preferred load address */
    uint32_t init_size;           /**< 0x260 linear memory the kernel needs from its load address to finish booting */
    uint32_t handover_offset;     /**< 0x264 EFI handover entry */
    uint32_t kernel_info_offset;  /**< 0x268 (2.15) */
};

#define BZ_OFF(f) (BZ_HDR_OFFSET + offsetof(struct bz_setup_header, f))   /**< a field's zero-page offset */
_Static_assert(BZ_OFF(boot_flag) == 0x1fe && BZ_OFF(header) == 0x202 && BZ_OFF(version) == 0x206,
               "boot.rst: boot_flag 0x1FE, header 0x202, version 0x206");
_Static_assert(BZ_OFF(type_of_loader) == 0x210 && BZ_OFF(loadflags) == 0x211 && BZ_OFF(ramdisk_image) == 0x218 &&
                   BZ_OFF(ramdisk_size) == 0x21c && BZ_OFF(heap_end_ptr) == 0x224 && BZ_OFF(cmd_line_ptr) == 0x228,
               "boot.rst: the fields a loader writes");
_Static_assert(BZ_OFF(initrd_addr_max) == 0x22c && BZ_OFF(kernel_alignment) == 0x230 &&
                   BZ_OFF(relocatable_kernel) == 0x234 && BZ_OFF(xloadflags) == 0x236 && BZ_OFF(cmdline_size) == 0x238,
               "boot.rst: 2.03-2.12 fields");
_Static_assert(BZ_OFF(setup_data) == 0x250 && BZ_OFF(pref_address) == 0x258 && BZ_OFF(init_size) == 0x260 &&
                   BZ_OFF(handover_offset) == 0x264 && sizeof(struct bz_setup_header) == 0x26c - 0x1f1,
               "boot.rst: 2.09-2.15 fields");

/** @brief One e820 entry in the zero page (ACPI 6.5 §15.1 "INT 15H, E820H", 20 bytes). */
struct __attribute__((packed)) bz_e820_entry {
    uint64_t addr;   /**< first byte */
    uint64_t size;   /**< bytes */
    uint32_t type;   /**< 1 usable RAM, 2 reserved, 3 ACPI reclaimable, 4 ACPI NVS (spectrum/bootinfo.h MEM_*) */
};
_Static_assert(sizeof(struct bz_e820_entry) == 20, "e820 entries are 20 bytes");

#define BZ_E820_MAX 128   /**< E820_MAX_ENTRIES_ZEROPAGE: entries in the zero page */

/**
 * @brief The zero page (Linux's struct boot_params,
 *        Documentation/arch/x86/zero-page.rst), only the fields this
 *        loader writes named; everything else stays zero.
 */
struct __attribute__((packed)) bz_boot_params {
    uint8_t screen_info[0x40];          /**< 0x000 (zero: no VGA text console) */
    uint8_t pad1[0x70 - 0x40];          /**< 0x040 apm_bios_info, tboot, ist_info */
    uint64_t acpi_rsdp_addr;            /**< 0x070 physical address of the ACPI RSDP (2.14) */
    uint8_t pad2[0xc0 - 0x78];          /**< 0x078 */
    uint32_t ext_ramdisk_image;         /**< 0x0C0 high 32 bits of ramdisk_image */
    uint32_t ext_ramdisk_size;          /**< 0x0C4 high 32 bits of ramdisk_size */
    uint32_t ext_cmd_line_ptr;          /**< 0x0C8 high 32 bits of cmd_line_ptr */
    uint8_t pad3[0x1e0 - 0xcc];         /**< 0x0CC */
    uint32_t alt_mem_k;                 /**< 0x1E0 KiB of memory above 1 MiB (legacy) */
    uint8_t pad4[0x1e8 - 0x1e4];        /**< 0x1E4 scratch */
    uint8_t e820_entries;               /**< 0x1E8 entries in e820_table */
    uint8_t eddbuf_entries;             /**< 0x1E9 */
    uint8_t edd_mbr_sig_buf_entries;    /**< 0x1EA */
    uint8_t kbd_status;                 /**< 0x1EB */
    uint8_t secure_boot;                /**< 0x1EC */
    uint8_t pad5[2];                    /**< 0x1ED */
    uint8_t sentinel;                   /**< 0x1EF must stay 0 (nonzero: the loader left garbage) */
    uint8_t pad6;                       /**< 0x1F0 */
    struct bz_setup_header hdr;         /**< 0x1F1 */
    uint8_t pad7[0x290 - 0x26c];        /**< 0x26C */
    uint8_t edd_mbr_sig_buffer[0x2d0 - 0x290]; /**< 0x290 */
    struct bz_e820_entry e820_table[BZ_E820_MAX]; /**< 0x2D0 */
    uint8_t pad8[0xd00 - 0xcd0];        /**< 0xCD0 */
    uint8_t eddbuf[0x1000 - 0xd00];     /**< 0xD00 */
};
_Static_assert(sizeof(struct bz_boot_params) == 4096, "the zero page is one 4 KiB page");
_Static_assert(offsetof(struct bz_boot_params, acpi_rsdp_addr) == 0x070 &&
                   offsetof(struct bz_boot_params, ext_ramdisk_image) == 0x0c0 &&
                   offsetof(struct bz_boot_params, ext_cmd_line_ptr) == 0x0c8 &&
                   offsetof(struct bz_boot_params, alt_mem_k) == 0x1e0,
               "zero-page.rst offsets");
_Static_assert(offsetof(struct bz_boot_params, e820_entries) == 0x1e8 &&
                   offsetof(struct bz_boot_params, sentinel) == 0x1ef &&
                   offsetof(struct bz_boot_params, hdr) == BZ_HDR_OFFSET &&
                   offsetof(struct bz_boot_params, e820_table) == 0x2d0,
               "zero-page.rst: e820_entries 0x1E8, hdr 0x1F1, e820_table 0x2D0");

/* ---- where this loader puts things in guest RAM ------------------------- */

/*
 * Low RAM, below the 640 KiB hole.  Linux never allocates from the first
 * MiB (arch/x86/kernel/setup.c reserves all of it since 5.13, and older
 * kernels kept the low 64 KiB and their trampoline), its decompressor
 * writes only [load, load + init_size) and its own BSS (boot.rst "64-bit
 * Boot Protocol"), and the 5-level-paging trampoline it puts just below
 * the end of low memory (~0x9D000) is saved and restored.  So the GDT and
 * page tables here survive until the kernel has loaded its own, and the
 * zero page and command line until it has copied them (copy_bootdata()).
 */
#define BZ_GDT_GPA       0x1000ull   /**< the boot GDT (4 entries) */
#define BZ_PML4_GPA      0x2000ull   /**< identity page tables: PML4, PDPT, 4 page directories */
#define BZ_PDPT_GPA      0x3000ull   /**< page-directory-pointer table */
#define BZ_PD_GPA        0x4000ull   /**< first of BZ_IDENTITY_GIB page directories */
#define BZ_IDENTITY_GIB  4u          /**< GiB identity-mapped with 2 MiB pages */
#define BZ_STACK_LOW     0x8000ull   /**< a boot stack [0x8000, 0x10000) below the zero page */
#define BZ_ZERO_PAGE_GPA 0x10000ull  /**< struct bz_boot_params (RSP starts here) */
#define BZ_CMDLINE_GPA   0x20000ull  /**< the command line */
#define BZ_CMDLINE_MAX   0xffffull   /**< our room for it: [0x20000, 0x30000) */
#define BZ_HIGH_LOAD     0x100000ull /**< the classic protected-mode load address */
#define BZ_ALIGN_MAX     0x40000000ull /**< a kernel_alignment above 1 GiB is bogus */

#define BZ_SEL_CODE 0x10u   /**< __BOOT_CS: the 64-bit entry wants CS = 0x10 ... */
#define BZ_SEL_DATA 0x18u   /**< __BOOT_DS: ... and DS = ES = SS = 0x18 */

/** @brief What bz_plan() read from a bzImage and decided. */
struct bz_plan {
    struct bz_setup_header hdr;   /**< the header as in the file (zero-extended if it is shorter) */
    uint32_t hdr_len;             /**< bytes of header from 0x1F1 to copy into the zero page */
    uint64_t setup_bytes;         /**< (setup_sects + 1) * 512: file offset of the protected-mode part */
    uint64_t pm_bytes;            /**< bytes of protected-mode code to load (syssize * 16, cut to the file) */
    uint64_t load;                /**< where it goes (BZ_HIGH_LOAD or pref_address) */
    uint64_t run_base;            /**< where the kernel decompresses itself and runs */
    uint64_t end;                 /**< one past everything the kernel uses until it owns memory (init_size footprint) */
};

/**
 * @brief Read and check the header of @p img (@p len bytes) and choose
 *        the load address in @p m's RAM.  Every header value is hostile:
 *        a bad one is refused with a message naming the field.
 */
bool bz_plan(const struct pc_machine *m, const uint8_t *img, uint64_t len, struct bz_plan *plan, char *why,
             size_t why_len);

/**
 * @brief Fill the e820 table from @p m's memory map: RAM regions usable
 *        (type 1), ROM regions and the holes below 1 MiB reserved
 *        (type 2), MMIO windows and the holes above 1 MiB left out.
 *        Touching entries of one type are merged.
 * @return the entries written (at most @p max)
 */
int bz_e820_map(const struct pc_machine *m, struct bz_e820_entry *out, int max);

/**
 * @brief Build the zero page for @p plan in @p bp: the image's setup
 *        header completed (type_of_loader, loadflags, heap_end_ptr,
 *        @p cmdline in cmd_line_ptr, @p initrd / @p initrd_len in
 *        ramdisk_image / ramdisk_size, the high halves zero), the e820
 *        map, @p rsdp (0: none) in acpi_rsdp_addr.
 * @return false with the reason in @p why (empty memory map)
 */
bool bz_zero_page(const struct pc_machine *m, const struct bz_plan *plan, uint64_t cmdline, uint64_t initrd,
                  uint64_t initrd_len, uint64_t rsdp, struct bz_boot_params *bp, char *why, size_t why_len);

/**
 * @brief Write the boot GDT and the identity page tables into guest RAM
 *        and fill @p start for the 64-bit entry of @p plan with the zero
 *        page at @p zero_page.
 */
bool bz_enter64(struct pc_machine *m, const struct bz_plan *plan, uint64_t zero_page, struct hvm_start *start,
                char *why, size_t why_len);

#endif
