# lessons/03-ept/guests/uartrx.mk: the p-uart-rx guest (COM1 receive by
# polling and by IRQ 4 through the I/O APIC), its embedding and its
# scenario.  A 64-bit guest on the lesson-03 runtime (rt.mk), sharing the
# platform guests' mailbox and TSC helpers (irq_guest.c, platguests.mk).

include lessons/03-ept/guests/rt.mk

UARTRX_OUT := $(BUILD)/03/guests
UARTRX_SRCS := $(L03)/guests/uart_rx.c $(L03)/guests/irq_guest.c $(L02)/guests/pc_timer.c

$(call guest03_image,$(UARTRX_OUT)/uart_rx.bin,$(UARTRX_SRCS))

GUEST_BINS_03 += $(UARTRX_OUT)/uart_rx.bin
STAGE_SRCS_03 += $(L03)/guests/uart_rx_image.S $(L03)/scenarios/p_uart_rx.c
# .incbin is invisible to -MMD: every stage that links lesson 03 embeds it.
$(foreach s,$(ALL_STAGES),$(BUILD)/$(s)/obj/$(L03)/guests/uart_rx_image.S.o): $(UARTRX_OUT)/uart_rx.bin
