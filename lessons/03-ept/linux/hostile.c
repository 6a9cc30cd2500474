/**
 * @file hostile.c
 * @brief A hostile user-space program for the Linux guest (issue 10 item 7):
 *        as root it does N operations (default 100000) planned by a
 *        fixed-seed PRNG (hostile_plan.c): random port I/O, MSR reads and
 *        writes, CPUID leaves, and loads and stores on the local APIC and
 *        I/O APIC pages.
 *
 * usage: hostile [SEED [N]]      (SEED default 1; /init runs it when the
 *                                 kernel command line has spectrum.hostile=SEED)
 *
 * The guest may well die or hang on the way - a random write to the APIC
 * or an MSR is allowed to kill it.  What is under test is the hypervisor:
 * it must report how the VM ended, stay up, and keep its own memory intact.
 * Built static (gcc -static, linux.mk) because the initramfs has no libc.
 *
 * How each kind reaches the hypervisor from ring 3:
 *  - ports: iopl(3) (the kernel needs CONFIG_X86_IOPL_IOPERM; it emulates
 *    IOPL 3 with an all-zero TSS I/O bitmap, SDM Vol. 1 §19.5.2), then
 *    IN/OUT of 1, 2 or 4 bytes; the ports that would end the VM on purpose
 *    and COM1, the test's console, are left out (hostile_plan.c);
 *  - MSRs: pread/pwrite of 8 bytes on /dev/cpu/0/msr at offset = index
 *    (CONFIG_X86_MSR; arch/x86/kernel/msr.c runs rdmsr_safe/wrmsr_safe, so
 *    a #GP from the hypervisor comes back as EIO and the guest lives on);
 *  - CPUID: the instruction itself (it exits unconditionally on VMX, SDM
 *    Vol. 3C §26.1.2, and is intercepted by Spectrum on SVM);
 *  - APIC pages: mmap of /dev/mem (CONFIG_DEVMEM, no STRICT_DEVMEM) at
 *    0xFEE00000 and 0xFEC00000, each access one MOV of exactly its width.
 *
 * Reports go to /dev/kmsg: the kernel prints them on its console by
 * polling the UART, so they arrive even after a random write has silenced
 * the UART's interrupt (which the tty's user-space output waits for) or
 * the timer.  Each line opens /dev/kmsg anew: the kernel rate-limits each
 * open file to 10 lines per 5 s (kernel/printk/printk.c devkmsg_write),
 * this keeps every report.  Without /dev/kmsg they go to stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hostile_plan.h"

#define DEFAULT_SEED 1
#define DEFAULT_OPS  100000
#define REPORT_EVERY 10000
#define FAULTS_IN_A_ROW_MAX 1000   /* then the program itself is broken: stop */

/* ------------------------------------------------------------------------ */
/* Reports                                                                   */

/** @brief Print one report line (printf format, no newline) on the console. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char line[512];
    /* "<5>": KERN_NOTICE, below the default console log level 7. */
    int n = snprintf(line, sizeof line, "<5>");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = strlen(line);
    line[len++] = '\n';
    int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t w = write(fd, line, len);
        close(fd);
        if (w == (ssize_t)len)
            return;
    }
    fwrite(line + n, 1, len - (size_t)n, stdout);
    fflush(stdout);
}

/* ------------------------------------------------------------------------ */
/* One access of exactly the planned width                                    */

/* One instruction each: a hypervisor decodes what faulted, so the width
 * must not be left to the compiler (it may split or merge a plain
 * volatile access of a misaligned pointer). */
static uint64_t mmio_read(volatile uint8_t *p, unsigned width)
{
    uint64_t v = 0;
    switch (width) {
    case 1: { uint8_t b; __asm__ volatile("movb %1, %0" : "=q"(b) : "m"(*p) : "memory"); v = b; break; }
    case 2: { uint16_t w; __asm__ volatile("movw %1, %0" : "=r"(w) : "m"(*p) : "memory"); v = w; break; }
    case 4: { uint32_t l; __asm__ volatile("movl %1, %0" : "=r"(l) : "m"(*p) : "memory"); v = l; break; }
    default: __asm__ volatile("movq %1, %0" : "=r"(v) : "m"(*p) : "memory"); break;
    }
    return v;
}

