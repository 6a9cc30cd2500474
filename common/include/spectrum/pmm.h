/**
 * @file pmm.h
 * @brief Physical page allocator: one bit per 4 KiB frame.
 *
 * The allocator starts with every frame in use.  The boot path then frees
 * what the memory map calls usable and reserves, again, everything that
 * must never be handed out (the image, modules, low memory, the loader's
 * structures).  Reserving after freeing means a hostile or sloppy memory
 * map that overlaps "usable" with "reserved" resolves to reserved.
 *
 * The core works on a caller-provided bitmap and never dereferences the
 * addresses it manages, so it runs unchanged in hosted unit tests.
 */
#ifndef SPECTRUM_PMM_H
#define SPECTRUM_PMM_H

#include <stdbool.h>
#include <stdint.h>

#define PAGE_SIZE  4096ull  /**< bytes in a frame */
#define PAGE_SHIFT 12       /**< log2(PAGE_SIZE) */

/** @brief Allocator state. */
struct pmm {
    uint8_t *bitmap;        /**< bit set = frame in use */
    uint64_t frames;        /**< frames covered: [0, frames * PAGE_SIZE) */
    uint64_t free_frames;   /**< frames currently free */
    uint64_t hint;          /**< where the next search starts */
};

/**
 * @brief Start managing [0, @p limit) with @p bitmap (limit/4096/8 bytes),
 *        every frame marked used.
 */
void pmm_init(struct pmm *pm, uint8_t *bitmap, uint64_t limit);

/** @brief Mark the whole frames inside [base, base+len) free. */
void pmm_add_free(struct pmm *pm, uint64_t base, uint64_t len);

/** @brief Mark every frame touching [base, base+len) used. */
void pmm_reserve(struct pmm *pm, uint64_t base, uint64_t len);

/**
 * @brief Allocate @p count contiguous frames whose first frame number is a
 *        multiple of @p align_frames (0 or 1: no constraint).
 * @return the physical address, or 0 when no such run is free (frame 0 is
 *         never handed out, so 0 is unambiguous).
 */
uint64_t pmm_alloc(struct pmm *pm, uint64_t count, uint64_t align_frames);

/**
 * @brief Return @p count frames at @p paddr.
 * @return false (and changes nothing) if @p paddr is unaligned, out of range,
 *         or any of the frames is already free: a double free is a bug the
 *         caller must hear about.
 */
bool pmm_free(struct pmm *pm, uint64_t paddr, uint64_t count);

/** @brief Whether the frame holding @p paddr is in use (out of range: true). */
bool pmm_is_used(const struct pmm *pm, uint64_t paddr);

#endif
