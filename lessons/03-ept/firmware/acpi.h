/**
 * @file acpi.h
 * @brief The ACPI table structures this machine's firmware writes (ACPI
 *        Specification 6.5, chapter 5.2 "ACPI System Description Tables").
 */
#ifndef SPECTRUM_ACPI_H
#define SPECTRUM_ACPI_H

#include <stdint.h>

#define ACPI_RSDP_SIG "RSD PTR "   /**< §5.2.5.3 */
#define ACPI_OEM_ID   "SPECTR"     /**< 6 bytes */
#define ACPI_OEM_TABLE_ID "LESSON03"  /**< 8 bytes */
#define ACPI_CREATOR_ID   "SPEC"      /**< 4 bytes */

/** @brief Root System Description Pointer, revision 2 (§5.2.5.3, Table 5.3): 36 bytes. */
struct __attribute__((packed)) acpi_rsdp {
    char signature[8];        /**< "RSD PTR " */
    uint8_t checksum;         /**< the first 20 bytes sum to 0 */
    char oem_id[6];           /**< OEM */
    uint8_t revision;         /**< 2: ACPI 2.0 and later (XSDT present) */
    uint32_t rsdt;            /**< 32-bit address of the RSDT */
    uint32_t length;          /**< 36 */
    uint64_t xsdt;            /**< 64-bit address of the XSDT */
    uint8_t ext_checksum;     /**< all 36 bytes sum to 0 */
    uint8_t reserved[3];      /**< 0 */
};
_Static_assert(sizeof(struct acpi_rsdp) == 36, "ACPI 6.5 Table 5.3: 36 bytes");

/** @brief System description table header (§5.2.6, Table 5.4): 36 bytes. */
struct __attribute__((packed)) acpi_header {
    char signature[4];        /**< "RSDT", "XSDT", "APIC", "FACP", "DSDT" */
    uint32_t length;          /**< the whole table, header included */
    uint8_t revision;         /**< of the table's format */
    uint8_t checksum;         /**< the whole table sums to 0 */
    char oem_id[6];           /**< OEM */
    char oem_table_id[8];     /**< OEM's table name */
    uint32_t oem_revision;    /**< 1 */
    char creator_id[4];       /**< who made the table */
    uint32_t creator_revision; /**< 1 */
};
_Static_assert(sizeof(struct acpi_header) == 36, "ACPI 6.5 Table 5.4: 36 bytes");

/** @brief MADT fixed part after the header (§5.2.12, Table 5.19). */
struct __attribute__((packed)) acpi_madt {
    struct acpi_header h;     /**< "APIC" */
    uint32_t lapic_base;      /**< local interrupt controller address */
    uint32_t flags;           /**< ACPI_MADT_PCAT_COMPAT */
};
_Static_assert(sizeof(struct acpi_madt) == 44, "ACPI 6.5 Table 5.19: entries start at 44");

#define ACPI_MADT_PCAT_COMPAT 1u   /**< the system also has dual 8259s (they must be masked to use the APICs) */

/** MADT entry types (§5.2.12, Table 5.21). */
enum acpi_madt_type {
    ACPI_MADT_LAPIC = 0,       /**< processor local APIC, 8 bytes */
    ACPI_MADT_IOAPIC = 1,      /**< I/O APIC, 12 bytes */
    ACPI_MADT_ISO = 2,         /**< interrupt source override, 10 bytes */
    ACPI_MADT_LAPIC_NMI = 4,   /**< local APIC NMI, 6 bytes */
};

/** @brief Processor local APIC (§5.2.12.2, Table 5.22). */
struct __attribute__((packed)) acpi_madt_lapic {
    uint8_t type;             /**< 0 */
    uint8_t length;           /**< 8 */
    uint8_t processor_uid;    /**< ACPI processor UID */
    uint8_t apic_id;          /**< local APIC ID */
    uint32_t flags;           /**< bit 0 enabled */
};
_Static_assert(sizeof(struct acpi_madt_lapic) == 8, "Table 5.22");

/** @brief I/O APIC (§5.2.12.3, Table 5.24). */
struct __attribute__((packed)) acpi_madt_ioapic {
    uint8_t type;             /**< 1 */
    uint8_t length;           /**< 12 */
    uint8_t id;               /**< I/O APIC ID */
    uint8_t reserved;         /**< 0 */
    uint32_t address;         /**< its base */
    uint32_t gsi_base;        /**< global system interrupt of INTIN0 */
};
_Static_assert(sizeof(struct acpi_madt_ioapic) == 12, "Table 5.24");

