/**
 * @file g_hello.c
 * @brief Scenario "g-hello": the hello guest as a 64-bit and as a 32-bit
 *        paged guest.  Each checks its own loading (data, bss, stack,
 *        printf) and exits 0; the scenario passes when both did and the
 *        guests' output went through the emulated UART (I/O exits seen).
 */
#include "scenarios/guest_run.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

GUEST_IMAGE_DECLARE(hello64);
GUEST_IMAGE_DECLARE(hello32);

static bool g_hello(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("g-hello"))
        return false;
    struct guest_outcome o64, o32;
    struct guest_image i64 = GUEST_IMAGE(hello64, VCPU_MODE_LONG64);
    struct guest_image i32 = GUEST_IMAGE(hello32, VCPU_MODE_PROT32_PAGED);
    bool ok64 = guest_run("g-hello64", &i64, &o64) && o64.exit_code == 0 && o64.stats.count[EXIT_IO] > 0;
    bool ok32 = guest_run("g-hello32", &i32, &o32) && o32.exit_code == 0 && o32.stats.count[EXIT_IO] > 0;
    return ok64 && ok32;
}
REGISTER_SCENARIO(g_hello, "g-hello", "lesson 02: hello guests, 64-bit and 32-bit paged, on VT-x/AMD-V", g_hello, 2);
