/**
 * @file guest_module.c
 * @brief Scenario "guest": run a guest the user gave, not one built into
 *        Spectrum.  Spectrum's first multiboot module is the guest image,
 *        the following ones are the guest's own modules, and each module's
 *        string is its command line (`make run GUEST=file GUEST_ARGS=...
 *        GUEST_MODULES="a b"` arranges that, on QEMU and on Bochs).
 *
 * The image goes into a fresh lesson-03 machine (machine/pc_machine.h)
 * through guest_load(), which picks the loader from what the image is
 * (loader/loader.h: a multiboot kernel, or a flat real-mode binary);
 * then the machine runs until the guest exits through port 0xF4 (status 0
 * passes) or is stopped.  One line sums it up:
 *
 *     guest NAME: exit status N, passed|failed: REASON
 *
 * Module strings: QEMU's -kernel (multiboot 1) passes a module's whole
 * "-initrd" entry, file name first, as its string; GRUB's module2
 * (multiboot 2) passes only what follows the file name.  The file name is
 * dropped here for multiboot 1, so the guest sees the same arguments on
 * every engine.
 *
 * A module whose string starts with "spectrum." is Spectrum's, not the
 * guest's: it is left out of the guest's modules, and a later lesson's
 * device finds it by that string in the boot information (lesson 04's
 * virtio-blk disk image: "spectrum.disk=rw").
 */
#include "scenarios/guest_module.h"

#include "loader/loader.h"
#include "machine/pc_machine.h"
#include "spectrum/boot.h"
#include "spectrum/bootinfo.h"
#include "spectrum/console.h"
#include "spectrum/mem.h"
#include "spectrum/options.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"

REGISTER_OPTION(guest_mem_mb, "run=guest: MiB of guest RAM (default 64, 2 to 3072)");
REGISTER_OPTION(guest_name, "run=guest: the guest's name in messages (default: its file name, else 'guest')");

#define GUEST_MEM_MB_DEFAULT 64
#define GUEST_MEM_MB_MIN     2      /**< low RAM, the BIOS area and at least 1 MiB above */

/* One machine at a time; too large for the stack (struct mmiobus). */
static struct pc_machine guest_machine;

const char *guest_module_args(const struct boot_info *bi, const struct boot_module *m)
{
    const char *s = m->cmdline;
    if (bi->protocol != 1)
        return s;
    /* Multiboot 1 (QEMU's -kernel): skip the first word, the file name. */
    while (*s == ' ')
        s++;
    while (*s && *s != ' ')
        s++;
    while (*s == ' ')
        s++;
    return s;
}

/** The last path component of the first word of @p s, into @p out. */
static void first_word_base(const char *s, char *out, size_t out_len)
{
    while (*s == ' ')
        s++;
    const char *base = s, *p = s;
    for (; *p && *p != ' '; p++)
        if (*p == '/')
            base = p + 1;
    size_t n = (size_t)(p - base) < out_len - 1 ? (size_t)(p - base) : out_len - 1;
    memcpy(out, base, n);
    out[n] = '\0';
}

bool guest_module_boot(const struct cmdline *cl, struct exit_stats *st)
{
    memset(st, 0, sizeof *st);
    const struct boot_info *bi = boot_info_get();
    if (bi->module_count < 1) {
        kprintf("run=guest: no guest image: boot Spectrum with the guest as its first multiboot module "
                "(make run GUEST=file)\n");
        return false;
    }
    uint64_t mb = GUEST_MEM_MB_DEFAULT;
    if (cmdline_has(cl, "guest_mem_mb") &&
        (!cmdline_get_u64(cl, "guest_mem_mb", &mb) || mb < GUEST_MEM_MB_MIN || mb > (PC_RAM_MAX_LOW >> 20))) {
        kprintf("run=guest: guest_mem_mb=%s: want a number of MiB from %u to %lu\n", cmdline_get(cl, "guest_mem_mb"),
                GUEST_MEM_MB_MIN, (unsigned long)(PC_RAM_MAX_LOW >> 20));
        return false;
    }

    static struct guest_blob blob[BOOTINFO_MAX_MODULES];
    int all = bi->module_count < BOOTINFO_MAX_MODULES ? bi->module_count : BOOTINFO_MAX_MODULES, n = 0;
    for (int i = 0; i < all; i++) {
        const struct boot_module *mod = &bi->module[i];
        const char *args = guest_module_args(bi, mod);
        if (i > 0 && strncmp(args, "spectrum.", 9) == 0)
            continue;   /* Spectrum's own module (a disk image): not the guest's */
        if (mod->end < mod->start || mod->end > MEM_LIMIT) {
            kprintf("run=guest: module %d [%#lx-%#lx) is not in memory Spectrum can read\n", i,
                    (unsigned long)mod->start, (unsigned long)mod->end);
            return false;
        }
        blob[n].data = phys_to_virt(mod->start);
        blob[n].len = mod->end - mod->start;
        blob[n].cmdline = args;
        n++;
    }

    char name[48] = "guest";
    const char *given = cmdline_get(cl, "guest_name");
    if (given && *given)
        first_word_base(given, name, sizeof name);
    else if (bi->protocol == 1 && bi->module[0].cmdline[0])
        first_word_base(bi->module[0].cmdline, name, sizeof name);

    kprintf("guest %s: image %lu bytes, %d module(s), %lu MiB of RAM, command line '%s'\n", name,
            (unsigned long)blob[0].len, n - 1, (unsigned long)mb, blob[0].cmdline);
    struct pc_machine *m = &guest_machine;
    if (!pc_machine_create(m, name, mb << 20)) {
        kprintf("guest %s: exit status 0, failed: no machine: %s\n", name, m->vm.stop_reason);
        return false;
    }
    char why[192];
    if (!guest_load(m, &blob[0], &blob[1], n - 1, why, sizeof why)) {
        kprintf("guest %s: exit status 0, failed: not loaded: %s\n", name, why);
        pc_machine_destroy(m);
        return false;
    }
    static const char *const mode[] = { "real mode", "32-bit protected mode", "64-bit mode" };
    kprintf("guest %s: starts in %s at %#lx:%#lx\n", name,
            (unsigned)m->start.mode < 3 ? mode[m->start.mode] : "?", (unsigned long)m->start.cs_sel,
            (unsigned long)m->start.rip);
    bool passed = pc_machine_run(m, st);
    kprintf("guest %s: exit status %u, %s: %s\n", name, (unsigned)m->vm.exit_code, passed ? "passed" : "failed",
            m->vm.stop_reason);
    pc_machine_destroy(m);
    return passed;
}

static bool guest_module_run(const struct cmdline *cl)
{
    static struct exit_stats st;
    return guest_module_boot(cl, &st);
}

REGISTER_SCENARIO(guest_module, "guest",
                  "lesson 03: run the guest image given as Spectrum's first multiboot module (make run GUEST=file)",
                  guest_module_run, 0);
