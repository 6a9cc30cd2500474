/**
 * @file vblk_images.S
 * @brief The virtio-blk guest (guests/vblk_guest.c, 64-bit, built by
 *        vblk_guests.mk), embedded in the kernel;
 *        scenarios/vblk_scenario.c declares it with PC_GUEST_IMAGE_DECLARE.
 */
#include "guests/rt_embed.h"

    PC_GUEST_EMBED vblk64, "build/04/guests/vblk64.bin"

    .section .note.GNU-stack, "", @progbits
