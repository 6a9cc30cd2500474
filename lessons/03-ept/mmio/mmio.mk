# lessons/03-ept/mmio: the MMIO bus and its test device, the walk of the
# guest's own page tables under nested paging, and the emulation of the
# instruction that touched a device.  Included by lessons/03-ept/lesson.mk.

MMIO_DIR := $(L03)/mmio
MMIO_TESTS_DIR := $(L03)/tests

STAGE_SRCS_03 += $(MMIO_DIR)/mmio_bus.c $(MMIO_DIR)/mmio_test_dev.c \
	$(MMIO_DIR)/guest_linear.c $(MMIO_DIR)/guest_space_pc.c \
	$(MMIO_DIR)/mmio_emul_core.c $(MMIO_DIR)/mmio_emul.c $(MMIO_DIR)/mmio_svm_assist.c

# Hosted pieces: the emulator core stands on lesson 01's decoder and the
# formatter; the walk and the bus need nothing else.
MMIO_DECODER_SRCS := $(L01)/x86/decode.c $(L01)/x86/opcode_table.c
MMIO_CORE_HOST_SRCS := $(MMIO_DIR)/mmio_emul_core.c $(MMIO_DECODER_SRCS) common/lib/fmt.c
MMIO_HDRS := $(wildcard $(MMIO_DIR)/*.h) $(L01)/x86/decode.h common/include/spectrum/x86_bits.h

MMIO_UNIT_TESTS := $(BUILD)/host/tests/test_mmio_emul $(BUILD)/host/tests/test_mmio_bus \
	$(BUILD)/host/tests/test_gva_walk
UNIT_TESTS += $(MMIO_UNIT_TESTS)

$(BUILD)/host/tests/test_mmio_emul: $(MMIO_TESTS_DIR)/test_mmio_emul.c $(MMIO_CORE_HOST_SRCS)
$(BUILD)/host/tests/test_mmio_bus: $(MMIO_TESTS_DIR)/test_mmio_bus.c $(MMIO_DIR)/mmio_bus.c \
	$(MMIO_DIR)/mmio_test_dev.c
$(BUILD)/host/tests/test_gva_walk: $(MMIO_TESTS_DIR)/test_gva_walk.c $(MMIO_DIR)/guest_linear.c

$(MMIO_UNIT_TESTS): $(MMIO_HDRS) | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Icommon/tests $(CHECK_CFLAGS) -o $@ $(filter %.c,$^) $(CHECK_LIBS)

# libFuzzer: random bytes, registers and environment answers through the
# core; UBSan findings abort so the fuzzer records them.
FUZZ_BINS += $(BUILD)/host/fuzz/fuzz_mmio_emul
$(BUILD)/host/fuzz/fuzz_mmio_emul: $(MMIO_TESTS_DIR)/fuzz_mmio_emul.c $(MMIO_CORE_HOST_SRCS) $(MMIO_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -std=c11 -Wall -Wextra -Werror -fno-sanitize-recover=all -D_DEFAULT_SOURCE \
		-o $@ $(filter %.c,$^)
