/**
 * @file init.c
 * @brief Runs the registered init hooks in level order.
 */
#include "spectrum/init.h"

#include "spectrum/console.h"

void init_run_all(void)
{
    /* A few levels and a few hooks: scanning the table once per level is
     * simpler than sorting it. */
    for (long level = INIT_PLATFORM; level <= INIT_LATE; level++)
        TABLE_FOREACH(struct init_hook, spectrum_init, h)
            if (h->level == level)
                h->fn();
    TABLE_FOREACH(struct init_hook, spectrum_init, h)
        if (h->level < INIT_PLATFORM || h->level > INIT_LATE)
            kprintf("init: hook %s has bad level %ld, skipped\n", h->name, h->level);
}
