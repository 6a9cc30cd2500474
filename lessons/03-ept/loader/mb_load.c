/**
 * @file mb_load.c
 * @brief Put a multiboot kernel's segments into guest RAM: check each one
 *        against the machine's memory map, then copy its file bytes and
 *        zero the rest of it (the bss).
 *
 * Where a segment may go: in RAM (not ROM, MMIO or a hole: the guest
 * could not have written there itself), at or above 1 MiB (the loader's
 * information structure lives in low memory, Multiboot 0.6.96 §3.3 only
 * promises the kernel that it is "somewhere", and below 640 KiB is where
 * we put it), below 4 GiB (a multiboot kernel starts in 32-bit mode,
 * §3.2), and not on top of another segment (one would silently overwrite
 * the other).
 */
#include "loader/multiboot.h"

#include "mem/gpm.h"
#include "spectrum/exercise.h"
#include "spectrum/fmt.h"
#include "spectrum/string.h"

static bool mb1_check_segment(const struct pc_machine *m, const struct mb1_plan *plan, int i, char *why,
                              size_t why_len)
{
    const struct mb1_segment *s = &plan->seg[i];
    unsigned long n = (unsigned long)s->index, base = (unsigned long)s->paddr, size = (unsigned long)s->memsz;
    if (s->paddr < MB1_KERNEL_MIN) {
        fmt_snprintf(why, why_len, "multiboot: segment %lu [%#lx+%#lx) is below 1 MiB, where the boot information "
                     "goes", n, base, size);
        return false;
    }
    if (s->paddr + s->memsz > 0x100000000ull) {
        fmt_snprintf(why, why_len, "multiboot: segment %lu [%#lx+%#lx) is not below 4 GiB", n, base, size);
        return false;
    }
    uint64_t ram_end;
    const char *bad = loader_ram_check(m, s->paddr, s->memsz, &ram_end);
    if (bad && ram_end) {
        fmt_snprintf(why, why_len, "multiboot: segment %lu [%#lx+%#lx) %s (ends at %#lx)", n, base, size, bad,
                     (unsigned long)ram_end);
        return false;
    }
    if (bad) {
        fmt_snprintf(why, why_len, "multiboot: segment %lu [%#lx+%#lx) %s", n, base, size, bad);
        return false;
    }
    for (int j = 0; j < i; j++) {
        const struct mb1_segment *o = &plan->seg[j];
        if (s->paddr < o->paddr + o->memsz && o->paddr < s->paddr + s->memsz) {
            fmt_snprintf(why, why_len, "multiboot: segment %lu [%#lx+%#lx) overlaps segment %lu [%#lx+%#lx)", n, base,
                         size, (unsigned long)o->index, (unsigned long)o->paddr, (unsigned long)o->memsz);
            return false;
        }
    }
    return true;
}

bool mb1_load_segments(struct pc_machine *m, const uint8_t *img, const struct mb1_plan *plan, char *why,
                       size_t why_len)
{
    bool entry_ok = false;
    for (int i = 0; i < plan->nseg; i++) {
        if (!mb1_check_segment(m, plan, i, why, why_len))
            return false;
        const struct mb1_segment *s = &plan->seg[i];
        if (plan->entry >= s->paddr && plan->entry - s->paddr < s->memsz)
            entry_ok = true;
    }
    if (!entry_ok) {
        fmt_snprintf(why, why_len, "multiboot: entry point %#lx is in no loaded segment", (unsigned long)plan->entry);
        return false;
    }
    /* Every range is now known to be RAM inside the file and the map. */
    for (int i = 0; i < plan->nseg; i++) {
        const struct mb1_segment *s = &plan->seg[i];
        /* EXERCISE 03.mb-elf-load 10 "Copy p_filesz bytes from the image at p_offset to guest-physical p_paddr with gpm_load, then zero the rest up to p_memsz (the bss): gABI ch. 5 Program Header, Multiboot 0.6.96 §3.1.3" */
        if ((s->filesz && !gpm_load(&m->mem, s->paddr, img + s->file_off, s->filesz)) ||
            !loader_zero(m, s->paddr + s->filesz, s->memsz - s->filesz)) {
            fmt_snprintf(why, why_len, "multiboot: writing segment %lu failed", (unsigned long)s->index);
            return false;
        }
        /* STUB
        EXERCISE_TODO();
        (void)img;
        fmt_snprintf(why, why_len, "multiboot: segment %lu not loaded (exercise 03.mb-elf-load)", (unsigned long)s->index);
        return false;
        STUB END */
        /* END EXERCISE 03.mb-elf-load */
    }
    return true;
}
