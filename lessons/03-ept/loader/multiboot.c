/**
 * @file multiboot.c
 * @brief The "multiboot" loader: a Multiboot 0.6.96 kernel, loaded the
 *        way QEMU's -kernel loads one (plus ELF64 images, which QEMU
 *        refuses), and started in the state §3.2 prescribes.
 *
 * Steps, each in its own file: find the header and read the image's
 * layout (mb_header.c, mb_elf.c), check and copy the segments
 * (mb_load.c), build the information structure and copy the modules
 * (mb_info.c).  Then the machine state of §3.2: 32-bit protected mode
 * with flat segments, paging off, interrupts off, EAX = 0x2BADB002,
 * EBX = the information structure's physical address.
 */
#include "loader/multiboot.h"

#include "spectrum/exercise.h"
#include "spectrum/string.h"

/* Whether the header magic sits at a 4-byte-aligned offset in the first
 * MB1_SEARCH_BYTES of the image, checksum or not. */
static bool mb1_magic_seen(const uint8_t *bytes, uint64_t len)
{
    uint64_t limit = len < MB1_SEARCH_BYTES ? len : MB1_SEARCH_BYTES;
    for (uint64_t off = 0; off + 4 <= limit; off += 4)
        if (((uint32_t)bytes[off] | (uint32_t)bytes[off + 1] << 8 | (uint32_t)bytes[off + 2] << 16 |
             (uint32_t)bytes[off + 3] << 24) == MB1_HEADER_MAGIC)
            return true;
    return false;
}

/* The image is the multiboot loader's if it has a header (§3.1.1) - and
 * also if it only has the magic where a header goes: such a file was
 * meant to be a multiboot kernel and is broken (a bad checksum, cut off
 * after the magic).  Claiming it makes mb1_load() refuse it with the
 * reason; declining it would hand it to the catch-all flat loader, which
 * would run an ELF file's bytes as real-mode code.  A flat binary that
 * holds the magic by chance is still loaded with "loader=flat". */
static bool mb1_probe(const uint8_t *bytes, uint64_t len)
{
    char why[8];
    if (mb1_find_header(bytes, len, why, sizeof why) >= 0)
        return true;
    /* EXERCISE 03.mb-magic 5 "Claim an image whose first 8192 bytes hold the header magic 0x1BADB002 at a 4-byte-aligned offset even if the checksum is wrong, so it is refused with the reason instead of run as a flat binary (Multiboot 0.6.96 §3.1.1, §3.1.2)" */
    return mb1_magic_seen(bytes, len);
    /* STUB
    EXERCISE_TODO();
    (void)mb1_magic_seen;
    return false;
    STUB END */
    /* END EXERCISE 03.mb-magic */
}

static bool mb1_load(struct pc_machine *m, const struct guest_blob *image, const struct guest_blob *modules,
                     int nmodules, struct hvm_start *start, char *why, size_t why_len)
{
    struct mb1_plan plan;
    uint64_t info;
    if (!mb1_plan_image(image->data, image->len, &plan, why, why_len) ||
        !mb1_load_segments(m, image->data, &plan, why, why_len) ||
        !mb1_build_info(m, image->cmdline, modules, nmodules, plan.end, &info, why, why_len))
        return false;
    memset(start, 0, sizeof *start);
    start->mode = HVM_START_PROT32;        /* flat 4 GiB segments, paging off, IF = 0 (§3.2) */
    start->rip = plan.entry;
    start->gpr[GPR_RAX] = MB1_BOOT_MAGIC;
    start->gpr[GPR_RBX] = info;
    /* §3.2: "ESP: the OS image must create its own stack as soon as it
     * needs one."  A kernel that forgets still gets one below the info. */
    start->rsp = MB1_INFO_GPA;
    return true;
}

REGISTER_GUEST_LOADER(multiboot, {
    .name = "multiboot",
    .rank = 10,
    .probe = mb1_probe,
    .load = mb1_load,
});
