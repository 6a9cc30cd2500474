/**
 * @file test_virtqueue.c
 * @brief Unit tests of the split-virtqueue walker (virtio/virtqueue.c):
 *        good chains (direct, indirect, mixed, index wrap-around) and
 *        every hostile case, each refused with its rule, in bounded time
 *        and with no access outside guest RAM.
 */
#include <check.h>
#include <stdint.h>

#include "check_main.h"
#include "virtio/virtqueue.h"
#include "vq_test_mem.h"

static struct vqt_mem g;
static struct vq_mem mem;
static struct vq q;
static struct vq_chain c;
static struct vq_fault f;

#define R 0
#define W VIRTQ_DESC_F_WRITE
#define N VIRTQ_DESC_F_NEXT
#define I VIRTQ_DESC_F_INDIRECT

static void setup(void)
{
    vqt_init(&g, &mem);
    q = vqt_queue(8, true);
    f = (struct vq_fault){ VQ_OK, 0 };
}

static void teardown(void)
{
    ck_assert_uint_eq(g.strays, 0);
}

/* Pop and expect rule @p r. */
static void expect(enum vq_rule r)
{
    enum vq_rule got = vq_pop(&mem, &q, &c, &f);
    ck_assert_msg(got == r, "expected rule %d (%s), got %d (%s)", r, vq_rule_name(r), got, vq_rule_name(got));
    if (r != VQ_OK && r != VQ_EMPTY)
        ck_assert_int_eq(f.rule, r);
}

START_TEST(layout_ok)
{
    ck_assert_int_eq(vq_check_layout(&mem, &q, 8, &f), VQ_OK);
}
END_TEST

START_TEST(layout_bad)
{
    q.num = 6;
    ck_assert_int_eq(vq_check_layout(&mem, &q, 8, &f), VQ_BAD_SIZE);
    q.num = 16;
    ck_assert_int_eq(vq_check_layout(&mem, &q, 8, &f), VQ_BAD_SIZE);      /* above QueueNumMax */
    q.num = 0;
    ck_assert_int_eq(vq_check_layout(&mem, &q, 8, &f), VQ_BAD_SIZE);
    q = vqt_queue(8, true);
    q.desc += 8;
    ck_assert_int_eq(vq_check_layout(&mem, &q, 8, &f), VQ_RING_ALIGN);
    q = vqt_queue(8, true);
    q.used += 2;
    ck_assert_int_eq(vq_check_layout(&mem, &q, 8, &f), VQ_RING_ALIGN);
    q = vqt_queue(8, true);
    q.avail = 0x1000;                                                    /* below RAM */
    ck_assert_int_eq(vq_check_layout(&mem, &q, 8, &f), VQ_RING_RANGE);
    ck_assert_uint_eq(f.gpa, 0x1000);
    q = vqt_queue(8, true);
    q.used = VQT_RAM_BASE + VQT_BYTES - 16;                              /* runs past the end */
    ck_assert_int_eq(vq_check_layout(&mem, &q, 8, &f), VQ_RING_RANGE);
    q = vqt_queue(8, true);
    q.desc = UINT64_MAX - 15;                                            /* wraps */
    ck_assert_int_eq(vq_check_layout(&mem, &q, 8, &f), VQ_RING_RANGE);
}
END_TEST

START_TEST(empty)
{
    expect(VQ_EMPTY);
    q.ready = false;
    vqt_offer(&g, 8, 0);
    expect(VQ_EMPTY);
}
END_TEST

START_TEST(good_chain_and_push)
{
    vqt_desc(&g, VQT_DESC, 3, VQT_BUF, 10, R | N, 5);
    vqt_desc(&g, VQT_DESC, 5, VQT_BUF + 0x100, 20, R | N, 1);
    vqt_desc(&g, VQT_DESC, 1, VQT_BUF + 0x200, 30, W, 0);
    vqt_offer(&g, 8, 3);
    expect(VQ_OK);
    ck_assert_uint_eq(c.head, 3);
    ck_assert_uint_eq(c.nseg, 3);
    ck_assert_uint_eq(c.readable, 30);
    ck_assert_uint_eq(c.writable, 30);
    ck_assert(!c.seg[0].write && !c.seg[1].write && c.seg[2].write);
    ck_assert_uint_eq(c.seg[1].gpa, VQT_BUF + 0x100);
    expect(VQ_EMPTY);
    ck_assert_int_eq(vq_push(&mem, &q, 3, 17, &f), VQ_OK);
    ck_assert_uint_eq(vqt_get16(&g, VQT_USED + 2), 1);
    ck_assert_uint_eq(vqt_get32(&g, VQT_USED + 4), 3);
    ck_assert_uint_eq(vqt_get32(&g, VQT_USED + 8), 17);
    ck_assert_int_eq(vq_push(&mem, &q, 3, 0, &f), VQ_USED_ID);     /* nothing in flight any more */
}
END_TEST

