/**
 * @file cmos_ports.c
 * @brief The MC146818A (mc146818.h) on a VM's port bus at 0x70/0x71, its
 *        clock taken from the host's, and the PC's memory-size bytes in
 *        its RAM for lesson-03 machines.
 *
 * The chip's clock runs on "host seconds": host_rtc_now() is the host's
 * RTC read once and advanced by the TSC, and it is the model's time
 * base, so every VM's clock shows the host's date and ticks with it until
 * the guest sets its own.
 *
 * Every VM on this stage has the device, lesson-02 ones included: they
 * never touch these ports, and a guest that does gets a working clock.
 * For a lesson-03 machine the RAM bytes a BIOS would set up also tell the
 * memory size (IBM PC/AT Technical Reference, "CMOS RAM Address Map";
 * 0x34/0x35 as QEMU's and Bochs's BIOSes use them), which
 * pc_machine_create() sets with cmos_set_memory_size().
 */
#include "io/portbus.h"
#include "machine/pc_machine.h"
#include "vdev/host_rtc.h"
#include "vdev/legacy.h"
#include "vdev/mc146818.h"
#include "vm/vm.h"

#define CMOS_BASE_MEM_LO  0x15   /* base memory in KiB (640) */
#define CMOS_BASE_MEM_HI  0x16
#define CMOS_EXT_MEM_LO   0x17   /* KiB above 1 MiB, at most 0xffff */
#define CMOS_EXT_MEM_HI   0x18
#define CMOS_EXT_MEM2_LO  0x30   /* the same, as POST found it */
#define CMOS_EXT_MEM2_HI  0x31
#define CMOS_HIGH_MEM_LO  0x34   /* 64 KiB blocks above 16 MiB, at most 0xffff */
#define CMOS_HIGH_MEM_HI  0x35
#define MIB               (1024ull * 1024)

/** Per-VM CMOS state. */
struct cmos_dev {
    struct mc146818 chip;   /**< the registers and clock */
};

static uint64_t cmos_clock(void)
{
    int64_t s;
    host_rtc_now(&s);
    return s > 0 ? (uint64_t)s : 0;
}

static void cmos_init(struct vm *vm, void *st)
{
    (void)vm;
    struct cmos_dev *d = st;
    uint64_t now = cmos_clock();
    struct rtc_time t;
    rtc_from_seconds((int64_t)now, &t);
    mc146818_reset(&d->chip, &t, now);
}

static void put16(struct mc146818 *c, unsigned lo, uint64_t v)
{
    if (v > 0xffff)
        v = 0xffff;
    c->ram[lo] = (uint8_t)v;
    c->ram[lo + 1] = (uint8_t)(v >> 8);
}

void cmos_set_memory_size(struct vm *vm, uint64_t ram)
{
    struct cmos_dev *d = portbus_state(vm, "cmos");
    if (!d)
        return;
    put16(&d->chip, CMOS_BASE_MEM_LO, PC_LOW_RAM_END / 1024);
    uint64_t ext_kib = ram > PC_HIGH_RAM_BASE ? (ram - PC_HIGH_RAM_BASE) / 1024 : 0;
    put16(&d->chip, CMOS_EXT_MEM_LO, ext_kib);
    put16(&d->chip, CMOS_EXT_MEM2_LO, ext_kib);
    put16(&d->chip, CMOS_HIGH_MEM_LO, ram > 16 * MIB ? (ram - 16 * MIB) / (64 * 1024) : 0);
}

/* Byte-wide ports: a wider access reaches consecutive ports (the ISA bus
 * splits it), bytes past 0x71 go nowhere. */
static uint32_t cmos_read(struct vm *vm, void *st, uint16_t port, unsigned size)
{
    (void)vm;
    struct cmos_dev *d = st;
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        unsigned p = port + i;
        uint8_t b = 0xff;            /* the index port is write-only */
        if (p == CMOS_PORT_DATA)
            b = mc146818_read_data(&d->chip, cmos_clock());
        v |= (uint32_t)b << (8 * i);
    }
    return v;
}

static void cmos_write(struct vm *vm, void *st, uint16_t port, unsigned size, uint32_t value)
{
    (void)vm;
    struct cmos_dev *d = st;
    for (unsigned i = 0; i < size; i++) {
        unsigned p = port + i;
        uint8_t b = (uint8_t)(value >> (8 * i));
        if (p == CMOS_PORT_INDEX)
            mc146818_write_index(&d->chip, b);
        else if (p == CMOS_PORT_DATA)
            mc146818_write_data(&d->chip, b, cmos_clock());
    }
}

REGISTER_PORT_DEVICE(cmos, {
    .name = "cmos",
    .base = CMOS_PORT_INDEX,
    .count = 2,
    .state_size = sizeof(struct cmos_dev),
    .init = cmos_init,
    .read = cmos_read,
    .write = cmos_write,
});

struct mc146818 *cmos_of(struct vm *vm)
{
    struct cmos_dev *d = portbus_state(vm, "cmos");
    return d ? &d->chip : 0;
}

bool cmos_nmi_masked(struct vm *vm)
{
    struct mc146818 *c = cmos_of(vm);
    return c && c->nmi_masked;
}
