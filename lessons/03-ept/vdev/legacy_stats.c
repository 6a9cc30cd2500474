/**
 * @file legacy_stats.c
 * @brief The legacy devices' counters after a run (legacy.h).
 */
#include "spectrum/console.h"
#include "vdev/com1.h"
#include "vdev/fwcfg.h"
#include "vdev/legacy.h"
#include "vdev/mc146818.h"

void legacy_stats_print(struct vm *vm)
{
    const struct mc146818 *c = cmos_of(vm);
    if (c && (c->reads || c->writes || c->index_writes))
        kprintf("legacy: cmos reads %lu writes %lu index writes %lu nmi %s\n", (unsigned long)c->reads,
                (unsigned long)c->writes, (unsigned long)c->index_writes, c->nmi_masked ? "masked" : "enabled");
    const struct post_port *p = post_port_of(vm);
    if (p && (p->writes || p->reads))
        kprintf("legacy: post80 writes %lu reads %lu last %#x\n", (unsigned long)p->writes, (unsigned long)p->reads,
                (unsigned)p->last);
    const struct fwcfg *f = fwcfg_of(vm);
    if (f && (f->selects || f->reads))
        kprintf("legacy: fw_cfg selects %lu data reads %lu\n", (unsigned long)f->selects, (unsigned long)f->reads);
    const struct com1 *u = com1_of(vm);
    if (u && (u->uart.rx_bytes || u->uart.overruns || u->irq_raises))
        kprintf("legacy: com1 rx %lu overruns %lu irq4 raises %lu typed text %lu host %lu\n",
                (unsigned long)u->uart.rx_bytes, (unsigned long)u->uart.overruns, (unsigned long)u->irq_raises,
                (unsigned long)u->in.text_bytes, (unsigned long)u->in.host_bytes);
}
