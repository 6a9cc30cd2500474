/**
 * @file rt_images.S
 * @brief The lesson-03 guests of the boot, isolation, event and MMIO
 *        scenarios, embedded in the kernel (built by rt_guests.mk).
 */
#include "guests/rt_embed.h"

    PC_GUEST_EMBED boot, "build/03/guests/boot.bin"

    .section .note.GNU-stack, "", @progbits
