/**
 * @file test_pmm.c
 * @brief Check tests for common/lib/pmm.c, the bitmap frame allocator.
 *
 * Covers: pmm_init (everything used, exact bitmap size touched, odd and
 * zero limits); pmm_add_free rounding inwards and pmm_reserve rounding
 * outwards; frame 0 never handed out; contiguous aligned allocation,
 * fragmentation and exhaustion; every way pmm_free must refuse (unaligned,
 * frame 0, out of range, count running past the end, double free, never
 * allocated, partly free), each leaving the state untouched; reserve
 * after free winning; regions above the limit and regions whose
 * base+len wraps 2^64; hostile counts and alignments; and a long
 * deterministic random alloc/free sequence checked against a reference
 * model.  Bitmaps are heap blocks of exactly the documented size followed
 * by a canary, so valgrind and the canary catch any stray access.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spectrum/pmm.h"

#include "check_main.h"

#define CANARY 0x5a

static struct pmm pm;
static uint8_t *bitmap;
static size_t bitmap_bytes;

/* Allocate the bitmap for @p limit exactly ((frames+7)/8 bytes, plus one
 * canary byte checked by teardown_bitmap) and initialise the allocator. */
static void setup_pmm(uint64_t limit)
{
    uint64_t frames = limit >> PAGE_SHIFT;
    bitmap_bytes = (size_t)((frames + 7) / 8);
    bitmap = malloc(bitmap_bytes + 1);
    ck_assert_ptr_nonnull(bitmap);
    memset(bitmap, 0, bitmap_bytes);
    bitmap[bitmap_bytes] = CANARY;
    pmm_init(&pm, bitmap, limit);
}

static void teardown_bitmap(void)
{
    ck_assert_int_eq(bitmap[bitmap_bytes], CANARY);
    free(bitmap);
    bitmap = NULL;
}

/* Number of frames whose bit says "used", counted independently. */
static uint64_t count_used(void)
{
    uint64_t n = 0;
    for (uint64_t f = 0; f < pm.frames; f++)
        n += pmm_is_used(&pm, f << PAGE_SHIFT);
    return n;
}

static void check_accounting(void)
{
    ck_assert_uint_eq(pm.free_frames, pm.frames - count_used());
}

/* Snapshot of everything pmm_free is not allowed to change on failure. */
struct snap {
    uint8_t bits[64];
    struct pmm pm;
};

static void take(struct snap *s)
{
    ck_assert_uint_le(bitmap_bytes, sizeof s->bits);
    memcpy(s->bits, bitmap, bitmap_bytes);
    s->pm = pm;
}

static void same(const struct snap *s)
{
    ck_assert_mem_eq(s->bits, bitmap, bitmap_bytes);
    ck_assert_uint_eq(s->pm.free_frames, pm.free_frames);
    ck_assert_uint_eq(s->pm.hint, pm.hint);
    ck_assert_uint_eq(s->pm.frames, pm.frames);
}

START_TEST(test_init_all_used)
{
    setup_pmm(64 * PAGE_SIZE);
    ck_assert_uint_eq(pm.frames, 64);
    ck_assert_uint_eq(pm.free_frames, 0);
    for (size_t i = 0; i < bitmap_bytes; i++)
        ck_assert_int_eq(bitmap[i], 0xff);
    ck_assert_uint_eq(count_used(), 64);
    ck_assert_uint_eq(pmm_alloc(&pm, 1, 0), 0);
    teardown_bitmap();

    /* A limit that is not a multiple of 8 frames nor of a page. */
    setup_pmm(13 * PAGE_SIZE + 123);
    ck_assert_uint_eq(pm.frames, 13);
    ck_assert_uint_eq(bitmap_bytes, 2);
    ck_assert_uint_eq(count_used(), 13);
    pmm_add_free(&pm, 0, UINT64_MAX);
    ck_assert_uint_eq(pm.free_frames, 12);      /* all but frame 0 */
    for (int i = 0; i < 12; i++) {
        uint64_t a = pmm_alloc(&pm, 1, 0);
        ck_assert_uint_ne(a, 0);
        ck_assert_uint_lt(a, 13 * PAGE_SIZE);   /* nothing past the limit */
    }
    ck_assert_uint_eq(pmm_alloc(&pm, 1, 0), 0);
    teardown_bitmap();

    /* Limit 0: nothing managed, nothing touched. */
    setup_pmm(PAGE_SIZE - 1);
    ck_assert_uint_eq(pm.frames, 0);
    pmm_add_free(&pm, 0, UINT64_MAX);
    pmm_reserve(&pm, 0, UINT64_MAX);
    ck_assert_uint_eq(pm.free_frames, 0);
    ck_assert_uint_eq(pmm_alloc(&pm, 1, 0), 0);
    ck_assert(!pmm_free(&pm, PAGE_SIZE, 1));
    ck_assert(pmm_is_used(&pm, 0));
    teardown_bitmap();
}
END_TEST

