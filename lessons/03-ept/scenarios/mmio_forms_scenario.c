/**
 * @file mmio_forms_scenario.c
 * @brief Scenario "p-mmio": the MMIO-forms guest (guests/mmio_forms.c)
 *        in real mode (4 GiB data limits), 32-bit paging, PAE paging and
 *        4-level paging, against the "mmio-test" device.  Three VMs, one
 *        per image width; each exits with the number of forms that failed.
 *        Passes when all three exited 0 after nested page faults (each
 *        device access is one) were handled by emulation.
 */
#include "scenarios/pc_guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

PC_GUEST_IMAGE_DECLARE(mmio16);
PC_GUEST_IMAGE_DECLARE(mmio32);
PC_GUEST_IMAGE_DECLARE(mmio64);

static bool one(const char *vm_name, struct pc_guest_image img)
{
    struct pc_guest_outcome o;
    bool ok = pc_guest_run(vm_name, &img, 0, &o) && o.exit_code == 0;
    uint64_t npf = o.stats.count[EXIT_NESTED_PAGE_FAULT];
    kprintf("p-mmio: %s: %llu nested page faults emulated, guest %s\n", vm_name, (unsigned long long)npf,
            ok ? "saw every form right" : "FAILED");
    return ok && npf > 0;
}

static bool p_mmio(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("p-mmio"))
        return false;
    bool ok16 = one("p-mmio16", PC_GUEST_IMAGE(mmio16));
    bool ok32 = one("p-mmio32", PC_GUEST_IMAGE(mmio32));
    bool ok64 = one("p-mmio64", PC_GUEST_IMAGE(mmio64));
    return ok16 && ok32 && ok64;
}
REGISTER_SCENARIO(p_mmio, "p-mmio",
                  "lesson 03: every MMIO instruction form in real mode, 32-bit, PAE and 4-level paging", p_mmio, 0);
