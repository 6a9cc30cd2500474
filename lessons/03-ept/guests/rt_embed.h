/**
 * @file rt_embed.h
 * @brief The assembler macro that embeds a lesson-03 guest image in the
 *        kernel (for a lesson-03 images .S file, like guests/rt_images.S):
 *
 *     PC_GUEST_EMBED NAME, "build/03/guests/NAME.bin"
 *
 * defines pc_guest_image_NAME and pc_guest_image_NAME_end around the
 * file's bytes; scenarios/pc_guest_run.h declares them with
 * PC_GUEST_IMAGE_DECLARE(NAME).  16-byte aligned, read-only.
 */
#ifndef SPECTRUM_GUESTS_RT_EMBED_H
#define SPECTRUM_GUESTS_RT_EMBED_H

#ifdef __ASSEMBLER__
    .macro PC_GUEST_EMBED name, file
    .section .rodata.guest_images, "a"
    .balign 16
    .globl pc_guest_image_\name
    .globl pc_guest_image_\name\()_end
pc_guest_image_\name:
    .incbin "\file"
pc_guest_image_\name\()_end:
    .previous
    .endm
#endif

#endif
