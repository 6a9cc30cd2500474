/**
 * @file hello.c
 * @brief Guest "hello": the smallest lesson-02 guest, built both as a
 *        64-bit and a 32-bit image.  Before greeting, it checks that it was
 *        loaded and started properly: .data holds its initial values, .bss
 *        is zero, the stack takes deep recursion, and the printf engine
 *        formats as C11 says.  Exit status: 0 when every check held, else
 *        a bit per failed check.
 */
#include "guest/guest.h"
#include "spectrum/fmt.h"
#include "spectrum/string.h"

enum {
    FAIL_DATA = 1 << 0,
    FAIL_BSS = 1 << 1,
    FAIL_STACK = 1 << 2,
    FAIL_PRINTF = 1 << 3,
};

/* In .data: the loader must have copied it. */
static volatile uint32_t data_word = 0x53504543u;
/* In .bss: start.S must have cleared it (the file does not contain it). */
static volatile uint8_t bss_block[8192];

/* Naive Fibonacci: ~22k calls, 25 frames deep; fib(25) = 75025. */
static uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int guest_main(void)
{
    int failed = 0;
    if (data_word != 0x53504543u)
        failed |= FAIL_DATA;
    for (unsigned i = 0; i < sizeof bss_block; i++)
        if (bss_block[i])
            failed |= FAIL_BSS;
    volatile uint32_t n = 25;
    uint32_t f = fib(n);
    if (f != 75025u)
        failed |= FAIL_STACK;
    static const char expect[] = "-42|   ab|0xff|1099511627776";
    char buf[64];
    int len = fmt_snprintf(buf, sizeof buf, "%d|%5s|%#x|%llu", -42, "ab", 255u, 1ull << 40);
    if (len != (int)sizeof expect - 1 || strcmp(buf, expect) != 0)
        failed |= FAIL_PRINTF;

    guest_printf("hello, world from a %u-bit guest\n", (unsigned)(sizeof(void *) * 8));
    guest_printf("hello: fib(25) = %u, checks %s\n", f, failed ? "FAILED" : "passed");
    return failed;
}
