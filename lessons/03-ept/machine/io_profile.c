/**
 * @file io_profile.c
 * @brief Counting accesses per port (lesson 01's portbus.observe hook) and
 *        per MMIO register (mmiobus.reg_hits), and naming the busiest.
 */
#include "machine/io_profile.h"

#include "machine/pc_machine.h"
#include "spectrum/console.h"
#include "spectrum/mem.h"

#define PORTS     65536u
#define TOP       6
#define HIT_PAGES ((PORTS * sizeof(uint32_t) + PAGE_SIZE - 1) / PAGE_SIZE)

static void observe(struct vm *vm, uint16_t port, bool write)
{
    (void)write;
    struct pc_machine *m = pc_machine_of(vm);
    if (m && m->port_hits && m->port_hits[port] != UINT32_MAX)
        m->port_hits[port]++;
}

bool io_profile_start(struct pc_machine *m)
{
    m->port_hits = page_alloc_try(HIT_PAGES, 1);
    if (m->port_hits)
        m->vm.io.observe = observe;
    return m->port_hits != 0;
}

void io_profile_stop(struct pc_machine *m)
{
    m->vm.io.observe = 0;
    if (m->port_hits)
        page_free(m->port_hits, HIT_PAGES);
    m->port_hits = 0;
}

/* Insert (key, count) into the descending top list. */
static void top_add(uint32_t *key, uint32_t *count, uint32_t k, uint32_t c)
{
    if (c == 0 || c <= count[TOP - 1])
        return;
    int i = TOP - 1;
    while (i > 0 && count[i - 1] < c) {
        key[i] = key[i - 1];
        count[i] = count[i - 1];
        i--;
    }
    key[i] = k;
    count[i] = c;
}

void io_profile_print(struct pc_machine *m)
{
    uint32_t key[TOP] = { 0 }, count[TOP] = { 0 };
    if (m->port_hits) {
        for (uint32_t p = 0; p < PORTS; p++)
            top_add(key, count, p, m->port_hits[p]);
        if (count[0]) {
            kprintf("pc: %s: busiest ports:", m->vm.name);
            for (int i = 0; i < TOP && count[i]; i++)
                kprintf(" %#x %u", (unsigned)key[i], (unsigned)count[i]);
            kprintf("\n");
        }
    }
    for (int i = 0; i < TOP; i++)
        key[i] = count[i] = 0;
    for (int d = 0; d < m->mmio.count; d++)
        for (uint32_t r = 0; r < 1024; r++)
            top_add(key, count, (uint32_t)d << 16 | r * 4, m->mmio.reg_hits[d][r]);
    if (count[0]) {
        kprintf("pc: %s: busiest MMIO registers:", m->vm.name);
        for (int i = 0; i < TOP && count[i]; i++)
            kprintf(" %s+%#x %u", m->mmio.dev[key[i] >> 16]->name, (unsigned)(key[i] & 0xffff), (unsigned)count[i]);
        kprintf("\n");
    }
}
