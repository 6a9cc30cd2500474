/**
 * @file sieve_reference.c
 * @brief The sieve guest's expected answer (sieve_reference.h).
 */
#include "scenarios/sieve_reference.h"

void sieve_reference(uint32_t n, struct sieve_answer *a)
{
    static uint8_t composite[SIEVE_MAX];
    for (uint32_t i = 0; i < n && i < SIEVE_MAX; i++)
        composite[i] = 0;
    a->n = n;
    a->count = a->sum = a->hash = 0;
    for (uint32_t i = 2; i < n && i < SIEVE_MAX; i++) {
        if (composite[i])
            continue;
        a->count++;
        a->sum += i;
        a->hash = a->hash * 31u + i;
        for (uint32_t j = 2 * i; j < n && j < SIEVE_MAX; j += i)
            composite[j] = 1;
    }
}
