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

#include "spectrum/string.h"

static bool mb1_probe(const uint8_t *bytes, uint64_t len)
{
    char why[8];
    return mb1_find_header(bytes, len, why, sizeof why) >= 0;
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
