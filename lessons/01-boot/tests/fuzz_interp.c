/**
 * @file fuzz_interp.c
 * @brief libFuzzer target: random bytes as a guest program for the
 *        interpreter.
 *
 * Input layout:
 *   byte 0      bit 0: flat 32-bit mode (else real mode);
 *               bits 1-2: guest memory size (4 KiB, 64 KiB, 68 KiB, 1 MiB),
 *               each allocated exactly, so AddressSanitizer catches any
 *               host access one byte outside the guest;
 *               bit 3: HLT passes
 *   bytes 1-16  initial AX CX DX BX SP BP SI DI (16 bits each)
 *   bytes 17-20 what IN returns
 *   the rest    copied to guest-physical address 0 (so in real mode the
 *               IVT is fuzzed too) and executed from CS:IP = 0000:0000
 *               (real mode; a random DS/ES come from the registers) or
 *               EIP = 0 (flat mode)
 *
 * The run has a budget of 1000 instructions.  What must hold, whatever the
 * bytes: no crash, no sanitizer report (out-of-bounds, undefined
 * behaviour), the run ends with the VM stopped and a reason given, and
 * never more instructions than the budget.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test_interp_shim.h"
#include "x86/interp.h"

#define FUZZ_BUDGET 1000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint64_t mem_sizes[4] = { 0x1000, 0x10000, 0x11000, 0x100000 };
    if (size < 21)
        return 0;
    struct vm vm;
    struct interp it;
    shim_vm_init(&vm, mem_sizes[(data[0] >> 1) & 3]);
    bool flat = data[0] & 1;
    interp_init(&it, &vm, flat ? INTERP_MODE_FLAT32 : INTERP_MODE_REAL);
    it.insn_limit = FUZZ_BUDGET;
    it.halt_passes = (data[0] & 8) != 0;
    for (unsigned r = 0; r < 8; r++)
        it.cpu.gpr[r] = (uint64_t)data[1 + 2 * r] | ((uint64_t)data[2 + 2 * r] << 8);
    shim_ports.in_value = (uint32_t)data[17] | ((uint32_t)data[18] << 8) | ((uint32_t)data[19] << 16) |
                          ((uint32_t)data[20] << 24);
    if (!flat) {
        /* Segments from the register bytes, so that programs start with
         * data and stack segments anywhere in the address space. */
        interp_set_segment(&it, X86_SEG_DS, (uint16_t)(it.cpu.gpr[X86_RSI] ^ it.cpu.gpr[X86_RDI]));
        interp_set_segment(&it, X86_SEG_ES, (uint16_t)it.cpu.gpr[X86_RBP]);
        interp_set_segment(&it, X86_SEG_SS, (uint16_t)(it.cpu.gpr[X86_RBX] >> 4));
    }
    size_t n = size - 21;
    if (n > vm.mem.size)
        n = vm.mem.size;
    memcpy(vm.mem.host, data + 21, n);

    interp_run(&it);

    if (vm.state != VM_STOPPED || vm.stop_reason[0] == '\0' || it.insns > FUZZ_BUDGET)
        abort();
    shim_vm_free(&vm);
    return 0;
}
