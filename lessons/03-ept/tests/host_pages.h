/**
 * @file host_pages.h
 * @brief A hosted stand-in for the kernel's page allocator
 *        (spectrum/mem.h), so gpm.c and nested_tables.c run in unit tests.
 *
 * Pages come from aligned_alloc() and the "physical" address of a page is
 * its pointer (the kernel's identity map).  Every allocation is recorded,
 * so a test can check that destroy gave back everything, and a test can
 * make the allocator fail (host out of memory) or refuse 2 MiB runs.
 */
#ifndef SPECTRUM_TESTS_HOST_PAGES_H
#define SPECTRUM_TESTS_HOST_PAGES_H

#include <stdbool.h>
#include <stdint.h>

/** @brief Pages currently allocated and not freed. */
uint64_t host_pages_outstanding(void);

/** @brief Fail every allocation after @p n more succeed (-1: never fail). */
void host_pages_fail_after(long n);

/** @brief Refuse 2 MiB runs (forces 4 KiB backing). */
void host_pages_no_runs(bool on);

#endif
