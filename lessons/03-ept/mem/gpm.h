/**
 * @file gpm.h
 * @brief Guest-physical memory: one VM's memory map (RAM, ROM, MMIO,
 *        holes), the host pages behind its RAM, and the nested page
 *        tables (EPT or NPT) that let the CPU translate it.
 *
 * This is the one place that says what a guest-physical address (GPA)
 * means.  The loaders write images through it, the MMIO path asks it
 * whether a faulting GPA belongs to a device, the isolation tests ask it
 * what the guest can reach, and the vendor back ends take the root of its
 * nested tables.
 *
 *     GPA  --(guest's own page tables: guest-virtual -> GPA)-->
 *     GPA  --(this map, in EPT/NPT form: GPA -> host-physical)--> HPA
 *
 * RAM is backed by host pages from page_alloc(): 2 MiB chunks where the
 * allocator has them (so the nested tables can use 2 MiB pages), single
 * 4 KiB pages otherwise.  The backing need not be contiguous; nothing
 * outside this file assumes it is.  Every RAM page is zeroed when the map
 * is created, so no VM sees what an earlier one left behind.
 *
 * Every GPA handed in is guest-controlled: each function checks the whole
 * range (overflow-safe) against the map before touching a byte.
 */
#ifndef SPECTRUM_GPM_H
#define SPECTRUM_GPM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** What a region of guest-physical space is. */
enum gpm_kind {
    GPM_HOLE = 0,    /**< nothing: a GPA in no region (access stops the VM) */
    GPM_RAM,         /**< read/write/execute, write-back, backed by host pages */
    GPM_ROM,         /**< read/execute only, backed by host pages */
    GPM_MMIO,        /**< a device range: not mapped, every access exits */
};

/** Nested-table format (the vendor decides). */
enum gpm_format {
    GPM_FORMAT_NONE = 0,  /**< no tables built yet */
    GPM_FORMAT_EPT,       /**< Intel EPT (SDM Vol. 3C §29.3.2) */
    GPM_FORMAT_NPT,       /**< AMD nested page tables: long-mode format (APM Vol. 2 §15.25.5) */
};

/** Access kinds, as a bit set (permissions and fault kinds). */
enum gpm_access {
    GPM_R = 1,       /**< read */
    GPM_W = 2,       /**< write */
    GPM_X = 4,       /**< instruction fetch */
};

#define GPM_MAX_REGIONS 16   /**< regions per VM */

/** @brief One region of the map. */
struct gpm_region {
    uint64_t base;         /**< first GPA, 4 KiB aligned */
    uint64_t size;         /**< bytes, a multiple of 4 KiB, never 0 */
    enum gpm_kind kind;    /**< RAM, ROM or MMIO */
    unsigned perm;         /**< enum gpm_access bits now granted (RAM: RWX, ROM: RX, MMIO: 0) */
    const char *name;      /**< for messages ("ram", "lapic", ...) */
    uint64_t first_page;   /**< RAM/ROM: index of its first page in gpm.page[] */
};

/** @brief Counters the nested-table code keeps (lesson text, item 9). */
struct gpm_stats {
    uint64_t table_pages;   /**< pages of nested tables allocated */
    uint64_t leaf_4k;       /**< 4 KiB leaf entries written */
    uint64_t leaf_2m;       /**< 2 MiB leaf entries written */
    uint64_t leaf_1g;       /**< 1 GiB leaf entries written */
    uint64_t build_tsc;     /**< TSC ticks the last gpm_build_tables() took */
};

/** @brief One VM's guest-physical memory. */
struct gpm {
    struct gpm_region region[GPM_MAX_REGIONS]; /**< sorted by base, never overlapping */
    int count;                                 /**< regions in use */
    uint64_t *page;         /**< host-physical address of each backed 4 KiB page (RAM and ROM, in region order) */
    uint64_t pages;         /**< entries in @c page */
    uint64_t page_array_pages; /**< pages page[] itself occupies */
    uint64_t ram_top;       /**< one past the highest RAM byte */
    enum gpm_format format; /**< of the tables below */
    uint64_t root;          /**< host-physical address of the top-level table (PML4), 0 = none */
    unsigned large_ok;      /**< leaf sizes allowed: GPM_LARGE_2M | GPM_LARGE_1G */
    unsigned phys_bits;     /**< guest physical-address width: no region may reach 2^phys_bits */
    bool nx_ok;             /**< NPT may use the NX bit (the host runs with EFER.NXE) */
    /** Called after a mapping changed while tables exist (the vendor
     *  attach sets it: INVEPT single-context / an SVM ASID flush), so no
     *  stale translation survives (SDM Vol. 3C §29.4.3.1, APM Vol. 2 §15.16). */
    void (*flush)(void *ctx);
    void *flush_ctx;        /**< argument of @c flush */
    struct gpm_stats stats; /**< counters */
};

