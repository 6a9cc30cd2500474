/**
 * @file machine_ext.c
 * @brief Per-machine state and reports of later lessons (machine_ext.h).
 */
#include "machine/machine_ext.h"

#include "machine/pc_machine.h"
#include "spectrum/string.h"

bool pc_machine_ext_init(struct pc_machine *m)
{
    struct pc_machine_exts *x = &m->exts;
    uint32_t used = 0;
    memset(x, 0, sizeof *x);
    TABLE_FOREACH(struct pc_machine_ext, spectrum_pc_machine_ext, e) {
        uint32_t need = (e->state_size + 15u) & ~15u;   /* keep every state 16-byte aligned */
        if (x->count == PC_EXT_MAX || need < e->state_size || need > PC_EXT_ARENA_SIZE - used)
            return false;
        x->ext[x->count] = e;
        x->state[x->count] = &x->arena[used];
        used += need;
        if (e->init)
            e->init(m, x->state[x->count]);
        x->count++;
    }
    return true;
}

void pc_machine_ext_report(struct pc_machine *m)
{
    for (int i = 0; i < m->exts.count; i++)
        if (m->exts.ext[i]->report)
            m->exts.ext[i]->report(m, m->exts.state[i]);
}

void *pc_machine_ext_state(struct vm *vm, const char *name)
{
    struct pc_machine *m = pc_machine_of(vm);
    if (!m)
        return 0;
    for (int i = 0; i < m->exts.count; i++)
        if (strcmp(m->exts.ext[i]->name, name) == 0)
            return m->exts.state[i];
    return 0;
}
