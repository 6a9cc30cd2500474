/**
 * @file com1.c
 * @brief The 16550A model (uart16550.h) plugged into lesson 01's UART
 *        through its extension point (REGISTER_UART8250_EXT), and COM1's
 *        IRQ 4.
 *
 * Only lesson-03 machines get the extension's behaviour: for a plain
 * lesson-01/02 VM the hooks return lesson 01's values untouched, so
 * those guests see the same UART on every stage.
 *
 * IRQ 4 is a level: it follows "an interrupt is pending and OUT2 is set"
 * after every register access and every received byte, through lesson
 * 02's pic_raise_irq()/pic_lower_irq() (an 8259 input latches the rising
 * edge).  A byte written to THR drops the THRE interrupt, and only then
 * is it sent and THR empty again: the line falls and rises, so the next
 * THRE interrupt is a new edge, as on a real UART where the byte takes a
 * character time to leave.
 */
#include "vdev/com1.h"

#include "machine/pc_machine.h"
#include "vdev/pic8259.h"
#include "vdev/uart8250.h"
#include "vm/vm.h"

_Static_assert(sizeof(struct com1) <= UART8250_EXT_STATE, "struct com1 must fit lesson 01's UART extension state");
_Static_assert(_Alignof(struct com1) <= 8, "the extension state is 8-byte aligned");

struct com1 *com1_of(struct vm *vm)
{
    if (!pc_machine_of(vm))
        return 0;
    return uart8250_ext_state(vm);
}

void com1_update_irq(struct vm *vm, struct com1 *c)
{
    bool line = uart16550_irq_line(&c->uart);
    if (line == c->line)
        return;
    c->line = line;
    if (line) {
        c->irq_raises++;
        pic_raise_irq(vm, UART_COM1_IRQ);
    } else {
        pic_lower_irq(vm, UART_COM1_IRQ);
    }
}

static uint8_t com1_read(struct vm *vm, void *ext, unsigned reg, bool dlab, uint8_t value)
{
    if (!pc_machine_of(vm))
        return value;
    struct com1 *c = ext;
    if (reg == UART_REG_RBR && !dlab)
        c->in.receiver_ready = true;     /* a polling guest is reading: text may flow */
    uint8_t v = uart16550_read(&c->uart, reg, dlab, value);
    com1_update_irq(vm, c);
    return v;
}

static void com1_write(struct vm *vm, void *ext, unsigned reg, bool dlab, uint8_t value)
{
    if (!pc_machine_of(vm))
        return;
    struct com1 *c = ext;
    uart16550_write(&c->uart, reg, dlab, value);
    if (reg == UART_REG_IER && !dlab && (value & UART_IER_ERBFI))
        c->in.receiver_ready = true;     /* an interrupt-driven guest is listening */
    com1_update_irq(vm, c);
    if (reg == UART_REG_THR && !dlab) {
        if (c->in.configured)
            guest_input_saw(c, value);
        uart16550_transmit_done(&c->uart, value);
        com1_update_irq(vm, c);
    }
}

REGISTER_UART8250_EXT(com1_16550, {
    .name = "16550a",
    .read = com1_read,
    .write = com1_write,
});
