/**
 * @file sieve_reference.h
 * @brief The hypervisor's own answer to the sieve guest
 *        (lessons/01-boot/guests/sieve.c), to check what any way of running
 *        it reports: interpreted (lesson 01), natively on nested paging
 *        from real mode (lesson 03).
 */
#ifndef SPECTRUM_SIEVE_REFERENCE_H
#define SPECTRUM_SIEVE_REFERENCE_H

#include <stdint.h>

#define SIEVE_MAX 65536u          /**< the guest's bitmap holds N <= 65536 */
#define SIEVE_DEFAULT 10000u      /**< N when the command line gives none (sieve_n=) */

/** @brief What the guest reports through its mailbox, in this order. */
struct sieve_answer {
    uint32_t n;      /**< N */
    uint32_t count;  /**< primes below N */
    uint32_t sum;    /**< their sum (mod 2^32) */
    uint32_t hash;   /**< h = h * 31 + p over them in increasing order (mod 2^32) */
};

/**
 * @brief Compute the answer for @p n (at most SIEVE_MAX) with a
 *        byte-per-number sieve - not the guest's bitmap, so a shared
 *        mistake in bit arithmetic cannot make both agree.
 */
void sieve_reference(uint32_t n, struct sieve_answer *a);

#endif
