/**
 * @file fwcfg.c
 * @brief The fw_cfg items this model has, produced byte by byte (fwcfg.h).
 *
 * Each item is a short value, so instead of buffers the read computes
 * byte @c offset of the selected item: one function, no storage that a
 * guest could index out of.  The file directory is the one big-endian
 * item (fw_cfg.rst, "File Directory": "all integers are big-endian"); the
 * others are little-endian.
 */
#include "vdev/fwcfg.h"

#include <stdbool.h>

#define NB_CPUS 1   /* one vCPU per machine in lesson 03 */

void fwcfg_reset(struct fwcfg *f, uint64_t ram_bytes)
{
    *f = (struct fwcfg){ 0 };
    f->ram_bytes = ram_bytes;
}

void fwcfg_select(struct fwcfg *f, uint16_t key)
{
    f->selects++;
    f->key = key;
    f->offset = 0;
}

/* Byte @p i of @p v stored little-endian in @p n bytes (0 past them). */
static uint8_t le_byte(uint64_t v, unsigned n, uint32_t i)
{
    return i < n ? (uint8_t)(v >> (8 * i)) : 0;
}

static uint8_t item_byte(const struct fwcfg *f, uint32_t i)
{
    switch (f->key) {
    case FWCFG_SIGNATURE: return i < 4 ? (uint8_t)"QEMU"[i] : 0;
    case FWCFG_ID: return le_byte(FWCFG_ID_TRADITIONAL, 4, i);
    case FWCFG_RAM_SIZE: return le_byte(f->ram_bytes, 8, i);
    case FWCFG_NB_CPUS:
    case FWCFG_MAX_CPUS: return le_byte(NB_CPUS, 2, i);
    case FWCFG_FILE_DIR: return 0;          /* count 0 (big-endian), no entries */
    default: return 0;                      /* not an item here */
    }
}

uint8_t fwcfg_read(struct fwcfg *f)
{
    f->reads++;
    uint8_t b = item_byte(f, f->offset);
    if (f->offset != UINT32_MAX)            /* saturate: a guest may read for ever */
        f->offset++;
    return b;
}
