/**
 * @file test_bzimage.c
 * @brief Unit tests of the bzimage loader (loader/bzimage.c and its bz_*.c
 *        parts), hosted with Check, over the real guest-physical map
 *        (tests/test_loader_machine.c).
 *
 * Images are built here: a boot sector with a 2.15 setup header, setup
 * sectors, and a protected-mode part with a counting pattern.  A good
 * image must land where the protocol says, with a zero page, command
 * line, initrd, GDT and page tables a 64-bit Linux entry accepts; a
 * hostile header must be refused with a message naming the field, and no
 * write may be attempted outside RAM/ROM (test_gpm_refused).  If a real
 * bzImage is around (the project's cached build or Debian's /boot), it is
 * loaded too.
 */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "firmware/firmware.h"
#include "loader/bzimage.h"
#include "test_loader.h"

#define RAM (64ull << 20)
#define SETUP_SECTS 4
#define SETUP_BYTES ((SETUP_SECTS + 1) * 512)
#define PM_BYTES 0x3000
#define IMG_LEN (SETUP_BYTES + PM_BYTES)
#define PREF 0x1000000u      /* LOAD_PHYSICAL_ADDR of a default x86-64 config */
#define ALIGN 0x200000u
#define INIT_SIZE 0x800000u

static struct pc_machine mach;
static uint8_t img[0x20000];
static char why[512];

static struct bz_setup_header *hdr(void) { return (struct bz_setup_header *)(img + BZ_HDR_OFFSET); }

/* A bzImage as the kernel's build makes one (arch/x86/boot/header.S). */
static void make_image(void)
{
    memset(img, 0, sizeof img);
    struct bz_setup_header *h = hdr();
    h->setup_sects = SETUP_SECTS;
    h->syssize = PM_BYTES / 16;
    h->vid_mode = 0xffff;
    h->boot_flag = BZ_BOOT_FLAG;
    h->jump = (uint16_t)(0xeb | ((0x26c - 0x202) << 8));   /* jmp over the header: its end is 0x26c */
    h->header = BZ_HDRS_MAGIC;
    h->version = 0x020f;
    h->loadflags = BZ_LF_LOADED_HIGH;
    h->code32_start = 0x100000;
    h->initrd_addr_max = 0x7fffffff;
    h->kernel_alignment = ALIGN;
    h->relocatable_kernel = 1;
    h->min_alignment = 21;
    h->xloadflags = BZ_XLF_KERNEL_64 | BZ_XLF_CAN_BE_LOADED_ABOVE_4G;
    h->cmdline_size = 2047;
    h->pref_address = PREF;
    h->init_size = INIT_SIZE;
    h->setup_data = 0x1234;   /* a loader must clear it */
    for (int i = 0; i < PM_BYTES; i++)
        img[SETUP_BYTES + i] = (uint8_t)(i * 7 + 3);
}

static void setup(void)
{
    test_machine_create(&mach, RAM);
    make_image();
    why[0] = '\0';
    test_gpm_refused = 0;
}

static void teardown(void) { test_machine_destroy(&mach); }

static bool load_n(uint64_t len, const char *cmdline, const struct guest_blob *mods, int n)
{
    struct guest_blob image = { img, len, cmdline };
    return guest_load(&mach, &image, mods, n, why, sizeof why);
}

static bool load(void) { return load_n(IMG_LEN, "console=ttyS0", NULL, 0); }

static const struct bz_boot_params *zero_page(void)
{
    static struct bz_boot_params bp;
    ck_assert(gpm_read(&mach.mem, mach.start.gpr[GPR_RSI], &bp, sizeof bp));
    return &bp;
}

