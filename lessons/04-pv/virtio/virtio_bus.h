/**
 * @file virtio_bus.h
 * @brief The virtio devices of a lesson-03 machine (virtio_bus.c): MMIO
 *        device "virtio", VIRTIO_SLOTS pages from VIRTIO_MMIO_BASE.
 */
#ifndef SPECTRUM_VIRTIO_BUS_H
#define SPECTRUM_VIRTIO_BUS_H

#include "virtio/virtio_mmio.h"

struct vm;

#define VIRTIO_CONSOLE_SLOT 0u   /**< virtio-console's slot (0xd0000000, IRQ 5) */

/** @brief Tell @p vm's virtio-console whether the guest's kernel uses it as
 *         its console (console=hvc0): typed input then goes to it, not COM1. */
void virtio_console_set_guest_console(struct vm *vm, bool is_console);

/** @brief @p vm's device in slot @p slot, or NULL (no machine, bad slot, empty slot). */
struct virtio_dev *virtio_dev_of(struct vm *vm, unsigned slot);

#endif