static void mmio_write(volatile uint8_t *p, unsigned width, uint64_t v)
{
    switch (width) {
    case 1: __asm__ volatile("movb %1, %0" : "=m"(*p) : "q"((uint8_t)v) : "memory"); break;
    case 2: __asm__ volatile("movw %1, %0" : "=m"(*p) : "r"((uint16_t)v) : "memory"); break;
    case 4: __asm__ volatile("movl %1, %0" : "=m"(*p) : "r"((uint32_t)v) : "memory"); break;
    default: __asm__ volatile("movq %1, %0" : "=m"(*p) : "r"(v) : "memory"); break;
    }
}

static uint32_t port_in(uint16_t port, unsigned width)
{
    switch (width) {
    case 1: return inb(port);
    case 2: return inw(port);
    default: return inl(port);
    }
}

static void port_out(uint16_t port, unsigned width, uint32_t v)
{
    switch (width) {
    case 1: outb((uint8_t)v, port); break;
    case 2: outw((uint16_t)v, port); break;
    default: outl(v, port); break;
    }
}

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    __asm__ volatile("cpuid" : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3]) : "a"(leaf), "c"(sub));
}

/* ------------------------------------------------------------------------ */
/* The run                                                                    */

/** Counters of one run. */
struct tally {
    unsigned long kind[HOSTILE_KINDS];   /* operations done, per kind */
    unsigned long msr_refused;           /* reads or writes that failed (EIO: #GP) */
    unsigned long faults;                /* SIGSEGV/SIGBUS/SIGILL caught */
};

static struct tally t;
static volatile unsigned long op_index;   /* volatile: read again after siglongjmp */
static volatile unsigned long faults_in_a_row;
static volatile sig_atomic_t last_signal;
static sigjmp_buf resume;
/* Static, not locals of main: they change between sigsetjmp and a
 * siglongjmp, after which such locals are indeterminate (C11 7.13.2.1). */
static struct hostile_rng rng;
static struct hostile_op planned;

static void on_fault(int sig)
{
    last_signal = sig;
    siglongjmp(resume, 1);
}

static int msr_fd = -1;
static volatile uint8_t *lapic, *ioapic;

static void run_op(const struct hostile_op *op)
{
    uint64_t v = 0;
    uint32_t regs[4];
    switch (op->kind) {
    case HOSTILE_PORT_IN: v = port_in((uint16_t)op->target, op->width); break;
    case HOSTILE_PORT_OUT: port_out((uint16_t)op->target, op->width, (uint32_t)op->value); break;
    case HOSTILE_MSR_READ:
        if (pread(msr_fd, &v, 8, op->target) != 8)
            t.msr_refused++;
        break;
    case HOSTILE_MSR_WRITE: {
        uint64_t old = 0;
        if (pread(msr_fd, &old, 8, op->target) != 8)
            old = 0;
        v = hostile_msr_value(op, old);
        if (pwrite(msr_fd, &v, 8, op->target) != 8)
            t.msr_refused++;
        break;
    }
    case HOSTILE_CPUID:
        cpuid(op->target, op->sub, regs);
        v = regs[0] ^ ((uint64_t)regs[1] << 16) ^ ((uint64_t)regs[2] << 32) ^ ((uint64_t)regs[3] << 48);
        break;
    case HOSTILE_LAPIC_READ: v = mmio_read(lapic + op->target, op->width); break;
    case HOSTILE_LAPIC_WRITE: mmio_write(lapic + op->target, op->width, op->value); break;
    case HOSTILE_IOAPIC_READ: v = mmio_read(ioapic + op->target, op->width); break;
    default: mmio_write(ioapic + op->target, op->width, op->value); break;
    }
    (void)v;   /* the instructions are volatile asm: nothing is optimised away */
    t.kind[op->kind]++;
}

/* Two lines, each short enough for a console that wraps at 120 columns
 * with the kernel's timestamp and Spectrum's "[guest] " in front. */
static void report(unsigned long done)
{
    unsigned long *k = t.kind;
    say("HOSTILE: %lu ops: io %lu in %lu out, msr %lu rd %lu wr (%lu #GP), cpuid %lu", done, k[HOSTILE_PORT_IN],
        k[HOSTILE_PORT_OUT], k[HOSTILE_MSR_READ], k[HOSTILE_MSR_WRITE], t.msr_refused, k[HOSTILE_CPUID]);
    say("HOSTILE: %lu ops: lapic %lu rd %lu wr, ioapic %lu rd %lu wr, faults %lu", done, k[HOSTILE_LAPIC_READ],
        k[HOSTILE_LAPIC_WRITE], k[HOSTILE_IOAPIC_READ], k[HOSTILE_IOAPIC_WRITE], t.faults);
}

