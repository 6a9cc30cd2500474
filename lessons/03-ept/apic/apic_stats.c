/**
 * @file apic_stats.c
 * @brief One line of APIC counters per lesson-03 machine (apic.h).
 */
#include "apic/apic.h"
#include "apic/lapic_dev.h"
#include "spectrum/console.h"
#include "vm/vm.h"

void apic_print_stats(struct vm *vm)
{
    struct lapic_dev *d = lapic_dev_of(vm);
    struct ioapic *io = ioapic_of(vm);
    if (!d || !io)
        return;
    const struct lapic_stats *s = &d->l.stats;
    kprintf("apic: %s: lapic timer %llu fired (%llu masked, %llu lost), %llu delivered, %llu eois (%llu level), "
            "self-ipis %llu, ipis ignored %llu, msgs ignored %llu, bad accesses %llu; ioapic messages %llu "
            "(%llu refused), masked edges %llu, eois %llu, bad accesses %llu\n",
            vm->name, (unsigned long long)s->timer_fires, (unsigned long long)s->timer_masked,
            (unsigned long long)s->timer_lost, (unsigned long long)s->delivered, (unsigned long long)s->eois,
            (unsigned long long)s->level_eois, (unsigned long long)s->ipis_self,
            (unsigned long long)s->ipis_ignored, (unsigned long long)s->msgs_ignored,
            (unsigned long long)(s->bad_accesses + s->illegal_regs + d->disabled_accesses),
            (unsigned long long)io->stats.messages, (unsigned long long)io->stats.refused,
            (unsigned long long)io->stats.masked_edges, (unsigned long long)io->stats.eois,
            (unsigned long long)(io->stats.bad_accesses + io->stats.bad_index));
}
