/**
 * @file mb_garble.c
 * @brief Host tool: make a hostile copy of a good multiboot ELF32 kernel
 *        (build/03/guests/mbkernel.elf) for the guest-garbage tests, each
 *        broken in one way the loader must name (loader/loader.h):
 *
 *   mb_garble truncated IN OUT  cut the file 32 bytes after the multiboot
 *                               header: header and program headers intact,
 *                               the segments' bytes beyond the end
 *   mb_garble checksum IN OUT   the header's checksum off by one (magic +
 *                               flags + checksum != 0, Multiboot 0.6.96 §3.1.1)
 *   mb_garble ram IN OUT        the first PT_LOAD segment's p_memsz set to
 *                               0xF0000000: it leaves guest RAM (which ends
 *                               below 3 GiB) but not the 4 GiB a 32-bit
 *                               kernel can name
 *   mb_garble phoff IN OUT      e_phoff past the end of the file: the program
 *                               header table is not in it
 *
 * IN must be a little-endian ELF32 file with a valid multiboot header in
 * its first 8192 bytes and a PT_LOAD segment (gABI ch. 4 "ELF Header",
 * ch. 5 "Program Header"); anything else is refused with a message.
 * Exit status 0, or 1 with the reason on stderr.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/elf.h"
#include "loader/multiboot.h"

#define MAX_IMAGE (16u << 20)
#define TRUNCATE_AFTER_HEADER 32u   /**< bytes kept after the header's start */
#define RAM_MEMSZ 0xF0000000u       /**< p_memsz of the "ram" variant */

static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static void wr32(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24); }

static int die(const char *what, const char *path)
{
    fprintf(stderr, "mb_garble: %s: %s\n", path, what);
    return 1;
}

/** Offset of the first valid multiboot header, or -1. */
static long find_header(const uint8_t *b, size_t len)
{
    size_t limit = len < MB1_SEARCH_BYTES ? len : MB1_SEARCH_BYTES;
    for (size_t off = 0; off + 12 <= limit; off += 4)
        if (rd32(b + off) == MB1_HEADER_MAGIC && (uint32_t)(rd32(b + off) + rd32(b + off + 4) + rd32(b + off + 8)) == 0)
            return (long)off;
    return -1;
}

/** Offset of the first PT_LOAD program header's p_memsz, or 0. */
static size_t first_load_memsz(const uint8_t *b, size_t len)
{
    struct elf32_ehdr e;
    memcpy(&e, b, sizeof e);
    if (e.e_phentsize < sizeof(struct elf32_phdr))
        return 0;
    for (unsigned i = 0; i < e.e_phnum; i++) {
        uint64_t at = (uint64_t)e.e_phoff + (uint64_t)i * e.e_phentsize;
        if (at + sizeof(struct elf32_phdr) > len)
            return 0;
        struct elf32_phdr ph;
        memcpy(&ph, b + at, sizeof ph);
        if (ph.p_type == ELF_PT_LOAD)
            return (size_t)at + offsetof(struct elf32_phdr, p_memsz);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: mb_garble truncated|checksum|ram|phoff IN OUT\n");
        return 2;
    }
    const char *mode = argv[1], *in = argv[2], *outp = argv[3];
    FILE *f = fopen(in, "rb");
    if (!f)
        return die("cannot open", in);
    uint8_t *b = malloc(MAX_IMAGE);
    size_t len = b ? fread(b, 1, MAX_IMAGE, f) : 0;
    int more = fgetc(f);
    fclose(f);
    if (!b || more != EOF)
        return die("too large (or out of memory)", in);
    if (len < sizeof(struct elf32_ehdr) || memcmp(b, "\x7f" "ELF", 4) != 0 || b[ELF_EI_CLASS] != ELF_CLASS32 ||
        b[ELF_EI_DATA] != ELF_DATA2LSB)
        return die("not a little-endian ELF32 file", in);
    long hdr = find_header(b, len);
    if (hdr < 0)
        return die("no valid multiboot header in the first 8192 bytes", in);

    size_t out_len = len;
    if (strcmp(mode, "truncated") == 0) {
        if ((size_t)hdr + TRUNCATE_AFTER_HEADER >= len)
            return die("nothing after the header to cut", in);
        out_len = (size_t)hdr + TRUNCATE_AFTER_HEADER;
    } else if (strcmp(mode, "checksum") == 0) {
        wr32(b + hdr + 8, rd32(b + hdr + 8) + 1);
    } else if (strcmp(mode, "ram") == 0) {
        size_t at = first_load_memsz(b, len);
        if (!at)
            return die("no PT_LOAD program header in the file", in);
        wr32(b + at, RAM_MEMSZ);
    } else if (strcmp(mode, "phoff") == 0) {
        wr32(b + offsetof(struct elf32_ehdr, e_phoff), (uint32_t)len);
    } else {
        fprintf(stderr, "mb_garble: unknown mode '%s' (truncated, checksum, ram, phoff)\n", mode);
        return 2;
    }
    FILE *o = fopen(outp, "wb");
    if (!o)
        return die("cannot create", outp);
    if (fwrite(b, 1, out_len, o) != out_len || fclose(o) != 0)
        return die("write failed", outp);
    free(b);
    return 0;
}