START_TEST(longest_chain_is_queue_size)
{
    for (unsigned i = 0; i < 8; i++)
        vqt_desc(&g, VQT_DESC, i, VQT_BUF + 16 * i, 16, i < 7 ? N : 0, (uint16_t)(i + 1));
    vqt_offer(&g, 8, 0);
    expect(VQ_OK);
    ck_assert_uint_eq(c.nseg, 8);
}
END_TEST

START_TEST(index_wraps_around)
{
    /* Free-running 16-bit indexes: 0xffff -> 0 is not a jump. */
    q.last_avail = 0xffff;
    q.used_idx = 0xffff;
    vqt_put16(&g, VQT_AVAIL + 2, 0xffff);
    vqt_desc(&g, VQT_DESC, 0, VQT_BUF, 4, R, 0);
    vqt_desc(&g, VQT_DESC, 1, VQT_BUF, 4, W, 0);
    vqt_offer(&g, 8, 0);
    vqt_offer(&g, 8, 1);
    expect(VQ_OK);
    ck_assert_uint_eq(c.head, 0);
    expect(VQ_OK);
    ck_assert_uint_eq(c.head, 1);
    ck_assert_uint_eq(q.last_avail, 1);
    ck_assert_int_eq(vq_push(&mem, &q, 0, 0, &f), VQ_OK);
    ck_assert_uint_eq(vqt_get16(&g, VQT_USED + 2), 0);
}
END_TEST

START_TEST(indirect_good)
{
    uint64_t t = VQT_BUF + 0x1000;
    vqt_desc(&g, t, 0, VQT_BUF, 8, R | N, 2);
    vqt_desc(&g, t, 2, VQT_BUF + 0x10, 8, R | N, 1);
    vqt_desc(&g, t, 1, VQT_BUF + 0x20, 100, W, 0);
    vqt_desc(&g, VQT_DESC, 4, t, 3 * 16, I, 0);
    vqt_offer(&g, 8, 4);
    expect(VQ_OK);
    ck_assert_uint_eq(c.head, 4);
    ck_assert_uint_eq(c.nseg, 3);
    ck_assert_uint_eq(c.writable, 100);
    ck_assert_uint_eq(c.seg[2].gpa, VQT_BUF + 0x20);
}
END_TEST

START_TEST(direct_then_indirect)
{
    /* A direct descriptor whose NEXT leads to an indirect one (allowed). */
    uint64_t t = VQT_BUF + 0x1000;
    vqt_desc(&g, t, 0, VQT_BUF + 0x40, 8, W, 0);
    vqt_desc(&g, VQT_DESC, 0, VQT_BUF, 8, R | N, 1);
    vqt_desc(&g, VQT_DESC, 1, t, 16, I, 0);
    vqt_offer(&g, 8, 0);
    expect(VQ_OK);
    ck_assert_uint_eq(c.nseg, 2);
}
END_TEST

START_TEST(loop_two)
{
    vqt_desc(&g, VQT_DESC, 0, VQT_BUF, 8, R | N, 1);
    vqt_desc(&g, VQT_DESC, 1, VQT_BUF, 8, R | N, 0);
    vqt_offer(&g, 8, 0);
    expect(VQ_CHAIN_LOOP);
    ck_assert_uint_le(g.reads, 2 + 9 + 1);   /* idx, head, at most N+1 descriptors */
}
END_TEST

START_TEST(loop_self)
{
    vqt_desc(&g, VQT_DESC, 7, VQT_BUF, 8, W | N, 7);
    vqt_offer(&g, 8, 7);
    expect(VQ_CHAIN_LOOP);
    ck_assert_uint_le(g.reads, 2 + 9);       /* stopped by the bound, not by the segment array filling up */
}
END_TEST

