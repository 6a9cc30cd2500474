# lessons/03-ept/firmware: the tables a PC's firmware leaves for the OS
# (firmware.h): the MP table (MultiProcessor Specification 1.4) and
# minimal ACPI (RSDP, RSDT/XSDT, MADT, hardware-reduced FADT, DSDT),
# written into the "bios" ROM by the bzimage loader.

FW_DIR  := $(L03)/firmware
FW_SRCS := $(FW_DIR)/fw_tables.c $(FW_DIR)/mptable.c $(FW_DIR)/acpi.c
FW_HDRS := $(FW_DIR)/firmware.h $(FW_DIR)/mptable.h $(FW_DIR)/acpi.h
STAGE_SRCS_03 += $(FW_SRCS)

# Hosted: the loaders (all of loader/, for the loader table and its
# helpers) and the firmware over the real guest-physical map, as the
# loader tests build them (loader/loader.mk: LOADER_HOSTED, which is
# defined after this fragment is read, hence the wildcard).
FW_HOSTED := $(sort $(wildcard $(L03)/loader/*.c)) $(FW_SRCS) $(L03)/tests/test_loader_machine.c \
	$(L03)/tests/host_pages.c $(L03)/mem/gpm.c $(L03)/mem/nested_tables.c common/lib/fmt.c common/lib/cmdline.c
FW_HOSTED_HDRS := $(FW_HDRS) $(wildcard $(L03)/loader/*.h) $(L03)/mem/gpm.h $(L03)/machine/pc_machine.h \
	$(L03)/tests/test_loader.h $(L03)/tests/host_pages.h
FW_WRAP := -Wl,--wrap=gpm_load -Wl,--wrap=gpm_write

FW_TESTS := $(BUILD)/host/tests/test_firmware $(BUILD)/host/tests/test_bzimage
UNIT_TESTS += $(FW_TESTS)
$(BUILD)/host/tests/test_firmware: $(L03)/tests/test_firmware.c
$(BUILD)/host/tests/test_bzimage: $(L03)/tests/test_bzimage.c
$(FW_TESTS): $(FW_HOSTED) $(FW_HOSTED_HDRS) | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Icommon/tests $(CHECK_CFLAGS) $(FW_WRAP) -o $@ $(filter %.c,$^) $(CHECK_LIBS)

# libFuzzer: any bytes as a bzImage (with an initrd and a command line
# cut from them) must be loaded or refused, never crash or write outside
# RAM/ROM.
FUZZ_BINS += $(BUILD)/host/fuzz/fuzz_loader_bzimage
$(BUILD)/host/fuzz/fuzz_loader_bzimage: $(L03)/tests/fuzz_loader_bzimage.c $(FW_HOSTED) $(FW_HOSTED_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -fno-sanitize-recover=all \
		$(FW_WRAP) -o $@ $(filter %.c,$^)
