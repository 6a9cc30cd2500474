/**
 * @file fuzz_loader_bzimage.c
 * @brief libFuzzer target for the bzimage loader.
 *
 * Input: one control byte, then the image.  Control bits:
 *   0     make the header plausible (boot_flag, "HdrS", header end, a
 *         2.12+ version, LOADED_HIGH, XLF_KERNEL_64), so the fuzzer
 *         reaches the size, alignment and placement checks at once
 *   1     one module (the initrd): the image's second half
 *   2-3   command line: none, short, 300 bytes, 5000 bytes
 * Any input must be loaded or refused with a message, never crash (ASan,
 * UBSan), and never make the loader write outside RAM/ROM.  After a load
 * the start state must be the protocol's: 64-bit, RIP = load + 0x200 in
 * RAM, RSI = the zero page, whose ramdisk and command line lie in RAM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/bzimage.h"
#include "test_loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct pc_machine m;
    static bool made;
    static uint8_t img[0x10000];
    static char cl[5001];
    if (!made) {
        test_machine_create(&m, 8ull << 20);
        made = true;
    }
    if (size < 1)
        return 0;
    uint8_t ctl = data[0];
    data++;
    size--;
    size_t len = size < sizeof img ? size : sizeof img;
    memcpy(img, data, len);
    if ((ctl & 1) && len >= BZ_HDR_END_2_12) {
        struct bz_setup_header h;
        memcpy(&h, img + BZ_HDR_OFFSET, BZ_HDR_END_2_12 - BZ_HDR_OFFSET);
        h.boot_flag = BZ_BOOT_FLAG;
        h.jump = (uint16_t)((h.jump & 0xff) | ((BZ_HDR_END_2_12 - 0x202 + (h.jump >> 8) % 8) << 8));
        h.header = BZ_HDRS_MAGIC;
        h.version = (uint16_t)(BZ_MIN_VERSION + h.version % 4);
        h.loadflags |= BZ_LF_LOADED_HIGH;
        h.xloadflags |= BZ_XLF_KERNEL_64;
        memcpy(img + BZ_HDR_OFFSET, &h, BZ_HDR_END_2_12 - BZ_HDR_OFFSET);
    }
    size_t cl_len[4] = { 0, 20, 300, 5000 };
    size_t n = cl_len[(ctl >> 2) & 3];
    memset(cl, 'a', n);
    cl[n] = '\0';
    struct guest_blob mod = { img + len / 2, len - len / 2, "initrd" };
    int nmod = (ctl >> 1) & 1;

    test_machine_clear(&m);
    test_gpm_refused = 0;
    const struct guest_loader *bz = guest_loader_find("bzimage");
    struct guest_blob image = { img, len, cl };
    char why[256] = "";
    bool ok = bz->load(&m, &image, &mod, nmod, &m.start, why, sizeof why);
    if (getenv("FUZZ_LOADER_VERBOSE"))   /* replaying one input: say what happened */
        fprintf(stderr, "%s\n", ok ? "loaded" : why);
    if (test_gpm_refused)
        abort();
    if (!ok) {
        if (strncmp(why, "bzimage: ", 9) != 0)
            abort();
        return 0;
    }
    const struct gpm_region *r = gpm_find(&m.mem, m.start.rip);
    if (m.start.mode != HVM_START_LONG64 || m.start.gpr[GPR_RSI] != BZ_ZERO_PAGE_GPA || !r || r->kind != GPM_RAM ||
        m.start.rip < PC_HIGH_RAM_BASE + BZ_ENTRY64_OFFSET || m.start.cr3 != BZ_PML4_GPA)
        abort();
    struct bz_boot_params bp;
    if (!gpm_read(&m.mem, BZ_ZERO_PAGE_GPA, &bp, sizeof bp) || bp.hdr.type_of_loader != 0xff ||
        bp.hdr.cmd_line_ptr != BZ_CMDLINE_GPA || strlen(cl) > bp.hdr.cmdline_size)
        abort();
    uint64_t ram_end;
    if (bp.hdr.ramdisk_size &&
        (loader_ram_check(&m, bp.hdr.ramdisk_image, bp.hdr.ramdisk_size, &ram_end) ||
         bp.hdr.ramdisk_image < m.start.rip - BZ_ENTRY64_OFFSET + bp.hdr.init_size ||
         (uint64_t)bp.hdr.ramdisk_image + bp.hdr.ramdisk_size - 1 > bp.hdr.initrd_addr_max))
        abort();
    return 0;
}
