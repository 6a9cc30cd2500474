/**
 * @file virtio_gpm.h
 * @brief Guest memory for the virtqueue walker (struct vq_mem) over a
 *        lesson-03 machine's guest-physical map: reads, writes and RAM
 *        checks all go through mem/gpm.h, which checks every byte's
 *        region before touching a host page.
 */
#ifndef SPECTRUM_VIRTIO_GPM_H
#define SPECTRUM_VIRTIO_GPM_H

#include "mem/gpm.h"
#include "virtio/virtqueue.h"

/** @brief Fill @p out so the walker reads and writes @p m's RAM only. */
void virtio_gpm_mem(struct vq_mem *out, struct gpm *m);

#endif
