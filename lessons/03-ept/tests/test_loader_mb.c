/**
 * @file test_loader_mb.c
 * @brief Unit tests of the multiboot loader (loader/multiboot.c and its
 *        mb_*.c parts), hosted with Check, over a test machine whose
 *        guest memory is a plain buffer (test_loader_gpm.c).
 *
 * Images are built here byte by byte: ELF32 and ELF64 kernels with a
 * multiboot header, a.out-kludge kernels, and hostile variants of each.
 * A good image must land exactly where it says with its bss zeroed and
 * the information structure right; a bad one must be refused with a
 * message naming the problem, before any byte of guest memory is written
 * where it should not be (the fake gpm counts refused writes).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "loader/elf.h"
#include "loader/multiboot.h"
#include "test_loader.h"

#define RAM (32ull << 20)   /* RAM from 1 MiB up to 32 MiB */
#define IMG_MAX 0x4000
#define SEG_OFF 0x1000      /* file offset of the first segment's bytes */

static struct pc_machine mach;
static uint8_t img[IMG_MAX];
static char why[256];

static void setup(void)
{
    test_machine_create(&mach, RAM);
    memset(img, 0, sizeof img);
    why[0] = '\0';
    test_gpm_refused = 0;
}

static void teardown(void)
{
    test_machine_destroy(&mach);
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint32_t guest32(uint64_t gpa)
{
    uint32_t v;
    ck_assert(gpm_read(&mach.mem, gpa, &v, 4));
    return v;
}

/* A multiboot header at @p off with @p flags and a correct checksum. */
static void mb_header(uint8_t *b, size_t off, uint32_t flags)
{
    put32(b + off, MB1_HEADER_MAGIC);
    put32(b + off + 4, flags);
    put32(b + off + 8, -(MB1_HEADER_MAGIC + flags));
}

/* ELF32 kernel: header, @p n program headers at 52, multiboot header at
 * 0x200, segment bytes (a counting pattern) at SEG_OFF. */
static struct elf32_phdr *elf32(uint32_t entry, int n)
{
    struct elf32_ehdr e = { .e_type = ELF_ET_EXEC, .e_machine = ELF_EM_386, .e_version = 1, .e_entry = entry,
                            .e_phoff = sizeof e, .e_ehsize = sizeof e, .e_phentsize = sizeof(struct elf32_phdr),
                            .e_phnum = (uint16_t)n };
    memcpy(e.e_ident, "\x7f" "ELF\x01\x01\x01", 7);
    memcpy(img, &e, sizeof e);
    mb_header(img, 0x200, MB1_HF_PAGE_ALIGN | MB1_HF_MEMINFO);
    for (int i = 0; i < 0x800; i++)
        img[SEG_OFF + i] = (uint8_t)(i * 7 + 1);
    return (struct elf32_phdr *)(img + sizeof e);
}

static void ph32(struct elf32_phdr *ph, uint32_t off, uint32_t paddr, uint32_t filesz, uint32_t memsz)
{
    *ph = (struct elf32_phdr){ .p_type = ELF_PT_LOAD, .p_offset = off, .p_vaddr = paddr, .p_paddr = paddr,
                               .p_filesz = filesz, .p_memsz = memsz, .p_flags = 7, .p_align = 0x1000 };
}

static struct elf64_phdr *elf64(uint64_t entry, int n)
{
    struct elf64_ehdr e = { .e_type = ELF_ET_EXEC, .e_machine = ELF_EM_X86_64, .e_version = 1, .e_entry = entry,
                            .e_phoff = sizeof e, .e_ehsize = sizeof e, .e_phentsize = sizeof(struct elf64_phdr),
                            .e_phnum = (uint16_t)n };
    memcpy(e.e_ident, "\x7f" "ELF\x02\x01\x01", 7);
    memcpy(img, &e, sizeof e);
    mb_header(img, 0x200, MB1_HF_PAGE_ALIGN | MB1_HF_MEMINFO);
    for (int i = 0; i < 0x800; i++)
        img[SEG_OFF + i] = (uint8_t)(i * 7 + 1);
    return (struct elf64_phdr *)(img + sizeof e);
}

static void ph64(struct elf64_phdr *ph, uint64_t off, uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
    *ph = (struct elf64_phdr){ .p_type = ELF_PT_LOAD, .p_flags = 7, .p_offset = off, .p_vaddr = paddr,
                               .p_paddr = paddr, .p_filesz = filesz, .p_memsz = memsz, .p_align = 0x1000 };
}

static bool load_n(uint64_t len, const char *cmdline, const struct guest_blob *mods, int n)
{
    struct guest_blob image = { img, len, cmdline };
    return guest_load(&mach, &image, mods, n, why, sizeof why);
}

static bool load(uint64_t len) { return load_n(len, "", NULL, 0); }

/* Refused by the multiboot loader (forced: without a header the flat
 * loader would take the image), with @p part in the message, and no write
 * attempted outside RAM. */
static void refused(uint64_t len, const char *part)
{
    ck_assert_msg(!load_n(len, "loader=multiboot", NULL, 0), "loaded, expected a refusal naming '%s'", part);
    ck_assert_msg(strstr(why, part), "message '%s' does not name '%s'", why, part);
    ck_assert_uint_eq(test_gpm_refused, 0);
}

/* ---- good images ------------------------------------------------------- */

START_TEST(elf32_segments_and_bss)
{
    struct elf32_phdr *ph = elf32(0x100010, 2);
    ph32(&ph[0], SEG_OFF, 0x100000, 0x100, 0x3000);        /* text + bss */
    ph32(&ph[1], SEG_OFF + 0x400, 0x200000, 0x80, 0x80);   /* data */
    /* Guest memory is dirty where the bss goes: the loader must zero it. */
    test_guest_fill(&mach, 0x100000, 0xaa, 0x4000);
    ck_assert_msg(load(IMG_MAX), "%s", why);
    ck_assert_int_eq(mach.start.mode, HVM_START_PROT32);
    ck_assert_uint_eq(mach.start.rip, 0x100010);
    ck_assert_uint_eq(mach.start.gpr[GPR_RAX], 0x2BADB002);
    ck_assert_uint_eq(mach.start.gpr[GPR_RBX], MB1_INFO_GPA);
    ck_assert_mem_eq(test_guest_bytes(&mach, 0x100000, 0x100), img + SEG_OFF, 0x100);
    ck_assert_mem_eq(test_guest_bytes(&mach, 0x200000, 0x80), img + SEG_OFF + 0x400, 0x80);
    static const uint8_t zero[0x3000 - 0x100];
    ck_assert_mem_eq(test_guest_bytes(&mach, 0x100100, sizeof zero), zero, sizeof zero);
    ck_assert_uint_eq(test_guest_bytes(&mach, 0x103000, 1)[0], 0xaa);   /* past memsz: untouched */
}
END_TEST

START_TEST(info_structure)
{
    struct elf32_phdr *ph = elf32(0x100000, 1);
    ph32(&ph[0], SEG_OFF, 0x100000, 0x100, 0x100);
    ck_assert_msg(load_n(IMG_MAX, "console=ttyS0 expect-mods=0", NULL, 0), "%s", why);
    uint64_t mbi = mach.start.gpr[GPR_RBX];
    uint32_t flags = guest32(mbi);
    ck_assert_uint_eq(flags & (MB1_INFO_MEM | MB1_INFO_CMDLINE | MB1_INFO_MMAP | MB1_INFO_LOADER),
                      MB1_INFO_MEM | MB1_INFO_CMDLINE | MB1_INFO_MMAP | MB1_INFO_LOADER);
    ck_assert_uint_eq(guest32(mbi + 4), 640);                         /* mem_lower */
    ck_assert_uint_eq(guest32(mbi + 8), (RAM - 0x100000) / 1024);     /* mem_upper */
    ck_assert_str_eq(test_guest_str(&mach, guest32(mbi + 16)), "console=ttyS0 expect-mods=0");
    ck_assert_str_eq(test_guest_str(&mach, guest32(mbi + 64)), "Spectrum");
    /* The memory map: low RAM, the legacy hole + ROM as one reserved
     * range, RAM from 1 MiB, then everything up to the last MMIO page. */
    uint32_t len = guest32(mbi + 44), addr = guest32(mbi + 48);
    ck_assert_uint_eq(len, 4 * 24);
    struct mb1_mmap_entry e[4];
    ck_assert(gpm_read(&mach.mem, addr, e, sizeof e));
    uint64_t want[4][3] = { { 0, 0xa0000, 1 }, { 0xa0000, 0x60000, 2 }, { 0x100000, RAM - 0x100000, 1 },
                            { RAM, TEST_LAPIC_BASE + 0x1000 - RAM, 2 } };
    for (int i = 0; i < 4; i++) {
        ck_assert_uint_eq(e[i].size, 20);
        ck_assert_uint_eq(e[i].addr, want[i][0]);
        ck_assert_uint_eq(e[i].len, want[i][1]);
        ck_assert_uint_eq(e[i].type, want[i][2]);
    }
}
END_TEST

START_TEST(modules_page_aligned_above_kernel)
{
    struct elf32_phdr *ph = elf32(0x100000, 1);
    ph32(&ph[0], SEG_OFF, 0x100000, 0x100, 0x2345);
    static const uint8_t a[] = "first module", b[5000] = { 1, 2, 3 };
    struct guest_blob mods[2] = { { a, sizeof a, "a.txt arg" }, { b, sizeof b, NULL } };
    ck_assert_msg(load_n(IMG_MAX, "", mods, 2), "%s", why);
    uint64_t mbi = mach.start.gpr[GPR_RBX];
    ck_assert(guest32(mbi) & MB1_INFO_MODS);
    ck_assert_uint_eq(guest32(mbi + 20), 2);
    uint64_t list = guest32(mbi + 24);
    struct mb1_module m[2];
    ck_assert(gpm_read(&mach.mem, list, m, sizeof m));
    ck_assert_uint_eq(m[0].mod_start, 0x103000);                 /* first page above 0x102345 */
    ck_assert_uint_eq(m[0].mod_end, 0x103000 + sizeof a);
    ck_assert_uint_eq(m[1].mod_start, 0x104000);
    ck_assert_uint_eq(m[1].mod_end, 0x104000 + sizeof b);
    ck_assert_mem_eq(test_guest_bytes(&mach, m[0].mod_start, sizeof a), a, sizeof a);
    ck_assert_mem_eq(test_guest_bytes(&mach, m[1].mod_start, sizeof b), b, sizeof b);
    ck_assert_str_eq(test_guest_str(&mach, m[0].string), "a.txt arg");
    ck_assert_str_eq(test_guest_str(&mach, m[1].string), "");
}
END_TEST

START_TEST(elf64_below_4g)
{
    struct elf64_phdr *ph = elf64(0x100040, 1);
    ph64(&ph[0], SEG_OFF, 0x100000, 0x200, 0x1000);
    ck_assert_msg(load(IMG_MAX), "%s", why);
    ck_assert_int_eq(mach.start.mode, HVM_START_PROT32);
    ck_assert_uint_eq(mach.start.rip, 0x100040);
    ck_assert_mem_eq(test_guest_bytes(&mach, 0x100000, 0x200), img + SEG_OFF, 0x200);
}
END_TEST

START_TEST(aout_kludge)
{
    /* A flat kernel image whose header (at file offset 0x40) says: this
     * byte is at 0x100040, load from 0x100000 to the end of the file,
     * bss up to 0x108000, enter at 0x100080. */
    uint32_t len = 0x1800;
    for (uint32_t i = 0; i < len; i++)
        img[i] = (uint8_t)(i ^ 0x5a);
    mb_header(img, 0x40, MB1_HF_PAGE_ALIGN | MB1_HF_AOUT);
    uint32_t f[5] = { 0x100040, 0x100000, 0, 0x108000, 0x100080 };
    memcpy(img + 0x4c, f, sizeof f);
    test_guest_fill(&mach, 0x100000 + len, 0xcc, 0x100);
    ck_assert_msg(load(len), "%s", why);
    ck_assert_uint_eq(mach.start.rip, 0x100080);
    ck_assert_mem_eq(test_guest_bytes(&mach, 0x100000, len), img, len);
    ck_assert_uint_eq(test_guest_bytes(&mach, 0x100000 + len, 1)[0], 0);   /* bss zeroed */
}
END_TEST

/* The magic with a bad checksum, or cut off after the magic: still the
 * multiboot loader's image, refused with the reason - never run as a
 * flat binary (multiboot.c, mb1_probe). */
START_TEST(broken_header_not_flat)
{
    struct elf32_phdr *ph = elf32(0x100000, 1);
    ph32(&ph[0], SEG_OFF, 0x100000, 0x100, 0x100);
    put32(img + 0x208, 0x12345678);                        /* checksum */
    struct guest_blob image = { img, IMG_MAX, "" };
    ck_assert_str_eq(guest_loader_pick(&image, why, sizeof why)->name, "multiboot");
    ck_assert(!load(IMG_MAX));
    ck_assert_msg(strstr(why, "multiboot: header at offset 0x200 has a bad checksum"), "%s", why);
    ck_assert_uint_eq(test_gpm_refused, 0);
    ck_assert(!load(0x204));                               /* the magic, then the end of the file */
    ck_assert_msg(strncmp(why, "multiboot: ", 11) == 0, "%s", why);
    image.cmdline = "loader=flat";                         /* the user's word: a flat binary after all */
    ck_assert_str_eq(guest_loader_pick(&image, why, sizeof why)->name, "flat");
    /* No magic at an aligned offset: the flat loader's. */
    put32(img + 0x200, 0);
    put32(img + 0x301, MB1_HEADER_MAGIC);
    image.cmdline = "";
    ck_assert_str_eq(guest_loader_pick(&image, why, sizeof why)->name, "flat");
}
END_TEST

START_TEST(picked_over_flat_and_forced)
{
    struct elf32_phdr *ph = elf32(0x100000, 1);
    ph32(&ph[0], SEG_OFF, 0x100000, 0x100, 0x100);
    struct guest_blob image = { img, IMG_MAX, "" };
    ck_assert_str_eq(guest_loader_pick(&image, why, sizeof why)->name, "multiboot");
    image.cmdline = "x loader=flat";
    ck_assert_str_eq(guest_loader_pick(&image, why, sizeof why)->name, "flat");
    image.cmdline = "loader=bogus";
    ck_assert_ptr_null(guest_loader_pick(&image, why, sizeof why));
    ck_assert_str_eq(why, "loader=bogus: no such loader");
}
END_TEST

/* The outside kernel (guests/mbkernel), as gcc and ld made it: the
 * loader must take it the way QEMU's -kernel does. */
START_TEST(real_mbkernel)
{
    static uint8_t file[0x10000], mod[0x1000];
    FILE *f = fopen(MBKERNEL_ELF, "rb");
    ck_assert_msg(f, "cannot open %s", MBKERNEL_ELF);
    size_t len = fread(file, 1, sizeof file, f);
    fclose(f);
    f = fopen(MBKERNEL_MODULE, "rb");
    ck_assert_msg(f, "cannot open %s", MBKERNEL_MODULE);
    size_t mlen = fread(mod, 1, sizeof mod, f);
    fclose(f);
    struct guest_blob image = { file, len, "expect-mods=1" }, m = { mod, mlen, "mod-arg" };
    ck_assert_msg(guest_load(&mach, &image, &m, 1, why, sizeof why), "%s", why);
    struct elf32_ehdr e;
    struct elf32_phdr ph;
    memcpy(&e, file, sizeof e);
    memcpy(&ph, file + e.e_phoff, sizeof ph);
    ck_assert_uint_eq(mach.start.rip, e.e_entry);
    ck_assert_uint_eq(ph.p_paddr, 0x100000);
    ck_assert_mem_eq(test_guest_bytes(&mach, ph.p_paddr, ph.p_filesz), file + ph.p_offset, ph.p_filesz);
    uint64_t mbi = mach.start.gpr[GPR_RBX];
    struct mb1_module mm;
    ck_assert(gpm_read(&mach.mem, guest32(mbi + 24), &mm, sizeof mm));
    ck_assert_uint_ge(mm.mod_start, ph.p_paddr + ph.p_memsz);
    ck_assert_mem_eq(test_guest_bytes(&mach, mm.mod_start, mlen), mod, mlen);
}
END_TEST

/* ---- hostile images ---------------------------------------------------- */

START_TEST(bad_magic_and_checksum)
{
    struct elf32_phdr *ph = elf32(0x100000, 1);
    ph32(&ph[0], SEG_OFF, 0x100000, 0x100, 0x100);
    struct guest_blob image = { img, IMG_MAX, "loader=multiboot" };
    put32(img + 0x208, 0);                                 /* checksum */
    ck_assert(!guest_load(&mach, &image, NULL, 0, why, sizeof why));
    ck_assert_msg(strstr(why, "bad checksum"), "%s", why);
    put32(img + 0x200, 0x1BADB003);                        /* magic */
    ck_assert(!guest_load(&mach, &image, NULL, 0, why, sizeof why));
    ck_assert_msg(strstr(why, "no header"), "%s", why);
    /* Past the first 8 KiB the header does not count. */
    mb_header(img, 0x2000, MB1_HF_MEMINFO);
    ck_assert(!guest_load(&mach, &image, NULL, 0, why, sizeof why));
    ck_assert_msg(strstr(why, "no header"), "%s", why);
    /* Unaligned: not found either. */
    memset(img + 0x2000, 0, 12);
    mb_header(img, 0x202, MB1_HF_MEMINFO);
    ck_assert(!guest_load(&mach, &image, NULL, 0, why, sizeof why));
    ck_assert_msg(strstr(why, "no header"), "%s", why);
}
END_TEST

START_TEST(unknown_required_flags)
{
    struct elf32_phdr *ph = elf32(0x100000, 1);
    ph32(&ph[0], SEG_OFF, 0x100000, 0x100, 0x100);
    mb_header(img, 0x200, MB1_HF_VIDEO);
    refused(IMG_MAX, "video");
    mb_header(img, 0x200, 1u << 9);
    refused(IMG_MAX, "cannot give");
}
END_TEST

START_TEST(truncated_files)
{
    struct elf32_phdr *ph = elf32(0x100000, 1);
    ph32(&ph[0], SEG_OFF, 0x100000, 0x100, 0x100);
    refused(SEG_OFF + 0xff, "segment 0 file range [0x1000+0x100) runs past the end of the file");
    refused(40, "no header");                              /* header beyond the end */
    ((struct elf32_ehdr *)img)->e_phoff = 0x3ff0;          /* table beyond the end */
    refused(IMG_MAX, "program header table");
    /* Header cut off: a.out fields past the end of the file. */
    memset(img, 0, sizeof img);
    mb_header(img, 0x20, MB1_HF_AOUT);
    refused(0x30, "cut off");
}
END_TEST

START_TEST(elf_header_fields)
{
    struct elf32_phdr *ph = elf32(0x100000, 1);
    ph32(&ph[0], SEG_OFF, 0x100000, 0x100, 0x100);
    struct elf32_ehdr *e = (struct elf32_ehdr *)img;
    e->e_phnum = ELF_PN_XNUM;
    refused(IMG_MAX, "program headers");
    e->e_phnum = 0;
    refused(IMG_MAX, "program headers");
    e->e_phnum = 1;
    e->e_phentsize = 16;
    refused(IMG_MAX, "program header size");
    e->e_phentsize = sizeof *ph;
    e->e_machine = ELF_EM_X86_64;
    refused(IMG_MAX, "machine");
    e->e_machine = ELF_EM_386;
    e->e_type = 3;
    refused(IMG_MAX, "not an executable");
    e->e_type = ELF_ET_EXEC;
    img[ELF_EI_CLASS] = 3;
    refused(IMG_MAX, "class");
    img[ELF_EI_CLASS] = ELF_CLASS32;
    memset(img, 0, 4);
    refused(IMG_MAX, "not an ELF");
}
END_TEST

START_TEST(segment_sizes)
{
    struct elf32_phdr *ph = elf32(0x100000, 1);
    ph32(&ph[0], SEG_OFF, 0x100000, 0x200, 0x100);
    refused(IMG_MAX, "p_filesz 0x200 > p_memsz 0x100");
    ph32(&ph[0], 0xffffffff, 0x100000, 0x10, 0x10);        /* p_offset + p_filesz overflows 32 bits */
    refused(IMG_MAX, "runs past the end");
    ph32(&ph[0], SEG_OFF, 0x100000, 0, 0);                  /* only an empty segment */
    refused(IMG_MAX, "no PT_LOAD");
}
END_TEST

START_TEST(elf64_overflow_and_entry)
{
    struct elf64_phdr *ph = elf64(0x100000, 1);
    ph64(&ph[0], 0xfffffffffffffff0ull, 0x100000, 0x20, 0x20);
    refused(IMG_MAX, "runs past the end");
    ph64(&ph[0], SEG_OFF, 0xfffffffffffff000ull, 0x10, 0x2000);
    refused(IMG_MAX, "wraps");
    ph64(&ph[0], SEG_OFF, 0x100000, 0x10, 0x10);
    ((struct elf64_ehdr *)img)->e_entry = 0x100000100000ull;
    refused(IMG_MAX, "above 4 GiB");
    ((struct elf64_ehdr *)img)->e_phoff = 0xffffffffffffff00ull;
    refused(IMG_MAX, "program header table");
}
END_TEST

START_TEST(segment_placement)
{
    struct elf32_phdr *ph = elf32(0x100000, 1);
    ph32(&ph[0], SEG_OFF, 0x100000, 0x100, 0x2000000);
    ck_assert(!load(IMG_MAX));
    ck_assert_str_eq(why, "multiboot: segment 0 [0x100000+0x2000000) leaves guest RAM (ends at 0x2000000)");
    ph32(&ph[0], SEG_OFF, 0x9000, 0x100, 0x100);
    refused(IMG_MAX, "below 1 MiB");
    ph32(&ph[0], SEG_OFF, 0xe0000, 0x100, 0x100);          /* the ROM is below 1 MiB too */
    refused(IMG_MAX, "below 1 MiB");
    ph32(&ph[0], SEG_OFF, (uint32_t)TEST_LAPIC_BASE, 0x100, 0x100);
    refused(IMG_MAX, "lands on MMIO");
    ph32(&ph[0], SEG_OFF, 0x40000000, 0x100, 0x100);
    refused(IMG_MAX, "hole");
    ph32(&ph[0], SEG_OFF, 0xfffff000, 0x100, 0x2000);
    refused(IMG_MAX, "not below 4 GiB");
    ph32(&ph[0], SEG_OFF, 0x100000, 0x100, 0x100);
    ((struct elf32_ehdr *)img)->e_entry = 0x300000;
    refused(IMG_MAX, "in no loaded segment");
}
END_TEST

START_TEST(overlapping_segments)
{
    struct elf32_phdr *ph = elf32(0x100000, 3);
    ph32(&ph[0], SEG_OFF, 0x100000, 0x100, 0x1000);
    ph[1] = (struct elf32_phdr){ .p_type = 4 };             /* PT_NOTE: skipped */
    ph32(&ph[2], SEG_OFF, 0x100800, 0x100, 0x1000);
    refused(IMG_MAX, "segment 2 [0x100800+0x1000) overlaps segment 0 [0x100000+0x1000)");
}
END_TEST

START_TEST(modules_hostile)
{
    struct elf32_phdr *ph = elf32(0x100000, 1);
    ph32(&ph[0], SEG_OFF, 0x100000, 0x100, 0x100);
    static uint8_t big[1];
    struct guest_blob mods[MB1_MAX_MODULES + 1];
    for (int i = 0; i <= MB1_MAX_MODULES; i++)
        mods[i] = (struct guest_blob){ big, 1, "m" };
    ck_assert(!load_n(IMG_MAX, "", mods, MB1_MAX_MODULES + 1));
    ck_assert_msg(strstr(why, "17 modules (at most 16)"), "%s", why);
    ck_assert(load_n(IMG_MAX, "", mods, MB1_MAX_MODULES));
    /* A module larger than the RAM left (the length is what counts). */
    mods[1].len = RAM;
    ck_assert(!load_n(IMG_MAX, "", mods, 2));
    ck_assert_msg(strstr(why, "module 1 (33554432 bytes) does not fit: [0x102000+0x2000000) leaves guest RAM"),
                  "%s", why);
    mods[1].len = ~0ull - 0x1000;
    ck_assert(!load_n(IMG_MAX, "", mods, 2));
    ck_assert_msg(strstr(why, "module 1"), "%s", why);
    ck_assert(!load_n(IMG_MAX, "", mods, -1));
    ck_assert_uint_eq(test_gpm_refused, 0);
}
END_TEST

START_TEST(long_strings_cut)
{
    struct elf32_phdr *ph = elf32(0x100000, 1);
    ph32(&ph[0], SEG_OFF, 0x100000, 0x100, 0x100);
    static char s[4000];
    memset(s, 'x', sizeof s - 1);
    struct guest_blob mods[MB1_MAX_MODULES];
    for (int i = 0; i < MB1_MAX_MODULES; i++)
        mods[i] = (struct guest_blob){ img, 16, s };
    ck_assert_msg(load_n(IMG_MAX, s, mods, MB1_MAX_MODULES), "%s", why);
    uint64_t mbi = mach.start.gpr[GPR_RBX];
    ck_assert_uint_eq(strlen(test_guest_str(&mach, guest32(mbi + 16))), 255);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("loader_multiboot");
    TCase *good = tcase_create("good");
    tcase_add_checked_fixture(good, setup, teardown);
    tcase_add_test(good, elf32_segments_and_bss);
    tcase_add_test(good, info_structure);
    tcase_add_test(good, modules_page_aligned_above_kernel);
    tcase_add_test(good, elf64_below_4g);
    tcase_add_test(good, aout_kludge);
    tcase_add_test(good, picked_over_flat_and_forced);
    tcase_add_test(good, long_strings_cut);
    tcase_add_test(good, real_mbkernel);
    suite_add_tcase(s, good);
    TCase *bad = tcase_create("hostile");
    tcase_add_checked_fixture(bad, setup, teardown);
    tcase_add_test(bad, bad_magic_and_checksum);
    tcase_add_test(bad, broken_header_not_flat);
    tcase_add_test(bad, unknown_required_flags);
    tcase_add_test(bad, truncated_files);
    tcase_add_test(bad, elf_header_fields);
    tcase_add_test(bad, segment_sizes);
    tcase_add_test(bad, elf64_overflow_and_entry);
    tcase_add_test(bad, segment_placement);
    tcase_add_test(bad, overlapping_segments);
    tcase_add_test(bad, modules_hostile);
    suite_add_tcase(s, bad);
    return s;
}

CHECK_MAIN(make_suite)
