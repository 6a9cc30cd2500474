/**
 * @file boot_report.c
 * @brief Scenario "boot": check what the boot path built, then exit.
 *
 * kmain() has already printed the memory map and the modules; this
 * scenario checks the promises behind them: the page allocator never hands
 * out the image, a module or low memory, its pages are zeroed and writable,
 * and freeing them gives the memory back.
 */
#include "spectrum/boot.h"
#include "spectrum/console.h"
#include "spectrum/mem.h"
#include "spectrum/scenario.h"
#include "spectrum/tsc.h"

extern const uint8_t _image_start[], _image_end[];

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

static bool boot_check(const struct cmdline *cl)
{
    (void)cl;
    const struct boot_info *bi = boot_info_get();
    enum { N = 64 };
    void *pages[N];
    uint64_t before = mem_free_bytes();
    bool ok = true;

    for (int i = 0; i < N; i++) {
        pages[i] = page_alloc(1, 1);
        uint64_t pa = virt_to_phys(pages[i]);
        if (overlaps(pa, PAGE_SIZE, virt_to_phys(_image_start), (uint64_t)(_image_end - _image_start)) ||
            pa < 0x100000) {
            kprintf("boot: page %#lx overlaps the image or low memory\n", (unsigned long)pa);
            ok = false;
        }
        for (int m = 0; m < bi->module_count; m++)
            if (overlaps(pa, PAGE_SIZE, bi->module[m].start, bi->module[m].end - bi->module[m].start)) {
                kprintf("boot: page %#lx overlaps module %d\n", (unsigned long)pa, m);
                ok = false;
            }
        const uint64_t *w = pages[i];
        for (unsigned k = 0; k < PAGE_SIZE / 8; k++)
            if (w[k]) {
                kprintf("boot: page %#lx not zeroed\n", (unsigned long)pa);
                ok = false;
                break;
            }
        *(volatile uint64_t *)pages[i] = 0x5350454354ull; /* writable? */
    }
    void *big = page_alloc(512, 512);        /* 2 MiB, 2 MiB-aligned */
    if (virt_to_phys(big) & 0x1fffff) {
        kprintf("boot: aligned allocation is not aligned\n");
        ok = false;
    }
    page_free(big, 512);
    for (int i = 0; i < N; i++)
        page_free(pages[i], 1);
    if (mem_free_bytes() != before) {
        kprintf("boot: free memory %lu -> %lu after freeing everything\n", (unsigned long)before,
                (unsigned long)mem_free_bytes());
        ok = false;
    }
    kprintf("boot: allocator check %s (%d pages + one 2 MiB block)\n", ok ? "ok" : "FAILED", N);
    return ok;
}
REGISTER_SCENARIO(boot, "boot", "check the page allocator against the boot memory map", boot_check, 0);

static bool tsc_report(const struct cmdline *cl)
{
    (void)cl;
    uint64_t hz = tsc_hz();
    kprintf("tsc: %lu kHz (calibrated against PIT channel 2)\n", (unsigned long)(hz / 1000));
    return hz > 1000000;        /* anything below 1 MHz is not a real TSC */
}
REGISTER_SCENARIO(tsc, "tsc", "measure the TSC frequency against the PIT", tsc_report, 0);
