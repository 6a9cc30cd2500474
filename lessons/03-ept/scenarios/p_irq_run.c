/**
 * @file p_irq_run.c
 * @brief plat_run(): one platform test guest through pc_guest_run().
 */
#include "scenarios/p_irq_run.h"

#include "machine/pc_machine.h"
#include "spectrum/string.h"
#include "vdev/pic8259.h"
#include "vdev/pit8254.h"

/* pc_guest_run()'s inspect hook: read what the guest and the devices left
 * before the machine is destroyed. */
static void plat_inspect(struct pc_machine *m, void *ctx)
{
    struct plat_run *r = ctx;
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
    if (pit_irq_stats(&m->vm, &pit))
        r->pit_irqs = pit.delivered;
    struct pic_pair *pic = pic_of(&m->vm);
    if (pic)
        r->pic_acks = pic->acks;
}

bool plat_run(struct plat_run *r)
{
    r->created = r->passed = r->report = false;
    r->exit_code = 0;
    r->stop_reason[0] = '\0';
    r->mmio_devices = 0;
    memset(&r->stats, 0, sizeof r->stats);
    memset(&r->mailbox, 0, sizeof r->mailbox);
    r->run_tsc = r->mmio_unclaimed = r->pit_irqs = r->pic_acks = 0;

    struct plat_mailbox mb = { .magic = PLAT_MAILBOX_MAGIC, .request = r->request };
    struct pc_guest_options opt = { .ram_bytes = PLAT_RAM_BYTES, .params = &mb, .params_len = sizeof mb,
                                    .inspect = plat_inspect, .ctx = r };
    struct pc_guest_outcome out;
    pc_guest_run(r->vm_name, &r->image, &opt, &out);
    r->created = out.created;
    r->passed = out.passed;
    r->exit_code = out.exit_code;
    memcpy(r->stop_reason, out.stop_reason, sizeof r->stop_reason);
    r->stop_reason[sizeof r->stop_reason - 1] = '\0';
    memcpy(&r->stats, &out.stats, sizeof r->stats);
    r->run_tsc = out.run_tsc;
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
