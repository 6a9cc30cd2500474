/*
 * mbkernel.c - a tiny multiboot kernel from "outside": written against the
 * Multiboot Specification 0.6.96 and QEMU's PC, with its own header, entry,
 * linker script, serial driver and printf, and nothing from Spectrum.  It
 * runs unchanged under
 *
 *   qemu-system-x86_64 -kernel mbkernel.elf -initrd "module.txt" -serial stdio \
 *       -device isa-debug-exit,iobase=0xf4,iosize=4 -display none
 *
 * and as a Spectrum guest (make run GUEST=mbkernel.elf ...).  It checks
 * what its loader and machine tell it and exits through isa-debug-exit:
 *   - EAX magic 0x2BADB002 (§3.2);
 *   - the information structure (§3.3): mem_lower/mem_upper, a memory map
 *     of 24-byte entries with RAM from 1 MiB agreeing with mem_upper, the
 *     command line, the boot loader name, the modules (page aligned, as
 *     header flag 0 asked; contents: see module.txt);
 *   - QEMU's fw_cfg (docs/specs/fw_cfg.rst, legacy I/O interface: 16-bit
 *     selector at 0x510, data bytes at 0x511): signature "QEMU", number of
 *     CPUs, RAM size (at least what the memory map shows).
 * Command-line words it understands: expect-mods=N (the number of modules
 * there must be, default: any) and fwcfg=skip (no fw_cfg checks).
 * Output: "mbkernel: ..." lines on COM1, last "mbkernel: PASS" or
 * "mbkernel: FAIL (N checks failed)"; exit code 0 on pass, 1 on fail.
 */
#include <stdarg.h>
#include <stdint.h>

#define MB_BOOT_MAGIC 0x2BADB002u

/* Multiboot 0.6.96 §3.3: the information structure fields we read. */
struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr, drives_length, drives_addr, config_table, boot_loader_name;
};
struct mb_module {
    uint32_t mod_start, mod_end, string, reserved;
};
struct __attribute__((packed)) mb_mmap {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;
};
_Static_assert(sizeof(struct mb_mmap) == 24, "§3.3: 24-byte map entries (size field + 20)");

#define COM1 0x3f8
#define FW_CFG_SELECTOR 0x510
#define FW_CFG_DATA 0x511
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_RAM_SIZE 0x0003
#define FW_CFG_NB_CPUS 0x0005
#define DEBUG_EXIT 0xf4

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* ---- 8250 UART on COM1, polled ------------------------------------------- */

static void serial_init(void)
{
    outb(COM1 + 1, 0x00);   /* no interrupts */
    outb(COM1 + 3, 0x80);   /* DLAB */
    outb(COM1 + 0, 0x01);   /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);   /* 8N1 */
    outb(COM1 + 2, 0xc7);   /* FIFO on, cleared */
}

static void serial_putc(char c)
{
    for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)   /* LSR: THR empty */
        ;
    outb(COM1, (uint8_t)c);
}

static void serial_drain(void)
{
    for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x40); i++)   /* LSR: transmitter empty */
        ;
}

static void puts_raw(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            serial_putc('\r');
        serial_putc(*s);
    }
}

static void put_num(uint32_t v, unsigned base)
{
    char buf[12];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n)
        serial_putc(buf[--n]);
}

/* %s %u %x (32-bit), %X (64-bit as hex), %c */
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    puts_raw("mbkernel: ");
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            if (*fmt == '\n')
                serial_putc('\r');
            serial_putc(*fmt);
            continue;
        }
        switch (*++fmt) {
        case 's': puts_raw(va_arg(ap, const char *)); break;
        case 'u': put_num(va_arg(ap, uint32_t), 10); break;
        case 'x': puts_raw("0x"); put_num(va_arg(ap, uint32_t), 16); break;
        case 'X': {
            uint64_t v = va_arg(ap, uint64_t);
            puts_raw("0x");
            if (v >> 32) {
                put_num((uint32_t)(v >> 32), 16);
                for (int sh = 28; sh >= 0; sh -= 4)
                    serial_putc("0123456789abcdef"[(uint32_t)v >> sh & 15]);
            } else
                put_num((uint32_t)v, 16);
            break;
        }
        case 'c': serial_putc((char)va_arg(ap, int)); break;
        default: serial_putc('?'); break;
        }
    }
    va_end(ap);
}