/* Refused (forced to the bzimage loader) naming @p part, no bad write. */
static void refused_n(uint64_t len, const char *cmdline, const struct guest_blob *mods, int n, const char *part)
{
    char cl[256];
    snprintf(cl, sizeof cl, "loader=bzimage %s", cmdline);
    ck_assert_msg(!load_n(len, cl, mods, n), "loaded, expected a refusal naming '%s'", part);
    ck_assert_msg(strstr(why, part), "message '%s' does not name '%s'", why, part);
    ck_assert_msg(!strncmp(why, "bzimage: ", 9), "message '%s' does not name the loader", why);
    ck_assert_uint_eq(test_gpm_refused, 0);
}

static void refused(uint64_t len, const char *part) { refused_n(len, "", NULL, 0, part); }

/* Walk the guest's page tables as the CPU would (SDM Vol. 3A §5.5). */
static uint64_t walk(uint64_t va)
{
    uint64_t e;
    ck_assert(gpm_read(&mach.mem, (mach.start.cr3 & ~0xfffull) + ((va >> 39) & 511) * 8, &e, 8));
    ck_assert_msg(e & 1, "PML4E for %#lx not present", (unsigned long)va);
    ck_assert(gpm_read(&mach.mem, (e & 0xffffffffff000ull) + ((va >> 30) & 511) * 8, &e, 8));
    ck_assert_msg(e & 1, "PDPTE for %#lx not present", (unsigned long)va);
    ck_assert(gpm_read(&mach.mem, (e & 0xffffffffff000ull) + ((va >> 21) & 511) * 8, &e, 8));
    ck_assert_msg((e & 0x83) == 0x83, "PDE for %#lx not a present writable 2 MiB page", (unsigned long)va);
    return (e & 0xfffffffe00000ull) | (va & 0x1fffff);
}

/* ---- good images ------------------------------------------------------- */

START_TEST(loads_at_pref_address)
{
    test_guest_fill(&mach, PREF + PM_BYTES, 0xaa, 0x10);
    ck_assert_msg(load(), "%s", why);
    ck_assert_uint_eq(test_gpm_refused, 0);
    ck_assert_mem_eq(test_guest_bytes(&mach, PREF, PM_BYTES), img + SETUP_BYTES, PM_BYTES);
    ck_assert_uint_eq(test_guest_bytes(&mach, PREF + PM_BYTES, 1)[0], 0xaa);   /* nothing past the kernel */
    ck_assert_uint_eq(test_guest_bytes(&mach, PREF - 1, 1)[0], 0);
}
END_TEST

START_TEST(start_state_64bit_entry)
{
    ck_assert_msg(load(), "%s", why);
    ck_assert_int_eq(mach.start.mode, HVM_START_LONG64);
    ck_assert_uint_eq(mach.start.rip, PREF + 0x200);
    ck_assert_uint_eq(mach.start.gpr[GPR_RSI], BZ_ZERO_PAGE_GPA);
    ck_assert_uint_eq(mach.start.rsp, BZ_ZERO_PAGE_GPA);   /* a stack below the zero page, above the tables */
    ck_assert_uint_ge(BZ_STACK_LOW, BZ_PD_GPA + BZ_IDENTITY_GIB * 0x1000ull);
    /* The GDT: __BOOT_CS (0x10) flat 64-bit execute/read, __BOOT_DS (0x18) flat read/write. */
    ck_assert_uint_eq(mach.start.gdt_base, BZ_GDT_GPA);
    ck_assert_uint_ge(mach.start.gdt_limit, 0x1f);
    uint64_t gdt[4];
    ck_assert(gpm_read(&mach.mem, mach.start.gdt_base, gdt, sizeof gdt));
    ck_assert_uint_eq(gdt[0], 0);
    ck_assert_uint_eq((gdt[2] >> 40) & 0xff, 0x9b);          /* P, DPL 0, S, code execute/read accessed */
    ck_assert_uint_eq((gdt[2] >> 52) & 0xf, 0xa);            /* G, L (D = 0) */
    ck_assert_uint_eq((gdt[3] >> 40) & 0xff, 0x93);          /* P, DPL 0, S, data read/write accessed */
    ck_assert_uint_eq((gdt[3] >> 52) & 0xf, 0xc);            /* G, D/B */
    ck_assert_uint_eq(gdt[2] & 0xffff, 0xffff);
    ck_assert_uint_eq(gdt[3] & 0xffff, 0xffff);
    /* Identity map of 4 GiB: kernel, zero page, command line, the top. */
    const uint64_t va[] = { 0, BZ_ZERO_PAGE_GPA, BZ_CMDLINE_GPA + 5, PREF + 0x200, PREF + INIT_SIZE - 1,
                            RAM - 1, 0xfec00000, 0xffffffff };
    for (size_t i = 0; i < sizeof va / sizeof va[0]; i++)
        ck_assert_uint_eq(walk(va[i]), va[i]);
}
END_TEST

