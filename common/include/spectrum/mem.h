/**
 * @file mem.h
 * @brief The kernel's physical memory: the global page allocator fed from
 *        the boot memory map, and pointers to physical memory.
 *
 * Spectrum runs on boot.S's identity map of the first 4 GiB, so a physical
 * address below MEM_LIMIT is also a valid pointer.  RAM above it is not
 * used (said at boot).
 */
#ifndef SPECTRUM_MEM_H
#define SPECTRUM_MEM_H

#include <stdint.h>

#include "spectrum/bootinfo.h"
#include "spectrum/pmm.h"

/** Highest physical address + 1 the allocator manages (the identity map). */
#define MEM_LIMIT 0x100000000ull

/** @brief Feed the allocator from @p bi and reserve what must stay put. */
void mem_init(const struct boot_info *bi);
/** @brief @p n contiguous zeroed pages aligned to @p align_pages; panics when out of memory. */
void *page_alloc(uint64_t n, uint64_t align_pages);
/** @brief Like page_alloc(), but NULL instead of a panic when no such run is free
 *         (for callers with a fallback, e.g. guest RAM trying 2 MiB chunks first). */
void *page_alloc_try(uint64_t n, uint64_t align_pages);

/** @brief Return pages from page_alloc(); panics on a bad or double free. */
void page_free(void *p, uint64_t n);
/** @brief Bytes currently free. */
uint64_t mem_free_bytes(void);
/** @brief Pointer to physical address @p paddr (identity map). */
static inline void *phys_to_virt(uint64_t paddr) { return (void *)(uintptr_t)paddr; }
/** @brief Physical address of kernel pointer @p p (identity map). */
static inline uint64_t virt_to_phys(const void *p) { return (uint64_t)(uintptr_t)p; }
/** @brief A phys_reader over the identity map, for multiboot_parse(). */
extern const struct phys_reader mem_identity_reader;

#endif