START_TEST(test_add_free_rounds_inwards)
{
    setup_pmm(64 * PAGE_SIZE);
    pmm_add_free(&pm, 0x1001, 0x3000);          /* [0x1001, 0x4001): frames 2, 3 */
    ck_assert(pmm_is_used(&pm, 0x1000));
    ck_assert(!pmm_is_used(&pm, 0x2000));
    ck_assert(!pmm_is_used(&pm, 0x3fff));
    ck_assert(pmm_is_used(&pm, 0x4000));
    ck_assert_uint_eq(pm.free_frames, 2);

    pmm_add_free(&pm, 0x5000, 0xfff);           /* less than a whole frame */
    ck_assert(pmm_is_used(&pm, 0x5000));
    pmm_add_free(&pm, 0x6800, 0x1000);          /* straddles, covers none whole */
    ck_assert(pmm_is_used(&pm, 0x6000));
    ck_assert(pmm_is_used(&pm, 0x7000));
    pmm_add_free(&pm, 0x8000, 0x1000);          /* exactly one frame */
    ck_assert(!pmm_is_used(&pm, 0x8000));
    ck_assert(pmm_is_used(&pm, 0x9000));
    pmm_add_free(&pm, 0xa000, 0);               /* empty */
    ck_assert(pmm_is_used(&pm, 0xa000));
    ck_assert_uint_eq(pm.free_frames, 3);

    /* Freeing again is idempotent: no double counting. */
    pmm_add_free(&pm, 0x2000, 0x2000);
    ck_assert_uint_eq(pm.free_frames, 3);
    check_accounting();
    teardown_bitmap();
}
END_TEST

START_TEST(test_reserve_rounds_outwards)
{
    setup_pmm(64 * PAGE_SIZE);
    pmm_add_free(&pm, 0, 64 * PAGE_SIZE);
    ck_assert_uint_eq(pm.free_frames, 63);

    pmm_reserve(&pm, 0x3001, 0x1000);           /* touches frames 3 and 4 */
    ck_assert(!pmm_is_used(&pm, 0x2000));
    ck_assert(pmm_is_used(&pm, 0x3000));
    ck_assert(pmm_is_used(&pm, 0x4000));
    ck_assert(!pmm_is_used(&pm, 0x5000));
    pmm_reserve(&pm, 0x7fff, 1);                /* a single byte */
    ck_assert(pmm_is_used(&pm, 0x7000));
    ck_assert(!pmm_is_used(&pm, 0x8000));
    pmm_reserve(&pm, 0x9000, 0x1000);           /* exactly one frame */
    ck_assert(pmm_is_used(&pm, 0x9000));
    ck_assert(!pmm_is_used(&pm, 0xa000));
    pmm_reserve(&pm, 0xb000, 0);                /* empty */
    ck_assert(!pmm_is_used(&pm, 0xb000));
    ck_assert_uint_eq(pm.free_frames, 63 - 4);

    pmm_reserve(&pm, 0x3000, 0x2000);           /* again: no double counting */
    ck_assert_uint_eq(pm.free_frames, 63 - 4);
    check_accounting();
    teardown_bitmap();
}
END_TEST

