/**
 * @file mmio_main.c
 * @brief The MMIO-forms guest's main: the CPU modes of its image width
 *        (mmio_forms.c says what runs in each).
 *
 *  - 16-bit image: real mode with 4 GiB data limits, device at its GPA;
 *  - 32-bit image: 32-bit paging, then PAE paging, device through the
 *    alias window (RT_ALIAS_VA), then paging off again;
 *  - 64-bit image: 4-level paging, device through the alias window.
 *
 * Exit status: the number of failed forms.
 */
#include "mmio_guest.h"
#include "rt_guest.h"
#if GUEST_BITS != 16
#include "guest/idt.h"
#endif

#if GUEST_BITS != 16
/* Through the alias window: a guest-virtual address unlike the GPA. */
static unsigned run_paged(const char *mode)
{
    if (!rt_map_page(RT_ALIAS_VA, MMIO_TEST_BASE)) {
        guest_printf("mmio: %s: cannot map the alias window: FAILED\n", mode);
        return 1;
    }
    guest_printf("mmio: %s paging (CR0 %#lx CR4 %#lx), device at GPA %#x through GVA %#x\n", mode, rt_read_cr0(),
                 rt_read_cr4(), MMIO_TEST_BASE, RT_ALIAS_VA);
    return mmio_forms_run(rt_phys(RT_ALIAS_VA), mode);
}
#endif

int guest_main(void)
{
    unsigned failed = 0;
#if GUEST_BITS == 16
    guest_printf("mmio: real mode (CR0 %#lx), device at %#x through DS base 0 and a 32-bit offset\n", rt_read_cr0(),
                 MMIO_TEST_BASE);
    failed += mmio_forms_run(rt_phys(MMIO_TEST_BASE), "real");
#elif GUEST_BITS == 32
    guest_idt_init();
    static const enum rt_paging modes[] = { RT_PAGING_32, RT_PAGING_PAE };
    for (unsigned i = 0; i < 2; i++) {
        const char *name = rt_paging_name(modes[i]);
        if (rt_paging_set(modes[i])) {
            failed += run_paged(name);
        } else {
            guest_printf("mmio: %s: no page tables, paging stays off: FAILED\n", name);
            failed++;
        }
    }
    rt_paging_set(RT_PAGING_OFF);
#else
    guest_idt_init();
    failed += run_paged("4-level");
#endif
    return (int)failed;
}
