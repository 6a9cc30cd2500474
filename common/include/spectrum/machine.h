/**
 * @file machine.h
 * @brief Ending the machine with a status every engine can report.
 *
 * The runner (grader/spectrum-run) tells pass from fail on every engine:
 *  - QEMU: isa-debug-exit at port 0xF4; writing n makes QEMU exit with
 *    status (n << 1) | 1, so pass = 0x10 -> 33 and fail = 0x11 -> 35.  A
 *    triple fault with -no-reboot exits 0, never mistaken for a pass.
 *  - Bochs: pass = "magic breakpoint" (xchg %bx,%bx) which, with the
 *    runner's debugger script "c; quit", exits 0; fail = the string
 *    "Shutdown" written to port 0x8900, which exits 1.
 *  - Bare metal: nothing listens; the CPU halts with interrupts off.
 * Before any of that the marker line "spectrum: exit pass" or
 * "spectrum: exit fail" goes to the console and the UART is drained, so a
 * runner can also check the log.
 */
#ifndef SPECTRUM_MACHINE_H
#define SPECTRUM_MACHINE_H

#include <stdbool.h>

/** isa-debug-exit values; QEMU exits with (value << 1) | 1. */
#define DEBUG_EXIT_PORT  0xF4  /**< QEMU isa-debug-exit port */
#define DEBUG_EXIT_PASS  0x10  /**< QEMU exits with 33 */
#define DEBUG_EXIT_FAIL  0x11  /**< QEMU exits with 35 */

/** @brief Stop the machine, reporting @p pass to whoever runs it. */
void machine_exit(bool pass) __attribute__((noreturn));

/** @brief Print "PANIC: ...", a backtrace, and stop with a failing status. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/** @brief Stop with a message if @p cond is false. */
#define ASSERT(cond)                                                          \
    do {                                                                      \
        if (!(cond))                                                          \
            panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
    } while (0)

#endif
