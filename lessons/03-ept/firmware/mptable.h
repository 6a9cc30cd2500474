/**
 * @file mptable.h
 * @brief The structures of the Intel MultiProcessor Specification 1.4
 *        (May 1997), chapter 4 "MP Configuration Table".
 */
#ifndef SPECTRUM_MPTABLE_H
#define SPECTRUM_MPTABLE_H

#include <stdint.h>

#define MP_FLOATING_SIG "_MP_"   /**< §4.1 floating pointer signature */
#define MP_CONFIG_SIG   "PCMP"   /**< §4.2 configuration table signature */
#define MP_SPEC_REV     4        /**< specification revision 1.4 */

/** @brief MP floating pointer structure (§4.1, Figure 4-2): 16 bytes, 16-byte aligned. */
struct __attribute__((packed)) mp_floating {
    char signature[4];        /**< "_MP_" */
    uint32_t config_gpa;      /**< physical address of the configuration table */
    uint8_t length;           /**< in 16-byte units: 1 */
    uint8_t spec_rev;         /**< 4 (1.4) */
    uint8_t checksum;         /**< all 16 bytes sum to 0 */
    uint8_t feature[5];       /**< 1: 0 = a table is present; 2 bit 7 IMCRP: 0 = virtual wire mode */
};
_Static_assert(sizeof(struct mp_floating) == 16, "MP 1.4 §4.1: 16 bytes");

/** @brief MP configuration table header (§4.2, Figure 4-3): 44 bytes. */
struct __attribute__((packed)) mp_config {
    char signature[4];        /**< "PCMP" */
    uint16_t length;          /**< base table length, header included */
    uint8_t spec_rev;         /**< 4 */
    uint8_t checksum;         /**< the base table sums to 0 */
    char oem_id[8];           /**< blank padded */
    char product_id[12];      /**< blank padded */
    uint32_t oem_table;       /**< 0: none */
    uint16_t oem_table_size;  /**< 0 */
    uint16_t entry_count;     /**< entries in the base table */
    uint32_t lapic_base;      /**< memory-mapped address of the local APICs */
    uint16_t ext_length;      /**< extended table length (0) */
    uint8_t ext_checksum;     /**< 0 */
    uint8_t reserved;         /**< 0 */
};
_Static_assert(sizeof(struct mp_config) == 44, "MP 1.4 §4.2: 44-byte header");

/** Entry types (§4.2 Table 4-3), in the order they must appear. */
enum mp_entry_type {
    MP_ENTRY_PROCESSOR = 0,   /**< 20 bytes */
    MP_ENTRY_BUS = 1,         /**< 8 bytes */
    MP_ENTRY_IOAPIC = 2,      /**< 8 bytes */
    MP_ENTRY_IOINT = 3,       /**< 8 bytes */
    MP_ENTRY_LOCALINT = 4,    /**< 8 bytes */
};

/** @brief Processor entry (§4.3.1, Figure 4-4). */
struct __attribute__((packed)) mp_processor {
    uint8_t type;             /**< 0 */
    uint8_t lapic_id;         /**< local APIC ID */
    uint8_t lapic_version;    /**< bits 0-7 of its version register */
    uint8_t flags;            /**< bit 0 EN (usable), bit 1 BP (bootstrap processor) */
    uint32_t signature;       /**< CPUID.1 EAX stepping/model/family */
    uint32_t features;        /**< CPUID.1 EDX */
    uint32_t reserved[2];     /**< 0 */
};
_Static_assert(sizeof(struct mp_processor) == 20, "MP 1.4 §4.3.1: 20 bytes");

#define MP_CPU_EN 0x01   /**< processor usable */
#define MP_CPU_BP 0x02   /**< bootstrap processor */

/** @brief Bus entry (§4.3.2, Figure 4-5). */
struct __attribute__((packed)) mp_bus {
    uint8_t type;             /**< 1 */
    uint8_t bus_id;           /**< 0.. */
    char bus_type[6];         /**< "ISA   " (Table 4-8), blank padded */
};
_Static_assert(sizeof(struct mp_bus) == 8, "MP 1.4 §4.3.2: 8 bytes");

/** @brief I/O APIC entry (§4.3.3, Figure 4-6). */
struct __attribute__((packed)) mp_ioapic {
    uint8_t type;             /**< 2 */
    uint8_t id;               /**< I/O APIC ID */
    uint8_t version;          /**< bits 0-7 of its version register */
    uint8_t flags;            /**< bit 0 EN */
    uint32_t address;         /**< its memory-mapped base */
};
_Static_assert(sizeof(struct mp_ioapic) == 8, "MP 1.4 §4.3.3: 8 bytes");

/** @brief I/O interrupt assignment (type 3) and local interrupt assignment (type 4) entries (§4.3.4-5). */
struct __attribute__((packed)) mp_intsrc {
    uint8_t type;             /**< 3 or 4 */
    uint8_t int_type;         /**< enum mp_int_type */
    uint16_t flags;           /**< bits 1:0 polarity, 3:2 trigger mode (0: conforms to the bus) */
    uint8_t src_bus;          /**< source bus ID */
    uint8_t src_irq;          /**< source bus IRQ */
    uint8_t dst_apic;         /**< destination (I/O or local) APIC ID; 0xFF: all local APICs */
    uint8_t dst_pin;          /**< INTINn / LINTINn */
};
_Static_assert(sizeof(struct mp_intsrc) == 8, "MP 1.4 §4.3.4: 8 bytes");

/** Interrupt types (§4.3.4, Table 4-10). */
enum mp_int_type {
    MP_INT = 0,      /**< vectored, from the APIC's redirection entry */
    MP_NMI = 1,      /**< non-maskable */
    MP_SMI = 2,      /**< system management */
    MP_EXTINT = 3,   /**< vectored by the 8259 */
};

#define MP_ALL_LAPICS 0xff   /**< dst_apic of a local interrupt for every processor */

#endif
