/**
 * @file p_irq_run.c
 * @brief plat_run(): one platform test guest in a fresh virtual PC.
 */
#include "scenarios/p_irq_run.h"

#include "machine/pc_machine.h"
#include "spectrum/console.h"
#include "spectrum/string.h"
#include "spectrum/x86.h"
#include "vdev/pic8259.h"
#include "vdev/pit8254.h"

/* One machine at a time: the scenarios run one after the other, and a
 * struct pc_machine is too large for the kernel stack. */
static struct pc_machine plat_machine;

static void plat_collect(struct plat_run *r, struct pc_machine *m)
{
    struct vm *vm = &m->vm;
    if (gpm_read(&m->mem, PLAT_MAILBOX_GPA, &r->mailbox, sizeof r->mailbox))
        r->report = r->mailbox.report_magic == PLAT_REPORT_MAGIC && r->mailbox.report_count > 0 &&
                    r->mailbox.report_count <= PLAT_MAILBOX_VALS;
    r->mmio_devices = m->mmio.count < 0 ? 0 : m->mmio.count > MMIOBUS_MAX_DEVICES ? MMIOBUS_MAX_DEVICES
                                                                                 : m->mmio.count;
    for (int i = 0; i < r->mmio_devices; i++) {
        r->mmio_name[i] = m->mmio.dev[i] ? m->mmio.dev[i]->name : "?";
        r->mmio_reads[i] = m->mmio.reads[i];
        r->mmio_writes[i] = m->mmio.writes[i];
    }
    r->mmio_unclaimed = m->mmio.unclaimed;
    struct pit_irq_stats pit;
    if (pit_irq_stats(vm, &pit))
        r->pit_irqs = pit.delivered;
    struct pic_pair *pic = pic_of(vm);
    if (pic)
        r->pic_acks = pic->acks;
    r->passed = vm->passed;
    r->exit_code = vm->exit_code;
    memcpy(r->stop_reason, vm->stop_reason, sizeof r->stop_reason);
    r->stop_reason[sizeof r->stop_reason - 1] = '\0';
}

bool plat_run(struct plat_run *r)
{
    struct pc_machine *m = &plat_machine;
    r->created = r->passed = r->report = false;
    r->exit_code = 0;
    r->stop_reason[0] = '\0';
    r->mmio_devices = 0;
    memset(&r->stats, 0, sizeof r->stats);
    memset(&r->mailbox, 0, sizeof r->mailbox);
    r->run_tsc = r->mmio_unclaimed = r->pit_irqs = r->pic_acks = 0;

    if (!pc_machine_create(m, r->vm_name, PLAT_RAM_BYTES)) {
        kprintf("guest %s: no machine: %s\n", r->vm_name, m->vm.stop_reason);
        return false;
    }
    struct plat_mailbox mb = { .magic = PLAT_MAILBOX_MAGIC, .request = r->request };
    size_t len = (size_t)(r->image_end - r->image);
    if (!gpm_write(&m->mem, PLAT_MAILBOX_GPA, &mb, sizeof mb) || !gpm_load(&m->mem, PLAT_GUEST_GPA, r->image, len)) {
        kprintf("guest %s: image of %lu bytes or mailbox does not fit in low RAM\n", r->vm_name, (unsigned long)len);
        pc_machine_destroy(m);
        return false;
    }
    memset(&m->start, 0, sizeof m->start);
    m->start.mode = HVM_START_REAL16;
    m->start.cs_sel = PLAT_GUEST_CS;
    m->start.rip = 0;
    r->created = true;
    uint64_t t0 = rdtsc();
    pc_machine_run(m, &r->stats);
    r->run_tsc = rdtsc() - t0;
    plat_collect(r, m);
    kprintf("guest %s: exit status %u, %s: %s\n", r->vm_name, (unsigned)r->exit_code,
            r->passed ? "passed" : "failed", r->stop_reason);
    pc_machine_destroy(m);
    return r->passed;
}

uint64_t plat_mmio_count(const struct plat_run *r, const char *name, bool write)
{
    for (int i = 0; i < r->mmio_devices; i++)
        if (r->mmio_name[i] && strcmp(r->mmio_name[i], name) == 0)
            return write ? r->mmio_writes[i] : r->mmio_reads[i];
    return 0;
}

uint64_t plat_report_val(const struct plat_run *r, unsigned i)
{
    return r->report && i < r->mailbox.report_count ? r->mailbox.val[i] : 0;
}

uint64_t plat_exit_avg(const struct plat_run *r, enum vm_exit_reason reason)
{
    return r->stats.count[reason] ? r->stats.tsc[reason] / r->stats.count[reason] : 0;
}