START_TEST(test_frame_zero_never)
{
    setup_pmm(16 * PAGE_SIZE);
    pmm_add_free(&pm, 0, 16 * PAGE_SIZE);
    ck_assert(pmm_is_used(&pm, 0));
    ck_assert_uint_eq(pm.free_frames, 15);
    pmm_add_free(&pm, 0, PAGE_SIZE);            /* explicitly: still used */
    ck_assert(pmm_is_used(&pm, 0));
    ck_assert(!pmm_free(&pm, 0, 1));            /* and cannot be freed */
    ck_assert(pmm_is_used(&pm, 0));

    uint64_t n = 0, a;
    while ((a = pmm_alloc(&pm, 1, 0)) != 0) {
        ck_assert_uint_ge(a, PAGE_SIZE);
        n++;
    }
    ck_assert_uint_eq(n, 15);
    ck_assert_uint_eq(pm.free_frames, 0);
    teardown_bitmap();
}
END_TEST

/* Whether the @p count frames at @p a were all free before (per @p model)
 * and are used now; marks them in the model. */
static void claim(bool *model, uint64_t a, uint64_t count)
{
    ck_assert_uint_ne(a, 0);
    ck_assert_uint_eq(a & (PAGE_SIZE - 1), 0);
    uint64_t f = a >> PAGE_SHIFT;
    ck_assert_uint_le(f + count, pm.frames);
    for (uint64_t i = 0; i < count; i++) {
        ck_assert_msg(!model[f + i], "frame %llu handed out twice", (unsigned long long)(f + i));
        ck_assert(pmm_is_used(&pm, (f + i) << PAGE_SHIFT));
        model[f + i] = true;
    }
}

START_TEST(test_alloc_contiguous_aligned)
{
    bool model[64] = { true };                  /* frame 0: used */
    setup_pmm(64 * PAGE_SIZE);
    pmm_add_free(&pm, 0, 64 * PAGE_SIZE);

    uint64_t a = pmm_alloc(&pm, 1, 0);
    claim(model, a, 1);
    ck_assert_uint_eq(a, 1 * PAGE_SIZE);        /* lowest free frame first */

    a = pmm_alloc(&pm, 4, 4);
    claim(model, a, 4);
    ck_assert_uint_eq(a >> PAGE_SHIFT, 4);

    a = pmm_alloc(&pm, 3, 8);
    claim(model, a, 3);
    ck_assert_uint_eq((a >> PAGE_SHIFT) % 8, 0);

    a = pmm_alloc(&pm, 2, 1);                   /* 1 = no constraint, like 0 */
    claim(model, a, 2);

    a = pmm_alloc(&pm, 16, 16);
    claim(model, a, 16);
    ck_assert_uint_eq((a >> PAGE_SHIFT) % 16, 0);

    /* Odd alignments are honoured too. */
    a = pmm_alloc(&pm, 2, 3);
    claim(model, a, 2);
    ck_assert_uint_eq((a >> PAGE_SHIFT) % 3, 0);

    ck_assert_uint_eq(pm.free_frames, 64 - 1 - 1 - 4 - 3 - 2 - 16 - 2);
    check_accounting();
    teardown_bitmap();
}
END_TEST

START_TEST(test_alloc_skips_holes)
{
    bool model[64] = { true };
    setup_pmm(64 * PAGE_SIZE);
    pmm_add_free(&pm, 0, 64 * PAGE_SIZE);
    /* Used frames at 3, 7 and 12: the first run of 4 free frames is 8..11. */
    pmm_reserve(&pm, 3 * PAGE_SIZE, PAGE_SIZE);
    pmm_reserve(&pm, 7 * PAGE_SIZE, PAGE_SIZE);
    pmm_reserve(&pm, 12 * PAGE_SIZE, PAGE_SIZE);
    model[3] = model[7] = model[12] = true;

    uint64_t a = pmm_alloc(&pm, 4, 0);
    claim(model, a, 4);
    ck_assert_uint_eq(a >> PAGE_SHIFT, 8);

    /* The search wraps round: after allocating high, freed low frames
     * are found again. */
    a = pmm_alloc(&pm, 40, 0);                  /* 13..52 */
    claim(model, a, 40);
    ck_assert_uint_eq(a >> PAGE_SHIFT, 13);
    a = pmm_alloc(&pm, 11, 0);                  /* 53..63: nothing above the hint */
    claim(model, a, 11);
    uint64_t low = pmm_alloc(&pm, 2, 0);
    claim(model, low, 2);
    ck_assert_uint_eq(low >> PAGE_SHIFT, 1);
    ck_assert(pmm_free(&pm, low, 2));
    model[1] = model[2] = false;
    uint64_t again = pmm_alloc(&pm, 2, 0);
    claim(model, again, 2);
    ck_assert_uint_eq(again, low);
    check_accounting();
    teardown_bitmap();
}
END_TEST

