/**
 * @file g_native.c
 * @brief Scenario "g-native": lesson 01's sieve guest run natively under
 *        VT-x/AMD-V, then by lesson 01's interpreter, in the same boot:
 *        the same image (lessons/01-boot/guests/sieve.c built -m32 for
 *        1 MiB, embedded by lesson 01), the same N, so the two times give
 *        the speed ratio of hardware-assisted over interpreted execution.
 *
 * N comes from "sieve_n=" (default 10000, as lesson 01's scenarios) and
 * reaches the guest through lesson 01's mailbox port; the guest writes
 * back N, the number of primes below N, their sum and a hash.  The
 * scenario passes when both runs exited 0 and reported the same four
 * words for the N given (lesson 01's sieve-emulated32 checks those words
 * against a reference sieve of its own).
 *
 * The native time is the exit loop's busy time: time in the guest plus
 * time handling its exits (the guest's output costs about two exits per
 * character); the "in the guest" time leaves the exit handling out.
 */
#include "guests/mailbox.h"
#include "scenarios/emulate_mailbox.h"
#include "scenarios/emulate_run.h"
#include "scenarios/guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"
#include "spectrum/string.h"
#include "spectrum/tsc.h"

extern const uint8_t l01_image_sieve32[], l01_image_sieve32_end[];

#define SIEVE_DEFAULT 10000u      /* lesson 01's default N */
#define SIEVE_MAX 65536u          /* the guest's bitmap holds N <= 65536 */
#define SIEVE_LOAD 0x100000u      /* sieve32.bin's link address (guest runtime default) */
#define SIEVE_WORDS 4             /* N, count, sum, hash */
#define SIEVE_INTERP_MEM (2ull << 20)

/* Results of one run: the mailbox words, and whether there were 4. */
static bool take_results(struct vm *vm, uint32_t out[SIEVE_WORDS])
{
    const struct emulate_mailbox *mb = emulate_mailbox(vm);
    if (!mb || mb->results != SIEVE_WORDS)
        return false;
    memcpy(out, mb->result, SIEVE_WORDS * sizeof out[0]);
    return true;
}

static struct vm sieve_vm;

static bool g_native(const struct cmdline *cl)
{
    if (!hvm_guest_available("g-native"))
        return false;
    uint64_t n = SIEVE_DEFAULT;
    if (cmdline_has(cl, "sieve_n") && (!cmdline_get_u64(cl, "sieve_n", &n) || n < 2 || n > SIEVE_MAX)) {
        kprintf("g-native: sieve_n must be a number in [2, %u]\n", SIEVE_MAX);
        return false;
    }
    uint32_t native[SIEVE_WORDS] = { 0 }, interp[SIEVE_WORDS] = { 0 };

    /* 1. Natively, on the hardware vCPU (32-bit paged). */
    struct guest_image img = { "sieve32", l01_image_sieve32, l01_image_sieve32_end, VCPU_MODE_PROT32_PAGED };
    struct guest_outcome o;
    vm_init(&sieve_vm, "g-sieve", GUEST_RUN_MEM);
    emulate_mailbox_param(&sieve_vm, (uint32_t)n);
    bool native_ok = guest_run_in(&sieve_vm, &img, &o) && o.exit_code == 0 && take_results(&sieve_vm, native);
    vm_destroy(&sieve_vm);

    /* 2. Interpreted, instruction by instruction (lesson 01). */
    struct emulate_guest g = { l01_image_sieve32, (size_t)(l01_image_sieve32_end - l01_image_sieve32), SIEVE_LOAD,
                               INTERP_MODE_FLAT32 };
    struct emulate_stats st;
    vm_init(&sieve_vm, "sieve", SIEVE_INTERP_MEM);
    emulate_mailbox_param(&sieve_vm, (uint32_t)n);
    bool interp_ok = emulate_run(cl, &sieve_vm, &g, &st) && take_results(&sieve_vm, interp);
    vm_destroy(&sieve_vm);

    bool same = native_ok && interp_ok && memcmp(native, interp, sizeof native) == 0 && native[0] == n;
    uint64_t exits = 0, handlers = 0;
    for (int r = EXIT_NONE + 1; r < EXIT_REASON_COUNT; r++) {
        exits += o.stats.count[r];
        handlers += o.stats.tsc[r];
    }
    uint64_t native_us = tsc_to_us(o.stats.guest_tsc + handlers), guest_us = tsc_to_us(o.stats.guest_tsc);
    kprintf("g-native: native sieve N=%lu: %u primes, sum %u, hash %#010x\n", (unsigned long)n, native[1],
            native[2], native[3]);
    kprintf("g-native: interpreted sieve N=%lu: %u primes, sum %u, hash %#010x\n", (unsigned long)n, interp[1],
            interp[2], interp[3]);
    kprintf("g-native: results %s\n", same ? "agree" : "DIFFER");
    kprintf("g-native: native %lu us (%lu us in the guest, %lu exits), interpreted %lu us (%lu instructions)\n",
            (unsigned long)native_us, (unsigned long)guest_us, (unsigned long)exits, (unsigned long)st.us,
            (unsigned long)st.insns);
    if (native_us && guest_us)
        kprintf("g-native: native is %lu.%lux faster than interpreted (%lu.%lux counting guest time only)\n",
                (unsigned long)(st.us / native_us), (unsigned long)(st.us * 10 / native_us % 10),
                (unsigned long)(st.us / guest_us), (unsigned long)(st.us * 10 / guest_us % 10));
    return same;
}
REGISTER_SCENARIO(g_native, "g-native",
                  "lesson 02: lesson 01's sieve natively and interpreted, and the speed ratio", g_native, 0);
