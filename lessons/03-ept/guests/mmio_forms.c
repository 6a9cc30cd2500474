/**
 * @file mmio_forms.c
 * @brief Guest "mmio-forms": every instruction form the MMIO emulator must
 *        handle, run against the "mmio-test" device (mmio/mmio_test_dev.h)
 *        in the CPU mode of the image: real mode with 4 GiB data limits
 *        (16-bit image), 32-bit paging and PAE paging (32-bit image), 4-level
 *        paging (64-bit image).  Each form is inline assembly, so the exact
 *        instruction is known.
 *
 * Ground truth is the CPU itself: every form also runs on a RAM copy of
 * the device's scratch bytes (a shadow kept in step with every write), and
 * the MMIO run must leave the same register, memory and flags (OF SF ZF PF
 * CF; AF too for CMP, AND/OR/XOR/TEST leave it undefined, SDM Vol. 2B
 * "AND").  The device's own registers say what reached the bus: how many
 * accesses, and the last one's size, direction, offset and written value.
 * One line per form and size set; the exit status counts the failures.
 *
 * In the paging modes the device is reached through the runtime's alias
 * window (RT_ALIAS_VA -> 0xfeb00000), so an emulator that took the
 * guest-virtual address for a guest-physical one would miss it.
 */
#include "guest/guest.h"
#include "rt_guest.h"
#include "spectrum/fmt.h"

#include "mmio_guest.h"

#define FLAGS_LOGIC 0x8c5u   /* OF SF ZF PF CF */
#define FLAGS_ARITH 0x8d5u   /* ... and AF */

#if defined(__x86_64__)
#define FLAGS_OUT "pushfq\n\tpopq %0"
typedef uint64_t word_t;
#else
#define FLAGS_OUT "pushfl\n\tpopl %0"
typedef uint32_t word_t;
#endif

static volatile uint8_t *mm;           /* the device, as this mode reaches it */
static const char *mode;               /* "real", "32-bit", "PAE", "4-level" */
static uint8_t shadow[256];            /* what the scratch bytes must hold */
static uint8_t ram[256] __attribute__((aligned(16)));  /* the RAM twin of a form */
static unsigned failures;

/* ---- the device's registers (32-bit reads: the low halves suffice) ---- */

static uint32_t reg32(unsigned off)
{
    uint32_t v;
    __asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(mm + off) : "memory");
    return v;
}

/** The device's access count, read before a form. */
static uint32_t begin(void)
{
    return reg32(MMIO_TEST_REG_ACCESSES);
}

static uint64_t shadow_get(unsigned off, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)shadow[off + i] << (8 * i);
    return v;
}

static void shadow_put(unsigned off, unsigned size, uint64_t v)
{
    for (unsigned i = 0; i < size; i++)
        shadow[off + i] = (uint8_t)(v >> (8 * i));
}

/* ---- one check, reported once per form ---- */

static char detail[96];
static bool form_ok;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    if (form_ok) {
        va_list ap;
        va_start(ap, fmt);
        fmt_vsnprintf(detail, sizeof detail, fmt, ap);
        va_end(ap);
    }
    form_ok = false;
}

/**
 * After a form: the device must have seen @p accesses accesses since
 * @p c0, the last of @p size bytes at @p off, a write or not, and (for a
 * write) the value @p value.  Reads LAST, VALUE, then ACCESSES.
 */
static void expect_bus(uint32_t c0, unsigned accesses, unsigned size, bool write, unsigned off, uint64_t value)
{
    uint32_t last = reg32(MMIO_TEST_REG_LAST);
    uint32_t val = reg32(MMIO_TEST_REG_VALUE);
    uint32_t c1 = reg32(MMIO_TEST_REG_ACCESSES);
    uint32_t want = size | (write ? MMIO_TEST_LAST_WRITE : 0) | (off << 16);
    if (c1 - c0 - 3 != accesses)
        fail("%u accesses, expected %u", c1 - c0 - 3, accesses);
    else if (last != want)
        fail("last access %#x, expected %#x (size %u, %s, offset %#x)", last, want, size, write ? "write" : "read",
             off);
    else if (write && val != (uint32_t)value)
        fail("last value %#x, expected %#x", val, (uint32_t)value);
}