START_TEST(test_exhaustion)
{
    setup_pmm(32 * PAGE_SIZE);
    pmm_add_free(&pm, 0, 32 * PAGE_SIZE);
    ck_assert_uint_eq(pmm_alloc(&pm, 0, 0), 0);         /* nothing asked */
    ck_assert_uint_eq(pmm_alloc(&pm, 32, 0), 0);        /* more than is free */
    ck_assert_uint_eq(pmm_alloc(&pm, UINT64_MAX, 0), 0);
    ck_assert_uint_eq(pm.free_frames, 31);

    /* All 31 in one run works... */
    uint64_t a = pmm_alloc(&pm, 31, 0);
    ck_assert_uint_eq(a, PAGE_SIZE);
    ck_assert_uint_eq(pm.free_frames, 0);
    ck_assert_uint_eq(pmm_alloc(&pm, 1, 0), 0);
    ck_assert_uint_eq(pmm_alloc(&pm, 1, 1), 0);

    /* ... fragmentation: 8 frames free in total but no 2 adjacent. */
    for (uint64_t f = 2; f < 32; f += 4)
        ck_assert(pmm_free(&pm, f * PAGE_SIZE, 1));
    ck_assert_uint_eq(pm.free_frames, 8);
    ck_assert_uint_eq(pmm_alloc(&pm, 2, 0), 0);
    ck_assert_uint_eq(pm.free_frames, 8);
    /* Free frames 2, 6, 10, ...: none is a multiple of 4. */
    ck_assert_uint_eq(pmm_alloc(&pm, 1, 4), 0);
    a = pmm_alloc(&pm, 1, 2);
    ck_assert_uint_ne(a, 0);
    ck_assert_uint_eq((a >> PAGE_SHIFT) % 4, 2);
    check_accounting();
    teardown_bitmap();
}
END_TEST

/* Alignments no frame can satisfy (or that overflow a naive round-up) must
 * fail cleanly, never index the bitmap out of range. */
START_TEST(test_hostile_alignment)
{
    setup_pmm(64 * PAGE_SIZE);
    pmm_add_free(&pm, 0, 64 * PAGE_SIZE);
    struct snap s;
    take(&s);
    ck_assert_uint_eq(pmm_alloc(&pm, 1, 64), 0);            /* only frame 0 or 64 */
    ck_assert_uint_eq(pmm_alloc(&pm, 1, 65), 0);
    ck_assert_uint_eq(pmm_alloc(&pm, 1, UINT64_MAX), 0);
    ck_assert_uint_eq(pmm_alloc(&pm, 1, UINT64_MAX - 1), 0);
    ck_assert_uint_eq(pmm_alloc(&pm, 1, 1ull << 63), 0);
    ck_assert_uint_eq(pmm_alloc(&pm, 2, UINT64_MAX), 0);
    same(&s);

    /* Move the hint up, then try alignments that wrap from there. */
    uint64_t a = pmm_alloc(&pm, 40, 0);
    ck_assert_uint_ne(a, 0);
    take(&s);
    ck_assert_uint_eq(pm.hint, 41);
    for (uint64_t k = 0; k < 41; k++) {
        ck_assert_uint_eq(pmm_alloc(&pm, 1, UINT64_MAX - k), 0);
        /* 2^64 - hint + k: hint + align - 1 wraps to k - 1 */
        ck_assert_uint_eq(pmm_alloc(&pm, 1, (UINT64_MAX - 41) + 1 + k), 0);
    }
    same(&s);

    /* A large but possible alignment still works. */
    a = pmm_alloc(&pm, 1, 48);
    ck_assert_uint_eq(a, 48 * PAGE_SIZE);
    check_accounting();
    teardown_bitmap();
}
END_TEST

