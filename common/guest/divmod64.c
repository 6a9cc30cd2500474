/**
 * @file divmod64.c
 * @brief 64-bit division for 32-bit and 16-bit guests.
 *
 * A 32-bit x86 has no 64-by-64 divide, so GCC turns `uint64_t / uint64_t`
 * into calls to libgcc's helpers (GCC internals manual, "Routines for
 * integer arithmetic").  The build machine has no 32-bit libgcc.a (it
 * comes with gcc-multilib), and fmt.c divides 64-bit numbers, so the
 * guest runtime brings its own: plain shift-and-subtract long division,
 * one quotient bit per step.  64-bit guests never call these.
 */
#include <stdint.h>

uint64_t __udivmoddi4(uint64_t num, uint64_t den, uint64_t *rem);
uint64_t __udivdi3(uint64_t num, uint64_t den);
uint64_t __umoddi3(uint64_t num, uint64_t den);
int64_t __divdi3(int64_t num, int64_t den);
int64_t __moddi3(int64_t num, int64_t den);
int64_t __divmoddi4(int64_t num, int64_t den, int64_t *rem);

/* Division by zero raises #DE like the hardware DIV would (SDM Vol. 2A
 * "DIV"), instead of returning a made-up quotient. */
static uint64_t divide_error(void)
{
    volatile uint32_t zero = 0;
    return 1u / zero;
}

uint64_t __udivmoddi4(uint64_t num, uint64_t den, uint64_t *rem)
{
    if (den == 0)
        return divide_error();
    uint64_t q = 0, r = 0;
    for (int bit = 63; bit >= 0; bit--) {
        r = (r << 1) | ((num >> bit) & 1);
        if (r >= den) {
            r -= den;
            q |= (uint64_t)1 << bit;
        }
    }
    if (rem)
        *rem = r;
    return q;
}

uint64_t __udivdi3(uint64_t num, uint64_t den) { return __udivmoddi4(num, den, 0); }

uint64_t __umoddi3(uint64_t num, uint64_t den)
{
    uint64_t r = 0;
    __udivmoddi4(num, den, &r);
    return r;
}

/* C11 §6.5.5p6: the quotient truncates toward zero, the remainder has the
 * sign of the dividend. */
int64_t __divmoddi4(int64_t num, int64_t den, int64_t *rem)
{
    uint64_t un = num < 0 ? (uint64_t)0 - (uint64_t)num : (uint64_t)num;
    uint64_t ud = den < 0 ? (uint64_t)0 - (uint64_t)den : (uint64_t)den;
    uint64_t ur = 0;
    uint64_t uq = __udivmoddi4(un, ud, &ur);
    if (rem)
        *rem = (int64_t)(num < 0 ? (uint64_t)0 - ur : ur);
    /* Negate in unsigned arithmetic: INT64_MIN / -1 wraps, as IDIV's
     * 64-bit result would, instead of being undefined behaviour. */
    return (int64_t)((num < 0) != (den < 0) ? (uint64_t)0 - uq : uq);
}

int64_t __divdi3(int64_t num, int64_t den) { return __divmoddi4(num, den, 0); }

int64_t __moddi3(int64_t num, int64_t den)
{
    int64_t r = 0;
    __divmoddi4(num, den, &r);
    return r;
}
