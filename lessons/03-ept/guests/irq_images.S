/**
 * @file irq_images.S
 * @brief Lesson 03's platform test guests, embedded in the kernel image:
 *        each flat binary (guests/platguests.mk) between two symbols,
 *        plat_image_NAME and plat_image_NAME_end, which
 *        scenarios/p_irq_run.h declares.  Paths are relative to the
 *        repository root, where make runs the assembler.
 */

    .macro PLAT_IMAGE name, file
    .section .rodata.guest_images, "a"
    .balign 16
    .globl plat_image_\name
    .globl plat_image_\name\()_end
plat_image_\name:
    .incbin "\file"
plat_image_\name\()_end:
    .endm

    PLAT_IMAGE apic_timer, "build/03/guests/apic_timer.bin"
    PLAT_IMAGE ioapic_route, "build/03/guests/ioapic_route.bin"
    PLAT_IMAGE cmos_date, "build/03/guests/cmos_date.bin"
    PLAT_IMAGE bench_exits, "build/03/guests/bench_exits.bin"
    PLAT_IMAGE apic_hostile, "build/03/guests/apic_hostile.bin"
    PLAT_IMAGE ioapic_hostile, "build/03/guests/ioapic_hostile.bin"
    PLAT_IMAGE irq_storm, "build/03/guests/irq_storm.bin"

    .section .note.GNU-stack, "", @progbits