static int failures;

static void check(int ok, const char *what)
{
    say("%s %s\n", ok ? "ok:  " : "FAIL:", what);
    if (!ok)
        failures++;
}

static void __attribute__((noreturn)) finish(void)
{
    if (failures)
        say("FAIL (%u checks failed)\n", (uint32_t)failures);
    else
        say("PASS\n");
    serial_drain();
    outl(DEBUG_EXIT, failures ? 1 : 0);   /* isa-debug-exit: QEMU exits with (code << 1) | 1 */
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* ---- small string helpers -------------------------------------------- */

static int starts_with(const char *s, const char *p)
{
    while (*p)
        if (*s++ != *p++)
            return 0;
    return 1;
}

/* Value of word "key=..." in the command line, as a number; -1 if absent. */
static long option_num(const char *cmdline, const char *key)
{
    const char *s = cmdline;
    while (s && *s) {
        while (*s == ' ')
            s++;
        if (starts_with(s, key)) {
            long v = 0;
            const char *d = s + 0;
            while (*d && *d != '=')
                d++;
            if (*d == '=')
                for (d++; *d >= '0' && *d <= '9'; d++)
                    v = v * 10 + (*d - '0');
            return v;
        }
        while (*s && *s != ' ')
            s++;
    }
    return -1;
}

static int has_word(const char *cmdline, const char *word)
{
    const char *s = cmdline;
    while (s && *s) {
        while (*s == ' ')
            s++;
        const char *w = word;
        const char *t = s;
        while (*w && *t == *w)
            t++, w++;
        if (!*w && (*t == ' ' || *t == 0))
            return 1;
        while (*s && *s != ' ')
            s++;
    }
    return 0;
}

/* ---- the checks --------------------------------------------------------- */

static void check_memory(const struct mb_info *mbi)
{
    check(mbi->flags & (1u << 0), "mem_lower/mem_upper given (info flag 0; header flag 1 asked for them)");
    say("mem_lower %u KiB, mem_upper %u KiB\n", mbi->mem_lower, mbi->mem_upper);
    check(mbi->mem_lower > 0 && mbi->mem_lower <= 640, "mem_lower in 1..640 KiB");
    check(mbi->mem_upper >= 1024, "mem_upper at least 1 MiB");
    if (!(mbi->flags & (1u << 6))) {
        check(0, "memory map given (info flag 6)");
        return;
    }
    uint32_t n = 0, ram_at_1m = 0, good = 1;
    uint64_t ram_kib = 0;
    for (uint32_t off = 0; off + 24 <= mbi->mmap_length && n < 128; n++) {
        const struct mb_mmap *e = (const struct mb_mmap *)(mbi->mmap_addr + off);
        say("  mmap [%X+%X) type %u\n", e->addr, e->len, e->type);
        if (e->size < 20)
            good = 0;
        if (e->type == 1) {
            ram_kib += e->len >> 10;
            if (e->addr == 0x100000)
                ram_at_1m = (uint32_t)(e->len >> 10);
        }
        off += e->size + 4;   /* §3.3: size does not count itself */
    }
    check(good && n > 0, "memory map entries well formed");
    check(ram_at_1m == mbi->mem_upper, "memory map: RAM at 1 MiB is mem_upper KiB long");
    say("memory map: %u entries, %u KiB of RAM\n", n, (uint32_t)ram_kib);
}

static void check_modules(const struct mb_info *mbi, const char *cmdline)
{
    long want = option_num(cmdline, "expect-mods");
    uint32_t count = (mbi->flags & (1u << 3)) ? mbi->mods_count : 0;
    say("%u module(s)\n", count);
    if (want >= 0)
        check(count == (uint32_t)want, "as many modules as expect-mods= says");
    const struct mb_module *mod = (const struct mb_module *)mbi->mods_addr;
    for (uint32_t i = 0; i < count && i < 16; i++) {
        const char *p = (const char *)mod[i].mod_start;
        uint32_t len = mod[i].mod_end - mod[i].mod_start;
        say("module %u at [%x, %x) '%s'\n", i, mod[i].mod_start, mod[i].mod_end,
            mod[i].string ? (const char *)mod[i].string : "");
        check((mod[i].mod_start & 0xfff) == 0, "module page aligned (header flag 0)");
        check(mod[i].mod_end > mod[i].mod_start && starts_with(p, "mbkernel-module:"),
              "module starts with 'mbkernel-module:'");
        /* The last line is "size NNNN": the module's own length. */
        uint32_t stated = 0;
        if (len >= 10 && p[len - 1] == '\n' && starts_with(p + len - 10, "size "))
            for (int k = 5; k < 9; k++)
                stated = stated * 10 + (uint32_t)(p[len - 10 + k] - '0');
        say("module %u: %u bytes, says %u\n", i, len, stated);
        check(stated == len, "module length matches its last line");
    }
}

static uint8_t fw_cfg_byte(void) { return inb(FW_CFG_DATA); }

static void fw_cfg_select(uint16_t key) { outw(FW_CFG_SELECTOR, key); }

static void check_fw_cfg(const struct mb_info *mbi)
{
    char sig[5];
    fw_cfg_select(FW_CFG_SIGNATURE);
    for (int i = 0; i < 4; i++)
        sig[i] = (char)fw_cfg_byte();
    sig[4] = 0;
    check(sig[0] == 'Q' && sig[1] == 'E' && sig[2] == 'M' && sig[3] == 'U', "fw_cfg signature 'QEMU'");
    if (sig[0] != 'Q')
        return;
    fw_cfg_select(FW_CFG_NB_CPUS);
    uint32_t cpus = fw_cfg_byte();
    cpus |= (uint32_t)fw_cfg_byte() << 8;
    fw_cfg_select(FW_CFG_RAM_SIZE);
    uint64_t ram = 0;
    for (int i = 0; i < 8; i++)
        ram |= (uint64_t)fw_cfg_byte() << (8 * i);
    say("fw_cfg: %u CPU(s), RAM %X bytes (%u MiB)\n", cpus, ram, (uint32_t)(ram >> 20));
    check(cpus >= 1 && cpus <= 255, "fw_cfg: 1 to 255 CPUs");
    uint64_t seen = ((uint64_t)mbi->mem_upper + 1024) << 10;   /* RAM up to the first hole above 1 MiB */
    check(ram >= seen && ram <= (4ull << 30), "fw_cfg: RAM size covers the multiboot memory (and is below 4 GiB)");
}

void kmain(uint32_t magic, const struct mb_info *mbi) __attribute__((noreturn));

void kmain(uint32_t magic, const struct mb_info *mbi)
{
    serial_init();
    say("hello from a plain multiboot kernel\n");
    check(magic == MB_BOOT_MAGIC, "EAX holds the multiboot magic 0x2BADB002");
    if (magic != MB_BOOT_MAGIC)
        finish();
    const char *cmdline = (mbi->flags & (1u << 2)) ? (const char *)mbi->cmdline : "";
    say("command line '%s'\n", cmdline);
    if (mbi->flags & (1u << 9))
        say("boot loader '%s'\n", (const char *)mbi->boot_loader_name);
    check_memory(mbi);
    check_modules(mbi, cmdline);
    if (has_word(cmdline, "fwcfg=skip"))
        say("fw_cfg checks skipped (fwcfg=skip)\n");
    else
        check_fw_cfg(mbi);
    finish();
}