static void expect_eq(const char *what, uint64_t got, uint64_t want)
{
    if (got != want)
        fail("%s %#lx, expected %#lx", what, (unsigned long)got, (unsigned long)want);
}

static void report(const char *form, const char *sizes)
{
    guest_printf("mmio: %s: %-27s %-8s %s%s\n", mode, form, sizes, form_ok ? "ok" : "FAILED: ", form_ok ? "" : detail);
    if (!form_ok)
        failures++;
    form_ok = true;
}

/* ---- the forms, one function per instruction, generated per size ---- */

#define IMM_1 0x5a
#define IMM_2 0x1234
#define IMM_4 0x89abcdef
#define IMM_8 (-0x12345678)   /* imm32, sign-extended to 64 bits */

#define FORMS(N, T, SFX, MOD)                                                                                      \
    static void st_##N(volatile void *p, T v)                                                                      \
    {                                                                                                              \
        __asm__ volatile("mov" SFX " %" MOD "1, (%0)" ::"r"(p), "q"(v) : "memory");                                \
    }                                                                                                              \
    static T ld_##N(volatile void *p)                                                                              \
    {                                                                                                              \
        T v;                                                                                                       \
        __asm__ volatile("mov" SFX " (%1), %" MOD "0" : "=q"(v) : "r"(p) : "memory");                              \
        return v;                                                                                                  \
    }                                                                                                              \
    static void imm_##N(volatile void *p)                                                                          \
    {                                                                                                              \
        __asm__ volatile("mov" SFX " %1, (%0)" ::"r"(p), "i"(IMM_##N) : "memory");                                 \
    }                                                                                                              \
    FORMS_ALU(N, T, SFX, MOD, and)                                                                                 \
    FORMS_ALU(N, T, SFX, MOD, or)                                                                                  \
    FORMS_ALU(N, T, SFX, MOD, xor)                                                                                 \
    static word_t test_m_##N(volatile void *p, T v)                                                                \
    {                                                                                                              \
        word_t f;                                                                                                  \
        __asm__ volatile("test" SFX " %" MOD "2, (%1)\n\t" FLAGS_OUT : "=r"(f) : "r"(p), "q"(v) : "memory", "cc"); \
        return f;                                                                                                  \
    }                                                                                                              \
    static word_t test_i_##N(volatile void *p)                                                                     \
    {                                                                                                              \
        word_t f;                                                                                                  \
        __asm__ volatile("test" SFX " %2, (%1)\n\t" FLAGS_OUT : "=r"(f) : "r"(p), "i"(IMM_##N) : "memory", "cc");  \
        return f;                                                                                                  \
    }                                                                                                              \
    static word_t cmp_m_##N(volatile void *p, T v)                                                                 \
    {                                                                                                              \
        word_t f;                                                                                                  \
        __asm__ volatile("cmp" SFX " %" MOD "2, (%1)\n\t" FLAGS_OUT : "=r"(f) : "r"(p), "q"(v) : "memory", "cc");  \
        return f;                                                                                                  \
    }                                                                                                              \
    static word_t cmp_r_##N(volatile void *p, T v)                                                                 \
    {                                                                                                              \
        word_t f;                                                                                                  \
        __asm__ volatile("cmp" SFX " (%1), %" MOD "2\n\t" FLAGS_OUT : "=r"(f) : "r"(p), "q"(v) : "memory", "cc");  \
        return f;                                                                                                  \
    }                                                                                                              \
    static word_t cmp_i_##N(volatile void *p)                                                                      \
    {                                                                                                              \
        word_t f;                                                                                                  \
        __asm__ volatile("cmp" SFX " %2, (%1)\n\t" FLAGS_OUT : "=r"(f) : "r"(p), "i"(IMM_##N) : "memory", "cc");   \
        return f;                                                                                                  \
    }

/* AND/OR/XOR: memory destination (register or immediate source) and
 * register destination; each returns the flags. */
#define FORMS_ALU(N, T, SFX, MOD, OP)                                                                               \
    static word_t OP##_m_##N(volatile void *p, T v)                                                                 \
    {                                                                                                               \
        word_t f;                                                                                                   \
        __asm__ volatile(#OP SFX " %" MOD "2, (%1)\n\t" FLAGS_OUT : "=r"(f) : "r"(p), "q"(v) : "memory", "cc");     \
        return f;                                                                                                   \
    }                                                                                                               \
    static word_t OP##_i_##N(volatile void *p)                                                                      \
    {                                                                                                               \
        word_t f;                                                                                                   \
        __asm__ volatile(#OP SFX " %2, (%1)\n\t" FLAGS_OUT : "=r"(f) : "r"(p), "i"(IMM_##N) : "memory", "cc");      \
        return f;                                                                                                   \
    }                                                                                                               \
    static word_t OP##_r_##N(volatile void *p, T *v)                                                                \
    {                                                                                                               \
        word_t f;                                                                                                   \
        __asm__ volatile(#OP SFX " (%2), %" MOD "1\n\t" FLAGS_OUT : "=r"(f), "+q"(*v) : "r"(p) : "memory", "cc");   \
        return f;                                                                                                   \
    }

FORMS(1, uint8_t, "b", "b")
FORMS(2, uint16_t, "w", "w")
FORMS(4, uint32_t, "l", "k")
#if defined(__x86_64__)
FORMS(8, uint64_t, "q", "q")
#endif

static uint64_t mask_of(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

/* Per-size dispatch, so the checks below are written once. */
static void st(unsigned n, volatile void *p, uint64_t v)
{
    switch (n) {
    case 1: st_1(p, (uint8_t)v); break;
    case 2: st_2(p, (uint16_t)v); break;
    case 4: st_4(p, (uint32_t)v); break;
#if defined(__x86_64__)
    case 8: st_8(p, v); break;
#endif
    }
}

static uint64_t ld(unsigned n, volatile void *p)
{
    switch (n) {
    case 1: return ld_1(p);
    case 2: return ld_2(p);
    case 4: return ld_4(p);
#if defined(__x86_64__)
    case 8: return ld_8(p);
#endif
    }
    return 0;
}

static void imm(unsigned n, volatile void *p)
{
    switch (n) {
    case 1: imm_1(p); break;
    case 2: imm_2(p); break;
    case 4: imm_4(p); break;
#if defined(__x86_64__)
    case 8: imm_8(p); break;
#endif
    }
}

#if defined(__x86_64__)
#define SIZES_ALL "1 2 4 8"
static const unsigned sizes[] = { 1, 2, 4, 8 };
#else
#define SIZES_ALL "1 2 4"
static const unsigned sizes[] = { 1, 2, 4 };
#endif
#define NSIZES (sizeof sizes / sizeof sizes[0])

/* An unaligned offset per size and form, so a wrong offset shows. */
static unsigned off_for(unsigned n, unsigned form)
{
    return 0x08 + form * 0x18 + n + (n > 1 ? 1 : 0);
}

static uint64_t pattern(unsigned n, unsigned k)
{
    return (0x8877665544332211ull * (k + 1) ^ 0xf0e1d2c3b4a59687ull) & mask_of(n);
}

/* ---- groups of forms ---- */

static void fill_scratch(void)
{
    for (unsigned off = 0; off < 256; off += 4) {
        uint32_t v = 0x03020100u + off * 0x04040404u;
        st_4(mm + off, v);
        shadow_put(off, 4, v);
    }
}

static void forms_mov(void)
{
    for (unsigned i = 0; i < NSIZES; i++) {
        unsigned n = sizes[i], off = off_for(n, 0);
        uint64_t v = pattern(n, 1);
        uint32_t c0 = begin();
        st(n, mm + off, v);
        shadow_put(off, n, v);
        expect_bus(c0, 1, n, true, off, v);
    }
    report("mov reg->mem", SIZES_ALL);
    for (unsigned i = 0; i < NSIZES; i++) {
        unsigned n = sizes[i], off = off_for(n, 0) + 1;
        uint32_t c0 = begin();
        uint64_t got = ld(n, mm + off);
        expect_bus(c0, 1, n, false, off, 0);
        expect_eq("loaded", got, shadow_get(off, n));
    }
    report("mov mem->reg", SIZES_ALL);
    for (unsigned i = 0; i < NSIZES; i++) {
        unsigned n = sizes[i], off = off_for(n, 1);
        static const uint64_t want[9] = { 0, IMM_1, IMM_2, 0, IMM_4, 0, 0, 0, (uint64_t)(int64_t)IMM_8 };
        uint32_t c0 = begin();
        imm(n, mm + off);
        shadow_put(off, n, want[n]);
        expect_bus(c0, 1, n, true, off, want[n]);
        expect_eq("stored", ld(n, mm + off), want[n] & mask_of(n));
    }
    report("mov imm->mem", SIZES_ALL);
}

static void forms_extend(void)
{
    unsigned off = 0x70;
    st_2(mm + off, 0x8081);          /* both bytes with the sign bit set */
    shadow_put(off, 2, 0x8081);
    uint32_t r;
    uint32_t c0 = begin();
    __asm__ volatile("movzbl (%1), %0" : "=r"(r) : "r"(mm + off) : "memory");
    expect_bus(c0, 1, 1, false, off, 0);
    expect_eq("movzx byte", r, 0x81);
    c0 = begin();
    __asm__ volatile("movzwl (%1), %0" : "=r"(r) : "r"(mm + off) : "memory");
    expect_bus(c0, 1, 2, false, off, 0);
    expect_eq("movzx word", r, 0x8081);
    report("movzx byte/word", "1 2");
    c0 = begin();
    __asm__ volatile("movsbl (%1), %0" : "=r"(r) : "r"(mm + off + 1) : "memory");
    expect_bus(c0, 1, 1, false, off + 1, 0);
    expect_eq("movsx byte", r, 0xffffff80u);
    c0 = begin();
    __asm__ volatile("movswl (%1), %0" : "=r"(r) : "r"(mm + off) : "memory");
    expect_bus(c0, 1, 2, false, off, 0);
    expect_eq("movsx word", r, 0xffff8081u);
#if defined(__x86_64__)
    uint64_t q;
    st_4(mm + off + 4, 0x80000001u);
    shadow_put(off + 4, 4, 0x80000001u);
    c0 = begin();
    __asm__ volatile("movslq (%1), %0" : "=r"(q) : "r"(mm + off + 4) : "memory");
    expect_bus(c0, 1, 4, false, off + 4, 0);
    expect_eq("movsxd", q, 0xffffffff80000001ull);
    report("movsx byte/word/dword", "1 2 4");
#else
    report("movsx byte/word", "1 2");
#endif
}

/* One ALU form on MMIO and on its RAM twin: same flags, same result. */
enum alu_kind { ALU_MEM_REG, ALU_MEM_IMM, ALU_REG_MEM };

static word_t alu_run(const char *op, enum alu_kind k, unsigned n, volatile void *p, uint64_t *v)
{
#define ALU_CASE(N, T)                                                                                      \
    case N: {                                                                                               \
        T t = (T)*v;                                                                                        \
        word_t f = 0;                                                                                       \
        if (op[0] == 'a')                                                                                   \
            f = k == ALU_MEM_REG ? and_m_##N(p, t) : k == ALU_MEM_IMM ? and_i_##N(p) : and_r_##N(p, &t);    \
        else if (op[0] == 'o')                                                                              \
            f = k == ALU_MEM_REG ? or_m_##N(p, t) : k == ALU_MEM_IMM ? or_i_##N(p) : or_r_##N(p, &t);       \
        else if (op[0] == 'x')                                                                              \
            f = k == ALU_MEM_REG ? xor_m_##N(p, t) : k == ALU_MEM_IMM ? xor_i_##N(p) : xor_r_##N(p, &t);    \
        else if (op[0] == 't')                                                                              \
            f = k == ALU_MEM_IMM ? test_i_##N(p) : test_m_##N(p, t);                                        \
        else                                                                                                \
            f = k == ALU_MEM_REG ? cmp_m_##N(p, t) : k == ALU_MEM_IMM ? cmp_i_##N(p) : cmp_r_##N(p, t);     \
        *v = t;                                                                                             \
        return f;                                                                                           \
    }
    switch (n) {
        ALU_CASE(1, uint8_t)
        ALU_CASE(2, uint16_t)
        ALU_CASE(4, uint32_t)
#if defined(__x86_64__)
        ALU_CASE(8, uint64_t)
#endif
    }
    return 0;
#undef ALU_CASE
}

static void forms_alu(const char *op, enum alu_kind k, unsigned form)
{
    bool writes = (op[0] == 'a' || op[0] == 'o' || op[0] == 'x') && k != ALU_REG_MEM;
    unsigned mask = op[0] == 'c' ? FLAGS_ARITH : FLAGS_LOGIC;
    for (unsigned i = 0; i < NSIZES; i++) {
        unsigned n = sizes[i], off = off_for(n, form % 9);
        /* Two operand values: one that differs, one equal to memory
         * (zero from XOR, equal from CMP, ...). */
        for (unsigned t = 0; t < 2; t++) {
            uint64_t mem = shadow_get(off, n);
            uint64_t v = t ? mem : pattern(n, form + 3);
            uint64_t v_ram = v;
            for (unsigned b = 0; b < n; b++)
                ram[b] = shadow[off + b];
            word_t f_ram = alu_run(op, k, n, ram, &v_ram);
            uint32_t c0 = begin();
            uint64_t v_mm = v;
            word_t f_mm = alu_run(op, k, n, mm + off, &v_mm);
            uint64_t result = 0;
            for (unsigned b = 0; b < n; b++)
                result |= (uint64_t)ram[b] << (8 * b);
            expect_bus(c0, writes ? 2 : 1, n, writes, off, result);
            if ((f_mm & mask) != (f_ram & mask))
                fail("size %u: flags %#lx, the CPU on RAM gives %#lx", n, (unsigned long)(f_mm & mask),
                     (unsigned long)(f_ram & mask));
            expect_eq("register", v_mm & mask_of(n), v_ram & mask_of(n));
            if (writes)
                shadow_put(off, n, result);
            expect_eq("memory", ld(n, mm + off), shadow_get(off, n));
        }
    }
    static const char *const kind_name[] = { "mem,reg", "mem,imm", "reg,mem" };
    char form_name[32];
    fmt_snprintf(form_name, sizeof form_name, "%s %s", op, kind_name[k]);
    report(form_name, SIZES_ALL);
}

/* STOS and MOVS, with and without REP, both directions: what each
 * leaves in RDI/RSI/RCX, the bytes, and the device's last access. */
static void forms_string(bool movs, bool from_mmio)
{
    for (unsigned i = 0; i < NSIZES; i++) {
        unsigned n = sizes[i];
        for (unsigned rep = 0; rep < 2; rep++)
            for (unsigned df = 0; df < 2; df++) {
                unsigned count = rep ? 4 : 1;
                unsigned first = 0x80 + n * 8 + (df ? (count - 1) * n : 0);   /* element 0's offset */
                unsigned last = df ? first - (count - 1) * n : first + (count - 1) * n;
                unsigned lo = df ? last : first;
                uint64_t v = pattern(n, 7 + rep + 2 * df);
                for (unsigned b = 0; b < sizeof ram; b++)
                    ram[b] = (uint8_t)(0xa0 + b);
                /* The RAM side of MOVS mirrors the device's layout. */
                volatile uint8_t *dev = mm + first, *mem = ram + first;
                volatile uint8_t *dst = movs && from_mmio ? mem : dev;
                volatile uint8_t *src = movs && from_mmio ? dev : mem;
                word_t cnt = count;
                uint32_t c0 = begin();
#define STR_ASM(INSN)                                                                                     \
    do {                                                                                                  \
        if (df)                                                                                           \
            __asm__ volatile("std\n\t" INSN "\n\tcld" : "+D"(dst), "+S"(src), "+c"(cnt) : "a"((word_t)v) : "memory"); \
        else                                                                                              \
            __asm__ volatile(INSN : "+D"(dst), "+S"(src), "+c"(cnt) : "a"((word_t)v) : "memory");                 \
    } while (0)
#define STR_SIZES(PFX)                                                                                    \
    switch (n) {                                                                                          \
    case 1: STR_ASM(PFX "stosb %%al, %%es:(%0)"); break;                                                  \
    case 2: STR_ASM(PFX "stosw %%ax, %%es:(%0)"); break;                                                  \
    case 4: STR_ASM(PFX "stosl %%eax, %%es:(%0)"); break;                                                 \
    STR_SIZE8(PFX "stosq %%rax, %%es:(%0)")                                                               \
    }
#define MOVS_SIZES(PFX)                                                                                   \
    switch (n) {                                                                                          \
    case 1: STR_ASM(PFX "movsb %%ds:(%1), %%es:(%0)"); break;                                             \
    case 2: STR_ASM(PFX "movsw %%ds:(%1), %%es:(%0)"); break;                                             \
    case 4: STR_ASM(PFX "movsl %%ds:(%1), %%es:(%0)"); break;                                             \
    STR_SIZE8(PFX "movsq %%ds:(%1), %%es:(%0)")                                                           \
    }
#if defined(__x86_64__)
#define STR_SIZE8(INSN) case 8: STR_ASM(INSN); break;
#else
#define STR_SIZE8(INSN)
#endif
                if (!movs && rep)
                    STR_SIZES("rep ")
                else if (!movs)
                    STR_SIZES("")
                else if (rep)
                    MOVS_SIZES("rep ")
                else
                    MOVS_SIZES("")
                /* What the CPU leaves in the registers (SDM Vol. 2B "STOS", "MOVS", "REP"). */
                long step = df ? -(long)(count * n) : (long)(count * n);
                expect_eq("count register", cnt, rep ? 0 : count);
                expect_eq("destination register", (unsigned long)dst,
                          (unsigned long)(movs && from_mmio ? mem : dev) + (unsigned long)step);
                if (movs)
                    expect_eq("source register", (unsigned long)src,
                              (unsigned long)(from_mmio ? dev : mem) + (unsigned long)step);
                bool write = !(movs && from_mmio);
                uint64_t last_value = 0;
                if (!movs) {
                    for (unsigned e = 0; e < count; e++)
                        shadow_put(lo + e * n, n, v);
                    last_value = v & mask_of(n);
                } else if (!from_mmio) {
                    for (unsigned b = 0; b < count * n; b++)
                        shadow[lo + b] = ram[lo + b];
                    last_value = shadow_get(last, n);
                }
                expect_bus(c0, count, n, write, last, last_value);
                for (unsigned b = 0; b < count * n; b++) {
                    unsigned at = lo + b;
                    uint8_t want = shadow[at];
                    uint8_t got = movs && from_mmio ? ram[at] : mm[at];
                    if (got != want) {
                        fail("size %u%s DF=%u: byte %#x is %#x, expected %#x", n, rep ? " rep" : "", df, at, got,
                             want);
                        break;
                    }
                }
            }
    }
    report(!movs ? "stos [rep] DF=0/1" : from_mmio ? "movs mmio->ram [rep] DF=0/1" : "movs ram->mmio [rep] DF=0/1",
           SIZES_ALL);
}

/* Finally every scratch byte must be what the shadow says. */
static void forms_final(void)
{
    for (unsigned off = 0; off < 256; off += 4)
        expect_eq("scratch dword", ld_4(mm + off), shadow_get(off, 4));
    report("scratch = shadow", "256");
}

unsigned mmio_forms_run(volatile void *base, const char *mode_name)
{
    mm = base;
    mode = mode_name;
    failures = 0;
    form_ok = true;
    fill_scratch();
    forms_mov();
    forms_extend();
    static const char *const ops[] = { "and", "or", "xor" };
    for (unsigned o = 0; o < 3; o++) {
        forms_alu(ops[o], ALU_MEM_REG, 1 + o);
        forms_alu(ops[o], ALU_MEM_IMM, 4 + o);
        forms_alu(ops[o], ALU_REG_MEM, 7 + o);
    }
    forms_alu("test", ALU_MEM_REG, 2);
    forms_alu("test", ALU_MEM_IMM, 3);
    forms_alu("cmp", ALU_MEM_REG, 5);
    forms_alu("cmp", ALU_REG_MEM, 6);
    forms_alu("cmp", ALU_MEM_IMM, 8);
    forms_string(false, false);
    forms_string(true, true);
    forms_string(true, false);
    forms_final();
    guest_printf("mmio: %s: %s\n", mode, failures ? "FAILED" : "every form ok");
    return failures;
}
