/**
 * @file mmio_hostile_scenario.c
 * @brief Scenario "p-mmio-hostile": one VM per MMIO access the emulator
 *        must refuse (guests/mmio_hostile.h): a locked add, XADD, an SSE
 *        load, an instruction whose bytes run into the device's page, and
 *        a load split between RAM and the device (refused, or emulated
 *        right).  Each refused VM must be stopped - not by the guest - with
 *        a message naming the GPA and the instruction's bytes (as the guest
 *        announced them on the mailbox); then the boot guest must still
 *        run and pass: Spectrum kept going.
 */
#include "guests/mmio_hostile.h"
#include "scenarios/pc_guest_run.h"
#include "spectrum/console.h"
#include "spectrum/fmt.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"
#include "vcpu/hvm_guest.h"

PC_GUEST_IMAGE_DECLARE(mmio_hostile);
PC_GUEST_IMAGE_DECLARE(boot);

static const char *const case_name[MMIO_HOSTILE_CASES] = {
    "lock add to MMIO", "xadd to MMIO", "SSE movdqa from MMIO", "a load split between RAM and MMIO",
    "an instruction running into the MMIO page",
};

static bool has_bytes(const char *reason, uint32_t word, unsigned n)
{
    char want[16];
    const uint8_t b[4] = { (uint8_t)word, (uint8_t)(word >> 8), (uint8_t)(word >> 16), (uint8_t)(word >> 24) };
    if (n == 2)
        fmt_snprintf(want, sizeof want, "%02x %02x", b[0], b[1]);
    else
        fmt_snprintf(want, sizeof want, "%02x %02x %02x", b[0], b[1], b[2]);
    return strstr(reason, want) != 0;
}

static bool one(unsigned which)
{
    static const char *const vm_name[MMIO_HOSTILE_CASES] = { "p-hostile-lock", "p-hostile-xadd", "p-hostile-sse",
                                                             "p-hostile-split", "p-hostile-fetch" };
    struct mmio_hostile_params p = { MMIO_HOSTILE_MAGIC, which };
    struct pc_guest_image img = PC_GUEST_IMAGE(mmio_hostile);
    struct pc_guest_options opt = { .params = &p, .params_len = sizeof p };
    struct pc_guest_outcome o;
    kprintf("p-mmio-hostile: %s: %s\n", vm_name[which], case_name[which]);
    pc_guest_run(vm_name[which], &img, &opt, &o);
    if (which == MMIO_HOSTILE_SPLIT && o.passed) {
        kprintf("p-mmio-hostile: %s: emulated, and the guest got the right value\n", vm_name[which]);
        return true;
    }
    bool told = o.result_words >= 5;
    uint64_t gpa = told ? o.results[0] | (uint64_t)o.results[1] << 32 : 0;
    bool stopped = o.created && !o.passed && o.exit_code == 0 && told;
    bool names_gpa = stopped && pc_guest_reason_has_hex(o.stop_reason, gpa);
    /* The fetch case's bytes are not all readable: its first two are. */
    bool names_bytes = stopped && has_bytes(o.stop_reason, o.results[4], which == MMIO_HOSTILE_FETCH ? 2 : 3);
    kprintf("p-mmio-hostile: %s: %s\n", vm_name[which],
            names_gpa && names_bytes ? "stopped, the message names the GPA and the bytes"
            : stopped                ? "stopped, but the message does not name the GPA and the bytes: WRONG"
                                     : "NOT STOPPED by the hypervisor: WRONG");
    return names_gpa && names_bytes;
}

static bool p_mmio_hostile(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("p-mmio-hostile"))
        return false;
    bool ok = true;
    for (unsigned which = 0; which < MMIO_HOSTILE_CASES; which++)
        ok = one(which) && ok;
    struct pc_guest_image img = PC_GUEST_IMAGE(boot);
    struct pc_guest_outcome o;
    bool next = pc_guest_run("p-hostile-next", &img, 0, &o) && o.exit_code == 0;
    kprintf("p-mmio-hostile: the next VM %s\n", next ? "ran and passed" : "FAILED");
    return ok && next;
}
REGISTER_SCENARIO(p_mmio_hostile, "p-mmio-hostile",
                  "lesson 03: MMIO accesses the emulator refuses stop only their own VM", p_mmio_hostile, 0);
