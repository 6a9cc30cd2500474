/**
 * @file fwcfg.h
 * @brief QEMU's firmware configuration device (fw_cfg), its legacy I/O
 *        interface: a 16-bit selector register at port 0x510 and an 8-bit
 *        data register at 0x511 (QEMU docs/specs/fw_cfg.rst, "Selector
 *        (Control) Register", "Data Register", "Legacy IO Interface").
 *
 * Firmware and guests that know QEMU find what the machine looks like
 * there: the guest writes an item's key to the selector, then reads the
 * item's bytes one at a time from the data port.  Every selector write
 * starts the item again at offset 0; reads past an item's end, and every
 * read of a key this model does not have, return 0.  There is no DMA
 * interface (the ID item says so) and the data register ignores writes
 * (QEMU since 2.4).
 *
 * Two layers: struct fwcfg and the fwcfg_* functions are pure (tested in
 * tests/test_fwcfg.c); fwcfg_ports.c puts them on a lesson-03 machine's
 * port bus.
 */
#ifndef SPECTRUM_VDEV_FWCFG_H
#define SPECTRUM_VDEV_FWCFG_H

#include <stdint.h>

#define FWCFG_PORT_SELECTOR 0x510   /**< 16-bit write: the item key */
#define FWCFG_PORT_DATA     0x511   /**< 8-bit read: the item's next byte */

/* Keys (fw_cfg.rst "Firmware Configuration Items" and QEMU's
 * include/standard-headers/linux/qemu_fw_cfg.h). */
#define FWCFG_SIGNATURE 0x0000   /**< "QEMU" */
#define FWCFG_ID        0x0001   /**< 32-bit LE feature bits: bit 0 traditional interface, bit 1 DMA */
#define FWCFG_RAM_SIZE  0x0003   /**< 64-bit LE bytes of RAM */
#define FWCFG_NB_CPUS   0x0005   /**< 16-bit LE CPUs present */
#define FWCFG_MAX_CPUS  0x000f   /**< 16-bit LE CPUs possible */
#define FWCFG_FILE_DIR  0x0019   /**< 32-bit BE count, then that many 64-byte file entries */

#define FWCFG_ID_TRADITIONAL 0x1u   /**< ID bit 0: the selector/data interface */

/** @brief One machine's fw_cfg device. */
struct fwcfg {
    uint64_t ram_bytes;     /**< what FWCFG_RAM_SIZE reports */
    uint32_t offset;        /**< next byte of the selected item */
    uint16_t key;           /**< selected item */
    uint64_t selects;       /**< selector writes */
    uint64_t reads;         /**< data bytes read */
};

/** @brief Power-on state for a machine with @p ram_bytes of RAM (key 0 selected). */
void fwcfg_reset(struct fwcfg *f, uint64_t ram_bytes);

/** @brief A selector write: select item @p key, offset 0. */
void fwcfg_select(struct fwcfg *f, uint16_t key);

/** @brief A data read: the selected item's next byte (0 past its end or for an unknown key). */
uint8_t fwcfg_read(struct fwcfg *f);

#endif
