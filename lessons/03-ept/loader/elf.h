/**
 * @file elf.h
 * @brief The parts of ELF a loader reads: the file header and program
 *        headers of 32-bit and 64-bit little-endian x86 executables
 *        (System V ABI, "Object Files" chapter, gABI 4.1 Figures 4-3 and
 *        5-1; ELF-64 Object File Format 1.5 §3 and §6).
 *
 * The structures match the file layout byte for byte, so a loader copies
 * a header out of the (possibly unaligned) image with memcpy and reads
 * the fields; every offset and size in them is untrusted.
 */
#ifndef SPECTRUM_LOADER_ELF_H
#define SPECTRUM_LOADER_ELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAG0        0x7f     /**< e_ident[0..3] = "\x7fELF" */
#define ELF_EI_CLASS    4        /**< e_ident index: 32/64-bit */
#define ELF_EI_DATA     5        /**< e_ident index: byte order */
#define ELF_CLASS32     1        /**< 32-bit objects */
#define ELF_CLASS64     2        /**< 64-bit objects */
#define ELF_DATA2LSB    1        /**< little endian */
#define ELF_ET_EXEC     2        /**< executable file */
#define ELF_EM_386      3        /**< Intel 80386 */
#define ELF_EM_X86_64   62       /**< AMD x86-64 */
#define ELF_PT_LOAD     1        /**< loadable segment */
#define ELF_PN_XNUM     0xffff   /**< e_phnum escape (real count in section 0): not supported */

/** @brief ELF32 file header (gABI Figure 4-3). */
struct elf32_ehdr {
    uint8_t e_ident[16];   /**< magic, class, data, version, ABI */
    uint16_t e_type;       /**< ELF_ET_EXEC */
    uint16_t e_machine;    /**< ELF_EM_386 */
    uint32_t e_version;    /**< 1 */
    uint32_t e_entry;      /**< entry point */
    uint32_t e_phoff;      /**< program header table offset */
    uint32_t e_shoff;      /**< section header table offset */
    uint32_t e_flags;      /**< processor flags */
    uint16_t e_ehsize;     /**< this header's size */
    uint16_t e_phentsize;  /**< one program header's size */
    uint16_t e_phnum;      /**< program headers */
    uint16_t e_shentsize;  /**< one section header's size */
    uint16_t e_shnum;      /**< section headers */
    uint16_t e_shstrndx;   /**< section name string table index */
};
_Static_assert(sizeof(struct elf32_ehdr) == 52, "gABI: Elf32_Ehdr is 52 bytes");
_Static_assert(offsetof(struct elf32_ehdr, e_phoff) == 28, "gABI: e_phoff at 28");
_Static_assert(offsetof(struct elf32_ehdr, e_phnum) == 44, "gABI: e_phnum at 44");

/** @brief ELF32 program header (gABI Figure 5-1). */
struct elf32_phdr {
    uint32_t p_type;    /**< ELF_PT_LOAD, ... */
    uint32_t p_offset;  /**< file offset of the segment */
    uint32_t p_vaddr;   /**< virtual address */
    uint32_t p_paddr;   /**< physical address (where a loader without paging puts it) */
    uint32_t p_filesz;  /**< bytes in the file */
    uint32_t p_memsz;   /**< bytes in memory (>= p_filesz: the rest is zeroed) */
    uint32_t p_flags;   /**< R/W/X */
    uint32_t p_align;   /**< alignment */
};
_Static_assert(sizeof(struct elf32_phdr) == 32, "gABI: Elf32_Phdr is 32 bytes");

/** @brief ELF64 file header (ELF-64 Object File Format §3). */
struct elf64_ehdr {
    uint8_t e_ident[16];   /**< magic, class, data, version, ABI */
    uint16_t e_type;       /**< ELF_ET_EXEC */
    uint16_t e_machine;    /**< ELF_EM_X86_64 */
    uint32_t e_version;    /**< 1 */
    uint64_t e_entry;      /**< entry point */
    uint64_t e_phoff;      /**< program header table offset */
    uint64_t e_shoff;      /**< section header table offset */
    uint32_t e_flags;      /**< processor flags */
    uint16_t e_ehsize;     /**< this header's size */
    uint16_t e_phentsize;  /**< one program header's size */
    uint16_t e_phnum;      /**< program headers */
    uint16_t e_shentsize;  /**< one section header's size */
    uint16_t e_shnum;      /**< section headers */
    uint16_t e_shstrndx;   /**< section name string table index */
};
_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF-64 §3: Elf64_Ehdr is 64 bytes");
_Static_assert(offsetof(struct elf64_ehdr, e_phoff) == 32, "ELF-64 §3: e_phoff at 32");
_Static_assert(offsetof(struct elf64_ehdr, e_phnum) == 56, "ELF-64 §3: e_phnum at 56");

/** @brief ELF64 program header (ELF-64 Object File Format §6). */
struct elf64_phdr {
    uint32_t p_type;    /**< ELF_PT_LOAD, ... */
    uint32_t p_flags;   /**< R/W/X */
    uint64_t p_offset;  /**< file offset of the segment */
    uint64_t p_vaddr;   /**< virtual address */
    uint64_t p_paddr;   /**< physical address */
    uint64_t p_filesz;  /**< bytes in the file */
    uint64_t p_memsz;   /**< bytes in memory */
    uint64_t p_align;   /**< alignment */
};
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF-64 §6: Elf64_Phdr is 56 bytes");
_Static_assert(offsetof(struct elf64_phdr, p_paddr) == 24, "ELF-64 §6: p_paddr at 24");

#endif
