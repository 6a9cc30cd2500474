/**
 * @file hcall_images.S
 * @brief The hcall guests (guests/hcall_guest.c, 64-bit and 32-bit, built
 *        by hcall_guests.mk), embedded in the kernel;
 *        scenarios/hcall_scenario.c declares them with PC_GUEST_IMAGE_DECLARE.
 */
#include "guests/rt_embed.h"

    PC_GUEST_EMBED hcall64, "build/04/guests/hcall64.bin"
    PC_GUEST_EMBED hcall32, "build/04/guests/hcall32.bin"

    .section .note.GNU-stack, "", @progbits