START_TEST(test_free_refusals)
{
    setup_pmm(32 * PAGE_SIZE);
    pmm_add_free(&pm, 0, 32 * PAGE_SIZE);
    uint64_t a = pmm_alloc(&pm, 4, 0);          /* frames 1..4 used */
    ck_assert_uint_eq(a, PAGE_SIZE);
    uint64_t b = pmm_alloc(&pm, 27, 0);         /* frames 5..31 used */
    ck_assert_uint_eq(b, 5 * PAGE_SIZE);
    ck_assert(pmm_free(&pm, 10 * PAGE_SIZE, 2)); /* 10, 11 free again */

    struct snap s;
    take(&s);
    ck_assert(!pmm_free(&pm, a + 1, 1));                /* unaligned */
    ck_assert(!pmm_free(&pm, a + PAGE_SIZE - 1, 1));
    ck_assert(!pmm_free(&pm, a, 0));                    /* nothing */
    ck_assert(!pmm_free(&pm, 0, 1));                    /* frame 0 */
    ck_assert(!pmm_free(&pm, 32 * PAGE_SIZE, 1));       /* first frame past limit */
    ck_assert(!pmm_free(&pm, 1000 * PAGE_SIZE, 1));
    ck_assert(!pmm_free(&pm, UINT64_MAX & ~(PAGE_SIZE - 1), 1));
    ck_assert(!pmm_free(&pm, 31 * PAGE_SIZE, 2));       /* runs past the end */
    ck_assert(!pmm_free(&pm, 1 * PAGE_SIZE, UINT64_MAX)); /* count overflow */
    ck_assert(!pmm_free(&pm, 1 * PAGE_SIZE, (UINT64_MAX >> PAGE_SHIFT) + 2));
    ck_assert(!pmm_free(&pm, 10 * PAGE_SIZE, 1));       /* double free */
    ck_assert(!pmm_free(&pm, 9 * PAGE_SIZE, 2));        /* 9 used, 10 free */
    ck_assert(!pmm_free(&pm, 11 * PAGE_SIZE, 2));       /* 11 free, 12 used */
    ck_assert(!pmm_free(&pm, 8 * PAGE_SIZE, 5));        /* free hole inside */
    same(&s);

    /* Never-allocated frames (still free from add_free) cannot be freed. */
    teardown_bitmap();
    setup_pmm(32 * PAGE_SIZE);
    pmm_add_free(&pm, 0, 32 * PAGE_SIZE);
    take(&s);
    ck_assert(!pmm_free(&pm, 3 * PAGE_SIZE, 1));
    same(&s);

    /* Frames reserved (never freed) may be freed: the boot path hands the
     * loader's memory back this way. */
    pmm_reserve(&pm, 3 * PAGE_SIZE, PAGE_SIZE);
    ck_assert(pmm_free(&pm, 3 * PAGE_SIZE, 1));
    ck_assert(!pmm_free(&pm, 3 * PAGE_SIZE, 1));
    check_accounting();
    teardown_bitmap();
}
END_TEST

START_TEST(test_reserve_wins)
{
    setup_pmm(256 * PAGE_SIZE);
    /* A memory map with "usable" overlapping "reserved", and a reserved
     * range overlapping it only partly on both sides. */
    pmm_add_free(&pm, 0x10000, 0x10000);        /* frames 16..31 */
    pmm_reserve(&pm, 0x18000, 0x1000);          /* frame 24 */
    pmm_reserve(&pm, 0xf800, 0x1000);           /* frames 15, 16 */
    pmm_reserve(&pm, 0x1f800, 0x2000);          /* frames 31, 32, 33 */
    ck_assert_uint_eq(pm.free_frames, 16 - 3);
    uint64_t a;
    while ((a = pmm_alloc(&pm, 1, 0)) != 0) {
        ck_assert_uint_ne(a, 0x18000);
        ck_assert_uint_ne(a, 0x10000);
        ck_assert_uint_ne(a, 0x1f000);
        ck_assert_uint_ge(a, 0x11000);
        ck_assert_uint_lt(a, 0x1f000);
    }
    check_accounting();
    teardown_bitmap();
}
END_TEST