START_TEST(loop_in_indirect)
{
    uint64_t t = VQT_BUF + 0x1000;
    vqt_desc(&g, t, 0, VQT_BUF, 8, R | N, 1);
    vqt_desc(&g, t, 1, VQT_BUF, 8, R | N, 0);
    vqt_desc(&g, VQT_DESC, 0, t, 2 * 16, I, 0);
    vqt_offer(&g, 8, 0);
    expect(VQ_CHAIN_LOOP);
    ck_assert_uint_le(g.reads, 2 + 9);
}
END_TEST

START_TEST(indirect_nested)
{
    uint64_t t = VQT_BUF + 0x1000, t2 = VQT_BUF + 0x2000;
    vqt_desc(&g, t2, 0, VQT_BUF, 8, R, 0);
    vqt_desc(&g, t, 0, t2, 16, I, 0);
    vqt_desc(&g, VQT_DESC, 0, t, 16, I, 0);
    vqt_offer(&g, 8, 0);
    expect(VQ_INDIRECT_NESTED);
    ck_assert_uint_eq(f.gpa, t);
}
END_TEST

START_TEST(indirect_with_next)
{
    vqt_desc(&g, VQT_DESC, 0, VQT_BUF + 0x1000, 16, I | N, 1);
    vqt_offer(&g, 8, 0);
    expect(VQ_INDIRECT_NEXT);
}
END_TEST

START_TEST(indirect_not_negotiated)
{
    q.indirect_ok = false;
    vqt_desc(&g, VQT_DESC, 0, VQT_BUF + 0x1000, 16, I, 0);
    vqt_offer(&g, 8, 0);
    expect(VQ_INDIRECT_FEATURE);
}
END_TEST

START_TEST(indirect_bad_len)
{
    static const uint32_t lens[] = { 0, 17, 8, 9 * 16, 0xfffffff0u };
    for (unsigned k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        setup();
        vqt_desc(&g, VQT_DESC, 0, VQT_BUF + 0x1000, lens[k], I, 0);
        vqt_offer(&g, 8, 0);
        expect(VQ_INDIRECT_LEN);
    }
}
END_TEST

START_TEST(indirect_outside_ram)
{
    vqt_desc(&g, VQT_DESC, 0, 0x1000, 32, I, 0);
    vqt_offer(&g, 8, 0);
    expect(VQ_INDIRECT_RANGE);
    ck_assert_uint_eq(f.gpa, 0x1000);
    setup();
    vqt_desc(&g, VQT_DESC, 0, UINT64_MAX - 15, 32, I, 0);    /* wraps */
    vqt_offer(&g, 8, 0);
    expect(VQ_INDIRECT_RANGE);
}
END_TEST

START_TEST(buffer_outside_ram)
{
    vqt_desc(&g, VQT_DESC, 0, 0xfee00000, 4, R, 0);                          /* a device page */
    vqt_offer(&g, 8, 0);
    expect(VQ_BUF_RANGE);
    ck_assert_uint_eq(f.gpa, 0xfee00000);
    setup();
    vqt_desc(&g, VQT_DESC, 0, VQT_RAM_BASE + VQT_BYTES - 4, 8, W, 0);       /* across the end */
    vqt_offer(&g, 8, 0);
    expect(VQ_BUF_RANGE);
    setup();
    vqt_desc(&g, VQT_DESC, 0, UINT64_MAX - 3, 8, W, 0);                     /* wraps */
    vqt_offer(&g, 8, 0);
    expect(VQ_BUF_RANGE);
    setup();
    vqt_desc(&g, VQT_DESC, 0, VQT_BUF, 8, R | N, 1);                         /* second one bad */
    vqt_desc(&g, VQT_DESC, 1, VQT_RAM_BASE - 8, 8, W, 0);
    vqt_offer(&g, 8, 0);
    expect(VQ_BUF_RANGE);
}
END_TEST

START_TEST(total_length_overflows)
{
    g.ram_size = 1ull << 36;    /* is_ram believes 64 GiB, so only the sum can refuse */
    vqt_desc(&g, VQT_DESC, 0, VQT_BUF, 0xffffffffu, R | N, 1);
    vqt_desc(&g, VQT_DESC, 1, VQT_BUF, 1, W, 0);
    vqt_offer(&g, 8, 0);
    expect(VQ_TOTAL_LEN);
}
END_TEST

