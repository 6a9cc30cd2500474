/**
 * @file irq_images.S
 * @brief Lesson 03's platform test guests (LAPIC, I/O APIC, RTC, bench,
 *        hostile devices), embedded in the kernel (built by
 *        platguests.mk); scenarios/p_*.c declare them with
 *        PC_GUEST_IMAGE_DECLARE(NAME).
 */
#include "guests/rt_embed.h"

    PC_GUEST_EMBED apic_timer, "build/03/guests/apic_timer.bin"
    PC_GUEST_EMBED ioapic_route, "build/03/guests/ioapic_route.bin"
    PC_GUEST_EMBED cmos_date, "build/03/guests/cmos_date.bin"
    PC_GUEST_EMBED bench_exits, "build/03/guests/bench_exits.bin"
    PC_GUEST_EMBED apic_hostile, "build/03/guests/apic_hostile.bin"
    PC_GUEST_EMBED ioapic_hostile, "build/03/guests/ioapic_hostile.bin"
    PC_GUEST_EMBED irq_storm, "build/03/guests/irq_storm.bin"

    .section .note.GNU-stack, "", @progbits
