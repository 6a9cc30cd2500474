/**
 * @file emulate_sieve.c
 * @brief Scenarios "sieve-emulated" (real mode, stage 01's default demo)
 *        and "sieve-emulated32" (flat 32-bit protected mode): the sieve
 *        guest (guests/sieve.c) interpreted instruction by instruction,
 *        its answer checked against Spectrum's own sieve.
 *
 * The scenario picks N ("sieve_n=", default 10000), hands it to the guest
 * through the mailbox port, and afterwards compares the four words the
 * guest wrote back (N, count, sum, hash) with the same quantities computed
 * here, in the hypervisor, at run time.  The guest passes only if it
 * exited with status 0 *and* every word matches.
 */
#include "scenarios/sieve_reference.h"
#include "scenarios/emulate_mailbox.h"
#include "spectrum/options.h"
#include "scenarios/emulate_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vm/vm.h"

REGISTER_OPTION(sieve_n, "N for the sieve guests (default 10000, at most 65536)");

extern const uint8_t l01_image_sieve16[], l01_image_sieve16_end[];
extern const uint8_t l01_image_sieve32[], l01_image_sieve32_end[];


static bool sieve_run(const struct cmdline *cl, enum interp_mode mode)
{
    uint64_t n = SIEVE_DEFAULT;
    if (cmdline_has(cl, "sieve_n") && (!cmdline_get_u64(cl, "sieve_n", &n) || n < 2 || n > SIEVE_MAX)) {
        kprintf("sieve: sieve_n must be a number in [2, %u]\n", SIEVE_MAX);
        return false;
    }
    struct emulate_guest g;
    uint64_t mem;
    if (mode == INTERP_MODE_REAL) {
        g = (struct emulate_guest){ l01_image_sieve16, (size_t)(l01_image_sieve16_end - l01_image_sieve16),
                                    0x1000, INTERP_MODE_REAL };
        mem = 1 << 20;          /* the real-mode address space */
    } else {
        g = (struct emulate_guest){ l01_image_sieve32, (size_t)(l01_image_sieve32_end - l01_image_sieve32),
                                    0x100000, INTERP_MODE_FLAT32 };
        mem = 2 << 20;          /* image at 1 MiB, .bss after it */
    }
    kprintf("sieve: interpreting the %s guest (%lu bytes), N = %lu\n",
            mode == INTERP_MODE_REAL ? "16-bit real-mode" : "32-bit flat protected-mode", (unsigned long)g.size,
            (unsigned long)n);

    static struct vm vm;
    vm_init(&vm, "sieve", mem);
    emulate_mailbox_param(&vm, (uint32_t)n);
    struct emulate_stats stats;
    bool exited_ok = emulate_run(cl, &vm, &g, &stats);

    struct sieve_answer want;
    sieve_reference((uint32_t)n, &want);
    const struct emulate_mailbox *mb = emulate_mailbox(&vm);
    const uint32_t *got = mb->result;
    bool match = mb->results == 4 && got[0] == want.n && got[1] == want.count && got[2] == want.sum &&
                 got[3] == want.hash;
    kprintf("sieve: hypervisor computed %u primes below %u, sum %u, hash %#010x\n", want.count, want.n, want.sum,
            want.hash);
    if (mb->results == 4)
        kprintf("sieve: guest reported   %u primes below %u, sum %u, hash %#010x\n", got[1], got[0], got[2],
                got[3]);
    else
        kprintf("sieve: guest reported %u result words, expected 4\n", mb->results);
    kprintf("sieve: check %s (vm: %s)\n", match && exited_ok ? "passed" : "FAILED", vm.stop_reason);
    vm_destroy(&vm);
    return match && exited_ok;
}

static bool sieve_emulated(const struct cmdline *cl)
{
    return sieve_run(cl, INTERP_MODE_REAL);
}
REGISTER_SCENARIO(sieve_emulated, "sieve-emulated",
                  "lesson 01: a real-mode guest (sieve) run by the software interpreter", sieve_emulated, 1);

static bool sieve_emulated32(const struct cmdline *cl)
{
    return sieve_run(cl, INTERP_MODE_FLAT32);
}
REGISTER_SCENARIO(sieve_emulated32, "sieve-emulated32",
                  "lesson 01: the sieve guest in flat 32-bit protected mode, interpreted", sieve_emulated32, 0);
