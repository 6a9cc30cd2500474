/**
 * @file rt_images.S
 * @brief The lesson-03 guests of the boot, isolation, event and MMIO
 *        scenarios, embedded in the kernel (built by rt_guests.mk).
 */
#include "guests/rt_embed.h"

    PC_GUEST_EMBED boot, "build/03/guests/boot.bin"
    PC_GUEST_EMBED iso, "build/03/guests/iso.bin"
    PC_GUEST_EMBED evt, "build/03/guests/evt.bin"
    PC_GUEST_EMBED mmio16, "build/03/guests/mmio16.bin"
    PC_GUEST_EMBED mmio32, "build/03/guests/mmio32.bin"
    PC_GUEST_EMBED mmio64, "build/03/guests/mmio64.bin"
    PC_GUEST_EMBED mmio_hostile, "build/03/guests/mmio_hostile.bin"

    .section .note.GNU-stack, "", @progbits
