/**
 * @file pc_guest_run.c
 * @brief pc_guest_run(): create a virtual PC, load an embedded lesson-03
 *        guest at 0x8000, start it in real mode, run it, gather its
 *        outcome, destroy the machine.
 */
#include "scenarios/pc_guest_run.h"

#include "guests/rt.h"
#include "mem/nested.h"
#include "scenarios/emulate_mailbox.h"
#include "spectrum/console.h"
#include "spectrum/exercise.h"
#include "spectrum/fmt.h"
#include "spectrum/string.h"
#include "spectrum/x86.h"

/* One machine at a time: scenarios run one after the other. */
static struct pc_machine guest_machine;

/* The image's own account of itself (rt.h), checked against its size. */
static bool read_header(const struct pc_guest_image *img, struct rt_header *h)
{
    size_t size = (size_t)(img->end - img->start);
    if (size < RT_HEADER_OFFSET + sizeof *h)
        return false;
    memcpy(h, img->start + RT_HEADER_OFFSET, sizeof *h);
    return h->magic == RT_HEADER_MAGIC && h->lazy_start <= h->lazy_end && !(h->lazy_start & 0xfff) &&
           !(h->lazy_end & 0xfff) && h->lazy_start >= img->load_gpa && h->lazy_end <= img->load_gpa + size;
}

/* Build the nested tables now (the vendor attach then keeps them) and take
 * the image's .rt_lazy pages out again: the guest's first touch of each
 * exits, and the NPF handler maps it (mem/npf_exit.c). */
static bool unmap_lazy(struct pc_machine *m, const struct pc_guest_image *img, uint64_t *pages)
{
    struct rt_header h;
    if (!read_header(img, &h)) {
        vm_stop(&m->vm, false, "image %s: no usable runtime header, cannot find its lazy pages", img->name);
        return false;
    }
    const struct vcpu_ops *ops = vcpu_backend();
    enum gpm_format fmt = ops && !strcmp(ops->name, "vmx") ? GPM_FORMAT_EPT : GPM_FORMAT_NPT;
    if (!nested_tables_ready(m, fmt, 0))
        return false;
    /* EXERCISE 03.lazy-unmap 5 "Take [lazy_start, lazy_end) out of the nested tables (gpm_unmap) so the first touch of each page exits as an EPT violation / nested page fault (SDM Vol. 3C 29.3.3, APM Vol. 2 15.25.6)" */
    if (h.lazy_end > h.lazy_start && !gpm_unmap(&m->mem, h.lazy_start, h.lazy_end - h.lazy_start)) {
        vm_stop(&m->vm, false, "image %s: cannot unmap GPA %#x-%#x", img->name, h.lazy_start, h.lazy_end);
        return false;
    }
    /* STUB
    EXERCISE_TODO();
    vm_stop(&m->vm, false, "image %s: its lazy pages were not unmapped", img->name);
    return false;
    STUB END */
    /* END EXERCISE 03.lazy-unmap */
    *pages = (h.lazy_end - h.lazy_start) >> 12;
    kprintf("pc: %s: %llu pages at GPA %#x-%#x left unmapped until first touch\n", m->vm.name,
            (unsigned long long)*pages, h.lazy_start, h.lazy_end - 1);
    return true;
}

/* Everything before the first entry; false with the VM stopped. */
static bool prepare(struct pc_machine *m, const struct pc_guest_image *img, const struct pc_guest_options *opt,
                    struct pc_guest_outcome *out)
{
    size_t size = (size_t)(img->end - img->start);
    if (img->load_gpa + size > RT_LOW_END) {
        vm_stop(&m->vm, false, "image %s: %llu bytes at %#llx do not fit below 640 KiB", img->name,
                (unsigned long long)size, (unsigned long long)img->load_gpa);
        return false;
    }
    if (!gpm_load(&m->mem, img->load_gpa, img->start, size)) {
        vm_stop(&m->vm, false, "image %s: cannot load it at GPA %#llx", img->name,
                (unsigned long long)img->load_gpa);
        return false;
    }
    if (opt->params &&
        (opt->params_len > RT_PARAM_MAX || !gpm_write(&m->mem, RT_PARAM_GPA, opt->params, opt->params_len))) {
        vm_stop(&m->vm, false, "image %s: cannot write %llu bytes of parameters", img->name,
                (unsigned long long)opt->params_len);
        return false;
    }
    for (unsigned i = 0; i < opt->mailbox_words; i++)
        if (!emulate_mailbox_param(&m->vm, opt->mailbox[i])) {
            vm_stop(&m->vm, false, "image %s: the mailbox takes at most %u parameters", img->name,
                    MAILBOX_MAX_WORDS);
            return false;
        }
    if (opt->lazy && !unmap_lazy(m, img, &out->lazy_unmapped))
        return false;
    m->start.mode = HVM_START_REAL16;
    m->start.cs_sel = img->cs_sel;
    m->start.rip = img->rip;
    m->start.rsp = RT_STACK_TOP;
    return true;
}

bool pc_guest_run(const char *vm_name, const struct pc_guest_image *img, const struct pc_guest_options *opt,
                  struct pc_guest_outcome *out)
{
    static const struct pc_guest_options defaults;
    if (!opt)
        opt = &defaults;
    memset(out, 0, sizeof *out);
    struct pc_machine *m = &guest_machine;
    uint64_t ram = opt->ram_bytes ? opt->ram_bytes : PC_GUEST_RAM_DEFAULT;
    if (pc_machine_create(m, vm_name, ram) && prepare(m, img, opt, out)) {
        out->created = true;
        uint64_t t0 = rdtsc();
        pc_machine_run(m, &out->stats);
        out->run_tsc = rdtsc() - t0;
    }
    out->lazy_maps = m->lazy_maps;
    const struct emulate_mailbox *mb = emulate_mailbox(&m->vm);
    if (mb) {
        out->result_words = mb->results < MAILBOX_MAX_WORDS ? mb->results : MAILBOX_MAX_WORDS;
        memcpy(out->results, mb->result, out->result_words * sizeof out->results[0]);
    }
    if (out->created && opt->inspect)
        opt->inspect(m, opt->ctx);
    out->passed = m->vm.passed;
    out->exit_code = m->vm.exit_code;
    memcpy(out->stop_reason, m->vm.stop_reason, sizeof out->stop_reason);
    out->stop_reason[sizeof out->stop_reason - 1] = '\0';
    kprintf("guest %s: exit status %u, %s: %s\n", vm_name, (unsigned)out->exit_code,
            out->passed ? "passed" : "failed", out->stop_reason);
    pc_machine_destroy(m);
    return out->passed;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool pc_guest_reason_has_hex(const char *reason, uint64_t value)
{
    char hex[24], text[sizeof ((struct vm *)0)->stop_reason];
    fmt_snprintf(hex, sizeof hex, "%llx", (unsigned long long)value);
    size_t n = strnlen(reason, sizeof text - 1);
    for (size_t i = 0; i < n; i++)
        text[i] = lower(reason[i]);
    text[n] = '\0';
    /* The digits must stand alone: "0xa0000" does not name 0xa00. */
    for (const char *at = strstr(text, hex); at; at = strstr(at + 1, hex)) {
        char before = at > text ? at[-1] : ' ', after = at[strlen(hex)];
        bool hex_before = (before >= '0' && before <= '9') || (before >= 'a' && before <= 'f');
        bool hex_after = (after >= '0' && after <= '9') || (after >= 'a' && after <= 'f');
        if (!hex_before && !hex_after)
            return true;
    }
    return false;
}
