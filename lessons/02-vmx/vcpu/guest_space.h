/**
 * @file guest_space.h
 * @brief A lesson-02 guest's address space: page tables and a GDT that
 *        Spectrum builds inside the guest's own memory.
 *
 * Lesson 02 has no nested paging (EPT/NPT come in lesson 03), so the CPU
 * translates guest-virtual addresses with the guest's page tables straight
 * to HOST-physical addresses.  Spectrum therefore starts every guest
 * already paged, on tables that identity-map guest-virtual [0, mem.size)
 * onto the host pages backing the guest's memory:
 *
 *     guest-virtual va  ->  host-physical  mem.host + va
 *
 * so for the guest, "virtual" and "offset in my memory" coincide, and the
 * device models' gmem_read/gmem_write(gpa = va) see the same bytes.  Page 0
 * is left unmapped to catch null pointers.
 *
 * THERE IS NO ISOLATION YET.  The tables live in guest memory (the guest
 * must be able to read them: the CPU walks them as the guest) and are
 * writable by the guest, and they hold host-physical addresses: a guest
 * that writes its own PTE, or loads CR3 with a table of its own, reaches
 * any host memory, Spectrum's included.  Lesson 03's NPT/EPT fix this:
 * the guest's tables then produce guest-physical addresses that a second,
 * hypervisor-owned level translates and bounds.
 *
 * Layout of guest memory (guest-virtual == offset):
 *
 *     0x000000  unmapped page
 *     0x001000  GDT: null, 0x08 flat 32-bit code, 0x10 flat data,
 *               0x18 64-bit code
 *     0x002000  page tables (as many pages as the memory size needs)
 *     0x100000  the guest image (GUEST_LOAD_GVA), entry at its first byte
 *        ...    free
 *     mem.size  initial stack pointer (the stack grows down)
 */
#ifndef SPECTRUM_GUEST_SPACE_H
#define SPECTRUM_GUEST_SPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vcpu/vcpu.h"
#include "vm/vm.h"

#define GUEST_GDT_GVA     0x1000ull    /**< where the GDT is built */
#define GUEST_TABLES_GVA  0x2000ull    /**< first page-table page */
#define GUEST_LOAD_GVA    0x100000ull  /**< where images are loaded and entered */
#define GUEST_STACK_MIN   0x10000ull   /**< bytes kept free for the stack above the image */

#define GUEST_SEL_CODE32  0x08         /**< flat 32-bit code, DPL 0 */
#define GUEST_SEL_DATA    0x10         /**< flat read/write data, DPL 0 */
#define GUEST_SEL_CODE64  0x18         /**< 64-bit code, DPL 0 */

/**
 * @brief Extension point (struct vcpu.space): guest-virtual access when
 *        the guest's page tables hold guest-physical addresses (lesson 03's
 *        nested paging).  guest_space_translate() calls it instead of lesson
 *        02's walk when v->space is set; guest_space_fetch() goes page by
 *        page through guest_space_translate(), so it follows too.
 */
struct guest_space_ops {
    /** As guest_space_translate(). */
    void *(*translate)(struct vcpu *v, uint64_t gva, size_t len);
    /** Optional: the guest changed CR0 or CR4 through an exit handler
     *  (VMX with EPT must then reload the PAE PDPTEs, SDM Vol. 3C §29.3.3). */
    void (*paging_changed)(struct vcpu *v);
};

/** @brief Tell v->space that CR0/CR4 changed (nothing without one). */
static inline void guest_space_paging_changed(struct vcpu *v)
{
    if (v->space && v->space->paging_changed)
        v->space->paging_changed(v);
}

/**
 * @brief Build the page tables and GDT for @p mode in @p vm's memory and
 *        fill @p cfg (mode, cr3, GDT, stack at the top of memory; rip =
 *        GUEST_LOAD_GVA; no IDT).
 * @return false (and the VM is stopped with the reason) if the memory is
 *         too small or too large for the mode.
 */
bool guest_space_build(struct vm *vm, enum vcpu_mode mode, struct vcpu_config *cfg);

/**
 * @brief Copy @p len bytes of @p image to guest-virtual @p gva, checking
 *        that [gva, gva+len) lies in guest memory above the tables and
 *        leaves GUEST_STACK_MIN bytes for the stack.
 * @return false (VM stopped with the reason) if it does not fit.
 */
bool guest_space_load(struct vm *vm, uint64_t gva, const void *image, size_t len);

/**
 * @brief Translate guest-virtual @p gva through the guest's CURRENT paging
 *        state (CR0.PG, CR4.PAE/PSE, EFER.LMA, CR3 read with ops->get_ctl),
 *        as the CPU would for a supervisor read.
 * @return a host pointer to [gva, gva+len), or NULL if a table or the
 *         final page is not present or outside this guest's memory, or the
 *         range crosses a page boundary.
 */
void *guest_space_translate(struct vcpu *v, uint64_t gva, size_t len);

/**
 * @brief Read up to @p max bytes at guest-virtual @p gva into @p dst, page
 *        by page, stopping at the first page that does not translate.
 * @return the number of bytes read (instruction fetch wants "as many as
 *         possible, up to 15").
 */
size_t guest_space_fetch(struct vcpu *v, uint64_t gva, void *dst, size_t max);

#endif
