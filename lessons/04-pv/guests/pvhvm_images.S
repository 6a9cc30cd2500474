/**
 * @file pvhvm_images.S
 * @brief The pvhvm guest (guests/pvhvm_guest.c, 64-bit, built by
 *        pvhvm_guests.mk), embedded in the kernel;
 *        scenarios/pvhvm_scenario.c declares it with PC_GUEST_IMAGE_DECLARE.
 */
#include "guests/rt_embed.h"

    PC_GUEST_EMBED pvhvm64, "build/04/guests/pvhvm64.bin"

    .section .note.GNU-stack, "", @progbits
