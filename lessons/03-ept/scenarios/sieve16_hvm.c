/**
 * @file sieve16_hvm.c
 * @brief Scenario "p-sieve16": lesson 01's real-mode sieve guest
 *        (lessons/01-boot/guests/sieve.c built -m16 for 0x1000, the very
 *        image lesson 01's interpreter runs) on the hardware vCPU, started
 *        in real mode at 0000:1000 on nested paging.
 *
 * As in lesson 01 (scenarios/emulate_sieve.c): N comes from "sieve_n="
 * (default 10000) through the mailbox port, the guest writes back N, the
 * number of primes below N, their sum and a hash, and the scenario
 * compares them with a sieve of its own.  The reference is a byte per
 * number, not the guest's bitmap, so a shared bit-arithmetic mistake
 * cannot make both agree.
 */
#include "scenarios/pc_guest_run.h"
#include "scenarios/sieve_reference.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "vcpu/hvm_guest.h"

extern const uint8_t l01_image_sieve16[], l01_image_sieve16_end[];

#define SIEVE16_LOAD 0x1000u      /* lesson 01's SIEVE16_LOAD (guests/guests.mk) */

static bool p_sieve16(const struct cmdline *cl)
{
    if (!hvm_guest_available("p-sieve16"))
        return false;
    uint64_t n = SIEVE_DEFAULT;
    if (cmdline_has(cl, "sieve_n") && (!cmdline_get_u64(cl, "sieve_n", &n) || n < 2 || n > SIEVE_MAX)) {
        kprintf("p-sieve16: sieve_n must be a number in [2, %u]\n", SIEVE_MAX);
        return false;
    }
    /* Linked for 0x1000 with flat real-mode segments (CS = DS = SS = 0). */
    struct pc_guest_image img = { "sieve16", l01_image_sieve16, l01_image_sieve16_end, SIEVE16_LOAD, 0,
                                  SIEVE16_LOAD };
    uint32_t param = (uint32_t)n;
    struct pc_guest_options opt = { .mailbox = &param, .mailbox_words = 1 };
    struct pc_guest_outcome o;
    kprintf("p-sieve16: lesson 01's real-mode sieve (%lu bytes) at 0000:%04x, N = %lu\n",
            (unsigned long)(l01_image_sieve16_end - l01_image_sieve16), SIEVE16_LOAD, (unsigned long)n);
    bool exited_ok = pc_guest_run("p-sieve16", &img, &opt, &o) && o.exit_code == 0;

    struct sieve_answer a;
    sieve_reference((uint32_t)n, &a);
    const uint32_t want[4] = { a.n, a.count, a.sum, a.hash };   /* the mailbox order */
    bool match = o.result_words == 4;
    for (unsigned i = 0; match && i < 4; i++)
        match = o.results[i] == want[i];
    kprintf("p-sieve16: hypervisor computed %u primes below %u, sum %u, hash %#010x\n", want[1], want[0], want[2],
            want[3]);
    if (o.result_words == 4)
        kprintf("p-sieve16: guest reported   %u primes below %u, sum %u, hash %#010x\n", o.results[1],
                o.results[0], o.results[2], o.results[3]);
    else
        kprintf("p-sieve16: guest reported %u result words, expected 4\n", o.result_words);
    kprintf("p-sieve16: check %s\n", match && exited_ok ? "passed" : "FAILED");
    return match && exited_ok;
}
REGISTER_SCENARIO(p_sieve16, "p-sieve16", "lesson 03: lesson 01's real-mode sieve natively in real mode on EPT/NPT",
                  p_sieve16, 0);
