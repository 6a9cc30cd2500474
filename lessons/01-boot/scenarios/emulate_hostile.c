/**
 * @file emulate_hostile.c
 * @brief Scenario "emulate-hostile": tiny guests that misbehave on
 *        purpose, each of which the interpreter must stop with the right
 *        guest-fault report instead of crashing, hanging, or touching
 *        memory that is not the guest's.
 *
 * Every program is a few bytes (assembly in the comments) run in a fresh
 * 64 KiB VM from 0000:0100 (real mode) or 0x100 (flat mode).  The
 * scenario passes when every VM was stopped as a failure and its stop
 * reason names the expected cause; the reasons are printed, so this is
 * also the place to see what each report looks like.
 */
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"
#include "vm/vm.h"
#include "x86/interp.h"

/** One misbehaving guest. */
struct hostile_case {
    const char *name;        /**< what it does */
    enum interp_mode mode;   /**< how it runs */
    uint8_t code[8];         /**< its bytes */
    uint8_t len;             /**< how many */
    const char *expect;      /**< a phrase the stop reason must contain */
};

static const struct hostile_case cases[] = {
    { "unknown opcode", INTERP_MODE_REAL, { 0xd8, 0xc0 }, 2, "unknown opcode" },          /* fadd %st(0),%st */
    { "jump outside memory", INTERP_MODE_REAL, { 0xea, 0x00, 0x00, 0x00, 0xf0 }, 5,        /* ljmp $0xf000,$0 */
      "is outside guest memory" },
    { "runaway loop", INTERP_MODE_REAL, { 0xeb, 0xfe }, 2, "instruction budget of 10000 exhausted" }, /* jmp . */
    { "read beyond the guest", INTERP_MODE_FLAT32, { 0xa1, 0x00, 0x00, 0x02, 0x00 }, 5,    /* mov 0x20000,%eax */
      "read of 4 bytes at linear 0x20000 is outside guest memory" },
    { "word across the 64 KiB limit", INTERP_MODE_REAL, { 0xa1, 0xff, 0xff }, 3,           /* mov 0xffff,%ax */
      "crosses the segment limit" },
    { "divide by zero, no handler", INTERP_MODE_REAL, { 0x31, 0xc9, 0xf7, 0xf1 }, 4,       /* xor %cx,%cx; div %cx */
      "#DE divide error (division by zero) (vector 0) and the guest has no handler" },
    { "BIOS call without a BIOS", INTERP_MODE_REAL, { 0xcd, 0x10 }, 2,                      /* int $0x10 */
      "(vector 16) and the guest has no handler" },
    { "halt without an exit status", INTERP_MODE_REAL, { 0xf4 }, 1, "guest halted (HLT) without" },
    { "segment load in flat mode", INTERP_MODE_FLAT32, { 0x8e, 0xd8 }, 2,                  /* mov %eax,%ds */
      "needs a descriptor table" },
};

static bool hostile_one(const struct hostile_case *c)
{
    static struct vm vm;
    static struct interp it;
    vm_init(&vm, "hostile", 0x10000);
    gmem_write(&vm.mem, 0x100, c->code, c->len);
    interp_init(&it, &vm, c->mode);
    it.cpu.rip = 0x100;
    it.cpu.gpr[X86_RSP] = 0x8000;
    it.insn_limit = 10000;
    kprintf("hostile: %s\n", c->name);
    interp_run(&it);
    bool ok = !vm_running(&vm) && !vm.passed && strstr(vm.stop_reason, c->expect);
    if (!ok)
        kprintf("hostile: %s: expected a stop naming '%s'\n", c->name, c->expect);
    vm_destroy(&vm);
    return ok;
}

static bool emulate_hostile(const struct cmdline *cl)
{
    (void)cl;
    unsigned passed = 0, total = sizeof cases / sizeof cases[0];
    for (unsigned i = 0; i < total; i++)
        passed += hostile_one(&cases[i]);
    kprintf("hostile: %u of %u misbehaving guests stopped with the expected report\n", passed, total);
    return passed == total;
}
REGISTER_SCENARIO(emulate_hostile, "emulate-hostile",
                  "lesson 01: misbehaving guests the interpreter must stop cleanly", emulate_hostile, 0);
