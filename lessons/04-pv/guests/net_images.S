/**
 * @file net_images.S
 * @brief The virtio-net guest (guests/net_guest.c, 64-bit, built by
 *        net_guests.mk), embedded in the kernel;
 *        scenarios/net_scenario.c declares it with PC_GUEST_IMAGE_DECLARE.
 */
#include "guests/rt_embed.h"

    PC_GUEST_EMBED net64, "build/04/guests/net64.bin"

    .section .note.GNU-stack, "", @progbits
