/**
 * @file images.S
 * @brief Lesson 01's interpreted guests, embedded in the kernel image.
 *
 * Each flat binary (guests.mk) is included byte for byte with .incbin
 * between two symbols, l01_image_NAME and l01_image_NAME_end, which the
 * scenarios declare.  The paths are relative to the repository root, where
 * make runs the assembler.
 */

    .macro L01_IMAGE name, file
    .section .rodata.l01_images, "a"
    .balign 16
    .globl l01_image_\name
    .globl l01_image_\name\()_end
l01_image_\name:
    .incbin "\file"
l01_image_\name\()_end:
    .endm

    L01_IMAGE sieve16, "build/01/guests/sieve16.bin"
    L01_IMAGE sieve32, "build/01/guests/sieve32.bin"

    .section .note.GNU-stack, "", @progbits
