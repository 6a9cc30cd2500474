/**
 * @file emulate_run.c
 * @brief Load an embedded guest, interpret it to the end, report the
 *        emulation speed.
 *
 * The instructions-per-second figure is the point of comparison for the
 * lessons that follow: the same guest running natively under VT-x or
 * AMD-V (lesson 02) does the same work at hardware speed, with exits only
 * for its port I/O.
 */
#include "scenarios/emulate_run.h"
#include "spectrum/options.h"

#include "spectrum/console.h"
#include "spectrum/tsc.h"
#include "spectrum/x86.h"
#include "vdev/uart8250.h"
#include "vm/vm.h"

REGISTER_OPTION(insn_limit, "instructions an interpreted guest may run before it is stopped");
REGISTER_OPTION(halt, "interpreter: what HLT does (see emulate_run.c)");

bool emulate_run(const struct cmdline *cl, struct vm *vm, const struct emulate_guest *g,
                 struct emulate_stats *stats)
{
    if (!gmem_write(&vm->mem, g->load, g->image, g->size)) {
        kprintf("emulate: a %lu-byte image does not fit at %#x in %lu bytes of guest memory\n",
                (unsigned long)g->size, g->load, (unsigned long)vm->mem.size);
        return false;
    }
    static struct interp it; /* ~300 bytes; static keeps it off the small kernel stack */
    interp_init(&it, vm, g->mode);
    it.cpu.rip = g->load;   /* real mode: CS = 0, so IP = the load address */
    uint64_t limit;
    if (cmdline_get_u64(cl, "insn_limit", &limit) && limit > 0)
        it.insn_limit = limit;
    const char *halt = cmdline_get(cl, "halt");
    it.halt_passes = halt && halt[0] == 'p';

    uint64_t t0 = rdtsc();
    interp_run(&it);
    uint64_t ticks = rdtsc() - t0;
    uart8250_flush(vm); /* a last line without '\n' */

    uint64_t hz = tsc_hz();
    stats->insns = it.insns;
    stats->us = tsc_to_us(ticks);
    stats->per_s = ticks ? (uint64_t)((unsigned __int128)it.insns * hz / ticks) : 0;
    kprintf("emulate: %lu instructions in %lu us, %lu instructions/s\n", (unsigned long)stats->insns,
            (unsigned long)stats->us, (unsigned long)stats->per_s);
    return vm->passed;
}