static volatile uint8_t *map_page(int fd, uint32_t phys)
{
    void *p = mmap(NULL, HOSTILE_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)phys);
    return p == MAP_FAILED ? NULL : (volatile uint8_t *)p;
}

static unsigned long parse(const char *s, const char *what)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end) {
        fprintf(stderr, "hostile: %s '%s' is not a number\n", what, s);
        exit(2);
    }
    return (unsigned long)v;
}

int main(int argc, char **argv)
{
    if (argc > 3) {
        fprintf(stderr, "usage: hostile [SEED [N]]\n");
        return 2;
    }
    /* stderr too goes to the kernel log (one write per line, as an
     * unbuffered stream does): error messages and an exercise stub's
     * "EXERCISE ...: not done" line reach the console like the reports. */
    int kmsg = open("/dev/kmsg", O_WRONLY);
    if (kmsg >= 0 && kmsg != 2) {
        dup2(kmsg, 2);
        close(kmsg);
    }
    uint64_t seed = argc > 1 ? parse(argv[1], "seed") : DEFAULT_SEED;
    unsigned long n = argc > 2 ? parse(argv[2], "N") : DEFAULT_OPS;

    /* What this kernel lets us do; a kind that is off is left out of the
     * plan (the sequence then differs from a full run's, and says so). */
    unsigned enabled = 1u << HOSTILE_CPUID;
    char why_ports[64] = "on", why_msr[64] = "on", why_mem[64] = "on";
    if (iopl(3) == 0)
        enabled |= 1u << HOSTILE_PORT_IN | 1u << HOSTILE_PORT_OUT;
    else
        snprintf(why_ports, sizeof why_ports, "off (iopl: %s)", strerror(errno));
    msr_fd = open("/dev/cpu/0/msr", O_RDWR | O_CLOEXEC);
    if (msr_fd >= 0)
        enabled |= 1u << HOSTILE_MSR_READ | 1u << HOSTILE_MSR_WRITE;
    else
        snprintf(why_msr, sizeof why_msr, "off (/dev/cpu/0/msr: %s)", strerror(errno));
    int mem_fd = open("/dev/mem", O_RDWR | O_SYNC | O_CLOEXEC);
    if (mem_fd >= 0) {
        lapic = map_page(mem_fd, HOSTILE_LAPIC_PAGE);
        ioapic = map_page(mem_fd, HOSTILE_IOAPIC_PAGE);
        if (lapic)
            enabled |= 1u << HOSTILE_LAPIC_READ | 1u << HOSTILE_LAPIC_WRITE;
        if (ioapic)
            enabled |= 1u << HOSTILE_IOAPIC_READ | 1u << HOSTILE_IOAPIC_WRITE;
        if (!lapic || !ioapic)
            snprintf(why_mem, sizeof why_mem, "%s (mmap: %s)", lapic || ioapic ? "partly" : "off", strerror(errno));
    } else {
        snprintf(why_mem, sizeof why_mem, "off (/dev/mem: %s)", strerror(errno));
    }
    say("HOSTILE: seed %" PRIu64 ", %lu ops; ports %s, msr %s, cpuid on, apic pages %s", seed, n, why_ports, why_msr,
        why_mem);

    /* A fault (a hypervisor that injects #PF for an APIC access, a page
     * /dev/mem cannot back) must not end the run: the handler jumps back
     * here, the operation counts as done, the next one runs. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fault;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);

    hostile_rng_seed(&rng, seed);
    if (sigsetjmp(resume, 1)) {   /* 1: the signal mask comes back too */
        t.faults++;
        if (++faults_in_a_row >= FAULTS_IN_A_ROW_MAX) {
            report(op_index);
            say("HOSTILE: stopped after %lu ops: %d faults in a row, the last signal %d on a %s", op_index,
                FAULTS_IN_A_ROW_MAX, (int)last_signal, hostile_kind_name(planned.kind));
            return 1;
        }
        op_index++;
        if (op_index % REPORT_EVERY == 0 && op_index < n)
            report(op_index);
    }
    while (op_index < n) {
        hostile_plan_next(&rng, enabled, &planned);
        run_op(&planned);
        faults_in_a_row = 0;
        op_index++;
        if (op_index % REPORT_EVERY == 0 && op_index < n)
            report(op_index);
    }
    report(op_index);
    say("HOSTILE: done %lu ops, seed %" PRIu64, op_index, seed);
    return 0;
}