/** @brief Interrupt source override (§5.2.12.5, Table 5.25). */
struct __attribute__((packed)) acpi_madt_iso {
    uint8_t type;             /**< 2 */
    uint8_t length;           /**< 10 */
    uint8_t bus;              /**< 0: ISA */
    uint8_t source;           /**< ISA IRQ */
    uint32_t gsi;             /**< the global system interrupt it signals */
    uint16_t flags;           /**< MPS INTI flags (Table 5.26): polarity 1:0, trigger 3:2 */
};
_Static_assert(sizeof(struct acpi_madt_iso) == 10, "Table 5.25");

#define ACPI_INTI_ACTIVE_HIGH 0x1u   /**< polarity 01 */
#define ACPI_INTI_EDGE        0x4u   /**< trigger mode 01 */

/** @brief Local APIC NMI (§5.2.12.7, Table 5.28). */
struct __attribute__((packed)) acpi_madt_lapic_nmi {
    uint8_t type;             /**< 4 */
    uint8_t length;           /**< 6 */
    uint8_t processor_uid;    /**< 0xFF: all processors */
    uint16_t flags;           /**< MPS INTI flags */
    uint8_t lint;             /**< LINTn the NMI is connected to */
};
_Static_assert(sizeof(struct acpi_madt_lapic_nmi) == 6, "Table 5.28");

/** @brief Generic address structure (§5.2.3.2, Table 5.1). */
struct __attribute__((packed)) acpi_gas {
    uint8_t space_id;         /**< 0 memory, 1 I/O */
    uint8_t bit_width;        /**< register width */
    uint8_t bit_offset;       /**< register offset */
    uint8_t access_size;      /**< 1 byte .. 4 qword */
    uint64_t address;         /**< 0: not present */
};
_Static_assert(sizeof(struct acpi_gas) == 12, "Table 5.1");

/** @brief Fixed ACPI Description Table, revision 6 (§5.2.9, Table 5.9): 276 bytes. */
struct __attribute__((packed)) acpi_fadt {
    struct acpi_header h;     /**< "FACP", revision 6 */
    uint32_t firmware_ctrl;   /**< FACS (required without HW_REDUCED_ACPI) */
    uint32_t dsdt;            /**< 32-bit DSDT address */
    uint8_t reserved0;        /**< (ACPI 1.0 INT_MODEL) */
    uint8_t pm_profile;       /**< preferred power-management profile */
    uint16_t sci_int;         /**< SCI's ISA IRQ */
    uint32_t smi_cmd;         /**< 0: no SMM mode switch */
    uint8_t acpi_enable;      /**< 0 */
    uint8_t acpi_disable;     /**< 0 */
    uint8_t s4bios_req;       /**< 0 */
    uint8_t pstate_cnt;       /**< 0 */
    uint32_t pm_blocks[8];    /**< PM1a/b event, PM1a/b control, PM2 control, PM timer, GPE0, GPE1 (0: none) */
    uint8_t pm_lengths[6];    /**< their lengths */
    uint8_t gpe1_base;        /**< 0 */
    uint8_t cst_cnt;          /**< 0 */
    uint16_t p_lvl2_lat;      /**< ACPI_P_LVL2_NONE */
    uint16_t p_lvl3_lat;      /**< ACPI_P_LVL3_NONE */
    uint16_t flush_size;      /**< 0 */
    uint16_t flush_stride;    /**< 0 */
    uint8_t duty_offset;      /**< 0 */
    uint8_t duty_width;       /**< 0 */
    uint8_t day_alrm;         /**< 0 */
    uint8_t mon_alrm;         /**< 0 */
    uint8_t century;          /**< CMOS index of the century */
    uint16_t iapc_boot_arch;  /**< ACPI_BOOT_* */
    uint8_t reserved1;        /**< 0 */
    uint32_t flags;           /**< ACPI_FADT_* */
    struct acpi_gas reset_reg; /**< where a write of reset_value resets the machine */
    uint8_t reset_value;      /**< the value to write there */
    uint16_t arm_boot_arch;   /**< 0 */
    uint8_t minor_version;    /**< FADT minor version */
    uint64_t x_firmware_ctrl; /**< 0 */
    uint64_t x_dsdt;          /**< 64-bit DSDT address */
    struct acpi_gas x_blocks[8]; /**< the X_ forms of pm_blocks: none */
    struct acpi_gas sleep_control; /**< none */
    struct acpi_gas sleep_status;  /**< none */
    uint64_t hypervisor_id;   /**< "hypervisor vendor identity" */
};
_Static_assert(sizeof(struct acpi_fadt) == 276, "ACPI 6.5 Table 5.9: 276 bytes");
_Static_assert(__builtin_offsetof(struct acpi_fadt, dsdt) == 40 && __builtin_offsetof(struct acpi_fadt, sci_int) == 46 &&
                   __builtin_offsetof(struct acpi_fadt, century) == 108 &&
                   __builtin_offsetof(struct acpi_fadt, iapc_boot_arch) == 109 &&
                   __builtin_offsetof(struct acpi_fadt, flags) == 112 &&
                   __builtin_offsetof(struct acpi_fadt, minor_version) == 131 &&
                   __builtin_offsetof(struct acpi_fadt, x_dsdt) == 140 &&
                   __builtin_offsetof(struct acpi_fadt, sleep_control) == 244 &&
                   __builtin_offsetof(struct acpi_fadt, hypervisor_id) == 268,
               "ACPI 6.5 Table 5.9 offsets");
