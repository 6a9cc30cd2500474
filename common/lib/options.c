/**
 * @file options.c
 * @brief Reporting command-line options nobody reads (see options.h).
 */
#include "spectrum/options.h"

#include "spectrum/console.h"

#define OPTIONS_MAX 128

/* Multiboot loaders may start the command line with the kernel's own
 * path (QEMU's -kernel does; Multiboot 0.6.96 §3.3 leaves it open): a
 * first word with a '/' and no value is that, not an option. */
static bool is_kernel_path(const struct cmdline *cl, int i)
{
    if (i != 0 || *cl->value[i])
        return false;
    for (const char *c = cl->key[i]; *c; c++)
        if (*c == '/')
            return true;
    return false;
}

static void report(void *ctx, const struct cmdline_problem *p)
{
    const struct cmdline *cl = ctx;
    const char *key = cl->key[p->index];
    if (p->kind == CMDLINE_UNKNOWN && is_kernel_path(cl, p->index))
        return;
    if (p->kind == CMDLINE_UNKNOWN)
        kprintf("cmdline: unknown option '%s' ignored: no part of this stage reads it (run=list shows the options)\n",
                key);
    else
        kprintf("cmdline: option '%s' given %d times: only the last one counts (%s=%s)\n", key, p->times, key,
                cl->value[p->index]);
}

void options_check(const struct cmdline *cl)
{
    const char *known[OPTIONS_MAX];
    size_t n = 0;
    TABLE_FOREACH(struct cmdline_option, spectrum_option, o)
        if (n < OPTIONS_MAX)
            known[n++] = o->name;
    cmdline_audit(cl, known, n, report, (void *)cl);
}

void options_list(void)
{
    kprintf("options in this stage:\n");
    TABLE_FOREACH(struct cmdline_option, spectrum_option, o)
        kprintf("  %-24s %s\n", o->name, o->help);
}
