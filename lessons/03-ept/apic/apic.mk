# lessons/03-ept/apic: the local APIC and I/O APIC of a lesson-03 PC
# (pure models, their MMIO devices, MSR/CR8/CPUID glue, the ISA wiring and
# the interrupt-delivery entry), their unit tests and fuzzer.
APIC_DIR := $(L03)/apic

STAGE_SRCS_03 += $(APIC_DIR)/lapic.c $(APIC_DIR)/ioapic.c $(APIC_DIR)/lapic_dev.c $(APIC_DIR)/ioapic_dev.c \
	$(APIC_DIR)/apic_msr.c $(APIC_DIR)/apic_cpuid.c $(APIC_DIR)/apic_tpr.c $(APIC_DIR)/apic_irq.c \
	$(APIC_DIR)/isa_wiring.c $(APIC_DIR)/apic_stats.c

APIC_TESTS := $(BUILD)/host/tests/test_lapic $(BUILD)/host/tests/test_ioapic
UNIT_TESTS += $(APIC_TESTS)

$(BUILD)/host/tests/test_lapic: $(L03)/tests/test_lapic.c $(APIC_DIR)/lapic.c $(APIC_DIR)/lapic.h \
	$(APIC_DIR)/apic_msg.h
$(BUILD)/host/tests/test_ioapic: $(L03)/tests/test_ioapic.c $(APIC_DIR)/ioapic.c $(APIC_DIR)/ioapic.h \
	$(APIC_DIR)/apic_msg.h

$(APIC_TESTS): | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Icommon/tests $(CHECK_CFLAGS) -o $@ $(filter %.c,$^) $(CHECK_LIBS)

# libFuzzer target; UBSan findings abort so the fuzzer records them.
FUZZ_BINS += $(BUILD)/host/fuzz/fuzz_apic
$(BUILD)/host/fuzz/fuzz_apic: $(L03)/tests/fuzz_apic.c $(APIC_DIR)/lapic.c $(APIC_DIR)/ioapic.c \
		$(APIC_DIR)/lapic.h $(APIC_DIR)/ioapic.h $(APIC_DIR)/apic_msg.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -std=c11 -Wall -Wextra -Werror -fno-sanitize-recover=all \
		-o $@ $(filter %.c,$^)

# The apic-smoke scenario's guest: flat 32-bit code linked at 0x8000.
STAGE_SRCS_03 += $(APIC_DIR)/apic_smoke.c $(APIC_DIR)/apic_smoke_image.S
GUEST_BINS_03 += $(BUILD)/03/guests/apic_smoke.bin
$(BUILD)/03/guests/apic_smoke.bin: $(APIC_DIR)/apic_smoke_guest.S | deps-build
	@mkdir -p $(@D)
	@echo "  GUEST   $@"
	@$(CC) -m32 -c $< -o $(@:.bin=.o)
	@ld -m elf_i386 -Ttext=0x8000 --oformat binary -o $@ $(@:.bin=.o)
$(BUILD)/03/obj/$(APIC_DIR)/apic_smoke_image.S.o: $(BUILD)/03/guests/apic_smoke.bin
