/**
 * @file hc_console.c
 * @brief Spectrum's hypercall SPECTRUM_HC_CONSOLE_WRITE (hcall_abi.h): a
 *        test guest prints a buffer of its RAM on Spectrum's console,
 *        one line per guest line:
 *
 *     hcall: VM: console: TEXT
 *
 * The buffer is checked whole before a byte is read (hcall_buf.h), then
 * copied in small pieces through the guest-physical map (gpm_read), never
 * through a pointer the guest chose.  Bytes outside printable ASCII are
 * written as \\xNN, so a guest cannot send escape sequences to the
 * operator's terminal or forge Spectrum's own lines.
 */
#include "hcall/hcall_buf.h"
#include "hcall/hypercall.h"

#include "mem/gpm.h"
#include "spectrum/console.h"
#include "vcpu/vcpu.h"

#define LINE_MAX 100   /* a longer guest line is cut into several */

struct line {
    const char *vm;
    char text[LINE_MAX + 5];   /* room for one \xNN escape and the NUL */
    unsigned len;
};

static void line_flush(struct line *l)
{
    l->text[l->len] = '\0';
    kprintf("hcall: %s: console: %s\n", l->vm, l->text);
    l->len = 0;
}

static void line_put(struct line *l, uint8_t c)
{
    static const char hex[] = "0123456789abcdef";
    if (c == '\n') {
        line_flush(l);
        return;
    }
    if (c >= 0x20 && c < 0x7f) {
        l->text[l->len++] = (char)c;
    } else {
        l->text[l->len++] = '\\';
        l->text[l->len++] = 'x';
        l->text[l->len++] = hex[c >> 4];
        l->text[l->len++] = hex[c & 15];
    }
    if (l->len >= LINE_MAX)
        line_flush(l);
}

static int64_t hc_console_write(const struct hcall_args *a)
{
    uint64_t gpa = a->arg[0], len = a->arg[1];
    int64_t err = hcall_buf_check(a->mem, gpa, len, SPECTRUM_HC_CONSOLE_MAX);
    if (err)
        return err;
    struct line l = { a->v->vm->name, { 0 }, 0 };
    for (uint64_t done = 0; done < len;) {
        uint8_t chunk[64];
        uint64_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        if (!gpm_read(a->mem, gpa + done, chunk, n))
            return -KVM_EFAULT;   /* checked above: cannot happen, but never read past a refusal */
        for (uint64_t i = 0; i < n; i++)
            line_put(&l, chunk[i]);
        done += n;
    }
    if (l.len)
        line_flush(&l);
    return (int64_t)len;
}
REGISTER_HYPERCALL(console_write, SPECTRUM_HC_CONSOLE_WRITE, hc_console_write);
