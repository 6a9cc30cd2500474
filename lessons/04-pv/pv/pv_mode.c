/**
 * @file pv_mode.c
 * @brief The machine's place on the PV/HVM spectrum (pv_mode.h): mode=,
 *        kept per machine in a lesson-03 machine extension, so that every
 *        later question ("is there a virtio console?", "does CPUID say
 *        KVM?") is asked of the machine, not of the command line.
 */
#include "pv/pv_mode.h"

#include "machine/machine_ext.h"
#include "machine/pc_machine.h"
#include "spectrum/boot.h"
#include "spectrum/console.h"
#include "spectrum/options.h"
#include "spectrum/string.h"

REGISTER_OPTION(mode, "lesson 04: the machine's place on the spectrum: hvm (default), hvm+pv (virtio), "
                      "pvhvm (virtio + kvmclock, PV EOI)");

static const char *const names[PV_MODE_COUNT] = { "hvm", "hvm+pv", "pvhvm" };

/* Set by pv_mode_set_next(); -2: not set, ask the command line. */
static int next_mode = -2;

const char *pv_mode_name(enum pv_mode mode)
{
    return mode >= 0 && mode < PV_MODE_COUNT ? names[mode] : "?";
}

enum pv_mode pv_mode_parse(const char *s)
{
    for (int i = 0; s && i < PV_MODE_COUNT; i++)
        if (strcmp(s, names[i]) == 0)
            return (enum pv_mode)i;
    return PV_MODE_BAD;
}

enum pv_mode pv_mode_next(void)
{
    if (next_mode != -2)
        return (enum pv_mode)next_mode;
    const char *given = cmdline_get(boot_cmdline_get(), "mode");
    return given ? pv_mode_parse(given) : PV_MODE_HVM;
}

void pv_mode_set_next(enum pv_mode mode)
{
    next_mode = mode;
}

/** @brief A machine's mode, fixed when it was built. */
struct pv_mode_state {
    int mode;   /**< enum pv_mode */
};

static void pv_mode_init(struct pc_machine *m, void *state)
{
    struct pv_mode_state *s = state;
    s->mode = pv_mode_next();
    if (s->mode == PV_MODE_BAD) {
        vm_stop(&m->vm, false, "mode=%s: not a mode; want hvm, hvm+pv or pvhvm",
                cmdline_get(boot_cmdline_get(), "mode"));
        s->mode = PV_MODE_HVM;
        return;
    }
    static const char *const what[PV_MODE_COUNT] = {
        "emulated devices only",
        "emulated devices + virtio",
        "emulated devices + virtio + KVM paravirtual CPU (kvmclock, PV EOI)",
    };
    kprintf("pv: %s: mode %s (%s)\n", m->vm.name, pv_mode_name((enum pv_mode)s->mode), what[s->mode]);
}
REGISTER_PC_MACHINE_EXT(pv_mode, { "pv-mode", sizeof(struct pv_mode_state), pv_mode_init, 0 });

enum pv_mode pv_mode_of(struct vm *vm)
{
    const struct pv_mode_state *s = pc_machine_ext_state(vm, "pv-mode");
    return s ? (enum pv_mode)s->mode : PV_MODE_HVM;
}
