/**
 * @file nested_tables.c
 * @brief The second level of address translation: guest-physical ->
 *        host-physical tables in Intel EPT or AMD NPT format, built from
 *        the memory map (gpm.c).
 *
 * Both vendors use a 4-level radix tree of 512 8-byte entries per 4 KiB
 * table, indexed by GPA bits 47:39, 38:30, 29:21 and 20:12, with 1 GiB
 * leaves possible at level 2 (PDPTE) and 2 MiB leaves at level 1 (PDE),
 * both marked by bit 7.  They differ in the entry bits:
 *
 *   EPT (SDM Vol. 3C §29.3.2, Tables 29-1..29-6):
 *     bit 0 read, bit 1 write, bit 2 execute; an entry with bits 2:0 = 0
 *     is not present.  Leaves carry the memory type in bits 5:3 (6 = WB,
 *     0 = UC; Table 29-7 / §29.3.7) and "ignore PAT" in bit 6 (left 0:
 *     the guest's PAT still refines WB RAM, as on bare metal).
 *   NPT (APM Vol. 2 §15.25.5): the ordinary long-mode page-table format
 *     (§5.3): bit 0 present, bit 1 writable, bit 2 user, bit 63 no-execute
 *     (only when the host runs with EFER.NXE, else it is a reserved bit),
 *     memory type from PAT/PCD/PWT (0 = WB by the power-on PAT).  Every
 *     nested access counts as a user access (§15.25.5), so every entry
 *     needs U=1, or the guest faults on its own RAM.  NPT cannot express
 *     "no read": a page without read permission is simply not present.
 *
 * MMIO ranges and holes are never mapped, so every access to them exits
 * (EPT violation / #NPF) and reaches the MMIO bus or stops the VM; their
 * memory type (UC) therefore never matters to the CPU.
 *
 * A change to a live mapping calls gpm.flush, which the vendor attach sets
 * to invalidate the cached translations of this VM (INVEPT, or an SVM
 * TLB flush of the VM's ASID).
 */
#include "mem/gpm.h"

#include "spectrum/exercise.h"
#include "spectrum/mem.h"
#include "spectrum/string.h"
#include "spectrum/x86.h"

#define ENTRIES      512
#define ADDR_MASK    0x000ffffffffff000ull   /* bits 51:12 */
#define LARGE        (1ull << 7)             /* PS in a PDE/PDPTE, both formats */

#define EPT_R        (1ull << 0)
#define EPT_W        (1ull << 1)
#define EPT_X        (1ull << 2)
#define EPT_MT_SHIFT 3
#define EPT_MT_WB    6ull                    /* SDM Vol. 3C §29.3.7 / Vol. 3A Table 12-8 */

#define NPT_P        (1ull << 0)
#define NPT_RW       (1ull << 1)
#define NPT_US       (1ull << 2)
#define NPT_NX       (1ull << 63)

/* Level 0 = page table (4 KiB), 1 = page directory (2 MiB), 2 = PDPT
 * (1 GiB), 3 = PML4. */
static uint64_t level_size(int level) { return 1ull << (12 + 9 * level); }
static unsigned level_index(uint64_t gpa, int level) { return (gpa >> (12 + 9 * level)) & (ENTRIES - 1); }

static bool present(const struct gpm *m, uint64_t e)
{
    return m->format == GPM_FORMAT_EPT ? (e & (EPT_R | EPT_W | EPT_X)) != 0 : (e & NPT_P) != 0;
}

/* A pointer to a next-level table. */
static uint64_t table_entry(const struct gpm *m, uint64_t hpa)
{
    return m->format == GPM_FORMAT_EPT ? hpa | EPT_R | EPT_W | EPT_X : hpa | NPT_P | NPT_RW | NPT_US;
}

