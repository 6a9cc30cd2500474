/**
 * @file images.S
 * @brief Lesson 02's test guests, embedded in the kernel image.
 *
 * Each flat binary (built by guests.mk with the guest runtime,
 * common/guest/) is included byte for byte with .incbin between two
 * symbols, guest_image_NAME and guest_image_NAME_end, which
 * scenarios/guest_run.h declares.  The paths are relative to the
 * repository root, where make runs the assembler.
 */

    .macro GUEST_IMAGE name, file
    .section .rodata.guest_images, "a"
    .balign 16
    .globl guest_image_\name
    .globl guest_image_\name\()_end
guest_image_\name:
    .incbin "\file"
guest_image_\name\()_end:
    .endm

    GUEST_IMAGE hello64, "build/02/guests/hello64.bin"
    GUEST_IMAGE hello32, "build/02/guests/hello32.bin"
    GUEST_IMAGE cpuid, "build/02/guests/cpuid.bin"
    GUEST_IMAGE msr, "build/02/guests/msr.bin"
    GUEST_IMAGE portio, "build/02/guests/portio.bin"
    GUEST_IMAGE timer, "build/02/guests/timer.bin"
    GUEST_IMAGE triple, "build/02/guests/triple.bin"
    GUEST_IMAGE crs, "build/02/guests/crs.bin"
    GUEST_IMAGE debug, "build/02/guests/debug.bin"
    GUEST_IMAGE sysmsr, "build/02/guests/sysmsr.bin"
    GUEST_IMAGE fpu, "build/02/guests/fpu.bin"
    GUEST_IMAGE busy, "build/02/guests/busy.bin"
    GUEST_IMAGE storm, "build/02/guests/storm.bin"

    .section .note.GNU-stack, "", @progbits