START_TEST(test_above_limit)
{
    setup_pmm(64 * PAGE_SIZE);
    const uint64_t limit = 64 * PAGE_SIZE;

    pmm_add_free(&pm, limit, 0x100000);         /* entirely above */
    pmm_add_free(&pm, 1ull << 40, 1ull << 30);
    pmm_add_free(&pm, UINT64_MAX - PAGE_SIZE, PAGE_SIZE);
    pmm_add_free(&pm, limit - 0x800, 0x100000); /* starts in the last frame */
    ck_assert_uint_eq(pm.free_frames, 0);

    pmm_add_free(&pm, limit - 2 * PAGE_SIZE, 1ull << 40); /* straddles */
    ck_assert_uint_eq(pm.free_frames, 2);
    ck_assert(!pmm_is_used(&pm, limit - PAGE_SIZE));
    ck_assert(pmm_is_used(&pm, limit));         /* out of range reads as used */
    ck_assert(pmm_is_used(&pm, UINT64_MAX));

    pmm_reserve(&pm, limit, 1ull << 40);        /* above: no effect, no write */
    pmm_reserve(&pm, 1ull << 50, 1ull << 50);
    ck_assert_uint_eq(pm.free_frames, 2);
    pmm_reserve(&pm, limit - 1, 0x100000);      /* straddles */
    ck_assert_uint_eq(pm.free_frames, 1);
    check_accounting();
    teardown_bitmap();
}
END_TEST

START_TEST(test_wrapping_regions)
{
    setup_pmm(64 * PAGE_SIZE);
    /* base+len wraps: treated as running to the top of memory. */
    pmm_add_free(&pm, 0x5000, UINT64_MAX);
    ck_assert_uint_eq(pm.free_frames, 64 - 5);
    ck_assert(pmm_is_used(&pm, 0x4000));
    ck_assert(!pmm_is_used(&pm, 0x5000));

    pmm_add_free(&pm, 0x1800, UINT64_MAX - 0x1000); /* wraps: frees 2..4 */
    ck_assert_uint_eq(pm.free_frames, 62);
    ck_assert(pmm_is_used(&pm, 0x1000));

    /* A reserve that wraps must not "come round" and reserve low memory,
     * nor write past the bitmap. */
    pmm_reserve(&pm, UINT64_MAX - PAGE_SIZE + 1, 2 * PAGE_SIZE);
    pmm_reserve(&pm, UINT64_MAX, UINT64_MAX);
    ck_assert_uint_eq(pm.free_frames, 62);

    pmm_reserve(&pm, 0x30000, UINT64_MAX);      /* wraps: 48..63 used */
    ck_assert_uint_eq(pm.free_frames, 62 - 16);
    ck_assert(pmm_is_used(&pm, 0x30000));
    ck_assert(!pmm_is_used(&pm, 0x2f000));
    check_accounting();
    teardown_bitmap();
}
END_TEST

/* xorshift64*: deterministic, so a failure reproduces exactly. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

#define RFRAMES 512

/* Whether any run of @p count free frames starting at a multiple of
 * @p align (frame 0 excluded) exists in @p model. */
static bool model_has_run(const bool *model, uint64_t count, uint64_t align)
{
    for (uint64_t f = align; f + count <= RFRAMES; f += align) {
        uint64_t i = 0;
        while (i < count && !model[f + i])
            i++;
        if (i == count)
            return true;
    }
    return false;
}