START_TEST(zero_page_header)
{
    ck_assert_msg(load(), "%s", why);
    const struct bz_boot_params *bp = zero_page();
    const struct bz_setup_header *h = &bp->hdr;
    ck_assert_uint_eq(h->type_of_loader, 0xff);
    ck_assert_uint_eq(h->loadflags, BZ_LF_LOADED_HIGH | BZ_LF_CAN_USE_HEAP);
    ck_assert_uint_eq(h->heap_end_ptr, BZ_HEAP_END);
    ck_assert_uint_eq(h->cmd_line_ptr, BZ_CMDLINE_GPA);
    ck_assert_str_eq(test_guest_str(&mach, h->cmd_line_ptr), "console=ttyS0");
    ck_assert_uint_eq(h->ramdisk_image, 0);
    ck_assert_uint_eq(h->ramdisk_size, 0);
    ck_assert_uint_eq(h->setup_data, 0);
    /* Fields the loader leaves as the image has them. */
    ck_assert_uint_eq(h->version, 0x020f);
    ck_assert_uint_eq(h->kernel_alignment, ALIGN);
    ck_assert_uint_eq(h->init_size, INIT_SIZE);
    ck_assert_uint_eq(h->pref_address, PREF);
    ck_assert_uint_eq(h->boot_flag, BZ_BOOT_FLAG);
    ck_assert_uint_eq(bp->sentinel, 0);
    ck_assert_uint_eq(bp->ext_ramdisk_image | bp->ext_ramdisk_size | bp->ext_cmd_line_ptr, 0);
    ck_assert_uint_eq(bp->acpi_rsdp_addr, FW_ACPI_GPA);
    ck_assert_uint_eq(bp->alt_mem_k, (RAM - 0x100000) / 1024);
    /* Raw offsets, as Linux reads them. */
    const uint8_t *raw = (const uint8_t *)bp;
    ck_assert_uint_eq(raw[0x210], 0xff);
    uint32_t v;
    memcpy(&v, raw + 0x228, 4);
    ck_assert_uint_eq(v, BZ_CMDLINE_GPA);
}
END_TEST

/* The TSC's rate reaches the kernel as tsc_early_khz= unless the user gave one. */
START_TEST(tsc_rate_on_command_line)
{
    mach.tsc_khz = 2600000;
    ck_assert_msg(load(), "%s", why);
    const struct bz_setup_header *h = &zero_page()->hdr;
    ck_assert_str_eq(test_guest_str(&mach, h->cmd_line_ptr), "console=ttyS0 tsc_early_khz=2600000");
    ck_assert_msg(load_n(IMG_LEN, "tsc_early_khz=123 quiet", NULL, 0), "%s", why);
    ck_assert_str_eq(test_guest_str(&mach, zero_page()->hdr.cmd_line_ptr), "tsc_early_khz=123 quiet");
    ck_assert_msg(load_n(IMG_LEN, "", NULL, 0), "%s", why);
    ck_assert_str_eq(test_guest_str(&mach, zero_page()->hdr.cmd_line_ptr), "tsc_early_khz=2600000");
    /* Appending must not let a line past cmdline_size through. */
    hdr()->cmdline_size = 20;
    ck_assert(!load_n(IMG_LEN, "console=ttyS0", NULL, 0));
    ck_assert_msg(strstr(why, "cmdline_size"), "%s", why);
}
END_TEST

