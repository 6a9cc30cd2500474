#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/tsc.h"
#include "spectrum/x86.h"
#include "vm/vm.h"
#include "x86/interp.h"
static volatile uint64_t sink;
static bool dbg(const struct cmdline *cl)
{
    (void)cl;
    static struct vm vm; static struct interp it;
    uint64_t t0 = rdtsc();
    vm_init(&vm, "dbg", 0x10000);
    uint64_t t1 = rdtsc();
    static const uint8_t loop[] = { 0x40, 0xeb, 0xfd };
    gmem_write(&vm.mem, 0x100, loop, 3);
    interp_init(&it, &vm, INTERP_MODE_REAL); it.cpu.rip = 0x100; it.insn_limit = 2000;
    interp_run(&it);
    uint64_t t2 = rdtsc();
    x86_insn insn;
    for (int i = 0; i < 2000; i++) { x86_decode(loop, 3, X86_MODE_16, 0, &insn); sink += insn.length; }
    uint64_t t3 = rdtsc();
    uint64_t s = 0; for (uint64_t i = 0; i < 10000000; i++) { s += i * i; sink = s; }
    uint64_t t4 = rdtsc();
    kprintf("dbg: vm_init %lu us, interp 2000: %lu us, decode 2000: %lu us, 10M loop: %lu us\n",
        tsc_to_us(t1-t0), tsc_to_us(t2-t1), tsc_to_us(t3-t2), tsc_to_us(t4-t3));
    return true;
}
REGISTER_SCENARIO(zzdbg, "zzdbg", "debug", dbg, 0);
