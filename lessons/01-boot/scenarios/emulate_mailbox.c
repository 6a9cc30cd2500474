/**
 * @file emulate_mailbox.c
 * @brief The mailbox port device (guests/mailbox.h): parameters in,
 *        results out, one 32-bit word per IN/OUT.
 *
 * It exists so that a scenario can check what a guest computed without
 * parsing the guest's console output, and can choose the guest's input at
 * run time, so that no expected answer is ever built into a guest.
 */
#include <stdbool.h>

#include "io/portbus.h"
#include "scenarios/emulate_mailbox.h"
#include "vm/vm.h"

static uint32_t mailbox_read(struct vm *vm, void *st, uint16_t port, unsigned size)
{
    struct emulate_mailbox *mb = st;
    (void)vm;
    (void)port;
    (void)size;
    if (mb->next_param >= mb->params)
        return MAILBOX_EMPTY;
    return mb->param[mb->next_param++];
}

static void mailbox_write(struct vm *vm, void *st, uint16_t port, unsigned size, uint32_t value)
{
    struct emulate_mailbox *mb = st;
    (void)vm;
    (void)port;
    (void)size;
    if (mb->results < MAILBOX_MAX_WORDS)
        mb->result[mb->results++] = value;
    else
        mb->dropped++; /* a guest must not be able to grow hypervisor state */
}

REGISTER_PORT_DEVICE(mailbox, {
    .name = "mailbox",
    .base = MAILBOX_PORT,
    .count = 4,
    .state_size = sizeof(struct emulate_mailbox),
    .read = mailbox_read,
    .write = mailbox_write,
});

struct emulate_mailbox *emulate_mailbox(struct vm *vm)
{
    return portbus_state(vm, "mailbox");
}

bool emulate_mailbox_param(struct vm *vm, uint32_t value)
{
    struct emulate_mailbox *mb = emulate_mailbox(vm);
    if (!mb || mb->params >= MAILBOX_MAX_WORDS)
        return false;
    mb->param[mb->params++] = value;
    return true;
}
