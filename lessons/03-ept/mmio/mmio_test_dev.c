/**
 * @file mmio_test_dev.c
 * @brief "mmio-test": a device whose only purpose is to let test guests
 *        exercise every instruction form mmio/mmio_emul.c emulates and
 *        check what reached the bus.
 *
 * Guest-physical 0xFEB00000, 4 KiB (MMIO_TEST_BASE/SIZE in mmio_test_dev.h).
 * All values little-endian.  Offsets from the base:
 *
 *     0x000-0x0FF  scratch: 256 bytes of storage.  Read or write 1, 2, 4 or
 *                  8 bytes at ANY offset (unaligned too) as long as the
 *                  access ends at or before 0x100; one that would cross
 *                  0x100 reads all ones and its write is dropped.
 *     0x100  RO 8  ACCESSES: number of accesses to this device before the
 *                  current one (every read and write anywhere in the 4 KiB
 *                  counts, ignored ones included).
 *     0x108  RO 8  LAST: descriptor of the previous access:
 *                  bits 3:0 size (1, 2, 4, 8), bit 8 = 1 for a write,
 *                  bits 31:16 offset; 0 before the first access.
 *     0x110  RO 8  LAST_VALUE: the value of the last write (any offset,
 *                  ignored writes included), zero-extended from its size.
 *     0x118  RO 8  IGNORED: number of writes that were dropped (to
 *                  0x100-0xFFF, or crossing 0x100).
 *     0x120-0xFFF  reads all ones, writes ignored (and counted).
 *
 * The registers at 0x100-0x11F can be read at any size and offset: the
 * bytes are those of the four 64-bit values above, taken before the
 * current access is counted; bytes past 0x11F read as 0xFF.
 */
#include "mmio/mmio_test_dev.h"

#include "mmio/mmio_bus.h"

/** @brief One machine's mmio-test state. */
struct mmio_test_state {
    uint8_t scratch[MMIO_TEST_SCRATCH_SIZE]; /**< offsets 0x000-0x0FF */
    uint64_t reg[4];    /**< ACCESSES, LAST, LAST_VALUE, IGNORED (offsets 0x100-0x11F) */
};

#define REG_ACCESSES  0
#define REG_LAST      1
#define REG_VALUE     2
#define REG_IGNORED   3
#define REGS_END      (MMIO_TEST_REG_ACCESSES + 4 * 8)

static uint64_t byte_of(const struct mmio_test_state *s, uint64_t off)
{
    if (off < MMIO_TEST_SCRATCH_SIZE)
        return s->scratch[off];
    if (off >= MMIO_TEST_REG_ACCESSES && off < REGS_END) {
        uint64_t r = off - MMIO_TEST_REG_ACCESSES;
        return (s->reg[r / 8] >> (8 * (r % 8))) & 0xff;
    }
    return 0xff;
}

/* Count the access and describe it in LAST (after the read value was formed). */
static void record(struct mmio_test_state *s, uint64_t off, unsigned size, bool write)
{
    s->reg[REG_ACCESSES]++;
    s->reg[REG_LAST] = (uint64_t)(size & 0xf) | (write ? 0x100u : 0) | ((off & 0xffff) << 16);
}

static bool crosses_scratch(uint64_t off, unsigned size)
{
    return off < MMIO_TEST_SCRATCH_SIZE && size > MMIO_TEST_SCRATCH_SIZE - off;
}

static uint64_t mmio_test_read(struct vm *vm, void *state, uint64_t offset, unsigned size)
{
    struct mmio_test_state *s = state;
    (void)vm;
    uint64_t v = 0;
    if (size > 8 || crosses_scratch(offset, size) || offset >= MMIO_TEST_SIZE)
        v = ~0ull;
    else
        for (unsigned i = 0; i < size; i++)
            v |= byte_of(s, offset + i) << (8 * i);
    record(s, offset, size, false);
    return v;
}

static void mmio_test_write(struct vm *vm, void *state, uint64_t offset, unsigned size, uint64_t value)
{
    struct mmio_test_state *s = state;
    (void)vm;
    if (size <= 8 && offset < MMIO_TEST_SCRATCH_SIZE && !crosses_scratch(offset, size)) {
        for (unsigned i = 0; i < size; i++)
            s->scratch[offset + i] = (uint8_t)(value >> (8 * i));
    } else {
        s->reg[REG_IGNORED]++;
    }
    s->reg[REG_VALUE] = size >= 8 ? value : value & ((1ull << (8 * size)) - 1);
    record(s, offset, size, true);
}

REGISTER_MMIO_DEVICE(mmio_test, {
    .name = MMIO_TEST_NAME,
    .base = MMIO_TEST_BASE,
    .size = MMIO_TEST_SIZE,
    .state_size = sizeof(struct mmio_test_state),
    .init = 0,
    .read = mmio_test_read,
    .write = mmio_test_write,
});
