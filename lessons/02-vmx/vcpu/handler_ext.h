/**
 * @file handler_ext.h
 * @brief Extension points of lesson 02's CR, MSR and CPUID exit handlers:
 *        registration tables a later lesson fills to serve its own VMs.
 *
 * Lesson 02 registers nothing here, so its handlers behave exactly as
 * their files describe.  A later lesson (03: the local APIC) registers
 *  - a CR handler for a control register lesson 02 does not handle
 *    (CR8, the task-priority register: SDM Vol. 3A §11.8.6), consulted by
 *    handlers_cr.c before it stops the VM for an unknown CR;
 *  - an MSR handler, consulted by handlers_msr.c before its allow list;
 *  - a CPUID adjustment, applied by handlers_cpuid.c after lesson 02's
 *    edits of the host's answer.
 * Every callback first decides whether the VM is one it serves (e.g. a
 * lesson-03 pc_machine) and answers EXT_PASS otherwise: then the next
 * entry, and finally lesson 02's own behaviour, applies.
 */
#ifndef SPECTRUM_VCPU_HANDLER_EXT_H
#define SPECTRUM_VCPU_HANDLER_EXT_H

#include <stdint.h>

#include "spectrum/registry.h"
#include "spectrum/x86.h"
#include "vcpu/vcpu.h"

/** What an extension callback did with an access. */
enum ext_result {
    EXT_PASS = 0,  /**< not mine (this VM, this value): ask the next one, then lesson 02 */
    EXT_DONE,      /**< done: the handler completes the instruction (result, RIP) */
    EXT_GP,        /**< refused: the handler injects \#GP(0), as the CPU would */
};

/** @brief A handler for MOV to/from one control register. */
struct cr_ext {
    unsigned cr;             /**< the control register number (8 for CR8) */
    const char *name;        /**< for messages */
    /** MOV from CR: put the value in @p *value. */
    enum ext_result (*read)(struct vcpu *v, uint64_t *value);
    /** MOV to CR of @p value (already cut to the operand size). */
    enum ext_result (*write)(struct vcpu *v, uint64_t value);
};

TABLE_DECLARE(struct cr_ext, spectrum_cr_ext);

/** Register @p read_fn / @p write_fn for MOV from / to CR@p cr_num. */
#define REGISTER_CR_HANDLER(id, cr_num, read_fn, write_fn)                                         \
    static const struct cr_ext cr_ext_##id TABLE_ENTRY(spectrum_cr_ext) = {                        \
        cr_num, #id, read_fn, write_fn}

/** @brief A handler for RDMSR/WRMSR of one MSR index. */
struct msr_ext {
    uint32_t index;          /**< MSR index (ECX) */
    const char *name;        /**< for messages */
    /** RDMSR: put the value in @p *value (may be NULL: EXT_PASS). */
    enum ext_result (*read)(struct vcpu *v, uint64_t *value);
    /** WRMSR of EDX:EAX = @p value (may be NULL: EXT_PASS). */
    enum ext_result (*write)(struct vcpu *v, uint64_t value);
};

TABLE_DECLARE(struct msr_ext, spectrum_msr_ext);

/** Register @p read_fn / @p write_fn (either may be NULL) for MSR @p msr_index. */
#define REGISTER_MSR_HANDLER(id, msr_index, read_fn, write_fn)                                     \
    static const struct msr_ext msr_ext_##id TABLE_ENTRY(spectrum_msr_ext) = {                     \
        msr_index, #id, read_fn, write_fn}

/** @brief An edit of CPUID answers, after lesson 02's own edits. */
struct cpuid_ext {
    const char *name;        /**< for messages */
    /** Edit @p r, the answer to leaf @p leaf / subleaf @p subleaf, for @p v's VM. */
    void (*adjust)(struct vcpu *v, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r);
};

TABLE_DECLARE(struct cpuid_ext, spectrum_cpuid_ext);

/** Register @p adjust_fn as a CPUID adjustment. */
#define REGISTER_CPUID_ADJUST(id, adjust_fn)                                                      \
    static const struct cpuid_ext cpuid_ext_##id TABLE_ENTRY(spectrum_cpuid_ext) = { #id, adjust_fn }

#endif