START_TEST(zero_page_e820)
{
    ck_assert_msg(load(), "%s", why);
    const struct bz_boot_params *bp = zero_page();
    /* Low RAM, the legacy hole + ROM as one reserved range up to 1 MiB,
     * RAM from 1 MiB; the MMIO windows and the holes above are left out. */
    ck_assert_uint_eq(bp->e820_entries, 3);
    const uint64_t want[3][3] = { { 0, 0xa0000, 1 }, { 0xa0000, 0x60000, 2 }, { 0x100000, RAM - 0x100000, 1 } };
    for (int i = 0; i < 3; i++) {
        ck_assert_uint_eq(bp->e820_table[i].addr, want[i][0]);
        ck_assert_uint_eq(bp->e820_table[i].size, want[i][1]);
        ck_assert_uint_eq(bp->e820_table[i].type, want[i][2]);
    }
    uint8_t count;
    ck_assert(gpm_read(&mach.mem, BZ_ZERO_PAGE_GPA + 0x1e8, &count, 1));
    ck_assert_uint_eq(count, 3);
    uint64_t addr2;
    ck_assert(gpm_read(&mach.mem, BZ_ZERO_PAGE_GPA + 0x2d0 + 2 * 20, &addr2, 8));
    ck_assert_uint_eq(addr2, 0x100000);
}
END_TEST

START_TEST(initrd_high_and_aligned)
{
    static uint8_t rd[10000];
    for (size_t i = 0; i < sizeof rd; i++)
        rd[i] = (uint8_t)(i ^ 0x5a);
    struct guest_blob m = { rd, sizeof rd, "initrd" };
    ck_assert_msg(load_n(IMG_LEN, "", &m, 1), "%s", why);
    const struct bz_setup_header *h = &zero_page()->hdr;
    ck_assert_uint_eq(h->ramdisk_size, sizeof rd);
    ck_assert_uint_eq(h->ramdisk_image & 0xfff, 0);
    ck_assert_uint_le(h->ramdisk_image + sizeof rd, RAM);
    ck_assert_uint_ge(h->ramdisk_image, PREF + INIT_SIZE);
    ck_assert_uint_eq(h->ramdisk_image, (RAM - sizeof rd) & ~0xfffull);   /* as high as RAM allows */
    ck_assert_mem_eq(test_guest_bytes(&mach, h->ramdisk_image, sizeof rd), rd, sizeof rd);
    /* initrd_addr_max lower than RAM: the last byte at or below it. */
    test_machine_clear(&mach);
    hdr()->initrd_addr_max = 0x1ffffff;
    ck_assert_msg(load_n(IMG_LEN, "", &m, 1), "%s", why);
    h = &zero_page()->hdr;
    ck_assert_uint_le(h->ramdisk_image + sizeof rd - 1, 0x1ffffff);
    ck_assert_uint_eq(h->ramdisk_image, (0x2000000 - sizeof rd) & ~0xfffull);
    ck_assert_uint_eq(test_gpm_refused, 0);
}
END_TEST

START_TEST(non_relocatable_at_1mib)
{
    hdr()->relocatable_kernel = 0;
    hdr()->kernel_alignment = 3;   /* only a relocatable kernel's alignment counts */
    ck_assert_msg(load(), "%s", why);
    ck_assert_uint_eq(mach.start.rip, 0x100200);
    ck_assert_mem_eq(test_guest_bytes(&mach, 0x100000, PM_BYTES), img + SETUP_BYTES, PM_BYTES);
    /* It runs (decompresses) at pref_address: an initrd goes above that. */
    static uint8_t rd[4096];
    struct guest_blob m = { rd, sizeof rd, NULL };
    test_machine_clear(&mach);
    hdr()->initrd_addr_max = PREF + INIT_SIZE + 0x1000 - 1;
    ck_assert_msg(load_n(IMG_LEN, "", &m, 1), "%s", why);
    ck_assert_uint_eq(zero_page()->hdr.ramdisk_image, PREF + INIT_SIZE);
}
END_TEST

