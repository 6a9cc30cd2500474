/**
 * @file fuzz_loader_mb.c
 * @brief libFuzzer target for the multiboot loader.
 *
 * Input: one control byte, then the image.  Control bits:
 *   0     fix the checksum of the first aligned header magic (so the
 *         fuzzer reaches the layout code without solving the sum)
 *   1-2   number of modules (0-3): slices of the image's tail
 *   3     build an ELF32 kernel around the image: the first 16 bytes
 *         become one program header's p_offset, p_paddr, p_filesz,
 *         p_memsz, the next 4 the entry point (reaches the segment checks
 *         at once)
 * Any input must be loaded or refused with a message, never crash (ASan,
 * UBSan), and never make the loader write outside RAM/ROM.  After a load
 * the start state must be the one Multiboot 0.6.96 §3.2 prescribes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/elf.h"
#include "loader/multiboot.h"
#include "test_loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct pc_machine m;
    static bool made;
    static uint8_t img[0x10000];
    if (!made) {
        test_machine_create(&m, 4ull << 20);
        made = true;
    }
    if (size < 1)
        return 0;
    uint8_t ctl = data[0];
    data++;
    size--;
    size_t len;
    if (ctl & 8) {
        if (size < 20)
            return 0;
        struct elf32_ehdr e = { .e_type = ELF_ET_EXEC, .e_machine = ELF_EM_386, .e_version = 1,
                                .e_entry = rd32(data + 16), .e_phoff = sizeof e, .e_ehsize = sizeof e,
                                .e_phentsize = sizeof(struct elf32_phdr), .e_phnum = 1 };
        memcpy(e.e_ident, "\x7f" "ELF\x01\x01\x01", 7);
        struct elf32_phdr ph = { .p_type = ELF_PT_LOAD, .p_offset = rd32(data), .p_paddr = rd32(data + 4),
                                 .p_filesz = rd32(data + 8), .p_memsz = rd32(data + 12) };
        size_t hdr = sizeof e + sizeof ph + 12;
        len = hdr + (size - 20 < sizeof img - hdr ? size - 20 : sizeof img - hdr);
        memcpy(img, &e, sizeof e);
        memcpy(img + sizeof e, &ph, sizeof ph);
        uint32_t mb[3] = { MB1_HEADER_MAGIC, 0, -MB1_HEADER_MAGIC };
        memcpy(img + sizeof e + sizeof ph, mb, sizeof mb);
        memcpy(img + hdr, data + 20, len - hdr);
    } else {
        len = size < sizeof img ? size : sizeof img;
        memcpy(img, data, len);
        if (ctl & 1)
            for (size_t off = 0; off + 12 <= len && off < MB1_SEARCH_BYTES; off += 4)
                if (rd32(img + off) == MB1_HEADER_MAGIC) {
                    uint32_t sum = -(MB1_HEADER_MAGIC + rd32(img + off + 4));
                    memcpy(img + off + 8, &sum, 4);
                    break;
                }
    }
    int nmod = (ctl >> 1) & 3;
    struct guest_blob mods[3];
    for (int i = 0; i < nmod; i++) {
        size_t l = len / (size_t)(i + 2);
        mods[i] = (struct guest_blob){ img + len - l, l, i == 1 ? NULL : "mod arg" };
    }
    test_machine_clear(&m);
    test_gpm_refused = 0;
    const struct guest_loader *mb = guest_loader_find("multiboot");
    struct guest_blob image = { img, len, "fuzz" };
    char why[256] = "";
    bool ok = mb->load(&m, &image, mods, nmod, &m.start, why, sizeof why);
    if (getenv("FUZZ_LOADER_VERBOSE"))   /* replaying one input: say what happened */
        fprintf(stderr, "%s\n", ok ? "loaded" : why);
    if (test_gpm_refused)
        abort();
    if (!ok) {
        if (why[0] == '\0')
            abort();
        return 0;
    }
    /* §3.2 state, and an entry point the loader put in guest RAM. */
    const struct gpm_region *r = gpm_find(&m.mem, m.start.rip);
    if (m.start.mode != HVM_START_PROT32 || m.start.gpr[GPR_RAX] != MB1_BOOT_MAGIC ||
        m.start.gpr[GPR_RBX] != MB1_INFO_GPA || !r || r->kind != GPM_RAM || m.start.rip < PC_HIGH_RAM_BASE)
        abort();
    return 0;
}