START_TEST(read_after_write)
{
    vqt_desc(&g, VQT_DESC, 0, VQT_BUF, 8, W | N, 1);
    vqt_desc(&g, VQT_DESC, 1, VQT_BUF, 8, R, 0);
    vqt_offer(&g, 8, 0);
    expect(VQ_READ_AFTER_WRITE);
    setup();
    vqt_desc(&g, VQT_DESC, 0, VQT_BUF, 0, W | N, 1);      /* an empty writable one counts too (found by fuzz_virtqueue) */
    vqt_desc(&g, VQT_DESC, 1, VQT_BUF, 8, R, 0);
    vqt_offer(&g, 8, 0);
    expect(VQ_READ_AFTER_WRITE);
}
END_TEST

START_TEST(head_and_next_range)
{
    vqt_offer(&g, 8, 8);
    expect(VQ_HEAD_RANGE);
    setup();
    vqt_offer(&g, 8, 0xffff);
    expect(VQ_HEAD_RANGE);
    setup();
    vqt_desc(&g, VQT_DESC, 0, VQT_BUF, 8, R | N, 200);
    vqt_offer(&g, 8, 0);
    expect(VQ_NEXT_RANGE);
    setup();
    uint64_t t = VQT_BUF + 0x1000;                  /* next past an indirect table's end */
    vqt_desc(&g, t, 0, VQT_BUF, 8, R | N, 2);
    vqt_desc(&g, VQT_DESC, 0, t, 2 * 16, I, 0);
    vqt_offer(&g, 8, 0);
    expect(VQ_NEXT_RANGE);
}
END_TEST

START_TEST(avail_jump)
{
    vqt_desc(&g, VQT_DESC, 0, VQT_BUF, 8, R, 0);
    vqt_put16(&g, VQT_AVAIL + 2, 9);                /* 9 chains with 8 descriptors */
    expect(VQ_AVAIL_JUMP);
    setup();
    vqt_put16(&g, VQT_AVAIL + 2, 0x8000);
    expect(VQ_AVAIL_JUMP);
    setup();
    vqt_put16(&g, VQT_AVAIL + 2, 8);                /* exactly N: fine */
    expect(VQ_OK);
}
END_TEST

START_TEST(no_interrupt_flag)
{
    ck_assert(vq_want_interrupt(&mem, &q));
    vqt_put16(&g, VQT_AVAIL, VIRTQ_AVAIL_F_NO_INTERRUPT);
    ck_assert(!vq_want_interrupt(&mem, &q));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("virtqueue");
    TCase *good = tcase_create("good");
    tcase_add_checked_fixture(good, setup, teardown);
    tcase_add_test(good, layout_ok);
    tcase_add_test(good, empty);
    tcase_add_test(good, good_chain_and_push);
    tcase_add_test(good, longest_chain_is_queue_size);
    tcase_add_test(good, index_wraps_around);
    tcase_add_test(good, indirect_good);
    tcase_add_test(good, direct_then_indirect);
    tcase_add_test(good, no_interrupt_flag);
    suite_add_tcase(s, good);
    TCase *bad = tcase_create("hostile");
    tcase_set_timeout(bad, 5);    /* a walker that loops fails here, not by hanging */
    tcase_add_checked_fixture(bad, setup, teardown);
    tcase_add_test(bad, layout_bad);
    tcase_add_test(bad, loop_two);
    tcase_add_test(bad, loop_self);
    tcase_add_test(bad, loop_in_indirect);
    tcase_add_test(bad, indirect_nested);
    tcase_add_test(bad, indirect_with_next);
    tcase_add_test(bad, indirect_not_negotiated);
    tcase_add_test(bad, indirect_bad_len);
    tcase_add_test(bad, indirect_outside_ram);
    tcase_add_test(bad, buffer_outside_ram);
    tcase_add_test(bad, total_length_overflows);
    tcase_add_test(bad, read_after_write);
    tcase_add_test(bad, head_and_next_range);
    tcase_add_test(bad, avail_jump);
    suite_add_tcase(s, bad);
    return s;
}

CHECK_MAIN(suite)