START_TEST(pref_address_unsuitable_falls_back)
{
    hdr()->pref_address = PREF + 0x1000;   /* not kernel_alignment aligned */
    ck_assert_msg(load(), "%s", why);
    ck_assert_uint_eq(mach.start.rip, 0x100200);
    hdr()->pref_address = 0;               /* none */
    ck_assert_msg(load(), "%s", why);
    ck_assert_uint_eq(mach.start.rip, 0x100200);
}
END_TEST

START_TEST(picked_over_others_and_options)
{
    struct guest_blob image = { img, IMG_LEN, "" };
    ck_assert_str_eq(guest_loader_pick(&image, why, sizeof why)->name, "bzimage");
    ck_assert_int_gt(guest_loader_find("bzimage")->rank, guest_loader_find("multiboot")->rank);
    /* fwtables=none: no tables, no RSDP in the zero page; =mp: MP only. */
    ck_assert_msg(load_n(IMG_LEN, "fwtables=none", NULL, 0), "%s", why);
    ck_assert_uint_eq(zero_page()->acpi_rsdp_addr, 0);
    ck_assert_mem_eq(test_guest_bytes(&mach, FW_MP_GPA, 4), "\0\0\0\0", 4);
    ck_assert_msg(load_n(IMG_LEN, "fwtables=mp", NULL, 0), "%s", why);
    ck_assert_uint_eq(zero_page()->acpi_rsdp_addr, 0);
    ck_assert_mem_eq(test_guest_bytes(&mach, FW_MP_GPA, 4), "_MP_", 4);
    refused_n(IMG_LEN, "fwtables=bios", NULL, 0, "fwtables=bios");
}
END_TEST

/* A real kernel, if one is around: the project's cached build or Debian's. */
START_TEST(real_bzimage)
{
    const char *cache = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char pat[2][512];
    snprintf(pat[0], sizeof pat[0], "%s%s/spectrum/linux-*/bzImage", cache ? cache : home ? home : "/nonexistent",
             cache ? "" : "/.cache");
    snprintf(pat[1], sizeof pat[1], "/boot/vmlinuz-*");
    const char *path = NULL;
    glob_t g[2];
    for (int i = 0; i < 2; i++) {
        int rc = glob(pat[i], 0, NULL, &g[i]);
        for (size_t j = 0; !path && rc == 0 && j < g[i].gl_pathc; j++) {
            FILE *f = fopen(g[i].gl_pathv[j], "rb");
            if (f) {
                path = g[i].gl_pathv[j];
                fclose(f);
            }
        }
    }
    if (!path) {
        printf("real_bzimage: SKIP: no readable bzImage at %s or %s\n", pat[0], pat[1]);
        return;
    }
    FILE *f = fopen(path, "rb");
    ck_assert(f);
    static uint8_t file[64 << 20];
    size_t len = fread(file, 1, sizeof file, f);
    fclose(f);
    test_machine_destroy(&mach);
    test_machine_create(&mach, 512ull << 20);
    struct guest_blob image = { file, len, "console=ttyS0" };
    ck_assert_str_eq(guest_loader_pick(&image, why, sizeof why)->name, "bzimage");
    ck_assert_msg(guest_load(&mach, &image, NULL, 0, why, sizeof why), "%s: %s", path, why);
    struct bz_setup_header h;
    memcpy(&h, file + BZ_HDR_OFFSET, sizeof h);
    uint64_t setup = ((uint64_t)(h.setup_sects ? h.setup_sects : 4) + 1) * 512;
    uint64_t load = mach.start.rip - 0x200;
    ck_assert_mem_eq(test_guest_bytes(&mach, load, 4096), file + setup, 4096);
    printf("real_bzimage: %s (protocol %#x, init_size %#x) loaded at %#lx\n", path, h.version, h.init_size,
           (unsigned long)load);
    globfree(&g[0]);
    globfree(&g[1]);
}
END_TEST

