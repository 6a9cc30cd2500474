/**
 * @file ioapic_hostile.c
 * @brief Hostile guest for the I/O APIC (case HOSTILE_IOAPIC): register
 *        indexes past the last redirection entry (IOREGSEL 0x40..0xFF and
 *        beyond 8 bits), accesses at offsets and widths the 82093AA does
 *        not decode (it defines 32-bit IOREGSEL/IOWIN only, §3.0),
 *        redirection entries with the reserved vectors 0-15, the NMI, SMI,
 *        INIT and ExtINT delivery modes and huge destination IDs, while the
 *        PIT pulses pin 2 at 1 kHz.
 */
#include "apic_regs.h"
#include "guest/guest.h"
#include "ioapic_regs.h"
#include "irq_guest.h"
#include "irq_hostile.h"
#include "pc_timer.h"

#define IO(off) (IOAPIC_BASE_DEFAULT + (off))

static const struct { uint32_t low; uint8_t dest; const char *what; } routes[] = {
    { IOREDIR_DM(APIC_DM_FIXED) | 0x2C, 0xFF, "fixed to destination 0xff (broadcast)" },
    { IOREDIR_DM(APIC_DM_FIXED) | (uint32_t)IOREDIR_DEST_LOGICAL | 0x2C, 0xFF, "fixed, logical destination 0xff" },
    { IOREDIR_DM(APIC_DM_FIXED) | 0x2C, 0x0F, "fixed to absent id 0x0f" },
    { IOREDIR_DM(APIC_DM_LOWEST) | 0x2C, 0xFE, "lowest priority to 0xfe" },
    { IOREDIR_DM(APIC_DM_NMI) | 0x2C, 0, "NMI" },
    { IOREDIR_DM(APIC_DM_EXTINT) | 0x2C, 0, "ExtINT (nothing behind it: the 8259s are masked)" },
    { IOREDIR_DM(APIC_DM_FIXED) | (uint32_t)IOREDIR_LEVEL | (uint32_t)IOREDIR_ACTIVE_LOW | 0x2C, 0, "level, active low (asserted while the PIT output is low)" },
    { (3u << 8) | 0x2C, 0, "reserved delivery mode 3" },
    { (6u << 8) | 0x2C, 0, "reserved delivery mode 6" },
    { IOREDIR_DM(APIC_DM_FIXED) | 0x03, 0, "fixed, reserved vector 3" },
    { IOREDIR_DM(APIC_DM_FIXED) | 0x0F, 0, "fixed, reserved vector 15" },
    { IOREDIR_DM(APIC_DM_SMI) | 0x2C, 0, "SMI" },
    { IOREDIR_DM(APIC_DM_INIT) | 0x2C, 0, "INIT" },
};

int guest_main(void)
{
    const char *w = "ioapic";
    hostile_init();
    if (plat_request() != HOSTILE_IOAPIC) {
        guest_printf("hostile: ioapic: no case in the mailbox (%u)\n", (unsigned)plat_request());
        return 1;
    }
    hostile_lapic = true;
    hostile_ioapic = true;
    hostile_step(w, "local APIC software enable, I/O APIC version");
    guest_lapic_write(LAPIC_SVR, SVR_ENABLE | 0x2F);
    uint32_t ver = guest_ioapic_read(IOAPIC_REG_VER);
    unsigned pins = ((ver >> 16) & 0xFF) + 1;

    hostile_step(w, "IOREGSEL 0x40..0xff: read and write all ones");
    uint64_t sum = 0;
    for (uint32_t r = 0x40; r <= 0xFF; r++) {
        sum += guest_ioapic_read(r);
        guest_ioapic_write(r, 0xFFFFFFFFu);
    }
    hostile_step(w, "IOREGSEL with bits above 7, read back");
    guest_ioapic_write(0xFFFFFF01u, 0xFFFFFFFFu);
    sum += *(volatile uint32_t *)IO(IOAPIC_IOREGSEL);
    hostile_step(w, "ID, version and arbitration registers written with all ones");
    guest_ioapic_write(IOAPIC_REG_ID, 0xFFFFFFFFu);
    guest_ioapic_write(IOAPIC_REG_VER, 0xFFFFFFFFu);
    guest_ioapic_write(IOAPIC_REG_ARB, 0xFFFFFFFFu);
    uint32_t ver2 = guest_ioapic_read(IOAPIC_REG_VER);
    guest_printf("hostile: ioapic: version register %#x before, %#x after\n", (unsigned)ver, (unsigned)ver2);
    hostile_step(w, "undecoded offsets 0x4, 0x8, 0x20, 0x30, 0xffc; byte and 8-byte accesses to the window");
    sum += hostile_load(IO(0x04), 4) + hostile_load(IO(0x08), 4) + hostile_load(IO(0x20), 4) +
           hostile_load(IO(0x30), 4) + hostile_load(IO(0xFFC), 4);
    hostile_store(IO(0x04), 4, ~0ull);
    hostile_store(IO(0x20), 4, ~0ull);
    sum += hostile_load(IO(IOAPIC_IOWIN + 1), 1) + hostile_load(IO(IOAPIC_IOWIN), 8) +
           hostile_load(IO(IOAPIC_IOREGSEL), 8);
    hostile_store(IO(IOAPIC_IOREGSEL), 8, 0x0000001100000010ull);
    hostile_store(IO(IOAPIC_IOWIN + 3), 1, 0xFF);
    hostile_step(w, "EOI register with vectors 0, 0x2c, 0xff");
    hostile_store(IO(IOAPIC_EOIR), 4, 0);
    hostile_store(IO(IOAPIC_EOIR), 4, 0x2C);
    hostile_store(IO(IOAPIC_EOIR), 4, 0xFF);
    hostile_step(w, "every redirection entry written with all ones, then masked");
    for (unsigned pin = 0; pin < pins && pin < 120; pin++) {
        guest_ioapic_write(IOAPIC_REDIR_LO(pin), 0xFFFFFFFFu);
        guest_ioapic_write(IOAPIC_REDIR_LO(pin) + 1, 0xFFFFFFFFu);
    }
    for (unsigned pin = 0; pin < pins && pin < 120; pin++)
        guest_ioapic_route(pin, (uint32_t)IOREDIR_MASKED, 0);
    hostile_window(20);

    hostile_step(w, "PIT at 1 kHz on pin 2");
    pc_pit_periodic((PIT_HZ + 500) / 1000);
    for (unsigned i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        guest_printf("hostile: ioapic: pin 2 %s\n", routes[i].what);
        guest_ioapic_route(IOAPIC_PIN_PIT, routes[i].low, routes[i].dest);
        hostile_window(100);
        guest_ioapic_route(IOAPIC_PIN_PIT, (uint32_t)IOREDIR_MASKED, 0);
        guest_lapic_write(LAPIC_EOI, 0);
    }
    guest_printf("hostile: ioapic: %u interrupts, %u NMIs (checksum %llu)\n", hostile_irqs, hostile_nmis,
                 (unsigned long long)sum);
    hostile_step(w, "survived");
    return 0;
}
