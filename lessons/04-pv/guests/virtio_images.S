/**
 * @file virtio_images.S
 * @brief The virtio guest (guests/virtio_guest.c, 64-bit, built by
 *        virtio_guests.mk), embedded in the kernel;
 *        scenarios/virtio_scenario.c declares it with PC_GUEST_IMAGE_DECLARE.
 */
#include "guests/rt_embed.h"

    PC_GUEST_EMBED virtio64, "build/04/guests/virtio64.bin"

    .section .note.GNU-stack, "", @progbits