/* ---- hostile images ---------------------------------------------------- */

START_TEST(bad_magic)
{
    hdr()->boot_flag = 0x55aa;
    refused(IMG_LEN, "boot_flag at 0x1fe is 0x55aa");
    hdr()->boot_flag = BZ_BOOT_FLAG;
    hdr()->header = 0x53726449;
    refused(IMG_LEN, "\"HdrS\"");
    /* Not probed as a bzImage either: the flat loader takes it. */
    struct guest_blob image = { img, IMG_LEN, "" };
    ck_assert_str_ne(guest_loader_pick(&image, why, sizeof why)->name, "bzimage");
}
END_TEST

START_TEST(protocol_too_old)
{
    hdr()->version = 0x020b;
    refused(IMG_LEN, "boot protocol version 0x20b is older than 2.12");
    hdr()->version = 0x020c;
    img[0x201] = 0x10;   /* the header claims to end at 0x212 */
    refused(IMG_LEN, "setup header end 0x212");
}
END_TEST

START_TEST(no_64bit_entry)
{
    hdr()->xloadflags = BZ_XLF_CAN_BE_LOADED_ABOVE_4G;
    refused(IMG_LEN, "XLF_KERNEL_64");
    hdr()->xloadflags = BZ_XLF_KERNEL_64;
    hdr()->loadflags = 0;
    refused(IMG_LEN, "LOADED_HIGH");
}
END_TEST

START_TEST(setup_sects_and_truncation)
{
    hdr()->setup_sects = 255;   /* 128 KiB of setup in a 14 KiB file */
    refused(IMG_LEN, "setup_sects 255");
    hdr()->setup_sects = 0;     /* means 4: the same image */
    ck_assert_msg(load_n(IMG_LEN, "", NULL, 0), "%s", why);
    refused(SETUP_BYTES - 1, "setup_sects 4");
    refused(SETUP_BYTES, "setup_sects 4");
    refused(0x200, "shorter than a 2.12 setup header");
    refused(IMG_LEN - 0x100, "syssize 0x300");   /* file cut short of syssize */
    hdr()->syssize = 0;
    refused(IMG_LEN, "syssize 0");
    hdr()->syssize = 0x10;
    refused(IMG_LEN, "64-bit entry at +0x200");
}
END_TEST

START_TEST(init_size_overflows_ram)
{
    hdr()->init_size = RAM - PREF + 0x1000;   /* pref_address + init_size one page past RAM */
    refused(IMG_LEN, "init_size");
    ck_assert_msg(strstr(why, "leaves guest RAM"), "%s", why);
    hdr()->init_size = 0xffffffff;
    refused(IMG_LEN, "init_size 0xffffffff");
    hdr()->init_size = PM_BYTES - 16;
    refused(IMG_LEN, "init_size 0x2ff0 is smaller than the protected-mode part");
    /* pref_address at the top of the address space. */
    hdr()->init_size = INIT_SIZE;
    hdr()->relocatable_kernel = 0;
    hdr()->pref_address = 0xfffffffffff00000ull;
    refused(IMG_LEN, "wrap");
    hdr()->pref_address = 0x12345;
    refused(IMG_LEN, "pref_address 0x12345 is not page aligned");
}
END_TEST

