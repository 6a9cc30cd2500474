/**
 * @file multiboot1.h
 * @brief Multiboot 0.6.96 information-structure flags (§3.3), shared by
 *        the two sides that use them: Spectrum reading what its own boot
 *        loader left (common/lib/multiboot.c) and lesson 03's loader writing
 *        it for a guest (lessons/03-ept/loader/).
 */
#ifndef SPECTRUM_MULTIBOOT1_H
#define SPECTRUM_MULTIBOOT1_H

#define MB1_INFO_MEM      (1u << 0)  /**< mem_lower, mem_upper valid */
#define MB1_INFO_CMDLINE  (1u << 2)  /**< cmdline valid */
#define MB1_INFO_MODS     (1u << 3)  /**< mods_count, mods_addr valid */
#define MB1_INFO_MMAP     (1u << 6)  /**< mmap_length, mmap_addr valid */
#define MB1_INFO_LOADER   (1u << 9)  /**< boot_loader_name valid */

#endif
