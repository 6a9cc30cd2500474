/**
 * @file triple.c
 * @brief Guest "triple": fault on purpose with no way to handle it.
 *
 * It loads an IDT with limit 0, then executes UD2.  Delivering #UD needs
 * IDT entry 6, beyond the limit: #GP; delivering that #GP fails the same
 * way: double fault; delivering #DF fails too: the processor shuts down,
 * a triple fault (SDM Vol. 3A §7.15, "Interrupt 8 - Double Fault
 * Exception").  On bare metal that resets the machine; under Spectrum it
 * only ends this VM (SVM shutdown intercept, VMX exit reason 2).  If it
 * ever gets past UD2, it exits with status 1.
 */
#include "guest/guest.h"

int guest_main(void)
{
    struct {
        uint16_t limit;
        uint32_t base;
    } __attribute__((packed)) empty = { 0, 0 };
    guest_printf("triple: loading an empty IDT, then raising #UD\n");
    __asm__ volatile("lidt %0\n\tud2" ::"m"(empty) : "memory");
    guest_printf("triple: still running after #UD with an empty IDT\n");
    return 1;
}
