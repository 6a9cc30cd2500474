/**
 * @file host_pages.c
 * @brief Hosted page allocator for the unit tests (host_pages.h).
 */
#include "host_pages.h"

#include <stdlib.h>
#include <string.h>

#include "spectrum/mem.h"

static uint64_t outstanding;
static long fail_after = -1;
static bool no_runs;

uint64_t host_pages_outstanding(void) { return outstanding; }
void host_pages_fail_after(long n) { fail_after = n; }
void host_pages_no_runs(bool on) { no_runs = on; }

void *page_alloc_try(uint64_t n, uint64_t align_pages)
{
    if (fail_after == 0 || (no_runs && n >= 512))
        return NULL;
    if (fail_after > 0)
        fail_after--;
    uint64_t align = (align_pages ? align_pages : 1) * PAGE_SIZE;
    void *p = aligned_alloc(align, n * PAGE_SIZE);
    if (p) {
        memset(p, 0, n * PAGE_SIZE);
        outstanding += n;
    }
    return p;
}

void *page_alloc(uint64_t n, uint64_t align_pages)
{
    void *p = page_alloc_try(n, align_pages);
    if (!p)
        abort();
    return p;
}

void page_free(void *p, uint64_t n)
{
    outstanding -= n;
    free(p);
}
