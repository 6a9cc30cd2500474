# lessons/03-ept/vdev: the rest of a PC's legacy platform - CMOS/RTC
# (0x70/0x71), the POST port (0x80), QEMU's fw_cfg (0x510/0x511) - and
# COM1 grown into a 16550A (receiver, FIFO, IRQ 4, typed input) through
# lesson 01's UART extension point.

STAGE_SRCS_03 += $(L03)/vdev/mc146818.c $(L03)/vdev/host_rtc.c $(L03)/vdev/cmos_ports.c \
	$(L03)/vdev/post_port.c $(L03)/vdev/fwcfg.c $(L03)/vdev/fwcfg_ports.c \
	$(L03)/vdev/uart16550.c $(L03)/vdev/com1.c $(L03)/vdev/guest_input.c \
	$(L03)/vdev/guest_input_text.c $(L03)/vdev/legacy_stats.c $(L03)/vdev/i8042.c \
	$(L03)/vdev/acpi_pm.c $(L03)/vdev/acpi_pm_ports.c $(L03)/vdev/pvpanic.c

VDEV03_TESTS := $(BUILD)/host/tests/test_cmos $(BUILD)/host/tests/test_uart $(BUILD)/host/tests/test_fwcfg \
	$(BUILD)/host/tests/test_acpi_pm
UNIT_TESTS += $(VDEV03_TESTS)

$(BUILD)/host/tests/test_cmos: $(L03)/tests/test_cmos.c $(L03)/vdev/mc146818.c $(L03)/vdev/mc146818.h
$(BUILD)/host/tests/test_uart: $(L03)/tests/test_uart.c $(L03)/vdev/uart16550.c $(L03)/vdev/uart16550.h \
	$(L03)/vdev/guest_input_text.c $(L03)/vdev/guest_input.h
$(BUILD)/host/tests/test_fwcfg: $(L03)/tests/test_fwcfg.c $(L03)/vdev/fwcfg.c $(L03)/vdev/fwcfg.h
$(BUILD)/host/tests/test_acpi_pm: $(L03)/tests/test_acpi_pm.c $(L03)/vdev/acpi_pm.c $(L03)/vdev/acpi_pm.h

$(VDEV03_TESTS): | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(CHECK_CFLAGS) -o $@ $(filter %.c,$^) $(CHECK_LIBS)

# The escape decoder of guest_input_text= reads command-line bytes.
FUZZ_BINS += $(BUILD)/host/fuzz/fuzz_guest_input_text
$(BUILD)/host/fuzz/fuzz_guest_input_text: $(L03)/tests/test_uart_text_fuzz.c $(L03)/vdev/guest_input_text.c \
	$(L03)/vdev/guest_input.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -std=c11 -Wall -Wextra -Werror -fno-sanitize-recover=all -o $@ $(filter %.c,$^)
