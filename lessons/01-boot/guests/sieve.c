/**
 * @file sieve.c
 * @brief Guest "sieve": count the primes below N with the sieve of
 *        Eratosthenes and report them, for the lesson-01 interpreter.
 *
 * The same source builds for every guest width of the guest runtime
 * (common/guest/guest.mk): `-m16` for the interpreter's real mode (GCC's
 * .code16gcc: 32-bit C with operand/address-size prefixes, so the whole
 * image must lie below 64 KiB), `-m32` for its flat protected mode, and
 * `-m32`/`-m64` to run natively under VT-x/AMD-V in lesson 02.  Nothing
 * here depends on the mode.
 *
 * N comes from the hypervisor through the mailbox port (guests/mailbox.h),
 * and the answers go back the same way, so that the hypervisor checks
 * them against a sieve of its own: nothing expected is built in here.
 * The guest also prints them, as a reader would want to see them.
 *
 * Results written to the mailbox, in order: N, the number of primes below
 * N, their sum, and a polynomial hash h = h * 31 + p over them in
 * increasing order (mod 2^32), which also catches a wrong order or a
 * wrong prime that a plain sum could hide.
 */
#include "guest/guest.h"

#include "mailbox.h"

/** The largest N the bitmap below can hold. */
#define SIEVE_MAX 65536u
/** N when the mailbox gives none (or an unusable one). */
#define SIEVE_DEFAULT 10000u

/* One bit per number, set when the number is composite: 8 KiB, small
 * enough for a real-mode image that must fit in one 64 KiB segment. */
static uint8_t composite[SIEVE_MAX / 8];

static bool is_composite(uint32_t n)
{
    return composite[n >> 3] & (1u << (n & 7));
}

static void mark(uint32_t n)
{
    composite[n >> 3] |= (uint8_t)(1u << (n & 7));
}

int guest_main(void)
{
    uint32_t n = guest_inl(MAILBOX_PORT);
    if (n < 2 || n > SIEVE_MAX) {
        guest_printf("sieve: no usable N from the mailbox (%u), using %u\n", n, SIEVE_DEFAULT);
        n = SIEVE_DEFAULT;
    }

    /* .bss is zeroed by the runtime's start file, but a guest that ran
     * before in the same memory must not leave marks behind. */
    for (uint32_t i = 0; i < sizeof composite; i++)
        composite[i] = 0;
    for (uint32_t i = 2; i * i < n; i++)
        if (!is_composite(i))
            for (uint32_t j = i * i; j < n; j += i)
                mark(j);

    uint32_t count = 0, sum = 0, hash = 0, largest = 0;
    for (uint32_t i = 2; i < n; i++)
        if (!is_composite(i)) {
            count++;
            sum += i;
            hash = hash * 31u + i;
            largest = i;
        }

    guest_printf("sieve: %u primes below %u, largest %u\n", count, n, largest);
    guest_printf("sieve: sum %u, hash %#010x\n", sum, hash);
    guest_outl(MAILBOX_PORT, n);
    guest_outl(MAILBOX_PORT, count);
    guest_outl(MAILBOX_PORT, sum);
    guest_outl(MAILBOX_PORT, hash);
    return 0;
}
