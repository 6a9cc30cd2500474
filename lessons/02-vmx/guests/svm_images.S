/*
 * svm_images.S - the bring-up guests, embedded in the kernel image.
 *
 * Each image is a flat binary built by vcpu/vcpu.mk; the symbols
 * <name>_start / <name>_end bound it (scenarios/vcpu_smoke.c uses them).
 */
    .section .rodata
    .balign 16

    .globl svm_smoke32_start, svm_smoke32_end
svm_smoke32_start:
    .incbin "build/02/guests/svm_smoke32.bin"
svm_smoke32_end:

    .balign 16
    .globl svm_smoke64_start, svm_smoke64_end
svm_smoke64_start:
    .incbin "build/02/guests/svm_smoke64.bin"
svm_smoke64_end:

    .balign 16
    .globl svm_triple64_start, svm_triple64_end
svm_triple64_start:
    .incbin "build/02/guests/svm_triple64.bin"
svm_triple64_end:

    .balign 16
    .globl svm_hlt64_start, svm_hlt64_end
svm_hlt64_start:
    .incbin "build/02/guests/svm_hlt64.bin"
svm_hlt64_end:

    .balign 16
    .globl svm_spin64_start, svm_spin64_end
svm_spin64_start:
    .incbin "build/02/guests/svm_spin64.bin"
svm_spin64_end:

    .balign 16
    .globl svm_dfgate64_start, svm_dfgate64_end
svm_dfgate64_start:
    .incbin "build/02/guests/svm_dfgate64.bin"
svm_dfgate64_end:

    .section .note.GNU-stack, "", @progbits
