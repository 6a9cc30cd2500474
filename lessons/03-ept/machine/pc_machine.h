/**
 * @file pc_machine.h
 * @brief A lesson-03 virtual PC: a struct vm plus its own guest-physical
 *        memory (mem/gpm.h), an MMIO bus (mmio/mmio_bus.h) and how its
 *        vCPU starts (struct hvm_start, filled by a guest loader).
 *
 * Guest-physical layout (a PC without firmware; Linux and multiboot
 * kernels expect RAM below 640 KiB, a hole for the legacy video and BIOS
 * area, and RAM again from 1 MiB):
 *
 *     0x00000000 - 0x0009ffff  RAM ("low ram", 640 KiB)
 *     0x000a0000 - 0x000bffff  hole (legacy video; any access stops the VM)
 *     0x000c0000 - 0x000dffff  ROM ("option roms": zeroed, no 0xAA55 signature, so
 *                              an OS that scans for adapter ROMs finds none)
 *     0x000e0000 - 0x000fffff  ROM ("bios": zeroed, loaders may put tables there)
 *     0x00100000 - ram_bytes   RAM ("ram"), at most PC_RAM_MAX_LOW
 *     ...                      hole
 *     0xfec00000               IOAPIC (MMIO)      } each device's range, from
 *     0xfee00000               local APIC (MMIO)  } REGISTER_MMIO_DEVICE
 *     everything else          hole
 */
#ifndef SPECTRUM_PC_MACHINE_H
#define SPECTRUM_PC_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/machine_ext.h"
#include "mem/gpm.h"
#include "mmio/mmio_bus.h"
#include "vcpu/exit.h"
#include "vcpu/vcpu.h"
#include "vm/vm.h"

#define PC_LOW_RAM_END   0xa0000ull     /**< end of conventional memory */
#define PC_OPTROM_BASE   0xc0000ull     /**< the adapter-ROM area Linux scans (probe_roms) */
#define PC_BIOS_BASE     0xe0000ull     /**< the zeroed "bios" ROM */
#define PC_HIGH_RAM_BASE 0x100000ull    /**< RAM from 1 MiB */
#define PC_RAM_MAX_LOW   0xc0000000ull  /**< RAM stops below 3 GiB (the rest is for devices) */

/** How the vCPU starts. */
enum hvm_start_mode {
    HVM_START_REAL16,      /**< 16-bit real mode at cs_sel:rip (CS base = cs_sel << 4) */
    HVM_START_PROT32,      /**< 32-bit protected mode, flat segments, paging off (multiboot) */
    HVM_START_LONG64,      /**< 64-bit mode on guest page tables at cr3 (GPA), flat segments */
};

/** @brief The first state of the vCPU, as a loader leaves it. */
struct hvm_start {
    enum hvm_start_mode mode;   /**< see above */
    uint16_t cs_sel;            /**< REAL16: code segment */
    uint64_t rip;               /**< entry point (REAL16: offset in cs) */
    uint64_t rsp;               /**< stack pointer (0: leave 0) */
    uint64_t gpr[GPR_COUNT];    /**< initial general registers (multiboot: EAX magic, EBX info) */
    uint64_t cr3;               /**< LONG64: GPA of the guest's PML4 (the loader built it in guest RAM) */
    uint64_t gdt_base;          /**< PROT32/LONG64: GPA of a GDT the loader wrote (0: Spectrum's flat one) */
    uint16_t gdt_limit;         /**< its limit */
};

/** @brief What a nested attach() gets in struct vcpu_config.nested. */
struct pc_nested_config {
    struct pc_machine *machine;  /**< memory map and tables */
    struct hvm_start start;      /**< first state */
};

/** @brief One virtual PC. */
struct pc_machine {
    struct vm vm;                /**< name, port bus, run state (vm.ext points back here) */
    struct gpm mem;              /**< guest-physical memory */
    struct mmiobus mmio;         /**< MMIO device instances */
    uint64_t ram_bytes;          /**< RAM size asked for (low + high) */
    struct hvm_start start;      /**< filled by the loader */
    char cmdline[256];           /**< the guest's command line (loaders pass it on) */
    uint64_t lazy_maps;          /**< RAM/ROM pages mapped on first touch (npf_exit.c) */
    /** The guest TSC's frequency in kHz: the host's (Spectrum neither
     *  offsets nor scales the TSC), measured against the PIT at boot; 0 if
     *  unknown (hosted unit tests).  Loaders pass it on where the guest
     *  would otherwise have to calibrate (bzimage: tsc_early_khz=). */
    uint64_t tsc_khz;
    uint32_t *port_hits;         /**< accesses per port, 65536 counters (machine/io_profile.c), NULL if none */
    struct pc_machine_exts exts; /**< later lessons' per-machine state (machine/machine_ext.h) */
};

/** @brief The machine around @p vm, or NULL for a plain lesson-01/02 VM. */
static inline struct pc_machine *pc_machine_of(struct vm *vm)
{
    return vm ? (struct pc_machine *)vm->ext : (struct pc_machine *)0;
}

/**
 * @brief Create @p m: the VM and its port devices, the memory map above
 *        with @p ram_bytes of zeroed RAM, one MMIO region per registered
 *        MMIO device, and the MMIO device instances.
 * @return false with the reason in @p m->vm.stop_reason (VM stopped) if
 *         the host has not enough memory or the map is inconsistent.
 */
bool pc_machine_create(struct pc_machine *m, const char *name, uint64_t ram_bytes);

/** @brief Free the memory, the tables and the VM. */
void pc_machine_destroy(struct pc_machine *m);

/**
 * @brief Create the vCPU from @p m->start on the chosen back end with
 *        nested paging (EPT or NPT), run it until the VM stops, print the
 *        exit statistics, destroy the vCPU.  Spectrum's memory canary is
 *        checked afterwards (a mismatch panics: the hypervisor itself was
 *        corrupted).
 * @param m  a machine from pc_machine_create() with its image loaded
 * @param st if not NULL, receives the exit statistics
 * @return m->vm.passed
 */
bool pc_machine_run(struct pc_machine *m, struct exit_stats *st);

#endif
