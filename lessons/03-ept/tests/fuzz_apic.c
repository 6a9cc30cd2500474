/**
 * @file fuzz_apic.c
 * @brief libFuzzer target: arbitrary guest register accesses, pin changes
 *        and clock steps against the local APIC and I/O APIC models wired
 *        together as on a PC (I/O APIC messages to the local APIC, its
 *        level EOIs back).  Sanitizers catch any out-of-bounds access,
 *        overflow or undefined shift the hostile input provokes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "apic/ioapic.h"
#include "apic/lapic.h"

static bool to_lapic(void *ctx, const struct apic_msg *m)
{
    return lapic_receive(ctx, m);
}

static void to_ioapic(void *ctx, uint8_t vector)
{
    ioapic_eoi(ctx, vector);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct lapic l;
    static struct ioapic io;
    lapic_reset(&l, 1000000u + (size ? data[0] : 0) * 37000000ull);
    ioapic_reset(&io);
    ioapic_set_sink(&io, to_lapic, &l);
    lapic_set_eoi_hook(&l, to_ioapic, &io);
    uint64_t now = 0;
    /* Each operation: 1 byte kind, 2 bytes offset, 1 byte size, 8 bytes value. */
    for (size_t i = 1; i + 12 <= size; i += 12) {
        uint8_t kind = data[i];
        uint32_t off = (uint32_t)(data[i + 1] | data[i + 2] << 8) & 0xfff;
        unsigned sz = 1u << (data[i + 3] & 3);
        uint64_t v;
        memcpy(&v, data + i + 4, 8);
        now += (v >> 40) & 0xffff;
        switch (kind % 10) {
        case 0: (void)lapic_read(&l, off, sz, now); break;
        case 1: lapic_write(&l, off, sz, v, now); break;
        case 2: (void)ioapic_read(&io, off, sz); break;
        case 3: ioapic_write(&io, off, sz, v); break;
        case 4: ioapic_set_pin(&io, (unsigned)(v % 26), v & 0x100); break;
        case 5: lapic_update(&l, now); (void)lapic_timer_next(&l); break;
        case 6: (void)lapic_ack(&l); break;
        case 7: (void)lapic_set_base(&l, v); break;
        case 8: lapic_set_tsc_deadline(&l, v >> 8, now); break;
        default: lapic_set_cr8(&l, v & 0xf); now += v & 0xffffff; break;
        }
    }
    return 0;
}
