/**
 * @file post_port.c
 * @brief Port 0x80, the POST diagnostic port: firmware writes its
 *        progress codes there for a plug-in display card, and operating
 *        systems write to it only to wait about a microsecond (Linux's
 *        outb_p() and inb_p() "pause" accesses, arch/x86/include/asm/io.h).
 *
 * On a PC nothing decodes reads of 0x80; QEMU and Bochs return the last
 * byte written, and so does this model.  It exists so those delay
 * accesses, a steady stream during a Linux boot, are claimed and counted
 * here instead of reaching the bus's "unclaimed" path.
 */
#include "io/portbus.h"
#include "vdev/legacy.h"
#include "vm/vm.h"

static uint32_t post_read(struct vm *vm, void *st, uint16_t port, unsigned size)
{
    (void)vm;
    (void)port;
    struct post_port *p = st;
    p->reads++;
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)    /* bytes past 0x80 read all ones */
        v |= (uint32_t)(i == 0 ? p->last : 0xff) << (8 * i);
    return v;
}

static void post_write(struct vm *vm, void *st, uint16_t port, unsigned size, uint32_t value)
{
    (void)vm;
    (void)port;
    (void)size;
    struct post_port *p = st;
    p->writes++;
    p->last = (uint8_t)value;               /* the byte at 0x80; wider writes' other bytes go nowhere */
}

REGISTER_PORT_DEVICE(post_port, {
    .name = "post80",
    .base = POST_PORT,
    .count = 1,
    .state_size = sizeof(struct post_port),
    .read = post_read,
    .write = post_write,
});

struct post_port *post_port_of(struct vm *vm)
{
    return portbus_state(vm, "post80");
}
