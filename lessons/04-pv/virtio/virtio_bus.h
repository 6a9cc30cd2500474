/**
 * @file virtio_bus.h
 * @brief The virtio devices of a lesson-03 machine (virtio_bus.c): MMIO
 *        device "virtio", VIRTIO_SLOTS pages from VIRTIO_MMIO_BASE.
 */
#ifndef SPECTRUM_VIRTIO_BUS_H
#define SPECTRUM_VIRTIO_BUS_H

#include "virtio/virtio_mmio.h"

struct vm;

/** @brief @p vm's device in slot @p slot, or NULL (no machine, bad slot, empty slot). */
struct virtio_dev *virtio_dev_of(struct vm *vm, unsigned slot);

#endif
