/**
 * @file loader.h
 * @brief Guest loaders: put a guest image (and its modules) into a
 *        lesson-03 machine's memory and say how its vCPU starts.
 *
 * A loader is one file format: "multiboot" (Multiboot Specification
 * 0.6.96, as QEMU's -kernel loads it), "flat" (a raw real-mode binary),
 * and whatever later lessons register.  guest_load() asks each loader in
 * turn whether it recognises the image (probe), most specific first
 * (highest @c rank), so the flat loader, which takes anything, is the
 * last resort.  "loader=NAME" in the image's command line skips the
 * probing.
 *
 * Everything in an image is guest-controlled: a loader checks every
 * offset, size and address (overflow-safe) before using it, writes guest
 * memory only through gpm_load() and refuses a bad image with one line in
 * @p why naming what is wrong, e.g.
 *
 *     multiboot: segment 2 [0x100000+0x2000000) leaves guest RAM (ends at 0x2000000)
 */
#ifndef SPECTRUM_LOADER_H
#define SPECTRUM_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/pc_machine.h"
#include "spectrum/registry.h"

/** @brief A guest image or module: bytes in host memory and its string. */
struct guest_blob {
    const uint8_t *data;   /**< first byte (host memory, read only) */
    uint64_t len;          /**< bytes */
    const char *cmdline;   /**< its command line / module string ("" or NULL: none) */
};

/** @brief One image format. */
struct guest_loader {
    const char *name;      /**< what "loader=" names ("multiboot", "flat") */
    long rank;             /**< probe order: higher first; the catch-all flat loader is 0 */
    /** Whether @p bytes look like this format (cheap, no side effects). */
    bool (*probe)(const uint8_t *bytes, uint64_t len);
    /** Load @p image and @p nmodules @p modules into @p m, fill @p start;
     *  false with a one-line reason in @p why. */
    bool (*load)(struct pc_machine *m, const struct guest_blob *image, const struct guest_blob *modules,
                 int nmodules, struct hvm_start *start, char *why, size_t why_len);
};
_Static_assert(sizeof(struct guest_loader) % 8 == 0, "registry entries are a dense array of 8-byte multiples");

TABLE_DECLARE(struct guest_loader, spectrum_guest_loader);

/** Register a loader (designated initializer of struct guest_loader). */
#define REGISTER_GUEST_LOADER(id, ...)                                                              \
    static const struct guest_loader guest_loader_##id TABLE_ENTRY(spectrum_guest_loader) = __VA_ARGS__

/** @brief The loader named @p name, or NULL. */
const struct guest_loader *guest_loader_find(const char *name);

/**
 * @brief The loader guest_load() would use for @p image: the one its
 *        command line forces with "loader=NAME", else the highest-ranked
 *        one whose probe accepts it.  NULL (reason in @p why) if none.
 */
const struct guest_loader *guest_loader_pick(const struct guest_blob *image, char *why, size_t why_len);

/**
 * @brief Load @p image with its @p nmodules @p modules into @p m with the
 *        loader guest_loader_pick() picks; on success @p m->start holds the
 *        start state and @p m->cmdline the image's command line.
 * @return false with a one-line reason (starting with the loader's name)
 *         in @p why: the image is refused, the guest must not run.
 */
bool guest_load(struct pc_machine *m, const struct guest_blob *image, const struct guest_blob *modules, int nmodules,
                char *why, size_t why_len);

/**
 * @brief Find option @p key in @p cmdline (blank-separated "key=value"
 *        words, as the loaders' own options "loader=", "load=", "entry="
 *        are written) and copy its value into @p out.
 * @return false if absent or longer than @p out_len - 1.
 */
bool loader_option(const char *cmdline, const char *key, char *out, size_t out_len);

/**
 * @brief Check that [gpa, gpa+len) lies in one RAM region of @p m.
 * @return NULL if it does, else a static description of the problem
 *         ("wraps", "is not in RAM", "leaves guest RAM"); @p *ram_end gets
 *         the end of the RAM region @p gpa is in (0 if none).
 */
const char *loader_ram_check(const struct pc_machine *m, uint64_t gpa, uint64_t len, uint64_t *ram_end);

/** @brief Write @p len zero bytes at @p gpa with gpm_load() (false if any is not RAM/ROM). */
bool loader_zero(struct pc_machine *m, uint64_t gpa, uint64_t len);

#endif