/* A leaf for @p hpa at @p level with @p perm (enum gpm_access). */
static uint64_t leaf_entry(const struct gpm *m, uint64_t hpa, int level, unsigned perm)
{
    /* EXERCISE 03.nested-leaf 10 "Encode a leaf for hpa with perm: EPT R/W/X bits 2:0 and memory type WB in bits 5:3; NPT P, RW, U (always) and NX only when m->nx_ok; bit 7 for 2 MiB/1 GiB leaves (SDM Vol. 3C 29.3.2 Tables 29-4..29-6; APM Vol. 2 15.25.5)" */
    uint64_t e = hpa | (level ? LARGE : 0);
    if (!(perm & GPM_R))
        return 0;       /* neither format has "present but unreadable" in our use */
    if (m->format == GPM_FORMAT_EPT) {
        e |= EPT_R | (perm & GPM_W ? EPT_W : 0) | (perm & GPM_X ? EPT_X : 0);
        e |= EPT_MT_WB << EPT_MT_SHIFT;
    } else {
        e |= NPT_P | NPT_US | (perm & GPM_W ? NPT_RW : 0);
        if (!(perm & GPM_X) && m->nx_ok)
            e |= NPT_NX;
    }
    return e;
    /* STUB
    EXERCISE_TODO();
    (void)m; (void)hpa; (void)level; (void)perm;
    return 0;       // not present: every guest access faults, npf_exit.c stops the VM
    STUB END */
    /* END EXERCISE 03.nested-leaf */
}

static unsigned entry_perm(const struct gpm *m, uint64_t e)
{
    if (m->format == GPM_FORMAT_EPT)
        return (e & EPT_R ? GPM_R : 0) | (e & EPT_W ? GPM_W : 0) | (e & EPT_X ? GPM_X : 0);
    return GPM_R | (e & NPT_RW ? GPM_W : 0) | (e & NPT_NX ? 0 : GPM_X);
}

static uint64_t *table_of(uint64_t e) { return phys_to_virt(e & ADDR_MASK); }

static uint64_t *table_new(struct gpm *m)
{
    uint64_t *t = page_alloc_try(1, 1);
    if (t)
        m->stats.table_pages++;
    return t;
}

static void count_leaf(struct gpm *m, int level)
{
    if (level == 0)
        m->stats.leaf_4k++;
    else if (level == 1)
        m->stats.leaf_2m++;
    else
        m->stats.leaf_1g++;
}

/* Replace the large leaf *e at @p level by a table of 512 leaves one level
 * down that map the same range with the same rights. */
static bool split(struct gpm *m, uint64_t *e, int level)
{
    uint64_t *t = table_new(m);
    if (!t)
        return false;
    unsigned perm = entry_perm(m, *e);
    uint64_t base = *e & ADDR_MASK & ~(level_size(level) - 1);
    for (unsigned i = 0; i < ENTRIES; i++) {
        t[i] = leaf_entry(m, base + i * level_size(level - 1), level - 1, perm);
        count_leaf(m, level - 1);
    }
    *e = table_entry(m, virt_to_phys(t));
    return true;
}

/* The entry for @p gpa at @p want, creating tables (alloc) and splitting
 * larger leaves on the way.  NULL if a table is missing and !alloc, or out
 * of memory. */
static uint64_t *entry_at(struct gpm *m, uint64_t gpa, int want, bool alloc)
{
    uint64_t *t = phys_to_virt(m->root);
    for (int level = 3; level > want; level--) {
        uint64_t *e = &t[level_index(gpa, level)];
        if (!present(m, *e)) {
            if (!alloc)
                return 0;
            uint64_t *n = table_new(m);
            if (!n)
                return 0;
            *e = table_entry(m, virt_to_phys(n));
        } else if (level <= 2 && (*e & LARGE)) {
            if (!alloc || !split(m, e, level))
                return 0;
        }
        t = table_of(*e);
    }
    return &t[level_index(gpa, want)];
}

/* Pages [i, i+n) of region @p r are backed by one aligned host run. */
static bool contiguous(const struct gpm *m, const struct gpm_region *r, uint64_t i, uint64_t n)
{
    uint64_t first = m->page[r->first_page + i] & ~GPM_PAGE_FLAGS;
    if (first & (n * PAGE_SIZE - 1))
        return false;
    for (uint64_t k = 1; k < n; k++)
        if ((m->page[r->first_page + i + k] & ~GPM_PAGE_FLAGS) != first + k * PAGE_SIZE)
            return false;
    return true;
}

