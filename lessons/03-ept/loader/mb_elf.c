/**
 * @file mb_elf.c
 * @brief A multiboot kernel without the a.out kludge is an ELF executable
 *        (Multiboot 0.6.96 §3.1.3: the loader "uses the ELF header"): read
 *        its PT_LOAD program headers (gABI chapter 5, "Program Header";
 *        ELF-64 Object File Format §6).
 *
 * ELF32 is what QEMU's -kernel accepts; ELF64 is accepted as well (GRUB
 * does too), as long as the kernel still starts in 32-bit mode: entry
 * below 4 GiB.  Segments go to their physical address p_paddr, as a
 * loader without paging must.  Every field comes from the image: sizes
 * are checked against the file with overflow-safe arithmetic before any
 * byte is read.
 */
#include "loader/elf.h"
#include "loader/multiboot.h"

#include "spectrum/fmt.h"
#include "spectrum/string.h"

/** One program header, whatever the class. */
struct elf_ph {
    uint32_t type;
    uint64_t offset, paddr, filesz, memsz;
};

/** The file-header fields the loader needs, whatever the class. */
struct elf_hdr {
    bool is64;
    uint64_t entry, phoff;
    unsigned phentsize, phnum;
};

static bool elf_read_header(const uint8_t *img, uint64_t len, struct elf_hdr *h, char *why, size_t why_len)
{
    if (len < 16 || img[0] != ELF_MAG0 || img[1] != 'E' || img[2] != 'L' || img[3] != 'F') {
        fmt_snprintf(why, why_len, "multiboot: no a.out-kludge addresses (header flag 16) and not an ELF file");
        return false;
    }
    if (img[ELF_EI_DATA] != ELF_DATA2LSB) {
        fmt_snprintf(why, why_len, "multiboot: ELF file is not little endian");
        return false;
    }
    uint16_t type, machine;
    if (img[ELF_EI_CLASS] == ELF_CLASS32) {
        struct elf32_ehdr e;
        if (len < sizeof e) {
            fmt_snprintf(why, why_len, "multiboot: ELF32 header cut off (%lu bytes)", (unsigned long)len);
            return false;
        }
        memcpy(&e, img, sizeof e);
        *h = (struct elf_hdr){ false, e.e_entry, e.e_phoff, e.e_phentsize, e.e_phnum };
        type = e.e_type;
        machine = e.e_machine;
        if (machine != ELF_EM_386) {
            fmt_snprintf(why, why_len, "multiboot: ELF32 machine %u is not i386 (%u)", machine, ELF_EM_386);
            return false;
        }
    } else if (img[ELF_EI_CLASS] == ELF_CLASS64) {
        struct elf64_ehdr e;
        if (len < sizeof e) {
            fmt_snprintf(why, why_len, "multiboot: ELF64 header cut off (%lu bytes)", (unsigned long)len);
            return false;
        }
        memcpy(&e, img, sizeof e);
        *h = (struct elf_hdr){ true, e.e_entry, e.e_phoff, e.e_phentsize, e.e_phnum };
        type = e.e_type;
        machine = e.e_machine;
        if (machine != ELF_EM_X86_64) {
            fmt_snprintf(why, why_len, "multiboot: ELF64 machine %u is not x86-64 (%u)", machine, ELF_EM_X86_64);
            return false;
        }
    } else {
        fmt_snprintf(why, why_len, "multiboot: ELF class %u is neither 32 nor 64-bit", img[ELF_EI_CLASS]);
        return false;
    }
    if (type != ELF_ET_EXEC) {
        fmt_snprintf(why, why_len, "multiboot: ELF type %u is not an executable (%u)", type, ELF_ET_EXEC);
        return false;
    }
    return true;
}

/** Program header @p i; the table was checked to lie in the file. */
static struct elf_ph elf_read_ph(const uint8_t *img, const struct elf_hdr *h, unsigned i)
{
    const uint8_t *p = img + h->phoff + (uint64_t)i * h->phentsize;
    if (h->is64) {
        struct elf64_phdr ph;
        memcpy(&ph, p, sizeof ph);
        return (struct elf_ph){ ph.p_type, ph.p_offset, ph.p_paddr, ph.p_filesz, ph.p_memsz };
    }
    struct elf32_phdr ph;
    memcpy(&ph, p, sizeof ph);
    return (struct elf_ph){ ph.p_type, ph.p_offset, ph.p_paddr, ph.p_filesz, ph.p_memsz };
}

bool mb1_plan_elf(const uint8_t *img, uint64_t len, struct mb1_plan *plan, char *why, size_t why_len)
{
    struct elf_hdr h;
    if (!elf_read_header(img, len, &h, why, why_len))
        return false;
    unsigned need = h.is64 ? sizeof(struct elf64_phdr) : sizeof(struct elf32_phdr);
    if (h.phnum == 0 || h.phnum == ELF_PN_XNUM || h.phnum > MB1_MAX_PHNUM) {
        fmt_snprintf(why, why_len, "multiboot: ELF has %u program headers (1 to %u accepted)", h.phnum,
                     MB1_MAX_PHNUM);
        return false;
    }
    if (h.phentsize < need) {
        fmt_snprintf(why, why_len, "multiboot: ELF program header size %u is below %u", h.phentsize, need);
        return false;
    }
    /* phnum * phentsize < 2^32: no overflow in 64 bits. */
    uint64_t table = (uint64_t)h.phnum * h.phentsize;
    if (h.phoff > len || table > len - h.phoff) {
        fmt_snprintf(why, why_len, "multiboot: ELF program header table [%#lx+%#lx) runs past the end of the file "
                     "(%lu bytes)", (unsigned long)h.phoff, (unsigned long)table, (unsigned long)len);
        return false;
    }
    plan->elf64 = h.is64;
    plan->entry = h.entry;
    plan->nseg = 0;
    for (unsigned i = 0; i < h.phnum; i++) {
        struct elf_ph ph = elf_read_ph(img, &h, i);
        if (ph.type != ELF_PT_LOAD || ph.memsz == 0)
            continue;
        if (ph.filesz > ph.memsz) {
            fmt_snprintf(why, why_len, "multiboot: segment %u has p_filesz %#lx > p_memsz %#lx", i,
                         (unsigned long)ph.filesz, (unsigned long)ph.memsz);
            return false;
        }
        if (ph.offset > len || ph.filesz > len - ph.offset) {
            fmt_snprintf(why, why_len, "multiboot: segment %u file range [%#lx+%#lx) runs past the end of the file "
                         "(%lu bytes)", i, (unsigned long)ph.offset, (unsigned long)ph.filesz, (unsigned long)len);
            return false;
        }
        if (ph.paddr + ph.memsz < ph.paddr) {
            fmt_snprintf(why, why_len, "multiboot: segment %u [%#lx+%#lx) wraps around the address space", i,
                         (unsigned long)ph.paddr, (unsigned long)ph.memsz);
            return false;
        }
        if (plan->nseg == MB1_MAX_SEGMENTS) {
            fmt_snprintf(why, why_len, "multiboot: more than %d PT_LOAD segments", MB1_MAX_SEGMENTS);
            return false;
        }
        plan->seg[plan->nseg++] = (struct mb1_segment){ ph.paddr, ph.offset, ph.filesz, ph.memsz, i };
    }
    if (plan->nseg == 0) {
        fmt_snprintf(why, why_len, "multiboot: ELF has no PT_LOAD segment to load");
        return false;
    }
    return true;
}
