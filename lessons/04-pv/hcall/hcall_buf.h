/**
 * @file hcall_buf.h
 * @brief Checking a guest buffer a hypercall names by guest-physical
 *        address and length, before a single byte is read.
 *
 * Address and length come straight from guest registers: hostile.  The
 * check is a pure function of the machine's memory map (mem/gpm.h), so
 * the unit tests run it hosted (tests/test_hcall_buf.c).
 */
#ifndef SPECTRUM_HCALL_BUF_H
#define SPECTRUM_HCALL_BUF_H

#include <stdint.h>

struct gpm;

/**
 * @brief Whether [@p gpa, @p gpa + @p len) is a buffer a hypercall may read.
 * @param m   the machine's guest-physical memory (NULL: no map, every
 *            non-empty buffer is refused)
 * @param gpa first byte
 * @param len bytes (0 is always fine: nothing is read)
 * @param max the longest buffer the call takes
 * @return 0 if every byte is guest RAM; -KVM_E2BIG if @p len > @p max;
 *         -KVM_EFAULT if the range wraps past 2^64 or any byte is in a
 *         hole, ROM or an MMIO region
 */
int64_t hcall_buf_check(const struct gpm *m, uint64_t gpa, uint64_t len, uint64_t max);

#endif
