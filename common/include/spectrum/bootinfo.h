/**
 * @file bootinfo.h
 * @brief What the boot loader told us, in one loader-neutral structure.
 *
 * multiboot.c fills it from a multiboot1 or multiboot2 information
 * structure.  Everything is copied out of the loader's memory (strings
 * included), so the loader's structure may be overwritten afterwards.  The
 * loader is not trusted: entries that point outside readable memory, sizes
 * that run past their container and absurd counts are dropped and counted
 * in @c dropped, never followed.
 */
#ifndef SPECTRUM_BOOTINFO_H
#define SPECTRUM_BOOTINFO_H

#include <stdbool.h>
#include <stdint.h>

#define BOOTINFO_MAX_REGIONS 64   /**< memory-map entries kept */
#define BOOTINFO_MAX_MODULES 16   /**< modules kept */
#define BOOTINFO_STR_MAX     256  /**< longest string kept (incl. NUL) */

/** Memory types, the values multiboot and the BIOS e820 call share
 *  (Multiboot 0.6.96 §3.3; ACPI 6.4 Table 15.1). */
enum mem_type {
    MEM_USABLE = 1,       /**< RAM free for the OS */
    MEM_RESERVED = 2,     /**< not to be used */
    MEM_ACPI = 3,         /**< ACPI tables, reclaimable after reading them */
    MEM_NVS = 4,          /**< ACPI non-volatile storage */
    MEM_BAD = 5,          /**< defective RAM */
};

/** @brief One physical memory range. */
struct mem_region {
    uint64_t base;  /**< first byte */
    uint64_t len;   /**< length in bytes, never 0, base+len never wraps */
    uint32_t type;  /**< enum mem_type (other values: treat as reserved) */
    uint32_t pad;   /**< keeps the struct 8-byte sized */
};

/** @brief One boot module (Multiboot "module", e.g. a guest image). */
struct boot_module {
    uint64_t start;                  /**< physical address of the first byte */
    uint64_t end;                    /**< one past the last byte */
    char cmdline[BOOTINFO_STR_MAX];  /**< the module's string, "" if none */
};

/** @brief Loader-neutral boot information. */
struct boot_info {
    int protocol;                    /**< 1 = multiboot1, 2 = multiboot2 */
    char cmdline[BOOTINFO_STR_MAX * 4]; /**< kernel command line */
    char loader[BOOTINFO_STR_MAX];   /**< boot loader name, "" if not given */
    struct mem_region region[BOOTINFO_MAX_REGIONS]; /**< memory map */
    int region_count;                /**< entries in @c region */
    struct boot_module module[BOOTINFO_MAX_MODULES]; /**< modules */
    int module_count;                /**< entries in @c module */
    uint64_t info_start;             /**< the loader's structure: first byte */
    uint64_t info_end;               /**< ... one past its last byte */
    int dropped;                     /**< malformed or excess entries ignored */
};

/**
 * @brief How the parser reads physical memory.
 *
 * The kernel maps physical addresses 1:1; the unit tests hand in a fake
 * physical address space.  @c map returns a pointer to @p paddr and stores
 * in @p avail how many bytes from there may be read, or returns NULL when
 * @p paddr is not readable at all.
 */
struct phys_reader {
    const uint8_t *(*map)(void *ctx, uint64_t paddr, uint64_t *avail); /**< see above */
    void *ctx;                       /**< passed to @c map */
};

/** Result of multiboot_parse(). */
enum bootinfo_status {
    BOOTINFO_OK = 0,          /**< parsed (possibly with dropped entries) */
    BOOTINFO_BAD_MAGIC,       /**< EAX held neither multiboot magic */
    BOOTINFO_UNREADABLE,      /**< the info structure is not in readable memory */
    BOOTINFO_MALFORMED,       /**< the structure's own header is inconsistent */
};

/**
 * @brief Fill @p bi from the multiboot information at @p info_paddr.
 * @param bi the result (reset first)
 * @param magic the value the loader left in EAX
 * @param info_paddr the value the loader left in EBX
 * @param rd how to read physical memory
 */
enum bootinfo_status multiboot_parse(struct boot_info *bi, uint32_t magic, uint64_t info_paddr,
                                     const struct phys_reader *rd);

/** @brief A readable name for a memory type. */
const char *mem_type_name(uint32_t type);

#endif
