/*
 * apic_smoke_image.S - the apic-smoke guest (apic_smoke_guest.S), a flat
 * binary built by apic/apic.mk, embedded in the kernel image between
 * apic_smoke_start and apic_smoke_end.
 */
    .section .rodata
    .balign 16
    .globl apic_smoke_start, apic_smoke_end
apic_smoke_start:
    .incbin "build/03/guests/apic_smoke.bin"
apic_smoke_end:
    .section .note.GNU-stack, "", @progbits
