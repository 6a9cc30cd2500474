/**
 * @file irq_storm.c
 * @brief Hostile guest for the legacy devices and the port bus: the 8254
 *        at its fastest and with nonsense modes, the 8259 pair fed
 *        nonsense command sequences (case HOSTILE_PIT_PIC), and a sweep of
 *        the port space at every width plus string I/O (HOSTILE_PORTS).
 *
 * The sweep leaves out the ports whose writes would end the test rather
 * than test Spectrum: 0xF4-0xF7 (debug exit: the VM's own "power off"),
 * COM1 0x3F8-0x3FF (the guest's console), 0x71 (the RTC's data: the next
 * VM reads the clock), 0x92, 0xCF9 and the 8042's 0x64 (reset).  Reads go
 * everywhere.
 */
#include "guest/guest.h"
#include "irq_guest.h"
#include "irq_hostile.h"
#include "pc_timer.h"

static bool write_ok(unsigned port, unsigned width)
{
    unsigned last = port + width - 1;
    return !(last >= 0xF4 && port <= 0xF7) && !(last >= 0x3F8 && port <= 0x3FF) && !(last >= 0x71 && port <= 0x71) &&
           !(last >= 0x92 && port <= 0x92) && !(last >= 0xCF9 && port <= 0xCF9) && !(last >= 0x64 && port <= 0x64);
}

static int pit_pic(void)
{
    const char *w = "pit-pic";
    hostile_step(w, "8259s: IRQ0 only, vectors 0x20/0x28");
    pc_pic_init(0x20, 0xFE, 0xFF);
    static const uint16_t counts[] = { 1, 2, 3, 0 };
    for (unsigned i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        guest_printf("hostile: pit-pic: channel 0 mode 2 count %u, 200-exit window\n", counts[i]);
        unsigned before = hostile_irqs;
        guest_outb(PC_PIC1_DATA, 0xFE);   /* a storm in the last window masked it */
        pc_pit_periodic(counts[i]);
        hostile_window(200);
        guest_printf("hostile: pit-pic: %u interrupts\n", hostile_irqs - before);
    }
    hostile_step(w, "every mode with count 1 on channels 0-2, BCD with invalid digits, read-back commands");
    for (unsigned ch = 0; ch < 3; ch++)
        for (unsigned mode = 0; mode < 8; mode++) {
            guest_outb(PIT_PORT_CMD, (uint8_t)((ch << 6) | 0x30 | (mode << 1)));
            guest_outb((uint16_t)(PIT_PORT_CH0 + ch), 1);
            guest_outb((uint16_t)(PIT_PORT_CH0 + ch), 0);
            guest_outb(PIT_PORT_CMD, (uint8_t)((ch << 6) | 0x31 | (mode << 1)));   /* BCD */
            guest_outb((uint16_t)(PIT_PORT_CH0 + ch), 0xFF);
            guest_outb((uint16_t)(PIT_PORT_CH0 + ch), 0xFF);
        }
    for (unsigned v = 0xC0; v <= 0xFF; v++) {
        guest_outb(PIT_PORT_CMD, (uint8_t)v);   /* read-back: every combination */
        (void)guest_inb(PIT_PORT_CH0);
        (void)guest_inb(PIT_PORT_CH2);
    }
    for (unsigned i = 0; i < 200; i++)
        guest_outb(PIT_PORT_CMD, 0x00);         /* counter latch, never read */
    (void)guest_inb(PIT_PORT_CMD);
    hostile_window(50);
    hostile_step(w, "8259: EOIs with nothing in service, every OCW2 and OCW3, poll mode, special mask");
    for (unsigned i = 0; i < 300; i++)
        guest_outb(PC_PIC1_CMD, PC_PIC_EOI);
    for (unsigned v = 0; v < 0x100; v += 0x08) {
        if ((v & 0x18) == 0x00)
            guest_outb(PC_PIC1_CMD, (uint8_t)(v | 0x00));   /* OCW2 */
        guest_outb(PC_PIC2_CMD, (uint8_t)((v & 0xE7) | 0x08));   /* OCW3 */
        (void)guest_inb(PC_PIC1_CMD);
        (void)guest_inb(PC_PIC2_CMD);
    }
    guest_outb(PC_PIC1_CMD, 0x0C);   /* poll */
    (void)guest_inb(PC_PIC1_CMD);
    guest_outb(PC_PIC1_CMD, 0x68);   /* special mask mode on */
    hostile_window(50);
    hostile_step(w, "8259: ICW1 without ICW4, level mode, AEOI, nonsense ICW3, ELCR 0x4d0/0x4d1");
    guest_outb(PC_PIC1_CMD, 0x18);   /* ICW1: level, no ICW4 */
    guest_outb(PC_PIC1_DATA, 0x20);
    guest_outb(PC_PIC1_DATA, 0xFF);  /* ICW3: slaves everywhere */
    guest_outb(PC_PIC1_CMD, 0x13);   /* ICW1: single, ICW4 follows */
    guest_outb(PC_PIC1_DATA, 0x20);
    guest_outb(PC_PIC1_DATA, 0x03);  /* ICW4: AEOI */
    guest_outb(0x4D0, 0xFF);
    guest_outb(0x4D1, 0xFF);
    guest_outb(PC_PIC1_DATA, 0xFE);
    pc_pit_periodic(100);
    hostile_window(100);
    hostile_step(w, "8259: vector base 0x00 (exception vectors) with IRQ0 unmasked");
    pc_pic_init(0x00, 0xFE, 0xFF);
    hostile_window(100);
    guest_outb(PC_PIC1_DATA, 0xFF);
    guest_printf("hostile: pit-pic: %u interrupts in all\n", hostile_irqs);
    hostile_step(w, "survived");
    return 0;
}

