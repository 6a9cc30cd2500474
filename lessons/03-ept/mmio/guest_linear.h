/**
 * @file guest_linear.h
 * @brief Guest-linear -> guest-physical: a software walk of the GUEST's own
 *        page tables under nested paging, and the guest_space_ops that
 *        lesson 02's exit path uses to fetch instructions through it.
 *
 * With EPT/NPT the guest's tables hold guest-physical addresses (GPAs):
 *
 *     linear --(guest's tables, walked here)--> GPA --(mem/gpm.h)--> host
 *
 * The core, guest_linear_walk(), is pure: it reads table entries through
 * a callback and gets the control registers as values, so the unit test
 * (tests/test_gva_walk.c) runs it hosted on hand-built tables.  The
 * kernel part (guest_space_pc.c) reads entries with gpm_read() of the
 * vCPU's machine, so an entry that points outside RAM/ROM fails the walk.
 */
#ifndef SPECTRUM_GUEST_LINEAR_H
#define SPECTRUM_GUEST_LINEAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** @brief The paging state a walk depends on (SDM Vol. 3A §5.1.1 Table 5-1). */
struct guest_paging {
    uint64_t cr0;    /**< PG selects paging at all */
    uint64_t cr3;    /**< root table (a GPA) */
    uint64_t cr4;    /**< PAE, PSE, LA57 */
    uint64_t efer;   /**< LMA: 4-level paging */
};

/**
 * @brief Read a @p size-byte (4 or 8) table entry at guest-physical
 *        @p gpa into @p out; false if that GPA is not guest RAM/ROM.
 */
typedef bool (*guest_pt_read_fn)(void *ctx, uint64_t gpa, unsigned size, uint64_t *out);

/** @brief What a successful walk found. */
struct guest_walk_result {
    uint64_t gpa;        /**< the guest-physical address of the linear address */
    uint64_t page_size;  /**< size of the page that maps it (4 KiB, 2/4 MiB, 1 GiB; 0 without paging) */
    bool writable;       /**< R/W set at every level (always true without paging) */
    bool user;           /**< U/S set at every level (always true without paging) */
};

/** @brief Paging modes, as guest_paging_mode() names them. */
enum guest_paging_mode {
    GUEST_PAGING_OFF,    /**< CR0.PG = 0: linear == physical */
    GUEST_PAGING_32,     /**< 32-bit paging (§5.3) */
    GUEST_PAGING_PAE,    /**< PAE paging (§5.4) */
    GUEST_PAGING_4LEVEL, /**< 4-level paging (§5.5) */
    GUEST_PAGING_UNSUPPORTED, /**< 5-level (CR4.LA57) or an inconsistent state */
};

/** @brief Which paging mode @p pg selects (SDM Vol. 3A §5.1.1 Table 5-1). */
enum guest_paging_mode guest_paging_mode(const struct guest_paging *pg);

/**
 * @brief Translate @p linear as the CPU would for a supervisor access:
 *        every table entry is read through @p read (a GPA the callback
 *        refuses fails the walk), not-present entries fail it, access
 *        rights are reported in @p out, not enforced.
 * @return true with @p out filled, false if the address does not translate.
 */
bool guest_linear_walk(const struct guest_paging *pg, guest_pt_read_fn read, void *ctx, uint64_t linear,
                       struct guest_walk_result *out);

struct guest_space_ops;

/**
 * @brief Guest-virtual access for a vCPU of a lesson-03 machine: translate
 *        walks the guest's tables (guest_linear_walk) with the vCPU's
 *        CR0/CR3/CR4/EFER and finds the bytes through the machine's gpm
 *        (lesson 02's guest_space_fetch() goes page by page through it).
 *        paging_changed is NULL (vendor business: the nested attach fills
 *        its own copy if it needs one).
 */
extern const struct guest_space_ops pc_guest_space_ops;

struct vcpu;

/** @brief The paging state of @p v, read with ops->get_ctl. */
void guest_paging_of(struct vcpu *v, struct guest_paging *pg);

/**
 * @brief Translate @p linear for vCPU @p v of a lesson-03 machine.
 * @return false if @p v's VM is no machine or the walk fails.
 */
bool pc_guest_linear(struct vcpu *v, uint64_t linear, struct guest_walk_result *out);

#endif
