/**
 * @file hcall_table.c
 * @brief Finding a hypercall by number in the table lessons fill with
 *        REGISTER_HYPERCALL (hypercall.h).
 */
#include "hcall/hypercall.h"

#include "spectrum/console.h"

const struct hypercall *hcall_find(uint64_t nr)
{
    static bool warned;   /* two rows with one number: said once per boot */
    const struct hypercall *found = 0;
    TABLE_FOREACH(struct hypercall, spectrum_hypercall, h) {
        if (h->nr != nr)
            continue;
        if (!found) {
            found = h;
        } else if (!warned) {
            kprintf("hcall: number %#llx registered twice (%s, %s): keeping %s\n", (unsigned long long)nr,
                    found->name, h->name, found->name);
            warned = true;
        }
    }
    return found;
}