START_TEST(test_random_against_model)
{
    static bool model[RFRAMES];
    static struct { uint64_t addr, count; } live[RFRAMES];
    int nlive = 0;
    uint64_t model_free = 0;

    setup_pmm(RFRAMES * PAGE_SIZE);
    for (int f = 0; f < RFRAMES; f++)
        model[f] = true;
    /* A fragmented map: usable chunks with reserved islands. */
    pmm_add_free(&pm, 0, RFRAMES * PAGE_SIZE);
    pmm_reserve(&pm, 100 * PAGE_SIZE + 7, 3 * PAGE_SIZE);   /* 100..103 */
    pmm_reserve(&pm, 300 * PAGE_SIZE, 20 * PAGE_SIZE);      /* 300..319 */
    for (uint64_t f = 1; f < RFRAMES; f++) {
        model[f] = (f >= 100 && f <= 103) || (f >= 300 && f < 320);
        model_free += !model[f];
    }
    ck_assert_uint_eq(pm.free_frames, model_free);

    static const uint64_t aligns[] = { 0, 1, 2, 4, 8, 16, 3 };
    for (int step = 0; step < 20000; step++) {
        uint64_t r = rng();
        if (nlive == 0 || (r & 3) != 0) {
            uint64_t count = 1 + (rng() % ((r & 0x30) ? 8 : 64));
            uint64_t align = aligns[rng() % (sizeof aligns / sizeof aligns[0])];
            uint64_t a = pmm_alloc(&pm, count, align);
            if (a == 0) {
                ck_assert_msg(!model_has_run(model, count, align ? align : 1),
                              "step %d: alloc(%llu, %llu) failed but a run exists", step,
                              (unsigned long long)count, (unsigned long long)align);
            } else {
                if (align > 1)
                    ck_assert_uint_eq((a >> PAGE_SHIFT) % align, 0);
                claim(model, a, count);
                model_free -= count;
                live[nlive].addr = a;
                live[nlive].count = count;
                nlive++;
            }
        } else {
            int k = (int)(rng() % (uint64_t)nlive);
            uint64_t a = live[k].addr, count = live[k].count;
            if (count > 1 && (r & 4)) {
                /* Free a sub-range only: the tail stays live. */
                uint64_t part = 1 + rng() % (count - 1);
                ck_assert(pmm_free(&pm, a, part));
                for (uint64_t i = 0; i < part; i++)
                    model[(a >> PAGE_SHIFT) + i] = false;
                model_free += part;
                ck_assert(!pmm_free(&pm, a, 1));            /* double free */
                live[k].addr = a + part * PAGE_SIZE;
                live[k].count = count - part;
            } else {
                ck_assert(pmm_free(&pm, a, count));
                for (uint64_t i = 0; i < count; i++)
                    model[(a >> PAGE_SHIFT) + i] = false;
                model_free += count;
                ck_assert(!pmm_free(&pm, a, count));        /* double free */
                live[k] = live[--nlive];
            }
        }
        ck_assert_uint_eq(pm.free_frames, model_free);
        if (step % 997 == 0)
            for (uint64_t f = 0; f < RFRAMES; f++)
                ck_assert_int_eq(pmm_is_used(&pm, f << PAGE_SHIFT), model[f]);
    }
    for (uint64_t f = 0; f < RFRAMES; f++)
        ck_assert_int_eq(pmm_is_used(&pm, f << PAGE_SHIFT), model[f]);
    check_accounting();

    /* Everything back: exactly the initially free frames are free. */
    while (nlive > 0) {
        nlive--;
        ck_assert(pmm_free(&pm, live[nlive].addr, live[nlive].count));
    }
    ck_assert_uint_eq(pm.free_frames, RFRAMES - 1 - 4 - 20);
    teardown_bitmap();
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("pmm");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_init_all_used);
    tcase_add_test(tc, test_add_free_rounds_inwards);
    tcase_add_test(tc, test_reserve_rounds_outwards);
    tcase_add_test(tc, test_frame_zero_never);
    tcase_add_test(tc, test_alloc_contiguous_aligned);
    tcase_add_test(tc, test_alloc_skips_holes);
    tcase_add_test(tc, test_exhaustion);
    tcase_add_test(tc, test_hostile_alignment);
    tcase_add_test(tc, test_free_refusals);
    tcase_add_test(tc, test_reserve_wins);
    tcase_add_test(tc, test_above_limit);
    tcase_add_test(tc, test_wrapping_regions);
    tcase_add_test(tc, test_random_against_model);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
