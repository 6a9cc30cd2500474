/**
 * @file boot_scenario.c
 * @brief Scenario "p-boot": the boot guest (guests/boot.c) started like a
 *        PC, in real mode at 0800:0000 on nested paging, checks each step
 *        of its way to long mode (CR0, CR4, EFER as the prologue saw
 *        them).  Passes when it exited 0 and its output went through the
 *        emulated UART.
 */
#include "scenarios/pc_guest_run.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

PC_GUEST_IMAGE_DECLARE(boot);

static bool p_boot(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("p-boot"))
        return false;
    struct pc_guest_image img = PC_GUEST_IMAGE(boot);
    struct pc_guest_outcome o;
    return pc_guest_run("p-boot", &img, 0, &o) && o.exit_code == 0 && o.stats.count[EXIT_IO] > 0;
}
REGISTER_SCENARIO(p_boot, "p-boot", "lesson 03: a guest boots like a PC, real mode to long mode, on EPT/NPT", p_boot,
                  0);
