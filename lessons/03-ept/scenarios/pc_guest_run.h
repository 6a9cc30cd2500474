/**
 * @file pc_guest_run.h
 * @brief Run one embedded lesson-03 guest image (guests/rt.h) in a fresh
 *        virtual PC and collect what the scenarios check: the guest's
 *        verdict (exit status on port 0xF4), why the VM stopped, the exit
 *        statistics, the pages mapped on first touch and the mailbox
 *        words the guest wrote - lesson 02's guest_run() for machines.
 */
#ifndef SPECTRUM_PC_GUEST_RUN_H
#define SPECTRUM_PC_GUEST_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guests/mailbox.h"
#include "machine/pc_machine.h"
#include "vcpu/exit.h"

/** Declare embedded image @p id (an images .S file defines the symbols with PC_GUEST_EMBED). */
#define PC_GUEST_IMAGE_DECLARE(id) extern const uint8_t pc_guest_image_##id[], pc_guest_image_##id##_end[]

/** A struct pc_guest_image for runtime image @p id: at 0x8000, entered at 0800:0000. */
#define PC_GUEST_IMAGE(id) \
    ((struct pc_guest_image){ #id, pc_guest_image_##id, pc_guest_image_##id##_end, 0x8000, 0x0800, 0 })

/** RAM a guest gets unless the caller says otherwise. */
#define PC_GUEST_RAM_DEFAULT (32ull << 20)

/** @brief An embedded flat image and where it starts. */
struct pc_guest_image {
    const char *name;        /**< short name ("boot") */
    const uint8_t *start;    /**< first byte */
    const uint8_t *end;      /**< one past the last */
    uint64_t load_gpa;       /**< where it is copied */
    uint16_t cs_sel;         /**< real-mode CS at entry (base cs_sel << 4) */
    uint64_t rip;            /**< IP at entry */
};

/** @brief How to set the machine up around the image (all optional; zero = defaults). */
struct pc_guest_options {
    uint64_t ram_bytes;              /**< RAM (0: PC_GUEST_RAM_DEFAULT) */
    const void *params;              /**< bytes copied to RT_PARAM_GPA before start (NULL: none) */
    size_t params_len;               /**< at most RT_PARAM_MAX */
    const uint32_t *mailbox;         /**< parameters queued on the mailbox port (guests/mailbox.h) */
    unsigned mailbox_words;          /**< how many (at most MAILBOX_MAX_WORDS) */
    /** Unmap the image's .rt_lazy pages (struct rt_header) from the nested
     *  tables before start, so the guest's first touch of each exits. */
    bool lazy;
    /** Called after pc_machine_run(), before the machine is destroyed
     *  (to read guest memory or device state); may be NULL. */
    void (*inspect)(struct pc_machine *m, void *ctx);
    void *ctx;                       /**< argument of @c inspect */
};

/** @brief What one run produced. */
struct pc_guest_outcome {
    bool created;                    /**< the machine was created and the image loaded */
    bool passed;                     /**< the VM stopped with a pass (the guest exited 0) */
    uint32_t exit_code;              /**< the guest's exit status, if it gave one */
    char stop_reason[192];           /**< the VM's stop reason */
    struct exit_stats stats;         /**< the exit loop's counters */
    uint64_t run_tsc;                /**< host TSC ticks pc_machine_run() took */
    uint64_t lazy_unmapped;          /**< pages unmapped before start (options.lazy) */
    uint64_t lazy_maps;              /**< pages the NPF handler mapped on first touch */
    uint32_t results[MAILBOX_MAX_WORDS]; /**< words the guest wrote to the mailbox */
    unsigned result_words;           /**< how many */
};

/**
 * @brief Create a machine named @p vm_name, load @p img, start it in real
 *        mode at img->cs_sel:img->rip, run it until it stops, print one
 *        summary line "guest VM_NAME: exit status N, passed|failed:
 *        REASON", fill @p out, destroy the machine.  @p opt may be NULL.
 * @return out->passed
 */
bool pc_guest_run(const char *vm_name, const struct pc_guest_image *img, const struct pc_guest_options *opt,
                  struct pc_guest_outcome *out);

/** @brief Whether @p reason names @p value as hex ("0xfeb00000", any case, with or without 0x). */
bool pc_guest_reason_has_hex(const char *reason, uint64_t value);

#endif
