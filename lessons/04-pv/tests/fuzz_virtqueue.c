/**
 * @file fuzz_virtqueue.c
 * @brief libFuzzer target for the split-virtqueue walker
 *        (virtio/virtqueue.c).
 *
 * The input is a header (queue size, whether indirect descriptors were
 * negotiated, the device's last_avail, whether is_ram() believes in
 * 64 GiB of RAM) and then the guest's first bytes of RAM: available
 * ring at +0 (so even a short input offers chains), descriptor table at
 * +0x100, used ring at +0x600, the rest for indirect tables.  The walker pops and pushes until the queue is
 * empty or refused; each chain it accepts is checked (at most QueueNum
 * segments, every one in RAM, readable before writable, lengths adding
 * up), and the guest memory aborts on any access the walker had not
 * checked.  AddressSanitizer catches any access outside the buffers,
 * UBSan any undefined arithmetic; a loop shows up as a timeout.
 *
 *     make fuzz && build/host/fuzz/fuzz_virtqueue -max_total_time=60 -max_len=4096
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/virtqueue.h"
#include "vq_test_mem.h"

static struct vqt_mem g;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vq_mem mem;
    if (size < 4)
        return 0;
    vqt_init(&g, &mem);
    struct vq q = { 0 };
    q.num = (uint16_t)(1u << (data[0] % 7));        /* 1 .. 64 */
    q.indirect_ok = data[0] & 0x80;
    q.ready = true;
    q.last_avail = q.used_idx = (uint16_t)(data[1] | data[2] << 8);
    if (data[3] & 1)
        g.ram_size = 1ull << 36;                     /* lengths then only refused by their sum */
    q.avail = VQT_RAM_BASE;
    q.desc = VQT_RAM_BASE + 0x100;
    q.used = VQT_RAM_BASE + 0x600;
    size_t n = size - 4 < VQT_BYTES ? size - 4 : VQT_BYTES;
    memcpy(g.b, data + 4, n);

    struct vq_fault f;
    if (vq_check_layout(&mem, &q, VQ_NUM_MAX, &f) != VQ_OK)
        abort();                                      /* the layout above is always good */
    for (unsigned round = 0; round < 2u * VQ_NUM_MAX; round++) {
        struct vq_chain c;
        uint16_t before = q.last_avail;
        enum vq_rule r = vq_pop(&mem, &q, &c, &f);
        if (r == VQ_EMPTY)
            break;
        if (r != VQ_OK) {
            if (f.rule != r || r >= VQ_RULES || q.last_avail != before)
                abort();
            break;
        }
        if (c.nseg == 0 || c.nseg > q.num || c.head >= q.num || q.last_avail != (uint16_t)(before + 1))
            abort();
        uint64_t rd = 0, wr = 0;
        bool seen_write = false;
        for (unsigned i = 0; i < c.nseg; i++) {
            if (c.seg[i].len && !vqt_is_ram(&g, c.seg[i].gpa, c.seg[i].len))
                abort();
            if (!c.seg[i].write && seen_write)
                abort();
            seen_write |= c.seg[i].write;
            *(c.seg[i].write ? &wr : &rd) += c.seg[i].len;
        }
        if (rd != c.readable || wr != c.writable || rd + wr > UINT32_MAX)
            abort();
        if (vq_push(&mem, &q, c.head, c.writable, &f) != VQ_OK)
            abort();                                  /* the used ring is always RAM here */
    }
    if (g.strays)
        abort();
    return 0;
}