#define GPM_LARGE_2M 1u     /**< gpm.large_ok: 2 MiB leaves allowed */
#define GPM_LARGE_1G 2u     /**< gpm.large_ok: 1 GiB leaves allowed */

/* Low bits of a gpm.page[] entry (the address is 4 KiB aligned): how the
 * page was allocated, so gpm_destroy() frees it the same way. */
#define GPM_PAGE_CHUNK_HEAD 1ull   /**< first page of a 2 MiB chunk (freed as 512 pages) */
#define GPM_PAGE_IN_CHUNK   2ull   /**< a later page of such a chunk (freed with its head) */
#define GPM_PAGE_FLAGS      0xfffull  /**< the low bits holding those flags */

/** @brief An empty map (no regions, no tables) whose regions must stay below 2^@p phys_bits. */
void gpm_init(struct gpm *m, unsigned phys_bits);

/**
 * @brief Add a region.  RAM and ROM get zeroed host pages at once.
 * @return false (and @p why says why) if it overlaps another region, is
 *         not 4 KiB aligned, wraps, does not fit below the guest's
 *         physical-address width, or the host is out of memory.
 */
bool gpm_add(struct gpm *m, uint64_t base, uint64_t size, enum gpm_kind kind, const char *name, char *why,
             size_t why_len);

/** @brief The region holding @p gpa, or NULL for a hole. */
const struct gpm_region *gpm_find(const struct gpm *m, uint64_t gpa);

/**
 * @brief Host pointer to [gpa, gpa+len) if the whole range lies in one
 *        4 KiB page of RAM or ROM; NULL otherwise.
 */
void *gpm_ptr(const struct gpm *m, uint64_t gpa, uint64_t len);

/** @brief Copy guest bytes (RAM or ROM, may cross pages); false if any byte is elsewhere. */
bool gpm_read(const struct gpm *m, uint64_t gpa, void *dst, uint64_t len);

/** @brief Copy into guest RAM (may cross pages); false if any byte is not RAM. */
bool gpm_write(const struct gpm *m, uint64_t gpa, const void *src, uint64_t len);

/** @brief Like gpm_write, but also into ROM: for loaders, which fill ROM before the guest runs. */
bool gpm_load(const struct gpm *m, uint64_t gpa, const void *src, uint64_t len);

/**
 * @brief Build the nested tables for every RAM and ROM region in
 *        @p format (MMIO and holes stay unmapped, so they fault).
 *        Uses 2 MiB / 1 GiB leaves where @p large_ok allows and the
 *        backing is contiguous and aligned.
 * @return false if the host is out of memory.
 */
bool gpm_build_tables(struct gpm *m, enum gpm_format format, unsigned large_ok);

/** @brief Map the RAM/ROM pages of [gpa, gpa+size) again with their region's permissions (after gpm_unmap). */
bool gpm_map(struct gpm *m, uint64_t gpa, uint64_t size);

/** @brief Host-physical address of the backing page holding @p gpa (RAM/ROM), or 0. */
uint64_t gpm_backing(const struct gpm *m, uint64_t gpa);

/** @brief Change the permissions of the pages of [gpa, gpa+size) (4 KiB aligned); splits large leaves. */
bool gpm_protect(struct gpm *m, uint64_t gpa, uint64_t size, unsigned perm);

/** @brief Remove the mapping of [gpa, gpa+size): accesses then fault as a hole would. */
bool gpm_unmap(struct gpm *m, uint64_t gpa, uint64_t size);

/**
 * @brief Walk the nested tables as the CPU would.
 * @return true with *hpa and *perm (enum gpm_access) if @p gpa is mapped.
 */
bool gpm_translate(const struct gpm *m, uint64_t gpa, uint64_t *hpa, unsigned *perm);

/** @brief Free the nested tables only (the map and its pages stay). */
void gpm_free_tables(struct gpm *m);

/** @brief Free the tables and every backing page. */
void gpm_destroy(struct gpm *m);

#endif
