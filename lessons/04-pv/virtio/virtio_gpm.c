/**
 * @file virtio_gpm.c
 * @brief struct vq_mem over mem/gpm.h (virtio_gpm.h).  RAM only: a
 *        virtqueue or buffer in ROM, a hole or a device's registers is
 *        refused (hcall_buf_check() walks the regions, overflow-safe).
 */
#include "virtio/virtio_gpm.h"

#include "hcall/hcall_buf.h"

static bool gpm_is_ram(void *ctx, uint64_t gpa, uint64_t len)
{
    return len > 0 && hcall_buf_check(ctx, gpa, len, UINT64_MAX) == 0;
}

static bool gpm_rd(void *ctx, uint64_t gpa, void *dst, uint32_t len)
{
    return gpm_is_ram(ctx, gpa, len) && gpm_read(ctx, gpa, dst, len);
}

static bool gpm_wr(void *ctx, uint64_t gpa, const void *src, uint32_t len)
{
    return gpm_write(ctx, gpa, src, len);
}

void virtio_gpm_mem(struct vq_mem *out, struct gpm *m)
{
    out->ctx = m;
    out->read = gpm_rd;
    out->write = gpm_wr;
    out->is_ram = gpm_is_ram;
}