_Static_assert(__builtin_offsetof(struct acpi_fadt, firmware_ctrl) == 36 &&
                   __builtin_offsetof(struct acpi_fadt, pm_blocks) == 56 &&
                   __builtin_offsetof(struct acpi_fadt, pm_lengths) == 88 &&
                   __builtin_offsetof(struct acpi_fadt, p_lvl2_lat) == 96 &&
                   __builtin_offsetof(struct acpi_fadt, reset_reg) == 116 &&
                   __builtin_offsetof(struct acpi_fadt, reset_value) == 128,
               "ACPI 6.5 Table 5.9 offsets (PM blocks, reset register)");

#define ACPI_BOOT_LEGACY_DEVICES 0x0001u  /**< IAPC_BOOT_ARCH: ISA devices (COM1, the RTC) present */
#define ACPI_BOOT_8042           0x0002u  /**< an 8042 keyboard controller (not set: Linux skips probing it) */
#define ACPI_BOOT_NO_VGA         0x0004u  /**< VGA not present */
#define ACPI_FADT_HW_REDUCED     (1u << 20) /**< HW_REDUCED_ACPI: no PM1/GPE/PM-timer hardware, no SCI */
#define ACPI_FADT_WBINVD         (1u << 0)  /**< WBINVD works (required of IA-PC firmware, Table 5.10) */
#define ACPI_FADT_PWR_BUTTON     (1u << 4)  /**< no fixed-feature power button */
#define ACPI_FADT_SLP_BUTTON     (1u << 5)  /**< no fixed-feature sleep button */
#define ACPI_FADT_RESET_REG_SUP  (1u << 10) /**< RESET_REG/RESET_VALUE are valid */
#define ACPI_GAS_IO              1u         /**< generic address space: system I/O */
#define ACPI_GAS_BYTE            1u         /**< generic address access size: byte */
#define ACPI_FADT_PM1A_EVT       0          /**< index of PM1a_EVT_BLK in pm_blocks[] */
#define ACPI_FADT_PM1A_CNT       2          /**< index of PM1a_CNT_BLK in pm_blocks[] */
#define ACPI_FADT_PM1_EVT_LEN    0          /**< index of PM1_EVT_LEN in pm_lengths[] */
#define ACPI_FADT_PM1_CNT_LEN    1          /**< index of PM1_CNT_LEN in pm_lengths[] */
#define ACPI_P_LVL2_NONE         101u       /**< P_LVL2_LAT > 100: no C2 state */
#define ACPI_P_LVL3_NONE         1001u      /**< P_LVL3_LAT > 1000: no C3 state */

/** @brief Firmware ACPI Control Structure (§5.2.10, Table 5.14): 64 bytes,
 *         64-byte aligned; required with a full FADT (the global lock and
 *         the waking vector live here). */
struct __attribute__((packed)) acpi_facs {
    char signature[4];        /**< "FACS" */
    uint32_t length;          /**< 64 */
    uint32_t hardware_signature; /**< 0: never changes (no hibernation here) */
    uint32_t waking_vector;   /**< 0: no S1-S4 resume */
    uint32_t global_lock;     /**< the global lock, free */
    uint32_t flags;           /**< 0 */
    uint64_t x_waking_vector; /**< 0 */
    uint8_t version;          /**< 2 */
    uint8_t reserved[3];      /**< 0 */
    uint32_t ospm_flags;      /**< 0 */
    uint8_t reserved2[24];    /**< 0 */
};
_Static_assert(sizeof(struct acpi_facs) == 64, "ACPI 6.5 Table 5.14: 64 bytes");
_Static_assert(__builtin_offsetof(struct acpi_facs, global_lock) == 16 &&
                   __builtin_offsetof(struct acpi_facs, version) == 32,
               "ACPI 6.5 Table 5.14 offsets");

#endif