static bool map_region(struct gpm *m, const struct gpm_region *r)
{
    uint64_t pages = r->size / PAGE_SIZE;
    for (uint64_t i = 0; i < pages;) {
        uint64_t gpa = r->base + i * PAGE_SIZE;
        int level = 0;
        for (int l = 2; l >= 1; l--) {
            uint64_t n = level_size(l) / PAGE_SIZE;
            bool allowed = (l == 2 ? m->large_ok & GPM_LARGE_1G : m->large_ok & GPM_LARGE_2M) != 0;
            if (allowed && !(gpa & (level_size(l) - 1)) && pages - i >= n && contiguous(m, r, i, n)) {
                level = l;
                break;
            }
        }
        uint64_t *e = entry_at(m, gpa, level, true);
        if (!e)
            return false;
        *e = leaf_entry(m, m->page[r->first_page + i] & ~GPM_PAGE_FLAGS, level, r->perm);
        count_leaf(m, level);
        i += level_size(level) / PAGE_SIZE;
    }
    return true;
}

bool gpm_build_tables(struct gpm *m, enum gpm_format format, unsigned large_ok)
{
    uint64_t t0 = rdtsc();
    gpm_free_tables(m);
    if (format != GPM_FORMAT_EPT && format != GPM_FORMAT_NPT)
        return false;
    m->format = format;
    m->large_ok = large_ok;
    uint64_t *root = table_new(m);
    if (!root)
        return false;
    m->root = virt_to_phys(root);
    for (int i = 0; i < m->count; i++)
        if (m->region[i].kind != GPM_MMIO && !map_region(m, &m->region[i]))
            return false;
    m->stats.build_tsc = rdtsc() - t0;
    return true;
}

static void flush(struct gpm *m)
{
    if (m->flush)
        m->flush(m->flush_ctx);
}

/* Apply @p fn to each 4 KiB page of [gpa, gpa+size) after checking that
 * the whole range is RAM/ROM. */
static bool each_page(struct gpm *m, uint64_t gpa, uint64_t size, unsigned perm, int op)
{
    if (!m->root || !size || ((gpa | size) & (PAGE_SIZE - 1)) || gpa + size < gpa)
        return false;
    for (uint64_t at = gpa; at < gpa + size; at += PAGE_SIZE) {
        const struct gpm_region *r = gpm_find(m, at);
        if (!r || r->kind == GPM_MMIO)
            return false;
    }
    for (uint64_t at = gpa; at < gpa + size; at += PAGE_SIZE) {
        const struct gpm_region *r = gpm_find(m, at);
        uint64_t *e = entry_at(m, at, 0, true);
        if (!e)
            return false;
        uint64_t hpa = gpm_backing(m, at) & ADDR_MASK;
        if (op == 0)
            *e = 0;                                          /* unmap */
        else
            *e = leaf_entry(m, hpa, 0, op == 1 ? r->perm : perm); /* map / protect */
    }
    flush(m);
    return true;
}

bool gpm_unmap(struct gpm *m, uint64_t gpa, uint64_t size) { return each_page(m, gpa, size, 0, 0); }
bool gpm_map(struct gpm *m, uint64_t gpa, uint64_t size) { return each_page(m, gpa, size, 0, 1); }
bool gpm_protect(struct gpm *m, uint64_t gpa, uint64_t size, unsigned perm)
{
    return each_page(m, gpa, size, perm & (GPM_R | GPM_W | GPM_X), 2);
}

bool gpm_translate(const struct gpm *m, uint64_t gpa, uint64_t *hpa, unsigned *perm)
{
    if (!m->root || (m->phys_bits < 64 && (gpa >> m->phys_bits)))
        return false;
    const uint64_t *t = phys_to_virt(m->root);
    for (int level = 3; level >= 0; level--) {
        uint64_t e = t[level_index(gpa, level)];
        if (!present(m, e))
            return false;
        if (level == 0 || (level <= 2 && (e & LARGE))) {
            uint64_t size = level_size(level);
            *hpa = (e & ADDR_MASK & ~(size - 1)) | (gpa & (size - 1));
            *perm = entry_perm(m, e);
            return true;
        }
        t = table_of(e);
    }
    return false;
}

static void free_table(struct gpm *m, uint64_t *t, int level)
{
    if (level > 0) {
        for (unsigned i = 0; i < ENTRIES; i++)
            if (present(m, t[i]) && !(level <= 2 && (t[i] & LARGE)))
                free_table(m, table_of(t[i]), level - 1);
    }
    page_free(t, 1);
}

void gpm_free_tables(struct gpm *m)
{
    if (m->root)
        free_table(m, phys_to_virt(m->root), 3);
    m->root = 0;
    m->format = GPM_FORMAT_NONE;
    memset(&m->stats, 0, sizeof m->stats);
}
