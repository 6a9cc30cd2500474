/**
 * @file hcall_buf.c
 * @brief Guest buffers of hypercalls: length first, then every region the
 *        range touches (hcall_buf.h).
 */
#include "hcall/hcall_buf.h"

#include "hcall/hcall_abi.h"
#include "mem/gpm.h"

int64_t hcall_buf_check(const struct gpm *m, uint64_t gpa, uint64_t len, uint64_t max)
{
    if (len == 0)
        return 0;
    if (len > max)
        return -KVM_E2BIG;
    /* The last byte, computed without overflow: a range that wraps past
     * 2^64 names no memory at all. */
    if (gpa > UINT64_MAX - (len - 1) || !m)
        return -KVM_EFAULT;
    uint64_t last = gpa + (len - 1);
    /* Region by region: two RAM regions may touch, anything else in
     * between (a hole, ROM, a device's range) refuses the whole buffer.
     * Only RAM: a device's registers are never read on the guest's
     * behalf, and a buffer is something the guest wrote. */
    for (uint64_t at = gpa;;) {
        const struct gpm_region *r = gpm_find(m, at);
        if (!r || r->kind != GPM_RAM)
            return -KVM_EFAULT;
        uint64_t r_last = r->base + (r->size - 1);
        if (last <= r_last)
            return 0;
        at = r_last + 1;
    }
}