static int ports(void)
{
    const char *w = "ports";
    uint64_t sum = 0;
    /* Every port below 0x1000 (where the PC's devices live), every 16th
     * above: some 8000 exits, a few seconds under Bochs. */
    hostile_step(w, "byte reads of every port 0x0000-0x0fff, every 16th up to 0xffff");
    for (unsigned p = 0; p <= 0xFFFF; p += p < 0x1000 ? 1 : 16)
        sum += guest_inb((uint16_t)p);
    hostile_step(w, "word and dword reads of 0x0000-0x0fff, and across the top at 0xffff, 0xfffd");
    for (unsigned p = 0; p < 0x1000; p += 2)
        sum += guest_inw((uint16_t)p);
    for (unsigned p = 0; p < 0x1000; p += 4)
        sum += guest_inl((uint16_t)p);
    sum += guest_inw(0xFFFF) + guest_inl(0xFFFD) + guest_inl(0xFFFF);
    hostile_step(w, "byte, word and dword writes of all ones to 0x000-0x3ff and 0xcf8-0xcff");
    for (unsigned width = 1; width <= 4; width *= 2)
        for (unsigned p = 0; p < 0x400; p += width)
            if (write_ok(p, width)) {
                if (width == 1)
                    guest_outb((uint16_t)p, 0xFF);
                else if (width == 2)
                    guest_outw((uint16_t)p, 0xFFFF);
                else
                    guest_outl((uint16_t)p, 0xFFFFFFFFu);
            }
    guest_outl(0xCF8, 0xFFFFFFFFu);
    guest_outl(0xCFC, 0xFFFFFFFFu);
    guest_outw(0xFFFF, 0xFFFF);
    guest_outl(0xFFFE, 0xFFFFFFFFu);
    guest_outb(0x70, 0x0B);          /* leave the RTC index somewhere harmless */
    guest_outb(0x21, 0xFF);
    guest_outb(0xA1, 0xFF);
    guest_printf("hostile: ports: checksum %llu, %u interrupts\n", (unsigned long long)sum, hostile_irqs);
    hostile_step(w, "string I/O: rep insb/insw/insl from 0x80, rep outsb to 0x80, rep outsb to 0xfffe");
    static uint8_t buf[1024];
    void *d = buf;
    unsigned long n = 256;
    __asm__ volatile("cld; rep insb" : "+D"(d), "+c"(n) : "d"(0x80) : "memory");
    d = buf, n = 128;
    __asm__ volatile("rep insw" : "+D"(d), "+c"(n) : "d"(0x80) : "memory");
    d = buf, n = 64;
    __asm__ volatile("rep insl" : "+D"(d), "+c"(n) : "d"(0x80) : "memory");
    const void *s = buf;
    n = 256;
    __asm__ volatile("rep outsb" : "+S"(s), "+c"(n) : "d"(0x80) : "memory");
    s = buf, n = 16;
    __asm__ volatile("rep outsb" : "+S"(s), "+c"(n) : "d"(0xFFFE) : "memory");
    hostile_step(w, "string input into the APIC page (an MMIO destination)");
    d = (void *)0xFEE00080ul, n = 4;
    __asm__ volatile("rep insb" : "+D"(d), "+c"(n) : "d"(0x80) : "memory");
    hostile_step(w, "survived");
    return 0;
}

int guest_main(void)
{
    hostile_init();
    switch (plat_request()) {
    case HOSTILE_PIT_PIC: return pit_pic();
    case HOSTILE_PORTS: return ports();
    default: guest_printf("hostile: storm: no case in the mailbox (%u)\n", (unsigned)plat_request()); return 1;
    }
}
