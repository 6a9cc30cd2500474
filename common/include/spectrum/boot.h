/**
 * @file boot.h
 * @brief What kmain() learnt at boot, for any later code to read.
 */
#ifndef SPECTRUM_BOOT_H
#define SPECTRUM_BOOT_H

#include "spectrum/bootinfo.h"
#include "spectrum/cmdline.h"

/** @brief The boot loader's information, parsed. */
const struct boot_info *boot_info_get(void);
/** @brief The kernel command line, parsed. */
const struct cmdline *boot_cmdline_get(void);
/** @brief The C entry, called by boot.S with the loader's EAX and EBX. */
void kmain(uint32_t magic, uint32_t info) __attribute__((noreturn));

#endif
