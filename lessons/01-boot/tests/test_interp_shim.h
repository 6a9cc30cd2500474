/**
 * @file test_interp_shim.h
 * @brief A hosted stand-in for the VM around the interpreter, shared by
 *        its unit tests and its fuzzer.
 *
 * The interpreter reaches outside itself through four calls only:
 * gmem_*() (vm/gmem.c, linked as is), vm_stop(), portbus_read() and
 * portbus_write().  The shim defines the last three over a struct vm whose
 * memory is a malloc'ed block, records what the guest did to ports, and
 * treats port 0xF4 like the debug-exit device (write 0 = pass) and port
 * 0x3FD like COM1's line status register (always ready to transmit).
 */
#ifndef SPECTRUM_TEST_INTERP_SHIM_H
#define SPECTRUM_TEST_INTERP_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include "vm/vm.h"
#include "x86/interp.h"

/** Port writes the shim remembers. */
#define SHIM_MAX_OUT 64

/** @brief What the guest did to ports, and what IN returns. */
struct shim_ports {
    uint32_t in_value;              /**< IN returns this (masked), except from 0x3FD */
    unsigned ins;                   /**< IN accesses seen */
    unsigned outs;                  /**< OUT accesses seen (all, not only kept) */
    uint16_t out_port[SHIM_MAX_OUT];  /**< ports of the first writes */
    uint32_t out_value[SHIM_MAX_OUT]; /**< their values */
    uint8_t out_size[SHIM_MAX_OUT];   /**< their sizes */
};

/** @brief The shim's port log (reset by shim_vm_init). */
extern struct shim_ports shim_ports;

/** @brief Create @p vm with @p bytes of zeroed memory (malloc). */
void shim_vm_init(struct vm *vm, uint64_t bytes);

/** @brief Free @p vm's memory. */
void shim_vm_free(struct vm *vm);

#endif