START_TEST(initrd_too_large)
{
    static uint8_t rd[1];
    struct guest_blob m = { rd, RAM - PREF - INIT_SIZE + 1, "big" };   /* one byte more than fits */
    refused_n(IMG_LEN, "", &m, 1, "initrd of");
    m.len = ~0ull;
    refused_n(IMG_LEN, "", &m, 1, "initrd of");
    m.len = 0x2000;
    hdr()->initrd_addr_max = PREF + INIT_SIZE;   /* room for 1 byte only */
    refused_n(IMG_LEN, "", &m, 1, "initrd_addr_max 0x1800000");
    struct guest_blob two[2] = { { rd, 1, "" }, { rd, 1, "" } };
    refused_n(IMG_LEN, "", two, 2, "2 modules");
}
END_TEST

START_TEST(cmdline_too_long)
{
    hdr()->cmdline_size = 20;
    ck_assert_msg(load_n(IMG_LEN, "12345678901234567890", NULL, 0), "%s", why);   /* exactly 20 */
    ck_assert_str_eq(test_guest_str(&mach, BZ_CMDLINE_GPA), "12345678901234567890");
    ck_assert(!load_n(IMG_LEN, "123456789012345678901", NULL, 0));
    ck_assert_msg(strstr(why, "cmdline_size 0x14"), "%s", why);
    static char huge[0x20000];
    memset(huge, 'x', sizeof huge - 1);
    hdr()->cmdline_size = 0xffffffff;
    ck_assert(!load_n(IMG_LEN, huge, NULL, 0));
    ck_assert_msg(strstr(why, "65536+ bytes"), "%s", why);
    ck_assert_uint_eq(test_gpm_refused, 0);
}
END_TEST

START_TEST(kernel_alignment_bogus)
{
    const uint32_t bad[] = { 0, 3, 0x300000, 0x800, 0x80000000u };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hdr()->kernel_alignment = bad[i];
        refused(IMG_LEN, "kernel_alignment");
    }
}
END_TEST

START_TEST(no_low_ram)
{
    /* A machine whose low RAM is missing cannot take the zero page. */
    test_machine_destroy(&mach);
    memset(&mach, 0, sizeof mach);
    gpm_init(&mach.mem, 39);
    char w[128];
    ck_assert(gpm_add(&mach.mem, PC_HIGH_RAM_BASE, RAM - PC_HIGH_RAM_BASE, GPM_RAM, "ram", w, sizeof w));
    mach.vm.ext = &mach;
    refused(IMG_LEN, "no RAM at [0x1000");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("loader_bzimage");
    TCase *good = tcase_create("good");
    tcase_add_checked_fixture(good, setup, teardown);
    tcase_set_timeout(good, 60);
    tcase_add_test(good, loads_at_pref_address);
    tcase_add_test(good, start_state_64bit_entry);
    tcase_add_test(good, zero_page_header);
    tcase_add_test(good, zero_page_e820);
    tcase_add_test(good, tsc_rate_on_command_line);
    tcase_add_test(good, initrd_high_and_aligned);
    tcase_add_test(good, non_relocatable_at_1mib);
    tcase_add_test(good, pref_address_unsuitable_falls_back);
    tcase_add_test(good, picked_over_others_and_options);
    tcase_add_test(good, real_bzimage);
    suite_add_tcase(s, good);
    TCase *bad = tcase_create("hostile");
    tcase_add_checked_fixture(bad, setup, teardown);
    tcase_add_test(bad, bad_magic);
    tcase_add_test(bad, protocol_too_old);
    tcase_add_test(bad, no_64bit_entry);
    tcase_add_test(bad, setup_sects_and_truncation);
    tcase_add_test(bad, init_size_overflows_ram);
    tcase_add_test(bad, initrd_too_large);
    tcase_add_test(bad, cmdline_too_long);
    tcase_add_test(bad, kernel_alignment_bogus);
    tcase_add_test(bad, no_low_ram);
    suite_add_tcase(s, bad);
    return s;
}

CHECK_MAIN(make_suite)
