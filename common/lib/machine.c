/**
 * @file machine.c
 * @brief machine_exit() and panic() (see machine.h for the exit protocol).
 */
#include "spectrum/machine.h"

#include <stdarg.h>

#include "spectrum/console.h"
#include "spectrum/cpu.h"
#include "spectrum/x86.h"

void machine_exit(bool pass)
{
    cpu_cli();
    kprintf("spectrum: exit %s\n", pass ? "pass" : "fail");
    console_drain();

    /* QEMU: exits here when isa-debug-exit is present. */
    outl(DEBUG_EXIT_PORT, pass ? DEBUG_EXIT_PASS : DEBUG_EXIT_FAIL);

    if (pass) {
        /* Bochs magic breakpoint (bochsrc "magic_break: enabled=1"). */
        __asm__ volatile("xchg %%bx, %%bx" ::: "memory");
    } else {
        /* Bochs: the string "Shutdown" on port 0x8900 ends the simulation. */
        const char *s = "Shutdown";
        while (*s)
            outb(0x8900, (uint8_t)*s++);
    }
    for (;;)
        cpu_hlt();
}

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kprintf("\nPANIC: ");
    kvprintf(fmt, ap);
    kprintf("\n");
    va_end(ap);
    backtrace_print((uint64_t)(uintptr_t)__builtin_frame_address(0));
    machine_exit(false);
}
